import { mkdirSync } from 'node:fs';
import { resolve } from 'node:path';
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
import { until } from '../support/wait.js';
import { ensureWebBuilt, WEB_DIST } from '../support/web-build.js';

/**
 * The operator's incident flows in real Chromium, logged in, zh-CN, against a real demarc polling
 * the simulator over SNMP: a line cut is reported to the carrier and its response recorded; its
 * alert acknowledged; a correction proposed by the operator and approved by an approver in the
 * queue; a viewer sees the page read-only. Each result is checked through the API, not the DOM.
 */
const AGENT_PORT = 24071;
let fleet: FleetConfig;
let sim: FleetSimulator;
let demarc: RunningDemarc;
let reader: Record<string, string>;
const browsers: ChromiumSession[] = [];
let incidentId = '';
let siteId = '';
/** Screenshots for people to look at (git-ignored). */
const TMP = resolve(import.meta.dirname, '../../.tmp');
const shot = (page: Page, name: string) => page.screenshot({ path: resolve(TMP, `console-${name}.png`), fullPage: true });

beforeAll(async () => {
  await ensureWebBuilt();
  mkdirSync(TMP, { recursive: true });
  fleet = makeFleetConfig({
    sites: 4,
    agentPort: AGENT_PORT,
    // Site index 3 has an OOB path: its line cut is decided line side while it lasts.
    oobEvery: 4,
    cpeEvery: 0,
    intervalSec: 1,
    extraYaml: `users:
  - { id: t.op, name: 王工, roles: [operator] }
  - { id: t.approver, name: 李主任, roles: [approver] }
  - { id: t.viewer, name: 赵观察, roles: [viewer] }
alerts:
  faultReport: { hotline: 400-000-0000, callback: NOC 值班台 }
  timings: { groupingWindowSec: 0 }
  channels: [{ id: log, type: log }]
  contacts: [{ id: noc-duty, name: NOC 值班, channels: [log] }]
  rotations: [{ id: noc, shifts: [{ days: [all], from: "00:00", to: "00:00", chain: [noc-duty] }], fallback: [noc-duty] }]
  routes: [{ match: {}, to: [noc] }]`,
  });
  sim = await startFleetSimulator({ config: fleet.config, controlPort: null });
  demarc = await startDemarc(fleet.config, { logger: silentLogger, clock: systemClock, webRoot: WEB_DIST, announce: () => undefined });
  await setTestPasswords(demarc.identity);
  reader = { authorization: `Bearer ${demarc.identity.createToken({ name: 'reader', kind: 'api', roles: ['viewer'], expiresAt: null }, 'test').value.reveal()}` };
  siteId = fleet.config.inventory.sites.find((s) => s.oob !== null)!.id;
  sim.inject({ kind: 'line-cut', target: siteId });
  let last = '';
  const found = await until('a line-side incident for the cut site', async () => {
    const r = (await (await fetch(`${demarc.url}/api/incidents?open=true&site=${siteId}`, { headers: reader })).json()) as { incidents: IncidentDto[] };
    last = r.incidents.map((i) => `${i.kind}/${i.responsibility}/${i.rule}`).join(', ');
    return r.incidents.find((i) => i.kind === 'outage' && i.responsibility === 'line');
  }, 60_000).catch((e: Error) => {
    throw new Error(`${e.message}; open incidents of ${siteId}: ${last || 'none'}`);
  });
  incidentId = found.id;
}, 300_000);

afterAll(async () => {
  for (const b of browsers) await b.close();
  await demarc?.stop();
  await sim?.stop();
  fleet?.cleanup();
});

async function api<T>(path: string): Promise<T> {
  const res = await fetch(`${demarc.url}${path}`, { headers: reader });
  expect(res.status, path).toBe(200);
  return (await res.json()) as T;
}
const incident = () => api<{ incident: IncidentDto }>(`/api/incidents/${incidentId}`).then((r) => r.incident);

async function loginAs(userId: string, next: string): Promise<Page> {
  const b = await launchChromium({ locale: 'zh-CN', timezoneId: 'America/New_York' });
  browsers.push(b);
  const page = b.page;
  // Conditions, not sleeps: but with one core kept busy a page can take longer than playwright's 30 s default.
  page.setDefaultTimeout(60_000);
  await page.goto(`${demarc.url}/login?next=${encodeURIComponent(next)}`);
  await page.fill('input[name="username"]', userId);
  await page.fill('input[name="password"]', TEST_PASSWORD);
  await page.click('[data-testid="login-submit"]');
  await page.waitForSelector('[data-testid="signed-in-user"]');
  return page;
}

let operator: Page;

