import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { serveDemarc, type ServingDemarc } from '../../app/reloading-demarc.js';
import { systemClock } from '../../core/clock.js';
import { silentLogger } from '../../core/logger.js';
import { inventoryCsv } from '../../inventory/inventory-files.js';
import { setTestPasswords, TEST_PASSWORD } from '../support/auth.js';
import { launchChromium, type ChromiumSession } from '../support/chromium.js';
import { makeFleetConfig, type FleetConfig } from '../support/fleet-fixture.js';
import { until } from '../support/wait.js';
import { ensureWebBuilt, WEB_DIST } from '../support/web-build.js';

/**
 * The inventory import in the console, zh-CN: an operator's file with a bad row is listed by
 * row and column and nothing is proposed; a good file shows its diff, becomes one proposal;
 * a second person (an approver, in another browser) approves it; the API then serves the new
 * inventory from the restarted pipeline.
 */
// Nothing answers SNMP on this port of this suite's range: polls time out, which the test does not mind.
const AGENT_PORT = 43520;
let fleet: FleetConfig;
let serving: ServingDemarc;
let reader: Record<string, string>;
let files: string;
const browsers: ChromiumSession[] = [];
const api = async <T>(path: string): Promise<T> => (await (await fetch(serving.current().url + path, { headers: reader })).json()) as T;

beforeAll(async () => {
  await ensureWebBuilt();
  fleet = makeFleetConfig({
    sites: 2,
    agentPort: AGENT_PORT,
    intervalSec: 5,
    extraYaml: `users:
  - { id: t.operator, name: 张工, roles: [operator] }
  - { id: t.approver, name: 李主任, roles: [approver] }`,
  });
  serving = await serveDemarc(fleet.config, { logger: silentLogger, clock: systemClock, webRoot: WEB_DIST, announce: () => undefined });
  await setTestPasswords(serving.current().identity);
  // Operator rights to read the proposals and the export (they carry contact data).
  reader = { authorization: `Bearer ${serving.current().identity.createToken({ name: 'reader', kind: 'api', roles: ['operator'], expiresAt: null }, 'test').value.reveal()}` };
  files = mkdtempSync(join(tmpdir(), 'demarc-import-'));
}, 180_000);

afterAll(async () => {
  for (const b of browsers) await b.close();
  await serving?.stop();
  fleet?.cleanup();
  if (files) rmSync(files, { recursive: true, force: true });
});

async function openEdits(userId: string): Promise<Page> {
  const b = await launchChromium({ locale: 'zh-CN', timezoneId: 'Asia/Shanghai' });
  browsers.push(b);
  const page = b.page;
  await page.goto(`${serving.current().url}/inventory/edits`);
  await page.waitForURL(/\/login\?next=/);
  await page.fill('input[name="username"]', userId);
  await page.fill('input[name="password"]', TEST_PASSWORD);
  await page.click('[data-testid="login-submit"]');
  await page.waitForURL(/\/inventory\/edits$/);
  await page.waitForSelector('[data-testid="inventory-edits"]');
  return page;
}

