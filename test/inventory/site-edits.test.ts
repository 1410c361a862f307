import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import ExcelJS from 'exceljs';
import { describe, expect, it } from 'vitest';
import { parseInventoryCsv, validateSiteRows, type SiteRow } from '../../config/inventory.js';
import { siteToRow } from '../../config/site-row.js';
import { inventoryCsv, inventoryXlsx, readInventoryFile } from '../../inventory/inventory-files.js';
import { applyEdits, diffRows, editsOf, type SiteEdit } from '../../inventory/site-edits.js';

const r = (id: string, over: SiteRow = {}): SiteRow => ({ site_id: id, name: id, circuit_id: `C-${id}`, ...over });
const A = r('A');
const B = r('B');
const C = r('C');

describe('diffRows: added, changed (by column), removed, keyed by site id', () => {
  it.each<[string, SiteRow[], SiteRow[], { added: string[]; changed: [string, string[]][]; removed: string[] }]>([
    ['identical', [A, B], [A, B], { added: [], changed: [], removed: [] }],
    ['order alone is no change', [A, B], [B, A], { added: [], changed: [], removed: [] }],
    ['one added', [A], [A, B], { added: ['B'], changed: [], removed: [] }],
    ['one removed', [A, B], [A], { added: [], changed: [], removed: ['B'] }],
    ['a column changed', [A, B], [A, r('B', { name: '二团' })], { added: [], changed: [['B', ['name']]], removed: [] }],
    ['two columns changed', [A], [r('A', { name: 'x', circuit_id: 'y' })], { added: [], changed: [['A', ['name', 'circuit_id']]], removed: [] }],
    ['a column that appears counts as a change from empty', [A], [r('A', { oob_host: '127.0.0.9' })], { added: [], changed: [['A', ['oob_host']]], removed: [] }],
    ['a column going empty equals its absence', [r('A', { oob_host: '' })], [A], { added: [], changed: [], removed: [] }],
    ['renamed id = one removed, one added', [A], [r('A2')], { added: ['A2'], changed: [], removed: ['A'] }],
    ['all at once', [A, B, C], [r('A', { name: 'n' }), C, r('D')], { added: ['D'], changed: [['A', ['name']]], removed: ['B'] }],
    ['from nothing', [], [A, B], { added: ['A', 'B'], changed: [], removed: [] }],
  ])('%s', (_what, before, after, want) => {
    const d = diffRows(before, after);
    expect(d.added.map((x) => x.site_id)).toEqual(want.added);
    expect(d.changed.map((c) => [c.siteId, c.fields.map((f) => f.column)])).toEqual(want.changed);
    expect(d.removed.map((x) => x.site_id)).toEqual(want.removed);
    // The edits of a diff rebuild the target from the source.
    const rebuilt = applyEdits(before, editsOf(d));
    expect(rebuilt.problems).toEqual([]);
    expect(diffRows(rebuilt.rows, after)).toEqual({ added: [], changed: [], removed: [] });
  });

  it('names before and after of a changed field', () => {
    expect(diffRows([A], [r('A', { name: '一团' })]).changed[0]!.fields).toEqual([{ column: 'name', before: 'A', after: '一团' }]);
  });
});

describe('applyEdits: edits that do not fit the inventory are problems with their position', () => {
  it.each<[string, SiteEdit[], string[], string[]]>([
    ['change', [{ op: 'change', siteId: 'A', fields: { name: 'x' } }], ['A', 'B'], []],
    ['remove', [{ op: 'remove', siteId: 'B' }], ['A'], []],
    ['add', [{ op: 'add', row: C }], ['A', 'B', 'C'], []],
    ['change of a missing site', [{ op: 'change', siteId: 'Z', fields: { name: 'x' } }], ['A', 'B'], ['1 siteId']],
    ['remove of a missing site', [{ op: 'remove', siteId: 'Z' }], ['A', 'B'], ['1 siteId']],
    ['add of an existing site', [{ op: 'add', row: r('A') }], ['A', 'B'], ['1 site_id']],
    ['second edit of a site removed by the first', [{ op: 'remove', siteId: 'A' }, { op: 'change', siteId: 'A', fields: { name: 'x' } }], ['B'], ['2 siteId']],
  ])('%s', (_what, edits, ids, problems) => {
    const out = applyEdits([A, B], edits);
    expect(out.rows.map((x) => x.site_id)).toEqual(ids);
    expect(out.problems.map((p) => `${p.edit + 1} ${p.field}`)).toEqual(problems);
  });
});

