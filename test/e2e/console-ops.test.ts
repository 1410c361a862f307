import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync } from 'node:fs';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startDemarc, type RunningDemarc } from '../../app/pipeline.js';
import { systemClock } from '../../core/clock.js';
import type { IncidentDto } from '../../core/events.js';
import { silentLogger } from '../../core/logger.js';
import { startFleetSimulator, type FleetSimulator } from '../../sim/fleet.js';
import { ALERT_RULE_TERMS, ALERT_SEVERITY_TERMS, ALERT_STATUS_TERMS, DELIVERY_STATUS_TERMS, SILENCE_STATE_TERMS, UNCOVERED_REASON_TERMS } from '../../core/ops-terms.js';
import { RESPONSIBILITY_TERMS } from '../../core/terms.js';
import type { WindowDto } from '../../web/src/api/ops-endpoints.js';
import { toShanghaiInput } from '../../web/src/model/shanghai-input.js';
import { bearer, setTestPasswords, TEST_PASSWORD } from '../support/auth.js';
import { launchChromium, type ChromiumSession } from '../support/chromium.js';
import { makeFleetConfig, type FleetConfig } from '../support/fleet-fixture.js';
import { until } from '../support/wait.js';
import { ensureWebBuilt, WEB_DIST } from '../support/web-build.js';

/**
 * The console's operations flows in real Chromium, signed in, in zh-CN, against demarc and
 * the simulated fleet over real SNMP. Each flow checks the result through the API, not only
 * the page: a maintenance window entered in the form covers the outage that follows; a group
 * window and a silence proposed by the operator take effect when the approver approves them
 * in another browser; the monthly PDF downloaded from the archive has the archive's SHA-256.
 * The browsers run in UTC, so every time the form takes must be read as Beijing time.
 */
// Below the ephemeral range (32768-60999), where no client socket can take it first.
const AGENT_PORT = 24091;
let fleet: FleetConfig;
let sim: FleetSimulator;
let demarc: RunningDemarc;
let reader: Record<string, string>;
const browsers: ChromiumSession[] = [];

beforeAll(async () => {
  await ensureWebBuilt();
  fleet = makeFleetConfig({
    sites: 2,
    agentPort: AGENT_PORT,
    intervalSec: 1,
    extraYaml: `users:
  - { id: noc.zhang, name: 张工, roles: [operator] }
  - { id: mgr.li, name: 李主任, roles: [approver] }
reports: { archiveDir: ./reports }
alerts: { timings: { groupingWindowSec: 0 } }`,
  });
  sim = await startFleetSimulator({ config: fleet.config, controlPort: null });
  demarc = await startDemarc(fleet.config, { logger: silentLogger, clock: systemClock, webRoot: WEB_DIST, announce: () => undefined });
  await setTestPasswords(demarc.identity);
  reader = bearer(demarc.identity, ['viewer'], 'console-ops reader');
}, 180_000);

afterAll(async () => {
  for (const b of browsers) await b.close();
  await demarc?.stop();
  await sim?.stop();
  fleet?.cleanup();
});

const api = async <T>(path: string): Promise<T> => {
  const res = await fetch(`${demarc.url}/api${path}`, { headers: reader });
  if (res.status !== 200) throw new Error(`GET ${path}: ${res.status} ${await res.text()}`);
  return (await res.json()) as T;
};
const site = (i: number) => fleet.config.inventory.sites[i]!;

const signedIn = new Map<string, Page>();
async function loginAs(userId: string): Promise<Page> {
  const known = signedIn.get(userId);
  if (known) return known;
  const b = await launchChromium({ locale: 'zh-CN', timezoneId: 'UTC' });
  browsers.push(b);
  const page = b.page;
  await page.goto(`${demarc.url}/maintenance`);
  await page.waitForURL(/\/login\?next=/);
  await page.fill('input[name="username"]', userId);
  await page.fill('input[name="password"]', TEST_PASSWORD);
  await page.click('[data-testid="login-submit"]');
  await page.waitForURL(/\/maintenance$/);
  await page.waitForSelector('[data-testid="signed-in-user"]');
  signedIn.set(userId, page);
  return page;
}

