import { createHash } from 'node:crypto';
import { appendFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startDemarc, type RunningDemarc } from '../../app/pipeline.js';
import { systemClock } from '../../core/clock.js';
import type { IncidentDto } from '../../core/events.js';
import { silentLogger } from '../../core/logger.js';
import { startFleetSimulator, type FleetSimulator } from '../../sim/fleet.js';
import { sessions, setTestPasswords } from '../support/auth.js';
import { makeFleetConfig, type FleetConfig } from '../support/fleet-fixture.js';
import { until } from '../support/wait.js';

/**
 * The console's operations routes against a running demarc and the simulated fleet over
 * real SNMP: which incidents a window covers, alert history filters and paging, dead letters
 * from a real webhook receiver that refuses and then accepts, issuing a report into the
 * archive and downloading the archived bytes, user names, delivery counts in health.
 */
// Below the ephemeral range (32768-60999), where no client socket can take it first.
const AGENT_PORT = 24081;
let fleet: FleetConfig;
let sim: FleetSimulator;
let demarc: RunningDemarc;
let hook: Server;
let hookStatus = 503;
const hookBodies: string[] = [];
const as = sessions(() => `${demarc.url}/api`);

async function call(method: string, path: string, user: string, body?: unknown) {
  const res = await fetch(`${demarc.url}/api${path}`, {
    method,
    headers: { 'content-type': 'application/json', ...(await as(user)) },
    ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
  });
  const buf = Buffer.from(await res.arrayBuffer());
  const json = (res.headers.get('content-type') ?? '').includes('json') ? (JSON.parse(buf.toString('utf8')) as Record<string, any>) : null;
  return { status: res.status, body: json ?? {}, bytes: buf, headers: res.headers };
}
const get = (path: string, user = 'viewer.zhao') => call('GET', path, user);

beforeAll(async () => {
  hook = createServer((req, res) => {
    let body = '';
    req.on('data', (d: Buffer) => (body += d.toString()));
    req.on('end', () => {
      hookBodies.push(body);
      res.writeHead(hookStatus, { 'content-type': 'application/json' }).end('{}');
    });
  });
  await new Promise<void>((r) => hook.listen(0, '127.0.0.1', () => r()));
  const hookUrl = `http://127.0.0.1:${(hook.address() as AddressInfo).port}/hook`;
  fleet = makeFleetConfig({
    sites: 3,
    agentPort: AGENT_PORT,
    intervalSec: 1,
    extraYaml: `users:
  - { id: viewer.zhao, name: 赵（只读）, roles: [viewer] }
  - { id: noc.zhang, name: 张工, roles: [operator] }
  - { id: mgr.li, name: 李主任, roles: [approver] }
reports: { archiveDir: ./reports }
alerts:
  language: zh-CN
  channels: [{ id: hook, type: webhook, url: "${hookUrl}", secret: test-webhook-secret }]
  contacts: [{ id: duty, name: 值班, channels: [hook] }]
  routes: [{ match: {}, to: [duty] }]
  timings: { groupingWindowSec: 0 }
  delivery: { attempts: 1, backoffSec: 1, timeoutSec: 5 }`,
  });
  sim = await startFleetSimulator({ config: fleet.config, controlPort: null });
  demarc = await startDemarc(fleet.config, { logger: silentLogger, clock: systemClock, announce: () => undefined, webRoot: null });
  await setTestPasswords(demarc.identity);
}, 120_000);

afterAll(async () => {
  await demarc?.stop();
  await sim?.stop();
  await new Promise((r) => hook?.close(r));
  fleet?.cleanup();
});

const site = (i: number) => fleet.config.inventory.sites[i]!;
const openOutage = (siteId: string) =>
  until(`an open outage of ${siteId}`, async () => ((await get(`/incidents?open=true&site=${siteId}`)).body.incidents as IncidentDto[]).find((i) => i.kind === 'outage'), 45_000);

