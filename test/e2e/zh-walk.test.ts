import { mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startDemarc, type RunningDemarc } from '../../app/pipeline.js';
import { systemClock } from '../../core/clock.js';
import type { IncidentDto, SiteDto } from '../../core/events.js';
import { silentLogger } from '../../core/logger.js';
import { startFleetSimulator, type FleetSimulator } from '../../sim/fleet.js';
import { setTestPasswords, TEST_PASSWORD } from '../support/auth.js';
import { launchChromium, type ChromiumSession } from '../support/chromium.js';
import { makeFleetConfig, type FleetConfig } from '../support/fleet-fixture.js';
import { until } from '../support/wait.js';
import { ensureWebBuilt, WEB_DIST } from '../support/web-build.js';
import { englishInZh, type TextFinding } from '../support/zh-text.js';

/**
 * Every page of the web app in zh-CN, as an admin sees it after a line cut, a power loss and a
 * slow CE over real SNMP: the routes come from the running app's own router, so pages added
 * later are walked too; a route with a parameter gets a real id from the API. Any visible rule,
 * evidence-kind or tile-state code, English term of the terms table or English word outside the
 * allow list (test/support/zh-text.ts) fails the test, naming the page and the words.
 */
const AGENT_PORT = 43161;
const SHOTS = resolve(fileURLToPath(new URL('../../.tmp/zh-walk', import.meta.url)));
const LINE_CUT = 'D01-R004'; // has an OOB path: the CE says "WAN down" over it
const POWER_LOSS = 'D01-R002'; // has a carrier CPE that still answers
const SLOW = 'D01-R003';

let fleet: FleetConfig;
let sim: FleetSimulator;
let demarc: RunningDemarc;
let browser: ChromiumSession;
let page: Page;
let reader: Record<string, string>;
const pageErrors: string[] = [];

const api = async <T>(path: string): Promise<T> => {
  const r = await fetch(`${demarc.url}${path}`, { headers: reader });
  if (!r.ok) throw new Error(`${path}: HTTP ${r.status}`);
  return (await r.json()) as T;
};
const incidentsOf = (siteId: string) => api<{ incidents: IncidentDto[] }>(`/api/incidents?site=${siteId}`).then((r) => r.incidents);

beforeAll(async () => {
  await ensureWebBuilt();
  mkdirSync(SHOTS, { recursive: true });
  fleet = makeFleetConfig({ sites: 6, agentPort: AGENT_PORT, intervalSec: 1, extraYaml: 'users:\n  - { id: t.admin, name: 王管理员, roles: [admin] }' });
  sim = await startFleetSimulator({ config: fleet.config, controlPort: null });
  demarc = await startDemarc(fleet.config, { logger: silentLogger, clock: systemClock, webRoot: WEB_DIST, announce: () => undefined });
  await setTestPasswords(demarc.identity);
  reader = { authorization: `Bearer ${demarc.identity.createToken({ name: 'walk-reader', kind: 'api', roles: ['viewer'], expiresAt: null }, 'test').value.reveal()}` };

  // Incidents of both sides with their evidence, closed again, and a slow CE that stays slow.
  const cut = sim.inject({ kind: 'line-cut', target: LINE_CUT });
  const power = sim.inject({ kind: 'power-loss', target: POWER_LOSS, params: { bootSec: 1 } });
  sim.inject({ kind: 'latency', target: SLOW, params: { ms: 400 } });
  for (const id of [LINE_CUT, POWER_LOSS]) await until(`an incident on ${id}`, async () => (await incidentsOf(id)).length > 0, 60_000);
  cut.clear();
  power.clear();
  for (const id of [LINE_CUT, POWER_LOSS]) await until(`the incident on ${id} to close`, async () => (await incidentsOf(id)).every((i) => i.endedAt !== null), 90_000);

  browser = await launchChromium({ locale: 'zh-CN', timezoneId: 'Asia/Shanghai', viewport: { width: 1920, height: 1080 } });
  page = browser.page;
  page.on('pageerror', (e) => pageErrors.push(e.message));
  await page.goto(`${demarc.url}/wall`);
  await page.waitForURL(/\/login/);
  await page.fill('input[name="username"]', 't.admin');
  await page.fill('input[name="password"]', TEST_PASSWORD);
  await page.click('[data-testid="login-submit"]');
  await page.waitForURL(/\/wall$/);
  await page.waitForSelector('[data-connection="connected"]');
}, 240_000);

