import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import PDFDocument from 'pdfkit';
import { drawSmallMultiples, type ReportCharts } from './pdf-charts.js';
import { FONT, FONT_BOLD, drawTable, fitText, pageFrame, type PdfTableSpec } from './pdf-table.js';
import type { MonthlyReport } from './report-model.js';
import { shanghaiMinute } from './report-period.js';
import { formatCell, reportSections, type Section, type SectionKey } from './report-sections.js';
import { textFor, type ReportLang, type ReportText } from './report-text.js';

/**
 * The PDF for the customer's management: A4 landscape, Chinese by default. The font is Noto
 * Sans Hans from the @embedpdf/fonts-sc npm package, embedded and subset by pdfkit (only the
 * glyphs used go into the file), so it renders the same on a machine without Chinese fonts and
 * its text can be searched and copied.
 */

const require = createRequire(import.meta.url);
const FONT_DIR = join(dirname(require.resolve('@embedpdf/fonts-sc')), '..', 'fonts');
let fontFiles: { regular: Buffer; bold: Buffer } | null = null;

function fonts(): { regular: Buffer; bold: Buffer } {
  fontFiles ??= { regular: readFileSync(join(FONT_DIR, 'NotoSansHans-Regular.otf')), bold: readFileSync(join(FONT_DIR, 'NotoSansHans-Bold.otf')) };
  return fontFiles;
}

export interface PdfOptions {
  lang: ReportLang;
  /** Throughput series for the small-multiples pages; null leaves them out. */
  charts: ReportCharts | null;
}

const pct = (v: number | null, d = 3) => (v === null ? '—' : `${v.toFixed(d)}%`);
const signed = (v: number | null, d: number, unit: string) => (v === null ? '—' : `${v >= 0 ? '+' : ''}${v.toFixed(d)} ${unit}`);

function tableSpec(s: Section, t: ReportText, lang: ReportLang, fontSize?: number): PdfTableSpec {
  const keep = s.columns.map((c, i) => ({ c, i })).filter(({ c }) => c.pdf !== false);
  return {
    title: s.title,
    continuedTitle: `${s.title}${lang === 'zh' ? '（续）' : ' (continued)'}`,
    columns: keep.map(({ c }) => ({ header: c.header, width: c.width, align: c.kind === 'text' ? 'left' : 'right' })),
    rows: s.rows.map((row) => keep.map(({ c, i }) => (row[i] === null ? '—' : formatCell(row[i]!, c.kind)))),
    empty: lang === 'zh' ? '（无）' : '(none)',
    ...(fontSize ? { fontSize } : {}),
  };
}

interface Tile {
  label: string;
  value: string;
  sub: string;
}

function tiles(doc: PDFKit.PDFDocument, items: Tile[], y: number, cache: Map<string, string>): number {
  const f = pageFrame(doc);
  const gap = 8;
  const w = (f.right - f.left - gap * (items.length - 1)) / items.length;
  const h = 62;
  items.forEach((it, i) => {
    const x = f.left + i * (w + gap);
    doc.roundedRect(x, y, w, h, 4).fill('#eef3f9');
    // pdfkit wraps text given a width even with lineBreak off: cut to fit instead.
    doc.font(FONT).fontSize(8).fillColor('#4a5b72').text(fitText(doc, it.label, w - 16, 8, cache), x + 8, y + 7, { lineBreak: false });
    doc.font(FONT_BOLD).fontSize(17).fillColor('#1a2b4a').text(fitText(doc, it.value, w - 16, 17, cache), x + 8, y + 21, { lineBreak: false });
    doc.font(FONT).fontSize(7).fillColor('#4a5b72').text(fitText(doc, it.sub, w - 16, 7, cache), x + 8, y + 46, { lineBreak: false });
  });
  return y + h + 14;
}

