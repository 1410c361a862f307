import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startDemarc, type RunningDemarc } from '../../app/pipeline.js';
import { systemClock } from '../../core/clock.js';
import { silentLogger } from '../../core/logger.js';
import { startFleetSimulator, type FleetSimulator } from '../../sim/fleet.js';
import { launchChromium, type ChromiumSession } from '../support/chromium.js';
import { makeFleetConfig, type FleetConfig } from '../support/fleet-fixture.js';
import { until } from '../support/wait.js';
import { writerSample } from '../store/fixtures/writer-sample.js';
import type { StoredSample } from '../../store/stored-sample.js';
import { createMetricStore } from '../../store/index.js';
import { ensureWebBuilt, WEB_DIST } from '../support/web-build.js';

/**
 * The wall on its display token, as the room's TV runs it: no cursor, no navigation, and it gets
 * back by itself when the server has forgotten its session; a revoked token does not.
 */
const AGENT_PORT = 43171;
const CAPPED = 'D01-R001';
let fleet: FleetConfig;
let sim: FleetSimulator;
let demarc: RunningDemarc;
let browser: ChromiumSession;
let page: Page;
let tokenId: string;

const displaySessions = () => demarc.identity.sessions.listLive().filter((s) => s.owner.kind === 'display' && s.owner.tokenId === tokenId);

/** The hour before `end`, pinned at 20M every 10 s, as the store would hold it. */
function pinnedHour(end: number): StoredSample[] {
  const rows: StoredSample[] = [];
  for (let t = end - 3_600_000; t < end; t += 10_000) {
    const v = 20e6 * (1 + 0.002 * Math.sin(t / 7000));
    rows.push({ ...writerSample(CAPPED, t, 0), at: t, inBps: v, outBps: 3e6 + (t % 13) * 1e5, inUtilPct: v / 7e5, outUtilPct: 5 });
  }
  return rows;
}

beforeAll(async () => {
  await ensureWebBuilt();
  fleet = makeFleetConfig({ sites: 2, agentPort: AGENT_PORT, intervalSec: 1 });
  sim = await startFleetSimulator({ config: fleet.config, controlPort: null });
  // D01-R001 behind a pressed 20M policer from before demarc's first poll, with the hour before on
  // record as the store would have it: the wall's capacity finding end to end.
  sim.inject({ kind: 'rate-cap', target: CAPPED, params: { mbps: 20, pressed: true } });
  // demarc restarted, as it were: the hour is in the store before it starts, and refills the wall's window.
  const history = createMetricStore(fleet.config, { logger: silentLogger, clock: systemClock, sites: fleet.config.inventory.sites });
  await history.init();
  await history.writeRaw(pinnedHour(Date.now()));
  await history.close();
  demarc = await startDemarc(fleet.config, { logger: silentLogger, clock: systemClock, webRoot: WEB_DIST, announce: () => undefined });
  const created = demarc.identity.createToken({ name: 'wall-tv', kind: 'display', roles: [], expiresAt: null }, 'test');
  tokenId = created.token.id;
  browser = await launchChromium({ locale: 'zh-CN', timezoneId: 'Asia/Shanghai' });
  page = browser.page;
  await page.goto(`${demarc.url}/wall#token=${created.value.reveal()}`);
  await page.waitForURL(/\/wall$/);
  await page.waitForSelector('[data-connection="connected"]');
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await demarc?.stop();
  await sim?.stop();
  fleet?.cleanup();
});

describe('kiosk mode on the display token', () => {
  it('hides the cursor, the navigation and the logout', async () => {
    await page.waitForSelector('[data-site-id]');
    expect(await page.$eval('[data-site-id]', (el) => getComputedStyle(el).cursor)).toBe('none');
    expect(await page.$eval('body', (el) => getComputedStyle(el).cursor)).toBe('none');
    expect(await page.locator('.app-header__nav').count()).toBe(0);
    expect(await page.locator('[data-testid="logout"]').count()).toBe(0);
    expect(await page.textContent('[data-testid="display-mode"]')).toBeTruthy();
  });

  it('shows the policer as a capacity finding on its tile, decided on the server', async () => {
    // The live-capacity job runs each minute at :40.
    const tile = page.locator(`[data-site-id="${CAPPED}"] [data-testid="tile-capacity"]`);
    await tile.waitFor({ timeout: 90_000 });
    expect(await tile.getAttribute('data-capacity')).toBe('policer-ceiling');
    expect(await tile.textContent()).toBe('限速 20M');
    expect(await tile.getAttribute('title')).toBe('限速疑似 20 Mbit/s（额定的 28.6%）');
    const other = await page.locator('[data-testid="tile-capacity"]').count();
    expect(other).toBe(1);
  });

  it('opens a new display session by itself when the server no longer knows its own', async () => {
    const before = displaySessions().map((s) => s.handle);
    expect(before).toHaveLength(1);
    // As after a long outage: the session is gone from the server and the socket drops.
    demarc.identity.sessions.revokeOwner({ kind: 'display', tokenId }, 'test');
    demarc.api.io.disconnectSockets(true);
    await page.waitForSelector('[data-connection="reconnecting"], [data-connection="connecting"]');
    await page.waitForSelector('[data-connection="connected"]', { timeout: 30_000 });
    const after = await until('a new display session', () => {
      const live = displaySessions().filter((s) => !before.includes(s.handle));
      return live.length ? live : null;
    });
    expect(after).toHaveLength(1);
    expect(page.url()).toMatch(/\/wall$/);
    // And it is live again: the cycle stamp moves.
    const stamp = await page.getAttribute('[data-testid="last-cycle"]', 'data-finished-at');
    await page.waitForFunction((s) => document.querySelector('[data-testid="last-cycle"]')?.getAttribute('data-finished-at') !== s, stamp);
  });

  it('does not come back on a revoked token', async () => {
    // The wall tries its kept token once the socket is refused, and the server says no.
    const refused = page.waitForResponse((r) => r.url().endsWith('/api/auth/display') && r.request().method() === 'POST', { timeout: 60_000 });
    expect(demarc.identity.revokeToken(tokenId, 'test').ok).toBe(true);
    expect((await refused).status()).toBeGreaterThanOrEqual(400);
    expect(await page.locator('[data-connection="connected"]').count()).toBe(0);
    expect(displaySessions()).toEqual([]);
  });
});
