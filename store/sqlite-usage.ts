import type Database from 'better-sqlite3';
import type { UsageSummary } from './metric-store.js';
import { UsageAccumulator, emptyUsage } from './period-summary.js';
import { DAY, bucketCeil, bucketStart } from './resolution.js';

/**
 * usage() for the embedded store. Whole days below the daily watermark are read from
 * rollup_1d (sums, peaks and the packed 5-minute means); the partial days at either end come
 * from rollup_5m. The answer is the same as reading every 5-minute row, about ten times faster.
 */

const pack = (values: number[]): Buffer => Buffer.from(Float64Array.from(values).buffer);
const unpack = (b: Buffer | null): Float64Array =>
  b === null ? new Float64Array(0) : new Float64Array(b.buffer.slice(b.byteOffset, b.byteOffset + b.byteLength));

/** Stores each day's 5-minute means in its rollup_1d row; run by the rollup job after the daily rows of [from, to). */
export function fillDayVectors(db: Database.Database, from: number, to: number): void {
  const rows = db
    .prepare(`SELECT site_id, bucket, in_count, in_sum, out_count, out_sum FROM rollup_5m
      WHERE site_id IN (SELECT site_id FROM latest) AND bucket >= ? AND bucket < ? ORDER BY site_id, bucket`)
    .raw()
    // all(), not iterate(): the connection cannot run the UPDATEs while a read cursor is open.
    .all(from, to) as [string, number, number, number | null, number, number | null][];
  const update = db.prepare('UPDATE rollup_1d SET in_means = ?, out_means = ? WHERE site_id = ? AND bucket = ?');
  let key: [string, number] | null = null;
  let ins: number[] = [];
  let outs: number[] = [];
  const emit = () => {
    if (key) update.run(pack(ins), pack(outs), key[0], key[1]);
    ins = [];
    outs = [];
  };
  for (const [site, bucket, inCount, inSum, outCount, outSum] of rows) {
    const day = bucketStart(bucket, DAY);
    if (!key || key[0] !== site || key[1] !== day) {
      emit();
      key = [site, day];
    }
    if (inCount > 0 && inSum !== null) ins.push(inSum / inCount);
    if (outCount > 0 && outSum !== null) outs.push(outSum / outCount);
  }
  emit();
}

export function usageFromRollups(db: Database.Database, sites: readonly string[], from: number, to: number, dailyWatermark: number | undefined): UsageSummary[] {
  const acc = new Map(sites.map((s) => [s, new UsageAccumulator()]));
  const siteJson = JSON.stringify(sites);
  const dayFrom = bucketCeil(from, DAY);
  const dayTo = Math.min(bucketStart(to, DAY), dailyWatermark ?? -Infinity);
  const edges: [number, number][] = dayTo > dayFrom ? [[from, dayFrom], [dayTo, to]] : [[from, to]];

  if (dayTo > dayFrom) {
    const days = db
      .prepare(`SELECT site_id, in_count, in_sum, in_max, out_count, out_sum, out_max, in_means, out_means FROM rollup_1d
        WHERE site_id IN (SELECT value FROM json_each(?)) AND bucket >= ? AND bucket < ?`)
      .raw()
      .iterate(siteJson, dayFrom, dayTo) as IterableIterator<[string, number, number | null, number | null, number, number | null, number | null, Buffer | null, Buffer | null]>;
    for (const [site, inCount, inSum, inMax, outCount, outSum, outMax, inMeans, outMeans] of days)
      acc.get(site)?.addDay({ inCount, inSum, inMax, outCount, outSum, outMax }, unpack(inMeans), unpack(outMeans));
  }

  const fine = db.prepare(`SELECT site_id, in_count, in_sum, in_max, out_count, out_sum, out_max FROM rollup_5m
    WHERE site_id IN (SELECT value FROM json_each(?)) AND bucket >= ? AND bucket < ?`).raw();
  for (const [a, b] of edges) {
    if (!(b > a)) continue;
    const rows = fine.iterate(siteJson, a, b) as IterableIterator<[string, number, number | null, number | null, number, number | null, number | null]>;
    for (const [site, inCount, inSum, inMax, outCount, outSum, outMax] of rows) acc.get(site)?.add({ inCount, inSum, inMax, outCount, outSum, outMax });
  }
  return sites.map((s) => acc.get(s)?.summary(s) ?? emptyUsage(s));
}