afterAll(async () => {
  await browser?.close();
  await demarc?.stop();
  await sim?.stop();
  fleet?.cleanup();
});

interface RouteInfo {
  path: string;
  name: string | null;
  redirect: boolean;
}

/** The running app's routes, from its own router (Vue keeps the app on its mount element). */
async function appRoutes(p: Page): Promise<RouteInfo[]> {
  return p.evaluate(() => {
    const el = document.querySelector('#app') as (Element & { __vue_app__?: { config: { globalProperties: Record<string, unknown> } } }) | null;
    const router = el?.__vue_app__?.config.globalProperties.$router as { getRoutes(): { path: string; name?: unknown; redirect?: unknown }[] } | undefined;
    if (!router) throw new Error('no Vue router on #app');
    return router.getRoutes().map((r) => ({ path: r.path, name: typeof r.name === 'string' ? r.name : null, redirect: r.redirect !== undefined }));
  });
}

/** A real value for each route parameter, by the page it belongs to. New parameterized pages add theirs here. */
async function paramValue(path: string, param: string): Promise<string> {
  if (path.startsWith('/sites/') && param === 'id') return LINE_CUT;
  if (path.startsWith('/incidents/') && param === 'id') return (await incidentsOf(LINE_CUT))[0]!.id;
  if (path.startsWith('/inventory/devices/') && param === 'id') return (await api<{ devices: { id: string }[] }>('/api/inventory/devices')).devices[0]!.id;
  throw new Error(`zh walk: no real value for :${param} of ${path}; add it to paramValue() in test/e2e/zh-walk.test.ts`);
}

async function concretePaths(routes: RouteInfo[]): Promise<string[]> {
  const out: string[] = [];
  for (const r of routes) {
    // Redirects and the catch-all have no page of their own.
    if (r.redirect || r.path.includes('(.*)')) continue;
    let path = r.path;
    for (const m of r.path.matchAll(/:(\w+)(\([^)]*\))?[?*+]?/g)) path = path.replace(m[0], encodeURIComponent(await paramValue(r.path, m[1]!)));
    out.push(path);
  }
  return out;
}

/**
 * Visible text plus what hovering or a screen reader shows (title, aria-label, placeholder).
 * What a page marks translate="no" is data (what a device says of itself, a config key), not
 * the page's words: it is left out, by hiding it while the text is read.
 */
async function shownText(p: Page): Promise<string> {
  return p.evaluate(() => {
    const style = document.createElement('style');
    style.textContent = '[translate="no"] { display: none !important; }';
    document.head.append(style);
    try {
      const attrs = [...document.querySelectorAll('[title],[aria-label],[placeholder]')]
        .filter((el) => (el as HTMLElement).offsetParent !== null || el === document.body)
        .flatMap((el) => ['title', 'aria-label', 'placeholder'].map((a) => el.getAttribute(a) ?? ''));
      return [document.body.innerText, ...attrs].join('\n');
    } finally {
      style.remove();
    }
  });
}

async function settle(p: Page): Promise<void> {
  await p.waitForLoadState('networkidle');
  await p.waitForFunction(() => (document.querySelector('main')?.textContent ?? '').trim().length > 0);
}

