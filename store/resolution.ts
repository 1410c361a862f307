/**
 * Pure rules both backends share, so that the same question gets the same answer from
 * SQLite and from InfluxDB: bucket alignment, which resolution serves a range, and the
 * percentile definition.
 */

export const MINUTE = 60_000;
export const HOUR = 3_600_000;
export const DAY = 86_400_000;

/**
 * Buckets are aligned to midnight Asia/Shanghai (UTC+8, no daylight saving), so a daily
 * bucket is a calendar day of the reports. For 5-minute and hourly buckets this is the
 * same as aligning to the Unix epoch. InfluxDB gets the same alignment via GROUP BY time(step, offset).
 */
export const BUCKET_ORIGIN = -8 * HOUR;

export type RollupLevel = '5m' | '1h' | '1d';
export type Resolution = 'raw' | RollupLevel;

export const LEVEL_MS: Readonly<Record<RollupLevel, number>> = { '5m': 5 * MINUTE, '1h': HOUR, '1d': DAY };
export const ROLLUP_LEVELS: readonly RollupLevel[] = ['5m', '1h', '1d'];

export function bucketStart(at: number, stepMs: number): number {
  return Math.floor((at - BUCKET_ORIGIN) / stepMs) * stepMs + BUCKET_ORIGIN;
}

/** First bucket boundary at or after `at`. */
export function bucketCeil(at: number, stepMs: number): number {
  const b = bucketStart(at, stepMs);
  return b === at ? at : b + stepMs;
}

/** The offset InfluxDB's GROUP BY time(step, offset) needs for our alignment (0 <= offset < step). */
export function influxOffsetMs(stepMs: number): number {
  return ((BUCKET_ORIGIN % stepMs) + stepMs) % stepMs;
}

export interface ResolutionChoice {
  resolution: Resolution;
  /** Bucket width of the answer in ms; null means one point per raw sample. */
  stepMs: number | null;
}

/**
 * Picks the coarsest stored resolution whose bucket is not wider than the wanted step, and
 * rounds the step down to a whole number of those buckets (so every answer bucket is made of
 * complete stored buckets). Raw samples serve steps under 5 minutes, and only while the range
 * lies inside raw retention; older ranges fall back to the 5-minute rollup.
 */
export function chooseResolution(q: { from: number; to: number; stepSec?: number }, now: number, rawDays: number): ResolutionChoice {
  if (!(q.to > q.from)) throw new Error(`range: to (${q.to}) must be after from (${q.from})`);
  if (q.stepSec !== undefined && !(q.stepSec > 0)) throw new Error(`range: stepSec must be positive, got ${q.stepSec}`);
  const rawAvailable = q.from >= now - rawDays * DAY;
  const stepMs = q.stepSec === undefined ? null : Math.max(1000, Math.round(q.stepSec * 1000));
  if (stepMs === null) return rawAvailable ? { resolution: 'raw', stepMs: null } : { resolution: '5m', stepMs: LEVEL_MS['5m'] };
  for (const level of ['1d', '1h', '5m'] as const) {
    const size = LEVEL_MS[level];
    if (stepMs >= size) return { resolution: level, stepMs: Math.floor(stepMs / size) * size };
  }
  return rawAvailable ? { resolution: 'raw', stepMs } : { resolution: '5m', stepMs: LEVEL_MS['5m'] };
}

/**
 * The percentile InfluxDB's PERCENTILE() returns, used by both backends: sort ascending and
 * take the value at 1-based rank floor(n * p / 100 + 0.5) — nearest rank with the rank
 * rounded half up (for p95 of a 31-day month of 5-minute buckets, n = 8928, rank 8482).
 * Null for an empty list.
 */
export function percentileRank(n: number, p: number): number | null {
  const i = Math.floor((n * p) / 100 + 0.5) - 1;
  return i < 0 || i >= n ? null : i + 1;
}

/** Sorts a copy (or, for a Float64Array, the array itself: callers hand over a scratch array). */
export function percentile(values: readonly number[] | Float64Array, p: number): number | null {
  const rank = percentileRank(values.length, p);
  if (rank === null) return null;
  const sorted = values instanceof Float64Array ? values.sort() : Float64Array.from(values).sort();
  return sorted[rank - 1] ?? null;
}

/** Mean from a sum and a count, or null when nothing was counted. */
export const meanOf = (sum: number | null, count: number): number | null => (count > 0 && sum !== null ? sum / count : null);
