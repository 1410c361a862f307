import express from 'express';
import { mkdtempSync, rmSync } from 'node:fs';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { errorHandler } from '../../api/http-errors.js';
import { incidentRoutes } from '../../api/routes/incidents.js';
import { maintenanceRoutes } from '../../api/routes/maintenance.js';
import { AuditLog } from '../../audit/audit-log.js';
import { ManualClock } from '../../core/clock.js';
import type { IncidentDto } from '../../core/events.js';
import type { IncidentEvent } from '../../core/incident.js';
import { silentLogger } from '../../core/logger.js';
import type { User } from '../../core/user.js';
import { createOutageStage, type OutageStage } from '../../outage/outage-stage.js';
import { WindowApprovals } from '../../outage/window-approvals.js';
import { openStateDb, type StateDb } from '../../store/state-db.js';
import { answered, at, makeSite, silent, testConfig } from './sample-factory.js';
import { mountAuth, sessions } from '../support/auth.js';

const users: User[] = [
  { id: 'noc.zhang', name: 'Zhang', roles: ['operator'] },
  { id: 'mgr.li', name: 'Li', roles: ['approver'] },
  { id: 'viewer', name: 'V', roles: ['viewer'] },
];
const BOOT = 30 * 86_400;

let dir: string;
let db: StateDb;
let server: Server;
let base: string;
let stage: OutageStage;
let clock: ManualClock;
let audit: AuditLog;
const published: IncidentEvent[] = [];
let closedId: string;
let openId: string;

const as = sessions(() => base);