describe('maintenance coverage', () => {
  let coveredWindow = '';
  let coveredIncident = '';

  it('a window registered before the outage covers it: listed with the window and in its incidents', async () => {
    const now = Date.now();
    const created = await call('POST', '/maintenance', 'noc.zhang', {
      siteId: site(0).id,
      startsAt: new Date(now - 60_000).toISOString(),
      endsAt: new Date(now + 30 * 60_000).toISOString(),
      carrierNoticeRef: '割接通知 2026-041',
    });
    expect(created.status).toBe(201);
    coveredWindow = created.body.window.id;
    sim.inject({ kind: 'line-cut', target: site(0).id });
    const inc = await openOutage(site(0).id);
    coveredIncident = inc.id;
    expect(inc.responsibility).toBe('planned');
    const coverage = await get(`/maintenance/${coveredWindow}/incidents`);
    expect(coverage.status).toBe(200);
    expect(coverage.body.covered.map((i: IncidentDto) => i.id)).toEqual([inc.id]);
    expect(coverage.body.covered[0].maintenanceWindowId).toBe(coveredWindow);
    const list = await get('/maintenance');
    expect(list.body.windows.find((w: { id: string }) => w.id === coveredWindow).coveredIncidentIds).toEqual([inc.id]);
  });

  it('a window registered after an outage began overlaps it without excusing it, and says why', async () => {
    sim.inject({ kind: 'line-cut', target: site(1).id });
    const inc = await openOutage(site(1).id);
    expect(inc.responsibility).not.toBe('planned');
    const created = await call('POST', '/maintenance', 'noc.zhang', {
      siteId: site(1).id,
      startsAt: new Date(Date.parse(inc.startedAt) - 60_000).toISOString(),
      endsAt: new Date(Date.now() + 30 * 60_000).toISOString(),
      carrierNoticeRef: '补登通知 2026-042',
    });
    expect(created.status).toBe(201);
    const coverage = await get(`/maintenance/${created.body.window.id}/incidents`);
    expect(coverage.body.covered).toEqual([]);
    expect(coverage.body.overlapping.map((o: { reason: string; incident: IncidentDto }) => [o.incident.id, o.reason])).toEqual([[inc.id, 'registered-after-start']]);
    // The first window's coverage is its own: the other site's incident is not in it.
    expect((await get(`/maintenance/${coveredWindow}/incidents`)).body.covered.map((i: IncidentDto) => i.id)).toEqual([coveredIncident]);
  });

  it('an unknown window is a 404 naming it; a reader without a session is refused', async () => {
    const r = await get('/maintenance/MW-nope/incidents');
    expect(r.status).toBe(404);
    expect(r.body.error).toContain('MW-nope');
    expect((await fetch(`${demarc.url}/api/maintenance/${coveredWindow}/incidents`)).status).toBe(401);
  });
});

describe('alert history, dead letters, retry', () => {
  it('filters by site, status and acknowledgement, and pages with a total', async () => {
    const s1 = site(1).id;
    const alert = await until('a site-down alert for the second site', async () => {
      const r = await get(`/alerts?site=${s1}&rule=site-down`);
      return (r.body.alerts as { id: string; status: string; siteIds: string[] }[]).find((a) => a.status === 'firing');
    });
    const bySite = await get(`/alerts?site=${s1}`);
    expect(bySite.body.alerts.length).toBeGreaterThan(0);
    expect(bySite.body.alerts.every((a: { siteIds: string[] }) => a.siteIds.includes(s1))).toBe(true);
    expect(bySite.body.total).toBe(bySite.body.alerts.length);

    const all = await get('/alerts');
    expect(all.body.total).toBeGreaterThanOrEqual(bySite.body.total);
    const first = await get('/alerts?limit=1&offset=0');
    expect(first.body.alerts).toHaveLength(1);
    expect(first.body.total).toBe(all.body.total);
    const past = await get(`/alerts?limit=1&offset=${all.body.total}`);
    expect(past.body.alerts).toEqual([]);
    const pages = await Promise.all(Array.from({ length: all.body.total }, (_, i) => get(`/alerts?limit=1&offset=${i}`)));
    expect(pages.map((p) => p.body.alerts[0].id).sort()).toEqual(all.body.alerts.map((a: { id: string }) => a.id).sort());

    expect((await get(`/alerts?site=${s1}&acked=false`)).body.alerts.map((a: { id: string }) => a.id)).toContain(alert.id);
    expect((await call('POST', `/alerts/${alert.id}/ack`, 'noc.zhang', {})).status).toBe(200);
    expect((await get(`/alerts?site=${s1}&acked=true`)).body.alerts.map((a: { id: string }) => a.id)).toContain(alert.id);
    expect((await get(`/alerts?site=${s1}&acked=false`)).body.alerts.map((a: { id: string }) => a.id)).not.toContain(alert.id);
    expect((await get('/alerts?status=resolved&site=nowhere')).body).toMatchObject({ total: 0, alerts: [] });
  });

  it('refuses a bad filter with a 400 naming it', async () => {
    for (const [q, field] of [
      ['rule=bogus', 'rule'],
      ['status=open', 'status'],
      ['offset=-1', 'offset'],
      ['acked=yes', 'acked'],
      ['colour=red', 'colour'],
    ] as const) {
      const r = await get(`/alerts?${q}`);
      expect(r.status, q).toBe(400);
      expect(r.body.error, q).toContain(field);
    }
  });

  it('a delivery the receiver refused is a dead letter; retried once it accepts, it is sent', async () => {
    const dead = await until('a dead letter', async () => (await get('/alerts/dead-letters')).body.deadLetters[0] as { id: string } | undefined);
    const before = (await get('/health')).body.deliveries;
    expect(before.dead).toBeGreaterThan(0);
    hookStatus = 200;
    expect((await call('POST', `/alerts/dead-letters/${dead.id}/retry`, 'viewer.zhao')).status).toBe(403);
    expect((await call('POST', `/alerts/dead-letters/${dead.id}/retry`, 'noc.zhang')).status).toBe(202);
    await until('the retried delivery sent', async () => {
      const deliveries = (await get('/alerts?limit=1000')).body.alerts.flatMap((a: { deliveries: { id: string; status: string }[] }) => a.deliveries);
      return deliveries.find((d: { id: string; status: string }) => d.id === dead.id)?.status === 'sent';
    });
    expect((await get('/alerts/dead-letters')).body.deadLetters.map((d: { id: string }) => d.id)).not.toContain(dead.id);
    const after = (await get('/health')).body.deliveries;
    expect(after.sentLastDay).toBeGreaterThan(before.sentLastDay);
    expect(after.dead).toBe(before.dead - 1);
  });
});

