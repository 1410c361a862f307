import type Database from 'better-sqlite3';
import type { CircuitSample } from '../core/sample.js';
import { migrate, openStateDb } from './state-db.js';
import type {
  Completeness, LatestSample, MetricStore, MetricStoreDeps, PeriodQuery, RangeQuery, RollupReport, SeriesPoint, StoreHealth, UsageSummary,
} from './metric-store.js';
import {
  BUCKET_SECONDS, assertPeriod, completenessRow, expectedSamples, periodSites,
} from './period-summary.js';
import { DAY, LEVEL_MS, bucketCeil, bucketStart, chooseResolution } from './resolution.js';
import { lateSpan } from './rollup-plan.js';
import { mergeIntoSteps, toSeriesPoint, type BucketPartial } from './series-buckets.js';
import { METRIC_MIGRATIONS, RAW_INSERT_COLUMNS, rawBucketsSql, rollupBucketsSql } from './sqlite-schema.js';
import { SqliteRollupJob } from './sqlite-rollups.js';
import { usageFromRollups } from './sqlite-usage.js';
import { fromRawRow, latestFromRow, partialFromRow, rawParams, type RawRow } from './sqlite-rows.js';
import { partitionSamples, SampleRejectedError, toStoredSample, type StoredSample } from './stored-sample.js';

export interface SqliteMetricStoreOptions {
  /** SQLite file (created with its directory), or ':memory:'. */
  path: string;
  retention: { rawDays: number; rollupDays: number };
  /** How long after a bucket ends the rollup job waits for late samples; default 2 minutes. */
  lateMs?: number;
}

/**
 * The embedded metric store: one SQLite file in WAL mode. A write call is one transaction of
 * prepared statements; raw samples, the per-site latest row and the record of late samples
 * (for the rollup job) change together or not at all.
 */
export class SqliteMetricStore implements MetricStore {
  readonly backend = 'embedded' as const;
  readonly #opts: SqliteMetricStoreOptions;
  readonly #deps: MetricStoreDeps;
  #db: Database.Database | null = null;
  #rollups: SqliteRollupJob | null = null;
  #writeTx: ((rows: readonly StoredSample[]) => void) | null = null;
  readonly #stepStatements = new Map<string, Database.Statement>();
  #lastError: string | null = null;
  #lastWriteAt: number | null = null;

  constructor(opts: SqliteMetricStoreOptions, deps: MetricStoreDeps) {
    this.#opts = opts;
    this.#deps = deps;
  }

  async init(): Promise<void> {
    if (this.#db) return;
    const db = openStateDb(this.#opts.path);
    migrate(db, 'metrics', METRIC_MIGRATIONS);
    this.#db = db;
    this.#rollups = new SqliteRollupJob(db);

    const cols = RAW_INSERT_COLUMNS.join(', ');
    const marks = RAW_INSERT_COLUMNS.map(() => '?').join(', ');
    const insertRaw = db.prepare(`INSERT OR REPLACE INTO raw_sample (${cols}) VALUES (${marks})`);
    const updates = RAW_INSERT_COLUMNS.filter((c) => c !== 'site_id').map((c) => `${c} = excluded.${c}`).join(', ');
    const upsertLatest = db.prepare(`INSERT INTO latest (${cols}) VALUES (${marks}) ON CONFLICT(site_id) DO UPDATE SET ${updates} WHERE excluded.at >= latest.at`);
    const watermark5m = db.prepare(`SELECT watermark FROM rollup_watermark WHERE level = '5m'`).pluck();
    const insertDirty = db.prepare('INSERT INTO rollup_dirty (from_at, to_at) VALUES (?, ?)');
    this.#writeTx = db.transaction((rows: readonly StoredSample[]) => {
      const newest = new Map<string, StoredSample>();
      for (const r of rows) {
        insertRaw.run(rawParams(r));
        const seen = newest.get(r.siteId);
        if (!seen || r.at >= seen.at) newest.set(r.siteId, r);
      }
      for (const r of newest.values()) upsertLatest.run(rawParams(r));
      const late = lateSpan(rows.map((r) => r.at), watermark5m.get() as number | undefined);
      if (late) insertDirty.run(late.from, late.to);
    });
  }

