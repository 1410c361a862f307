import type { Clock } from '../core/clock.js';
import type { SeriesPoint, StoreHealth } from '../core/events.js';
import type { Site } from '../core/inventory.js';
import type { Logger } from '../core/logger.js';
import type { CircuitSample } from '../core/sample.js';
import type { StoredSample } from './stored-sample.js';

export type { StoredSample } from './stored-sample.js';
export type { SeriesPoint, StoreHealth } from '../core/events.js';

/**
 * Where samples go and the queries the dashboard and the reports ask of them.
 * Two backends implement it (embedded SQLite, InfluxDB 1.x) and both must pass the one
 * contract suite in test/store/contract.ts. Instants are epoch ms UTC.
 */
export interface MetricStore {
  readonly backend: 'embedded' | 'influx';
  /** Creates schema / retention policies / continuous queries; idempotent. */
  init(): Promise<void>;
  /**
   * Accepts a batch; it is durable once the promise resolves: committed (embedded) or
   * fsynced to the spill journal in front of InfluxDB (influx; delivered asynchronously, see
   * health().backlog). Invalid values (NaN, bad time) are refused with SampleRejectedError
   * naming site and time, after the rest of the batch is stored.
   */
  write(samples: readonly CircuitSample[]): Promise<void>;
  /**
   * Writes already-reduced samples (migration between backends, spill replay). Same
   * idempotence as write(): one sample per (site, at), a second write replaces the first.
   */
  writeRaw(rows: readonly StoredSample[]): Promise<void>;
  /** Raw samples with from <= at < to, ordered by (at, siteId); for migration. */
  readRaw(q: PeriodQuery & { limit?: number }): Promise<StoredSample[]>;
  /**
   * Produces 5-minute, hourly and daily rollups of every complete bucket up to `now`,
   * recomputes buckets that received late samples, and applies retention. Idempotent and
   * resumable: it keeps a watermark, and running it twice (or again after a crash) gives
   * the same rows. The embedded store needs it on a schedule; for InfluxDB it backfills
   * what the continuous queries cannot see (history, replayed spill).
   */
  runRollups(now: number): Promise<RollupReport>;
  /** Delivers what is pending (influx: waits for the journal to drain, bounded by a timeout); call on SIGTERM. */
  flush(): Promise<void>;
  close(): Promise<void>;

  /** Latest stored sample per site within raw retention, sorted by site id (after a restart, before the first cycle). */
  latest(): Promise<LatestSample[]>;
  /**
   * One site's series. Without stepSec: every raw sample in [from, to). With stepSec: buckets
   * of the step chosen by chooseResolution() (store/resolution.ts), aligned to Asia/Shanghai
   * midnight, every bucket that overlaps [from, to), each aggregating all its samples; empty
   * buckets are left out (a gap shows as a gap, not as zero).
   */
  range(q: RangeQuery): Promise<SeriesPoint[]>;
  /**
   * Per site, over the 5-minute buckets starting in [from, to) that the rollup job has closed:
   * avg = mean of all samples, peak = highest single sample, p95 = 95th percentile of the
   * 5-minute means by InfluxDB's PERCENTILE rule (rank floor(n·0.95 + 0.5), see percentile()).
   * One row per site asked for (default: the inventory), sorted by site id.
   */
  usage(q: PeriodQuery): Promise<UsageSummary[]>;
  /** 300 s for every 5-minute bucket (as in usage) whose mean in or out utilization is above thresholdPct (strictly). */
  timeAbove(q: PeriodQuery & { thresholdPct: number }): Promise<{ siteId: string; seconds: number }[]>;
  /** expected = floor((to - from) / interval); samples and gaps (isGap()) in the 5-minute buckets as in usage. */
  completeness(q: PeriodQuery & { intervalSec: number }): Promise<Completeness[]>;
  health(): StoreHealth;
}

export interface LatestSample {
  siteId: string;
  at: number;
  ceReachable: boolean;
  wanOper: string | null;
  headendOper: string | null;
  inBps: number | null;
  outBps: number | null;
  inUtilPct: number | null;
  outUtilPct: number | null;
  rttMs: number | null;
}

export interface RangeQuery {
  siteId: string;
  from: number;
  to: number;
  /** Wanted spacing of points in seconds; the store picks the coarsest resolution that fits. */
  stepSec?: number;
}


export interface PeriodQuery {
  from: number;
  to: number;
  siteIds?: readonly string[];
}

export interface UsageSummary {
  siteId: string;
  inAvgBps: number | null;
  outAvgBps: number | null;
  inPeakBps: number | null;
  outPeakBps: number | null;
  inP95Bps: number | null;
  outP95Bps: number | null;
}

export interface Completeness {
  siteId: string;
  expected: number;
  samples: number;
  /** Samples whose rates were a gap (reboot, wrap, unreachable). */
  gaps: number;
}

export interface RollupReport {
  /** 5-minute buckets (per site) written or rewritten by this run. */
  buckets5m: number;
  /** Watermark of the 5-minute rollup after the run (end of the last complete bucket). */
  watermark: number | null;
  /** Raw rows and rollup rows removed by retention (embedded only; InfluxDB expires shards itself). */
  expired: number;
}


/** What every store is constructed with: the inventory gives the InfluxDB tags and the default site list of period queries. */
export interface MetricStoreDeps {
  logger: Logger;
  clock: Clock;
  sites: readonly Site[];
}
