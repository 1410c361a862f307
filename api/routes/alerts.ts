import { Router, type Response } from 'express';
import { z } from 'zod';
import type { Clock } from '../../core/clock.js';
import { ALERT_STATUSES, currentVerdict, type Alert, type Silence } from '../../alerts/alert.js';
import { ALERT_RULES } from '../../alerts/alert-rules.js';
import type { AlertStage } from '../../alerts/alert-stage.js';
import type { Delivery } from '../../alerts/delivery-outbox.js';
import { httpStatus, HttpError, parseWith } from '../http-errors.js';
import { PUBLIC, READ, ROLE, route } from '../policy.js';

const DAY_MS = 86_400_000;
const iso = (t: number | null) => (t === null ? null : new Date(t).toISOString());
const isoTime = z.iso.datetime({ offset: true });

const rangeQuery = z
  .strictObject({ from: isoTime.optional(), to: isoTime.optional(), limit: z.coerce.number().int().min(1).max(1000).default(200) })
  .transform((q) => ({ from: q.from ? Date.parse(q.from) : undefined, to: q.to ? Date.parse(q.to) : undefined, limit: q.limit }));

/** The console's history: the range plus filters and paging (`total` says how many match). */
const historyQuery = z
  .strictObject({
    from: isoTime.optional(),
    to: isoTime.optional(),
    limit: z.coerce.number().int().min(1).max(1000).default(200),
    offset: z.coerce.number().int().min(0).max(1_000_000).default(0),
    rule: z.enum(ALERT_RULES).optional(),
    status: z.enum(ALERT_STATUSES).optional(),
    site: z.string().trim().min(1).max(100).optional(),
    acked: z.enum(['true', 'false']).optional(),
  })
  .transform((q) => ({
    from: q.from ? Date.parse(q.from) : undefined,
    to: q.to ? Date.parse(q.to) : undefined,
    limit: q.limit,
    offset: q.offset,
    filter: {
      ...(q.rule ? { rule: q.rule } : {}),
      ...(q.status ? { status: q.status } : {}),
      ...(q.site ? { siteId: q.site } : {}),
      ...(q.acked ? { acked: q.acked === 'true' } : {}),
    },
  }));

const ackBody = z.strictObject({ note: z.string().trim().min(1).max(500).optional() }).default({});
const tokenQuery = z.strictObject({ token: z.string().min(10).max(2000) });

const silenceBody = z
  .strictObject({
    match: z
      .strictObject({
        siteIds: z.array(z.string().min(1)).min(1).optional(),
        carrierGroups: z.array(z.string().min(1)).min(1).optional(),
        divisions: z.array(z.string().min(1)).min(1).optional(),
        rules: z.array(z.enum(ALERT_RULES)).min(1).optional(),
      })
      // Silencing everything is not a silence, it is switching alerting off.
      .refine((m) => Object.values(m).some((v) => v !== undefined), 'name at least one of siteIds, carrierGroups, divisions, rules'),
    startsAt: isoTime.optional(),
    endsAt: isoTime,
    reason: z.string().trim().min(3, 'give a reason (at least 3 characters)').max(500),
  });

const liftQuery = z.strictObject({ reason: z.string().trim().min(1).max(500).optional() });

function range(q: { from?: number; to?: number }, now: number): { from: number; to: number } {
  // The range is half-open [from, to); without a `to` it includes this very instant.
  const to = q.to ?? now + 1;
  const from = q.from ?? to - 7 * DAY_MS;
  if (from >= to) throw new HttpError(400, 'invalid query: from must be before to');
  if (to - from > 400 * DAY_MS) throw new HttpError(400, 'invalid query: at most 400 days per request');
  return { from, to };
}

export function deliveryDto(d: Delivery) {
  return {
    id: d.id,
    alertId: d.alertId,
    kind: d.kind,
    channelId: d.channelId,
    contactIds: d.contactIds,
    status: d.status,
    attempts: d.attempts,
    lastError: d.lastError,
    createdAt: iso(d.createdAt),
    sentAt: iso(d.sentAt),
    deadAt: iso(d.deadAt),
    rule: d.message.rule,
  };
}

