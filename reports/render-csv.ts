import type { MonthlyReport } from './report-model.js';
import { formatCell, reportSections, type Cell, type Column, type Section, type SectionKey } from './report-sections.js';
import type { ReportLang } from './report-text.js';

/**
 * CSV, one file per section (RFC 4180: CRLF, double quotes). UTF-8 with a byte-order mark so
 * Excel on a Chinese Windows opens the Chinese text correctly instead of guessing GBK.
 */

const BOM = '\uFEFF';

/**
 * A text cell that begins like a formula would run as one when the file is opened in a
 * spreadsheet; a leading apostrophe keeps it text (site names come from an editable CSV).
 */
function neutralize(s: string): string {
  return /^[=+\-@\t\r]/.test(s) ? `'${s}` : s;
}

function quote(s: string): string {
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

function cellText(v: Cell, c: Column): string {
  const s = formatCell(v, c.kind);
  return quote(typeof v === 'string' ? neutralize(s) : s);
}

export function renderCsvSection(s: Section): Buffer {
  const lines = [s.columns.map((c) => quote(neutralize(c.header))).join(','), ...s.rows.map((row) => row.map((v, i) => cellText(v, s.columns[i]!)).join(','))];
  return Buffer.from(BOM + lines.join('\r\n') + '\r\n', 'utf8');
}

export function renderCsv(report: MonthlyReport, lang: ReportLang, key: SectionKey): Buffer {
  const s = reportSections(report, lang).find((x) => x.key === key);
  if (!s) throw new Error(`no report section "${key}"`);
  return renderCsvSection(s);
}

export function renderCsvAll(report: MonthlyReport, lang: ReportLang): { key: SectionKey; body: Buffer }[] {
  return reportSections(report, lang).map((s) => ({ key: s.key, body: renderCsvSection(s) }));
}
