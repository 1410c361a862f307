import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { serveDemarc, type ServingDemarc } from '../../app/reloading-demarc.js';
import { systemClock } from '../../core/clock.js';
import { silentLogger } from '../../core/logger.js';
import { readCsvRows } from '../../config/inventory.js';
import { inventoryCsv, inventoryXlsx } from '../../inventory/inventory-files.js';
import { login, setTestPasswords } from '../support/auth.js';
import { until } from '../support/wait.js';
import { makeFleetConfig, type FleetConfig } from '../support/fleet-fixture.js';

/**
 * The inventory's two-person edits over HTTP against a running demarc: an import shows its
 * diff first, a bad row is named by row and column and nothing applies, nobody approves their
 * own proposal, and an approval by another person applies, audits and restarts the pipeline
 * on the new inventory (GET /api/sites shows it).
 */
// Nothing answers SNMP here (a port of this suite's range): polls time out, which these tests do not mind.
const AGENT_PORT = 43510;

let fleet: FleetConfig;
let serving: ServingDemarc;
const h: Record<string, Record<string, string>> = {};
const url = (p: string) => serving.current().url + p;

beforeAll(async () => {
  fleet = makeFleetConfig({
    sites: 3,
    agentPort: AGENT_PORT,
    intervalSec: 5,
    extraYaml: `users:
  - { id: t.operator, name: 操作员, roles: [operator] }
  - { id: t.approver, name: 审批人, roles: [approver] }
  - { id: t.both, name: 两者, roles: [operator, approver] }
  - { id: t.viewer, name: 只读, roles: [viewer] }`,
  });
  serving = await serveDemarc(fleet.config, { logger: silentLogger, clock: systemClock, webRoot: null, announce: () => undefined });
  await setTestPasswords(serving.current().identity);
  for (const u of ['operator', 'approver', 'both', 'viewer']) h[u] = (await login(url('/api'), `t.${u}`)).headers;
}, 120_000);

afterAll(async () => {
  await serving?.stop();
  fleet?.cleanup();
});

async function exportRows(): Promise<Record<string, string>[]> {
  const res = await fetch(url('/api/inventory/sites/export?format=csv'), { headers: h.operator });
  expect(res.status).toBe(200);
  const text = new TextDecoder('utf-8', { ignoreBOM: true }).decode(await res.arrayBuffer());
  expect(text.charCodeAt(0)).toBe(0xfeff);
  return readCsvRows(text, 'export').rows!.map((r) => r.values);
}

const post = (path: string, who: string, body: unknown) =>
  fetch(url(path), { method: 'POST', headers: { ...h[who], 'content-type': 'application/json' }, body: JSON.stringify(body) });
const upload = (query: string, who: string, body: Buffer | string, type = 'text/csv') =>
  fetch(url(`/api/inventory/import?${query}`), { method: 'POST', headers: { ...h[who], 'content-type': type }, body: typeof body === 'string' ? body : new Uint8Array(body) });

