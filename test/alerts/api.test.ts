import express, { type Router } from 'express';
import { createServer, type Server } from 'node:http';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { errorHandler } from '../../api/http-errors.js';
import { silentLogger } from '../../core/logger.js';
import { systemClock } from '../../core/clock.js';
import { openStateDb, type StateDb } from '../../store/state-db.js';
import { mountAuth, sessions } from '../support/auth.js';
import { ev, incident, MIN, T0 } from './fixtures.js';
import { alertRoutes } from '../../api/routes/alerts.js';
import { harnessConfig, newStage, USERS, startReceivers, type Receivers, type StageUnderTest } from './support/harness.js';

/** /api/alerts and /api/silences over real HTTP (API on 24201, receivers on 24210-24213). */
const API_PORT = 24201;
const API = `http://127.0.0.1:${API_PORT}/api`;
let r: Receivers;
let s: StageUnderTest;
let http: Server;
// One HTTP server for the file (a client's kept-alive socket must not meet a closed server);
// each test mounts its own stage's router behind it.
let router: Router;
let identityDb: StateDb;
// Sessions run on the wall clock: the stage's ManualClock jumps hours ahead in some tests.
const as = sessions(() => API);

beforeAll(async () => {
  r = await startReceivers(24210);
  const app = express();
  app.use(express.json());
  identityDb = openStateDb(':memory:');
  await mountAuth(app, { db: identityDb, clock: systemClock, users: USERS });
  app.use('/api', (req, res, next) => router(req, res, next));
  app.use(errorHandler(silentLogger));
  http = createServer(app);
  await new Promise<void>((resolve) => http.listen(API_PORT, '127.0.0.1', () => resolve()));
});
afterAll(async () => {
  http.closeAllConnections();
  await new Promise<void>((resolve) => http.close(() => resolve()));
  await r?.close();
  identityDb?.close();
});
beforeEach(() => {
  r.reset();
  r.clock.set(T0);
  s = newStage(r, harnessConfig(r, `http://127.0.0.1:${API_PORT}`));
  // The pipeline builds every router; the stage knows nothing of express.
  router = alertRoutes({ stage: s.stage, clock: r.clock });
});
afterEach(async () => {
  await s.close();
});

/** Reads go as the viewer "guest" unless a test names someone (or `anonymous: true`). */
async function call(method: string, path: string, opts: { user?: string; body?: unknown; accept?: string; anonymous?: boolean } = {}) {
  const user = opts.anonymous ? undefined : (opts.user ?? (method === 'GET' ? 'guest' : undefined));
  const res = await fetch(path.startsWith('http') ? path : `${API}${path}`, {
    method,
    headers: {
      ...(await as(user)),
      ...(opts.body !== undefined ? { 'content-type': 'application/json' } : {}),
      accept: opts.accept ?? 'application/json',
    },
    body: opts.body === undefined ? undefined : JSON.stringify(opts.body),
  });
  const text = await res.text();
  let json: Record<string, unknown> = {};
  try {
    json = JSON.parse(text) as Record<string, unknown>;
  } catch {
    /* an HTML answer */
  }
  return { status: res.status, json, text };
}

const lineOutage = (id = 'I1', siteId = 'S01') => incident(id, { siteId, responsibility: 'line', rule: 'oob-wan-down' });

async function fireOne(): Promise<string> {
  s.stage.onIncidentEvents([ev('opened', lineOutage())]);
  await s.tick(60_000);
  return s.stage.book.all()[0]!.id;
}