describe('every page in zh-CN, logged in as an admin', () => {
  it('shows no code and no English on any page', async () => {
    const routes = await appRoutes(page);
    const paths = await concretePaths(routes);
    // The pages this file knows of must be among them; pages added later are walked as well.
    expect(paths).toEqual(expect.arrayContaining(['/wall', '/incidents', `/sites/${LINE_CUT}`, '/login']));
    const found: { path: string; f: TextFinding }[] = [];
    for (const path of paths) {
      await page.goto(`${demarc.url}${path}`);
      await settle(page);
      if (path.startsWith('/sites/')) await page.waitForSelector('[data-testid="throughput-chart"]:not([data-points="0"])');
      for (const f of englishInZh(await shownText(page))) found.push({ path, f });
      await page.screenshot({ path: join(SHOTS, `${path.replace(/\W+/g, '_') || 'root'}.png`), fullPage: true });
    }
    expect(found.map(({ path, f }) => `${path}: ${f.kind} "${f.match}" in «${f.context}»`)).toEqual([]);
    expect(pageErrors).toEqual([]);
  });

  it('shows the inventory words in English after the switch, and in zh-CN again after switching back', async () => {
    const column = () => page.textContent('[data-testid="edit-column"] option[value="ce_wan_if"]');
    const role = () => page.textContent('[data-role="headend"]');
    await page.goto(`${demarc.url}/inventory/edits`);
    await settle(page);
    expect(await column()).toBe('CE WAN 接口');
    await page.click('[data-locale="en"]');
    await until('the column label in English', async () => (await column()) === 'CE WAN interface', 10_000);
    await page.goto(`${demarc.url}/inventory`);
    await settle(page);
    expect(await role()).toBe('Head-end');
    await page.click('[data-locale="zh-CN"]');
    await until('the role in zh-CN', async () => (await role()) === '头端设备', 10_000);
  });

  it('shows the evidence of both incidents on the site page, in zh-CN', async () => {
    for (const id of [LINE_CUT, POWER_LOSS]) {
      await page.goto(`${demarc.url}/sites/${id}`);
      await settle(page);
      await page.waitForSelector('[data-evidence-kind]');
      const kinds = await page.$$eval('[data-evidence-kind]', (els) => els.map((e) => (e as HTMLElement).dataset.evidenceKind));
      expect(kinds.length).toBeGreaterThan(2);
      const text = await page.$$eval('.timeline li', (els) => els.map((e) => (e as HTMLElement).innerText).join('\n'));
      expect(englishInZh(text)).toEqual([]);
    }
    const sites = await api<{ sites: SiteDto[] }>('/api/sites');
    expect(sites.sites.find((s) => s.id === SLOW)?.state?.rttMs).toBeGreaterThan(350);
  });

  it('draws every range of the site chart, raw samples on a fresh server, with outages shaded and the strip', async () => {
    await page.goto(`${demarc.url}/sites/${LINE_CUT}`);
    await settle(page);
    for (const range of ['1h', '24h', '7d', '30d', 'term']) {
      const button = page.locator(`[data-range="${range}"]`);
      expect(await button.isDisabled(), `${range} enabled`).toBe(false);
      await button.click();
      await page.waitForSelector(`[data-range="${range}"].active`);
      await page.waitForSelector('[data-testid="throughput-chart"]:not([data-points="0"])');
      // The line cut is shaded and on the strip in every range that holds it.
      await page.waitForSelector('[data-testid="throughput-chart"]:not([data-bands="0"])');
      await page.waitForSelector('[data-testid="state-strip"] [data-state="line-outage"]');
      await page.screenshot({ path: join(SHOTS, `site-range-${range}.png`) });
    }
    await page.click('[data-range="1h"]');
    await page.waitForSelector('[data-range="1h"].active');
    // The button turns active at once; the step line follows when the range's data has loaded.
    await page.waitForFunction((want) => document.querySelector('[data-testid="chart-step"]')?.textContent === want, '粒度：每次轮询', { timeout: 15_000 }).catch(() => undefined);
    expect(await page.textContent('[data-testid="chart-step"]')).toBe('粒度：每次轮询');
    const p95 = Number(await page.getAttribute('[data-testid="throughput-chart"]', 'data-p95'));
    expect(p95).toBeGreaterThan(0);
    expect(p95).toBeLessThan(75);
    const legend = await page.$$eval('[data-legend-state]', (els) => els.map((e) => (e as HTMLElement).innerText.trim()));
    expect(legend).toEqual(expect.arrayContaining(['正常', '线路侧']));
  });
});