describe('inventory edits with two people', () => {
  it('the state db took the bootstrap file: export gives its 3 sites; viewers may not export (contact data)', async () => {
    expect((await exportRows()).map((r) => r.site_id)).toEqual(fleet.config.inventory.sites.map((s) => s.id));
    expect((await fetch(url('/api/inventory/sites/export'), { headers: h.viewer })).status).toBe(403);
  });

  it('an import with bad rows lists each with row and column and applies nothing', async () => {
    const rows = await exportRows();
    const bad = [...rows, { ...rows[0]!, site_id: 'NEW-1', ce_snmp_profile: 'no-such-profile' }, { ...rows[1]!, site_id: 'NEW-2' }];
    const res = await upload('name=bad.csv&reason=bulk%20update', 'operator', inventoryCsv(bad));
    expect(res.status).toBe(400);
    const body = (await res.json()) as { error: string; details: { row: number; field: string; reason: string }[] };
    expect(body.details).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ row: 5, field: 'ce_snmp_profile' }),
        expect.objectContaining({ row: 5, field: 'circuit_id' }),
        expect.objectContaining({ row: 6, field: 'circuit_id' }),
      ]),
    );
    expect(body.error).toContain('nothing was applied');
    expect((await (await fetch(url('/api/inventory/proposals'), { headers: h.operator })).json()).proposals).toEqual([]);
    expect((await exportRows()).length).toBe(3);
  });

  it('a dry run answers the diff (added, changed, removed) and stores nothing; XLSX alike', async () => {
    const rows = await exportRows();
    const next = [{ ...rows[0]!, name: '改名一团' }, rows[1]!, { ...rows[1]!, site_id: 'NEW-9', circuit_id: 'C-NEW-9', ce_host: '127.0.1.99' }];
    for (const [body, type] of [[inventoryCsv(next), 'text/csv'], [await inventoryXlsx(next), 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet']] as const) {
      const res = await upload('dryRun=true', 'operator', body as Buffer, type);
      expect(res.status).toBe(200);
      const d = (await res.json()) as { diff: { added: { site_id: string }[]; changed: { siteId: string; fields: { column: string; before: string; after: string }[] }[]; removed: { site_id: string }[] } };
      expect(d.diff.added.map((r) => r.site_id)).toEqual(['NEW-9']);
      expect(d.diff.changed).toEqual([{ siteId: rows[0]!.site_id, fields: [{ column: 'name', before: rows[0]!.name, after: '改名一团' }] }]);
      expect(d.diff.removed.map((r) => r.site_id)).toEqual([rows[2]!.site_id]);
    }
    expect((await (await fetch(url('/api/inventory/proposals'), { headers: h.operator })).json()).proposals).toEqual([]);
  });

  it('an edit that would break polling is refused with the field named: unknown profile, duplicate circuit id (400, never 500)', async () => {
    const [a, b] = fleet.config.inventory.sites;
    const cases = [
      [{ op: 'change', siteId: a!.id, fields: { ce_snmp_profile: 'nope' } }, 'ce_snmp_profile'],
      [{ op: 'change', siteId: a!.id, fields: { circuit_id: b!.circuit.id } }, 'circuit_id'],
      [{ op: 'change', siteId: 'no-such-site', fields: { name: 'x' } }, 'siteId'],
      [{ op: 'change', siteId: a!.id, fields: { bogus_column: 'x' } }, 'edits.0.fields.bogus_column'],
      [{ op: 'change', siteId: a!.id, fields: { activation_date: '2026-02-30' } }, 'activation_date'],
    ] as const;
    for (const [edit, field] of cases) {
      const res = await post('/api/inventory/proposals', 'operator', { reason: 'test edit', edits: [edit] });
      const body = (await res.json()) as { details: { field: string }[] };
      expect(res.status, JSON.stringify(body)).toBe(400);
      expect(body.details.map((d) => d.field)).toContain(field);
    }
  });

  it('nobody approves their own proposal; an approver who did not propose applies it, audited, and the pipeline restarts on it', async () => {
    const rows = await exportRows();
    const next = [{ ...rows[0]!, name: '改名一团', order_date: '2025-12-01' }, rows[1]!, { ...rows[1]!, site_id: 'NEW-9', circuit_id: 'C-NEW-9', ce_host: '127.0.1.99', name: '新站' }];
    const res = await upload('name=sites-v2.csv&reason=%E6%96%B0%E5%A2%9E%E7%AB%99%E7%82%B9', 'both', inventoryCsv(next));
    expect(res.status).toBe(202);
    const { proposal } = (await res.json()) as { proposal: { id: number; state: string; counts: Record<string, number>; proposedBy: string } };
    expect(proposal).toMatchObject({ state: 'proposed', counts: { added: 1, changed: 1, removed: 1 }, proposedBy: 't.both' });

    const self = await post(`/api/inventory/proposals/${proposal.id}/approve`, 'both', {});
    expect(self.status).toBe(403);
    expect(((await self.json()) as { error: string }).error).toContain('cannot also approve');
    expect((await post(`/api/inventory/proposals/${proposal.id}/approve`, 'operator', {})).status).toBe(403);
    expect((await exportRows()).map((r) => r.site_id)).not.toContain('NEW-9');

    const restarted = serving.nextRestart();
    const ok = await post(`/api/inventory/proposals/${proposal.id}/approve`, 'approver', {});
    expect(ok.status).toBe(200);
    expect(((await ok.json()) as { proposal: { state: string; decidedBy: string } }).proposal).toMatchObject({ state: 'applied', decidedBy: 't.approver' });
    await restarted;
    expect(serving.restarts).toBe(1);
    // Keep-alive connections to the stopped server are gone; a client retries on a fresh one, as browsers do.
    await until('the restarted API answers', () => fetch(url('/api/health')).then((r) => r.status > 0, () => false));

    // The restarted pipeline polls and shows the new inventory; the session survived the restart.
    const sites = ((await (await fetch(url('/api/sites'), { headers: h.viewer })).json()) as { sites: { id: string; name: string }[] }).sites;
    expect(sites.map((s) => s.id)).toEqual([rows[0]!.site_id, rows[1]!.site_id, 'NEW-9']);
    expect(sites[0]!.name).toBe('改名一团');
    const register = ((await (await fetch(url('/api/inventory/circuits'), { headers: h.viewer })).json()) as { circuits: { circuitId: string; orderDate: string | null }[] }).circuits;
    expect(register.find((c) => c.circuitId === rows[0]!.circuit_id)!.orderDate).toBe('2025-12-01');

    const audit = serving.current().audit.list({ action: 'inventory.' });
    const mine = audit.filter((e) => e.target === `inventory-edit:${proposal.id}`).map((e) => [e.action, e.actor]);
    expect(mine).toEqual(expect.arrayContaining([['inventory.propose', 't.both'], ['inventory.approve', 't.approver']]));
    expect(audit.some((e) => e.action === 'inventory.import-refused')).toBe(true);

    // Approved once is final.
    expect((await post(`/api/inventory/proposals/${proposal.id}/approve`, 'approver', {})).status).toBe(409);
  });

  it('a rejected proposal applies nothing and says who rejected it and why', async () => {
    const a = fleet.config.inventory.sites[1]!;
    const res = await post('/api/inventory/proposals', 'operator', { reason: '改联系人', edits: [{ op: 'change', siteId: a.id, fields: { contact_name: '王五', contact_phone: '0991-1234567' } }] });
    expect(res.status).toBe(202);
    const { proposal } = (await res.json()) as { proposal: { id: number } };
    expect((await post(`/api/inventory/proposals/${proposal.id}/reject`, 'approver', {})).status).toBe(400);
    const rej = await post(`/api/inventory/proposals/${proposal.id}/reject`, 'approver', { note: '号码未核实' });
    expect(((await rej.json()) as { proposal: unknown }).proposal).toMatchObject({ state: 'rejected', decidedBy: 't.approver', note: '号码未核实' });
    expect((await exportRows()).find((r) => r.site_id === a.id)!.contact_name).toBe('');
    expect(serving.restarts).toBe(1);
  });
});

