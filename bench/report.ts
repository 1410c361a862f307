/**
 * Report generation benchmark: the demo fleet (default 120 circuits) with one month (31 days)
 * of 60 s samples, the report built and rendered to PDF and XLSX on each metric store backend.
 * Starts its own influxd on loopback. Goal: the PDF in 5 s or less on either backend.
 *
 *   npx tsx bench/report.ts [--sites 120] [--days 31] [--runs 3] [--influx-days N] [--no-influx]
 *
 * The month ends at the last Shanghai midnight, so InfluxDB (whose retention policies follow
 * the real clock) keeps every raw sample. --influx-days loads fewer days into InfluxDB on a
 * small machine; its rows then say so.
 */
import { DEFAULT_TERMS } from '../inventory/circuit-register.js';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { ManualClock } from '../core/clock.js';
import { silentLogger } from '../core/logger.js';
import { outageConfig } from '../outage/config-schema.js';
import { reportsConfig } from '../reports/config-schema.js';
import { IncidentRepository } from '../outage/incident-repository.js';
import { buildReport, type ReportSettings } from '../reports/build-report.js';
import { rangePeriod, shanghaiDay, type ReportPeriod } from '../reports/report-period.js';
import { incidentHistory, type ReportSource } from '../reports/report-source.js';
import { renderPdf } from '../reports/render-pdf.js';
import { renderXlsx } from '../reports/render-xlsx.js';
import { InfluxMetricStore } from '../store/influx-metric-store.js';
import type { MetricStore } from '../store/metric-store.js';
import { DAY, bucketStart } from '../store/resolution.js';
import { openStateDb } from '../store/state-db.js';
import { SqliteMetricStore } from '../store/sqlite-metric-store.js';
import { startInfluxd } from '../test/support/influxd.js';
import { demoIncidents, demoSamples, demoSites } from '../test/reports/demo-month.js';
import { saveIncidents } from '../test/reports/incident-fixture.js';
import { BackendTable } from './support/backend-table.js';

const { values: args } = parseArgs({
  options: {
    sites: { type: 'string', default: '120' },
    days: { type: 'string', default: '31' },
    'influx-days': { type: 'string' },
    runs: { type: 'string', default: '3' },
    'no-influx': { type: 'boolean', default: false },
  },
});
const SITES = Number(args.sites);
const DAYS = Number(args.days);
const INFLUX_DAYS = Number(args['influx-days'] ?? args.days);
const RUNS = Number(args.runs);

const clock = new ManualClock(Date.now());
const sites = demoSites(SITES);
const outage = outageConfig();
const reports = reportsConfig();
const settings: ReportSettings = { limits: outage.carrierResponse, utilizationThresholdPct: 80, contractTermMonths: 12, worstCount: 10, capacity: outage.capacity, fleetLabel: '全网', coverageThresholdPct: reports.coverageThresholdPct, targets: reports.targets, contractTerms: DEFAULT_TERMS };
const log = (msg: string) => process.stderr.write(`${new Date().toISOString().slice(11, 19)} ${msg}\n`);
const fmt = (n: number, digits = 0) => n.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits });

function periodOf(days: number): ReportPeriod {
  const to = bucketStart(clock.now(), DAY);
  return rangePeriod(shanghaiDay(to - days * DAY), shanghaiDay(to - 1));
}

const table = new BackendTable();
const set = (label: string, backend: 'embedded' | 'influx', value: string) => table.set(label, backend, value);

async function timed<T>(fn: () => Promise<T>): Promise<{ ms: number; value: T }> {
  const t0 = performance.now();
  const value = await fn();
  return { ms: performance.now() - t0, value };
}

async function median(fn: () => Promise<unknown>): Promise<number> {
  const times: number[] = [];
  for (let i = 0; i < RUNS; i++) times.push((await timed(fn)).ms);
  return times.sort((a, b) => a - b)[Math.floor(times.length / 2)]!;
}

