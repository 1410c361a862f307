import type { TermParams } from '../core/terms.js';
import type { ContractReport } from './contract-section.js';
import type { IncidentKind, Responsibility, VerdictStatus } from '../core/incident.js';

/**
 * The uptime report as data: what every renderer (JSON, CSV, XLSX, PDF) shows, and nothing
 * else. Plain JSON: instants are ISO-8601 UTC strings, durations are seconds, rates Mbit/s,
 * shares percent (0..100). Renderers turn instants into Asia/Shanghai time for people.
 */
export const REPORT_SCHEMA = 'demarc.uptime-report/2';

export type DowntimeBy = Record<Responsibility, number>;

export interface MonthlyReport {
  schema: typeof REPORT_SCHEMA;
  generatedAt: string;
  period: {
    kind: 'month' | 'range';
    label: string;
    firstDay: string;
    lastDay: string;
    from: string;
    to: string;
    /** Where the figures stop: the period's end, or the report time for a period still running. */
    asOf: string;
    days: number;
    /** PRC working days (clause 1.9) in the period, make-up days included. */
    workingDays: number;
    /** False when the holiday calendar for a year of the period is not published yet (weekdays only). */
    workingDayCalendarKnown: boolean;
  };
  settings: {
    responseLimitHours: number;
    strictResponseLimitHours: number;
    utilizationThresholdPct: number;
    contractTermMonths: number;
    pollIntervalSec: number;
    /** Below this coverage a period (fleet or circuit) is incomplete. */
    coverageThresholdPct: number;
    targets: { circuitAvailabilityPct: number; fleetAvailabilityPct: number; responseCompliancePct: number };
  };
  summary: FleetSummary;
  circuits: CircuitReport[];
  incidents: IncidentRow[];
  responses: ResponseRow[];
  findings: CapacityFinding[];
  /** The circuit register as of the period's last day: terms ending, late activations and credits, circuits out of service. */
  contract: ContractReport;
}

export interface FleetSummary {
  circuitsInInventory: number;
  circuitsInService: number;
  inServiceSec: number;
  /** Monitored and unmonitored in-service time of all circuits together; `complete` against the threshold. */
  coverage: Coverage;
  /** 100 × (1 − line downtime / monitored time), over all circuits in service. */
  carrierAvailabilityPct: number | null;
  /** 100 × (1 − downtime of every cause except monitoring / monitored time). */
  siteAvailabilityPct: number | null;
  downtimeSec: DowntimeBy;
  monitoringGapSec: number;
  worst: WorstCircuit[];
  incidents: { total: number; open: number; byResponsibility: Record<Responsibility, number> };
  mttrLineSec: number | null;
  /** MTTR of the outages of each responsibility restored in the period. */
  mttrSec: Record<Responsibility, number | null>;
  responses: ResponseCompliance;
  completeness: CompletenessFigures;
  /** Against the month before; null for a range report. */
  monthOnMonth: MonthOnMonth | null;
  targets: FleetTargets;
}

/**
 * In-service time split into what demarc saw and what it did not. Monitored time is the
 * samples collected (a sample of an unreachable CE counts: demarc was looking) times the poll
 * interval, at most the in-service time; the rest is unmonitored: demarc not running, before
 * its first poll, a management plane that gave no samples.
 */
export interface Coverage {
  inServiceSec: number;
  monitoredSec: number;
  unmonitoredSec: number;
  /** monitored / in-service × 100; null when not in service. */
  pct: number | null;
  /** pct at or above settings.coverageThresholdPct. */
  complete: boolean;
}

/**
 * pass: the target is met over monitored time and coverage is complete. fail: missed over
 * monitored time, or line downtime already exceeds what the whole in-service time allows
 * (no unmonitored time can save it). incomplete: coverage below the threshold and not a
 * certain failure, so no verdict either way.
 */
export type TargetStatus = 'pass' | 'fail' | 'incomplete';

export interface TargetResult {
  targetPct: number;
  actualPct: number | null;
  status: TargetStatus;
  /** Line-side downtime allowed by the target over monitored time, used, and left (negative: overspent), minutes. */
  budget: { allowedMin: number; usedMin: number; leftMin: number };
}

export interface FleetTargets {
  fleet: TargetResult | null;
  circuits: Record<TargetStatus, number>;
  response: { limitHours: number; targetPct: number; actualPct: number | null; status: TargetStatus | 'no-reports' };
}

export interface WorstCircuit {
  siteId: string;
  siteName: string;
  circuitId: string;
  carrierAvailabilityPct: number;
  lineDownSec: number;
}

export interface ResponseCompliance {
  /** Fault reports to the carrier hotline in the period. */
  reported: number;
  responded: number;
  /** No response yet, and the limit has not passed: not counted either way. */
  pending: number;
  withinLimit: number;
  /** Responded late, or no response and the limit has passed. */
  missedLimit: number;
  withinStrict: number;
  missedStrict: number;
  compliancePct: number | null;
  strictCompliancePct: number | null;
  meanResponseSec: number | null;
  /** Line-side outages with a part in the period, and how many of them were never reported to the carrier. */
  lineOutages: number;
  unreportedLine: number;
}

