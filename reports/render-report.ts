import type { ReportCharts } from './pdf-charts.js';
import type { MonthlyReport } from './report-model.js';
import { archiveFileName } from './report-archive.js';
import { renderCsv } from './render-csv.js';
import { renderPdf } from './render-pdf.js';
import { renderXlsx } from './render-xlsx.js';
import type { SectionKey } from './report-sections.js';
import type { ReportLang } from './report-text.js';

export const REPORT_FORMATS = ['json', 'csv', 'xlsx', 'pdf'] as const;
export type ReportFormat = (typeof REPORT_FORMATS)[number];

export const CONTENT_TYPES: Record<ReportFormat, string> = {
  json: 'application/json; charset=utf-8',
  csv: 'text/csv; charset=utf-8',
  xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
  pdf: 'application/pdf',
};

export interface RenderedReport {
  body: Buffer;
  contentType: string;
  /** Download name: ASCII only, so every browser and mail client keeps it. */
  filename: string;
  report: MonthlyReport;
}

export interface RenderRequest {
  format: ReportFormat;
  lang: ReportLang;
  /** The CSV section (CSV is one file per section); default the per-circuit table. */
  section?: SectionKey;
  charts?: ReportCharts | null;
}

export async function renderReport(report: MonthlyReport, req: RenderRequest): Promise<RenderedReport> {
  const base = { contentType: CONTENT_TYPES[req.format], report };
  switch (req.format) {
    case 'json':
      return { ...base, body: Buffer.from(JSON.stringify(report, null, 2) + '\n', 'utf8'), filename: archiveFileName(report.period.label, req.lang, 1, 'json') };
    case 'csv': {
      const section = req.section ?? 'circuits';
      return { ...base, body: renderCsv(report, req.lang, section), filename: archiveFileName(`${report.period.label}-${section}`, req.lang, 1, 'csv') };
    }
    case 'xlsx':
      return { ...base, body: await renderXlsx(report, req.lang), filename: archiveFileName(report.period.label, req.lang, 1, 'xlsx') };
    case 'pdf':
      return { ...base, body: await renderPdf(report, { lang: req.lang, charts: req.charts ?? null }), filename: archiveFileName(report.period.label, req.lang, 1, 'pdf') };
  }
}