const DEMO_CSV = fileURLToPath(new URL('../../config/sites.csv', import.meta.url));
const PROFILES = new Set(['ce-v2c', 'ce-v3', 'headend-v3', 'carrier-cpe', 'oob-v3']);

describe('the export format is the bootstrap format: rows round-trip', () => {
  const parsed = parseInventoryCsv(readFileSync(DEMO_CSV, 'utf8'), DEMO_CSV, PROFILES);
  const sites = parsed.inventory?.sites ?? [];

  it('the demo sites.csv validates (so the round trips below mean something)', () => {
    expect(parsed.problems).toEqual([]);
    expect(sites.length).toBe(120);
  });

  it('siteToRow → validateSiteRows gives the same sites (OOB, CPE, contract, coordinates)', () => {
    const back = validateSiteRows(sites.map((s, i) => ({ row: i + 2, values: siteToRow(s) })), 'x', PROFILES);
    expect(back.problems).toEqual([]);
    expect(back.inventory!.sites).toEqual(sites);
    expect(sites.some((s) => s.cpe) && sites.some((s) => s.oob) && sites.some((s) => s.circuit.contract?.oneTimeFeeFen)).toBe(true);
  });

  it('CSV export: BOM, CRLF, formula-looking cells neutralized, and read back unchanged', async () => {
    const rows = sites.slice(0, 3).map(siteToRow);
    rows[0]!.name = '=HYPERLINK("x")';
    rows[1]!.contact_phone = '+86 991 1234567';
    rows[1]!.contact_name = '张三';
    const csv = inventoryCsv(rows);
    expect(csv.startsWith('\uFEFFsite_id,')).toBe(true);
    expect(csv).toContain('\r\n');
    expect(csv).toContain(`"'=HYPERLINK(""x"")"`);
    const read = await readInventoryFile(Buffer.from(csv, 'utf8'), 'csv', 'sites.csv');
    expect(read.problems).toEqual([]);
    expect(read.rows!.map((n) => n.values)).toEqual(rows);
    expect(read.rows!.map((n) => n.row)).toEqual([2, 3, 4]);
  });

  it('XLSX export: text cells, read back unchanged with sheet row numbers', async () => {
    const rows = sites.slice(0, 4).map(siteToRow);
    const read = await readInventoryFile(await inventoryXlsx(rows), 'xlsx', 'sites.xlsx');
    expect(read.problems).toEqual([]);
    expect(read.rows!.map((n) => n.values)).toEqual(rows);
    expect(read.rows!.map((n) => n.row)).toEqual([2, 3, 4, 5]);
  });

  it('an XLSX typed by hand (numbers and real dates in cells) reads as the CSV would', async () => {
    const wb = new ExcelJS.Workbook();
    const ws = wb.addWorksheet('x');
    const row = siteToRow(sites[0]!);
    const cols = Object.keys(row);
    ws.addRow(cols);
    ws.addRow(cols.map((c) => (c === 'bandwidth_mbps' ? 70 : c === 'activation_date' ? new Date(Date.UTC(2026, 0, 1)) : row[c])));
    const read = await readInventoryFile(Buffer.from(await wb.xlsx.writeBuffer()), 'xlsx', 'hand.xlsx');
    expect(read.problems).toEqual([]);
    expect(read.rows![0]!.values.bandwidth_mbps).toBe('70');
    expect(read.rows![0]!.values.activation_date).toBe('2026-01-01');
  });

  it('a file that is not UTF-8, or not a workbook, is named as such', async () => {
    expect((await readInventoryFile(Buffer.from([0xc4, 0xe3, 0xba, 0xc3]), 'csv', 'gbk.csv')).problems[0]!.where).toBe('encoding');
    expect((await readInventoryFile(Buffer.from('not a zip'), 'xlsx', 'x.xlsx')).problems[0]!.where).toBe('xlsx');
  });
});
