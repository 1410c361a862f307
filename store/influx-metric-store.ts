import type { CircuitSample } from '../core/sample.js';
import type { Secret } from '../core/secret.js';
import { InfluxClient } from './influx-client.js';
import { InfluxRollupState, runInfluxRollups } from './influx-rollups.js';
import { firstRowBySite, joinSamples, mergeByTime, sampleFromPoints } from './influx-rows.js';
import { RP_RAW, RP_ROLLUP, continuousQueries, isDemarcCq, quoteIdent, rollupMeasurement, siteRegex } from './influx-schema.js';
import { sampleLines, type SeriesTags } from './line-protocol.js';
import type {
  Completeness, LatestSample, MetricStore, MetricStoreDeps, PeriodQuery, RangeQuery, RollupReport, SeriesPoint, StoreHealth, UsageSummary,
} from './metric-store.js';
import { InfluxPeriods } from './influx-periods.js';
import { assertPeriod } from './period-summary.js';
import { DAY, LEVEL_MS, bucketCeil, bucketStart, chooseResolution, influxOffsetMs } from './resolution.js';
import { lateSpan } from './rollup-plan.js';
import { mergeIntoSteps, toSeriesPoint } from './series-buckets.js';
import { latestFromSample, partialFromRow } from './sqlite-rows.js';
import { partitionSamples, SampleRejectedError, toStoredSample, type StoredSample } from './stored-sample.js';
import { SpillingWriteQueue } from './write-journal.js';

export interface InfluxMetricStoreOptions {
  url: string;
  database: string;
  username?: string;
  password?: Secret;
  /** Append-only NDJSON journal in front of InfluxDB (plus .cursor, .rejected, .rollups.json beside it). */
  spillPath: string;
  retention: { rawDays: number; rollupDays: number };
  lateMs?: number;
  requestTimeoutMs?: number;
  /** Samples per write request (each is three points). */
  batchSize?: number;
  maxQueued?: number;
  /** How long flush() waits for InfluxDB before leaving the rest in the spill file. */
  flushTimeoutMs?: number;
}

const RATE_AGGREGATES = ['in_bps', 'out_bps']
  .map((f) => `count(${f}) AS ${f.slice(0, -4)}_count, sum(${f}) AS ${f.slice(0, -4)}_sum, max(${f}) AS ${f.slice(0, -4)}_max`)
  .concat(['in', 'out'].map((d) => `count(${d}_util_pct) AS ${d}_util_count, sum(${d}_util_pct) AS ${d}_util_sum`))
  .join(', ');
const ROLLUP_AS_PARTIAL =
  'samples, reachable, in_bps_count AS in_count, in_bps_sum AS in_sum, in_bps_max AS in_max, out_bps_count AS out_count, out_bps_sum AS out_sum, ' +
  'out_bps_max AS out_max, in_util_pct_count AS in_util_count, in_util_pct_sum AS in_util_sum, out_util_pct_count AS out_util_count, out_util_pct_sum AS out_util_sum';

/**
 * The InfluxDB 1.x metric store. Writes are journaled to the spill file and delivered by
 * SpillingWriteQueue; queries read the raw and rollup retention policies and give the same
 * answers as the embedded store (same bucket alignment, same percentile, sums merged in JS).
 */
export class InfluxMetricStore implements MetricStore {
  readonly backend = 'influx' as const;
  readonly #opts: InfluxMetricStoreOptions;
  readonly #deps: MetricStoreDeps;
  readonly #client: InfluxClient;
  readonly #tags: Map<string, SeriesTags>;
  readonly #rollups: InfluxRollupState;
  readonly #periods: InfluxPeriods;
  #queue: SpillingWriteQueue | null = null;
  #schemaReady = false;

