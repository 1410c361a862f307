import type { IncidentEvent } from '../core/incident.js';
import type { DomainFailure } from '../core/domain-error.js';
import { currentVerdict, incidentList, snapshotOf, type Alert, type CircuitFinding, type HealthSignal, type Notification, type VerdictSeen } from './alert.js';
import type { AlertRule } from './alert-rules.js';
import { newAlert, ruleEnabled, type AlertBook, type PolicyContext } from './alert-book.js';
import { recipientsFor } from './routing.js';

/**
 * What the incident, finding and health inputs do to the alerts. Nothing is sent from here:
 * alerts wait for `evaluate` (alert-timers.ts) to fire them, except the messages an update to
 * an alert already out there calls for (a changed verdict).
 */

function incidentRule(e: IncidentEvent): AlertRule {
  if (e.incident.siteId === null) return 'noc-isolation';
  return e.incident.kind === 'monitoring-gap' ? 'monitoring-gap' : 'site-down';
}

const allClosed = (a: Alert) => incidentList(a).every((i) => i.endedAt !== null);

/** Ends the hold or the alert: an alert whose incidents are all over waits out the damping. */
function settleOpenness(a: Alert, now: number): void {
  if (a.status === 'resolved') return;
  if (allClosed(a)) {
    if (a.status !== 'resolving') {
      a.status = 'resolving';
      a.resolvingSince = now;
    }
  } else if (a.status === 'resolving') {
    // Back inside the damping hold: the same alert again, no new page.
    a.status = a.firedAt === null ? 'pending' : 'firing';
    a.resolvingSince = null;
    a.reopened++;
  }
}

export function applyIncidentEvent(book: AlertBook, e: IncidentEvent, ctx: PolicyContext): Notification[] {
  const rule = incidentRule(e);
  const inc = e.incident;
  const snap = snapshotOf(inc);
  if (rule === 'site-down' && inc.groupEventId && ruleEnabled(ctx, 'mass-outage')) return joinGroup(book, e, ctx);
  if (!ruleEnabled(ctx, rule)) return [];

  let a = book.forIncident(inc.id);
  // News about an incident whose alert is over (a late correction) pages nobody anew.
  if (!a && inc.endedAt !== null) return [];
  if (!a) {
    const key = rule === 'noc-isolation' ? 'noc-isolation' : `${rule}:${inc.siteId}`;
    // An open alert of the same site and rule takes the new incident in (flap damping) —
    // except planned work held back: its overrun is news of its own, with its own start.
    a = book.byDedupKey(key);
    if (a && a.firedAt === null && (currentVerdict(a)?.responsibility === 'planned') !== (inc.responsibility === 'planned')) {
      a.status = 'resolved';
      a.resolvedAt = ctx.now;
      book.touch(a);
      a = undefined;
    }
    if (!a) {
      const site = inc.siteId ? ctx.sites.get(inc.siteId) : undefined;
      a = book.add(newAlert(ctx, rule, key, { siteIds: inc.siteId ? [inc.siteId] : [], carrierGroup: site?.circuit.carrierGroup ?? null }));
    }
  }
  a.incidents[inc.id] = snap;
  settleOpenness(a, ctx.now);
  book.touch(a);
  return e.type === 'closed' ? [] : verdictNews(a, ctx);
}

/** A site of a carrier_group mass outage: one alert for the group, the site's own alert folded in. */
function joinGroup(book: AlertBook, e: IncidentEvent, ctx: PolicyContext): Notification[] {
  const inc = e.incident;
  const key = `mass-outage:${inc.groupEventId}`;
  const site = inc.siteId ? ctx.sites.get(inc.siteId) : undefined;
  let g = book.byDedupKey(key);
  if (!g && inc.endedAt !== null && !book.forIncident(inc.id)) return [];
  if (!g) g = book.add(newAlert(ctx, 'mass-outage', key, { groupEventId: inc.groupEventId, carrierGroup: site?.circuit.carrierGroup ?? null }));
  const before = book.forIncident(inc.id);
  if (before && before.id !== g.id) {
    delete before.incidents[inc.id];
    // The group fires no later than the site would have; a site already paged makes it fire now.
    g.fireAt = Math.min(g.fireAt, before.firedAt === null ? before.fireAt : ctx.now);
    if (!incidentList(before).length) {
      before.status = 'resolved';
      before.resolvedAt = ctx.now;
      before.mergedInto = g.id;
    } else settleOpenness(before, ctx.now);
    book.touch(before);
  }
  g.incidents[inc.id] = snapshotOf(inc);
  if (inc.siteId && !g.siteIds.includes(inc.siteId)) g.siteIds.push(inc.siteId);
  book.moveIncident(inc.id, g);
  settleOpenness(g, ctx.now);
  book.touch(g);
  return e.type === 'closed' ? [] : verdictNews(g, ctx);
}