/** Opens a console page from the header's navigation, as a person would. */
async function open(page: Page, nav: string, pageTestId: string, heading: string): Promise<void> {
  await page.click(`[data-testid="nav-${nav}"]`);
  await page.waitForSelector(`[data-testid="${pageTestId}"]`);
  expect(await page.textContent(`[data-testid="${pageTestId}"] h1`)).toBe(heading);
}

type WindowRow = WindowDto;

describe('the operations console in Chromium (zh-CN)', () => {
  it('a: the operator registers a maintenance window in the form; the outage that follows is covered by it', async () => {
    const page = await loginAs('noc.zhang');
    await open(page, 'silences', 'silences-page', '告警静默');
    await open(page, 'maintenance', 'maintenance-page', '割接窗口');
    const start = toShanghaiInput(Date.now() - 60_000);
    const end = toShanghaiInput(Date.now() + 60 * 60_000);
    await page.check('[data-testid="scope-site"]');
    await page.selectOption('#mw-site', site(0).id);
    await page.fill('#mw-start', start);
    await page.fill('#mw-end', end);
    await page.fill('#mw-notice', '割接通知 2026-051');
    await page.click('[data-testid="window-submit"]');
    await page.waitForSelector('[data-testid="window-created"]');

    const windows = (await api<{ windows: WindowRow[] }>('/maintenance')).windows;
    const w = windows.find((x) => x.carrierNoticeRef === '割接通知 2026-051');
    expect(w).toMatchObject({ siteId: site(0).id, carrierGroup: null, registeredBy: 'noc.zhang' });
    // Typed as Beijing time in a browser running in UTC: the instant is the Beijing one.
    expect(w!.startsAt).toBe(new Date(Date.parse(`${start}:00+08:00`)).toISOString());
    expect(w!.endsAt).toBe(new Date(Date.parse(`${end}:00+08:00`)).toISOString());
    await page.waitForSelector(`[data-testid="window-timeline"] [data-window="${w!.id}"]`);
    expect(await page.textContent(`[data-window-row="${w!.id}"]`)).toContain('张工');

    sim.inject({ kind: 'line-cut', target: site(0).id });
    await page.click(`[data-window-row="${w!.id}"] [data-testid="show-coverage"]`);
    await page.waitForSelector('[data-testid="window-coverage"]');
    // The page follows the incident over the socket: no reload, no refresh button.
    const li = await page.waitForSelector('[data-testid="window-coverage"] [data-covered-incident]', { timeout: 45_000 });
    const incidentId = await li.getAttribute('data-covered-incident');
    expect(await li.textContent()).toContain('计划割接');

    const coverage = await api<{ covered: IncidentDto[] }>(`/maintenance/${w!.id}/incidents`);
    expect(coverage.covered.map((i) => i.id)).toEqual([incidentId]);
    expect(coverage.covered[0]).toMatchObject({ siteId: site(0).id, responsibility: 'planned', maintenanceWindowId: w!.id });
    await until('the window listed as covering the incident', async () =>
      (await api<{ windows: WindowRow[] }>('/maintenance')).windows.find((x) => x.id === w!.id)?.coveredIncidentIds.includes(incidentId!),
    );
  }, 120_000);

  it('a: a carrier-group window waits for a second person; the operator cannot approve it, the approver does', async () => {
    const page = await loginAs('noc.zhang');
    await page.check('[data-testid="scope-group"]');
    await page.selectOption('#mw-group', site(1).circuit.carrierGroup);
    await page.fill('#mw-start', toShanghaiInput(Date.now() + 3_600_000));
    await page.fill('#mw-end', toShanghaiInput(Date.now() + 3 * 3_600_000));
    await page.fill('#mw-notice', '割接通知 2026-052');
    await page.click('[data-testid="window-submit"]');
    await page.waitForSelector('[data-testid="window-held"]');
    const proposals = (await api<{ proposals: { id: string; proposedBy: string; state: string }[] }>('/maintenance/proposals')).proposals;
    expect(proposals).toHaveLength(1);
    expect(proposals[0]).toMatchObject({ proposedBy: 'noc.zhang', state: 'proposed' });
    const row = `[data-proposal="${proposals[0]!.id}"]`;
    await page.waitForSelector(row);
    expect(await page.textContent(row)).toContain(`覆盖整个汇聚节点 ${site(1).circuit.carrierGroup}`);
    expect(await page.isDisabled(`${row} [data-testid="approve-window"]`)).toBe(true);
    await page.waitForSelector(`[data-testid="window-timeline"] [data-window="${proposals[0]!.id}"].timeline__bar--proposal`);

    const approver = await loginAs('mgr.li');
    await approver.waitForSelector(row);
    await approver.click(`${row} [data-testid="approve-window"]`);
    await approver.waitForSelector(row, { state: 'detached' });
    expect((await api<{ proposals: unknown[] }>('/maintenance/proposals')).proposals).toEqual([]);
    const w = (await api<{ windows: WindowRow[] }>('/maintenance')).windows.find((x) => x.carrierNoticeRef === '割接通知 2026-052');
    expect(w).toMatchObject({ carrierGroup: site(1).circuit.carrierGroup, siteId: null, registeredBy: 'noc.zhang' });
    await approver.waitForSelector(`[data-window-row="${w!.id}"]`);

    // Withdrawn by the operator before it begins: one person may; gone from the API's list.
    await page.reload();
    await page.click(`[data-window-row="${w!.id}"] [data-testid="withdraw-window"]`);
    await page.fill(`[data-window-row="${w!.id}"] input[name="reason"]`, '运营商改期');
    await page.click(`[data-window-row="${w!.id}"] [data-testid="withdraw-confirm"]`);
    await page.waitForSelector(`[data-window-row="${w!.id}"]`, { state: 'detached' });
    expect((await api<{ windows: WindowRow[] }>('/maintenance')).windows.map((x) => x.id)).not.toContain(w!.id);
    // A begun window is another matter: withdrawing it becomes a proposal for a second person.
    const begun = (await api<{ windows: WindowRow[] }>('/maintenance')).windows.find((x) => x.carrierNoticeRef === '割接通知 2026-051')!;
    await page.click(`[data-window-row="${begun.id}"] [data-testid="withdraw-window"]`);
    await page.fill(`[data-window-row="${begun.id}"] input[name="reason"]`, '割接提前结束');
    await page.click(`[data-window-row="${begun.id}"] [data-testid="withdraw-confirm"]`);
    const held = (await until('the withdrawal held as a proposal', async () =>
      (await api<{ proposals: { id: string; change: { kind: string; windowId?: string } }[] }>('/maintenance/proposals')).proposals.find((p) => p.change.kind === 'delete'),
    ))!;
    expect(held.change.windowId).toBe(begun.id);
    expect(await page.textContent(`[data-proposal="${held.id}"]`)).toContain('窗口已开始');
    expect((await api<{ windows: WindowRow[] }>('/maintenance')).windows.map((x) => x.id)).toContain(begun.id);
  }, 120_000);

  it('alerts: the operator finds the alert of a line cut by site and acknowledges it on the alerts page', async () => {
    const page = await loginAs('noc.zhang');
    await open(page, 'alerts', 'alerts-page', '告警');
    sim.inject({ kind: 'line-cut', target: site(1).id });
    await page.fill('[data-testid="alert-filters"] input[name="site"]', site(1).id);
    await page.selectOption('[data-testid="alert-filters"] select[name="rule"]', 'site-down');
    // The history is a query, not a live feed: ask again (one request at a time) until the alert is there.
    const row = await until('the site-down alert on the alerts page', async () => {
      await Promise.all([page.waitForResponse((r) => r.url().includes('/api/alerts?')), page.click('[data-testid="alert-filter-apply"]')]);
      return page.$('[data-testid="alert-list"] tr[data-alert]:has([data-testid="ack-alert"])');
    }, 60_000);
    const alertId = (await row.getAttribute('data-alert'))!;
    expect(await row.textContent()).toContain('电路中断');
    expect(await page.textContent('[data-testid="alerts-page-of"]')).toMatch(/第 1 \/ 1 页，共 \d+ 条/);
    try {
      await page.click(`tr[data-alert="${alertId}"] [data-testid="ack-alert"]`, { timeout: 10_000 });
    } catch (e) {
      // Say what the page and the API showed instead of only "timeout".
      const shown = await page.textContent('[data-testid="alerts-page"]');
      const alert = await api<{ alert: unknown }>(`/alerts/${alertId}`).catch((err: unknown) => String(err));
      throw new Error(`no ack button for ${alertId}; page: ${shown}; api: ${JSON.stringify(alert).slice(0, 800)}`, { cause: e });
    }
    const acked = await page.waitForSelector(`tr[data-alert="${alertId}"] [data-testid="alert-acked"]`);
    expect(await acked.textContent()).toContain('张工');
    const a = (await api<{ alert: { ackedBy: string; ackedAt: string | null; siteIds: string[]; rule: string } }>(`/alerts/${alertId}`)).alert;
    expect(a).toMatchObject({ ackedBy: 'noc.zhang', siteIds: [site(1).id], rule: 'site-down' });
    expect(a.ackedAt).not.toBeNull();
  }, 120_000);

  it('b: the operator proposes a silence; it takes effect when the approver approves it in another browser', async () => {
    const page = await loginAs('noc.zhang');
    await open(page, 'silences', 'silences-page', '告警静默');
    await page.fill('#sl-sites', site(1).id);
    await page.selectOption('#sl-rules', ['site-down']);
    await page.fill('#sl-end', toShanghaiInput(Date.now() + 2 * 3_600_000));
    await page.fill('#sl-reason', '运营商割接期间免打扰');
    await page.click('[data-testid="silence-submit"]');
    const proposedRow = await page.waitForSelector('[data-testid="silence-list"] tr[data-state="proposed"]');
    const silenceId = await proposedRow.getAttribute('data-silence');
    expect(await proposedRow.textContent()).toContain('待复核');
    expect(await proposedRow.textContent()).toContain('张工');
    // An operator has no approve button at all; the server would refuse the self-approval anyway.
    expect(await page.$(`[data-silence="${silenceId}"] [data-testid="approve-silence"]`)).toBeNull();
    type Silence = { id: string; state: string; createdBy: string; approvedBy: string | null; match: { siteIds?: string[]; rules?: string[] } };
    const before = (await api<{ silences: Silence[] }>('/silences')).silences.find((s) => s.id === silenceId);
    expect(before).toMatchObject({ state: 'proposed', createdBy: 'noc.zhang', approvedBy: null, match: { siteIds: [site(1).id], rules: ['site-down'] } });

    const approver = await loginAs('mgr.li');
    await open(approver, 'silences', 'silences-page', '告警静默');
    await approver.click(`[data-silence="${silenceId}"] [data-testid="approve-silence"]`);
    await approver.waitForSelector(`[data-silence="${silenceId}"][data-state="active"]`);
    expect(await approver.textContent(`[data-silence="${silenceId}"]`)).toContain('李主任 复核通过');
    const after = (await api<{ silences: Silence[] }>('/silences')).silences.find((s) => s.id === silenceId);
    expect(after).toMatchObject({ state: 'active', createdBy: 'noc.zhang', approvedBy: 'mgr.li' });
  }, 120_000);

  it('c: the monthly PDF is issued into the archive and downloaded; its bytes have the archive SHA-256', async () => {
    const page = await loginAs('mgr.li');
    await open(page, 'reports', 'reports-page', '月度报告');
    await page.click('[data-testid="report-issue-submit"]');
    await page.waitForSelector('[data-testid="report-issued"]', { timeout: 60_000 });
    type Archived = { id: number; period: string; format: string; sha256: string; file: string };
    const archive = (await api<{ reports: Archived[] }>('/reports/archive')).reports;
    const month = await page.inputValue('#rp-month');
    expect(month).toBe(new Date(Date.now() + 8 * 3_600_000).toISOString().slice(0, 7));
    const pdf = archive.filter((r) => r.format === 'pdf' && r.period === month).at(-1)!;
    expect(pdf).toBeDefined();
    const row = `[data-archive="${pdf.id}"]`;
    await page.waitForSelector(row);
    expect((await page.textContent(`${row} [data-testid="archive-sha256"]`))?.trim()).toBe(pdf.sha256);

    const [download] = await Promise.all([page.waitForEvent('download'), page.click(`${row} [data-testid="archive-download"]`)]);
    expect(download.suggestedFilename()).toBe(pdf.file);
    const bytes = readFileSync((await download.path())!);
    expect(bytes.subarray(0, 5).toString('latin1')).toBe('%PDF-');
    expect(createHash('sha256').update(bytes).digest('hex')).toBe(pdf.sha256);
  }, 120_000);

  it('d: health refreshes by itself; every operations page reads in Chinese, with no code or English sentence showing', async () => {
    const page = await loginAs('noc.zhang');
    // Overruns only grow, and a busy machine can add one between the page's read and ours: the
    // page must show a count between an API reading taken before it loaded and one taken after.
    const before = await api<{ collector: { overruns: number } }>('/health');
    await open(page, 'health', 'health-page', '系统健康');
    const status = await page.waitForSelector('[data-testid="health-status"]');
    const shown = Number(await page.textContent('[data-testid="health-overruns"]'));
    const health = await api<{ status: string; collector: { overruns: number } }>('/health');
    expect(await status.getAttribute('data-health')).toBe(health.status);
    expect(shown).toBeGreaterThanOrEqual(before.collector.overruns);
    expect(shown).toBeLessThanOrEqual(health.collector.overruns);
    for (const part of ['cycle', 'snmp', 'traps', 'store', 'deliveries', 'audit']) await page.waitForSelector(`[data-testid="health-${part}"]`);
    // The store re-reads /api/health on its own: the next answer arrives without a click.
    const next = page.waitForResponse((r) => r.url().endsWith('/api/health') && r.status() === 200, { timeout: 20_000 });
    expect((await next).status()).toBe(200);

    const codes = [ALERT_RULE_TERMS, ALERT_SEVERITY_TERMS, ALERT_STATUS_TERMS, DELIVERY_STATUS_TERMS, SILENCE_STATE_TERMS, UNCOVERED_REASON_TERMS, RESPONSIBILITY_TERMS].flatMap((t) => Object.keys(t));
    const codePattern = new RegExp(`(^|[^\\w-])(${codes.join('|')})(?![\\w-])`);
    mkdirSync('.tmp', { recursive: true });
    for (const [nav, id, heading] of [
      ['maintenance', 'maintenance-page', '割接窗口'],
      ['silences', 'silences-page', '告警静默'],
      ['alerts', 'alerts-page', '告警'],
      ['reports', 'reports-page', '月度报告'],
      ['health', 'health-page', '系统健康'],
    ] as const) {
      await open(page, nav, id, heading);
      await page.waitForFunction(() => !document.body.innerText.includes('加载中'));
      await page.screenshot({ path: `.tmp/console-ops-${nav}.png`, fullPage: true });
      // What a person reads: the page without the server's own sentences (marked lang="en") and without ids.
      const text = await page.evaluate(() => {
        const hidden = [...document.querySelectorAll<HTMLElement>('main [lang="en"]')];
        hidden.forEach((e) => (e.style.display = 'none'));
        const out = document.querySelector('main')!.innerText;
        hidden.forEach((e) => (e.style.display = ''));
        return out;
      });
      const readable = text.replace(/\b[A-Z]{2,4}-[0-9a-f-]{36}\b/g, '').replace(/[0-9a-f]{64}/g, '');
      expect(readable, nav).not.toMatch(codePattern);
      expect(readable, nav).not.toMatch(/[A-Za-z]{3,} [A-Za-z]{3,} [A-Za-z]{3,}/);
    }
    // The English switch turns the same pages into English, and back.
    await page.click('[data-locale="en"]');
    await open(page, 'maintenance', 'maintenance-page', 'Maintenance windows');
    expect(await page.textContent('[data-testid="nav-reports"]')).toBe('Reports');
    await page.click('[data-locale="zh-CN"]');
    expect(await page.textContent('[data-testid="maintenance-page"] h1')).toBe('割接窗口');
  }, 120_000);
});