async function bench(store: MetricStore, days: number, dir: string): Promise<void> {
  const b = store.backend;
  const period = periodOf(days);
  await store.init();
  const db = openStateDb(join(dir, 'state.db'));
  const incidents = demoIncidents(sites, period);
  saveIncidents(new IncidentRepository(db), incidents, clock.now());

  let samples = 0;
  const load = await timed(async () => {
    for (const batch of demoSamples(sites, period, 60, incidents, 120 * 60)) {
      await store.writeRaw(batch);
      samples += batch.length;
      if (samples % (sites.length * 1440 * 5) < batch.length) log(`${b}: ${fmt(samples)} samples written`);
    }
    await store.flush();
    await store.runRollups(clock.now());
  });
  set('samples in the store (60 s)', b, `${fmt(samples)} (${days} d)`);
  set('load + rollups (setup, not the report), s', b, fmt(load.ms / 1000, 1));
  log(`${b}: loaded in ${fmt(load.ms / 1000, 1)} s`);

  const source: ReportSource = { sites, incidents: incidentHistory(new IncidentRepository(db)), metrics: store, pollIntervalSec: 60 };
  const build = () => buildReport(source, period, clock.now(), settings);
  const pdf = async () => {
    const r = await build();
    return renderPdf(r.report, { lang: 'zh', charts: r.charts });
  };
  const first = await timed(pdf);
  set('PDF, first run in the process (fonts loaded, JIT cold), s', b, fmt(first.ms / 1000, 2));
  set(`report data: store queries + series scan + figures, s (median of ${RUNS})`, b, fmt((await median(build)) / 1000, 2));
  let pdfBytes = 0;
  const pdfMs = await median(async () => {
    pdfBytes = (await pdf()).length;
  });
  set(`**PDF (zh, with ${sites.length} throughput charts), s** (median of ${RUNS})`, b, `**${fmt(pdfMs / 1000, 2)}**`);
  let xlsxBytes = 0;
  set(`XLSX, s (median of ${RUNS})`, b, fmt((await median(async () => {
    xlsxBytes = (await renderXlsx((await build()).report, 'zh')).length;
  })) / 1000, 2));
  const r = await build();
  set('PDF render only (data built), s', b, fmt((await median(() => renderPdf(r.report, { lang: 'zh', charts: r.charts }))) / 1000, 2));
  set('PDF size, KB', b, fmt(pdfBytes / 1024));
  set('XLSX size, KB', b, fmt(xlsxBytes / 1024));
  db.close();
  await store.close();
}

const root = mkdtempSync(join(tmpdir(), 'demarc-bench-report-'));
try {
  log(`embedded: ${sites.length} sites × ${DAYS} days`);
  const sqliteDir = join(root, 'sqlite');
  await bench(new SqliteMetricStore({ path: join(sqliteDir, 'metrics.db'), retention: { rawDays: 35, rollupDays: 730 } }, { logger: silentLogger, clock, sites }), DAYS, sqliteDir);

  if (!args['no-influx']) {
    const influxd = await startInfluxd({ httpPort: 23910, rpcPort: 23911, dir: join(root, 'influxd') });
    try {
      log(`influx: ${sites.length} sites × ${INFLUX_DAYS} days`);
      const store = new InfluxMetricStore(
        { url: influxd.url, database: 'bench_report', spillPath: join(root, 'spill', 'spill.ndjson'), retention: { rawDays: 35, rollupDays: 730 }, flushTimeoutMs: 3_600_000, requestTimeoutMs: 60_000 },
        { logger: silentLogger, clock, sites },
      );
      await bench(store, INFLUX_DAYS, join(root, 'influx-state'));
    } finally {
      await influxd.stop();
    }
  }

  const cpu = execFileSync('nproc', { encoding: 'utf8' }).trim();
  console.log(`\nReport benchmark — ${sites.length} circuits, ${DAYS} days of 60 s samples, Node ${process.version}, ${cpu} cores, load average ${loadavg().map((l) => l.toFixed(1)).join(' ')} at the end\n`);
  console.log('| | embedded (SQLite) | InfluxDB 1.x |');
  console.log('|---|---:|---:|');
  for (const line of table.lines()) console.log(line);
  console.log('\nEach PDF / XLSX time includes building the report data from the store (a request from scratch). Goal: PDF ≤ 5 s.');
} finally {
  rmSync(root, { recursive: true, force: true });
}
