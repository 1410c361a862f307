import express from 'express';
import { mkdtempSync, rmSync } from 'node:fs';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { errorHandler } from '../../api/http-errors.js';
import { incidentRoutes } from '../../api/routes/incidents.js';
import { AuditLog } from '../../audit/audit-log.js';
import { ManualClock } from '../../core/clock.js';
import type { IncidentDto } from '../../core/events.js';
import { silentLogger } from '../../core/logger.js';
import type { User } from '../../core/user.js';
import { createOutageStage, type OutageStage } from '../../outage/outage-stage.js';
import { openStateDb, type StateDb } from '../../store/state-db.js';
import { mountAuth, sessions } from '../support/auth.js';
import { answered, at, makeSite, silent, testConfig } from './sample-factory.js';

/**
 * What the console's incident pages need from the API: filters by division and carrier group,
 * paging with a total, the approver's queue, rejecting a correction, the pre-filled fault report.
 */
const users: User[] = [
  { id: 'noc.zhang', name: '张工', roles: ['operator'] },
  { id: 'mgr.li', name: '李主任', roles: ['approver'] },
  { id: 'viewer', name: 'V', roles: ['viewer'] },
];
const SITES = [
  { ...makeSite('A'), division: '第一师' },
  { ...makeSite('B', { group: 'AGG-B' }), division: '第一师' },
  { ...makeSite('C', { group: 'AGG-B' }), division: '第三师' },
];

let dir: string;
let db: StateDb;
let server: Server;
let base: string;
let stage: OutageStage;
let clock: ManualClock;
const ids: Record<string, string> = {};
const as = sessions(() => base);

async function call(method: string, path: string, opts: { user?: string; body?: unknown } = {}) {
  const user = opts.user ?? (method === 'GET' ? 'viewer' : undefined);
  const res = await fetch(base + path, {
    method,
    headers: { 'content-type': 'application/json', ...(await as(user)) },
    ...(opts.body !== undefined ? { body: JSON.stringify(opts.body) } : {}),
  });
  return { status: res.status, body: (await res.json()) as Record<string, any> };
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'demarc-console-api-'));
  db = openStateDb(join(dir, 'state.db'));
  clock = new ManualClock(at(0));
  const audit = new AuditLog(db, clock);
  stage = createOutageStage({ db, sites: SITES, config: testConfig(), clock, logger: silentLogger, audit });
  // A down from 4 to 10 (closed), B from 12 on, C from 15 on (both open).
  for (let s = 0; s <= 20; s++) {
    clock.set(at(s));
    stage.observe([s >= 4 && s < 10 ? silent('A', s) : answered('A', s), s >= 12 ? silent('B', s) : answered('B', s), s >= 15 ? silent('C', s) : answered('C', s)], at(s));
  }
  clock.set(at(3600));
  for (const id of ['A', 'B', 'C']) ids[id] = stage.listIncidents({ siteId: id })[0]!.id;
  const app = express();
  app.use(express.json());
  await mountAuth(app, { db, clock, users });
  app.use('/api', incidentRoutes({ outage: stage, clock, publish: () => undefined, faultDesk: { customer: '社会保障卡服务中心', hotline: '400-000-0000', callback: 'NOC 值班台' } }));
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

const sitesOf = async (qs: string) => {
  const { status, body } = await call('GET', `/incidents?${qs}`);
  expect(status).toBe(200);
  return { sites: (body.incidents as IncidentDto[]).map((i) => i.siteId), total: body.total as number, offset: body.offset as number };
};

describe('GET /api/incidents: filters and paging', () => {
  const cases: { qs: string; sites: string[]; total: number }[] = [
    { qs: '', sites: ['C', 'B', 'A'], total: 3 },
    { qs: 'division=%E7%AC%AC%E4%B8%80%E5%B8%88', sites: ['B', 'A'], total: 2 },
    { qs: 'division=%E7%AC%AC%E4%B8%89%E5%B8%88', sites: ['C'], total: 1 },
    { qs: 'division=nowhere', sites: [], total: 0 },
    { qs: 'carrierGroup=AGG-B', sites: ['C', 'B'], total: 2 },
    { qs: 'carrierGroup=AGG-B&division=%E7%AC%AC%E4%B8%80%E5%B8%88', sites: ['B'], total: 1 },
    { qs: 'carrierGroup=AGG-B&open=false', sites: [], total: 0 },
    { qs: 'limit=1', sites: ['C'], total: 3 },
    { qs: 'limit=1&offset=1', sites: ['B'], total: 3 },
    { qs: 'limit=2&offset=2', sites: ['A'], total: 3 },
    { qs: 'offset=5', sites: [], total: 3 },
    { qs: 'open=true&limit=1&offset=1', sites: ['B'], total: 2 },
  ];
  it.each(cases)('?$qs → $sites of $total', async (c) => {
    const r = await sitesOf(c.qs);
    expect(r.sites).toEqual(c.sites);
    expect(r.total).toBe(c.total);
  });

  const bad: { qs: string; field: string }[] = [
    { qs: 'offset=-1', field: 'offset' },
    { qs: 'offset=two', field: 'offset' },
    { qs: 'limit=0', field: 'limit' },
    { qs: 'division=', field: 'division' },
    { qs: 'carrierGroup=', field: 'carrierGroup' },
    { qs: 'correction=approved', field: 'correction' },
  ];
  it.each(bad)('400 naming the field for ?$qs', async (c) => {
    const { status, body } = await call('GET', `/incidents?${c.qs}`);
    expect(status).toBe(400);
    expect(body.details.map((d: { field: string }) => d.field)).toContain(c.field);
  });
});

