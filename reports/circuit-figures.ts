import type { Incident } from '../core/incident.js';
import type { Site } from '../core/inventory.js';
import type { Completeness, UsageSummary } from '../store/metric-store.js';
import { availabilityPct, carrierDowntime, mttrSec, siteDowntime } from './availability.js';
import { compliance, isUnreportedLine, judgeResponse, lineReporting, reportedIn, type ResponseLimits } from './carrier-response.js';
import { coverage } from './coverage.js';
import { circuitDowntime, clipIncident, zeroDowntime } from './incident-clipping.js';
import type { CircuitReport, IncidentRow, ResponseRow } from './report-model.js';
import { inServiceWindow, termLastDay, type InServiceWindow, type ReportPeriod } from './report-period.js';
import { circuitTargetPct, judgeTarget, type ContractTargets } from './targets.js';
import { completenessFigures, throughputFigures } from './throughput.js';

/** Pure: one circuit's figures from its incidents and the metric store's answers. */

export interface FigureSettings {
  limits: ResponseLimits;
  contractTermMonths: number;
  coverageThresholdPct: number;
  targets: ContractTargets;
}

const iso = (t: number): string => new Date(t).toISOString();

export const siteLabel = (s: Pick<Site, 'name'> | undefined, fallback: string): string => s?.name ?? fallback;

/** Incidents that concern a site: its own and the fleet-wide ones. */
export function incidentsOf(siteId: string, all: readonly Incident[]): Incident[] {
  return all.filter((i) => i.siteId === siteId || i.siteId === null);
}

export function windowOf(site: Site, period: ReportPeriod, asOf: number, termMonths: number): InServiceWindow | null {
  return inServiceWindow(period, asOf, site.circuit.activationDate, termMonths);
}

export interface CircuitMetrics {
  usage: UsageSummary | undefined;
  secondsAbove: number;
  completeness: Completeness | undefined;
}

export function circuitFigures(
  site: Site,
  window: InServiceWindow | null,
  incidents: readonly Incident[],
  metrics: CircuitMetrics,
  ctx: { period: ReportPeriod; asOf: number; now: number; pollIntervalSec: number; settings: FigureSettings },
): CircuitReport {
  const own = incidents.filter((i) => i.siteId === site.id);
  const down = window ? circuitDowntime(incidents, window, ctx.asOf) : { downtimeSec: zeroDowntime(), monitoringGapSec: 0 };
  const inServiceSec = window?.seconds ?? 0;
  const ownOutagesInWindow = window ? own.filter((i) => i.kind === 'outage' && clipIncident(i, window, ctx.asOf)) : [];
  const judged = reportedIn(own, ctx.period).map((i) => judgeResponse(i.carrierReportedAt!, i.carrierRespondedAt, ctx.now, ctx.settings.limits));
  const completeness = completenessFigures(window ? metrics.completeness : undefined);
  const cov = coverage(inServiceSec, completeness.samples, ctx.pollIntervalSec, ctx.settings.coverageThresholdPct);
  return {
    siteId: site.id,
    siteName: site.name,
    siteNameEn: site.nameEn,
    division: site.division,
    circuitId: site.circuit.id,
    bandwidthMbps: site.circuit.bandwidthMbps,
    activationDate: site.circuit.activationDate,
    termLastDay: termLastDay(site.circuit.activationDate, ctx.settings.contractTermMonths),
    inService: window && { from: iso(window.from), to: iso(window.to), seconds: window.seconds, days: window.seconds / 86_400 },
    coverage: cov,
    downtimeSec: down.downtimeSec,
    monitoringGapSec: down.monitoringGapSec,
    carrierAvailabilityPct: availabilityPct(carrierDowntime(down.downtimeSec), cov.monitoredSec),
    siteAvailabilityPct: availabilityPct(siteDowntime(down.downtimeSec), cov.monitoredSec),
    incidents: ownOutagesInWindow.length,
    openIncidents: ownOutagesInWindow.filter((i) => i.endedAt === null).length,
    mttrLineSec: mttrSec(own, { from: ctx.period.from, to: ctx.asOf }),
    responses: compliance(judged, lineReporting(ownOutagesInWindow)),
    target: judgeTarget(circuitTargetPct(ctx.settings.targets, site.circuit.id), carrierDowntime(down.downtimeSec), cov),
    throughput: throughputFigures(window ? metrics.usage : undefined, site.circuit.bandwidthMbps, window ? metrics.secondsAbove : 0),
    completeness,
  };
}

/** The incident table: every incident with a part in the period, split at its boundaries. */
export function incidentRows(all: readonly Incident[], sitesById: ReadonlyMap<string, Site>, period: ReportPeriod, asOf: number, fleetLabel: string): IncidentRow[] {
  const rows: IncidentRow[] = [];
  for (const i of all) {
    const c = clipIncident(i, period, asOf);
    if (!c) continue;
    const approved = i.corrections.filter((k) => k.approvedAt !== null && k.approvedBy !== null).sort((a, b) => a.approvedAt! - b.approvedAt!).at(-1);
    rows.push({
      id: i.id,
      siteId: i.siteId,
      siteName: i.siteId === null ? fleetLabel : siteLabel(sitesById.get(i.siteId), i.siteId),
      circuitId: i.circuitId,
      kind: i.kind,
      responsibility: i.responsibility,
      verdict: i.verdict,
      rule: i.rule,
      startedAt: iso(i.startedAt),
      endedAt: i.endedAt === null ? null : iso(i.endedAt),
      open: i.endedAt === null,
      periodFrom: iso(c.from),
      periodTo: iso(c.to),
      periodSec: c.seconds,
      durationSec: i.endedAt === null ? null : (i.endedAt - i.startedAt) / 1000,
      startsBeforePeriod: c.startsBefore,
      endsAfterPeriod: c.endsAfter,
      flaps: i.flaps,
      evidence: i.evidence.map((e) => ({ at: iso(e.at), kind: e.kind, ...(e.params ? { params: e.params } : {}), ...(e.detail ? { detail: e.detail } : {}) })),
      unreported: isUnreportedLine(i),
      correction: approved
        ? { responsibility: approved.responsibility, reason: approved.reason, proposedBy: approved.proposedBy, approvedBy: approved.approvedBy!, approvedAt: iso(approved.approvedAt!) }
        : null,
      maintenanceWindowId: i.maintenanceWindowId,
      groupEventId: i.groupEventId,
    });
  }
  return rows.sort((a, b) => (a.startedAt < b.startedAt ? -1 : a.startedAt > b.startedAt ? 1 : a.id < b.id ? -1 : 1));
}

export function responseRows(all: readonly Incident[], sitesById: ReadonlyMap<string, Site>, period: ReportPeriod, now: number, limits: ResponseLimits, fleetLabel: string): ResponseRow[] {
  return reportedIn(all, period).map((i) => {
    const j = judgeResponse(i.carrierReportedAt!, i.carrierRespondedAt, now, limits);
    return {
      incidentId: i.id,
      siteId: i.siteId,
      siteName: i.siteId === null ? fleetLabel : siteLabel(sitesById.get(i.siteId), i.siteId),
      responsibility: i.responsibility,
      reportedAt: iso(i.carrierReportedAt!),
      respondedAt: i.carrierRespondedAt === null ? null : iso(i.carrierRespondedAt),
      responseSec: j.responseSec,
      status: j.status,
    };
  });
}
