/**
 * Metric store benchmark: both backends side by side on the same synthetic fleet
 * (default 120 sites × 31 days at 60 s ≈ 5.4 M samples). Starts its own influxd on loopback.
 *
 *   npx tsx bench/store.ts [--sites 120] [--days 31] [--influx-days N] [--batch-minutes 60] [--runs 5]
 *
 * --influx-days writes fewer days into InfluxDB when a full month takes too long on a small
 * machine; its query rows then cover only what was written (stated in the table).
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { ManualClock } from '../core/clock.js';
import { silentLogger } from '../core/logger.js';
import type { MetricStore } from '../store/metric-store.js';
import { InfluxMetricStore } from '../store/influx-metric-store.js';
import { DAY } from '../store/resolution.js';
import { SqliteMetricStore } from '../store/sqlite-metric-store.js';
import type { StoredSample } from '../store/stored-sample.js';
import { startInfluxd } from '../test/support/influxd.js';
import { monthSamples, monthStart, syntheticSites } from '../test/store/synthetic-month.js';
import { BackendTable } from './support/backend-table.js';

const { values: args } = parseArgs({
  options: {
    sites: { type: 'string', default: '120' },
    days: { type: 'string', default: '31' },
    'influx-days': { type: 'string' },
    'batch-minutes': { type: 'string', default: '60' },
    runs: { type: 'string', default: '5' },
  },
});
const SITE_COUNT = Number(args.sites);
const DAYS = Number(args.days);
const INFLUX_DAYS = Number(args['influx-days'] ?? args.days);
const BATCH_MINUTES = Number(args['batch-minutes']);
const RUNS = Number(args.runs);

const clock = new ManualClock(Date.now());
const start = monthStart(clock.now());
const sites = syntheticSites(SITE_COUNT).filter((s) => s.id.startsWith('S'));
const deps = { logger: silentLogger, clock, sites };

const table = new BackendTable();
const set = (label: string, backend: 'embedded' | 'influx', value: string) => table.set(label, backend, value);
const log = (msg: string) => process.stderr.write(`${new Date().toISOString().slice(11, 19)} ${msg}\n`);
const fmt = (n: number, digits = 0) => n.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits });

async function median(fn: () => Promise<unknown>): Promise<number> {
  const times: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    const t0 = performance.now();
    await fn();
    times.push(performance.now() - t0);
  }
  return times.sort((a, b) => a - b)[Math.floor(times.length / 2)]!;
}

/**
 * Embedded: time spent inside writeRaw() (the transaction), without generating the samples.
 * InfluxDB: wall clock until flush() has every sample confirmed by the server, because its
 * writes are delivered in the background while the next batches are generated.
 */
async function load(store: MetricStore, days: number): Promise<{ samples: number; seconds: number }> {
  let batch: StoredSample[] = [];
  let samples = 0;
  let inWrite = 0;
  const t0 = performance.now();
  const write = async (rows: StoredSample[]) => {
    const t = performance.now();
    await store.writeRaw(rows);
    inWrite += performance.now() - t;
    samples += rows.length;
  };
  for (const minute of monthSamples(start, sites.length, days)) {
    batch.push(...minute);
    if (batch.length >= BATCH_MINUTES * sites.length) {
      await write(batch);
      batch = [];
      if (samples % (sites.length * 1440 * 5) === 0) log(`${store.backend}: ${fmt(samples)} samples written`);
    }
  }
  if (batch.length) await write(batch);
  await store.flush();
  const wall = performance.now() - t0;
  return { samples, seconds: (store.backend === 'embedded' ? inWrite : wall) / 1000 };
}

