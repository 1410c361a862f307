/**
 * Tables in the PDF: fixed column widths; text that does not fit its column wraps onto more
 * lines and the row grows to hold it (a signed report must not cut a rule name or a note with
 * "…"); at a page break the section title and the column headers are drawn again, so every
 * page reads on its own.
 */

export const FONT = 'cjk';
export const FONT_BOLD = 'cjk-bold';

export interface PdfColumn {
  header: string;
  /** Relative width; the table fills the page width. */
  width: number;
  align: 'left' | 'right';
}

export interface PdfTableSpec {
  title: string;
  continuedTitle: string;
  columns: PdfColumn[];
  rows: string[][];
  empty: string;
  fontSize?: number;
}

const PAD = 3;

/** Cuts text to fit the width, with an ellipsis; measuring is cached per string and font size (the caller has set that size). */
export function fitText(doc: PDFKit.PDFDocument, text: string, width: number, size: number, cache: Map<string, string>): string {
  const key = `${size}|${width}|${text}`;
  const hit = cache.get(key);
  if (hit !== undefined) return hit;
  let out = text;
  if (doc.widthOfString(text) > width) {
    const chars = [...text];
    let lo = 0;
    let hi = chars.length;
    while (lo < hi) {
      const mid = Math.ceil((lo + hi) / 2);
      if (doc.widthOfString(chars.slice(0, mid).join('') + '…') <= width) lo = mid;
      else hi = mid - 1;
    }
    out = chars.slice(0, lo).join('') + '…';
  }
  cache.set(key, out);
  return out;
}

export interface PageFrame {
  left: number;
  right: number;
  top: number;
  bottom: number;
}

export function pageFrame(doc: PDFKit.PDFDocument): PageFrame {
  const m = doc.page.margins;
  return { left: m.left, right: doc.page.width - m.right, top: m.top, bottom: doc.page.height - m.bottom };
}

function sectionTitle(doc: PDFKit.PDFDocument, title: string, y: number, f: PageFrame): number {
  doc.font(FONT_BOLD).fontSize(12).fillColor('#1a2b4a').text(title, f.left, y, { lineBreak: false });
  return y + 20;
}

function headerRow(doc: PDFKit.PDFDocument, spec: PdfTableSpec, widths: number[], y: number, f: PageFrame, size: number): number {
  doc.font(FONT_BOLD).fontSize(size);
  const heights = spec.columns.map((c, i) => doc.heightOfString(c.header, { width: widths[i]! - 2 * PAD }));
  const h = Math.max(...heights) + 2 * PAD;
  doc.rect(f.left, y, f.right - f.left, h).fill('#dfe7f1');
  doc.fillColor('#1a2b4a');
  let x = f.left;
  spec.columns.forEach((c, i) => {
    doc.text(c.header, x + PAD, y + PAD, { width: widths[i]! - 2 * PAD, align: c.align });
    x += widths[i]!;
  });
  return y + h;
}

/** Height of a cell's text wrapped to `width`, cached per string, size and width (the caller has set font and size). */
function cellHeight(doc: PDFKit.PDFDocument, text: string, width: number, size: number, cache: Map<string, number>): number {
  const key = `${size}|${width}|${text}`;
  let h = cache.get(key);
  if (h === undefined) {
    h = text ? doc.heightOfString(text, { width }) : size;
    cache.set(key, h);
  }
  return h;
}

const heights = new WeakMap<Map<string, string>, Map<string, number>>();

/**
 * Draws the table from `y` (or the top of a new page when there is no room for the title,
 * the header and a few rows) and returns the y below it. `span` narrows it to part of the
 * page width (two tables side by side).
 */
export function drawTable(doc: PDFKit.PDFDocument, spec: PdfTableSpec, y: number, cache: Map<string, string>, span?: { left: number; right: number }): number {
  const size = spec.fontSize ?? 7.5;
  const rowH = size + 2 * PAD + 1;
  const framed = (): PageFrame => ({ ...pageFrame(doc), ...span });
  let f = framed();
  const total = spec.columns.reduce((s, c) => s + c.width, 0);
  const widths = spec.columns.map((c) => ((f.right - f.left) * c.width) / total);
  if (y + 20 + 4 * rowH > f.bottom) {
    doc.addPage();
    f = framed();
    y = f.top;
  }
  y = sectionTitle(doc, spec.title, y, f);
  y = headerRow(doc, spec, widths, y, f, size);
  if (!spec.rows.length) {
    doc.font(FONT).fontSize(size).fillColor('#555555').text(spec.empty, f.left + PAD, y + PAD, { lineBreak: false });
    return y + rowH + 10;
  }
  const hcache = heights.get(cache) ?? new Map<string, number>();
  heights.set(cache, hcache);
  spec.rows.forEach((row, r) => {
    doc.font(FONT).fontSize(size);
    const h = Math.max(rowH, ...row.map((cell, i) => cellHeight(doc, cell, widths[i]! - 2 * PAD, size, hcache) + 2 * PAD + 1));
    if (y + h > f.bottom) {
      doc.addPage();
      f = framed();
      y = sectionTitle(doc, spec.continuedTitle, f.top, f);
      y = headerRow(doc, spec, widths, y, f, size);
    }
    if (r % 2 === 1) doc.rect(f.left, y, f.right - f.left, h).fill('#f4f6f9');
    doc.font(FONT).fontSize(size).fillColor('#111111');
    let x = f.left;
    row.forEach((cell, i) => {
      const w = widths[i]! - 2 * PAD;
      doc.text(cell, x + PAD, y + PAD, { width: w, align: spec.columns[i]!.align });
      x += widths[i]!;
    });
    y += h;
  });
  doc.moveTo(f.left, y).lineTo(f.right, y).lineWidth(0.5).strokeColor('#9aa8bb').stroke();
  return y + 12;
}