/** Reads go as the viewer unless a test names someone (or `anonymous: true`). */
async function call(method: string, path: string, opts: { user?: string; body?: unknown; anonymous?: boolean; cookie?: string } = {}) {
  const user = opts.anonymous ? undefined : (opts.user ?? (method === 'GET' ? 'viewer' : undefined));
  const res = await fetch(base + path, {
    method,
    headers: { 'content-type': 'application/json', ...(await as(user)), ...(opts.cookie ? { cookie: opts.cookie } : {}) },
    ...(opts.body !== undefined ? { body: typeof opts.body === 'string' ? opts.body : JSON.stringify(opts.body) } : {}),
  });
  return { status: res.status, body: (await res.json()) as Record<string, any> };
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'demarc-outage-api-'));
  db = openStateDb(join(dir, 'state.db'));
  clock = new ManualClock(at(0));
  audit = new AuditLog(db, clock);
  stage = createOutageStage({ db, sites: [makeSite('A'), makeSite('B', { group: 'AGG-B' })], config: testConfig(), clock, logger: silentLogger, audit });
  for (let s = 0; s <= 20; s++) {
    clock.set(at(s));
    stage.observe([s >= 4 && s < 10 ? silent('A', s) : answered('A', s, { wanLastChangeSec: BOOT + 9.5 }), s >= 12 ? silent('B', s) : answered('B', s)], at(s));
  }
  clock.set(at(3600));
  closedId = stage.listIncidents({ siteId: 'A' })[0]!.id;
  openId = stage.listIncidents({ siteId: 'B' })[0]!.id;
  const app = express();
  app.use(express.json());
  await mountAuth(app, { db, clock, users });
  const publish = (e: IncidentEvent[]) => published.push(...e);
  app.use('/api', incidentRoutes({ outage: stage, clock, publish, faultDesk: { customer: '社会保障卡服务中心', hotline: '400-000-0000', callback: null } }), maintenanceRoutes({ outage: stage, approvals: new WindowApprovals({ db, clock, audit, outage: stage, maxHours: 24 }), publish, clock }));
  app.use(errorHandler(silentLogger));
  server = await new Promise<Server>((resolve) => {
    const s = app.listen(0, '127.0.0.1', () => resolve(s));
  });
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}/api`;
});

afterAll(async () => {
  await new Promise((r) => server.close(r));
  db.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('GET /api/incidents', () => {
  it('lists incidents as DTOs: ISO-8601 UTC, durationSec, evidence, carrier fields', async () => {
    const { status, body } = await call('GET', '/incidents');
    expect(status).toBe(200);
    const list = body.incidents as (IncidentDto & { carrierResponse: unknown })[];
    expect(list.map((i) => i.siteId)).toEqual(['B', 'A']);
    const a = list.find((i) => i.siteId === 'A')!;
    expect(a).toMatchObject({
      id: closedId,
      circuitId: 'C-A',
      startedAt: new Date(at(4)).toISOString(),
      endedAt: new Date(at(10)).toISOString(),
      durationSec: 6,
      responsibility: 'line',
      verdict: 'final',
      rule: 'line-cut',
      flaps: 0,
      carrierReportedAt: null,
      carrierRespondedAt: null,
      carrierResponse: { status: 'not-reported' },
    });
    expect(a.startedAt).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
    // Structured: a kind and its parameters, no English sentence (core/terms.ts renders it).
    expect(a.evidence[0]).toEqual({ at: expect.stringMatching(/Z$/), kind: expect.any(String), params: expect.any(Object) });
    const b = list.find((i) => i.siteId === 'B')!;
    expect(b).toMatchObject({ endedAt: null, durationSec: 3600 - 12 });
  });

  it('filters by site, responsibility, open and time', async () => {
    const q = async (qs: string) => ((await call('GET', `/incidents?${qs}`)).body.incidents as IncidentDto[]).map((i) => i.siteId);
    expect(await q('site=A')).toEqual(['A']);
    expect(await q('open=true')).toEqual(['B']);
    expect(await q('open=false')).toEqual(['A']);
    expect(await q('responsibility=line')).toEqual(['A']);
    expect(await q(`from=${new Date(at(11)).toISOString()}`)).toEqual(['B']);
    expect(await q(`to=${encodeURIComponent('2026-03-02T09:00:05+08:00')}`)).toEqual(['A']);
  });

  const bad: { qs: string; field: string }[] = [
    { qs: 'from=yesterday', field: 'from' },
    { qs: 'responsibility=carrier', field: 'responsibility' },
    { qs: 'open=yes', field: 'open' },
    { qs: 'sites=A', field: 'query' },
    { qs: `from=${new Date(at(20)).toISOString()}&to=${new Date(at(10)).toISOString()}`, field: 'from' },
  ];
  it.each(bad)('400 naming the field for ?$qs', async (c) => {
    const { status, body } = await call('GET', `/incidents?${c.qs}`);
    expect(status).toBe(400);
    expect(body.details.map((d: { field: string }) => d.field)).toContain(c.field);
  });

  it('GET /incidents/:id, 404 for an unknown one', async () => {
    expect((await call('GET', `/incidents/${closedId}`)).body.incident.id).toBe(closedId);
    const nf = await call('GET', '/incidents/INC-nope');
    expect(nf.status).toBe(404);
    expect(nf.body.error).toMatch(/INC-nope/);
  });
});

describe('carrier report and response', () => {
  it('needs an acting user with the operator role', async () => {
    expect((await call('POST', `/incidents/${openId}/carrier-report`, { body: {} })).status).toBe(401);
    // A session nobody was given (forged or long expired) is nobody.
    expect((await call('POST', `/incidents/${openId}/carrier-report`, { cookie: 'demarc_session=forged-value', body: {} })).status).toBe(401);
    expect((await call('GET', '/incidents', { anonymous: true })).status).toBe(401);
    expect((await call('POST', `/incidents/${openId}/carrier-report`, { user: 'viewer', body: {} })).status).toBe(403);
  });

  it('400 naming the bad field', async () => {
    const r = await call('POST', `/incidents/${openId}/carrier-report`, { user: 'noc.zhang', body: { at: 'noon' } });
    expect(r.status).toBe(400);
    expect(r.body.details[0].field).toBe('at');
    const r2 = await call('POST', `/incidents/${openId}/carrier-report`, { user: 'noc.zhang', body: { when: 'x' } });
    expect(r2.status).toBe(400);
    const r3 = await call('POST', `/incidents/${openId}/carrier-report`, { user: 'noc.zhang', body: '{not json' });
    expect(r3.status).toBe(400);
  });

  it('a report dated before the incident started, or in the future, is a 400 naming at; nothing changes', async () => {
    for (const when of ['1970-01-01T00:00:00Z', new Date(at(5)).toISOString(), new Date(at(3600) + 10 * 60_000).toISOString()]) {
      const r = await call('POST', `/incidents/${openId}/carrier-report`, { user: 'noc.zhang', body: { at: when } });
      expect(r.status).toBe(400);
      expect(r.body.details[0].field).toBe('at');
      expect(r.body.error).toMatch(/precede the incident's start|in the future/);
    }
    expect(stage.getIncident(openId)!.carrierReportedAt).toBeNull();
  });

  it('records report and response; computes response time and compliance', async () => {
    published.length = 0;
    const rep = await call('POST', `/incidents/${openId}/carrier-report`, { user: 'noc.zhang', body: { at: new Date(at(600)).toISOString(), note: 'ticket 7781' } });
    expect(rep.status).toBe(200);
    expect(rep.body.incident.carrierReportedAt).toBe(new Date(at(600)).toISOString());
    expect(published.map((e) => [e.type, e.incident.id])).toEqual([['updated', openId]]);
    const resp = await call('POST', `/incidents/${openId}/carrier-response`, { user: 'noc.zhang', body: { at: new Date(at(600 + 3000)).toISOString() } });
    expect(resp.body.incident).toMatchObject({ carrierRespondedAt: new Date(at(3600)).toISOString(), carrierResponse: { status: 'responded', responseSec: 3000, withinLimit: true, withinStrictLimit: true } });
    const again = await call('POST', `/incidents/${openId}/carrier-response`, { user: 'noc.zhang', body: {} });
    expect(again.status).toBe(409);
  });

  it('a response before its report or before the incident is a 400 naming at', async () => {
    const early = await call('POST', `/incidents/${openId}/carrier-response`, { user: 'noc.zhang', body: { at: new Date(at(500)).toISOString() } });
    expect(early).toMatchObject({ status: 400, body: { details: [{ field: 'at' }] } });
    expect(early.body.error).toMatch(/cannot precede the report/);
    const ancient = await call('POST', `/incidents/${openId}/carrier-response`, { user: 'noc.zhang', body: { at: '1970-01-01T00:00:00Z' } });
    expect(ancient).toMatchObject({ status: 400, body: { details: [{ field: 'at' }] } });
  });
});

describe('verdict correction', () => {
  it('propose (operator) → approve (a different approver) → takes effect; both audited', async () => {
    const bad = await call('POST', `/incidents/${closedId}/verdict`, { user: 'noc.zhang', body: { responsibility: 'nobody', reason: 'x' } });
    expect(bad.status).toBe(400);
    expect(bad.body.details.map((d: { field: string }) => d.field)).toEqual(['responsibility', 'reason']);
    const p = await call('POST', `/incidents/${closedId}/verdict`, { user: 'noc.zhang', body: { responsibility: 'external', reason: 'regional power cut (12.1)' } });
    expect(p.status).toBe(202);
    expect(p.body.incident).toMatchObject({ responsibility: 'line', corrections: [{ proposedBy: 'noc.zhang', approvedBy: null }] });
    expect((await call('POST', `/incidents/${closedId}/verdict/approve`, { user: 'noc.zhang', body: {} })).status).toBe(403);
    const a = await call('POST', `/incidents/${closedId}/verdict/approve`, { user: 'mgr.li', body: {} });
    expect(a.status).toBe(200);
    expect(a.body.incident).toMatchObject({ responsibility: 'external', verdict: 'final', rule: 'operator-correction', corrections: [{ approvedBy: 'mgr.li', approvedAt: new Date(at(3600)).toISOString() }] });
    expect((await call('POST', `/incidents/${closedId}/verdict/approve`, { user: 'mgr.li', body: {} })).status).toBe(409);
    const actions = audit.list().filter((e) => e.target === closedId).map((e) => [e.actor, e.action]);
    expect(actions).toEqual([
      ['noc.zhang', 'incident.verdict.propose'],
      ['mgr.li', 'incident.verdict.approve'],
    ]);
    // The approval records what it changed, not an empty detail.
    const approval = audit.list({ action: 'incident.verdict.approve', target: closedId })[0]!;
    expect(approval.detail).toMatchObject({ before: { responsibility: 'line', correction: { proposedBy: 'noc.zhang', approvedBy: null } }, after: { responsibility: 'external', verdict: 'final', correction: { approvedBy: 'mgr.li' } } });
  });
});

describe('/api/maintenance', () => {
  const body = { siteId: 'A', startsAt: '2026-03-10T16:00:00Z', endsAt: '2026-03-10T18:00:00Z', carrierNoticeRef: '割接通知 2026-031' };

  const bad: { name: string; b: Record<string, unknown>; field: string }[] = [
    { name: 'both site and group', b: { ...body, carrierGroup: 'AGG-A' }, field: 'siteId' },
    { name: 'neither', b: { startsAt: body.startsAt, endsAt: body.endsAt, carrierNoticeRef: 'x' }, field: 'siteId' },
    { name: 'no notice ref', b: { ...body, carrierNoticeRef: ' ' }, field: 'carrierNoticeRef' },
    { name: 'bad instant', b: { ...body, startsAt: '10 March' }, field: 'startsAt' },
    { name: 'end before start', b: { ...body, endsAt: '2026-03-10T15:00:00Z' }, field: 'endsAt' },
    { name: 'unknown site', b: { ...body, siteId: 'ZZ' }, field: 'siteId' },
    { name: 'unknown carrier group', b: { carrierGroup: 'AGG-Q', startsAt: body.startsAt, endsAt: body.endsAt, carrierNoticeRef: 'x' }, field: 'carrierGroup' },
  ];
  it.each(bad)('400 naming the field: $name', async (c) => {
    const r = await call('POST', '/maintenance', { user: 'noc.zhang', body: c.b });
    expect(r.status).toBe(400);
    expect(r.body.details.map((d: { field: string }) => d.field)).toContain(c.field);
  });

  it('create, list, delete (with a reason), audited', async () => {
    expect((await call('POST', '/maintenance', { user: 'viewer', body })).status).toBe(403);
    const c = await call('POST', '/maintenance', { user: 'noc.zhang', body });
    expect(c.status).toBe(201);
    expect(c.body.window).toMatchObject({ siteId: 'A', carrierGroup: null, startsAt: '2026-03-10T16:00:00.000Z', registeredBy: 'noc.zhang', registeredAt: new Date(at(3600)).toISOString() });
    // A whole carrier group takes a second person: proposed, refused to its proposer, approved by another.
    const gp = await call('POST', '/maintenance', { user: 'noc.zhang', body: { carrierGroup: 'AGG-B', startsAt: body.startsAt, endsAt: body.endsAt, carrierNoticeRef: 'N-2' } });
    expect(gp.status).toBe(202);
    expect(gp.body.needsApproval).toMatch(/whole carrier group AGG-B/);
    expect((await call('GET', '/maintenance')).body.windows).toHaveLength(1);
    expect((await call('POST', `/maintenance/proposals/${gp.body.proposal.id}/approve`, { user: 'noc.zhang', body: {} })).status).toBe(403);
    const g = await call('POST', `/maintenance/proposals/${gp.body.proposal.id}/approve`, { user: 'mgr.li', body: {} });
    expect(g.status).toBe(200);
    expect(g.body.window).toMatchObject({ carrierGroup: 'AGG-B', registeredBy: 'noc.zhang' });
    expect((await call('POST', `/maintenance/proposals/${gp.body.proposal.id}/approve`, { user: 'mgr.li', body: {} })).status).toBe(409);
    const list = await call('GET', '/maintenance');
    const listed = list.body.windows.map((w: { id: string }) => w.id);
    expect(listed).toHaveLength(2);
    expect(listed).toEqual(expect.arrayContaining([c.body.window.id, g.body.window.id]));
    expect((await call('GET', '/maintenance?from=2026-03-11T00:00:00Z')).body.windows).toEqual([]);
    expect((await call('DELETE', `/maintenance/${c.body.window.id}`, { user: 'noc.zhang', body: {} })).status).toBe(400);
    const d = await call('DELETE', `/maintenance/${c.body.window.id}`, { user: 'noc.zhang', body: { reason: 'carrier postponed the work' } });
    expect(d.status).toBe(200);
    expect((await call('DELETE', `/maintenance/${c.body.window.id}`, { user: 'noc.zhang', body: { reason: 'again' } })).status).toBe(404);
    expect((await call('GET', '/maintenance')).body.windows.map((w: { id: string }) => w.id)).toEqual([g.body.window.id]);
    expect(audit.list().filter((e) => e.action.startsWith('maintenance.')).map((e) => e.action)).toEqual([
      'maintenance.create',
      'maintenance.propose',
      'maintenance.create',
      'maintenance.approve',
      'maintenance.delete',
    ]);
  });

  it('a window longer than the maximum, and any change to a window that has begun, need a second person', async () => {
    const now = clock.now();
    const long = await call('POST', '/maintenance', {
      user: 'noc.zhang',
      body: { siteId: 'A', startsAt: new Date(now + 3_600_000).toISOString(), endsAt: new Date(now + 3_600_000 + 3650 * 86_400_000).toISOString(), carrierNoticeRef: 'N-3' },
    });
    expect(long.status).toBe(202);
    expect(long.body.needsApproval).toMatch(/longer than 24 h/);
    const begun = await call('POST', '/maintenance', {
      user: 'noc.zhang',
      body: { siteId: 'A', startsAt: new Date(now - 60_000).toISOString(), endsAt: new Date(now + 3_600_000).toISOString(), carrierNoticeRef: 'N-4' },
    });
    expect(begun.status).toBe(201);
    const del = await call('DELETE', `/maintenance/${begun.body.window.id}`, { user: 'noc.zhang', body: { reason: 'carrier cancelled' } });
    expect(del.status).toBe(202);
    expect(del.body.needsApproval).toMatch(/has begun/);
    expect((await call('GET', '/maintenance')).body.windows.map((w: { id: string }) => w.id)).toContain(begun.body.window.id);
    const ok = await call('POST', `/maintenance/proposals/${del.body.proposal.id}/approve`, { user: 'mgr.li', body: {} });
    expect(ok.status).toBe(200);
    expect((await call('GET', '/maintenance')).body.windows.map((w: { id: string }) => w.id)).not.toContain(begun.body.window.id);
  });
});