async function bench(store: MetricStore, days: number, dir: string): Promise<void> {
  const b = store.backend;
  await store.init();
  const w = await load(store, days);
  const pointsPerSample = b === 'influx' ? ' (×3 points)' : '';
  set(`samples written (${sites.length} sites × days at 60 s)`, b, `${fmt(w.samples)} (${days} d)`);
  set(`write throughput, samples/s (batches of ${BATCH_MINUTES} min × ${sites.length} sites)`, b, `${fmt(w.samples / w.seconds)}${pointsPerSample}`);
  log(`${b}: ${fmt(w.samples)} samples in ${w.seconds.toFixed(1)} s`);

  const t0 = performance.now();
  const r = await store.runRollups(clock.now());
  set('rollup backfill of the whole load (5 min, 1 h, 1 d), s', b, fmt((performance.now() - t0) / 1000, 1));
  log(`${b}: rollups ${JSON.stringify(r)}`);
  const t1 = performance.now();
  await store.runRollups(clock.now());
  set('rollup job with nothing new (every-minute run), ms', b, fmt(performance.now() - t1, 1));

  const month = { from: start, to: start + days * DAY };
  const week = { siteId: 'S01', from: start + Math.max(0, days - 7) * DAY, to: start + days * DAY };
  set('range: 1 site, 1 week, raw (10,080 points), ms', b, fmt(await median(() => store.range(week)), 1));
  set('range: 1 site, 1 week, 5-min step, ms', b, fmt(await median(() => store.range({ ...week, stepSec: 300 })), 1));
  set('range: 1 site, 1 week, 1-h step, ms', b, fmt(await median(() => store.range({ ...week, stepSec: 3600 })), 1));
  set(`latest: all ${sites.length} sites, ms`, b, fmt(await median(() => store.latest()), 1));
  set(`usage (avg, peak, p95) for the period, all ${sites.length} sites, ms`, b, fmt(await median(() => store.usage(month)), 1));
  set(`timeAbove 80 % for the period, all ${sites.length} sites, ms`, b, fmt(await median(() => store.timeAbove({ ...month, thresholdPct: 80 })), 1));
  set(`completeness for the period, all ${sites.length} sites, ms`, b, fmt(await median(() => store.completeness({ ...month, intervalSec: 60 })), 1));
  await store.close();
  const du = execFileSync('du', ['-sm', dir], { encoding: 'utf8' }).split('\t')[0];
  set('disk used, MB', b, du ?? '?');
}

const root = mkdtempSync(join(tmpdir(), 'demarc-bench-store-'));
try {
  const sqliteDir = join(root, 'sqlite');
  log(`embedded: ${sites.length} sites × ${DAYS} days`);
  await bench(new SqliteMetricStore({ path: join(sqliteDir, 'metrics.db'), retention: { rawDays: 35, rollupDays: 730 } }, deps), DAYS, sqliteDir);

  const influxd = await startInfluxd({ httpPort: 23900, rpcPort: 23901, dir: join(root, 'influxd') });
  try {
    log(`influx: ${sites.length} sites × ${INFLUX_DAYS} days`);
    const store = new InfluxMetricStore(
      { url: influxd.url, database: 'bench', spillPath: join(root, 'spill', 'spill.ndjson'), retention: { rawDays: 35, rollupDays: 730 }, flushTimeoutMs: 3_600_000, requestTimeoutMs: 60_000 },
      deps,
    );
    await bench(store, INFLUX_DAYS, join(root, 'influxd'));
  } finally {
    await influxd.stop();
  }

  const cpu = execFileSync('nproc', { encoding: 'utf8' }).trim();
  console.log(`\nMetric store benchmark — ${sites.length} sites, 60 s samples, Node ${process.version}, ${cpu} cores, InfluxDB ${execFileSync('/usr/bin/influxd', ['version'], { encoding: 'utf8' }).trim()}\n`);
  console.log('| | embedded (SQLite, WAL) | InfluxDB 1.x |');
  console.log('|---|---:|---:|');
  for (const line of table.lines()) console.log(line);
  console.log('\nQuery times are the median of', RUNS, 'runs. "For the period" is the whole load (a calendar month when --days 31).');
} finally {
  rmSync(root, { recursive: true, force: true });
}
