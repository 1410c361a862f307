import { FONT, FONT_BOLD, fitText, pageFrame } from './pdf-table.js';
import type { ReportText } from './report-text.js';

/**
 * The throughput page: one small chart per circuit (small multiples), drawn as PDF vector
 * paths, so 120 circuits fit on four pages and stay sharp when printed. Each chart shows the
 * hourly (or daily, for long ranges) mean utilization in and out as % of the nominal rate,
 * with the report's utilization threshold as a dashed line.
 */

export interface ThroughputSeries {
  siteId: string;
  siteName: string;
  siteNameEn: string | null;
  points: { at: number; inPct: number | null; outPct: number | null }[];
}

export interface ReportCharts {
  stepSec: number;
  from: number;
  to: number;
  thresholdPct: number;
  series: ThroughputSeries[];
}

const COLS = 6;
const ROWS = 5;
const IN_COLOR = '#1f6fb2';
const OUT_COLOR = '#e07b00';

/**
 * Thins a series to at most two points per bin (its lowest and highest, in time order), so a
 * 120-point-wide chart of 744 hourly points keeps its envelope, peaks included, with a third
 * of the path. A bin with a gap (null) is kept whole, so the line breaks where the data does.
 */
export function decimate(pts: readonly { x: number; y: number | null }[], bins: number, x0: number, width: number): { x: number; y: number | null }[] {
  if (pts.length <= 2 * bins) return [...pts];
  const out: { x: number; y: number | null }[] = [];
  let bin = -1;
  let group: { x: number; y: number | null }[] = [];
  const flush = () => {
    if (!group.length) return;
    if (group.some((p) => p.y === null)) {
      // A gap inside the bin: keep the bin as it is, so the line breaks where the data does.
      out.push(...group);
    } else {
      let lo = group[0]!;
      let hi = group[0]!;
      for (const p of group) {
        if (p.y! > lo.y!) lo = p;
        if (p.y! < hi.y!) hi = p;
      }
      // PDF y grows downwards: the smallest y is the highest value.
      out.push(...(lo === hi ? [lo] : lo.x <= hi.x ? [lo, hi] : [hi, lo]));
    }
    group = [];
  };
  for (const p of pts) {
    const b = Math.min(bins - 1, Math.max(0, Math.floor(((p.x - x0) / width) * bins)));
    if (b !== bin) {
      flush();
      bin = b;
    }
    group.push(p);
  }
  flush();
  return out;
}

function polyline(doc: PDFKit.PDFDocument, pts: { x: number; y: number | null }[], color: string): void {
  let pen = false;
  for (const p of pts) {
    if (p.y === null) {
      pen = false;
      continue;
    }
    if (pen) doc.lineTo(p.x, p.y);
    else doc.moveTo(p.x, p.y);
    pen = true;
  }
  doc.lineWidth(0.5).strokeColor(color).stroke();
}

function legend(doc: PDFKit.PDFDocument, x: number, y: number, lang: 'zh' | 'en', thresholdPct: number): void {
  const items: [string, string, boolean][] = [
    [IN_COLOR, lang === 'zh' ? '入向' : 'in', false],
    [OUT_COLOR, lang === 'zh' ? '出向' : 'out', false],
    ['#c0392b', `${thresholdPct}%`, true],
  ];
  doc.font(FONT).fontSize(8);
  for (const [color, label, dashed] of items) {
    doc.moveTo(x, y + 5).lineTo(x + 18, y + 5).lineWidth(1.2).strokeColor(color);
    if (dashed) doc.dash(2, { space: 2 });
    doc.stroke().undash();
    doc.fillColor('#333333').text(label, x + 22, y, { lineBreak: false });
    x += 30 + doc.widthOfString(label);
  }
}

function cell(doc: PDFKit.PDFDocument, s: ThroughputSeries, c: ReportCharts, box: { x: number; y: number; w: number; h: number }, lang: 'zh' | 'en', cache: Map<string, string>): void {
  const titleH = 10;
  const name = lang === 'en' ? (s.siteNameEn ?? s.siteName) : s.siteName;
  doc.font(FONT).fontSize(6.5).fillColor('#1a2b4a');
  doc.text(fitText(doc, `${name}  ${s.siteId}`, box.w, 6.5, cache), box.x, box.y, { lineBreak: false });
  const area = { x: box.x, y: box.y + titleH, w: box.w, h: box.h - titleH };
  doc.rect(area.x, area.y, area.w, area.h).lineWidth(0.4).strokeColor('#b8c2cf').stroke();
  const yOf = (pct: number) => area.y + area.h - (Math.min(100, Math.max(0, pct)) / 100) * area.h;
  doc.moveTo(area.x, yOf(50)).lineTo(area.x + area.w, yOf(50)).lineWidth(0.3).strokeColor('#e3e8ee').stroke();
  doc.moveTo(area.x, yOf(c.thresholdPct)).lineTo(area.x + area.w, yOf(c.thresholdPct)).lineWidth(0.5).strokeColor('#c0392b').dash(2, { space: 2 }).stroke().undash();
  const span = c.to - c.from;
  const xOf = (at: number) => area.x + ((at - c.from) / span) * area.w;
  const bins = Math.max(1, Math.round(area.w));
  polyline(doc, decimate(s.points.map((p) => ({ x: xOf(p.at), y: p.inPct === null ? null : yOf(p.inPct) })), bins, area.x, area.w), IN_COLOR);
  polyline(doc, decimate(s.points.map((p) => ({ x: xOf(p.at), y: p.outPct === null ? null : yOf(p.outPct) })), bins, area.x, area.w), OUT_COLOR);
}

/** Adds the chart pages; the caller has just started a new page. */
export function drawSmallMultiples(doc: PDFKit.PDFDocument, c: ReportCharts, t: ReportText, lang: 'zh' | 'en', axis: { first: string; last: string }, cache: Map<string, string>): void {
  const perPage = COLS * ROWS;
  for (let start = 0; start < Math.max(1, c.series.length); start += perPage) {
    if (start > 0) doc.addPage();
    const f = pageFrame(doc);
    doc.font(FONT_BOLD).fontSize(12).fillColor('#1a2b4a').text(t.sections.charts, f.left, f.top, { lineBreak: false });
    doc.font(FONT).fontSize(8).fillColor('#555555').text(`${axis.first} – ${axis.last}   0–100%`, f.left, f.top + 16, { lineBreak: false });
    legend(doc, f.right - 170, f.top + 2, lang, c.thresholdPct);
    const top = f.top + 32;
    const gap = 8;
    const w = (f.right - f.left - gap * (COLS - 1)) / COLS;
    const h = (f.bottom - top - gap * (ROWS - 1)) / ROWS;
    c.series.slice(start, start + perPage).forEach((s, i) => {
      const col = i % COLS;
      const row = Math.floor(i / COLS);
      cell(doc, s, c, { x: f.left + col * (w + gap), y: top + row * (h + gap), w, h }, lang, cache);
    });
  }
}