describe('inventory report and configuration gaps', () => {
  it('CSV (BOM, zh-CN headers) lists every device of the inventory; XLSX has the three sheets; gaps as JSON', async () => {
    const res = await fetch(url('/api/inventory/report?format=csv&section=devices'), { headers: h.viewer });
    expect(res.status).toBe(200);
    const text = new TextDecoder('utf-8', { ignoreBOM: true }).decode(await res.arrayBuffer());
    expect(text.charCodeAt(0)).toBe(0xfeff);
    const lines = text.slice(1).trim().split('\r\n');
    expect(lines[0]).toBe('设备,角色,站点,地址,厂商,型号,序列号,软件版本,sysName,sysObjectID,最近发现,缺失项');
    const ids = lines.slice(1).map((l) => l.split(',')[0]);
    for (const s of serving.current().edits.sites()) expect(ids).toContain(`ce:${s.id}`);

    const x = await fetch(url('/api/inventory/report?format=xlsx&lang=en'), { headers: h.viewer });
    expect(x.headers.get('content-type')).toContain('spreadsheetml');
    const wb = new (await import('exceljs')).default.Workbook();
    await wb.xlsx.load((await x.arrayBuffer()) as never);
    expect(wb.worksheets.map((w) => w.name)).toEqual(['Devices', 'Changes in the period', 'Configuration gaps']);

    const gaps = (await (await fetch(url('/api/inventory/config-gaps'), { headers: h.viewer })).json()) as { configGaps: unknown[]; discoveryGaps: unknown[] };
    expect(Array.isArray(gaps.configGaps) && Array.isArray(gaps.discoveryGaps)).toBe(true);
    expect((await fetch(url('/api/inventory/report?from=2026-02-01T00:00:00Z&to=2026-01-01T00:00:00Z'), { headers: h.viewer })).status).toBe(400);
  });
});
