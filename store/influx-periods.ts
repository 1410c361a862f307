import type { InfluxClient, InfluxSeries } from './influx-client.js';
import { RP_ROLLUP, quoteIdent, rollupMeasurement, siteRegex } from './influx-schema.js';
import { tagSet } from './line-protocol.js';
import type { Completeness, PeriodQuery, UsageSummary } from './metric-store.js';
import { BUCKET_SECONDS, UsageAccumulator, assertPeriod, completenessRow, emptyUsage, expectedSamples, periodSites } from './period-summary.js';
import { DAY, bucketCeil, bucketStart } from './resolution.js';
import type { Watermarks } from './rollup-plan.js';

/**
 * Period queries of the InfluxDB store, shaped like the embedded store's: whole days below the
 * daily watermark come from rollup_1d (sums, peaks) and `day_means` (each site-day's 5-minute
 * means packed as base64 float64, written by the rollup job), the partial days at the ends from
 * rollup_5m. The 95th percentile is then taken in JS with the shared percentile() — the same
 * rank rule as InfluxDB's PERCENTILE(), which over a month of rollup_5m needs about 15 s on the
 * 2-core reference machine where this needs well under one.
 */

export const DAY_MEANS = 'day_means';

const num = (v: unknown): number | null => (typeof v === 'number' ? v : null);
const pack = (values: number[]): string => Buffer.from(Float64Array.from(values).buffer).toString('base64');
function unpack(v: unknown): Float64Array {
  if (typeof v !== 'string' || v === '') return new Float64Array(0);
  const b = Buffer.from(v, 'base64');
  return new Float64Array(b.buffer.slice(b.byteOffset, b.byteOffset + b.byteLength));
}

export class InfluxPeriods {
  constructor(
    private readonly client: InfluxClient,
    private readonly watermarks: () => Watermarks,
    private readonly inventorySiteIds: () => string[],
  ) {}

