import type { Incident } from '../core/incident.js';
import type { Completeness, UsageSummary } from '../store/metric-store.js';
import type { ResponseLimits } from './carrier-response.js';
import type { ReportCharts } from './pdf-charts.js';
import { circuitFigures, incidentRows, incidentsOf, responseRows, windowOf } from './circuit-figures.js';
import { fleetSummary, monthOnMonth, periodCore } from './fleet-summary.js';
import { clipIncident } from './incident-clipping.js';
import { REPORT_SCHEMA, type CircuitReport, type MonthlyReport } from './report-model.js';
import { DAY_MS, previousMonth, type InServiceWindow, type ReportPeriod } from './report-period.js';
import type { ReportSource } from './report-source.js';
import { scanSeries, type CapacityConfig } from './series-scan.js';
import type { ContractTargets } from './targets.js';
import type { ContractTerms } from '../inventory/circuit-register.js';
import { contractReport } from './contract-section.js';
import { calendarKnown, countWorkingDays } from './working-days.js';

export interface ReportSettings {
  limits: ResponseLimits;
  utilizationThresholdPct: number;
  contractTermMonths: number;
  worstCount: number;
  /** The outage stage's capacity thresholds (outage.capacity). */
  capacity: CapacityConfig;
  /** Label for fleet-wide incidents (NOC isolation) in the tables. */
  fleetLabel: string;
  /** Below this share of monitored in-service time a period is incomplete (reports.coverageThresholdPct). */
  coverageThresholdPct: number;
  targets: ContractTargets;
  /** The contract's register terms (register: in demarc.yaml) for the contract section. */
  contractTerms: ContractTerms;
}

export interface BuiltReport {
  report: MonthlyReport;
  /** The throughput series for the PDF's chart pages (not part of the report data). */
  charts: ReportCharts;
}

/**
 * Builds the report from the source: the only function here that does I/O. It reads the
 * incidents once, asks the metric store once per distinct in-service window (circuits that
 * started or ended their term inside the period get their own window), reads each circuit's
 * series once (capacity findings, charts), and leaves every figure to the pure functions.
 */