describe('acknowledging', () => {
  it('the signed link in the email acknowledges for the person it was sent to, and escalation stops', async () => {
    const id = await fireOne();
    const mail = r.mails().find((m) => m.to.includes('noc-a@noc.example'))!;
    const link = /确认告警（值班员甲）: (\S+)/.exec(mail.text!)![1]!;
    expect(link.startsWith(`${API}/alerts/ack?token=`)).toBe(true);

    // Opening the link (a person, or a mail gateway scanning it) only shows a confirm page.
    for (let i = 0; i < 2; i++) {
      const page = await call('GET', link, { accept: 'text/html', anonymous: true });
      expect(page.status).toBe(200);
      expect(page.text).toContain(`告警 ${id}（S01）尚未确认。确认人将记录为 noc-a。`);
      expect(page.text).toMatch(/<form method="post" action="\?token=[^"]+"><button type="submit">确认告警<\/button><\/form>/);
    }
    expect(s.stage.book.all()[0]!.ackedAt).toBeNull();
    expect(s.audit.list().filter((e) => e.action === 'alert.ack')).toHaveLength(0);

    const done = await call('POST', link, { accept: 'text/html', anonymous: true });
    expect(done.status).toBe(200);
    expect(done.text).toContain(`已确认告警 ${id}，确认人 noc-a。`);
    const again = await call('POST', link, { anonymous: true });
    expect(again.status).toBe(200);
    expect(again.json).toMatchObject({ already: true, alert: { id, ackedBy: 'noc-a', ackVia: 'link', ackedAt: new Date(T0 + 60_000).toISOString() } });
    const reopened = await call('GET', link, { anonymous: true });
    expect(reopened.json).toMatchObject({ already: true, alert: { id, ackedBy: 'noc-a' } });
    expect(s.audit.list().filter((e) => e.action === 'alert.ack')).toMatchObject([{ actor: 'contact:noc-a', target: id, detail: { via: 'link' } }]);

    await s.tick(20 * MIN);
    expect(r.ding.received).toHaveLength(0);
    expect(r.mails().filter((m) => m.to.includes('noc-b@noc.example'))).toHaveLength(0);
  });

  it('an expired, tampered or malformed link is refused with a reason', async () => {
    await fireOne();
    const mail = r.mails().find((m) => m.to.includes('noc-a@noc.example'))!;
    const link = /确认告警（值班员甲）: (\S+)/.exec(mail.text!)![1]!;
    const token = decodeURIComponent(new URL(link).searchParams.get('token')!);
    const [claim, mac] = token.split('.') as [string, string];
    const forged = Buffer.from(Buffer.from(claim, 'base64url').toString().replace('noc-a', 'noc-b')).toString('base64url');
    for (const method of ['GET', 'POST'] as const) {
      expect((await call(method, `/alerts/ack?token=${encodeURIComponent(`${forged}.${mac}`)}`, { anonymous: true })).status).toBe(403);
      expect((await call(method, '/alerts/ack?token=not-a-token-at-all', { anonymous: true })).status).toBe(400);
    }
    const missing = await call('GET', '/alerts/ack', { anonymous: true });
    expect(missing.status).toBe(400);
    expect(missing.json.error).toMatch(/token/);
    r.clock.advance(12 * 3_600_000);
    for (const method of ['GET', 'POST'] as const) {
      const expired = await call(method, link, { anonymous: true });
      expect(expired.status).toBe(410);
      expect(expired.json.error).toMatch(/expired/);
    }
    expect(s.stage.book.all()[0]!.ackedAt).toBeNull();
  });

  it('POST /alerts/:id/ack names the acting user and needs the operator role', async () => {
    const id = await fireOne();
    expect((await call('POST', `/alerts/${id}/ack`, { body: {} })).status).toBe(401);
    expect((await call('POST', `/alerts/${id}/ack`, { user: 'guest', body: {} })).status).toBe(403);
    const bad = await call('POST', `/alerts/${id}/ack`, { user: 'noc.zhang', body: { note: 5 } });
    expect(bad.status).toBe(400);
    expect(bad.json.error).toMatch(/^invalid body: note:/);
    expect((await call('POST', `/alerts/${id}/ack`, { user: 'noc.zhang', body: { nope: 1 } })).status).toBe(400);
    expect((await call('POST', '/alerts/ALR-missing/ack', { user: 'noc.zhang', body: {} })).status).toBe(404);
    const ok = await call('POST', `/alerts/${id}/ack`, { user: 'noc.zhang', body: { note: '已联系运营商' } });
    expect(ok.status).toBe(200);
    expect(ok.json).toMatchObject({ already: false, alert: { ackedBy: 'noc.zhang', ackVia: 'api' } });
    expect(s.audit.list().at(-1)).toMatchObject({ actor: 'noc.zhang', action: 'alert.ack', detail: { via: 'api', note: '已联系运营商' } });
    const one = await call('GET', `/alerts/${id}`);
    expect(one.json).toMatchObject({ alert: { id, ackedBy: 'noc.zhang' } });
  });
});