function summaryPage(doc: PDFKit.PDFDocument, r: MonthlyReport, t: ReportText, lang: ReportLang, sections: Map<SectionKey, Section>, cache: Map<string, string>): void {
  const f = pageFrame(doc);
  const s = r.summary;
  const m = s.monthOnMonth;
  doc.font(FONT_BOLD).fontSize(20).fillColor('#1a2b4a').text(r.period.kind === 'month' ? `${t.title}  ${t.monthLabel(r.period.label)}` : `${t.rangeTitle}  ${r.period.firstDay} – ${r.period.lastDay}`, f.left, f.top, { lineBreak: false });
  doc.font(FONT).fontSize(9.5).fillColor('#333333').text(t.subtitle, f.left, f.top + 28, { lineBreak: false });
  const days = lang === 'zh' ? `（${r.period.days} 天，工作日 ${r.period.workingDays} 天）` : ` (${r.period.days} days, ${r.period.workingDays} working days)`;
  const line = `${t.period}：${r.period.firstDay} – ${r.period.lastDay}${days}    ${t.asOf}：${shanghaiMinute(Date.parse(r.period.asOf))}    ${t.generatedAt}：${shanghaiMinute(Date.parse(r.generatedAt))}`;
  doc.fontSize(8.5).fillColor('#555555').text(lang === 'zh' ? line : line.replace(/：/g, ': '), f.left, f.top + 44, { lineBreak: false });

  const compared = m?.status === 'compared' ? m : null;
  const mom = (d: string) => (compared ? `${lang === 'zh' ? '较上月' : 'vs. last month'} ${d}` : ' ');
  const lim = r.settings;
  const cov = s.coverage;
  const fleet = s.targets.fleet;
  const hours = (sec: number) => (sec / 3600).toFixed(1);
  let y = f.top + 64;
  if (!cov.complete) {
    // The first thing a reader sees: these figures describe only the time demarc saw.
    const msg = t.incomplete(pct(cov.pct, 2), lim.coverageThresholdPct);
    doc.roundedRect(f.left, y, f.right - f.left, 24, 3).fill('#fde8e6');
    doc.font(FONT_BOLD).fontSize(10).fillColor('#a61b0f').text(msg, f.left + 10, y + 6, { width: f.right - f.left - 20, lineBreak: false });
    y += 32;
  }
  y = tiles(doc, [
    { label: t.kpi.carrierAvailabilityShort, value: pct(s.carrierAvailabilityPct), sub: fleet ? t.kpi.targetTile(lim.targets.fleetAvailabilityPct, t.targetStatusShort[fleet.status]) : ' ' },
    { label: t.kpi.coverageShort, value: pct(cov.pct, 2), sub: `${lang === 'zh' ? '未监测' : 'unmonitored'} ${hours(cov.unmonitoredSec)} ${t.unit.hours}` },
    { label: t.kpi.siteAvailability, value: pct(s.siteAvailabilityPct), sub: mom(signed(compared?.delta.siteAvailabilityPct ?? null, 3, t.unit.pp)) },
    { label: lang === 'zh' ? `${t.kpi.lineDown}（${t.unit.minutes}）` : `${t.kpi.lineDown} (${t.unit.minutes})`, value: (s.downtimeSec.line / 60).toFixed(1), sub: fleet ? `${lang === 'zh' ? '预算' : 'budget'} ${fleet.budget.allowedMin.toFixed(1)} · ${lang === 'zh' ? '剩余' : 'left'} ${fleet.budget.leftMin.toFixed(1)}` : ' ' },
    { label: t.kpi.incidents, value: String(s.incidents.total), sub: `${lang === 'zh' ? '未结束' : 'open'} ${s.incidents.open} · ${lang === 'zh' ? '线路侧未申告' : 'line, unreported'} ${s.responses.unreportedLine}` },
    { label: t.kpi.compliance(lim.responseLimitHours), value: pct(s.responses.compliancePct, 1), sub: `${lim.strictResponseLimitHours} h: ${pct(s.responses.strictCompliancePct, 1)} · n=${s.responses.reported}` },
  ], y, cache);
  doc.font(FONT).fontSize(8).fillColor('#333333');
  const circuitsLine = `${t.kpi.circuitTargets}：${s.targets.circuits.pass} / ${s.targets.circuits.fail} / ${s.targets.circuits.incomplete}    ${t.kpi.responseCovers(s.responses.reported, s.responses.lineOutages, s.responses.unreportedLine)}`;
  const momLine = m?.status === 'no-comparison' ? t.momNone(m.previousLabel, m.reason) : compared ? `${t.kpi.mom(compared.previousLabel)}：${t.kpi.carrierAvailabilityShort} ${signed(compared.delta.carrierAvailabilityPct, 3, t.unit.pp)}` : '';
  for (const text of [circuitsLine, momLine].filter(Boolean)) {
    doc.text(lang === 'zh' ? text : text.replace(/：/g, ': '), f.left, y - 8, { width: f.right - f.left });
    y = doc.y + 10;
  }

  const mid = (f.left + f.right) / 2;
  const yLeft = drawTable(doc, tableSpec(sections.get('downtime')!, t, lang), y, cache, { left: f.left, right: mid - 10 });
  const yRight = drawTable(doc, tableSpec(sections.get('worst')!, t, lang), y, cache, { left: mid + 10, right: f.right });
  y = Math.max(yLeft, yRight);

  doc.font(FONT).fontSize(7.5).fillColor('#555555');
  for (const d of [t.timeZone, ...t.definitions]) {
    doc.text(`· ${d}`, f.left, y, { width: f.right - f.left });
    y = doc.y + 2;
  }
}