  #open(): Database.Database {
    if (!this.#db) throw new Error('embedded metric store: init() was not called (or the store is closed)');
    return this.#db;
  }

  async write(samples: readonly CircuitSample[]): Promise<void> {
    return this.writeRaw(samples.map(toStoredSample));
  }

  async writeRaw(rows: readonly StoredSample[]): Promise<void> {
    this.#open();
    const { good, rejected } = partitionSamples(rows);
    try {
      if (good.length) this.#writeTx!(good);
      this.#lastWriteAt = this.#deps.clock.now();
      this.#lastError = null;
    } catch (e) {
      this.#lastError = (e as Error).message;
      throw new Error(`embedded metric store (${this.#opts.path}): writing ${good.length} samples failed: ${(e as Error).message}`, { cause: e });
    }
    if (rejected.length) {
      for (const r of rejected) this.#deps.logger.error({ sample: r.sample, reason: r.reason }, 'sample refused by the metric store');
      throw new SampleRejectedError(rejected);
    }
  }

  async readRaw(q: PeriodQuery & { limit?: number }): Promise<StoredSample[]> {
    assertPeriod(q, 'readRaw');
    const db = this.#open();
    const sites = q.siteIds ?? (db.prepare('SELECT site_id FROM latest').pluck().all() as string[]);
    const rows = db
      .prepare('SELECT * FROM raw_sample WHERE site_id IN (SELECT value FROM json_each(?)) AND at >= ? AND at < ? ORDER BY at, site_id LIMIT ?')
      .all(JSON.stringify(sites), q.from, q.to, q.limit ?? -1) as RawRow[];
    return rows.map(fromRawRow);
  }

  async runRollups(now: number): Promise<RollupReport> {
    this.#open();
    const report = await this.#rollups!.run(now, { ...this.#opts.retention, lateMs: this.#opts.lateMs ?? 120_000 });
    this.#deps.logger.debug({ ...report }, 'embedded rollups done');
    return report;
  }

  async flush(): Promise<void> {
    // Every write call is already committed; a checkpoint folds the WAL back so a copied file is complete.
    this.#db?.pragma('wal_checkpoint(PASSIVE)');
  }

  async close(): Promise<void> {
    this.#db?.close();
    this.#db = null;
  }

  async latest(): Promise<LatestSample[]> {
    const since = this.#deps.clock.now() - this.#opts.retention.rawDays * DAY;
    const rows = this.#open().prepare('SELECT * FROM latest WHERE at >= ? ORDER BY site_id').all(since) as RawRow[];
    return rows.map(latestFromRow);
  }

  async range(q: RangeQuery): Promise<SeriesPoint[]> {
    const db = this.#open();
    const choice = chooseResolution(q, this.#deps.clock.now(), this.#opts.retention.rawDays);
    if (choice.stepMs === null) {
      const rows = db.prepare('SELECT * FROM raw_sample WHERE site_id = ? AND at >= ? AND at < ? ORDER BY at').all(q.siteId, q.from, q.to) as RawRow[];
      return rows.map((r) => toSeriesPoint(partialFromRow(rawAsBucket(r))));
    }
    const step = choice.stepMs;
    const from = bucketStart(q.from, step);
    const to = bucketCeil(q.to, step);
    if (choice.resolution === 'raw') return this.#rawBuckets(q.siteId, from, to, step).map(toSeriesPoint);

    const level = choice.resolution;
    const wm = this.#rollups!.watermarks()[level] ?? from;
    const split = Math.min(Math.max(wm, from), to);
    const stored = (this.#stepStatement(`rollup:${level}`, () => rollupBucketsSql(level)).all(q.siteId, from, split) as Record<string, number | null>[]).map(partialFromRow);
    // Buckets the rollup job has not reached yet come straight from raw samples.
    const tail = split < to ? this.#rawBuckets(q.siteId, split, to, LEVEL_MS[level]) : [];
    return mergeIntoSteps([...stored, ...tail], step);
  }

  #rawBuckets(siteId: string, from: number, to: number, stepMs: number): BucketPartial[] {
    const stmt = this.#stepStatement(`raw:${stepMs}`, () => rawBucketsSql(stepMs));
    return (stmt.all(siteId, from, to) as Record<string, number | null>[]).map(partialFromRow);
  }

  #stepStatement(key: string, sql: () => string): Database.Statement {
    let s = this.#stepStatements.get(key);
    if (!s) {
      s = this.#open().prepare(sql());
      this.#stepStatements.set(key, s);
    }
    return s;
  }

