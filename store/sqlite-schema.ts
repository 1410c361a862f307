import type { RollupLevel } from './resolution.js';

/**
 * Tables of the embedded metric store. Raw samples and rollups are keyed (site_id, time)
 * WITHOUT ROWID: a second write of the same sample replaces the first (as in InfluxDB), a
 * site's range is one index range, and "all sites in a time window" is one seek per site
 * (`site_id IN (SELECT site_id FROM latest)`) instead of a second index that would halve the
 * write rate.
 */

const RAW_COLUMNS = `
  circuit_id TEXT NOT NULL,
  rtt_ms REAL,
  ce_reachable INTEGER NOT NULL,
  headend_reachable INTEGER NOT NULL,
  wan_oper INTEGER,
  wan_admin INTEGER,
  headend_oper INTEGER,
  in_bps REAL,
  out_bps REAL,
  in_util REAL,
  out_util REAL,
  in_errors REAL,
  out_errors REAL,
  in_discards REAL,
  out_discards REAL,
  gap TEXT`;

/** avg = sum / count: sums and counts merge exactly from 5-minute to hourly to daily. */
const ROLLUP_COLUMNS = `
  samples INTEGER NOT NULL,
  reachable INTEGER NOT NULL,
  gaps INTEGER NOT NULL,
  in_count INTEGER NOT NULL, in_sum REAL, in_min REAL, in_max REAL,
  out_count INTEGER NOT NULL, out_sum REAL, out_min REAL, out_max REAL,
  in_util_count INTEGER NOT NULL, in_util_sum REAL, in_util_min REAL, in_util_max REAL,
  out_util_count INTEGER NOT NULL, out_util_sum REAL, out_util_min REAL, out_util_max REAL,
  rtt_count INTEGER NOT NULL, rtt_sum REAL, rtt_max REAL`;

/**
 * The day's 5-minute means, packed as float64 (native byte order): a month's 95th percentile
 * for 120 sites reads 3,720 daily rows instead of a million 5-minute rows.
 */
const DAY_VECTOR_COLUMNS = `,
  in_means BLOB, out_means BLOB`;

export const rollupTable = (level: RollupLevel): string => `rollup_${level}`;

export const METRIC_MIGRATIONS: readonly string[] = [
  `CREATE TABLE raw_sample (site_id TEXT NOT NULL, at INTEGER NOT NULL, ${RAW_COLUMNS}, PRIMARY KEY (site_id, at)) WITHOUT ROWID;
   CREATE TABLE latest (site_id TEXT NOT NULL PRIMARY KEY, at INTEGER NOT NULL, ${RAW_COLUMNS}) WITHOUT ROWID;
   ${(['5m', '1h', '1d'] as const)
     .map((l) => `CREATE TABLE ${rollupTable(l)} (site_id TEXT NOT NULL, bucket INTEGER NOT NULL, ${ROLLUP_COLUMNS}${l === '1d' ? DAY_VECTOR_COLUMNS : ''}, PRIMARY KEY (site_id, bucket)) WITHOUT ROWID;`)
     .join('\n')}
   CREATE TABLE rollup_watermark (level TEXT NOT NULL PRIMARY KEY, watermark INTEGER NOT NULL);
   CREATE TABLE rollup_dirty (id INTEGER PRIMARY KEY, from_at INTEGER NOT NULL, to_at INTEGER NOT NULL);`,
  // Which remote collector took the sample (issue 14); NULL for the center's own polls and older rows.
  `ALTER TABLE raw_sample ADD COLUMN vantage TEXT;
   ALTER TABLE latest ADD COLUMN vantage TEXT;`,
];

export const RAW_INSERT_COLUMNS = [
  'site_id', 'at', 'circuit_id', 'rtt_ms', 'ce_reachable', 'headend_reachable', 'wan_oper', 'wan_admin', 'headend_oper',
  'in_bps', 'out_bps', 'in_util', 'out_util', 'in_errors', 'out_errors', 'in_discards', 'out_discards', 'gap', 'vantage',
] as const;

