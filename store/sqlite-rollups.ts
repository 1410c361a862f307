import type Database from 'better-sqlite3';
import type { RollupReport } from './metric-store.js';
import { DAY, LEVEL_MS, ROLLUP_LEVELS, bucketStart, type RollupLevel } from './resolution.js';
import {
  belowWatermark, dayChunks, dirtyChunks, forwardTargets, rawCutoff, rollupCutoff,
  type Chunk, type DirtyRange, type Watermarks,
} from './rollup-plan.js';
import { fillDayVectors } from './sqlite-usage.js';
import { rollupFromRawSql, rollupFromRollupSql, rollupTable } from './sqlite-schema.js';

export interface RollupOptions {
  rawDays: number;
  rollupDays: number;
  /** Buckets are closed this long after they end, so samples of the cycle in flight land first. */
  lateMs: number;
}

const SOURCE: Readonly<Record<RollupLevel, RollupLevel | null>> = { '5m': null, '1h': '5m', '1d': '1h' };

/**
 * The embedded store's rollup job. Every chunk of work (one day of one level) is one
 * transaction that deletes the chunk's buckets, recomputes them and moves the watermark, so
 * the job can stop anywhere and the next run continues with identical results. Samples
 * written behind the watermark are recorded in rollup_dirty by the writer and recomputed here.
 */
export class SqliteRollupJob {
  readonly #db: Database.Database;
  readonly #recompute: Record<RollupLevel, { del: Database.Statement; ins: Database.Statement }>;
  readonly #setWatermark: Database.Statement;

  constructor(db: Database.Database) {
    this.#db = db;
    this.#recompute = Object.fromEntries(
      ROLLUP_LEVELS.map((l) => {
        const src = SOURCE[l];
        return [l, {
          del: db.prepare(`DELETE FROM ${rollupTable(l)} WHERE site_id IN (SELECT site_id FROM latest) AND bucket >= ? AND bucket < ?`),
          ins: db.prepare(src === null ? rollupFromRawSql(l, LEVEL_MS[l]) : rollupFromRollupSql(l, src, LEVEL_MS[l])),
        }];
      }),
    ) as Record<RollupLevel, { del: Database.Statement; ins: Database.Statement }>;
    this.#setWatermark = db.prepare('INSERT INTO rollup_watermark (level, watermark) VALUES (?, ?) ON CONFLICT(level) DO UPDATE SET watermark = excluded.watermark');
  }

  watermarks(): Watermarks {
    const rows = this.#db.prepare('SELECT level, watermark FROM rollup_watermark').all() as { level: RollupLevel; watermark: number }[];
    return Object.fromEntries(rows.map((r) => [r.level, r.watermark]));
  }

  async run(now: number, opts: RollupOptions): Promise<RollupReport> {
    let buckets5m = 0;
    const cutoff = rawCutoff(now, opts.rawDays);
    const wm = this.watermarks();

    // Late samples first: their chunks sit behind the watermarks, the forward pass never revisits them.
    const dirty = this.#db.prepare('SELECT id, from_at AS "from", to_at AS "to" FROM rollup_dirty ORDER BY id').all() as (DirtyRange & { id: number })[];
    if (dirty.length) {
      const lastId = dirty[dirty.length - 1]!.id;
      const chunks = dirtyChunks(dirty, cutoff);
      for (const c of chunks) {
        this.#db.transaction(() => {
          for (const l of ROLLUP_LEVELS) {
            const part = belowWatermark(c, wm[l]);
            if (part) buckets5m += this.#rebuild(l, part, l === '5m');
          }
        })();
        await yieldToEventLoop();
      }
      // Dropped only now: a crash above leaves them in place and the next run redoes the (idempotent) work.
      this.#db.prepare('DELETE FROM rollup_dirty WHERE id <= ?').run(lastId);
    }

    const start = this.#firstBucket(wm);
    if (start !== null) {
      const targets = forwardTargets(now, opts.lateMs);
      for (const l of ROLLUP_LEVELS) {
        const from = wm[l] ?? start;
        for (const c of dayChunks(from, targets[l])) {
          this.#db.transaction(() => {
            const n = this.#rebuild(l, c, l === '5m');
            if (l === '5m') buckets5m += n;
            this.#setWatermark.run(l, c.to);
          })();
          await yieldToEventLoop();
        }
        if (targets[l] > from) wm[l] = targets[l];
      }
    }

    const expired = this.#applyRetention(cutoff, rollupCutoff(now, opts.rollupDays));
    return { buckets5m, watermark: this.watermarks()['5m'] ?? null, expired };
  }

  #rebuild(level: RollupLevel, c: Chunk, count: boolean): number {
    const r = this.#recompute[level];
    r.del.run(c.from, c.to);
    const info = r.ins.run(c.from, c.to);
    if (level === '1d') fillDayVectors(this.#db, c.from, c.to);
    return count ? info.changes : 0;
  }

  /** Before the first run the job starts at the midnight before the oldest raw sample. */
  #firstBucket(wm: Watermarks): number | null {
    if (ROLLUP_LEVELS.every((l) => wm[l] !== undefined)) return wm['5m']!;
    const row = this.#db
      .prepare('SELECT MIN((SELECT MIN(at) FROM raw_sample r WHERE r.site_id = l.site_id)) AS first FROM latest l')
      .get() as { first: number | null };
    return row.first === null ? null : bucketStart(row.first, DAY);
  }

  #applyRetention(rawBefore: number, rollupBefore: number): number {
    return this.#db.transaction(() => {
      let n = this.#db.prepare('DELETE FROM raw_sample WHERE site_id IN (SELECT site_id FROM latest) AND at < ?').run(rawBefore).changes;
      for (const l of ROLLUP_LEVELS)
        n += this.#db.prepare(`DELETE FROM ${rollupTable(l)} WHERE site_id IN (SELECT site_id FROM latest) AND bucket < ?`).run(rollupBefore).changes;
      return n;
    })();
  }
}

/** Lets the collector and the API run between chunks of a long backfill. */
const yieldToEventLoop = () => new Promise<void>((resolve) => setImmediate(resolve));