  async usage(q: PeriodQuery): Promise<UsageSummary[]> {
    assertPeriod(q, 'usage');
    return usageFromRollups(this.#open(), this.#periodSites(q), q.from, q.to, this.#rollups!.watermarks()['1d']);
  }

  async timeAbove(q: PeriodQuery & { thresholdPct: number }): Promise<{ siteId: string; seconds: number }[]> {
    assertPeriod(q, 'timeAbove');
    if (!Number.isFinite(q.thresholdPct)) throw new Error(`timeAbove: thresholdPct must be a number, got ${q.thresholdPct}`);
    const sites = this.#periodSites(q);
    const rows = this.#open()
      .prepare(`SELECT site_id, COUNT(*) AS n FROM rollup_5m
        WHERE site_id IN (SELECT value FROM json_each(?)) AND bucket >= ? AND bucket < ?
          AND ((in_util_count > 0 AND in_util_sum / in_util_count > ?) OR (out_util_count > 0 AND out_util_sum / out_util_count > ?))
        GROUP BY site_id`)
      .all(JSON.stringify(sites), q.from, q.to, q.thresholdPct, q.thresholdPct) as { site_id: string; n: number }[];
    const n = new Map(rows.map((r) => [r.site_id, r.n]));
    return sites.map((siteId) => ({ siteId, seconds: (n.get(siteId) ?? 0) * BUCKET_SECONDS }));
  }

  async completeness(q: PeriodQuery & { intervalSec: number }): Promise<Completeness[]> {
    assertPeriod(q, 'completeness');
    const expected = expectedSamples(q.from, q.to, q.intervalSec);
    const sites = this.#periodSites(q);
    const rows = this.#open()
      .prepare(`SELECT site_id, SUM(samples) AS samples, SUM(gaps) AS gaps FROM rollup_5m
        WHERE site_id IN (SELECT value FROM json_each(?)) AND bucket >= ? AND bucket < ? GROUP BY site_id`)
      .all(JSON.stringify(sites), q.from, q.to) as { site_id: string; samples: number; gaps: number }[];
    const by = new Map(rows.map((r) => [r.site_id, r]));
    return sites.map((s) => completenessRow(s, expected, by.get(s)?.samples ?? 0, by.get(s)?.gaps ?? 0));
  }

  #periodSites(q: PeriodQuery): string[] {
    return periodSites(q, this.#deps.sites.map((s) => s.id));
  }

  health(): StoreHealth {
    return { backend: 'embedded', ok: this.#db !== null && this.#lastError === null, backlog: 0, lastError: this.#lastError, lastWriteAt: this.#lastWriteAt };
  }
}

function rawAsBucket(r: RawRow): Record<string, number | null> {
  return {
    bucket: r.at, samples: 1, reachable: r.ce_reachable,
    in_count: r.in_bps === null ? 0 : 1, in_sum: r.in_bps, in_max: r.in_bps,
    out_count: r.out_bps === null ? 0 : 1, out_sum: r.out_bps, out_max: r.out_bps,
    in_util_count: r.in_util === null ? 0 : 1, in_util_sum: r.in_util,
    out_util_count: r.out_util === null ? 0 : 1, out_util_sum: r.out_util,
  };
}
