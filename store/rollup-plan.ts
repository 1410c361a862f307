import { bucketCeil, bucketStart, DAY, LEVEL_MS, type RollupLevel } from './resolution.js';

/**
 * Pure planning for the rollup job, shared by both backends: which bucket ranges to
 * (re)compute, in day-sized chunks so each chunk is one transaction (embedded) or one
 * SELECT ... INTO (InfluxDB) and a crash loses at most one chunk of work.
 */

/** End of the last complete bucket computed per level (exclusive); absent before the first run. */
export type Watermarks = Partial<Record<RollupLevel, number>>;

/** Samples written behind the 5-minute watermark: [from, to] (inclusive), to be recomputed. */
export interface DirtyRange {
  from: number;
  to: number;
}

export interface Chunk {
  from: number;
  to: number;
}

/** Splits [from, to) at Asia/Shanghai midnights; every chunk is a whole number of buckets of every level. */
export function dayChunks(from: number, to: number): Chunk[] {
  const out: Chunk[] = [];
  for (let a = from; a < to; ) {
    const b = Math.min(bucketStart(a, DAY) + DAY, to);
    out.push({ from: a, to: b });
    a = b;
  }
  return out;
}

/**
 * Where each level's forward pass stops: the last complete bucket, and never past the level
 * it is built from (hourly from 5-minute rows, daily from hourly rows).
 */
export function forwardTargets(now: number, lateMs: number): Record<RollupLevel, number> {
  const t5 = bucketStart(now - lateMs, LEVEL_MS['5m']);
  const t1h = bucketStart(t5, LEVEL_MS['1h']);
  return { '5m': t5, '1h': t1h, '1d': bucketStart(t1h, LEVEL_MS['1d']) };
}

/**
 * The day-aligned window to recompute for late samples: whole days around them, so every
 * level's buckets inside are complete, clipped to what raw retention still holds (a bucket
 * whose raw samples have expired must not be rebuilt from the few that arrived late).
 */
export function dirtyWindow(dirty: DirtyRange, rawCutoff: number): Chunk | null {
  const from = Math.max(bucketStart(dirty.from, DAY), rawCutoff);
  const to = bucketCeil(dirty.to + 1, DAY);
  return from < to ? { from, to } : null;
}

/** Raw retention boundary, on a day boundary so no bucket of any level is cut in half. */
export const rawCutoff = (now: number, rawDays: number): number => bucketStart(now - rawDays * DAY, DAY);
export const rollupCutoff = (now: number, rollupDays: number): number => bucketStart(now - rollupDays * DAY, DAY);

/** Clips a chunk to below a level's watermark: buckets beyond it belong to the forward pass. */
export function belowWatermark(c: Chunk, watermark: number | undefined): Chunk | null {
  if (watermark === undefined) return null;
  const to = Math.min(c.to, watermark);
  return c.from < to ? { from: c.from, to } : null;
}

/** The span of a batch's samples that landed behind the 5-minute watermark, if any. */
export function lateSpan(ats: Iterable<number>, watermark5m: number | undefined): DirtyRange | null {
  if (watermark5m === undefined) return null;
  let d: DirtyRange | null = null;
  for (const at of ats) {
    if (at >= watermark5m) continue;
    d = d ? { from: Math.min(d.from, at), to: Math.max(d.to, at) } : { from: at, to: at };
  }
  return d;
}

/** The distinct day chunks covering several dirty ranges, in time order. */
export function dirtyChunks(ranges: readonly DirtyRange[], rawCutoffAt: number): Chunk[] {
  const days = new Map<number, Chunk>();
  for (const r of ranges) {
    const w = dirtyWindow(r, rawCutoffAt);
    if (w) for (const c of dayChunks(w.from, w.to)) days.set(c.from, c);
  }
  return [...days.values()].sort((a, b) => a.from - b.from);
}
