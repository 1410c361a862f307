import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { silentLogger } from '../../core/logger.js';
import { outageConfig } from '../../outage/config-schema.js';
import { startApiServer, type ApiServer } from '../../api/server.js';
import { reportRoutes } from '../../api/routes/reports.js';
import { AuditLog } from '../../audit/audit-log.js';
import { openStateDb, type StateDb } from '../../store/state-db.js';
import { reportsConfig } from '../../reports/config-schema.js';
import type { MonthlyReport } from '../../reports/report-model.js';
import { createReportService } from '../../reports/report-service.js';
import { buildDemoMonth, type DemoMonth } from './demo-month.js';
import { bearer, serverAuth } from '../support/auth.js';

/** GET /api/reports/* over real HTTP on loopback. */

const PORT = 25080;
let dir: string;
let demo: DemoMonth;
let db: StateDb;
let api: ApiServer;
let stop: () => Promise<void>;
let viewer: Record<string, string>;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'demarc-report-api-'));
  demo = await buildDemoMonth({ dir, siteCount: 10, intervalSec: 3600 });
  db = openStateDb(join(dir, 'state-reports.db'));
  const reports = createReportService({
    config: { configPath: join(dir, 'demarc.yaml'), reports: reportsConfig({ archiveDir: './archive' }), outage: outageConfig({ carrierResponse: { limitHours: 4 } }) },
    source: demo.source,
    clock: demo.clock,
    logger: silentLogger,
    db,
  });
  stop = () => reports.stop();
  const auth = serverAuth(db, demo.clock);
  viewer = bearer(auth.identity, ['viewer']);
  api = await startApiServer({ host: '127.0.0.1', port: PORT, routers: [reportRoutes({ reports, defaultLang: 'zh', audit: new AuditLog(db, demo.clock) })], webRoot: null, snapshot: () => [], logger: silentLogger, auth });
});

afterAll(async () => {
  await api?.close();
  await stop?.();
  db?.close();
  await demo?.close();
  rmSync(dir, { recursive: true, force: true });
});

/** Reports are reads: a viewer's API token. */
const get = (path: string) => fetch(`http://127.0.0.1:${PORT}/api${path}`, { headers: viewer });

describe('GET /api/reports/monthly', () => {
  it('json: the report data, inline, with the configured response limit', async () => {
    const res = await get('/reports/monthly?month=2026-10');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('application/json; charset=utf-8');
    expect(res.headers.get('content-disposition')).toBe('inline; filename="demarc-uptime-2026-10-zh.json"');
    const body = (await res.json()) as MonthlyReport;
    expect(body.schema).toBe('demarc.uptime-report/2');
    expect(body.period).toMatchObject({ label: '2026-10', days: 31, from: '2026-09-30T16:00:00.000Z' });
    expect(body.settings.responseLimitHours).toBe(4);
    expect(body.circuits.length).toBe(10);
  });

  it.each([
    ['pdf', 'zh', 'application/pdf', 'demarc-uptime-2026-10-zh.pdf', '%PDF-'],
    ['pdf', 'en', 'application/pdf', 'demarc-uptime-2026-10-en.pdf', '%PDF-'],
    ['xlsx', 'zh', 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet', 'demarc-uptime-2026-10-zh.xlsx', 'PK'],
    ['csv', 'en', 'text/csv; charset=utf-8', 'demarc-uptime-2026-10-circuits-en.csv', '\uFEFFSite id,Site,'],
  ])('format=%s lang=%s: %s as a download named %s', async (format, lang, type, filename, magic) => {
    const res = await get(`/reports/monthly?month=2026-10&format=${format}&lang=${lang}`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe(type);
    expect(res.headers.get('content-disposition')).toBe(`attachment; filename="${filename}"`);
    const body = Buffer.from(await res.arrayBuffer());
    expect(body.subarray(0, Buffer.byteLength(magic)).toString('utf8')).toBe(magic);
  });

  it('csv by section', async () => {
    const res = await get('/reports/monthly?month=2026-10&format=csv&section=incidents');
    expect(res.headers.get('content-disposition')).toBe('attachment; filename="demarc-uptime-2026-10-incidents-zh.csv"');
    expect(Buffer.from(await res.arrayBuffer()).toString('utf8').split('\r\n')[0]).toBe('\uFEFF事件编号,站点,电路编号,类型,责任,判定,判定规则,判定依据,开始,结束,本期时长 分钟,总时长 分钟,抖动次数,未申告,备注');
  });

  it('the xlsx opens', async () => {
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(Buffer.from(await (await get('/reports/monthly?month=2026-10&format=xlsx')).arrayBuffer()) as never);
    expect(wb.getWorksheet('各电路明细')!.rowCount).toBe(11);
  });

  it.each([
    ['month=2026-13', 'month'],
    ['month=202610', 'month'],
    ['', 'month'],
    ['month=2026-10&format=doc', 'format'],
    ['month=2026-10&lang=fr', 'lang'],
    ['month=2026-10&colour=red', 'colour'],
    ['month=2026-10&format=pdf&section=circuits', 'section'],
    ['month=2026-10&format=csv&section=everything', 'section'],
    ['month=2026-12', 'month'],
  ])('400 for ?%s, naming "%s"', async (query, param) => {
    const res = await get(`/reports/monthly?${query}`);
    expect(res.status).toBe(400);
    const body = (await res.json()) as { error: string };
    expect(body.error).toMatch(/^invalid query: /);
    expect(body.error).toContain(param);
  });

  it('a month that has not started says so', async () => {
    const body = (await (await get('/reports/monthly?month=2026-12')).json()) as { error: string };
    expect(body.error).toBe('invalid query: month: 2026-12 has not started yet (it begins 2026-12-01)');
  });
});

describe('GET /api/reports/range', () => {
  it('the whole contract term so far, both days included', async () => {
    const res = await get('/reports/range?from=2026-01-01&to=2026-10-31&format=json');
    expect(res.status).toBe(200);
    const body = (await res.json()) as MonthlyReport;
    expect(body.period).toMatchObject({ kind: 'range', label: '2026-01-01..2026-10-31', days: 304, lastDay: '2026-10-31' });
    expect(body.summary.monthOnMonth).toBeNull();
    const pdf = await get('/reports/range?from=2026-01-01&to=2026-10-31&format=pdf');
    expect(pdf.headers.get('content-disposition')).toBe('attachment; filename="demarc-uptime-2026-01-01_2026-10-31-zh.pdf"');
  });

  it.each([
    ['from=2026-10-31&to=2026-10-01', 'invalid query: to: 2026-10-01 is before from 2026-10-31'],
    ['from=2026-02-30&to=2026-03-31', 'invalid query: from: "2026-02-30" is not a calendar date'],
    ['from=2026-10-01', 'invalid query: to: is required (a date YYYY-MM-DD)'],
    ['from=2026-10-01&to=31.10.2026', 'invalid query: to: expected a date YYYY-MM-DD'],
    ['from=2030-01-01&to=2030-01-31', 'invalid query: from: 2030-01-01..2030-01-31 has not started yet (it begins 2030-01-01)'],
  ])('400 for ?%s', async (query, error) => {
    const res = await get(`/reports/range?${query}`);
    expect(res.status).toBe(400);
    expect(((await res.json()) as { error: string }).error).toBe(error);
  });
});

describe('GET /api/reports/archive', () => {
  it('lists issued reports with their SHA-256 (none issued by requests: only the schedule archives)', async () => {
    const res = await get('/reports/archive');
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ reports: [] });
  });
});
