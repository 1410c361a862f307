import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../../core/clock.js';
import { silentLogger } from '../../core/logger.js';
import { IncidentRepository } from '../../outage/incident-repository.js';
import { outageConfig } from '../../outage/config-schema.js';
import { buildReport } from '../../reports/build-report.js';
import { reportsConfig } from '../../reports/config-schema.js';
import { renderReport } from '../../reports/render-report.js';
import type { MonthlyReport } from '../../reports/report-model.js';
import { monthPeriod } from '../../reports/report-period.js';
import { createReportService } from '../../reports/report-service.js';
import { incidentHistory, type ReportSource } from '../../reports/report-source.js';
import { openStateDb, type StateDb } from '../../store/state-db.js';
import { SqliteMetricStore } from '../../store/sqlite-metric-store.js';
import type { StoredSample } from '../../store/stored-sample.js';
import { defaultReportSettings, incident, saveIncidents } from './incident-fixture.js';
import { knownSite, MIN, sh } from './known-month.js';
import { leafParts, parseMime } from './mime.js';
import { pdfPageToPng, pdfText } from './poppler.js';
import { startSmtpSink, type SmtpSink } from './smtp-sink.js';

/**
 * October 2026, and demarc ran only its last 10 days (from Oct 22 00:00 Shanghai). Four
 * circuits in service all month, one sample a minute from Oct 22 on, none before; September
 * has no samples at all. Figures by hand:
 *
 *   in service  4 × 31 d = 124 d = 10 713 600 s
 *   monitored   4 × 10 d =  40 d =  3 456 000 s   → coverage 10 / 31 = 32.258 %   (< 95 %: incomplete)
 *   line down   A Oct 25 10:00-11:30 (5400 s, never reported) + B Oct 28 09:00-10:00 (3600 s) = 9000 s
 *   carrier availability over monitored time = 1 − 9000 / 3 456 000 = 99.739583 %
 *   (over the whole month, as before, it would read 1 − 9000 / 10 713 600 = 99.916 %: 22 days nobody saw counted as up)
 *   fleet target 99.9 %: budget 0.1 % × 3 456 000 s = 3456 s = 57.6 min, used 150 min, left −92.4 min;
 *     the whole month's budget 0.1 % × 10 713 600 s = 10 713.6 s > 9000 s, so not a certain fail: incomplete, no verdict.
 *   month on month: both months below the threshold → no comparison.
 */

const PNG = resolve(fileURLToPath(new URL('../../.tmp/report-partial-month-p1', import.meta.url)));
const SITES = [knownSite('A', '2026-01-15'), knownSite('B', '2026-02-01'), knownSite('C', '2026-03-01'), knownSite('D', '2026-04-01')];
const FROM = sh('2026-10-22');
const TO = sh('2026-11-01');
const NOW = sh('2026-11-01', 8);
const DAY = 86_400;

const down = (siteId: string, at: number) =>
  (siteId === 'A' && at >= sh('2026-10-25', 10) && at < sh('2026-10-25', 11.5)) || (siteId === 'B' && at >= sh('2026-10-28', 9) && at < sh('2026-10-28', 10));

function sample(siteId: string, at: number): StoredSample {
  const d = down(siteId, at);
  return {
    siteId, circuitId: `C-${siteId}`, at, rttMs: d ? null : 2, ceReachable: !d, headendReachable: true, wanOper: d ? null : 1, wanAdmin: d ? null : 1, headendOper: d ? 2 : 1,
    inBps: d ? null : 12e6, outBps: d ? null : 3e6, inUtilPct: d ? null : (12 / 70) * 100, outUtilPct: d ? null : (3 / 70) * 100,
    inErrorsPerSec: 0, outErrorsPerSec: 0, inDiscardsPerSec: 0, outDiscardsPerSec: 0, gap: d ? 'unreachable' : null,
  };
}

let dir: string;
let store: SqliteMetricStore;
let db: StateDb;
let sink: SmtpSink;
let source: ReportSource;
let report: MonthlyReport;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'demarc-partial-month-'));
  const clock = new ManualClock(NOW);
  store = new SqliteMetricStore({ path: join(dir, 'metrics.db'), retention: { rawDays: 400, rollupDays: 730 } }, { logger: silentLogger, clock, sites: SITES });
  await store.init();
  db = openStateDb(join(dir, 'state.db'));
  saveIncidents(new IncidentRepository(db), [
    incident({ id: 'A-line', siteId: 'A', startedAt: sh('2026-10-25', 10), endedAt: sh('2026-10-25', 11.5), responsibility: 'line', rule: 'line-cut' }),
    incident({ id: 'B-line', siteId: 'B', startedAt: sh('2026-10-28', 9), endedAt: sh('2026-10-28', 10), responsibility: 'line', rule: 'line-cut', carrierReportedAt: sh('2026-10-28', 9) + 10 * MIN, carrierRespondedAt: sh('2026-10-28', 9) + 40 * MIN }),
  ], NOW);
  const rows: StoredSample[] = [];
  for (let at = FROM; at < TO; at += MIN) for (const s of SITES) rows.push(sample(s.id, at));
  await store.writeRaw(rows);
  await store.runRollups(NOW);
  source = { sites: SITES, incidents: incidentHistory(new IncidentRepository(db)), metrics: store, pollIntervalSec: 60 };
  report = (await buildReport(source, monthPeriod('2026-10'), NOW, defaultReportSettings('全网'))).report;
  mkdirSync(join(dir, 'tls'));
  sink = await startSmtpSink({ port: 0, dir: join(dir, 'tls'), user: 'mailer', password: 'mail-secret-partial' });
});