export function alertDto(a: Alert, deliveries: Delivery[] = []) {
  return {
    id: a.id,
    rule: a.rule,
    severity: a.severity,
    status: a.status,
    createdAt: iso(a.createdAt),
    firedAt: iso(a.firedAt),
    resolvedAt: iso(a.resolvedAt),
    ackedAt: iso(a.ackedAt),
    ackedBy: a.ackedBy,
    ackVia: a.ackVia,
    suppressedBy: a.suppressedBy,
    mergedInto: a.mergedInto,
    siteIds: a.siteIds,
    incidentIds: Object.keys(a.incidents),
    groupEventId: a.groupEventId,
    carrierGroup: a.carrierGroup,
    parentAlertId: a.parentAlertId,
    verdict: currentVerdict(a),
    detail: a.detail,
    reopened: a.reopened,
    escalationLevel: a.escalationLevel,
    notified: a.notified,
    carrierNotified: a.carrierNotified,
    deliveries: deliveries.map(deliveryDto),
  };
}

export function silenceDto(s: Silence, now: number) {
  const state = s.deletedAt !== null ? 'lifted' : now >= s.endsAt ? 'expired' : s.approvedAt === null ? 'proposed' : now < s.startsAt ? 'scheduled' : 'active';
  return {
    id: s.id,
    state,
    match: s.match,
    startsAt: iso(s.startsAt),
    endsAt: iso(s.endsAt),
    reason: s.reason,
    createdBy: s.createdBy,
    createdAt: iso(s.createdAt),
    approvedBy: s.approvedBy,
    approvedAt: iso(s.approvedAt),
    liftedBy: s.deletedBy,
    liftedAt: iso(s.deletedAt),
  };
}

