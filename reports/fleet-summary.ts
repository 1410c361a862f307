import { RESPONSIBILITIES, type Incident, type Responsibility } from '../core/incident.js';
import { availabilityPct, carrierDowntime, delta, mttrByResponsibility, mttrSec, siteDowntime, sumDowntime, worstCircuits } from './availability.js';
import { compliance, judgeResponse, lineReporting, reportedIn, type ResponseLimits } from './carrier-response.js';
import { sumCoverage } from './coverage.js';
import { clipIncident } from './incident-clipping.js';
import type { CircuitReport, Coverage, DowntimeBy, FleetSummary, MonthOnMonth } from './report-model.js';
import { countStatuses, judgeResponseTarget, judgeTarget, type ContractTargets } from './targets.js';
import type { ReportPeriod } from './report-period.js';
import { sumCompleteness } from './throughput.js';

/** Pure: the fleet's figures from the circuits' figures and the period's incidents. */

export interface FleetTotals {
  circuitsInService: number;
  inServiceSec: number;
  coverage: Coverage;
  downtimeSec: DowntimeBy;
  monitoringGapSec: number;
  carrierAvailabilityPct: number | null;
  siteAvailabilityPct: number | null;
}

/** Fleet availability is time-weighted: all circuits' downtime over all circuits' monitored time. */
export function fleetTotals(circuits: readonly CircuitReport[], coverageThresholdPct: number): FleetTotals {
  const inService = circuits.filter((c) => c.inService !== null);
  const inServiceSec = inService.reduce((s, c) => s + c.inService!.seconds, 0);
  const downtimeSec = sumDowntime(inService.map((c) => c.downtimeSec));
  const cov = sumCoverage(inService.map((c) => c.coverage), coverageThresholdPct);
  return {
    circuitsInService: inService.length,
    inServiceSec,
    coverage: cov,
    downtimeSec,
    monitoringGapSec: inService.reduce((s, c) => s + c.monitoringGapSec, 0),
    carrierAvailabilityPct: availabilityPct(carrierDowntime(downtimeSec), cov.monitoredSec),
    siteAvailabilityPct: availabilityPct(siteDowntime(downtimeSec), cov.monitoredSec),
  };
}

/** Outages with a part in the period. */
const outagesIn = (all: readonly Incident[], period: ReportPeriod, asOf: number): Incident[] => all.filter((i) => i.kind === 'outage' && clipIncident(i, period, asOf));

/** Outages with a part in the period, each counted once (a fleet-wide incident is one incident). */
export function incidentCounts(all: readonly Incident[], period: ReportPeriod, asOf: number): FleetSummary['incidents'] {
  const inPeriod = outagesIn(all, period, asOf);
  const byResponsibility = Object.fromEntries(RESPONSIBILITIES.map((r) => [r, 0])) as Record<Responsibility, number>;
  for (const i of inPeriod) byResponsibility[i.responsibility]++;
  return { total: inPeriod.length, open: inPeriod.filter((i) => i.endedAt === null).length, byResponsibility };
}

export function responseCompliance(all: readonly Incident[], period: ReportPeriod, asOf: number, now: number, limits: ResponseLimits): FleetSummary['responses'] {
  return compliance(reportedIn(all, period).map((i) => judgeResponse(i.carrierReportedAt!, i.carrierRespondedAt, now, limits)), lineReporting(outagesIn(all, period, asOf)));
}

export interface PeriodCore {
  label: string;
  coverage: Coverage;
  carrierAvailabilityPct: number | null;
  siteAvailabilityPct: number | null;
  lineDownSec: number;
  incidents: number;
  compliancePct: number | null;
}

export function periodCore(label: string, circuits: readonly CircuitReport[], all: readonly Incident[], period: ReportPeriod, asOf: number, now: number, limits: ResponseLimits, coverageThresholdPct: number): PeriodCore {
  const t = fleetTotals(circuits, coverageThresholdPct);
  return {
    label,
    coverage: t.coverage,
    carrierAvailabilityPct: t.carrierAvailabilityPct,
    siteAvailabilityPct: t.siteAvailabilityPct,
    lineDownSec: t.downtimeSec.line,
    incidents: incidentCounts(all, period, asOf).total,
    compliancePct: responseCompliance(all, period, asOf, now, limits).compliancePct,
  };
}

/** A month compared with one demarc hardly saw (or the other way round) compares nothing: it says so instead. */
export function monthOnMonth(current: PeriodCore, previous: PeriodCore): MonthOnMonth {
  if (!current.coverage.complete || !previous.coverage.complete) {
    return {
      status: 'no-comparison',
      previousLabel: previous.label,
      reason: !current.coverage.complete && !previous.coverage.complete ? 'both-incomplete' : !current.coverage.complete ? 'current-incomplete' : 'previous-incomplete',
      currentCoveragePct: current.coverage.pct,
      previousCoveragePct: previous.coverage.pct,
    };
  }
  return {
    status: 'compared',
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
  ctx: { period: ReportPeriod; asOf: number; now: number; limits: ResponseLimits; worstCount: number; mom: MonthOnMonth | null; coverageThresholdPct: number; targets: ContractTargets },
): FleetSummary {
  const t = fleetTotals(circuits, ctx.coverageThresholdPct);
  const responses = responseCompliance(all, ctx.period, ctx.asOf, ctx.now, ctx.limits);
  return {
    circuitsInInventory: circuits.length,
    circuitsInService: t.circuitsInService,
    inServiceSec: t.inServiceSec,
    coverage: t.coverage,
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
    mttrSec: mttrByResponsibility(all, { from: ctx.period.from, to: ctx.asOf }),
    responses,
    completeness: sumCompleteness(circuits.filter((c) => c.inService !== null).map((c) => c.completeness)),
    monthOnMonth: ctx.mom,
    targets: {
      fleet: judgeTarget(ctx.targets.fleetAvailabilityPct, t.downtimeSec.line, t.coverage),
      circuits: countStatuses(circuits.map((c) => c.target)),
      response: judgeResponseTarget(responses, ctx.limits.limitHours, ctx.targets.responseCompliancePct),
    },
  };
}
