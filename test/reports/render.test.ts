import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildReport } from '../../reports/build-report.js';
import type { ReportCharts } from '../../reports/pdf-charts.js';
import type { MonthlyReport } from '../../reports/report-model.js';
import { renderCsvAll } from '../../reports/render-csv.js';
import { renderPdf } from '../../reports/render-pdf.js';
import { renderXlsx } from '../../reports/render-xlsx.js';
import { SECTION_KEYS } from '../../reports/report-sections.js';
import { buildDemoMonth, type DemoMonth } from './demo-month.js';
import { defaultReportSettings } from './incident-fixture.js';
import { inkShare, pdfFonts, pdfInfo, pdfPageGray, pdfPageToPng, pdfText } from './poppler.js';

/**
 * The demo-like month (120 regiment sites, Chinese names, incidents of every kind) rendered
 * to PDF, XLSX and CSV, each read back with an independent reader.
 */

let dir: string;
let demo: DemoMonth;
let report: MonthlyReport;
let charts: ReportCharts;
let zhPdf: string;
let enPdf: string;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'demarc-report-render-'));
  demo = await buildDemoMonth({ dir, siteCount: 120, intervalSec: 1800 });
  ({ report, charts } = await buildReport(demo.source, demo.period, demo.now, defaultReportSettings('全网（所有站点）')));
  zhPdf = join(dir, 'demarc-uptime-2026-10-zh.pdf');
  enPdf = join(dir, 'demarc-uptime-2026-10-en.pdf');
  writeFileSync(zhPdf, await renderPdf(report, { lang: 'zh', charts }));
  writeFileSync(enPdf, await renderPdf(report, { lang: 'en', charts }));
});