describe('the report archive', () => {
  const month = new Date(Date.now() + 8 * 3_600_000).toISOString().slice(0, 7);

  it('issues a month into the archive (operator or approver) and serves the archived bytes with their SHA-256', async () => {
    expect((await call('POST', '/reports/archive', 'viewer.zhao', { month })).status).toBe(403);
    const issued = await call('POST', '/reports/archive', 'mgr.li', { month });
    expect(issued.status).toBe(201);
    const files = issued.body.reports as { id: number; format: string; sha256: string; period: string; trigger: string; file: string }[];
    expect(files.map((f) => f.format).sort()).toEqual(['json', 'pdf', 'xlsx']);
    expect(files.every((f) => f.period === month && f.trigger === 'manual')).toBe(true);
    const pdf = files.find((f) => f.format === 'pdf')!;
    const archived = (await get('/reports/archive')).body.reports as typeof files;
    expect(archived.find((r) => r.id === pdf.id)?.sha256).toBe(pdf.sha256);
    const dl = await get(`/reports/archive/${pdf.id}/file`);
    expect(dl.status).toBe(200);
    expect(dl.headers.get('content-type')).toBe('application/pdf');
    expect(dl.bytes.subarray(0, 5).toString('latin1')).toBe('%PDF-');
    expect(createHash('sha256').update(dl.bytes).digest('hex')).toBe(pdf.sha256);
    expect(dl.headers.get('content-disposition')).toContain(pdf.file);
    // Audited with the hashes it issued, in the approver's name.
    const entry = demarc.audit.list({ action: 'report.issue' }).find((e) => e.target === month)!;
    expect(entry.actor).toBe('mgr.li');
    expect(entry.detail.files).toEqual(files.map((f) => ({ id: f.id, file: f.file, sha256: f.sha256 })));
    // The English report is issued beside the Chinese one, in its own files.
    const again = await call('POST', '/reports/archive', 'noc.zhang', { month, lang: 'en' });
    expect(again.status).toBe(201);
    expect(again.body.reports.every((r: { lang: string }) => r.lang === 'en')).toBe(true);
  });

  it('refuses a bad month or id with a 400 naming it, an unknown entry with a 404, a damaged file with a 409', async () => {
    for (const [body, field] of [
      [{ month: '2026-13' }, 'month'],
      [{}, 'month'],
      [{ month: '2999-01' }, 'month'],
      [{ month, lang: 'fr' }, 'lang'],
      [{ month, extra: 1 }, 'extra'],
    ] as const) {
      const r = await call('POST', '/reports/archive', 'noc.zhang', body);
      expect(r.status, JSON.stringify(body)).toBe(400);
      expect(r.body.error, JSON.stringify(body)).toContain(field);
    }
    expect((await get('/reports/archive/abc/file')).status).toBe(400);
    expect((await get('/reports/archive/999999/file')).status).toBe(404);
    const xlsx = ((await get('/reports/archive')).body.reports as { id: number; format: string; file: string }[]).find((r) => r.format === 'xlsx')!;
    appendFileSync(join(fleet.dir, 'reports', xlsx.file), 'tampered');
    const damaged = await get(`/reports/archive/${xlsx.id}/file`);
    expect(damaged.status).toBe(409);
    expect(damaged.body.error).toContain(xlsx.file);
  });
});

describe('names and health', () => {
  it('the console gets every user by name, and nothing else about them', async () => {
    const r = await get('/people');
    expect(r.status).toBe(200);
    expect(r.body.people).toEqual(
      expect.arrayContaining([
        { id: 'noc.zhang', name: '张工' },
        { id: 'mgr.li', name: '李主任' },
      ]),
    );
    for (const u of r.body.people) expect(Object.keys(u).sort()).toEqual(['id', 'name']);
  });

  it('health carries the alert deliveries', async () => {
    const h = (await fetch(`${demarc.url}/api/health`).then((r) => r.json())) as { deliveries: Record<string, unknown> };
    expect(h.deliveries).toMatchObject({ queued: expect.any(Number), dead: expect.any(Number), sentLastDay: expect.any(Number), deadLastDay: expect.any(Number) });
    expect(hookBodies.length).toBeGreaterThan(0);
  });
});
