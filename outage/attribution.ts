import type { Evidence, Responsibility, VerdictStatus } from '../core/incident.js';
import type { SeenSignals, Signal } from './signals.js';

/** Incidents that are not circuit outages: someone could not see, and says so. */
export type GapCause = 'management-plane-hang' | 'noc-isolation' | 'demarc-down';

/** Everything the decision table may look at for one incident; built by the tracker. */
export interface AttributionFacts {
  /** The incident is over (recovery confirmed, window ended, gap closed). */
  closed: boolean;
  seen: SeenSignals;
  /** The observation log, from which a decision cites its evidence. */
  evidence: readonly Evidence[];
  gap: GapCause | null;
  /** An approved correction (proposal + second person's approval). */
  correction: { responsibility: Responsibility; approvedBy: string; approvedAt: number; reason: string } | null;
  /** A window for this site or its carrier_group registered before the outage began and covering its start. */
  plannedWindow: { id: string; carrierNoticeRef: string; endsAt: number } | null;
  /** This incident is the part of a planned outage that ran past its window. */
  overrunOfWindow: { id: string; endedAt: number } | null;
  groupEventId: string | null;
}

export interface Decision {
  responsibility: Responsibility;
  verdict: VerdictStatus;
  rule: string;
  /** One sentence a contract manager can read. */
  reason: string;
  evidence: Evidence[];
}

interface Rule {
  rule: string;
  responsibility: Responsibility;
  /** Contract clauses the rule rests on. */
  clauses: string;
  when: (f: AttributionFacts) => boolean;
  reason: (f: AttributionFacts) => string;
  cites: readonly (Signal | string)[];
}

const has = (f: AttributionFacts, s: Signal) => f.seen[s] !== undefined;
const ceStayedUp = (f: AttributionFacts) => has(f, 'uptime-continuous') || has(f, 'agent-restart');
/** Not reachable in-band, and not over OOB either while the outage lasted. */
const ceSilentEverywhere = (f: AttributionFacts) => !has(f, 'oob-reachable');
const cpeSeesCeSideDown = (f: AttributionFacts) => has(f, 'cpe-customer-port-down') && ceSilentEverywhere(f);
const deviceEvidence = (f: AttributionFacts) => has(f, 'ce-rebooted') || has(f, 'ce-replaced') || cpeSeesCeSideDown(f);
const carrierSideEvidence = (f: AttributionFacts) => has(f, 'cpe-line-down') || has(f, 'oob-wan-down');
const lineCutEvidence = (f: AttributionFacts) =>
  has(f, 'wan-change-inside') || has(f, 'headend-down') || has(f, 'trap:linkDown');

/**
 * The decision table, read top to bottom: the first rule whose condition holds decides.
 * Direct evidence from the equipment itself comes before inference; evidence that names the
 * customer's side comes before the group-level presumption of a carrier fault. The same table
 * is written out for people in docs/attribution.md; keep them in step.
 */
