import { writeFileSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startDemarc, type RunningDemarc } from '../../app/pipeline.js';
import { loadConfig, type DemarcConfig } from '../../config/load.js';
import { systemClock } from '../../core/clock.js';
import type { SiteDto } from '../../core/events.js';
import { silentLogger } from '../../core/logger.js';
import { demoInventoryRows, toInventoryCsv } from '../../sim/demo-inventory.js';
import { startFleetSimulator, type FleetSimulator } from '../../sim/fleet.js';
import { launchChromium, type ChromiumSession } from '../support/chromium.js';
import { makeFleetConfig, type FleetConfig } from '../support/fleet-fixture.js';
import { ensureWebBuilt, WEB_DIST } from '../support/web-build.js';

// Ports of this file (test range 26000-26999): every simulated agent on its own loopback
// address at AGENT_PORT, the API at API_PORT.
const AGENT_PORT = 26161;
const API_PORT = 26080;
const SCREENSHOT = resolve(fileURLToPath(new URL('../../.tmp/wall.png', import.meta.url)));

/** 8 sites over three divisions, so grouping is visible: 3 of 第一师, 3 of 第二师, 2 of 第三师. */
const PICK: Record<string, number> = { 第一师: 3, 第二师: 3, 第三师: 2 };

interface Tile {
  id: string;
  state: string;
  inMbps: string;
  outMbps: string;
  at: string;
  division: string | null;
}

async function tiles(page: Page): Promise<Tile[]> {
  return page.$$eval('[data-site-id]', (els) =>
    els.map((el) => {
      const d = (el as HTMLElement).dataset;
      return {
        id: d.siteId ?? '',
        state: d.state ?? '',
        inMbps: d.inMbps ?? '',
        outMbps: d.outMbps ?? '',
        at: d.at ?? '',
        division: el.closest<HTMLElement>('[data-division]')?.dataset.division ?? null,
      };
    }),
  );
}

/** Shanghai wall-clock time of an instant, computed without Intl: UTC+8, no DST. */
function shanghaiHms(iso: number): string {
  return new Date(iso + 8 * 3_600_000).toISOString().slice(11, 19);
}