describe('silences', () => {
  const body = (over: Record<string, unknown> = {}) => ({
    match: { siteIds: ['S05'] },
    endsAt: new Date(T0 + 4 * 3_600_000).toISOString(),
    reason: '更换 CE 电源',
    ...over,
  });

  it('are validated, proposed by one person, approved by another, audited, and hold alerts until lifted', async () => {
    const noEnd = await call('POST', '/silences', { user: 'noc.zhang', body: { match: { siteIds: ['S05'] }, reason: 'x y z' } });
    expect(noEnd.status).toBe(400);
    expect(noEnd.json.error).toMatch(/endsAt/);
    const noMatch = await call('POST', '/silences', { user: 'noc.zhang', body: body({ match: {} }) });
    expect(noMatch.status).toBe(400);
    expect(noMatch.json.error).toMatch(/match: name at least one/);
    const tooLong = await call('POST', '/silences', { user: 'noc.zhang', body: body({ endsAt: new Date(T0 + 200 * 3_600_000).toISOString() }) });
    expect(tooLong.status).toBe(400);
    expect(tooLong.json.error).toMatch(/at most 168 h/);

    const selfish = await call('POST', '/silences', { user: 'root', body: body() });
    expect((await call('POST', `/silences/${(selfish.json.silence as { id: string }).id}/approve`, { user: 'root' })).status).toBe(403);

    const made = await call('POST', '/silences', { user: 'noc.zhang', body: body() });
    expect(made.status).toBe(201);
    const sil = made.json.silence as { id: string; state: string };
    expect(sil.state).toBe('proposed');
    expect((await call('POST', `/silences/${sil.id}/approve`, { user: 'noc.wang' })).status).toBe(403);
    const approved = await call('POST', `/silences/${sil.id}/approve`, { user: 'mgr.li' });
    expect(approved.json).toMatchObject({ silence: { state: 'active', createdBy: 'noc.zhang', approvedBy: 'mgr.li' } });

    s.stage.onIncidentEvents([ev('opened', lineOutage('I5', 'S05'))]);
    await s.tick(10 * MIN);
    expect(r.wecom.received).toHaveLength(0);
    const listed = await call('GET', '/silences');
    expect((listed.json.silences as { id: string }[]).map((x) => x.id)).toContain(sil.id);

    const lifted = await call('DELETE', `/silences/${sil.id}?reason=${encodeURIComponent('工作完成')}`, { user: 'noc.zhang' });
    expect(lifted.json).toMatchObject({ silence: { state: 'lifted', liftedBy: 'noc.zhang' } });
    await s.stage.idle();
    expect(r.wecom.received).toHaveLength(1);
    expect(s.audit.list().filter((e) => e.target === sil.id).map((e) => `${e.actor} ${e.action}`)).toEqual([
      'noc.zhang alert.silence.propose',
      'mgr.li alert.silence.approve',
      'noc.zhang alert.silence.lift',
    ]);
    expect(s.audit.verify()).toEqual({ ok: true });
  });
});

describe('history and dead letters', () => {
  it('GET /alerts lists alerts with their deliveries; bad queries name the field', async () => {
    const id = await fireOne();
    const from = new Date(T0 - MIN).toISOString();
    const to = new Date(T0 + 10 * MIN).toISOString();
    const h = await call('GET', `/alerts?from=${encodeURIComponent(from)}&to=${encodeURIComponent(to)}`);
    expect(h.status).toBe(200);
    const alerts = h.json.alerts as { id: string; status: string; deliveries: { channelId: string; status: string; kind: string }[] }[];
    expect(alerts.map((a) => a.id)).toEqual([id]);
    expect(alerts[0]!.deliveries.map((d) => `${d.kind} ${d.channelId} ${d.status}`).sort()).toEqual(['fault-report mail sent', 'firing mail sent', 'firing noc-wecom sent']);
    const bad = await call('GET', '/alerts?from=yesterday');
    expect(bad.status).toBe(400);
    expect(bad.json.error).toMatch(/^invalid query: from:/);
    const reversed = await call('GET', `/alerts?from=${encodeURIComponent(to)}&to=${encodeURIComponent(from)}`);
    expect(reversed.status).toBe(400);
  });

  it('GET /alerts/dead-letters shows what could not be delivered, and a retry needs an operator', async () => {
    r.hook.failWith(503);
    s.stage.onIncidentEvents([ev('opened', incident('I7', { siteId: 'S07', responsibility: 'device', rule: 'ce-rebooted' }))]);
    await s.tick(60_000);
    await s.tick(10_000);
    await s.tick(20_000);
    const dl = await call('GET', '/alerts/dead-letters');
    const rows = dl.json.deadLetters as { id: string; channelId: string; attempts: number; lastError: string; contactIds: string[] }[];
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ channelId: 'hook', attempts: 3, contactIds: ['div1-a'] });
    expect(rows[0]!.lastError).toMatch(/HTTP 503/);
    expect((await call('POST', `/alerts/dead-letters/${rows[0]!.id}/retry`, { user: 'guest' })).status).toBe(403);
    expect((await call('POST', '/alerts/dead-letters/DLV-nope/retry', { user: 'noc.zhang' })).status).toBe(404);
    r.hook.failWith(null);
    expect((await call('POST', `/alerts/dead-letters/${rows[0]!.id}/retry`, { user: 'noc.zhang' })).status).toBe(202);
    await s.stage.idle();
    expect(r.hook.received).toHaveLength(1);
    expect(((await call('GET', '/alerts/dead-letters')).json.deadLetters as unknown[]).length).toBe(0);
  });
});
