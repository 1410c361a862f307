import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startDemarc, type RunningDemarc } from '../../app/pipeline.js';
import { systemClock } from '../../core/clock.js';
import type { IncidentDto } from '../../core/events.js';
import { silentLogger } from '../../core/logger.js';
import { startFleetSimulator, type FleetSimulator } from '../../sim/fleet.js';
import { setTestPasswords, TEST_PASSWORD } from '../support/auth.js';
import { launchChromium, type ChromiumSession } from '../support/chromium.js';
import { makeFleetConfig, type FleetConfig } from '../support/fleet-fixture.js';
import { ensureWebBuilt, WEB_DIST } from '../support/web-build.js';

/**
 * Login in the browser (zh-CN), a verdict correction proposed in one browser and approved by a
 * different person in another (self-approval refused), and a page on another origin that
 * forges a POST and opens a socket: both refused.
 */
const AGENT_PORT = 24061;
let fleet: FleetConfig;
let sim: FleetSimulator;
let demarc: RunningDemarc;
let reader: Record<string, string>;
let evil: Server;
let evilUrl: string;
const browsers: ChromiumSession[] = [];

beforeAll(async () => {
  await ensureWebBuilt();
  fleet = makeFleetConfig({
    sites: 1,
    agentPort: AGENT_PORT,
    intervalSec: 1,
    extraYaml: `users:
  - { id: t.both, name: 张工, roles: [operator, approver] }
  - { id: t.approver, name: 李主任, roles: [approver] }`,
  });
  sim = await startFleetSimulator({ config: fleet.config, controlPort: null });
  demarc = await startDemarc(fleet.config, { logger: silentLogger, clock: systemClock, webRoot: WEB_DIST, announce: () => undefined });
  await setTestPasswords(demarc.identity);
  reader = { authorization: `Bearer ${demarc.identity.createToken({ name: 'reader', kind: 'api', roles: ['viewer'], expiresAt: null }, 'test').value.reveal()}` };
  // Another origin (127.0.0.2) serving an attacker's page.
  evil = createServer((_req, res) => res.writeHead(200, { 'content-type': 'text/html' }).end(evilPage()));
  await new Promise<void>((r) => evil.listen(0, '127.0.0.2', () => r()));
  evilUrl = `http://127.0.0.2:${(evil.address() as AddressInfo).port}/`;
}, 120_000);

afterAll(async () => {
  for (const b of browsers) await b.close();
  evil?.close();
  await demarc?.stop();
  await sim?.stop();
  fleet?.cleanup();
});

let incidentId = '';
function evilPage(): string {
  const target = `${demarc.url}/api/incidents/${incidentId}/verdict`;
  const ws = demarc.url.replace('http', 'ws') + '/socket.io/?EIO=4&transport=websocket';
  return `<!doctype html><html><body>
<script>
  window.socketResult = 'pending';
  const s = new WebSocket(${JSON.stringify(ws)});
  s.onopen = () => { window.socketResult = 'opened'; };
  s.onclose = () => { if (window.socketResult === 'pending') window.socketResult = 'refused'; };
</script>
<form id="f" method="post" action="${target}"><input name="responsibility" value="customer"><input name="reason" value="forged by another site"></form>
</body></html>`;
}

async function loginInBrowser(userId: string): Promise<Page> {
  const b = await launchChromium({ locale: 'zh-CN', timezoneId: 'Asia/Shanghai' });
  browsers.push(b);
  const page = b.page;
  await page.goto(`${demarc.url}/wall`);
  await page.waitForURL(/\/login\?next=/);
  expect(await page.textContent('[data-testid="login-title"]')).toBe('登录');
  expect(await page.textContent('form')).toContain('用户名');
  await page.fill('input[name="username"]', userId);
  await page.fill('input[name="password"]', 'not the password');
  await page.click('[data-testid="login-submit"]');
  expect(await page.textContent('[data-testid="login-error"]')).toBe('用户名或密码错误');
  await page.fill('input[name="username"]', userId);
  await page.fill('input[name="password"]', TEST_PASSWORD);
  await page.click('[data-testid="login-submit"]');
  await page.waitForURL(/\/wall$/);
  await page.waitForSelector('[data-testid="signed-in-user"]');
  await page.waitForSelector('[data-connection="connected"]');
  return page;
}

