import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startDemarc, type RunningDemarc } from '../../app/pipeline.js';
import { systemClock } from '../../core/clock.js';
import { silentLogger } from '../../core/logger.js';
import { authHeaders, setTestPasswords, TEST_USERS } from '../support/auth.js';
import { makeFleetConfig, type FleetConfig } from '../support/fleet-fixture.js';

/**
 * The audit log through the running app: every mutating request recorded, refusals included,
 * the auditor's read, filter, CSV and verify routes, and a chain tampered with while demarc
 * was down found at start-up (health degraded, a demarc-health alert raised).
 */
describe('audit log in the running app', () => {
  let fleet: FleetConfig;
  let demarc: RunningDemarc;
  const start = () => startDemarc(fleet.config, { logger: silentLogger, clock: systemClock, webRoot: null });
  const get = async (path: string, user: string | null) => {
    const res = await fetch(demarc.url + path, { headers: user ? await authHeaders(demarc.url, user) : {} });
    return { status: res.status, type: res.headers.get('content-type') ?? '', text: await res.text() };
  };
  const post = async (path: string, user: string | null, body: string) => {
    const res = await fetch(demarc.url + path, { method: 'POST', headers: { 'content-type': 'application/json', ...(user ? await authHeaders(demarc.url, user) : {}) }, body });
    return res.status;
  };

  beforeAll(async () => {
    fleet = makeFleetConfig({ sites: 2, agentPort: 24102, extraYaml: JSON.stringify({ users: TEST_USERS }) });
    demarc = await start();
    await setTestPasswords(demarc.identity);
  }, 30_000);
  afterAll(async () => {
    await demarc?.stop();
    fleet?.cleanup();
  });

  const window = JSON.stringify({ siteId: 'S001', startsAt: '2026-12-10T16:00:00Z', endsAt: '2026-12-10T18:00:00Z', carrierNoticeRef: 'N-1' });

  it('records refused and accepted mutating requests with actor, source and status', async () => {
    const site = fleet.config.inventory.sites[0]!.id;
    const body = window.replace('S001', site);
    expect(await post('/api/maintenance', null, body)).toBe(401);
    expect(await post('/api/maintenance', 'viewer.zhao', body)).toBe(403);
    expect(await post('/api/maintenance', 'noc.zhang', JSON.stringify({ pad: 'x'.repeat(300 * 1024) }))).toBe(413);
    expect(await post('/api/maintenance', 'noc.zhang', body)).toBe(201);

    const res = await get('/api/audit?action=http.&target=/api/maintenance&limit=50', 'audit.chen');
    expect(res.status).toBe(200);
    const { entries, total } = JSON.parse(res.text) as { total: number; entries: { actor: string; action: string; target: string; detail: Record<string, unknown> }[] };
    expect(total).toBe(4);
    expect(entries.map((e) => [e.actor, e.target, e.detail.status, e.detail.outcome, e.detail.source])).toEqual([
      ['anonymous', '/api/maintenance', 401, 'refused', '127.0.0.1'],
      ['viewer.zhao', '/api/maintenance', 403, 'refused', '127.0.0.1'],
      // Refused by the body parser, before any route knew the user.
      ['anonymous', '/api/maintenance', 413, 'refused', '127.0.0.1'],
      ['noc.zhang', '/api/maintenance', 201, 'done', '127.0.0.1'],
    ]);
    expect(entries[2]!.detail.problem).toMatch(/larger than the limit/);
    // The command's own row, beside the request's.
    const created = JSON.parse((await get('/api/audit?action=maintenance.create', 'audit.chen')).text) as { entries: { actor: string }[] };
    expect(created.entries.map((e) => e.actor)).toEqual(['noc.zhang']);
  });

  it('serves the auditor (and admin) only; filters, pages and exports CSV', async () => {
    expect((await get('/api/audit', null)).status).toBe(401);
    expect((await get('/api/audit', 'noc.zhang')).status).toBe(403);
    expect((await get('/api/audit/verify', 'mgr.li')).status).toBe(403);
    expect((await get('/api/audit', 'admin')).status).toBe(200);
    const bad = await get('/api/audit?from=yesterday', 'audit.chen');
    expect(bad.status).toBe(400);
    expect(bad.text).toContain('from');
    const page = JSON.parse((await get('/api/audit?actor=anonymous&target=/api/maintenance&limit=1&offset=1', 'audit.chen')).text) as { total: number; entries: { detail: { status: number } }[] };
    expect(page.total).toBe(2);
    expect(page.entries.map((e) => e.detail.status)).toEqual([413]);
    const csv = await get('/api/audit?actor=viewer.zhao&format=csv', 'audit.chen');
    expect(csv.type).toMatch(/^text\/csv/);
    const lines = csv.text.replace(/^\uFEFF/, '').trim().split('\n');
    expect(lines[0]).toBe('seq,at,actor,action,target,detail,prevHash,hash');
    expect(lines.slice(1).some((l) => l.includes(',viewer.zhao,http.post,/api/maintenance,'))).toBe(true);
    const verify = JSON.parse((await get('/api/audit/verify', 'audit.chen')).text) as { ok: boolean; state: string };
    expect(verify).toMatchObject({ ok: true, state: 'ok' });
  });

  it('a row edited while demarc was down: found at start-up, health degraded, an alert raised', async () => {
    await demarc.stop();
    const db = new Database(fleet.config.state.path);
    db.prepare(`UPDATE audit_log SET actor = 'mgr.li' WHERE seq = 2`).run();
    db.close();
    demarc = await start();
    const health = JSON.parse((await get('/api/health', null)).text) as { status: string; problems: string[] };
    expect(health.status).toBe('degraded');
    expect(health.problems).toContain('audit chain broken at row 2: its content does not match its keyed hash (edited, or written without the key)');
    const verify = JSON.parse((await get('/api/audit/verify', 'audit.chen')).text) as { ok: boolean; brokenAt: number };
    expect(verify).toMatchObject({ ok: false, brokenAt: 2 });
    const alerts = JSON.parse((await get('/api/alerts', 'admin')).text) as { alerts: { rule: string; detail: string }[] };
    expect(alerts.alerts.filter((a) => a.rule === 'demarc-health' && a.detail.includes('row 2'))).toHaveLength(1);
  }, 30_000);
});
