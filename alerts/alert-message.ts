import type { Evidence } from '../core/incident.js';
import type { Site, SiteId } from '../core/inventory.js';
import type { Secret } from '../core/secret.js';
import { currentVerdict, incidentList, type Alert, type AlertStatus, type Notification, type NotificationKind, type VerdictSeen } from './alert.js';
import type { AlertRule, Severity } from './alert-rules.js';
import { signAckToken } from './ack-token.js';

/**
 * What a message says, before any language or channel format: the facts of the alert at the
 * moment it is sent. Stored with each delivery, so a retry an hour later says what the first
 * attempt said. No personal data (contact phone numbers are added per channel at send time).
 */
export interface MessageSite {
  id: SiteId;
  name: string;
  nameEn: string | null;
  division: string;
  circuitId: string;
  carrierGroup: string;
  location: { latitude: number; longitude: number } | null;
  startedAt: number | null;
  endedAt: number | null;
  verdict: VerdictSeen | null;
}

export interface AlertMessage {
  alertId: string;
  kind: NotificationKind;
  rule: AlertRule;
  severity: Severity;
  status: AlertStatus;
  at: number;
  sites: MessageSite[];
  incidentIds: string[];
  startedAt: number | null;
  endedAt: number | null;
  verdict: VerdictSeen | null;
  previousVerdict: VerdictSeen | null;
  flaps: number;
  evidence: Evidence[];
  /** Evidence entries not shown. */
  moreEvidence: number;
  detail: string | null;
  groupEventId: string | null;
  carrierGroup: string | null;
  escalationLevel: number;
  firedAt: number | null;
  ackedBy: string | null;
  deadline: { reportedAt: number; dueAt: number; limitHours: number } | null;
  carrierLimitHours: number;
  customer: string;
  callback: string | null;
  /** One link per on-call recipient; none for the carrier or when no ack secret is set. */
  ackLinks: { contactId: string; url: string }[];
  /** Nobody is routed for this alert: it went to the log only. */
  unrouted: boolean;
}

export interface ComposeContext {
  sites: ReadonlyMap<SiteId, Site>;
  /** The outage alert a deadline reminder is about. */
  parent: Alert | null;
  ack: { secret: Secret; publicUrl: string; ttlHours: number } | null;
  carrierLimitHours: number;
  customer: string;
  callback: string | null;
}

export const MESSAGE_EVIDENCE = 8;

const ON_CALL_KINDS: ReadonlySet<NotificationKind> = new Set(['firing', 'renotify', 'escalation', 'verdict-changed']);

export function composeMessage(a: Alert, n: Notification, ctx: ComposeContext): AlertMessage {
  const subject = ctx.parent ?? a;
  const incidents = incidentList(subject);
  const siteIncident = (id: SiteId) => incidents.filter((i) => i.siteId === id).sort((x, y) => y.startedAt - x.startedAt)[0];
  const sites: MessageSite[] = subject.siteIds.map((id) => {
    const s = ctx.sites.get(id);
    const inc = siteIncident(id);
    return {
      id,
      name: s?.name ?? id,
      nameEn: s?.nameEn ?? null,
      division: s?.division ?? '',
      circuitId: s?.circuit.id ?? inc?.circuitId ?? '',
      carrierGroup: s?.circuit.carrierGroup ?? '',
      location: s?.location ?? null,
      startedAt: inc?.startedAt ?? null,
      endedAt: inc?.endedAt ?? null,
      verdict: inc ? { responsibility: inc.responsibility, verdict: inc.verdict, rule: inc.rule } : null,
    };
  });
  const evidence = incidents.flatMap((i) => i.evidence).sort((x, y) => x.at - y.at);
  const starts = incidents.map((i) => i.startedAt);
  const ends = incidents.map((i) => i.endedAt);
  const ackable = ctx.ack && ON_CALL_KINDS.has(n.kind) && a.ackedAt === null;
  return {
    alertId: a.id,
    kind: n.kind,
    rule: a.rule,
    severity: a.severity,
    status: a.status,
    at: n.at,
    sites,
    incidentIds: incidents.map((i) => i.id),
    startedAt: starts.length ? Math.min(...starts) : null,
    endedAt: ends.length && ends.every((e) => e !== null) ? Math.max(...(ends as number[])) : null,
    verdict: currentVerdict(subject),
    previousVerdict: n.previous ?? null,
    flaps: incidents.reduce((sum, i) => sum + i.flaps, 0) + subject.reopened,
    evidence: evidence.slice(-MESSAGE_EVIDENCE),
    moreEvidence: Math.max(0, evidence.length - MESSAGE_EVIDENCE),
    detail: a.detail,
    groupEventId: subject.groupEventId,
    carrierGroup: subject.carrierGroup,
    escalationLevel: a.escalationLevel,
    firedAt: a.firedAt,
    ackedBy: a.ackedBy,
    deadline: a.deadline,
    carrierLimitHours: ctx.carrierLimitHours,
    customer: ctx.customer,
    callback: ctx.callback,
    ackLinks: ackable
      ? n.contactIds.map((contactId) => {
          const token = signAckToken(ctx.ack!.secret, { alertId: a.id, contactId, expiresAt: n.at + ctx.ack!.ttlHours * 3_600_000 });
          return { contactId, url: `${ctx.ack!.publicUrl.replace(/\/+$/, '')}/api/alerts/ack?token=${encodeURIComponent(token)}` };
        })
      : [],
    unrouted: n.contactIds.length === 0,
  };
}
