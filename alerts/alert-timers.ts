import { currentVerdict, incidentList, type Alert, type Notification } from './alert.js';
import { RULE_BEHAVIOUR } from './alert-rules.js';
import { newAlert, ruleEnabled, type AlertBook, type PolicyContext } from './alert-book.js';
import { recipientsFor, suppression } from './routing.js';

/**
 * Everything that happens because time passed: firing after the grouping window, resolving
 * after the flap damping, escalation and re-notification while nobody acknowledges, and the
 * carrier's response deadline. Pure over the book and the context (the instant comes from the
 * injected clock), so tests move a ManualClock instead of sleeping.
 */
export function evaluate(book: AlertBook, ctx: PolicyContext): Notification[] {
  const out: Notification[] = [];
  const reminders = new Map<string, Alert[]>();
  for (const a of book.all()) if (a.parentAlertId) reminders.set(a.parentAlertId, [...(reminders.get(a.parentAlertId) ?? []), a]);
  const openReminders = (id: string) => (reminders.get(id) ?? []).filter((r) => r.status !== 'resolved');
  for (const a of book.all()) {
    if (a.status === 'pending' && ctx.now >= a.fireAt) fireOrHold(a, book, ctx, out);
    else if (a.status === 'resolving' && ctx.now >= (a.resolvingSince ?? 0) + ctx.cfg.timings.flapDampingSec * 1000) {
      resolve(a, book, ctx, out);
      for (const r of openReminders(a.id)) closeQuietly(r, book, ctx.now);
    }
  }
  for (const a of book.all()) if (a.rule === 'site-down' || a.rule === 'mass-outage') carrierDeadline(a, openReminders(a.id), book, ctx, out);
  for (const a of book.all()) if (a.status === 'firing' && a.ackedAt === null) remind(a, book, ctx, out);
  return out;
}

function note(out: Notification[], a: Alert, kind: Notification['kind'], contactIds: string[], at: number): void {
  out.push({ alertId: a.id, kind, contactIds, at, avoidChannel: a.avoidChannel });
}

function fireOrHold(a: Alert, book: AlertBook, ctx: PolicyContext, out: Notification[]): void {
  const held = suppression(a, ctx.now, { silences: ctx.silences, windows: ctx.windows, sites: ctx.sites, requireApproval: ctx.cfg.silences.requireApproval });
  if (held !== a.suppressedBy) {
    a.suppressedBy = held;
    book.touch(a);
  }
  if (held) return;
  const r = recipientsFor(a, 0, ctx.now, ctx.cfg, ctx.sites);
  a.status = 'firing';
  a.firedAt = ctx.now;
  a.lastRenotifyAt = ctx.now;
  a.lastEscalatedAt = ctx.now;
  a.notified = r.oncall;
  a.announced = currentVerdict(a);
  // An empty list still goes out: the stage sends unrouted alerts to the log channel.
  note(out, a, 'firing', r.oncall, ctx.now);
  if (r.carrier.length) {
    a.carrierNotified = r.carrier;
    note(out, a, 'fault-report', r.carrier, ctx.now);
  }
  book.touch(a);
}

function resolve(a: Alert, book: AlertBook, ctx: PolicyContext, out: Notification[]): void {
  a.status = 'resolved';
  a.resolvedAt = ctx.now;
  if (a.firedAt !== null && RULE_BEHAVIOUR[a.rule].resolveMessage) {
    a.announced = currentVerdict(a);
    note(out, a, 'resolved', [...a.notified], ctx.now);
    if (a.carrierNotified.length) note(out, a, 'fault-report-update', [...a.carrierNotified], ctx.now);
  }
  book.touch(a);
}

function closeQuietly(a: Alert, book: AlertBook, now: number): void {
  a.status = 'resolved';
  a.resolvedAt = now;
  book.touch(a);
}

/**
 * Contract 7.4.2: once an operator has recorded the fault report, the carrier must respond
 * within the limit. The NOC hears `leadMinutes` before the limit and again when it is missed.
 * For a mass outage one report counts for the group: the earliest report and first response.
 */
function carrierDeadline(a: Alert, reminders: readonly Alert[], book: AlertBook, ctx: PolicyContext, out: Notification[]): void {
  const incidents = incidentList(a);
  const reported = incidents.map((i) => i.carrierReportedAt).filter((t): t is number => t !== null);
  const responded = incidents.some((i) => i.carrierRespondedAt !== null);
  const live = (a.status === 'firing' || a.status === 'pending') && currentVerdict(a)?.responsibility === 'line';
  if (!live || responded || !reported.length) {
    for (const r of reminders) closeQuietly(r, book, ctx.now);
    return;
  }
  const reportedAt = Math.min(...reported);
  const limitHours = ctx.carrierLimitHours;
  const dueAt = reportedAt + limitHours * 3_600_000;
  const raise = (stage: 'approaching' | 'missed') => {
    const rule = stage === 'approaching' ? 'carrier-deadline-approaching' : 'carrier-deadline-missed';
    a.deadlineReminders.push(stage);
    book.touch(a);
    for (const r of reminders) closeQuietly(r, book, ctx.now);
    if (!ruleEnabled(ctx, rule)) return;
    const r = book.add(
      newAlert(ctx, rule, `${rule}:${a.id}`, {
        siteIds: [...a.siteIds],
        carrierGroup: a.carrierGroup,
        groupEventId: a.groupEventId,
        parentAlertId: a.id,
        deadline: { reportedAt, dueAt, limitHours },
      }),
    );
    fireOrHold(r, book, ctx, out);
  };
  if (ctx.now >= dueAt) {
    if (!a.deadlineReminders.includes('missed')) raise('missed');
  } else if (ctx.now >= dueAt - ctx.cfg.timings.carrierDeadlineLeadMinutes * 60_000 && !a.deadlineReminders.length) raise('approaching');
}

/** Unacknowledged: climb the chain one step per escalation interval; repeat to everyone paged. */
function remind(a: Alert, book: AlertBook, ctx: PolicyContext, out: Notification[]): void {
  const behaviour = RULE_BEHAVIOUR[a.rule];
  const held = suppression(a, ctx.now, { silences: ctx.silences, windows: ctx.windows, sites: ctx.sites, requireApproval: ctx.cfg.silences.requireApproval });
  if (held !== a.suppressedBy) {
    a.suppressedBy = held;
    book.touch(a);
  }
  if (held || a.firedAt === null) return;
  const { escalateAfterMinutes, renotifyMinutes } = ctx.cfg.timings;
  let fresh: string[] = [];
  // Timed from the last step, so reminders held by a silence do not climb the whole chain at once when it ends.
  if (behaviour.escalate && ctx.now >= (a.lastEscalatedAt ?? a.firedAt) + escalateAfterMinutes * 60_000) {
    a.escalationLevel++;
    a.lastEscalatedAt = ctx.now;
    const next = recipientsFor(a, a.escalationLevel, ctx.now, ctx.cfg, ctx.sites).oncall.filter((c) => !a.notified.includes(c));
    if (next.length) {
      fresh = next;
      a.notified.push(...next);
      note(out, a, 'escalation', next, ctx.now);
    }
    book.touch(a);
  }
  if (behaviour.renotify && ctx.now >= (a.lastRenotifyAt ?? a.firedAt) + renotifyMinutes * 60_000) {
    a.lastRenotifyAt = ctx.now;
    // Someone paged by this very escalation step is not reminded in the same breath.
    const again = a.notified.filter((c) => !fresh.includes(c));
    if (again.length) note(out, a, 'renotify', again, ctx.now);
    book.touch(a);
  }
}
