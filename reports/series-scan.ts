import { capacityFindings, type CapacityFinding as SeriesFinding } from '../outage/capacity.js';
import type { OutageConfig } from '../outage/config-schema.js';
import type { SeriesPoint } from '../store/metric-store.js';
import type { ReportCharts, ThroughputSeries } from './pdf-charts.js';
import type { CapacityFinding, CircuitReport } from './report-model.js';
import type { ReportSource } from './report-source.js';

/**
 * One pass over each circuit's series (MetricStore.range) for the two things the summary
 * figures cannot give: capacity findings, by the outage stage's detector (a flat ceiling below
 * nominal, i.e. a policer at the wrong rate; sustained saturation), and the chart points.
 * The series is read at hourly resolution: a monthly report is about sustained behaviour
 * (a ceiling held for hours, saturation for hours), and reading 120 circuits' 5-minute buckets
 * (a million rows a month) took longer than the whole PDF may take; hourly means are also what
 * "sustained" asks for: a burst of minutes is diluted in its hour. The detector's hole
 * tolerance is widened to the step (and to the poll interval, when polls are sparser), so a
 * finding here means: hourly means pressed flat against one ceiling for the configured hours
 * on several days, or at or above the saturation threshold for at least the configured time.
 */

export type CapacityConfig = OutageConfig['capacity'];

const HOUR = 3600;
const DAY = 86_400;
const PARALLEL = 8;

export const SCAN_STEP_SEC = HOUR;
/** Hourly points on a month's chart; daily ones for longer ranges (a year of hours is more ink than information). */
export const chartStepSec = (days: number): number => (days <= 62 ? HOUR : DAY);

/** Mean utilization per chart step, weighted by the samples behind each point. */
export function chartPoints(points: readonly SeriesPoint[], stepSec: number, origin: number): ThroughputSeries['points'] {
  const buckets = new Map<number, { n: number; inSum: number; inN: number; outSum: number; outN: number }>();
  for (const p of points) {
    const at = origin + Math.floor((p.at - origin) / (stepSec * 1000)) * stepSec * 1000;
    const b = buckets.get(at) ?? { n: 0, inSum: 0, inN: 0, outSum: 0, outN: 0 };
    const w = Math.max(1, p.samples);
    if (p.inUtilPct !== null) {
      b.inSum += p.inUtilPct * w;
      b.inN += w;
    }
    if (p.outUtilPct !== null) {
      b.outSum += p.outUtilPct * w;
      b.outN += w;
    }
    buckets.set(at, b);
  }
  return [...buckets.entries()]
    .sort((a, b) => a[0] - b[0])
    .map(([at, b]) => ({ at, inPct: b.inN ? b.inSum / b.inN : null, outPct: b.outN ? b.outSum / b.outN : null }));
}

/** The detector's findings of one circuit, one line per kind and direction for the report. */
export function summarizeFindings(c: Pick<CircuitReport, 'siteId' | 'siteName' | 'bandwidthMbps'>, direction: 'in' | 'out', found: readonly SeriesFinding[]): CapacityFinding[] {
  const out: CapacityFinding[] = [];
  for (const kind of ['policer-ceiling', 'saturated'] as const) {
    const of = found.filter((f) => f.kind === kind);
    if (!of.length) continue;
    const hours = of.reduce((s, f) => s + (f.to - f.from), 0) / 3_600_000;
    let level: number;
    let pct: number;
    if (kind === 'policer-ceiling') {
      // The highest ceiling seen in the period: what the policer lets through.
      level = Math.max(...of.map((f) => (f.kind === 'policer-ceiling' ? f.ceilingBps : 0))) / 1e6;
      pct = (100 * level) / c.bandwidthMbps;
    } else {
      pct = of.reduce((s, f) => s + (f.kind === 'saturated' ? f.meanPct : 0), 0) / of.length;
      level = (pct / 100) * c.bandwidthMbps;
    }
    out.push({
      siteId: c.siteId,
      siteName: c.siteName,
      kind,
      direction,
      occurrences: of.length,
      hours,
      observedMbps: level,
      pctOfNominal: pct,
      first: new Date(of[0]!.from).toISOString(),
      last: new Date(of[of.length - 1]!.to).toISOString(),
    });
  }
  return out;
}

export interface SeriesScan {
  findings: CapacityFinding[];
  charts: ReportCharts;
}

/** A circuit to scan: who it is and its in-service window. */
export interface ScanTarget {
  siteId: string;
  siteName: string;
  siteNameEn: string | null;
  bandwidthMbps: number;
  window: { from: number; to: number };
}

export async function scanSeries(
  source: ReportSource,
  active: readonly ScanTarget[],
  period: { from: number; to: number; days: number },
  opts: { capacity: CapacityConfig; thresholdPct: number },
): Promise<SeriesScan> {
  const stepSec = SCAN_STEP_SEC;
  const chartStep = chartStepSec(period.days);
  // A hole is a missing point the series should have had: not the spacing of a slow poll (the detector allows for its step).
  const cfg = { ...opts.capacity, maxGapSec: Math.max(opts.capacity.maxGapSec, 1.5 * source.pollIntervalSec) };
  const series: ThroughputSeries[] = new Array(active.length);
  const findings: CapacityFinding[][] = new Array(active.length);
  let next = 0;
  // A few circuits at a time: an InfluxDB backend is asked neither 120 times in a row nor all at once.
  const worker = async () => {
    while (next < active.length) {
      const i = next++;
      const c = active[i]!;
      const points = await source.metrics.range({ siteId: c.siteId, from: c.window.from, to: c.window.to, stepSec });
      const nominal = c.bandwidthMbps * 1e6;
      findings[i] = [
        ...summarizeFindings(c, 'in', capacityFindings(points.map((p) => ({ at: p.at, bps: p.inBps })), nominal, stepSec, cfg)),
        ...summarizeFindings(c, 'out', capacityFindings(points.map((p) => ({ at: p.at, bps: p.outBps })), nominal, stepSec, cfg)),
      ];
      series[i] = { siteId: c.siteId, siteName: c.siteName, siteNameEn: c.siteNameEn, points: chartPoints(points, chartStep, period.from) };
    }
  };
  await Promise.all(Array.from({ length: Math.min(PARALLEL, active.length) }, worker));
  return {
    findings: findings.flat(),
    charts: { stepSec: chartStep, from: period.from, to: period.to, thresholdPct: opts.thresholdPct, series },
  };
}
