import Database from 'better-sqlite3';
import { spawn } from 'node:child_process';
import { copyFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../../core/clock.js';
import { silentLogger } from '../../core/logger.js';
import { DAY } from '../../store/resolution.js';
import { SqliteMetricStore } from '../../store/sqlite-metric-store.js';
import { monthSamples, monthStart, syntheticSites } from './synthetic-month.js';

const FIXTURE = join(import.meta.dirname, 'fixtures', 'rollup-runner.ts');
const NOW = Date.UTC(2026, 5, 1, 3, 0, 0);
const START = monthStart(NOW);
let dir: string;
let seeded: string;

function openStore(path: string, sites = syntheticSites(6)) {
  return new SqliteMetricStore({ path, retention: { rawDays: 35, rollupDays: 730 } }, { logger: silentLogger, clock: new ManualClock(NOW), sites });
}

function dump(path: string): Record<string, unknown[]> {
  const db = new Database(path, { readonly: true });
  try {
    return Object.fromEntries(
      ['rollup_5m', 'rollup_1h', 'rollup_1d', 'rollup_watermark'].map((t) => [t, db.prepare(`SELECT * FROM ${t} ORDER BY 1, 2`).raw().all()]),
    );
  } finally {
    db.close();
  }
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'demarc-rollups-'));
  seeded = join(dir, 'seeded.db');
  const store = openStore(seeded);
  await store.init();
  let batch = [];
  for (const minute of monthSamples(START, 6, 16)) {
    batch.push(...minute);
    if (batch.length >= 6 * 240) {
      await store.writeRaw(batch);
      batch = [];
    }
  }
  await store.writeRaw(batch);
  await store.flush();
  await store.close();
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('embedded rollup job', () => {
  it('killed part-way (SIGKILL), then run again, gives exactly the rows of an uninterrupted run', async () => {
    const crashed = join(dir, 'crashed.db');
    const control = join(dir, 'control.db');
    copyFileSync(seeded, crashed);
    copyFileSync(seeded, control);

    const child = spawn(process.execPath, ['--import', 'tsx', FIXTURE, crashed, String(NOW)], { cwd: join(import.meta.dirname, '..', '..'), stdio: ['ignore', 'pipe', 'inherit'] });
    const exited = new Promise((r) => child.once('exit', r));
    let out = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    const watcher = new Database(crashed, { readonly: true, fileMustExist: true });
    const deadline = Date.now() + 50_000;
    let wm = 0;
    while (Date.now() < deadline && !out.includes('done')) {
      const row = watcher.prepare(`SELECT watermark FROM rollup_watermark WHERE level = '5m'`).get() as { watermark: number } | undefined;
      wm = row?.watermark ?? 0;
      if (wm >= START + 3 * DAY) break;
      await new Promise((r) => setTimeout(r, 5));
    }
    child.kill('SIGKILL');
    await exited;
    watcher.close();
    expect(out).not.toContain('done'); // it really was interrupted
    expect(wm).toBeGreaterThanOrEqual(START + 3 * DAY);
    expect(wm).toBeLessThan(START + 16 * DAY);

    const resumed = openStore(crashed);
    await resumed.init();
    const report = await resumed.runRollups(NOW);
    expect(report.buckets5m).toBeGreaterThan(0);
    expect(report.buckets5m).toBeLessThan(6 * 288 * 16); // resumed from the watermark, not from scratch
    await resumed.close();

    const reference = openStore(control);
    await reference.init();
    await reference.runRollups(NOW);
    await reference.close();

    expect(dump(crashed)).toEqual(dump(control));
  });
});
