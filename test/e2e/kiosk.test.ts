import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startDemarc, type RunningDemarc } from '../../app/pipeline.js';
import { systemClock } from '../../core/clock.js';
import { silentLogger } from '../../core/logger.js';
import { startFleetSimulator, type FleetSimulator } from '../../sim/fleet.js';
import { launchChromium, type ChromiumSession } from '../support/chromium.js';
import { makeFleetConfig, type FleetConfig } from '../support/fleet-fixture.js';
import { until } from '../support/wait.js';
import { ensureWebBuilt, WEB_DIST } from '../support/web-build.js';

/**
 * The wall on its display token, as the room's TV runs it: no cursor, no navigation, and it gets
 * back by itself when the server has forgotten its session; a revoked token does not.
 */
const AGENT_PORT = 43171;
let fleet: FleetConfig;
let sim: FleetSimulator;
let demarc: RunningDemarc;
let browser: ChromiumSession;
let page: Page;
let tokenId: string;

const displaySessions = () => demarc.identity.sessions.listLive().filter((s) => s.owner.kind === 'display' && s.owner.tokenId === tokenId);

beforeAll(async () => {
  await ensureWebBuilt();
  fleet = makeFleetConfig({ sites: 2, agentPort: AGENT_PORT, intervalSec: 1 });
  sim = await startFleetSimulator({ config: fleet.config, controlPort: null });
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
  it('hides the cursor and every control nobody in the room can use', async () => {
    await page.waitForSelector('[data-site-id]');
    expect(await page.$eval('[data-site-id]', (el) => getComputedStyle(el).cursor)).toBe('none');
    expect(await page.$eval('body', (el) => getComputedStyle(el).cursor)).toBe('none');
    expect(await page.locator('.app-header__nav').count()).toBe(0);
    expect(await page.locator('[data-locale]').count()).toBe(0);
    expect(await page.locator('[data-testid="logout"]').count()).toBe(0);
    expect(await page.textContent('[data-testid="display-mode"]')).toBeTruthy();
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
