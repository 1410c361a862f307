import ExcelJS from 'exceljs';
import { stringify } from 'csv-stringify/sync';
import type { ConfigProblem } from '../config/config-error.js';
import { readCsvRows, rowsOfTable, type NumberedRow, type SiteRow } from '../config/inventory.js';
import { ALL_COLUMNS } from '../config/site-row.js';

/**
 * The inventory's file formats: CSV (sites.csv, the bootstrap) and XLSX, in and out. Both carry
 * the same columns; the export reads back in unchanged (the round trip is tested).
 */
export type InventoryFormat = 'csv' | 'xlsx';

const BOM = '\uFEFF';
/** A cell that would run as a formula when opened in a spreadsheet gets a leading apostrophe... */
const FORMULA = /^[=+\-@\t\r]/;
const neutralize = (s: string) => (FORMULA.test(s) ? `'${s}` : s);
/** ...which the import takes off again, so an exported file imports as it was. */
const restore = (s: string) => (/^'[=+\-@\t\r]/.test(s) ? s.slice(1) : s);

const restoreRows = (r: { rows: NumberedRow[] | null; problems: ConfigProblem[] }) => ({
  ...r,
  rows: r.rows && r.rows.map((n) => ({ row: n.row, values: Object.fromEntries(Object.entries(n.values).map(([k, v]) => [k, restore(v)])) })),
});

/** CSV with a byte-order mark, so Excel on a Chinese Windows reads UTF-8 instead of guessing GBK. */
export function inventoryCsv(rows: readonly SiteRow[]): string {
  return BOM + stringify([ALL_COLUMNS as string[], ...rows.map((r) => ALL_COLUMNS.map((c) => neutralize(r[c] ?? '')))], { record_delimiter: '\r\n' });
}

/** One sheet, the columns as header; every cell is text, so ids like 001 and dates stay as written. */
export async function inventoryXlsx(rows: readonly SiteRow[]): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  const ws = wb.addWorksheet('sites');
  ws.addRow([...ALL_COLUMNS]);
  for (const r of rows) ws.addRow(ALL_COLUMNS.map((c) => neutralize(r[c] ?? '')));
  ws.columns.forEach((col) => {
    col.numFmt = '@';
  });
  ws.getRow(1).font = { bold: true };
  ws.views = [{ state: 'frozen', ySplit: 1 }];
  return Buffer.from(await wb.xlsx.writeBuffer());
}

/** A cell's value as the CSV would have it: dates as YYYY-MM-DD, numbers as written, rich text flattened. */
function cellText(v: ExcelJS.CellValue): string {
  if (v === null || v === undefined) return '';
  if (v instanceof Date) return v.toISOString().slice(0, 10);
  if (typeof v === 'object') {
    if ('richText' in v) return v.richText.map((t) => t.text).join('');
    if ('result' in v) return cellText(v.result as ExcelJS.CellValue);
    if ('text' in v) return String(v.text);
    if ('error' in v) return String(v.error);
  }
  return String(v).trim();
}

/** Reads an uploaded CSV or XLSX into numbered rows (CSV line, sheet row); problems name row and column. */
export async function readInventoryFile(data: Buffer, format: InventoryFormat, file: string): Promise<{ rows: NumberedRow[] | null; problems: ConfigProblem[] }> {
  if (format === 'csv') {
    let text: string;
    try {
      text = new TextDecoder('utf-8', { fatal: true }).decode(data);
    } catch {
      return { rows: null, problems: [{ file, row: null, where: 'encoding', reason: 'the file is not UTF-8 (save it from Excel as "CSV UTF-8")' }] };
    }
    return restoreRows(readCsvRows(text, file));
  }
  const wb = new ExcelJS.Workbook();
  try {
    await wb.xlsx.load(data as never);
  } catch (e) {
    return { rows: null, problems: [{ file, row: null, where: 'xlsx', reason: `not readable as an XLSX workbook: ${(e as Error).message}` }] };
  }
  const ws = wb.worksheets[0];
  if (!ws) return { rows: null, problems: [{ file, row: null, where: 'xlsx', reason: 'the workbook has no sheet' }] };
  let header: string[] | undefined;
  const records: { row: number; cells: string[] }[] = [];
  ws.eachRow({ includeEmpty: false }, (row, n) => {
    const values = row.values as ExcelJS.CellValue[];
    if (!header) {
      header = values.slice(1).map(cellText);
      while (header.length && header[header.length - 1] === '') header.pop();
      return;
    }
    const cells = Array.from({ length: header.length }, (_, i) => cellText(values[i + 1]));
    if (cells.every((c) => c === '')) return;
    // Cells beyond the header's width that hold something are a misaligned row.
    const extra = values.slice(header.length + 1).some((v) => cellText(v) !== '');
    records.push({ row: n, cells: extra ? [...cells, 'extra'] : cells });
  });
  return restoreRows(rowsOfTable(header, records, file));
}