export const DECISION_TABLE: readonly Rule[] = [
  {
    rule: 'operator-correction',
    responsibility: 'undetermined',
    clauses: 'security annex 11',
    when: (f) => f.correction !== null,
    reason: (f) => `corrected by an operator and approved by ${f.correction!.approvedBy}: ${f.correction!.reason}`,
    cites: ['correction-proposed', 'correction-approved'],
  },
  {
    rule: 'noc-isolation',
    responsibility: 'monitoring',
    clauses: '',
    when: (f) => f.gap === 'noc-isolation',
    reason: () => 'the NOC lost sight of the head-end or of nearly every site at once: demarc could not see, nobody is charged',
    cites: ['noc-isolation'],
  },
  {
    rule: 'demarc-down',
    responsibility: 'monitoring',
    clauses: '',
    when: (f) => f.gap === 'demarc-down',
    reason: () => 'demarc itself was not running, and nothing seen after its restart tells what happened meanwhile',
    cites: ['demarc-down'],
  },
  {
    rule: 'management-plane-hang',
    responsibility: 'device',
    clauses: '3.1.10',
    when: (f) => f.gap === 'management-plane-hang',
    reason: () => 'the CE stopped answering SNMP while the circuit kept carrying traffic: a monitoring gap on the customer side, not downtime',
    cites: ['ce-unreachable', 'headend-up-moving'],
  },
  {
    rule: 'planned-maintenance',
    responsibility: 'planned',
    clauses: '7.6, 7.7',
    when: (f) => f.plannedWindow !== null,
    reason: (f) => `inside carrier maintenance announced in advance (notice ${f.plannedWindow!.carrierNoticeRef})`,
    cites: ['maintenance-window'],
  },
  {
    rule: 'oob-wan-admin-down',
    responsibility: 'device',
    clauses: '3.1.10, 7.5',
    when: (f) => has(f, 'oob-wan-admin-down'),
    reason: () => "over the out-of-band path the CE reported its WAN port administratively shut down: the customer's configuration",
    cites: ['oob-reachable', 'oob-wan-admin-down'],
  },
  {
    rule: 'conflicting-evidence',
    responsibility: 'undetermined',
    clauses: '3.2.6, 7.5',
    when: (f) => deviceEvidence(f) && carrierSideEvidence(f),
    reason: () => 'the evidence points both ways (the CE went down and the carrier side reported the line down): an operator must decide',
    cites: ['ce-rebooted', 'cpe-customer-port-down', 'cpe-line-down', 'oob-wan-down'],
  },
  {
    // Before ce-rebooted and line-cut: the returning unit's uptime says nothing of the old one
    // (a replacement booted on the bench first looks "continuous").
    rule: 'ce-replaced',
    responsibility: 'device',
    clauses: '3.1.10, 7.5',
    when: (f) => has(f, 'ce-replaced'),
    reason: () => "the CE came back as another unit (discovery saw its serial or model change): the customer's equipment was replaced during the outage",
    cites: ['ce-unreachable', 'ce-replaced'],
  },
  {
    rule: 'ce-rebooted',
    responsibility: 'device',
    clauses: '3.1.10, 7.5',
    when: (f) => has(f, 'ce-rebooted'),
    reason: () => 'the CE came back with an uptime shorter than the outage: it lost power or failed (site power and the CE are the customer side)',
    cites: ['ce-unreachable', 'ce-rebooted', 'trap:dyingGasp', 'trap:coldStart'],
  },
  {
    rule: 'cpe-customer-port-down',
    responsibility: 'device',
    clauses: '3.2.6, 3.1.10',
    when: cpeSeesCeSideDown,
    reason: () => "the carrier CPE answered and saw its port towards the CE down while the CE was silent: the fault is on the customer's side of the boundary",
    cites: ['cpe-customer-port-down', 'ce-unreachable'],
  },
  {
    rule: 'dying-gasp',
    responsibility: 'device',
    clauses: '3.1.10, 7.5',
    when: (f) => has(f, 'trap:dyingGasp') && !ceStayedUp(f),
    reason: () => 'the site sent a dying-gasp trap (power failing) and the CE has not shown it stayed up',
    cites: ['trap:dyingGasp'],
  },
  {
    rule: 'cpe-line-down',
    responsibility: 'line',
    clauses: '3.2.6',
    when: (f) => has(f, 'cpe-line-down'),
    reason: () => "the carrier CPE answered and reported its line-side port down: the carrier's side of the boundary",
    cites: ['cpe-line-down'],
  },
  {
    rule: 'oob-wan-down',
    responsibility: 'line',
    clauses: '3.2.6',
    when: (f) => has(f, 'oob-wan-down'),
    reason: () => 'over the out-of-band path the CE was up, its WAN port enabled but without link: the line beyond it failed',
    cites: ['oob-reachable', 'oob-wan-down'],
  },
  {
    rule: 'maintenance-overrun',
    responsibility: 'line',
    clauses: '7.6',
    when: (f) => f.overrunOfWindow !== null,
    reason: () => 'carrier maintenance ran past the end of its announced window; the overrun was not announced',
    cites: ['maintenance-overrun'],
  },
  {
    rule: 'mass-outage',
    responsibility: 'line',
    clauses: '3.2.6',
    when: (f) => f.groupEventId !== null,
    reason: () => 'many sites on the same carrier aggregation node went down together: a carrier network fault, and this site has no evidence of its own against it',
    cites: ['mass-outage'],
  },
  {
    rule: 'line-cut',
    responsibility: 'line',
    clauses: '3.2.6',
    when: (f) => ceStayedUp(f) && lineCutEvidence(f),
    reason: () => 'the CE stayed up through the outage while its WAN link or the head-end interface went down: the line failed',
    cites: ['uptime-continuous', 'agent-restart', 'wan-change-inside', 'headend-down', 'trap:linkDown'],
  },
  {
    rule: 'ce-silent-on-all-paths',
    responsibility: 'device',
    clauses: '3.1.10',
    when: (f) => has(f, 'oob-unreachable') && !has(f, 'oob-reachable') && !has(f, 'ce-returned'),
    reason: () => 'the CE answers neither over the circuit nor over its out-of-band path: it or its power is down (to be confirmed when it returns)',
    cites: ['ce-unreachable', 'oob-unreachable'],
  },
  {
    rule: 'awaiting-recovery',
    responsibility: 'undetermined',
    clauses: '',
    when: (f) => !has(f, 'ce-returned'),
    reason: () => 'the CE has not returned yet; its uptime will tell whether it stayed up (line) or went down (device)',
    cites: ['ce-unreachable', 'headend-down', 'headend-unreachable', 'cpe-unreachable'],
  },
  {
    rule: 'unplaced-break',
    responsibility: 'undetermined',
    clauses: '3.2.6',
    when: ceStayedUp,
    reason: () => 'the CE stayed up, its WAN port did not change and the head-end never saw the circuit down: the break cannot be placed on either side',
    cites: ['uptime-continuous', 'agent-restart'],
  },
  {
    rule: 'no-uptime',
    responsibility: 'undetermined',
    clauses: '',
    when: () => true,
    reason: () => 'the CE returned without an uptime demarc could compare, and no other signal decides',
    cites: ['ce-returned', 'uptime-unknown'],
  },
];

/** The verdict for one incident from its facts: pure, the same facts give the same answer. */
export function decide(f: AttributionFacts): Decision {
  const row = DECISION_TABLE.find((r) => r.when(f))!;
  const responsibility = row.rule === 'operator-correction' ? f.correction!.responsibility : row.responsibility;
  const verdict: VerdictStatus = f.closed || f.correction !== null ? 'final' : 'provisional';
  const evidence = f.evidence.filter((e) => row.cites.includes(e.kind));
  return { responsibility, verdict, rule: row.rule, reason: row.reason(f), evidence };
}