describe('the approver queue and rejecting a correction', () => {
  it('lists incidents with a correction waiting; a second person rejects it; it leaves the queue, verdict unchanged', async () => {
    expect((await sitesOf('correction=pending')).sites).toEqual([]);
    const before = (await call('GET', `/incidents/${ids.B}`)).body.incident as IncidentDto;
    const p = await call('POST', `/incidents/${ids.B}/verdict`, { user: 'noc.zhang', body: { responsibility: 'external', reason: '第三方施工挖断光缆' } });
    expect(p.status).toBe(202);
    expect((await sitesOf('correction=pending')).sites).toEqual(['B']);

    const self = await call('POST', `/incidents/${ids.B}/verdict/reject`, { user: 'noc.zhang', body: { reason: '自己驳回自己' } });
    expect(self.status).toBe(403);
    const shortReason = await call('POST', `/incidents/${ids.B}/verdict/reject`, { user: 'mgr.li', body: { reason: 'no' } });
    expect(shortReason.status).toBe(400);
    expect(shortReason.body.details[0].field).toBe('reason');
    const noBody = await call('POST', `/incidents/${ids.B}/verdict/reject`, { user: 'mgr.li', body: {} });
    expect(noBody.status).toBe(400);
    expect(noBody.body.details[0].field).toBe('reason');
    const extra = await call('POST', `/incidents/${ids.B}/verdict/reject`, { user: 'mgr.li', body: { reason: '证据不足', approve: true } });
    expect(extra.status).toBe(400);

    const r = await call('POST', `/incidents/${ids.B}/verdict/reject`, { user: 'mgr.li', body: { reason: '证据不足：CE 仍在线' } });
    expect(r.status).toBe(200);
    const after = r.body.incident as IncidentDto;
    expect(after.responsibility).toBe(before.responsibility);
    expect(after.corrections.at(-1)).toMatchObject({ proposedBy: 'noc.zhang', approvedBy: null, rejected: { by: 'mgr.li', reason: '证据不足：CE 仍在线' } });
    expect(after.evidence.at(-1)).toMatchObject({ kind: 'correction-rejected', params: { by: 'mgr.li', proposedBy: 'noc.zhang' } });
    expect((await sitesOf('correction=pending')).sites).toEqual([]);

    // Decided once: neither a second reject nor an approve of the rejected proposal.
    expect((await call('POST', `/incidents/${ids.B}/verdict/reject`, { user: 'mgr.li', body: { reason: '再驳回一次' } })).status).toBe(409);
    expect((await call('POST', `/incidents/${ids.B}/verdict/approve`, { user: 'mgr.li', body: {} })).status).toBe(409);
    // A new proposal may follow a rejected one.
    expect((await call('POST', `/incidents/${ids.B}/verdict`, { user: 'noc.zhang', body: { responsibility: 'device', reason: '现场确认 CE 掉电' } })).status).toBe(202);
    expect((await sitesOf('correction=pending')).sites).toEqual(['B']);
  });

  it('the viewer and the operator may not reject; an unknown incident is 404', async () => {
    expect((await call('POST', `/incidents/${ids.B}/verdict/reject`, { user: 'viewer', body: { reason: '我是观察员' } })).status).toBe(403);
    expect((await call('POST', `/incidents/${ids.B}/verdict/reject`, { user: 'noc.zhang', body: { reason: '我是值班员' } })).status).toBe(403);
    expect((await call('POST', '/incidents/INC-nope/verdict/reject', { user: 'mgr.li', body: { reason: '不存在的事件' } })).status).toBe(404);
  });
});

describe('GET /api/incidents/:id/fault-report', () => {
  it('is pre-filled in zh-CN with the circuit, site, start, evidence and the configured hotline', async () => {
    const { status, body } = await call('GET', `/incidents/${ids.C}/fault-report`, { user: 'noc.zhang' });
    expect(status).toBe(200);
    const f = body.faultReport;
    expect(f).toMatchObject({ hotline: '400-000-0000', circuitId: 'C-C', siteId: 'C', division: '第三师', customer: '社会保障卡服务中心', callback: 'NOC 值班台' });
    expect(f.text).toContain('电路编号：C-C');
    expect(f.text).toContain('所属师：第三师');
    expect(f.text).toContain('回电：NOC 值班台');
    expect(f.evidence.length).toBeGreaterThan(0);
    expect(f.text).not.toMatch(/[A-Za-z]{4,} [a-z]{3,} [a-z]{3,}/); // no English sentence
  });

  it('is for operators (not viewers); 404 for an unknown incident', async () => {
    expect((await call('GET', `/incidents/${ids.C}/fault-report`, { user: 'viewer' })).status).toBe(403);
    expect((await call('GET', '/incidents/INC-nope/fault-report', { user: 'noc.zhang' })).status).toBe(404);
  });
});