function changedVerdict(prev: VerdictSeen, now: VerdictSeen): boolean {
  return prev.responsibility !== now.responsibility || (prev.verdict === 'provisional' && now.verdict === 'final') || (now.rule === 'operator-correction' && prev.rule !== now.rule);
}

/**
 * An alert already sent whose verdict moved (provisional → final, or corrected by approval):
 * the people paged hear of it; a turn to `line` sends the carrier its fault report, and a
 * carrier that had one hears the correction.
 */
function verdictNews(a: Alert, ctx: PolicyContext): Notification[] {
  if (a.firedAt === null || a.status === 'resolving') return [];
  const now = currentVerdict(a);
  const prev = a.announced;
  if (!now || !prev || !changedVerdict(prev, now)) return [];
  a.announced = now;
  const out: Notification[] = [];
  const note = (kind: Notification['kind'], contactIds: string[]) => out.push({ alertId: a.id, kind, contactIds, at: ctx.now, avoidChannel: null, previous: prev });
  if (a.notified.length) note('verdict-changed', [...a.notified]);
  if (a.status === 'resolved') return out;
  if (a.carrierNotified.length) note('fault-report-update', [...a.carrierNotified]);
  else if (now.responsibility === 'line') {
    const carrier = recipientsFor(a, 0, ctx.now, ctx.cfg, ctx.sites).carrier;
    if (carrier.length) {
      a.carrierNotified = carrier;
      note('fault-report', carrier);
    }
  }
  return out;
}

const FINDING_RULE: Record<CircuitFinding['kind'], AlertRule> = {
  saturated: 'capacity',
  plateau: 'capacity',
  'high-utilization': 'utilization',
  errors: 'errors',
  'config-gap': 'config-gap',
  'inventory-change': 'inventory-change',
};

/** Raises, refreshes or clears a standing condition (finding or health): one alert per key. */
function condition(book: AlertBook, ctx: PolicyContext, rule: AlertRule, key: string, active: boolean, detail: string, init: Partial<Alert>): void {
  if (!ruleEnabled(ctx, rule)) return;
  let a = book.byDedupKey(key);
  if (!a) {
    if (!active) return;
    a = book.add(newAlert(ctx, rule, key, init));
  }
  a.detail = detail;
  if (active && a.status === 'resolving') {
    a.status = a.firedAt === null ? 'pending' : 'firing';
    a.resolvingSince = null;
    a.reopened++;
  } else if (!active && a.status !== 'resolving') {
    a.status = 'resolving';
    a.resolvingSince = ctx.now;
  }
  book.touch(a);
}

export function applyFinding(book: AlertBook, f: CircuitFinding, ctx: PolicyContext): void {
  const rule = FINDING_RULE[f.kind];
  const site = ctx.sites.get(f.siteId);
  condition(book, ctx, rule, `${rule}:${f.siteId}:${f.kind}`, f.active, f.detail, { siteIds: [f.siteId], carrierGroup: site?.circuit.carrierGroup ?? null });
}

export function applyHealth(book: AlertBook, s: HealthSignal, ctx: PolicyContext): void {
  condition(book, ctx, 'demarc-health', `demarc-health:${s.kind}:${s.source}`, s.active, s.detail, {
    avoidChannel: s.kind === 'delivery-failed' ? s.source : null,
  });
}

export type AckResult = { ok: true; alert: Alert; already: boolean } | { ok: false; failure: DomainFailure; reason: string };

/** Acknowledging stops re-notification and escalation; the first acknowledgement is the one kept. */
export function acknowledge(book: AlertBook, id: string, by: string, via: 'api' | 'link', now: number): AckResult {
  const a = book.get(id);
  if (!a) return { ok: false, failure: 'not-found', reason: `no open alert "${id}" (it may be resolved already)` };
  if (a.ackedAt !== null) return { ok: true, alert: a, already: true };
  a.ackedAt = now;
  a.ackedBy = by;
  a.ackVia = via;
  book.touch(a);
  return { ok: true, alert: a, already: false };
}