export async function buildReport(source: ReportSource, period: ReportPeriod, now: number, settings: ReportSettings): Promise<BuiltReport> {
  const asOf = Math.min(period.to, now);
  const all = await overlapping(source, period, asOf);
  const windows = new Map(source.sites.map((s) => [s.id, windowOf(s, period, asOf, settings.contractTermMonths)]));
  const days = (period.to - period.from) / DAY_MS;
  // The series scan and the summary queries are independent: with InfluxDB they overlap.
  const targets = source.sites.flatMap((s) => {
    const window = windows.get(s.id);
    return window ? [{ siteId: s.id, siteName: s.name, siteNameEn: s.nameEn, bandwidthMbps: s.circuit.bandwidthMbps, window }] : [];
  });
  const scanning = scanSeries(source, targets, { from: period.from, to: period.to, days }, { capacity: settings.capacity, thresholdPct: settings.utilizationThresholdPct });
  // Awaited below; if a summary query fails first, its failure is the one reported, not an unhandled rejection.
  scanning.catch(() => undefined);
  const metrics = await metricsByWindow(source, windows, settings.utilizationThresholdPct, 'all');
  const ctx = { period, asOf, now, pollIntervalSec: source.pollIntervalSec, settings };

  const circuits: CircuitReport[] = source.sites.map((s) =>
    circuitFigures(s, windows.get(s.id) ?? null, incidentsOf(s.id, all), {
      usage: metrics.usage.get(s.id),
      secondsAbove: metrics.above.get(s.id) ?? 0,
      completeness: metrics.completeness.get(s.id),
    }, ctx),
  );

  let mom = null;
  if (period.kind === 'month') {
    const prev = previousMonth(period);
    const prevAsOf = Math.min(prev.to, now);
    const prevAll = await overlapping(source, prev, prevAsOf);
    const prevWindows = new Map(source.sites.map((s) => [s.id, windowOf(s, prev, prevAsOf, settings.contractTermMonths)]));
    // The month before needs its coverage too: a comparison with a month demarc did not see is none.
    const prevMetrics = await metricsByWindow(source, prevWindows, settings.utilizationThresholdPct, 'completeness');
    const prevCircuits = source.sites.map((s) =>
      circuitFigures(s, prevWindows.get(s.id) ?? null, incidentsOf(s.id, prevAll), { usage: undefined, secondsAbove: 0, completeness: prevMetrics.completeness.get(s.id) }, { ...ctx, period: prev, asOf: prevAsOf }),
    );
    mom = monthOnMonth(
      periodCore(period.label, circuits, all, period, asOf, now, settings.limits, settings.coverageThresholdPct),
      periodCore(prev.label, prevCircuits, prevAll, prev, prevAsOf, now, settings.limits, settings.coverageThresholdPct),
    );
  }

  const sitesById = new Map(source.sites.map((s) => [s.id, s]));
  const scan = await scanning;
  const firstYear = Number(period.firstDay.slice(0, 4));
  const years = Array.from({ length: Number(period.lastDay.slice(0, 4)) - firstYear + 1 }, (_, i) => firstYear + i);
  const report: MonthlyReport = {
    schema: REPORT_SCHEMA,
    generatedAt: new Date(now).toISOString(),
    period: {
      kind: period.kind,
      label: period.label,
      firstDay: period.firstDay,
      lastDay: period.lastDay,
      from: new Date(period.from).toISOString(),
      to: new Date(period.to).toISOString(),
      asOf: new Date(asOf).toISOString(),
      days,
      workingDays: countWorkingDays(period.firstDay, period.lastDay),
      workingDayCalendarKnown: years.every(calendarKnown),
    },
    settings: {
      responseLimitHours: settings.limits.limitHours,
      strictResponseLimitHours: settings.limits.strictLimitHours,
      utilizationThresholdPct: settings.utilizationThresholdPct,
      contractTermMonths: settings.contractTermMonths,
      pollIntervalSec: source.pollIntervalSec,
      coverageThresholdPct: settings.coverageThresholdPct,
      targets: { circuitAvailabilityPct: settings.targets.circuitAvailabilityPct, fleetAvailabilityPct: settings.targets.fleetAvailabilityPct, responseCompliancePct: settings.targets.responseCompliancePct },
    },
    summary: fleetSummary(circuits, all, { period, asOf, now, limits: settings.limits, worstCount: settings.worstCount, mom, coverageThresholdPct: settings.coverageThresholdPct, targets: settings.targets }),
    circuits,
    incidents: incidentRows(all, sitesById, period, asOf, settings.fleetLabel),
    responses: responseRows(all, sitesById, period, now, settings.limits, settings.fleetLabel),
    findings: scan.findings,
    contract: contractReport(source.sites, period, settings.contractTerms),
  };
  return { report, charts: scan.charts };
}

/** The source's answer, trimmed to incidents that really overlap (a repository may round its query). */
async function overlapping(source: ReportSource, period: ReportPeriod, asOf: number): Promise<Incident[]> {
  const list = await source.incidents.overlapping(period.from, asOf);
  return list.filter((i) => clipIncident(i, period, asOf) !== null || (i.carrierReportedAt !== null && i.carrierReportedAt >= period.from && i.carrierReportedAt < period.to));
}

interface WindowMetrics {
  usage: Map<string, UsageSummary>;
  above: Map<string, number>;
  completeness: Map<string, Completeness>;
}

async function metricsByWindow(source: ReportSource, windows: ReadonlyMap<string, InServiceWindow | null>, thresholdPct: number, what: 'all' | 'completeness'): Promise<WindowMetrics> {
  const groups = new Map<string, { from: number; to: number; siteIds: string[] }>();
  for (const [siteId, w] of windows) {
    if (!w) continue;
    const key = `${w.from}-${w.to}`;
    const g = groups.get(key) ?? { from: w.from, to: w.to, siteIds: [] };
    g.siteIds.push(siteId);
    groups.set(key, g);
  }
  const out: WindowMetrics = { usage: new Map(), above: new Map(), completeness: new Map() };
  for (const g of groups.values()) {
    const q = { from: g.from, to: g.to, siteIds: g.siteIds };
    const [usage, above, completeness] = await Promise.all([
      what === 'all' ? source.metrics.usage(q) : [],
      what === 'all' ? source.metrics.timeAbove({ ...q, thresholdPct }) : [],
      source.metrics.completeness({ ...q, intervalSec: source.pollIntervalSec }),
    ]);
    for (const u of usage) out.usage.set(u.siteId, u);
    for (const a of above) out.above.set(a.siteId, a.seconds);
    for (const c of completeness) out.completeness.set(c.siteId, c);
  }
  return out;
}
