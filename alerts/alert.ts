import type { Evidence, Incident, Responsibility, VerdictStatus } from '../core/incident.js';
import type { SiteId } from '../core/inventory.js';
import type { AlertRule, Severity } from './alert-rules.js';

/** demarc watching itself: the producers (collector, store, trap receiver, delivery) report these. */
export interface HealthSignal {
  kind: 'collector-overrun' | 'store-backlog' | 'trap-receiver-down' | 'delivery-failed' | 'audit-chain-broken';
  /** Which instance (a channel id, a store backend); one alert per kind and source. */
  source: string;
  at: number;
  /** true raises (or keeps) the alert, false clears it. */
  active: boolean;
  detail: string;
}

/** A finding about one circuit or its devices (not an outage): traffic, a configuration gap, an inventory change. */
export interface CircuitFinding {
  siteId: SiteId;
  kind: 'saturated' | 'plateau' | 'high-utilization' | 'errors' | 'config-gap' | 'inventory-change';
  at: number;
  /** true while the condition holds; false when it has cleared. */
  active: boolean;
  detail: string;
}

/** What an alert remembers of one incident (no personal data; evidence capped). */
export interface IncidentSnapshot {
  id: string;
  siteId: SiteId | null;
  circuitId: string | null;
  startedAt: number;
  endedAt: number | null;
  responsibility: Responsibility;
  verdict: VerdictStatus;
  rule: string;
  flaps: number;
  evidence: Evidence[];
  groupEventId: string | null;
  maintenanceWindowId: string | null;
  carrierReportedAt: number | null;
  carrierRespondedAt: number | null;
}

export const SNAPSHOT_EVIDENCE = 20;

export function snapshotOf(i: Incident): IncidentSnapshot {
  return {
    id: i.id,
    siteId: i.siteId,
    circuitId: i.circuitId,
    startedAt: i.startedAt,
    endedAt: i.endedAt,
    responsibility: i.responsibility,
    verdict: i.verdict,
    rule: i.rule,
    flaps: i.flaps,
    evidence: i.evidence.slice(-SNAPSHOT_EVIDENCE),
    groupEventId: i.groupEventId,
    maintenanceWindowId: i.maintenanceWindowId,
    carrierReportedAt: i.carrierReportedAt,
    carrierRespondedAt: i.carrierRespondedAt,
  };
}

export const ALERT_STATUSES = ['pending', 'firing', 'resolving', 'resolved'] as const;
export type AlertStatus = (typeof ALERT_STATUSES)[number];

export interface VerdictSeen {
  responsibility: Responsibility;
  verdict: VerdictStatus;
  rule: string;
}

/**
 * One alert: the unit that is paged, acknowledged, escalated and resolved. An outage of one
 * site is one alert however often it flaps; a carrier_group outage is one alert for all its sites.
 */
export interface Alert {
  id: string;
  /** Dedup key: one open alert per key (rule + incident, group event, site finding, health source). */
  key: string;
  rule: AlertRule;
  severity: Severity;
  status: AlertStatus;
  createdAt: number;
  /** Not sent before this (grouping window). */
  fireAt: number;
  firedAt: number | null;
  resolvingSince: number | null;
  resolvedAt: number | null;
  ackedAt: number | null;
  ackedBy: string | null;
  ackVia: 'api' | 'link' | null;
  /** Why it is (or was last) held back: 'planned:…', 'maintenance:…', 'silence:…'. */
  suppressedBy: string | null;
  /** The alert this one was folded into (a site joining its carrier_group's mass outage). */
  mergedInto: string | null;
  siteIds: SiteId[];
  /** Incidents by id; for a site alert, every incident the flap damping folded in. */
  incidents: Record<string, IncidentSnapshot>;
  groupEventId: string | null;
  carrierGroup: string | null;
  /** For deadline reminders: the outage alert they are about. */
  parentAlertId: string | null;
  /** Findings and health: what was seen. */
  detail: string | null;
  /** Times the alert came back inside the damping hold. */
  reopened: number;
  escalationLevel: number;
  /** On-call contacts paged so far (re-notifications go to all of them). */
  notified: string[];
  /** Carrier fault desks that received the fault report. */
  carrierNotified: string[];
  lastRenotifyAt: number | null;
  /** The page or escalation step the next escalation is timed from. */
  lastEscalatedAt: number | null;
  /** The verdict last announced, to tell people when it changes. */
  announced: VerdictSeen | null;
  /** Carrier response reminders already raised for this outage. */
  deadlineReminders: ('approaching' | 'missed')[];
  /** For a deadline reminder: the report and the limit it is about. */
  deadline: { reportedAt: number; dueAt: number; limitHours: number } | null;
  /** A health alert about a failing channel is not sent through that channel. */
  avoidChannel: string | null;
}

export type NotificationKind = 'firing' | 'renotify' | 'escalation' | 'verdict-changed' | 'resolved' | 'fault-report' | 'fault-report-update';

/** The policy's answer: tell these contacts this about that alert. */
export interface Notification {
  alertId: string;
  kind: NotificationKind;
  contactIds: string[];
  at: number;
  /** For demarc-health about a failed channel: do not try to reach people through it. */
  avoidChannel: string | null;
  /** For verdict-changed: what people had been told before. */
  previous?: VerdictSeen;
}

export interface SilenceMatch {
  siteIds?: string[];
  carrierGroups?: string[];
  divisions?: string[];
  rules?: AlertRule[];
}

/** A manual silence: proposed with a reason and an expiry; active once approved (if required). */
export interface Silence {
  id: string;
  match: SilenceMatch;
  startsAt: number;
  endsAt: number;
  reason: string;
  createdBy: string;
  createdAt: number;
  approvedBy: string | null;
  approvedAt: number | null;
  deletedBy: string | null;
  deletedAt: number | null;
}

export function incidentList(a: Alert): IncidentSnapshot[] {
  return Object.values(a.incidents);
}

/**
 * The verdict an alert stands for: its latest incident's. A mass outage stands for what most
 * of its sites were decided as, and is final only when every site's verdict is.
 */
export function currentVerdict(a: Alert): VerdictSeen | null {
  const list = incidentList(a);
  if (!list.length) return null;
  if (a.rule !== 'mass-outage') {
    const latest = list.reduce((x, y) => (y.startedAt >= x.startedAt ? y : x));
    return { responsibility: latest.responsibility, verdict: latest.verdict, rule: latest.rule };
  }
  const mostCommon = <T extends string>(xs: T[]): T => {
    const n = new Map<T, number>();
    for (const x of xs) n.set(x, (n.get(x) ?? 0) + 1);
    return [...n].sort((p, q) => q[1] - p[1])[0]![0];
  };
  return {
    responsibility: mostCommon(list.map((i) => i.responsibility)),
    verdict: list.every((i) => i.verdict === 'final') ? 'final' : 'provisional',
    rule: mostCommon(list.map((i) => i.rule)),
  };
}
