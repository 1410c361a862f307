import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { migrateMetrics, progressBar, type MigrationProgress } from '../../cli/metrics-migrate.js';
import { ManualClock } from '../../core/clock.js';
import { silentLogger } from '../../core/logger.js';
import type { MetricStore } from '../../store/metric-store.js';
import { InfluxMetricStore } from '../../store/influx-metric-store.js';
import { DAY, HOUR } from '../../store/resolution.js';
import { SqliteMetricStore } from '../../store/sqlite-metric-store.js';
import { startInfluxd, type Influxd } from '../support/influxd.js';
import { difference } from './reference.js';
import { monthSamples, monthStart, syntheticSites } from './synthetic-month.js';

const clock = new ManualClock(Date.now());
const START = monthStart(clock.now()) + 20 * DAY;
const SITES = syntheticSites(3);
const RANGE = { since: START, until: START + 2 * DAY };
let influxd: Influxd;
let dir: string;

beforeAll(async () => {
  influxd = await startInfluxd({ httpPort: 23140, rpcPort: 23141 });
  dir = mkdtempSync(join(tmpdir(), 'demarc-migrate-'));
});
afterAll(async () => {
  await influxd?.stop();
  rmSync(dir, { recursive: true, force: true });
});

const embedded = (name: string) =>
  new SqliteMetricStore({ path: join(dir, `${name}.db`), retention: { rawDays: 35, rollupDays: 730 } }, { logger: silentLogger, clock, sites: SITES });
const influx = (database: string) =>
  new InfluxMetricStore(
    { url: influxd.url, database, spillPath: join(dir, `${database}.ndjson`), retention: { rawDays: 35, rollupDays: 730 } },
    { logger: silentLogger, clock, sites: SITES },
  );

async function seed(store: MetricStore): Promise<number> {
  let n = 0;
  for (const minute of monthSamples(START, 3, 2)) {
    await store.writeRaw(minute);
    n += minute.length;
  }
  await store.flush();
  return n;
}

async function copyWithInterruption(from: MetricStore, to: MetricStore, statePath: string): Promise<{ bars: string; resumedFrom: number | null; copied: number }> {
  const stream = new PassThrough();
  let bars = '';
  stream.on('data', (d: Buffer) => (bars += d.toString()));
  let chunks = 0;
  const interrupted = await migrateMetrics({
    from, to, ...RANGE, statePath, now: clock.now(), chunkMs: 6 * HOUR, progressStream: stream,
    onProgress: () => {
      if (++chunks === 3) throw new Error('operator pressed ctrl-c');
    },
  }).catch((e: Error) => e.message);
  expect(interrupted).toBe('operator pressed ctrl-c');
  expect(existsSync(statePath)).toBe(true);
  const done = await migrateMetrics({ from, to, ...RANGE, statePath, now: clock.now(), chunkMs: 6 * HOUR, progressStream: stream });
  expect(existsSync(statePath)).toBe(false);
  return { bars, resumedFrom: done.resumedFrom, copied: done.copied };
}

describe('metrics migrate', () => {
  it.each([
    ['embedded → influx', () => embedded('source-a'), () => influx('target_a')],
    ['influx → embedded', () => influx('source_b'), () => embedded('target-b')],
  ])('%s copies every raw sample, resumes after an interruption, and rebuilds rollups', async (_name, makeFrom, makeTo) => {
    const from = makeFrom();
    const to = makeTo();
    await from.init();
    await to.init();
    const total = await seed(from);

    const { bars, resumedFrom, copied } = await copyWithInterruption(from, to, join(dir, `${_name.length}-${from.backend}.state.json`));
    expect(resumedFrom).toBe(RANGE.since + 18 * HOUR);
    expect(copied).toBe(total);
    expect(bars).toContain('100.0%');
    expect(bars).toMatch(/\[#{15}·{15}\]  50\.0%/);

    const all = { from: RANGE.since, to: RANGE.until };
    expect(await to.readRaw(all)).toEqual(await from.readRaw(all));
    await from.runRollups(clock.now());
    expect(difference(await to.usage(all), await from.usage(all))).toBeNull();
    expect(await to.completeness({ ...all, intervalSec: 60 })).toEqual(await from.completeness({ ...all, intervalSec: 60 }));
    await from.close();
    await to.close();
  });

  it('refuses to resume a state file of another range, saying what to do', async () => {
    const statePath = join(dir, 'other.state.json');
    const from = embedded('source-c');
    const to = embedded('target-c');
    await from.init();
    await to.init();
    await migrateMetrics({ from, to, ...RANGE, statePath, now: clock.now(), progressStream: null, onProgress: () => { throw new Error('stop'); } }).catch(() => undefined);
    await expect(migrateMetrics({ from, to, since: RANGE.since, until: RANGE.until + HOUR, statePath, now: clock.now(), progressStream: null })).rejects.toThrow(
      /belongs to another range .* use the same --since\/--until to resume, or delete the file/,
    );
    await from.close();
    await to.close();
  });

  it.each([
    [{ since: 0, until: 100, watermark: 0, copied: 0 }, '[··········]   0.0%'],
    [{ since: 0, until: 100, watermark: 50, copied: 1234 }, '[#####·····]  50.0%'],
    [{ since: 0, until: 100, watermark: 100, copied: 1234567 }, '[##########] 100.0%'],
  ] as [MigrationProgress, string][])('progress bar %j', (p, prefix) => {
    const bar = progressBar(p, 10);
    expect(bar.startsWith(prefix)).toBe(true);
    expect(bar).toContain(`${p.copied.toLocaleString('en-US')} samples`);
  });
});
