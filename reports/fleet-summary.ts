import { RESPONSIBILITIES, type Incident, type Responsibility } from '../core/incident.js';
import { availabilityPct, carrierDowntime, delta, mttrSec, siteDowntime, sumDowntime, worstCircuits } from './availability.js';
import { compliance, judgeResponse, reportedIn, type ResponseLimits } from './carrier-response.js';
import { clipIncident } from './incident-clipping.js';
import type { CircuitReport, DowntimeBy, FleetSummary, MonthOnMonth } from './report-model.js';
import type { ReportPeriod } from './report-period.js';
import { sumCompleteness } from './throughput.js';

/** Pure: the fleet's figures from the circuits' figures and the period's incidents. */

export interface FleetTotals {
  circuitsInService: number;
  inServiceSec: number;
  downtimeSec: DowntimeBy;
  monitoringGapSec: number;
  carrierAvailabilityPct: number | null;
  siteAvailabilityPct: number | null;
}

/** Fleet availability is time-weighted: all circuits' downtime over all circuits' in-service time. */
export function fleetTotals(circuits: readonly CircuitReport[]): FleetTotals {
  const inService = circuits.filter((c) => c.inService !== null);
  const inServiceSec = inService.reduce((s, c) => s + c.inService!.seconds, 0);
  const downtimeSec = sumDowntime(inService.map((c) => c.downtimeSec));
  return {
    circuitsInService: inService.length,
    inServiceSec,
    downtimeSec,
    monitoringGapSec: inService.reduce((s, c) => s + c.monitoringGapSec, 0),
    carrierAvailabilityPct: availabilityPct(carrierDowntime(downtimeSec), inServiceSec),
    siteAvailabilityPct: availabilityPct(siteDowntime(downtimeSec), inServiceSec),
  };
}

/** Outages with a part in the period, each counted once (a fleet-wide incident is one incident). */
export function incidentCounts(all: readonly Incident[], period: ReportPeriod, asOf: number): FleetSummary['incidents'] {
  const inPeriod = all.filter((i) => i.kind === 'outage' && clipIncident(i, period, asOf));
  const byResponsibility = Object.fromEntries(RESPONSIBILITIES.map((r) => [r, 0])) as Record<Responsibility, number>;
  for (const i of inPeriod) byResponsibility[i.responsibility]++;
  return { total: inPeriod.length, open: inPeriod.filter((i) => i.endedAt === null).length, byResponsibility };
}

export function responseCompliance(all: readonly Incident[], period: ReportPeriod, now: number, limits: ResponseLimits): FleetSummary['responses'] {
  return compliance(reportedIn(all, period).map((i) => judgeResponse(i.carrierReportedAt!, i.carrierRespondedAt, now, limits)));
}

export interface PeriodCore {
  label: string;
  carrierAvailabilityPct: number | null;
  siteAvailabilityPct: number | null;
  lineDownSec: number;
  incidents: number;
  compliancePct: number | null;
}

export function periodCore(label: string, circuits: readonly CircuitReport[], all: readonly Incident[], period: ReportPeriod, asOf: number, now: number, limits: ResponseLimits): PeriodCore {
  const t = fleetTotals(circuits);
  return {
    label,
    carrierAvailabilityPct: t.carrierAvailabilityPct,
    siteAvailabilityPct: t.siteAvailabilityPct,
    lineDownSec: t.downtimeSec.line,
    incidents: incidentCounts(all, period, asOf).total,
    compliancePct: responseCompliance(all, period, now, limits).compliancePct,
  };
}

export function monthOnMonth(current: PeriodCore, previous: PeriodCore): MonthOnMonth {
  return {
    previousLabel: previous.label,
    previous: {
      carrierAvailabilityPct: previous.carrierAvailabilityPct,
      siteAvailabilityPct: previous.siteAvailabilityPct,
      lineDownSec: previous.lineDownSec,
      incidents: previous.incidents,
      compliancePct: previous.compliancePct,
    },
    delta: {
      carrierAvailabilityPct: delta(current.carrierAvailabilityPct, previous.carrierAvailabilityPct),
      siteAvailabilityPct: delta(current.siteAvailabilityPct, previous.siteAvailabilityPct),
      lineDownSec: current.lineDownSec - previous.lineDownSec,
      incidents: current.incidents - previous.incidents,
      compliancePct: delta(current.compliancePct, previous.compliancePct),
    },
  };
}

export function fleetSummary(
  circuits: readonly CircuitReport[],
  all: readonly Incident[],
  ctx: { period: ReportPeriod; asOf: number; now: number; limits: ResponseLimits; worstCount: number; mom: MonthOnMonth | null },
): FleetSummary {
  const t = fleetTotals(circuits);
  return {
    circuitsInInventory: circuits.length,
    circuitsInService: t.circuitsInService,
    inServiceSec: t.inServiceSec,
    carrierAvailabilityPct: t.carrierAvailabilityPct,
    siteAvailabilityPct: t.siteAvailabilityPct,
    downtimeSec: t.downtimeSec,
    monitoringGapSec: t.monitoringGapSec,
    worst: worstCircuits(
      circuits.map((c) => ({ siteId: c.siteId, siteName: c.siteName, circuitId: c.circuitId, carrierAvailabilityPct: c.carrierAvailabilityPct, lineDownSec: c.downtimeSec.line })),
      ctx.worstCount,
    ),
    incidents: incidentCounts(all, ctx.period, ctx.asOf),
    mttrLineSec: mttrSec(all, { from: ctx.period.from, to: ctx.asOf }),
    responses: responseCompliance(all, ctx.period, ctx.now, ctx.limits),
    completeness: sumCompleteness(circuits.filter((c) => c.inService !== null).map((c) => c.completeness)),
    monthOnMonth: ctx.mom,
  };
}