export interface CompletenessFigures {
  expected: number;
  samples: number;
  gaps: number;
  /** samples / expected × 100 (share of expected samples actually collected). */
  pct: number | null;
}

/**
 * Month on month: compared only when both months' coverage is complete; otherwise the
 * report says there is no comparison, and why.
 */
export type MonthOnMonth = MonthCompared | MonthNotCompared;

export interface MonthNotCompared {
  status: 'no-comparison';
  previousLabel: string;
  reason: 'current-incomplete' | 'previous-incomplete' | 'both-incomplete';
  currentCoveragePct: number | null;
  previousCoveragePct: number | null;
}

export interface MonthCompared {
  status: 'compared';
  previousLabel: string;
  previous: {
    carrierAvailabilityPct: number | null;
    siteAvailabilityPct: number | null;
    lineDownSec: number;
    incidents: number;
    compliancePct: number | null;
  };
  /** Current minus previous (percentage points for shares); null when either side is null. */
  delta: {
    carrierAvailabilityPct: number | null;
    siteAvailabilityPct: number | null;
    lineDownSec: number;
    incidents: number;
    compliancePct: number | null;
  };
}

export interface ThroughputFigures {
  inAvgMbps: number | null;
  outAvgMbps: number | null;
  inPeakMbps: number | null;
  outPeakMbps: number | null;
  /** 95th percentile of 5-minute averages (nearest rank), as the metric store computes it. */
  inP95Mbps: number | null;
  outP95Mbps: number | null;
  inP95Pct: number | null;
  outP95Pct: number | null;
  inAvgPct: number | null;
  outAvgPct: number | null;
  hoursAboveThreshold: number;
}

export interface CircuitReport {
  siteId: string;
  siteName: string;
  siteNameEn: string | null;
  division: string;
  circuitId: string;
  bandwidthMbps: number;
  activationDate: string;
  termLastDay: string;
  /** Null when the circuit was not in service at any time of the period. */
  inService: { from: string; to: string; seconds: number; days: number } | null;
  coverage: Coverage;
  downtimeSec: DowntimeBy;
  /** Management-plane gaps: demarc could not see, the circuit carried traffic; not downtime. */
  monitoringGapSec: number;
  carrierAvailabilityPct: number | null;
  siteAvailabilityPct: number | null;
  incidents: number;
  openIncidents: number;
  mttrLineSec: number | null;
  responses: ResponseCompliance;
  /** Null when the circuit was not in service. */
  target: TargetResult | null;
  throughput: ThroughputFigures;
  completeness: CompletenessFigures;
}

export interface IncidentRow {
  id: string;
  siteId: string | null;
  siteName: string;
  circuitId: string | null;
  kind: IncidentKind;
  responsibility: Responsibility;
  verdict: VerdictStatus;
  rule: string;
  startedAt: string;
  endedAt: string | null;
  open: boolean;
  /** The part inside the period (an incident crossing a boundary is split there). */
  periodFrom: string;
  periodTo: string;
  periodSec: number;
  /** Whole incident, start to end; null while open. */
  durationSec: number | null;
  startsBeforePeriod: boolean;
  endsAfterPeriod: boolean;
  flaps: number;
  /** What decided the verdict, as the outage stage recorded it (kinds are named in core/terms.ts). */
  /** As recorded: a kind plus parameters (core/terms.ts renders them); entries older than structured evidence carry only their English detail. */
  evidence: { at: string; kind: string; params?: TermParams; detail?: string }[];
  /** A line-side outage never reported to the carrier (7.4.1): the carrier cannot be held to a response. */
  unreported: boolean;
  /** The approved correction that set the current verdict, if any. */
  correction: { responsibility: Responsibility; reason: string; proposedBy: string; approvedBy: string; approvedAt: string } | null;
  maintenanceWindowId: string | null;
  groupEventId: string | null;
}

export type ResponseStatus = 'met-strict' | 'met' | 'missed' | 'overdue' | 'pending';

export interface ResponseRow {
  incidentId: string;
  siteId: string | null;
  siteName: string;
  responsibility: Responsibility;
  reportedAt: string;
  respondedAt: string | null;
  responseSec: number | null;
  status: ResponseStatus;
}

/**
 * What the outage stage's capacity detector (outage/capacity.ts) found in one circuit's series,
 * per kind and direction: a flat ceiling below nominal (a policer set to the wrong rate), or
 * sustained saturation. Clause 1.8 promises no rate: findings to raise, not breaches.
 */
export interface CapacityFinding {
  siteId: string;
  siteName: string;
  kind: 'policer-ceiling' | 'saturated';
  direction: 'in' | 'out';
  /** Separate stretches found in the period, and their total length. */
  occurrences: number;
  hours: number;
  /** The ceiling (policer) or the mean level while saturated, Mbit/s. */
  observedMbps: number;
  pctOfNominal: number;
  first: string;
  last: string;
}