const ROLLUP_VALUE_COLUMNS =
  'samples, reachable, gaps, in_count, in_sum, in_min, in_max, out_count, out_sum, out_min, out_max, ' +
  'in_util_count, in_util_sum, in_util_min, in_util_max, out_util_count, out_util_sum, out_util_min, out_util_max, rtt_count, rtt_sum, rtt_max';

const ORIGIN_SQL = '(-28800000)';

/** Aggregates raw samples in [?1, ?2) into `bucketMs` buckets (aligned like bucketStart()). */
export function rollupFromRawSql(level: RollupLevel, bucketMs: number): string {
  return `INSERT INTO ${rollupTable(level)} (site_id, bucket, ${ROLLUP_VALUE_COLUMNS})
    SELECT site_id, ((at - ${ORIGIN_SQL}) / ${bucketMs}) * ${bucketMs} + ${ORIGIN_SQL} AS b,
      COUNT(*), SUM(ce_reachable), SUM(gap IS NOT NULL OR (in_bps IS NULL AND out_bps IS NULL)),
      COUNT(in_bps), SUM(in_bps), MIN(in_bps), MAX(in_bps),
      COUNT(out_bps), SUM(out_bps), MIN(out_bps), MAX(out_bps),
      COUNT(in_util), SUM(in_util), MIN(in_util), MAX(in_util),
      COUNT(out_util), SUM(out_util), MIN(out_util), MAX(out_util),
      COUNT(rtt_ms), SUM(rtt_ms), MAX(rtt_ms)
    FROM raw_sample
    WHERE site_id IN (SELECT site_id FROM latest) AND at >= ? AND at < ?
    GROUP BY site_id, b`;
}

/** Merges the finer rollup's buckets in [?1, ?2) into `bucketMs` buckets. */
export function rollupFromRollupSql(level: RollupLevel, source: RollupLevel, bucketMs: number): string {
  return `INSERT INTO ${rollupTable(level)} (site_id, bucket, ${ROLLUP_VALUE_COLUMNS})
    SELECT site_id, ((bucket - ${ORIGIN_SQL}) / ${bucketMs}) * ${bucketMs} + ${ORIGIN_SQL} AS b,
      SUM(samples), SUM(reachable), SUM(gaps),
      SUM(in_count), SUM(in_sum), MIN(in_min), MAX(in_max),
      SUM(out_count), SUM(out_sum), MIN(out_min), MAX(out_max),
      SUM(in_util_count), SUM(in_util_sum), MIN(in_util_min), MAX(in_util_max),
      SUM(out_util_count), SUM(out_util_sum), MIN(out_util_min), MAX(out_util_max),
      SUM(rtt_count), SUM(rtt_sum), MAX(rtt_max)
    FROM ${rollupTable(source)}
    WHERE site_id IN (SELECT site_id FROM latest) AND bucket >= ? AND bucket < ?
    GROUP BY site_id, b`;
}

/**
 * The same aggregates as a rollup row, computed from raw samples on the fly: serves the
 * range query's buckets the rollup job has not reached yet, and steps under 5 minutes.
 */
export function rawBucketsSql(bucketMs: number): string {
  return `SELECT ((at - ${ORIGIN_SQL}) / ${bucketMs}) * ${bucketMs} + ${ORIGIN_SQL} AS bucket,
      COUNT(*) AS samples, SUM(ce_reachable) AS reachable,
      COUNT(in_bps) AS in_count, SUM(in_bps) AS in_sum, MAX(in_bps) AS in_max,
      COUNT(out_bps) AS out_count, SUM(out_bps) AS out_sum, MAX(out_bps) AS out_max,
      COUNT(in_util) AS in_util_count, SUM(in_util) AS in_util_sum,
      COUNT(out_util) AS out_util_count, SUM(out_util) AS out_util_sum
    FROM raw_sample WHERE site_id = ? AND at >= ? AND at < ? GROUP BY bucket ORDER BY bucket`;
}

export function rollupBucketsSql(level: RollupLevel): string {
  return `SELECT bucket, samples, reachable, in_count, in_sum, in_max, out_count, out_sum, out_max,
      in_util_count, in_util_sum, out_util_count, out_util_sum
    FROM ${rollupTable(level)} WHERE site_id = ? AND bucket >= ? AND bucket < ? ORDER BY bucket`;
}