describe('NOC wall in Chromium against the simulated fleet', () => {
  let fleet: FleetConfig;
  let config: DemarcConfig;
  let sim: FleetSimulator;
  let demarc: RunningDemarc;
  let browser: ChromiumSession;
  let page: Page;
  const pageErrors: string[] = [];
  let displayToken: string;
  let reader: Record<string, string>;

  beforeAll(async () => {
    await ensureWebBuilt();
    fleet = makeFleetConfig({ sites: 1, agentPort: AGENT_PORT, intervalSec: 1, extraYaml: `api: { port: ${API_PORT} }` });
    const taken: Record<string, number> = {};
    const rows = demoInventoryRows({ agentPort: AGENT_PORT }).filter((r) => {
      const d = r.division ?? '';
      taken[d] = (taken[d] ?? 0) + 1;
      return taken[d] <= (PICK[d] ?? 0);
    });
    writeFileSync(join(fleet.dir, 'sites.csv'), toInventoryCsv(rows));
    config = loadConfig(fleet.configPath, {});
    expect(config.inventory.sites).toHaveLength(8);

    sim = await startFleetSimulator({ config, controlPort: null });
    demarc = await startDemarc(config, { logger: silentLogger, clock: systemClock, webRoot: WEB_DIST, announce: () => undefined });
    // The wall TV runs on a display token (kiosk mode); the test's own reads on a viewer token.
    displayToken = demarc.identity.createToken({ name: 'wall-tv', kind: 'display', roles: [], expiresAt: null }, 'test').value.reveal();
    reader = { authorization: `Bearer ${demarc.identity.createToken({ name: 'test-reader', kind: 'api', roles: ['viewer'], expiresAt: null }, 'test').value.reveal()}` };
    // A browser far from Shanghai: the page must still show UTC+8.
    browser = await launchChromium({ viewport: { width: 1920, height: 1080 }, timezoneId: 'America/New_York' });
    page = browser.page;
    page.on('pageerror', (e) => pageErrors.push(e.message));
  });

  afterAll(async () => {
    await browser?.close();
    await demarc?.stop();
    await sim?.stop();
    fleet?.cleanup();
  });

  it('shows every site as a tile, grouped by division, in zh-CN', async () => {
    // Kiosk URL: the token in the fragment is exchanged for a display session and leaves the address bar.
    await page.goto(`${demarc.url}/wall#token=${displayToken}`);
    await page.waitForURL(/\/wall$/);
    expect(page.url()).not.toContain(displayToken);
    expect(await page.getAttribute('[data-testid="display-mode"]', 'data-testid')).toBe('display-mode');
    await page.waitForSelector('[data-site-id]');
    const shown = await tiles(page);
    expect(shown.map((t) => t.id).sort()).toEqual(config.inventory.sites.map((s) => s.id).sort());
    for (const t of shown) expect(t.division).toBe(config.inventory.sites.find((s) => s.id === t.id)?.division);
    const divisions = await page.$$eval('[data-division]', (els) => els.map((e) => (e as HTMLElement).dataset.division));
    expect(divisions).toEqual(['第一师', '第二师', '第三师']);
    expect(await page.textContent('[data-testid="app-title"]')).toBe('专线监测');
    expect(await page.locator('[data-division="第一师"] .division__name').textContent()).toBe('第一师');
  });

  it('fills in rates over socket.io and keeps updating them without a reload', async () => {
    await page.evaluate(() => ((window as unknown as { wallMarker: string }).wallMarker = 'same page'));
    await page.waitForFunction(() => document.querySelector('[data-testid="connection"]')?.getAttribute('data-connection') === 'connected');
    // The first poll of a site has no rate (no previous counter): wait for the second.
    await page.waitForFunction(() => [...document.querySelectorAll<HTMLElement>('[data-site-id]')].every((t) => t.dataset.inMbps !== '' && t.dataset.state === 'up'), null, {
      timeout: 15_000,
    });
    // The first rate of a site can be off while the collector is still resolving ifIndexes:
    // compare the next one, which every tile must receive without a reload.
    const firstAts = Object.fromEntries((await tiles(page)).map((t) => [t.id, t.at]));
    await page.waitForFunction(
      (before) => [...document.querySelectorAll<HTMLElement>('[data-site-id]')].every((t) => t.dataset.at !== before[t.dataset.siteId ?? ''] && t.dataset.inMbps !== ''),
      firstAts,
      { timeout: 10_000 },
    );
    // Tile elements are tagged to prove later updates patch them instead of rebuilding them.
    await page.$$eval('[data-site-id]', (els) => els.forEach((el, i) => ((el as unknown as { tileMark: number }).tileMark = i)));
    const first = await tiles(page);
    for (const t of first) {
      const inMbps = Number(t.inMbps);
      const outMbps = Number(t.outMbps);
      expect(inMbps).toBeGreaterThan(0);
      expect(inMbps).toBeLessThanOrEqual(70);
      expect(outMbps).toBeGreaterThan(0);
      // Magnitude against the simulator's exact rate. Loose on purpose: here the simulator runs
      // in the same process as demarc, next to Chromium, so the agent may answer hundreds of ms
      // after the request was stamped; the collector's own tests hold the rate to 1%.
      const at = Date.parse(t.at);
      const truth = sim.trueRate(t.id, at - 1000, at);
      expect(Math.abs(inMbps - truth.inBps / 1e6), `${t.id} in`).toBeLessThanOrEqual(0.6 * (truth.inBps / 1e6) + 0.05);
      expect(Math.abs(outMbps - truth.outBps / 1e6), `${t.id} out`).toBeLessThanOrEqual(0.6 * (truth.outBps / 1e6) + 0.05);
    }
    // Exactly what the API says, converted to Mbit/s: read both until each site's poll matches.
    const matched = new Set<string>();
    for (let attempt = 0; attempt < 50 && matched.size < first.length; attempt++) {
      const [api, shown] = await Promise.all([
        fetch(`${demarc.url}/api/sites`, { headers: reader }).then((r) => r.json() as Promise<{ sites: SiteDto[] }>),
        tiles(page),
      ]);
      for (const t of shown) {
        const state = api.sites.find((s) => s.id === t.id)?.state;
        if (!state || state.at !== t.at || state.inBps === null || state.outBps === null) continue;
        expect([t.inMbps, t.outMbps], t.id).toEqual([(state.inBps / 1e6).toFixed(3), (state.outBps / 1e6).toFixed(3)]);
        matched.add(t.id);
      }
    }
    expect([...matched].sort()).toEqual(first.map((t) => t.id).sort());
    await page.waitForFunction(
      (before) => {
        const now = [...document.querySelectorAll<HTMLElement>('[data-site-id]')];
        return now.some((t) => t.dataset.at !== before[t.dataset.siteId ?? '']);
      },
      Object.fromEntries(first.map((t) => [t.id, t.at])),
      { timeout: 10_000 },
    );
    await page.waitForFunction(
      (before) => [...document.querySelectorAll<HTMLElement>('[data-site-id]')].some((t) => t.dataset.inMbps !== before[t.dataset.siteId ?? '']),
      Object.fromEntries(first.map((t) => [t.id, t.inMbps])),
      { timeout: 10_000 },
    );
    expect(await page.evaluate(() => (window as unknown as { wallMarker?: string }).wallMarker)).toBe('same page');
    const marks = await page.$$eval('[data-site-id]', (els) => els.map((el) => (el as unknown as { tileMark?: number }).tileMark));
    expect(marks).toEqual(first.map((_, i) => i));
  });

  it('shows the last cycle in Shanghai time although the browser is in New York', async () => {
    const stamp = page.locator('[data-testid="last-cycle"]');
    const at = Number(await stamp.getAttribute('data-at'));
    expect(at).toBeGreaterThan(Date.now() - 60_000);
    const text = (await stamp.textContent()) ?? '';
    // The stamp may move on between the two reads: accept the cycle read or a later one.
    const shown = /(\d\d:\d\d:\d\d)/.exec(text)?.[1];
    expect([shanghaiHms(at), shanghaiHms(at + 1000), shanghaiHms(at + 2000)]).toContain(shown);
    expect(text).toContain('UTC+8');
    const counts = await page.$$eval('[data-count-state]', (els) => Object.fromEntries(els.map((e) => [(e as HTMLElement).dataset.countState, Number((e as HTMLElement).dataset.count)])));
    expect(counts).toEqual({ up: 8, line: 0, device: 0, planned: 0, monitoring: 0, undetermined: 0, stale: 0, 'no-data': 0 });
  });

  it('turns a tile to an outage within seconds of a line cut, and only that tile', async () => {
    const victim = config.inventory.sites[4]!;
    const cutAt = Date.now();
    sim.inject({ kind: 'line-cut', target: victim.id });
    // The CE poll must time out first (1.5 s, one retry, per the demo profiles); the rest is
    // the next cycle and the push. Generous, because two cores carry sim, demarc and Chromium.
    // The server decides the tile: undetermined while the outage is being confirmed, then the incident's side.
    await page.waitForSelector(`[data-site-id="${victim.id}"]:not([data-state="up"])`, { timeout: 15_000 });
    const tookMs = Date.now() - cutAt;
    expect(tookMs).toBeLessThan(15_000);
    const shown = await tiles(page);
    expect(shown.filter((t) => t.state !== 'up').map((t) => t.id)).toEqual([victim.id]);
    const tile = page.locator(`[data-site-id="${victim.id}"]`);
    // With the CE silent the rate comes from the head end, where the cut circuit carries nothing.
    await page.waitForFunction(
      (id) => {
        const v = document.querySelector<HTMLElement>(`[data-site-id="${id}"]`)?.dataset.inMbps;
        return v === '' || Number(v) < 0.01;
      },
      victim.id,
      // A condition, not a bound: a few 1 s cycles on a loaded machine, with margin like the waits around it.
      { timeout: 15_000 },
    );
    await page.waitForSelector(`[data-site-id="${victim.id}"][data-state="line-outage"]`, { timeout: 15_000 });
    expect(await tile.textContent()).toContain('线路侧');
    // The header counts are the open incidents by responsibility.
    const open = (await (await fetch(`${demarc.url}/api/incidents?open=true`, { headers: reader })).json()) as { incidents: { responsibility: string; siteId: string | null }[] };
    const lineOpen = open.incidents.filter((i) => i.siteId !== null && i.responsibility === 'line').length;
    await page.waitForSelector(`[data-count-state="line"][data-count="${lineOpen}"]`, { timeout: 5000 });
    expect(lineOpen).toBe(1);
    console.info(`[wall e2e] line cut → tile down in ${tookMs} ms`);
  });

  it('shows the lost connection and picks up again when demarc comes back', async () => {
    await page.evaluate(() => ((window as unknown as { wallMarker: string }).wallMarker = 'before restart'));
    await demarc.stop();
    await page.waitForSelector('[data-connection="reconnecting"]', { timeout: 10_000 });
    const before = Object.fromEntries((await tiles(page)).map((t) => [t.id, t.at]));
    demarc = await startDemarc(config, { logger: silentLogger, clock: systemClock, webRoot: WEB_DIST, announce: () => undefined });
    await page.waitForSelector('[data-connection="connected"]', { timeout: 15_000 });
    await page.waitForFunction(
      (prev) => [...document.querySelectorAll<HTMLElement>('[data-site-id]')].every((t) => t.dataset.at !== prev[t.dataset.siteId ?? '']),
      before,
      { timeout: 10_000 },
    );
    expect(await page.evaluate(() => (window as unknown as { wallMarker?: string }).wallMarker)).toBe('before restart');
  });

  it('switches to English and remembers it across a reload', async () => {
    await page.click('[data-locale="en"]');
    await page.waitForFunction(() => document.querySelector('[data-testid="app-title"]')?.textContent === 'Circuit monitor');
    expect(await page.locator('[data-division="第二师"] .division__name').textContent()).toBe('Division 2');
    expect(await page.locator('[data-count-state="up"]').textContent()).toContain('Up');
    const firstTile = config.inventory.sites[0]!;
    expect(await page.locator(`[data-site-id="${firstTile.id}"] .tile__name`).textContent()).toBe('Regt 1');
    await page.reload();
    await page.waitForSelector('[data-site-id]');
    expect(await page.textContent('[data-testid="app-title"]')).toBe('Circuit monitor');
    expect(await page.evaluate(() => document.documentElement.lang)).toBe('en');
  });

  it('leaves a screenshot of the wall in .tmp/wall.png', async () => {
    await page.click('[data-locale="zh-CN"]');
    await page.waitForFunction(() => document.querySelector('[data-testid="app-title"]')?.textContent === '专线监测');
    await page.waitForFunction(() => [...document.querySelectorAll<HTMLElement>('[data-site-id]')].filter((t) => t.dataset.inMbps !== '').length >= 7);
    await mkdir(resolve(SCREENSHOT, '..'), { recursive: true });
    const png = await page.screenshot({ path: SCREENSHOT });
    expect(png.length).toBeGreaterThan(10_000);
  });

  it('opens the site page from its tile with the 24 h throughput chart', async () => {
    const site = config.inventory.sites[0]!;
    await page.click(`[data-site-id="${site.id}"]`);
    await page.waitForURL(new RegExp(`/sites/${site.id}$`));
    await page.waitForSelector('[data-testid="throughput-chart"] canvas');
    await page.waitForFunction(() => Number(document.querySelector('[data-testid="throughput-chart"]')?.getAttribute('data-points')) > 0, null, { timeout: 10_000 });
    expect(await page.getAttribute('[data-testid="site-state"]', 'data-state')).toBe('up');
    expect(await page.textContent('[data-testid="site-detail"] h1')).toContain('第一师一团');
  });

  it('threw no uncaught error in the page through all of the above', () => {
    expect(pageErrors).toEqual([]);
  });
});