afterAll(async () => {
  await sink?.close();
  db?.close();
  await store?.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('a month in which demarc ran only its last 10 days', () => {
  it('separates monitored from unmonitored time: coverage 32.26 %, incomplete', () => {
    expect(report.summary.coverage).toEqual({ inServiceSec: 124 * DAY, monitoredSec: 40 * DAY, unmonitoredSec: 84 * DAY, pct: (100 * 10) / 31, complete: false });
    expect(report.summary.coverage.pct).toBeCloseTo(32.258, 3);
    for (const c of report.circuits) expect(c.coverage).toEqual({ inServiceSec: 31 * DAY, monitoredSec: 10 * DAY, unmonitoredSec: 21 * DAY, pct: (100 * 10) / 31, complete: false });
  });

  it('gives availability over the monitored time, not the whole month', () => {
    expect(report.summary.downtimeSec.line).toBe(9000);
    expect(report.summary.carrierAvailabilityPct).toBeCloseTo(100 * (1 - 9000 / 3_456_000), 10);
    expect(report.summary.carrierAvailabilityPct).toBeCloseTo(99.739583, 6);
    expect(report.circuits.find((c) => c.siteId === 'A')!.carrierAvailabilityPct).toBeCloseTo(100 * (1 - 5400 / 864_000), 10);
  });

  it('makes no month-on-month comparison', () => {
    expect(report.summary.monthOnMonth).toEqual({ status: 'no-comparison', previousLabel: '2026-09', reason: 'both-incomplete', currentCoveragePct: (100 * 10) / 31, previousCoveragePct: 0 });
  });

  it('gives no pass/fail verdict it cannot defend, but states the budget', () => {
    expect(report.summary.targets.fleet).toEqual({ targetPct: 99.9, actualPct: report.summary.carrierAvailabilityPct, status: 'incomplete', budget: { allowedMin: 57.6, usedMin: 150, leftMin: -92.4 } });
    // A: 99.5 % of 10 days allows 0.005 × 864 000 s = 4320 s = 72 min; used 90, left −18; the month's 13 392 s would absorb 5400 s.
    expect(report.circuits.find((c) => c.siteId === 'A')!.target).toMatchObject({ status: 'incomplete', budget: { allowedMin: 72, usedMin: 90, leftMin: -18 } });
    expect(report.summary.targets.circuits).toEqual({ pass: 0, fail: 0, incomplete: 4 });
  });

  it('flags the line-side incident never reported to the carrier', () => {
    expect(report.summary.responses).toMatchObject({ reported: 1, lineOutages: 2, unreportedLine: 1, compliancePct: 100 });
    expect(report.incidents.map((i) => [i.id, i.unreported])).toEqual([['A-line', true], ['B-line', false]]);
  });

  it('marks the period incomplete in JSON, CSV and XLSX', async () => {
    const json = JSON.parse((await renderReport(report, { format: 'json', lang: 'zh', charts: null })).body.toString('utf8')) as MonthlyReport;
    expect(json.summary.coverage.complete).toBe(false);
    const csv = (await renderReport(report, { format: 'csv', lang: 'zh', section: 'summary', charts: null })).body.toString('utf8');
    expect(csv).toContain('数据不完整：监测覆盖率 32.26%，低于 95% 门限');
    expect(csv).toContain('不作环比');
    const en = (await renderReport(report, { format: 'csv', lang: 'en', section: 'summary', charts: null })).body.toString('utf8');
    expect(en).toContain('Incomplete data: monitoring coverage 32.26%');
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load((await renderReport(report, { format: 'xlsx', lang: 'zh', charts: null })).body as unknown as ArrayBuffer);
    const cells: string[] = [];
    wb.getWorksheet('总体概况')!.eachRow((row) => row.eachCell((c) => cells.push(String(c.value))));
    expect(cells.some((c) => c.startsWith('数据不完整：监测覆盖率 32.26%'))).toBe(true);
  });

  it('marks it on the PDF front page (rendered to .tmp/report-partial-month-p1.png)', async () => {
    const pdf = (await renderReport(report, { format: 'pdf', lang: 'zh', charts: null })).body;
    const file = join(dir, 'partial.pdf');
    writeFileSync(file, pdf);
    const page1 = pdfText(file).split('\f')[0]!;
    expect(page1).toContain('数据不完整：监测覆盖率 32.26%');
    expect(page1).toContain('99.740%');
    expect(page1).toContain('不作环比');
    expect(page1).toContain('目标 99.9% · 不予判定');
    expect(page1).not.toContain('…');
    mkdirSync(resolve(PNG, '..'), { recursive: true });
    pdfPageToPng(file, 1, PNG, 110);
  });

  it('says so in the monthly mail', async () => {
    const service = createReportService({
      config: {
        configPath: join(dir, 'demarc.yaml'),
        outage: outageConfig(),
        reports: reportsConfig({
          archiveDir: './archive',
          archiveFormats: ['pdf'],
          email: { enabled: true, recipients: ['director@center.example.test'], smtp: { host: '127.0.0.1', port: sink.port, username: 'mailer', password: 'mail-secret-partial', caFile: sink.caFile, servername: 'localhost', timeoutMs: 10_000 } },
        }),
      },
      source,
      clock: new ManualClock(NOW),
      logger: silentLogger,
      db,
    });
    try {
      const job = await service.runMonthlyJob('manual');
      expect(job.email).toMatchObject({ accepted: ['director@center.example.test'] });
      const text = leafParts(parseMime(sink.received.at(-1)!.raw)).find((p) => p.headers.get('content-type')?.startsWith('text/plain'))!.body.toString('utf8');
      expect(text).toContain('数据不完整：监测覆盖率 32.26%');
      expect(text).toContain('运营商责任可用率：99.740%（监测覆盖率 32.26%）');
      expect(text).toContain('其中未申告的线路侧故障 1 次');
    } finally {
      await service.stop();
    }
  });
});
