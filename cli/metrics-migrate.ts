import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import type { MetricStore } from '../store/metric-store.js';
import { HOUR } from '../store/resolution.js';

/**
 * `demarc metrics migrate --from embedded --to influx` (and back): copies raw samples in
 * time order, one chunk at a time, recording after each chunk how far it got, so an
 * interrupted copy continues where it stopped. Writing a sample twice is harmless in both
 * stores (one sample per site and instant), so the chunk in progress at a crash is simply copied again.
 * Rollups are rebuilt by the target's rollup job at the end. Only raw samples are copied:
 * history older than raw retention exists only as rollups and is not carried over.
 */

export interface MigrationProgress {
  /** End of the last chunk copied (epoch ms). */
  watermark: number;
  since: number;
  until: number;
  copied: number;
}

export interface MigrateOptions {
  from: Pick<MetricStore, 'readRaw' | 'backend'>;
  to: Pick<MetricStore, 'writeRaw' | 'flush' | 'runRollups' | 'backend'>;
  since: number;
  until: number;
  siteIds?: readonly string[];
  /** Copy this much time per chunk; default one hour (7,200 samples for 120 sites). */
  chunkMs?: number;
  /** JSON file recording progress; when it names the same range, the copy resumes from it. */
  statePath: string;
  /** The `now` handed to the target's rollup job at the end. */
  now: number;
  onProgress?: (p: MigrationProgress) => void;
  /** Where the progress bar goes; default process.stderr; null for none. */
  progressStream?: NodeJS.WritableStream | null;
}

export interface MigrationResult extends MigrationProgress {
  resumedFrom: number | null;
}

function readState(path: string, since: number, until: number): MigrationProgress | null {
  if (!existsSync(path)) return null;
  let s: Partial<MigrationProgress>;
  try {
    s = JSON.parse(readFileSync(path, 'utf8')) as Partial<MigrationProgress>;
  } catch (e) {
    throw new Error(`migration state ${path} is unreadable (${(e as Error).message}); delete it to start the copy over`, { cause: e });
  }
  if (s.since !== since || s.until !== until) {
    throw new Error(
      `migration state ${path} belongs to another range (${new Date(s.since ?? 0).toISOString()} .. ${new Date(s.until ?? 0).toISOString()}); ` +
        'use the same --since/--until to resume, or delete the file to start over',
    );
  }
  return typeof s.watermark === 'number' && typeof s.copied === 'number' ? (s as MigrationProgress) : null;
}

function writeState(path: string, p: MigrationProgress): void {
  mkdirSync(dirname(path), { recursive: true });
  const tmp = `${path}.tmp`;
  writeFileSync(tmp, JSON.stringify(p));
  renameSync(tmp, path);
}

/** `[##########··········]  50.0%  2026-01-16T00:00Z  123,456 samples` */
export function progressBar(p: MigrationProgress, width = 30): string {
  const ratio = p.until > p.since ? Math.min(1, Math.max(0, (p.watermark - p.since) / (p.until - p.since))) : 1;
  const full = Math.round(ratio * width);
  const at = new Date(p.watermark).toISOString().slice(0, 16);
  return `[${'#'.repeat(full)}${'·'.repeat(width - full)}] ${(ratio * 100).toFixed(1).padStart(5)}%  ${at}Z  ${p.copied.toLocaleString('en-US')} samples`;
}

export async function migrateMetrics(o: MigrateOptions): Promise<MigrationResult> {
  if (!(o.until > o.since)) throw new Error(`metrics migrate: --until (${new Date(o.until).toISOString()}) must be after --since (${new Date(o.since).toISOString()})`);
  const chunkMs = o.chunkMs ?? HOUR;
  const out = o.progressStream === undefined ? process.stderr : o.progressStream;
  const saved = readState(o.statePath, o.since, o.until);
  const p: MigrationProgress = saved ?? { since: o.since, until: o.until, watermark: o.since, copied: 0 };
  const resumedFrom = saved ? saved.watermark : null;
  const tty = Boolean((out as { isTTY?: boolean } | null)?.isTTY);
  let lastLine = -1;
  const show = (final = false) => {
    if (!out) return;
    // A terminal gets one bar redrawn in place; a log file gets a line per 10 %.
    const decile = Math.floor(((p.watermark - p.since) / (p.until - p.since)) * 10);
    if (tty) out.write(`\r${progressBar(p)}${final ? '\n' : ''}`);
    else if (decile !== lastLine || final) {
      out.write(`${progressBar(p)}\n`);
      lastLine = decile;
    }
  };

  show();
  while (p.watermark < o.until) {
    const end = Math.min(p.watermark + chunkMs, o.until);
    const rows = await o.from.readRaw({ from: p.watermark, to: end, siteIds: o.siteIds });
    if (rows.length) await o.to.writeRaw(rows);
    p.watermark = end;
    p.copied += rows.length;
    writeState(o.statePath, p);
    o.onProgress?.({ ...p });
    show();
  }
  await o.to.flush();
  await o.to.runRollups(o.now);
  show(true);
  rmSync(o.statePath, { force: true });
  return { ...p, resumedFrom };
}