afterAll(async () => {
  await demo?.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('PDF (zh-CN)', () => {
  it('embeds a subset of Noto Sans Hans, so it renders on a machine without Chinese fonts', () => {
    const fonts = pdfFonts(zhPdf).split('\n').filter((l) => l.includes('NotoSansHans'));
    expect(fonts.length).toBe(2);
    for (const f of fonts) {
      // name, type, encoding, emb, sub, uni
      expect(f).toMatch(/^[A-Z]{6}\+NotoSansHans-(Regular|Bold)\s+CID Type 0C\s+Identity-H\s+yes\s+yes\s+yes/);
    }
  });

  it('has its Chinese text extractable and correct', () => {
    const text = pdfText(zhPdf);
    for (const s of [
      '专线电路月度可用率报告', '2026年10月', '社保卡服务中心', '统计周期：2026-10-01 – 2026-10-31（31 天，工作日 18 天）',
      '运营商责任可用率', '站点可用率（全部原因）', '按责任划分的中断时长', '线路侧（运营商）', '设备侧（甲方）', '计划割接', '不可抗力', '监测盲区',
      '运营商责任可用率最低的电路', '各电路明细', '各电路明细（续）', '故障事件', '运营商故障响应', '容量提示',
      '第一师一团', '第十四师二二九团', 'XJ70M-2026-120', '上期延续', '截至报告时仍未恢复', '超时未响应', '1小时内响应', '2小时内响应',
      '各电路流量（小时均值，占额定速率 %）', '时间均为北京时间（Asia/Shanghai）',
      '流量平顶（疑似限速配置低于额定速率）', '持续接近满载', '第一师六团',
    ]) expect(text, s).toContain(s);
    expect(text).toContain(`${report.summary.carrierAvailabilityPct!.toFixed(3)}%`);
    expect(text).toContain(`${report.summary.siteAvailabilityPct!.toFixed(3)}%`);
    // The demo caps four circuits at 20M: the detector finds each ceiling.
    expect(report.findings.filter((f) => f.kind === 'policer-ceiling' && f.direction === 'in' && Math.abs(f.observedMbps - 20) < 1e-9).map((f) => f.siteId)).toEqual(
      demo.sites.filter((_s, i) => i % 37 === 5).map((s) => s.id),
    );
    // Each circuit of the fleet appears in the circuits table.
    for (const c of report.circuits) expect(text, c.circuitId).toContain(c.circuitId);
  });

  it('reads well: rules and evidence in Chinese, nothing cut with "…", P95 as % of nominal, MTTR per responsibility', () => {
    for (const file of [zhPdf, enPdf]) expect(pdfText(file), file).not.toContain('…');
    const text = pdfText(zhPdf);
    // Rule and evidence names from core/terms.ts, not codes.
    // Cells wrap, so a name may break across lines: compare without white space.
    const flat = text.replace(/\s+/g, '');
    for (const s of ['判定规则', '判定依据', '线路中断', 'CE重启或掉电', '计划割接', 'CE带内不可达', '中心端接口中断', '已报备的计划割接窗口']) expect(flat, s).toContain(s);
    expect(text).not.toMatch(/\bline-cut\b|\bce-rebooted\b|\bplanned-maintenance\b/);
    expect(flat).toContain('入向P95%');
    const p95 = report.circuits[0]!.throughput.inP95Pct!.toFixed(1);
    expect(text).toContain(p95);
    // The downtime table on page 1 has an MTTR column: the device side's mean repair next to the carrier's.
    const page1 = pdfText(zhPdf, true).split('\f')[0]!;
    expect(page1).toContain('MTTR 分钟');
    expect(page1).toContain((report.summary.mttrSec.device! / 60).toFixed(1));
    expect(page1).toContain((report.summary.mttrSec.line! / 60).toFixed(1));
  });

  it('numbers every page "第 n 页 / 共 N 页" and repeats table headers on continuation pages', () => {
    const pages = Number(/Pages:\s+(\d+)/.exec(pdfInfo(zhPdf))![1]);
    expect(pages).toBeGreaterThanOrEqual(8);
    const perPage = pdfText(zhPdf).split('\f').slice(0, pages);
    perPage.forEach((p, i) => expect(p).toContain(`第 ${i + 1} 页 / 共 ${pages} 页`));
    const continued = perPage.filter((p) => p.includes('各电路明细（续）'));
    expect(continued.length).toBeGreaterThanOrEqual(2);
    for (const p of continued) expect(p).toContain('电路编号');
  });

  it('draws page 1: title, KPI tiles and two tables where they belong', () => {
    const img = pdfPageGray(zhPdf, 1, join(dir, 'page1'), 60);
    expect(img.width).toBeGreaterThan(img.height);
    expect(inkShare(img, { x0: 0.04, y0: 0.05, x1: 0.5, y1: 0.1 })).toBeGreaterThan(0.05);
    // The tiles' numbers, across the whole width (tiles 1, 3 and 5 of six; each value starts at the tile's left edge).
    for (const x0 of [0.05, 0.36, 0.665]) expect(inkShare(img, { x0, y0: 0.19, x1: x0 + 0.12, y1: 0.24 })).toBeGreaterThan(0.02);
    // Left table (downtime) and right table (worst 10) both have rows.
    expect(inkShare(img, { x0: 0.05, y0: 0.35, x1: 0.48, y1: 0.5 })).toBeGreaterThan(0.005);
    expect(inkShare(img, { x0: 0.53, y0: 0.35, x1: 0.96, y1: 0.6 })).toBeGreaterThan(0.01);
    // The bottom margin above the footer stays clear.
    expect(inkShare(img, { x0: 0.05, y0: 0.88, x1: 0.95, y1: 0.93 })).toBeLessThan(0.001);
    const png = pdfPageToPng(zhPdf, 1, join(dir, 'page1-color'));
    expect(png.endsWith('.png')).toBe(true);
  });
});

describe('PDF (English option)', () => {
  it('says the same in English', () => {
    const text = pdfText(enPdf);
    for (const s of ['Monthly Circuit Availability Report', 'October 2026', 'Carrier-attributable availability', 'Line side (carrier)', 'Circuits (continued)', 'not restored at report time', 'Page 1 of']) expect(text, s).toContain(s);
  });
});

describe('XLSX', () => {
  it('has one sheet per section, numbers as numbers, read back with exceljs', async () => {
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load((await renderXlsx(report, 'zh')) as never);
    expect(wb.worksheets.map((w) => w.name)).toEqual(['报告信息', '总体概况', '合同指标考核（可用率目标与中断预算）', '按责任划分的中断时长', '运营商责任可用率最低的电路', '各电路明细', '故障事件', '运营商故障响应', '容量提示', '合同期满与续期（本期及其后 90 天）', '延迟开通与违约金（10.2）', '本期未全程在网的电路']);
    const circuits = wb.getWorksheet('各电路明细')!;
    expect(circuits.rowCount).toBe(1 + 120);
    const header = (circuits.getRow(1).values as unknown[]).slice(1);
    const col = (name: string) => header.indexOf(name) + 1;
    expect(col('运营商可用率 %')).toBeGreaterThan(0);
    report.circuits.forEach((c, i) => {
      const row = circuits.getRow(2 + i);
      expect(row.getCell(col('电路编号')).value).toBe(c.circuitId);
      expect(row.getCell(col('运营商可用率 %')).value).toBeCloseTo(c.carrierAvailabilityPct!, 9);
      expect(row.getCell(col('线路侧 分钟')).value).toBeCloseTo(c.downtimeSec.line / 60, 9);
    });
    expect(circuits.getColumn(col('运营商可用率 %')).numFmt).toBe('0.000');
    const incidents = wb.getWorksheet('故障事件')!;
    expect(incidents.rowCount).toBe(1 + report.incidents.length);
    const about = wb.getWorksheet('报告信息')!;
    expect(about.getCell('A1').value).toBe('专线电路月度可用率报告');
  });
});

describe('CSV', () => {
  it('one file per section, UTF-8 with BOM, parseable, same figures', () => {
    const files = renderCsvAll(report, 'zh');
    expect(files.map((f) => f.key)).toEqual([...SECTION_KEYS]);
    for (const f of files) expect([...f.body.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const rows = parse(files.find((f) => f.key === 'circuits')!.body.toString('utf8'), { bom: true, columns: true }) as Record<string, string>[];
    expect(rows.length).toBe(120);
    expect(rows[0]!['站点']).toBe('第一师一团');
    report.circuits.forEach((c, i) => expect(rows[i]!['运营商可用率 %']).toBe(c.carrierAvailabilityPct!.toFixed(3)));
    const incidents = parse(files.find((f) => f.key === 'incidents')!.body.toString('utf8'), { bom: true, columns: true }) as Record<string, string>[];
    expect(incidents.length).toBe(report.incidents.length);
    expect(incidents.find((r) => r['事件编号'] === 'INC-D-010')!['结束']).toBe('未结束');
  });
});
