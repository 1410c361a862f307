import ExcelJS from 'exceljs';
import type { MonthlyReport } from './report-model.js';
import { shanghaiMinute } from './report-period.js';
import { reportSections, type ColumnKind, type Section } from './report-sections.js';
import { textFor, type ReportLang } from './report-text.js';

/**
 * XLSX: a sheet "about this report" (period, settings, definitions), then one sheet per
 * section. Numbers stay numbers (with a display format), so the customer can sum and sort.
 */

const NUM_FMT: Record<Exclude<ColumnKind, 'text'>, string> = {
  int: '0',
  dec1: '0.0',
  dec2: '0.00',
  pct: '0.000',
  auto: 'General',
};

/** Sheet names: at most 31 characters, none of : \ / ? * [ ]. */
const sheetName = (s: string): string => s.replace(/[:\\/?*[\]]/g, ' ').slice(0, 31);

function addSectionSheet(wb: ExcelJS.Workbook, s: Section): void {
  const ws = wb.addWorksheet(sheetName(s.title), { views: [{ state: 'frozen', ySplit: 1 }] });
  ws.columns = s.columns.map((c) => ({ header: c.header, width: Math.max(8, Math.round(c.width * 9)) }));
  s.columns.forEach((c, i) => {
    if (c.kind !== 'text') ws.getColumn(i + 1).numFmt = NUM_FMT[c.kind];
  });
  const header = ws.getRow(1);
  header.font = { bold: true };
  header.alignment = { vertical: 'middle', wrapText: true };
  header.fill = { type: 'pattern', pattern: 'solid', fgColor: { argb: 'FFE8EEF5' } };
  for (const row of s.rows) ws.addRow(row.map((v) => (typeof v === 'number' && !Number.isFinite(v) ? null : v)));
  if (s.rows.length) ws.autoFilter = { from: { row: 1, column: 1 }, to: { row: 1 + s.rows.length, column: s.columns.length } };
}

function addAboutSheet(wb: ExcelJS.Workbook, r: MonthlyReport, lang: ReportLang): void {
  const t = textFor(lang);
  const ws = wb.addWorksheet(sheetName(lang === 'zh' ? '报告信息' : 'About'));
  ws.columns = [{ width: 28 }, { width: 90 }];
  const title = r.period.kind === 'month' ? t.title : t.rangeTitle;
  ws.addRow([title]).font = { bold: true, size: 14 };
  ws.addRow([t.subtitle]);
  ws.addRow([]);
  const pairs: [string, string | number][] = [
    [t.period, `${r.period.firstDay} – ${r.period.lastDay} (${r.period.label})`],
    [t.asOf, shanghaiMinute(Date.parse(r.period.asOf))],
    [t.generatedAt, shanghaiMinute(Date.parse(r.generatedAt))],
    [t.kpi.workingDays, r.period.workingDays],
    [t.kpi.compliance(r.settings.responseLimitHours), `${r.settings.responseLimitHours} h / ${r.settings.strictResponseLimitHours} h`],
    ['schema', r.schema],
  ];
  for (const [k, v] of pairs) ws.addRow([k, v]).getCell(1).font = { bold: true };
  ws.addRow([]);
  ws.addRow([t.timeZone]);
  for (const d of t.definitions) ws.addRow(['', d]).getCell(2).alignment = { wrapText: true };
}

export async function renderXlsx(report: MonthlyReport, lang: ReportLang): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  wb.creator = 'demarc';
  wb.created = new Date(report.generatedAt);
  addAboutSheet(wb, report, lang);
  for (const s of reportSections(report, lang)) addSectionSheet(wb, s);
  return Buffer.from(await wb.xlsx.writeBuffer());
}