  #m(measurement: string): string {
    return `${quoteIdent(this.client.database)}.${quoteIdent(RP_ROLLUP)}.${quoteIdent(measurement)}`;
  }

  /** Writes the day_means points of the days in [from, to) from their 5-minute rollup rows. */
  async buildDayMeans(from: number, to: number): Promise<void> {
    const [series] = await this.client.query(
      `SELECT in_bps_sum, in_bps_count, out_bps_sum, out_bps_count FROM ${this.#m(rollupMeasurement('5m'))} WHERE time >= ${from}ms AND time < ${to}ms GROUP BY *`,
    );
    const lines: string[] = [];
    for (const s of series ?? []) {
      const days = new Map<number, { ins: number[]; outs: number[] }>();
      for (const r of s.rows) {
        const day = bucketStart(Number(r.time), DAY);
        const d = days.get(day) ?? { ins: [], outs: [] };
        const [is, ic, os, oc] = [num(r.in_bps_sum), num(r.in_bps_count), num(r.out_bps_sum), num(r.out_bps_count)];
        if (is !== null && ic) d.ins.push(is / ic);
        if (os !== null && oc) d.outs.push(os / oc);
        days.set(day, d);
      }
      const tags = tagSet({ siteId: s.tags.site_id ?? '', circuitId: s.tags.circuit_id ?? '' }, { division: s.tags.division ?? '', carrierGroup: s.tags.carrier_group ?? '' });
      for (const [day, d] of days) lines.push(`${DAY_MEANS},${tags} in_bps_means="${pack(d.ins)}",out_bps_means="${pack(d.outs)}" ${day}`);
    }
    for (let i = 0; i < lines.length; i += 500) await this.client.write(lines.slice(i, i + 500), RP_ROLLUP);
  }

  async usage(q: PeriodQuery): Promise<UsageSummary[]> {
    assertPeriod(q, 'usage');
    const sites = periodSites(q, this.inventorySiteIds());
    if (!sites.length) return [];
    const acc = new Map(sites.map((s) => [s, new UsageAccumulator()]));
    const wm = this.watermarks();
    const dayFrom = bucketCeil(q.from, DAY);
    const dayTo = Math.min(bucketStart(q.to, DAY), wm['1d'] ?? -Infinity);
    const edges: [number, number][] = dayTo > dayFrom ? [[q.from, dayFrom], [dayTo, q.to]] : [[q.from, q.to]];
    const end5m = wm['5m'] ?? q.from;
    const where = (a: number, b: number) => `WHERE ${siteRegex(sites)} AND time >= ${a}ms AND time < ${b}ms GROUP BY site_id`;
    const statements: string[] = [];
    if (dayTo > dayFrom) {
      statements.push(
        `SELECT sum(in_bps_sum) AS in_sum, sum(in_bps_count) AS in_count, max(in_bps_max) AS in_max, sum(out_bps_sum) AS out_sum, sum(out_bps_count) AS out_count, max(out_bps_max) AS out_max FROM ${this.#m(rollupMeasurement('1d'))} ${where(dayFrom, dayTo)}`,
        `SELECT in_bps_means FROM ${this.#m(DAY_MEANS)} ${where(dayFrom, dayTo)}`,
        `SELECT out_bps_means FROM ${this.#m(DAY_MEANS)} ${where(dayFrom, dayTo)}`,
      );
    }
    for (const [a, b] of edges) {
      const bb = Math.min(b, end5m);
      if (bb > a)
        statements.push(
          `SELECT in_bps_sum AS in_sum, in_bps_count AS in_count, in_bps_max AS in_max, out_bps_sum AS out_sum, out_bps_count AS out_count, out_bps_max AS out_max FROM ${this.#m(rollupMeasurement('5m'))} ${where(a, bb)}`,
        );
    }
    if (!statements.length) return sites.map(emptyUsage);
    // One request per statement, in parallel: influxd encodes each answer on its own core.
    const answers = (await Promise.all(statements.map((st) => this.client.query(st)))).map((a) => a[0] ?? []);
    const buckets = (series: InfluxSeries[]) => {
      for (const s of series)
        for (const r of s.rows)
          acc.get(s.tags.site_id ?? '')?.add({
            inCount: num(r.in_count) ?? 0, inSum: num(r.in_sum), inMax: num(r.in_max),
            outCount: num(r.out_count) ?? 0, outSum: num(r.out_sum), outMax: num(r.out_max),
          });
    };
    if (dayTo > dayFrom) {
      const [totals, inMeans, outMeans, ...rest] = answers;
      const none = new Float64Array(0);
      for (const s of totals ?? [])
        for (const r of s.rows)
          acc.get(s.tags.site_id ?? '')?.addDay(
            { inCount: num(r.in_count) ?? 0, inSum: num(r.in_sum), inMax: num(r.in_max), outCount: num(r.out_count) ?? 0, outSum: num(r.out_sum), outMax: num(r.out_max) },
            none,
            none,
          );
      const zero = { inCount: 0, inSum: null, inMax: null, outCount: 0, outSum: null, outMax: null };
      for (const s of inMeans ?? []) for (const r of s.rows) acc.get(s.tags.site_id ?? '')?.addDay(zero, unpack(r.in_bps_means), none);
      for (const s of outMeans ?? []) for (const r of s.rows) acc.get(s.tags.site_id ?? '')?.addDay(zero, none, unpack(r.out_bps_means));
      for (const e of rest) buckets(e);
    } else for (const e of answers) buckets(e);
    return sites.map((s) => acc.get(s)!.summary(s));
  }

  /** Aggregates over the 5-minute rollup, up to the job's watermark (like the embedded store). */
  async #fiveMinute(q: PeriodQuery, select: string, extraWhere = ''): Promise<{ sites: string[]; bySite: Map<string, Record<string, number | null>> }> {
    const sites = periodSites(q, this.inventorySiteIds());
    const bySite = new Map<string, Record<string, number | null>>();
    const end = Math.min(q.to, this.watermarks()['5m'] ?? q.from);
    if (!sites.length || end <= q.from) return { sites, bySite };
    const [series] = await this.client.query(
      `SELECT ${select} FROM ${this.#m(rollupMeasurement('5m'))} WHERE ${siteRegex(sites)} AND time >= ${q.from}ms AND time < ${end}ms${extraWhere} GROUP BY site_id`,
    );
    for (const s of series ?? []) {
      const row = s.rows[0];
      if (s.tags.site_id && row) bySite.set(s.tags.site_id, Object.fromEntries(Object.entries(row).map(([k, v]) => [k, num(v)])));
    }
    return { sites, bySite };
  }

  async timeAbove(q: PeriodQuery & { thresholdPct: number }): Promise<{ siteId: string; seconds: number }[]> {
    assertPeriod(q, 'timeAbove');
    if (!Number.isFinite(q.thresholdPct)) throw new Error(`timeAbove: thresholdPct must be a number, got ${q.thresholdPct}`);
    const n = String(q.thresholdPct);
    const { sites, bySite } = await this.#fiveMinute(q, 'count(samples) AS n', ` AND (in_util_pct_mean > ${n} OR out_util_pct_mean > ${n})`);
    return sites.map((siteId) => ({ siteId, seconds: (bySite.get(siteId)?.n ?? 0) * BUCKET_SECONDS }));
  }

  async completeness(q: PeriodQuery & { intervalSec: number }): Promise<Completeness[]> {
    assertPeriod(q, 'completeness');
    const expected = expectedSamples(q.from, q.to, q.intervalSec);
    const { sites, bySite } = await this.#fiveMinute(q, 'sum(samples) AS samples, sum(gaps) AS gaps');
    return sites.map((s) => completenessRow(s, expected, bySite.get(s)?.samples ?? 0, bySite.get(s)?.gaps ?? 0));
  }
}
