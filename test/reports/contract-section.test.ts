import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { validateSiteRows } from '../../config/inventory.js';
import type { Site } from '../../core/inventory.js';
import { DEFAULT_TERMS } from '../../inventory/circuit-register.js';
import { buildReport } from '../../reports/build-report.js';
import { contractReport } from '../../reports/contract-section.js';
import type { MonthlyReport } from '../../reports/report-model.js';
import { renderCsvAll } from '../../reports/render-csv.js';
import { renderPdf } from '../../reports/render-pdf.js';
import { renderXlsx } from '../../reports/render-xlsx.js';
import { siteRow } from '../support/temp-config.js';
import { buildDemoMonth, type DemoMonth } from './demo-month.js';
import { defaultReportSettings } from './incident-fixture.js';
import { pdfText } from './poppler.js';

/**
 * The monthly report's contract section for October 2026, against a hand-computed register:
 * - 一团 ordered Tue 1 Sep 2026: 30 PRC working days later is Mon 19 Oct (Mid-Autumn 25 Sep and
 *   National Day 1-7 Oct off, make-up Sun 20 Sep and Sat 10 Oct worked). Activated Fri 23 Oct:
 *   working days late 20, 21, 22, 23 = 4; credit 2 % × ¥5,000 × 4 = ¥400 (cap ¥3,000 not reached).
 *   In service 23-31 Oct = 9 days.
 * - 二团 activated 15 Nov 2025, one-year term: last day 14 Nov 2026, 14 days after 31 Oct; the
 *   90-day notice deadline was 16 Aug 2026 (76 days before 31 Oct), none given: it renews.
 * - 三团 to be activated 1 Dec 2026: ordered, 0 service days in October.
 * - 四团 notice on 10 Sep 2026 to end on 15 Oct (≥ 30 days, 5.1): ended, 15 service days.
 */
const rows = [
  siteRow({ site_id: 'R1', name: '一团', ce_host: '127.0.0.1', ce_port: '161', activation_date: '2026-10-23', order_date: '2026-09-01', one_time_fee_yuan: '5000', monthly_fee_yuan: '3000' }),
  siteRow({ site_id: 'R2', name: '二团', ce_host: '127.0.0.1', ce_port: '161', activation_date: '2025-11-15' }),
  siteRow({ site_id: 'R3', name: '三团', ce_host: '127.0.0.1', ce_port: '161', activation_date: '2026-12-01' }),
  siteRow({ site_id: 'R4', name: '四团', ce_host: '127.0.0.1', ce_port: '161', activation_date: '2026-01-05', termination_notice_date: '2026-09-10', service_end_date: '2026-10-15' }),
];
const checked = validateSiteRows(rows.map((values, i) => ({ row: i + 2, values })), 'contract-fixture', new Set(['v2c']));
const sites: Site[] = checked.inventory?.sites ?? [];
const OCTOBER = { firstDay: '2026-10-01', lastDay: '2026-10-31' };

describe('contract section (pure), October 2026, hand-computed', () => {
  it('the fixture is a valid inventory', () => expect(checked.problems).toEqual([]));

  const c = contractReport(sites, OCTOBER, DEFAULT_TERMS);
  it('late activations with their credits', () => {
    expect(c.lateActivations).toEqual([
      { siteId: 'R1', siteName: '一团', circuitId: 'C-R1', requiredDate: '2026-10-19', activationDate: '2026-10-23', workingDaysLate: 4, creditYuan: 400, capped: false, customerMayTerminate: false },
    ]);
    expect(c.creditsYuan).toBe(400);
  });

  it('terms ending within the period and the 90 days after, with the renewal decision', () => {
    expect(c.termEndsDue).toEqual([{ siteId: 'R2', siteName: '二团', circuitId: 'C-R2', termEnd: '2026-11-14', daysToTermEnd: 14, noticeDeadline: '2026-08-16', daysToDeadline: -76, decision: 'renews' }]);
  });

  it('circuits out of service for part or all of the period, with their service days', () => {
    expect(c.outOfService.map((x) => [x.siteId, x.status, x.serviceDays])).toEqual([['R1', 'active', 9], ['R3', 'ordered', 0], ['R4', 'ended', 15]]);
    expect(c.outOfService.find((x) => x.siteId === 'R4')!.serviceEndDate).toBe('2026-10-15');
  });
});

describe('contract section in the rendered monthly report (JSON, CSV, XLSX, PDF)', () => {
  let dir: string;
  let demo: DemoMonth;
  let report: MonthlyReport;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'demarc-contract-'));
    demo = await buildDemoMonth({ dir, siteCount: 1, intervalSec: 3600 });
    expect(demo.period.firstDay).toBe('2026-10-01');
    ({ report } = await buildReport({ ...demo.source, sites }, demo.period, demo.now, defaultReportSettings()));
  }, 120_000);

  afterAll(async () => {
    await demo?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('JSON carries the section', () => {
    const json = JSON.parse(JSON.stringify(report)) as MonthlyReport;
    expect(json.contract.creditsYuan).toBe(400);
    expect(json.contract.lateActivations[0]!.workingDaysLate).toBe(4);
  });

  it('CSV: one file per contract table, zh-CN headers, the credit and its total', () => {
    const files = new Map(renderCsvAll(report, 'zh').map((f) => [f.key, parse(f.body.toString('utf8').replace(/^\uFEFF/, '')) as string[][]]));
    const late = files.get('lateActivations')!;
    expect(late[0]).toEqual(['站点', '电路编号', '应开通日期', '实际开通', '延迟工作日', '违约金 元', '已封顶', '可解除合同']);
    expect(late[1]).toEqual(['一团', 'C-R1', '2026-10-19', '2026-10-23', '4', '400.00', '', '']);
    expect(late[2]!.slice(0, 1).concat(late[2]![5]!)).toEqual(['合计', '400.00']);
    expect(files.get('termEnds')![1]).toEqual(['二团', 'C-R2', '2026-11-14', '14', '2026-08-16', '-76', '自动续期（通知期已过）']);
    expect(files.get('outOfService')!.slice(1).map((r) => [r[0], r[2], r[5]])).toEqual([['一团', '在网', '9'], ['三团', '已订购未开通', '0'], ['四团', '已终止', '15']]);
  });

  it('XLSX has the contract sheets; the PDF has the contract page in zh-CN and en', async () => {
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load((await renderXlsx(report, 'zh')) as never);
    const titles = wb.worksheets.map((w) => w.name);
    expect(titles.some((n) => n.includes('延迟开通'))).toBe(true);
    const sheet = wb.worksheets.find((w) => w.name.includes('延迟开通'))!;
    const cells = sheet.getSheetValues().flat().map(String);
    expect(cells).toContain('C-R1');
    for (const [lang, words] of [['zh', ['延迟开通与违约金（10.2）', '合同期满与续期', '本期未全程在网的电路', '400.00']], ['en', ['Late activations and credits (10.2)', 'Terms ending', '400.00']]] as const) {
      const pdf = join(dir, `r-${lang}.pdf`);
      writeFileSync(pdf, await renderPdf(report, { lang, charts: null }));
      const text = pdfText(pdf);
      for (const w of words) expect(text, w).toContain(w);
    }
  });
});