  constructor(opts: InfluxMetricStoreOptions, deps: MetricStoreDeps) {
    this.#opts = opts;
    this.#deps = deps;
    this.#client = new InfluxClient(opts);
    this.#tags = new Map(deps.sites.map((s) => [s.id, { division: s.division, carrierGroup: s.circuit.carrierGroup }]));
    this.#rollups = new InfluxRollupState(`${opts.spillPath}.rollups.json`);
    this.#periods = new InfluxPeriods(this.#client, () => this.#rollups.watermarks, () => deps.sites.map((s) => s.id));
  }

  #rp(rp: string, m: string): string {
    return `${quoteIdent(this.#opts.database)}.${quoteIdent(rp)}.${quoteIdent(m)}`;
  }

  /**
   * Database, retention policies and continuous queries (idempotent). If InfluxDB is not up,
   * init still succeeds: samples collect in the spill file and the schema is made before the first send.
   */
  async init(): Promise<void> {
    if (!this.#queue) {
      this.#queue = new SpillingWriteQueue(
        { spillPath: this.#opts.spillPath, batchSize: this.#opts.batchSize, maxQueued: this.#opts.maxQueued },
        { logger: this.#deps.logger, clock: this.#deps.clock, send: (rows) => this.#send(rows) },
      );
    }
    try {
      await this.#ensureSchema();
    } catch (e) {
      this.#deps.logger.warn({ err: (e as Error).message, url: this.#opts.url }, 'InfluxDB not ready at start-up; samples go to the spill file until it is');
    }
  }

  async #ensureSchema(): Promise<void> {
    if (this.#schemaReady) return;
    const db = this.#opts.database;
    const influx = this.#client.influx;
    await influx.createDatabase(db);
    const { rawDays, rollupDays } = this.#opts.retention;
    const existing = new Map((await influx.showRetentionPolicies(db)).map((p) => [p.name, p]));
    const want = [
      { name: RP_RAW, days: rawDays, shard: '1d', isDefault: true },
      { name: RP_ROLLUP, days: rollupDays, shard: '7d', isDefault: false },
    ];
    for (const rp of want) {
      const have = existing.get(rp.name);
      const spec = `DURATION ${rp.days}d REPLICATION 1 SHARD DURATION ${rp.shard}${rp.isDefault ? ' DEFAULT' : ''}`;
      const on = `${quoteIdent(rp.name)} ON ${quoteIdent(db)}`;
      if (!have) await this.#client.query(`CREATE RETENTION POLICY ${on} ${spec}`, { post: true });
      else if (have.duration !== `${rp.days * 24}h0m0s` || have.default !== rp.isDefault) await this.#client.query(`ALTER RETENTION POLICY ${on} ${spec}`, { post: true });
    }
    const wanted = continuousQueries(db);
    const present = new Set((await influx.showContinousQueries(db)).map((c) => c.name));
    for (const name of present) if (isDemarcCq(name) && !wanted.some((w) => w.name === name)) await influx.dropContinuousQuery(name, db);
    for (const cq of wanted) if (!present.has(cq.name)) await influx.createContinuousQuery(cq.name, cq.query, db, cq.resample);
    this.#schemaReady = true;
  }

  async #send(rows: StoredSample[]): Promise<void> {
    await this.#ensureSchema();
    const late = lateSpan(rows.map((r) => r.at), this.#rollups.watermarks['5m']);
    if (late) this.#rollups.addDirty(late);
    const lines: string[] = [];
    const none: SeriesTags = { division: '', carrierGroup: '' };
    for (const r of rows) lines.push(...sampleLines(r, this.#tags.get(r.siteId) ?? none));
    await this.#client.write(lines);
  }

  #queueOrThrow(): SpillingWriteQueue {
    if (!this.#queue) throw new Error('InfluxDB metric store: init() was not called (or the store is closed)');
    return this.#queue;
  }

  async write(samples: readonly CircuitSample[]): Promise<void> {
    return this.writeRaw(samples.map(toStoredSample));
  }

  async writeRaw(rows: readonly StoredSample[]): Promise<void> {
    const queue = this.#queueOrThrow();
    const { good, rejected } = partitionSamples(rows);
    queue.append(good);
    if (rejected.length) {
      for (const r of rejected) this.#deps.logger.error({ sample: r.sample, reason: r.reason }, 'sample refused by the metric store');
      throw new SampleRejectedError(rejected);
    }
  }

  async flush(): Promise<void> {
    const drained = await this.#queueOrThrow().drain(this.#opts.flushTimeoutMs ?? 10_000);
    if (!drained) this.#deps.logger.warn({ backlog: this.#queue?.backlog, spillPath: this.#opts.spillPath }, 'InfluxDB did not take everything; the rest waits in the spill file');
  }

  async close(): Promise<void> {
    await this.#queue?.close();
    this.#queue = null;
  }

  async runRollups(now: number): Promise<RollupReport> {
    await this.#ensureSchema();
    return runInfluxRollups(now, { rawDays: this.#opts.retention.rawDays, lateMs: this.#opts.lateMs ?? 120_000 }, {
      database: this.#opts.database,
      state: this.#rollups,
      exec: async (statements) => {
        const answers = await this.#client.query(statements, { post: true });
        return answers.map((series) => Number(series[0]?.rows[0]?.written ?? 0));
      },
      afterDaily: (range) => this.#periods.buildDayMeans(range.from, range.to),
      firstRawAt: async () => {
        const [s] = await this.#client.query(`SELECT first(ce_reachable) FROM ${this.#rp(RP_RAW, 'status')}`);
        const t = s?.[0]?.rows[0]?.time;
        return typeof t === 'number' ? t : null;
      },
    });
  }

  async readRaw(q: PeriodQuery & { limit?: number }): Promise<StoredSample[]> {
    assertPeriod(q, 'readRaw');
    const where = `WHERE ${q.siteIds ? `${siteRegex(q.siteIds)} AND ` : ''}time >= ${q.from}ms AND time < ${q.to}ms GROUP BY site_id`;
    const [status, throughput, poll] = await this.#client.query(
      (['status', 'throughput', 'poll'] as const).map((m) => `SELECT * FROM ${this.#rp(RP_RAW, m)} ${where}`),
    );
    const all = joinSamples(status ?? [], throughput ?? [], poll ?? []);
    return q.limit === undefined ? all : all.slice(0, q.limit);
  }

  async latest(): Promise<LatestSample[]> {
    const since = this.#deps.clock.now() - this.#opts.retention.rawDays * DAY;
    // last() per site is cheap; scanning back only to the stalest site's newest sample keeps the
    // ORDER BY time DESC below cheap too (a full 35-day scan takes seconds).
    const [lasts] = await this.#client.query(`SELECT last(ce_reachable) FROM ${this.#rp(RP_RAW, 'status')} WHERE time >= ${since}ms GROUP BY site_id`);
    const times = (lasts ?? []).map((s) => Number(s.rows[0]?.time)).filter(Number.isFinite);
    if (!times.length) return [];
    const from = Math.min(...times);
    const [status, throughput, poll] = await this.#client.query(
      (['status', 'throughput', 'poll'] as const).map((m) => `SELECT * FROM ${this.#rp(RP_RAW, m)} WHERE time >= ${from}ms GROUP BY site_id ORDER BY time DESC LIMIT 1`),
    );
    const t = firstRowBySite(throughput ?? []);
    const p = firstRowBySite(poll ?? []);
    const out: LatestSample[] = [];
    for (const [siteId, s] of firstRowBySite(status ?? [])) {
      // The newest throughput point belongs to this sample only if it has the same instant (a gap has none).
      const same = (r: typeof s | undefined) => (r && r.time === s.time ? r : undefined);
      out.push(latestFromSample(sampleFromPoints({ ...s, site_id: siteId }, same(t.get(siteId)), same(p.get(siteId)))));
    }
    return out.sort((a, b) => (a.siteId < b.siteId ? -1 : a.siteId > b.siteId ? 1 : 0));
  }

  async range(q: RangeQuery): Promise<SeriesPoint[]> {
    const choice = chooseResolution(q, this.#deps.clock.now(), this.#opts.retention.rawDays);
    const site = { site: q.siteId };
    if (choice.stepMs === null) {
      const where = `WHERE site_id = $site AND time >= ${q.from}ms AND time < ${q.to}ms GROUP BY site_id`;
      const [status, throughput] = await this.#client.query(
        [`SELECT * FROM ${this.#rp(RP_RAW, 'status')} ${where}`, `SELECT * FROM ${this.#rp(RP_RAW, 'throughput')} ${where}`],
        { placeholders: site },
      );
      return joinSamples(status ?? [], throughput ?? [], []).map((s) =>
        toSeriesPoint(partialFromRow({
          bucket: s.at, samples: 1, reachable: s.ceReachable ? 1 : 0,
          in_count: s.inBps === null ? 0 : 1, in_sum: s.inBps, in_max: s.inBps,
          out_count: s.outBps === null ? 0 : 1, out_sum: s.outBps, out_max: s.outBps,
          in_util_count: s.inUtilPct === null ? 0 : 1, in_util_sum: s.inUtilPct,
          out_util_count: s.outUtilPct === null ? 0 : 1, out_util_sum: s.outUtilPct,
        })),
      );
    }
    const step = choice.stepMs;
    const from = bucketStart(q.from, step);
    const to = bucketCeil(q.to, step);
    if (choice.resolution === 'raw') return (await this.#rawBuckets(q.siteId, from, to, step)).map((r) => toSeriesPoint(partialFromRow(r)));
    const level = choice.resolution;
    const split = Math.min(Math.max(this.#rollups.watermarks[level] ?? from, from), to);
    const stored = split > from
      ? ((await this.#client.query(
          `SELECT ${ROLLUP_AS_PARTIAL} FROM ${this.#rp(RP_ROLLUP, rollupMeasurement(level))} WHERE site_id = $site AND time >= ${from}ms AND time < ${split}ms`,
          { placeholders: site },
        ))[0] ?? [])
      : [];
    const storedRows = mergeByTime(stored);
    // Buckets the rollup job has not reached yet come straight from raw samples.
    const tail = split < to ? await this.#rawBuckets(q.siteId, split, to, LEVEL_MS[level]) : [];
    return mergeIntoSteps([...storedRows, ...tail].map(partialFromRow), step);
  }

  async #rawBuckets(siteId: string, from: number, to: number, stepMs: number): Promise<Record<string, number | null>[]> {
    const off = influxOffsetMs(stepMs);
    const group = `GROUP BY time(${stepMs}ms${off ? `, ${off}ms` : ''}) fill(none)`;
    const where = `WHERE site_id = $site AND time >= ${from}ms AND time < ${to}ms`;
    const answers = await this.#client.query(
      [
        `SELECT count(ce_reachable) AS samples, sum(ce_reachable) AS reachable FROM ${this.#rp(RP_RAW, 'status')} ${where} ${group}`,
        `SELECT ${RATE_AGGREGATES} FROM ${this.#rp(RP_RAW, 'throughput')} ${where} ${group}`,
      ],
      { placeholders: { site: siteId } },
    );
    return mergeByTime(...answers);
  }

  usage(q: PeriodQuery): Promise<UsageSummary[]> {
    return this.#periods.usage(q);
  }

  timeAbove(q: PeriodQuery & { thresholdPct: number }): Promise<{ siteId: string; seconds: number }[]> {
    return this.#periods.timeAbove(q);
  }

  completeness(q: PeriodQuery & { intervalSec: number }): Promise<Completeness[]> {
    return this.#periods.completeness(q);
  }

  health(): StoreHealth {
    const q = this.#queue;
    return { backend: 'influx', ok: q !== null && q.lastError === null, backlog: q?.backlog ?? 0, lastError: q?.lastError ?? null, lastWriteAt: q?.lastSentAt ?? null };
  }
}
