import type { InfluxRow, InfluxSeries } from './influx-client.js';
import type { StoredSample } from './stored-sample.js';
import { compareSiteIds } from './period-summary.js';

/** Turning InfluxDB answers back into demarc's shapes. */

const num = (v: unknown): number | null => (typeof v === 'number' ? v : null);
const str = (v: unknown): string | null => (typeof v === 'string' ? v : null);

/** Rows of SELECT * ... GROUP BY site_id, keyed `site|time`. */
export function rowsBySample(series: InfluxSeries[]): Map<string, InfluxRow> {
  const out = new Map<string, InfluxRow>();
  for (const s of series) for (const r of s.rows) out.set(`${s.tags.site_id ?? r.site_id}|${r.time}`, { ...r, site_id: s.tags.site_id ?? r.site_id ?? null });
  return out;
}

/** One sample from its status point and, where present, its throughput and poll points. */
export function sampleFromPoints(status: InfluxRow, throughput: InfluxRow | undefined, poll: InfluxRow | undefined): StoredSample {
  const t = throughput ?? {};
  const p = poll ?? {};
  const vantage = str(p.vantage);
  return {
    siteId: String(status.site_id),
    circuitId: str(status.circuit_id) ?? '',
    at: Number(status.time),
    rttMs: num(p.rtt_ms),
    ceReachable: status.ce_reachable === 1,
    headendReachable: status.headend_reachable === 1,
    wanOper: num(status.wan_oper),
    wanAdmin: num(status.wan_admin),
    headendOper: num(status.headend_oper),
    inBps: num(t.in_bps),
    outBps: num(t.out_bps),
    inUtilPct: num(t.in_util_pct),
    outUtilPct: num(t.out_util_pct),
    inErrorsPerSec: num(t.in_errors_ps),
    outErrorsPerSec: num(t.out_errors_ps),
    inDiscardsPerSec: num(t.in_discards_ps),
    outDiscardsPerSec: num(t.out_discards_ps),
    gap: str(p.gap_reason),
    ...(vantage !== null ? { vantage } : {}),
  };
}

/** Joins the three raw measurements into samples, ordered by (at, siteId). */
export function joinSamples(status: InfluxSeries[], throughput: InfluxSeries[], poll: InfluxSeries[]): StoredSample[] {
  const t = rowsBySample(throughput);
  const p = rowsBySample(poll);
  return [...rowsBySample(status).entries()]
    .map(([key, s]) => sampleFromPoints(s, t.get(key), p.get(key)))
    .sort((a, b) => a.at - b.at || compareSiteIds(a.siteId, b.siteId));
}

/** GROUP BY time() answers of several statements, merged by bucket into snake_case partial rows. */
export function mergeByTime(...answers: InfluxSeries[][]): Record<string, number | null>[] {
  const byTime = new Map<number, Record<string, number | null>>();
  for (const series of answers)
    for (const s of series)
      for (const r of s.rows) {
        const at = Number(r.time);
        const row = byTime.get(at) ?? { bucket: at };
        for (const [k, v] of Object.entries(r)) if (k !== 'time') row[k] = num(v);
        byTime.set(at, row);
      }
  return [...byTime.values()].sort((a, b) => (a.bucket ?? 0) - (b.bucket ?? 0));
}

/** First row of each site's series, by site id. */
export function firstRowBySite(series: InfluxSeries[]): Map<string, InfluxRow> {
  const out = new Map<string, InfluxRow>();
  for (const s of series) {
    const id = s.tags.site_id;
    if (id !== undefined && s.rows[0]) out.set(id, s.rows[0]);
  }
  return out;
}