function footers(doc: PDFKit.PDFDocument, r: MonthlyReport, t: ReportText): void {
  const range = doc.bufferedPageRange();
  for (let i = range.start; i < range.start + range.count; i++) {
    doc.switchToPage(i);
    const f = pageFrame(doc);
    // Writing below the bottom margin would make pdfkit start a new page; lift the margin while we do.
    const bottom = doc.page.margins.bottom;
    doc.page.margins.bottom = 0;
    doc.font(FONT).fontSize(7).fillColor('#777777');
    doc.text(`demarc · ${r.period.label}`, f.left, f.bottom + 14, { lineBreak: false });
    doc.text(t.page(i + 1, range.count), f.left, f.bottom + 14, { width: f.right - f.left, align: 'right', lineBreak: false });
    doc.page.margins.bottom = bottom;
  }
}

export async function renderPdf(report: MonthlyReport, opts: PdfOptions): Promise<Buffer> {
  const t = textFor(opts.lang);
  const doc = new PDFDocument({
    size: 'A4',
    layout: 'landscape',
    margins: { top: 34, bottom: 38, left: 34, right: 34 },
    bufferPages: true,
    lang: opts.lang === 'zh' ? 'zh-CN' : 'en',
    displayTitle: true,
    info: {
      Title: report.period.kind === 'month' ? `${t.title} ${t.monthLabel(report.period.label)}` : `${t.rangeTitle} ${report.period.label}`,
      Author: 'demarc',
      Subject: t.subtitle,
      CreationDate: new Date(report.generatedAt),
    },
  });
  const chunks: Buffer[] = [];
  doc.on('data', (c: Buffer) => chunks.push(c));
  const done = new Promise<Buffer>((resolve, reject) => {
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.on('error', reject);
  });

  const f = fonts();
  doc.registerFont(FONT, f.regular);
  doc.registerFont(FONT_BOLD, f.bold);
  const cache = new Map<string, string>();
  const sections = new Map(reportSections(report, opts.lang).map((s) => [s.key, s]));

  summaryPage(doc, report, t, opts.lang, sections, cache);
  doc.addPage();
  let y = drawTable(doc, tableSpec(sections.get('circuits')!, t, opts.lang, 7), pageFrame(doc).top, cache);
  doc.addPage();
  drawTable(doc, tableSpec(sections.get('targets')!, t, opts.lang), pageFrame(doc).top, cache);
  doc.addPage();
  y = drawTable(doc, tableSpec(sections.get('incidents')!, t, opts.lang), pageFrame(doc).top, cache);
  y = drawTable(doc, tableSpec(sections.get('responses')!, t, opts.lang), y, cache);
  drawTable(doc, tableSpec(sections.get('findings')!, t, opts.lang), y, cache);
  // The contract section: what the register says of this period (terms ending, credits, service days).
  doc.addPage();
  y = drawTable(doc, tableSpec(sections.get('termEnds')!, t, opts.lang), pageFrame(doc).top, cache);
  y = drawTable(doc, tableSpec(sections.get('lateActivations')!, t, opts.lang), y, cache);
  drawTable(doc, tableSpec(sections.get('outOfService')!, t, opts.lang), y, cache);
  if (opts.charts) {
    doc.addPage();
    drawSmallMultiples(doc, opts.charts, t, opts.lang, { first: report.period.firstDay, last: report.period.lastDay }, cache);
  }
  footers(doc, report, t);
  doc.end();
  return done;
}