/** A change sent from the page the way the web client sends it: session cookie + CSRF token. */
const postFromPage = (page: Page, path: string, body: unknown) =>
  page.evaluate(
    async ({ path, body }) => {
      const me = (await (await fetch('/api/auth/me')).json()) as { csrfToken: string };
      const res = await fetch(path, { method: 'POST', headers: { 'content-type': 'application/json', 'x-csrf-token': me.csrfToken }, body: JSON.stringify(body) });
      return { status: res.status, body: (await res.json()) as { error?: string } };
    },
    { path, body },
  );

async function incident(): Promise<IncidentDto> {
  return ((await (await fetch(`${demarc.url}/api/incidents/${incidentId}`, { headers: reader })).json()) as { incident: IncidentDto }).incident;
}

describe('in the browser', () => {
  it('logs in (zh-CN); one person proposes a correction, cannot approve it, a second person approves it', async () => {
    const site = fleet.config.inventory.sites[0]!;
    sim.inject({ kind: 'line-cut', target: site.id });
    const deadline = Date.now() + 30_000;
    while (!incidentId && Date.now() < deadline) {
      const list = (await (await fetch(`${demarc.url}/api/incidents?open=true&site=${site.id}`, { headers: reader })).json()) as { incidents: IncidentDto[] };
      incidentId = list.incidents.find((i) => i.kind === 'outage')?.id ?? '';
      if (!incidentId) await new Promise((r) => setTimeout(r, 250));
    }
    expect(incidentId).not.toBe('');

    const proposer = await loginInBrowser('t.both');
    const proposed = await postFromPage(proposer, `/api/incidents/${incidentId}/verdict`, { responsibility: 'external', reason: '道路施工挖断光缆（第三方）' });
    expect(proposed.status).toBe(202);
    const self = await postFromPage(proposer, `/api/incidents/${incidentId}/verdict/approve`, {});
    expect(self.status).toBe(403);
    expect(self.body.error).toMatch(/t\.both proposed this correction and cannot also approve it/);
    expect((await incident()).corrections[0]).toMatchObject({ proposedBy: 't.both', approvedBy: null });

    const approver = await loginInBrowser('t.approver');
    const approved = await postFromPage(approver, `/api/incidents/${incidentId}/verdict/approve`, {});
    expect(approved.status).toBe(200);
    expect((await incident()).corrections[0]).toMatchObject({ proposedBy: 't.both', approvedBy: 't.approver', responsibility: 'external' });
  }, 120_000);

  it('a page on another origin can neither post a change nor open the live socket', async () => {
    const page = browsers[0]!.page; // signed in as t.both
    const before = (await incident()).corrections.length;
    await page.goto(evilUrl);
    await page.waitForFunction(() => (window as unknown as { socketResult: string }).socketResult !== 'pending');
    expect(await page.evaluate(() => (window as unknown as { socketResult: string }).socketResult)).toBe('refused');
    const answer = page.waitForResponse((r) => r.url().includes(`/api/incidents/${incidentId}/verdict`));
    await page.evaluate(() => (document.getElementById('f') as HTMLFormElement).submit());
    const res = await answer;
    expect(res.status()).toBe(403);
    expect(await res.text()).toMatch(/cross-origin request refused/);
    expect((await incident()).corrections.length).toBe(before);
    // The same browser, back on demarc's own origin, still works.
    await page.goto(`${demarc.url}/wall`);
    await page.waitForSelector('[data-connection="connected"]');
  }, 60_000);
});