describe('operator flows in the console (zh-CN)', () => {
  it('the list flags the unreported line-side incident; the operator reports it to the carrier, then records the response', async () => {
    operator = await loginAs('t.op', '/incidents');
    const row = operator.locator(`tr[data-incident-id="${incidentId}"]`);
    await row.waitFor();
    await row.locator('[data-testid="unreported-flag"]').waitFor();
    expect(await row.textContent()).toContain('未申告');
    expect(await row.textContent()).toContain('线路侧');
    expect(await operator.textContent('[data-testid="console-nav"]')).toContain('故障事件');
    await shot(operator, 'incident-list');

    await row.locator('[data-testid="incident-link"]').click();
    await operator.waitForURL(new RegExp(`/incidents/${incidentId}$`));
    const report = operator.locator('[data-testid="fault-report"]');
    await report.waitFor();
    const circuitId = fleet.config.inventory.sites.find((s) => s.id === siteId)!.circuit.id;
    const text = (await report.textContent()) ?? '';
    expect(text).toContain(`电路编号：${circuitId}`);
    expect(text).toContain('故障开始：');
    expect(text).toContain('北京时间');
    expect(text).toContain('CE 带内不可达');
    expect(await operator.textContent('[data-testid="carrier-hotline"]')).toBe('400-000-0000');
    await shot(operator, 'fault-report');

    await operator.fill('input[name="report-note"]', '工单 GZ-001，受理人工号 1234');
    await operator.click('[data-testid="submit-carrier-report"]');
    await operator.locator('[data-testid="carrier-reported"]').waitFor();
    await operator.locator('[data-testid="carrier-panel"] [data-deadline="waiting"]').waitFor();
    expect(await operator.textContent('[data-testid="carrier-panel"] [data-deadline="waiting"]')).toContain('1 小时时限剩余');
    const reported = await incident();
    expect(reported.carrierReportedAt).not.toBeNull();
    expect(reported.evidence.find((e) => e.kind === 'carrier-reported')?.params).toMatchObject({ by: 't.op', note: '工单 GZ-001，受理人工号 1234' });

    await operator.fill('input[name="response-note"]', '运营商已派单，预计两小时内到场');
    await operator.click('[data-testid="submit-carrier-response"]');
    await operator.locator('[data-testid="carrier-responded"]').waitFor();
    await operator.locator('[data-testid="carrier-panel"] [data-deadline="responded"]').waitFor();
    const responded = await incident();
    expect(responded.carrierRespondedAt).not.toBeNull();
    expect(Date.parse(responded.carrierRespondedAt!)).toBeGreaterThanOrEqual(Date.parse(responded.carrierReportedAt!));
    // The timeline names people, never their ids, and is all zh-CN.
    const timeline = (await operator.textContent('.timeline')) ?? '';
    expect(timeline).toContain('王工 已向运营商故障热线申告');
    expect(timeline).not.toContain('t.op');
  }, 120_000);

  it('the operator acknowledges the incident’s alert', async () => {
    const alert = await until('an alert for the incident', async () => {
      const r = await api<{ alerts: { id: string; incidentIds: string[]; ackedAt: string | null }[] }>('/api/alerts');
      return r.alerts.find((a) => a.incidentIds.includes(incidentId));
    }, 60_000);
    await operator.reload();
    const item = operator.locator(`[data-alert-id="${alert.id}"]`);
    await item.waitFor();
    await item.locator('[data-testid="ack-alert"]').click();
    await item.locator('[data-testid="alert-acked"]').waitFor();
    expect(await item.textContent()).toContain('王工');
    const after = await api<{ alert: { ackedBy: string | null; ackedAt: string | null } }>(`/api/alerts/${alert.id}`);
    expect(after.alert.ackedBy).toBe('t.op');
    expect(after.alert.ackedAt).not.toBeNull();
  }, 90_000);

  it('the operator proposes a correction (and may not decide it); an approver approves it in the queue', async () => {
    await operator.selectOption('select[name="correction-to"]', 'external');
    await operator.fill('textarea[name="correction-reason"]', '道路施工挖断光缆（第三方），施工单位已确认');
    await operator.click('[data-testid="submit-correction"]');
    await operator.locator('[data-testid="correction-pending"]').waitFor();
    // An operator is not an approver: the buttons are absent and the page says why.
    await operator.locator('[data-testid="decide-blocked-role"]').waitFor();
    expect(await operator.locator('[data-testid="approve-correction"]').count()).toBe(0);
    const proposed = (await incident()).corrections.at(-1);
    expect(proposed).toMatchObject({ proposedBy: 't.op', approvedBy: null, responsibility: 'external' });

    const approver = await loginAs('t.approver', '/approvals');
    const item = approver.locator(`[data-approval="correction:${incidentId}"]`);
    await item.waitFor();
    await shot(approver, 'approvals');
    const itemText = (await item.textContent()) ?? '';
    expect(itemText).toContain('王工');
    expect(itemText).toContain('不可抗力');
    expect(itemText).not.toContain('t.op');
    await item.locator('[data-testid="queue-approve"]').click();
    await item.waitFor({ state: 'detached' });
    const approved = await incident();
    expect(approved.corrections.at(-1)).toMatchObject({ proposedBy: 't.op', approvedBy: 't.approver', responsibility: 'external' });
    await until('the verdict to follow the approved correction', async () => (await incident()).responsibility === 'external');
    const queue = await api<{ incidents: IncidentDto[]; total: number }>('/api/incidents?correction=pending');
    expect(queue.total).toBe(0);
  }, 120_000);

  it('a viewer sees the incident read-only: no action buttons', async () => {
    const viewer = await loginAs('t.viewer', `/incidents/${incidentId}`);
    await viewer.locator('[data-testid="read-only"]').waitFor();
    await viewer.locator('.timeline').waitFor();
    for (const id of ['submit-carrier-report', 'submit-carrier-response', 'submit-correction', 'ack-alert', 'approve-correction']) {
      expect(await viewer.locator(`[data-testid="${id}"]`).count(), id).toBe(0);
    }
    expect(await viewer.locator('[data-testid="nav-approvals"]').count()).toBe(0);
    await shot(viewer, 'incident-viewer');
  }, 60_000);
});
