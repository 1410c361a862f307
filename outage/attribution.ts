import type { Evidence, Responsibility, VerdictStatus } from '../core/incident.js';
import { ruleReason, type TermParams } from '../core/terms.js';
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
  /** The rule's sentence in English (for logs); people read it per language from core/terms.ts. */
  reason: string;
  /** Parameters of the rule's sentence (RULE_REASON_TEMPLATES). */
  reasonParams: TermParams;
  evidence: Evidence[];
}

interface Rule {
  rule: string;
  responsibility: Responsibility;
  /** Contract clauses the rule rests on. */
  clauses: string;
  when: (f: AttributionFacts) => boolean;
  /** Parameters of the rule's sentence; the sentences themselves are in core/terms.ts. */
  params?: (f: AttributionFacts) => TermParams;
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
    params: (f) => ({ approvedBy: f.correction!.approvedBy, reason: f.correction!.reason }),
    cites: ['correction-proposed', 'correction-approved'],
  },
  {
    rule: 'noc-isolation',
    responsibility: 'monitoring',
    clauses: '',
    when: (f) => f.gap === 'noc-isolation',
    cites: ['noc-isolation'],
  },
  {
    rule: 'demarc-down',
    responsibility: 'monitoring',
    clauses: '',
    when: (f) => f.gap === 'demarc-down',
    cites: ['demarc-down'],
  },
  {
    // Before everything the equipment says: the center's readings are its own view. A remote
    // collector near the site that still reached the CE shows the center, not the line, lost it.
    rule: 'center-view-lost',
    responsibility: 'monitoring',
    clauses: '',
    when: (f) => has(f, 'vantage-sees-ce') && !has(f, 'vantage-lost-ce'),
    params: (f) => ({ collector: f.evidence.find((e) => e.kind === 'vantage-sees-ce')?.params?.collector ?? null }),
    cites: ['vantage-sees-ce', 'ce-unreachable'],
  },
  {
    rule: 'management-plane-hang',
    responsibility: 'device',
    clauses: '3.1.10',
    when: (f) => f.gap === 'management-plane-hang',
    cites: ['ce-unreachable', 'headend-up-moving'],
  },
  {
    rule: 'planned-maintenance',
    responsibility: 'planned',
    clauses: '7.6, 7.7',
    when: (f) => f.plannedWindow !== null,
    params: (f) => ({ noticeRef: f.plannedWindow!.carrierNoticeRef }),
    cites: ['maintenance-window'],
  },
  {
    rule: 'oob-wan-admin-down',
    responsibility: 'device',
    clauses: '3.1.10, 7.5',
    when: (f) => has(f, 'oob-wan-admin-down'),
    cites: ['oob-reachable', 'oob-wan-admin-down'],
  },
  {
    rule: 'conflicting-evidence',
    responsibility: 'undetermined',
    clauses: '3.2.6, 7.5',
    when: (f) => deviceEvidence(f) && carrierSideEvidence(f),
    cites: ['ce-rebooted', 'cpe-customer-port-down', 'cpe-line-down', 'oob-wan-down'],
  },
  {
    // Before ce-rebooted and line-cut: the returning unit's uptime says nothing of the old one
    // (a replacement booted on the bench first looks "continuous").
    rule: 'ce-replaced',
    responsibility: 'device',
    clauses: '3.1.10, 7.5',
    when: (f) => has(f, 'ce-replaced'),
    cites: ['ce-unreachable', 'ce-replaced'],
  },
  {
    rule: 'ce-rebooted',
    responsibility: 'device',
    clauses: '3.1.10, 7.5',
    when: (f) => has(f, 'ce-rebooted'),
    cites: ['ce-unreachable', 'ce-rebooted', 'trap:dyingGasp', 'trap:coldStart'],
  },
  {
    rule: 'cpe-customer-port-down',
    responsibility: 'device',
    clauses: '3.2.6, 3.1.10',
    when: cpeSeesCeSideDown,
    cites: ['cpe-customer-port-down', 'ce-unreachable'],
  },
  {
    rule: 'dying-gasp',
    responsibility: 'device',
    clauses: '3.1.10, 7.5',
    when: (f) => has(f, 'trap:dyingGasp') && !ceStayedUp(f),
    cites: ['trap:dyingGasp'],
  },
  {
    rule: 'cpe-line-down',
    responsibility: 'line',
    clauses: '3.2.6',
    when: (f) => has(f, 'cpe-line-down'),
    cites: ['cpe-line-down'],
  },
  {
    rule: 'oob-wan-down',
    responsibility: 'line',
    clauses: '3.2.6',
    when: (f) => has(f, 'oob-wan-down'),
    cites: ['oob-reachable', 'oob-wan-down'],
  },
  {
    rule: 'maintenance-overrun',
    responsibility: 'line',
    clauses: '7.6',
    when: (f) => f.overrunOfWindow !== null,
    cites: ['maintenance-overrun'],
  },
  {
    rule: 'mass-outage',
    responsibility: 'line',
    clauses: '3.2.6',
    when: (f) => f.groupEventId !== null,
    cites: ['mass-outage'],
  },
  {
    rule: 'line-cut',
    responsibility: 'line',
    clauses: '3.2.6',
    when: (f) => ceStayedUp(f) && lineCutEvidence(f),
    cites: ['uptime-continuous', 'agent-restart', 'wan-change-inside', 'headend-down', 'trap:linkDown'],
  },
  {
    rule: 'ce-silent-on-all-paths',
    responsibility: 'device',
    clauses: '3.1.10',
    when: (f) => has(f, 'oob-unreachable') && !has(f, 'oob-reachable') && !has(f, 'ce-returned'),
    cites: ['ce-unreachable', 'oob-unreachable'],
  },
  {
    rule: 'awaiting-recovery',
    responsibility: 'undetermined',
    clauses: '',
    when: (f) => !has(f, 'ce-returned'),
    cites: ['ce-unreachable', 'headend-down', 'headend-unreachable', 'cpe-unreachable'],
  },
  {
    rule: 'unplaced-break',
    responsibility: 'undetermined',
    clauses: '3.2.6',
    when: ceStayedUp,
    cites: ['uptime-continuous', 'agent-restart'],
  },
  {
    rule: 'no-uptime',
    responsibility: 'undetermined',
    clauses: '',
    when: () => true,
    cites: ['ce-returned', 'uptime-unknown'],
  },
];

/** The verdict for one incident from its facts: pure, the same facts give the same answer. */
export function decide(f: AttributionFacts): Decision {
  const row = DECISION_TABLE.find((r) => r.when(f))!;
  const responsibility = row.rule === 'operator-correction' ? f.correction!.responsibility : row.responsibility;
  const verdict: VerdictStatus = f.closed || f.correction !== null ? 'final' : 'provisional';
  const evidence = f.evidence.filter((e) => row.cites.includes(e.kind));
  const reasonParams = row.params?.(f) ?? {};
  return { responsibility, verdict, rule: row.rule, reason: ruleReason(row.rule, reasonParams, 'en'), reasonParams, evidence };
}
