import { createHash } from 'node:crypto';
import { LEVEL_MS, influxOffsetMs, type RollupLevel } from './resolution.js';
import { MEASUREMENTS } from './line-protocol.js';

/**
 * The InfluxDB layout demarc creates (and README documents for Grafana users):
 * - retention policy `raw` (default; rawDays): measurements throughput, status, poll;
 * - retention policy `rollup` (rollupDays): measurements rollup_5m, rollup_1h, rollup_1d;
 * - continuous queries that keep the rollups current; the same SELECT ... INTO statements,
 *   with a time range, are what the rollup job runs to backfill history and late samples.
 */

export const RP_RAW = 'raw';
export const RP_ROLLUP = 'rollup';
export const rollupMeasurement = (l: RollupLevel) => `rollup_${l}`;

const q = (name: string) => `"${name.replace(/"/g, '\\"')}"`;
const interval = (l: RollupLevel) => {
  const off = influxOffsetMs(LEVEL_MS[l]);
  return `time(${LEVEL_MS[l] / 1000}s${off ? `, ${off / 1000}s` : ''})`;
};

const stats = (f: string, with5: ('mean' | 'sum' | 'count' | 'min' | 'max')[]) =>
  with5.map((fn) => `${fn}(${f}) AS ${f}_${fn}`).join(', ');

/** 5-minute aggregates of each raw measurement; all three write into the same rollup points. */
const FROM_RAW: Record<keyof typeof MEASUREMENTS, string> = {
  throughput: ['in_bps', 'out_bps', 'in_util_pct', 'out_util_pct'].map((f) => stats(f, ['mean', 'sum', 'count', 'min', 'max'])).join(', '),
  status: 'count(ce_reachable) AS samples, sum(ce_reachable) AS reachable',
  poll: `sum(gap) AS gaps, ${stats('rtt_ms', ['mean', 'sum', 'count', 'max'])}`,
};

/** Hourly from 5-minute and daily from hourly: sums and counts add up, so means stay exact. */
const cascade = (f: string) =>
  `sum(${f}_sum) AS ${f}_sum, sum(${f}_count) AS ${f}_count, min(${f}_min) AS ${f}_min, max(${f}_max) AS ${f}_max, sum(${f}_sum) / sum(${f}_count) AS ${f}_mean`;
const FROM_ROLLUP = [
  ...['in_bps', 'out_bps', 'in_util_pct', 'out_util_pct'].map(cascade),
  'sum(samples) AS samples, sum(reachable) AS reachable, sum(gaps) AS gaps',
  'sum(rtt_ms_sum) AS rtt_ms_sum, sum(rtt_ms_count) AS rtt_ms_count, max(rtt_ms_max) AS rtt_ms_max, sum(rtt_ms_sum) / sum(rtt_ms_count) AS rtt_ms_mean',
].join(', ');

const SOURCE: Record<RollupLevel, RollupLevel | null> = { '5m': null, '1h': '5m', '1d': '1h' };

/** The SELECT ... INTO statements that produce one level, optionally limited to [from, to). */
export function rollupStatements(db: string, level: RollupLevel, range?: { from: number; to: number }): string[] {
  const where = range ? ` WHERE time >= ${range.from}ms AND time < ${range.to}ms` : '';
  const into = `${q(db)}.${q(RP_ROLLUP)}.${q(rollupMeasurement(level))}`;
  const src = SOURCE[level];
  if (src !== null)
    return [`SELECT ${FROM_ROLLUP} INTO ${into} FROM ${q(db)}.${q(RP_ROLLUP)}.${q(rollupMeasurement(src))}${where} GROUP BY ${interval(level)}, *`];
  return (Object.keys(FROM_RAW) as (keyof typeof MEASUREMENTS)[]).map(
    (m) => `SELECT ${FROM_RAW[m]} INTO ${into} FROM ${q(db)}.${q(RP_RAW)}.${q(MEASUREMENTS[m])}${where} GROUP BY ${interval(level)}, *`,
  );
}

/** How far back each continuous query looks again, so samples up to that late still count. */
const RESAMPLE: Record<RollupLevel, string> = { '5m': 'RESAMPLE EVERY 5m FOR 15m', '1h': 'RESAMPLE EVERY 1h FOR 3h', '1d': 'RESAMPLE EVERY 1h FOR 2d' };

export interface ContinuousQuery {
  name: string;
  query: string;
  resample: string;
}

/**
 * The continuous queries demarc wants. A name carries a hash of its text: init() creates the
 * missing ones and drops demarc's others, so a changed definition replaces the old one.
 */
export function continuousQueries(db: string): ContinuousQuery[] {
  return (['5m', '1h', '1d'] as const).flatMap((level) =>
    rollupStatements(db, level).map((query, i) => {
      const hash = createHash('sha256').update(query).digest('hex').slice(0, 8);
      return { name: `demarc_${level}_${i}_${hash}`, query, resample: RESAMPLE[level] };
    }),
  );
}

export const isDemarcCq = (name: string) => name.startsWith('demarc_');

/** Site filter for InfluxQL: an anchored regex of escaped site ids. */
export function siteRegex(siteIds: readonly string[]): string {
  const alt = siteIds.map((s) => s.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')).join('|');
  return `site_id =~ /^(?:${alt})$/`;
}

export const quoteIdent = q;