const esc = (s: string) => s.replace(/[&<>"]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' })[c]!);

/**
 * The ack link is opened on a phone: answer people with a page, programs with JSON. `formHtml`
 * is an extra form under the text (the confirm button).
 */
function ackAnswer(res: Response, status: number, json: Record<string, unknown>, text: string, formHtml = ''): void {
  res.status(status).format({
    'application/json': () => res.json(json),
    'text/html': () =>
      res
        .type('html')
        .send(`<!doctype html><html><head><meta charset="utf-8"><meta name="viewport" content="width=device-width"><meta name="referrer" content="no-referrer"><title>demarc</title></head><body><p>${esc(text)}</p>${formHtml}</body></html>`),
    default: () => res.json(json),
  });
}

/**
 * /api/alerts and /api/silences. Reads need a viewer; acknowledging, silencing and retrying
 * need an operator (approving a silence an approver); the ack link carries its own signed identity.
 */
export function alertRoutes(deps: { stage: AlertStage; clock: Clock }): Router {
  const r = Router();
  const zh = deps.stage.config.language === 'zh-CN';
  const alreadyAcked = (by: string | null) => (zh ? `该告警已由 ${by} 确认。` : `This alert was already acknowledged by ${by}.`);

  route(r, 'get', '/alerts', READ, (req, res) => {
    const q = parseWith(historyQuery, req.query, 'query');
    const { from, to } = range(q, deps.clock.now());
    const rows = deps.stage.history({ from, to, limit: q.limit, offset: q.offset, filter: q.filter });
    const total = deps.stage.historyCount({ from, to, filter: q.filter });
    res.json({ from: iso(from), to: iso(to), total, offset: q.offset, limit: q.limit, alerts: rows.map((x) => alertDto(x.alert, x.deliveries)) });
  });

  // Opening the link only shows what it would do: mail gateways and chat apps fetch links to
  // preview or scan them, and that must not acknowledge an alert nobody has read. The
  // acknowledgement is the POST behind the page's button (or a program's POST).
  route(r, 'get', '/alerts/ack', PUBLIC('the signed ack token in the query is the credential'), (req, res) => {
    const { token } = parseWith(tokenQuery, req.query, 'query');
    const check = deps.stage.checkAckToken(token);
    if (!check.ok) {
      ackAnswer(res, httpStatus(check.failure), { error: check.reason }, check.reason);
      return;
    }
    const a = check.alert;
    if (a.ackedAt !== null) {
      ackAnswer(res, 200, { alert: alertDto(a), already: true }, alreadyAcked(a.ackedBy));
      return;
    }
    const sites = a.siteIds.join(', ');
    const text = zh ? `告警 ${a.id}（${sites}）尚未确认。确认人将记录为 ${check.contactId}。` : `Alert ${a.id} (${sites}) is not acknowledged yet. It will be recorded as acknowledged by ${check.contactId}.`;
    const form = `<form method="post" action="?token=${esc(encodeURIComponent(token))}"><button type="submit">${zh ? '确认告警' : 'Acknowledge'}</button></form>`;
    ackAnswer(res, 200, { alert: alertDto(a), already: false, acknowledge: 'POST this URL to acknowledge' }, text, form);
  });

  route(r, 'post', '/alerts/ack', PUBLIC('the signed ack token in the query is the credential'), (req, res) => {
    const { token } = parseWith(tokenQuery, req.query, 'query');
    const result = deps.stage.acknowledgeByToken(token);
    if (!result.ok) {
      ackAnswer(res, httpStatus(result.failure), { error: result.reason }, result.reason);
      return;
    }
    const a = result.alert;
    const text = result.already ? alreadyAcked(a.ackedBy) : zh ? `已确认告警 ${a.id}，确认人 ${a.ackedBy}。` : `Alert ${a.id} acknowledged by ${a.ackedBy}.`;
    ackAnswer(res, 200, { alert: alertDto(a), already: result.already }, text);
  });

  route(r, 'get', '/alerts/dead-letters', READ, (req, res) => {
    const q = parseWith(rangeQuery, req.query, 'query');
    const { from, to } = range(q, deps.clock.now());
    res.json({ deadLetters: deps.stage.outbox.deadLetters({ from, to, limit: q.limit }).map(deliveryDto) });
  });

  route(r, 'post', '/alerts/dead-letters/:id/retry', ROLE('operator'), (req, res) => {
    if (!deps.stage.retryDeadLetter(String(req.params.id), req.actingUser!.id)) throw new HttpError(404, `no dead letter "${req.params.id}"`);
    res.status(202).json({ requeued: req.params.id });
  });

  route(r, 'get', '/alerts/:id', READ, (req, res) => {
    const a = deps.stage.alert(String(req.params.id));
    if (!a) throw new HttpError(404, `no alert "${req.params.id}"`);
    res.json({ alert: alertDto(a, deps.stage.outbox.forAlerts([a.id])) });
  });

  route(r, 'post', '/alerts/:id/ack', ROLE('operator'), (req, res) => {
    const body = parseWith(ackBody, req.body ?? {}, 'body');
    const result = deps.stage.acknowledge(String(req.params.id), req.actingUser!.id, 'api', body.note ?? null);
    if (!result.ok) throw new HttpError(httpStatus(result.failure), result.reason);
    res.json({ alert: alertDto(result.alert), already: result.already });
  });

  route(r, 'get', '/silences', READ, (req, res) => {
    const q = parseWith(rangeQuery, req.query, 'query');
    const now = deps.clock.now();
    const { from, to } = q.from || q.to ? range(q, now) : { from: now, to: Number.MAX_SAFE_INTEGER };
    res.json({ silences: deps.stage.silences.list({ from, to }).map((s) => silenceDto(s, now)) });
  });

  route(r, 'post', '/silences', ROLE('operator'), (req, res) => {
    const body = parseWith(silenceBody, req.body, 'body');
    const now = deps.clock.now();
    const result = deps.stage.silences.propose(
      req.actingUser!.id,
      { match: body.match, startsAt: body.startsAt ? Date.parse(body.startsAt) : now, endsAt: Date.parse(body.endsAt), reason: body.reason },
      now,
    );
    if (!result.ok) throw new HttpError(httpStatus(result.failure), result.reason);
    // Settles at once (held alerts fire, silenced ones stop); deliveries go on in the background.
    void deps.stage.evaluate();
    res.status(201).json({ silence: silenceDto(result.silence, now) });
  });

  route(r, 'post', '/silences/:id/approve', ROLE('approver'), (req, res) => {
    const now = deps.clock.now();
    const result = deps.stage.silences.approve(req.actingUser!.id, String(req.params.id), now);
    if (!result.ok) throw new HttpError(httpStatus(result.failure), result.reason);
    void deps.stage.evaluate();
    res.json({ silence: silenceDto(result.silence, now) });
  });

  route(r, 'delete', '/silences/:id', ROLE('operator'), (req, res) => {
    const q = parseWith(liftQuery, req.query, 'query');
    const now = deps.clock.now();
    const result = deps.stage.silences.lift(req.actingUser!.id, String(req.params.id), q.reason ?? null, now);
    if (!result.ok) throw new HttpError(httpStatus(result.failure), result.reason);
    // Lifting a silence lets the alerts it held go out now.
    void deps.stage.evaluate();
    res.json({ silence: silenceDto(result.silence, now) });
  });

  return r;
}