describe('inventory import with two people, in the browser (zh-CN)', () => {
  it('bad row named by row and column, nothing proposed; good file → diff → proposal → approved by another → applied', async () => {
    const res = await fetch(`${serving.current().url}/api/inventory/sites/export?format=csv`, { headers: reader });
    const { readCsvRows } = await import('../../config/inventory.js');
    const rows = readCsvRows(await res.text(), 'export').rows!.map((r) => r.values);
    expect(rows.length).toBe(2);
    const bad = join(files, '台账-错误.csv');
    writeFileSync(bad, inventoryCsv([...rows, { ...rows[0]!, site_id: 'NEW-1', circuit_id: 'C-NEW-1', ce_snmp_profile: '不存在' }]));
    const good = join(files, '台账-新增.csv');
    writeFileSync(good, inventoryCsv([{ ...rows[0]!, name: '改名一团' }, rows[1]!, { ...rows[1]!, site_id: 'NEW-1', circuit_id: 'C-NEW-1', ce_host: '127.0.1.77', name: '新建三团' }]));

    const op = await openEdits('t.operator');
    expect(await op.textContent('h1')).toBe('台账变更（双人审批）');
    await op.setInputFiles('[data-testid="import-file"]', bad);
    await op.click('[data-testid="import-preview"]');
    await op.waitForSelector('[data-testid="edit-problem"]');
    const problems = await op.$$eval('[data-testid="edit-problem"]', (els) => els.map((e) => ({ text: e.textContent ?? '', field: (e as HTMLElement).dataset.field })));
    // The column by its zh-CN label; the raw column name only as the element's data.
    expect(problems.some((p) => p.text.includes('第 4 行') && p.text.includes('CE SNMP 配置') && p.field === 'ce_snmp_profile')).toBe(true);
    expect(await op.textContent('[data-testid="edit-error"]')).toContain('文件有错误，未做任何变更');
    expect((await api<{ proposals: unknown[] }>('/api/inventory/proposals')).proposals).toEqual([]);

    await op.setInputFiles('[data-testid="import-file"]', good);
    await op.click('[data-testid="import-preview"]');
    await op.waitForSelector('[data-testid="import-diff"]');
    expect(await op.textContent('[data-testid="diff-added"]')).toBe('新增 1');
    expect(await op.textContent('[data-testid="diff-changed"]')).toBe('修改 1');
    expect(await op.textContent('[data-testid="diff-removed"]')).toBe('删除 0');
    expect(await op.textContent('[data-testid="import-diff"]')).toContain('改名一团');
    await op.fill('[data-testid="edit-reason"]', '新增三团站点');
    await op.click('[data-testid="import-propose"]');
    await op.waitForSelector('[data-testid="edit-notice"]');
    expect(await op.textContent('[data-testid="edit-notice"]')).toContain('已提交，等待另一人审批');
    const [proposal] = (await api<{ proposals: { id: number; state: string; proposedBy: string; source: string }[] }>('/api/inventory/proposals')).proposals;
    expect(proposal).toMatchObject({ state: 'proposed', proposedBy: 't.operator', source: '台账-新增.csv' });
    // The operator holds no approver role: no approve button on their page.
    expect(await op.$(`[data-proposal="${proposal!.id}"] [data-testid="proposal-approve"]`)).toBeNull();

    const ap = await openEdits('t.approver');
    const approve = `[data-proposal="${proposal!.id}"] [data-testid="proposal-approve"]`;
    await ap.waitForSelector(approve);
    expect(await ap.textContent(`[data-proposal="${proposal!.id}"]`)).toContain('新建三团');
    const restarted = serving.nextRestart();
    await ap.click(approve);
    await ap.waitForSelector('[data-testid="edit-notice"]');
    expect(await ap.textContent('[data-testid="edit-notice"]')).toContain('已生效');
    await restarted;

    // Asserted through the API of the restarted pipeline (a fresh connection after the restart).
    const sites = await until('the restarted demarc serves the new inventory', async () => {
      const r = await fetch(`${serving.current().url}/api/sites`, { headers: reader }).catch(() => null);
      return r?.ok ? ((await r.json()) as { sites: { id: string; name: string }[] }).sites : null;
    });
    expect(sites.map((s) => s.id)).toEqual([rows[0]!.site_id, rows[1]!.site_id, 'NEW-1']);
    expect(sites[0]!.name).toBe('改名一团');
    const after = (await api<{ proposals: { id: number; state: string; decidedBy: string }[] }>('/api/inventory/proposals')).proposals;
    expect(after.find((p) => p.id === proposal!.id)).toMatchObject({ state: 'applied', decidedBy: 't.approver' });
    const audit = serving.current().audit.list({ action: 'inventory.' }).map((e) => [e.action, e.actor]);
    expect(audit).toEqual(expect.arrayContaining([['inventory.import-refused', 't.operator'], ['inventory.propose', 't.operator'], ['inventory.approve', 't.approver']]));
  }, 180_000);
});
