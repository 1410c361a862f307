import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { systemClock } from '../../core/clock.js';
import { silentLogger, type Logger } from '../../core/logger.js';
import { pino } from 'pino';
import { InfluxMetricStore } from '../../store/influx-metric-store.js';
import { DAY, MINUTE } from '../../store/resolution.js';
import { startInfluxd, type Influxd } from '../support/influxd.js';
import { writerSample } from './fixtures/writer-sample.js';
import { syntheticSites } from './synthetic-month.js';

const SITES = syntheticSites(3).filter((s) => s.id.startsWith('S'));
const FIXTURE = join(import.meta.dirname, 'fixtures', 'metric-writer.ts');
let influxd: Influxd;
let dir: string;

beforeAll(async () => {
  influxd = await startInfluxd({ httpPort: 23120, rpcPort: 23121 });
  dir = mkdtempSync(join(tmpdir(), 'demarc-durability-'));
});
afterAll(async () => {
  await influxd?.stop();
  rmSync(dir, { recursive: true, force: true });
});

const baseAt = () => Math.floor((Date.now() - 3 * DAY) / MINUTE) * MINUTE;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function openStore(database: string, spillPath: string, logger: Logger = silentLogger): InfluxMetricStore {
  return new InfluxMetricStore(
    { url: influxd.url, database, spillPath, retention: { rawDays: 35, rollupDays: 730 }, flushTimeoutMs: 30_000, requestTimeoutMs: 2000 },
    { logger, clock: systemClock, sites: SITES },
  );
}

/** Points per site in one raw measurement, straight from InfluxDB's HTTP API. */
async function countPoints(database: string, measurement: string): Promise<Record<string, number>> {
  const q = encodeURIComponent(`SELECT count(*) FROM "raw"."${measurement}" GROUP BY site_id`);
  const body = (await (await fetch(`${influxd.url}/query?db=${database}&q=${q}`)).json()) as {
    results: { series?: { tags: { site_id: string }; values: number[][] }[] }[];
  };
  return Object.fromEntries((body.results[0]?.series ?? []).map((s) => [s.tags.site_id, s.values[0]![1]!]));
}

describe('InfluxDB goes away mid-run', () => {
  it('samples written while influxd is down spill, replay in order, and each is stored exactly once', async () => {
    const store = openStore('outage', join(dir, 'outage.ndjson'));
    await store.init();
    const base = baseAt();
    let n = 0;
    const writeBatches = async (count: number) => {
      for (const end = n + count; n < end; n++) {
        await store.writeRaw(SITES.map((s) => writerSample(s.id, base, n)));
        await sleep(10);
      }
    };
    await writeBatches(30);
    await store.flush();
    expect(store.health().backlog).toBe(0);

    await influxd.kill();
    await writeBatches(50);
    const down = store.health();
    expect(down.ok).toBe(false);
    expect(down.lastError).toMatch(/ECONNREFUSED|fetch failed|failed/);
    expect(down.backlog).toBeGreaterThanOrEqual(50 * SITES.length - SITES.length);
    expect(readFileSync(join(dir, 'outage.ndjson'), 'utf8').trim().split('\n').length).toBe(down.backlog);

    await influxd.start();
    await writeBatches(30);
    await store.flush();
    expect(store.health()).toMatchObject({ ok: true, backlog: 0, lastError: null });

    const stored = await store.readRaw({ from: base, to: base + n * MINUTE });
    const expected = Array.from({ length: n }, (_, i) => SITES.map((s) => writerSample(s.id, base, i))).flat();
    expect(stored).toEqual(expected);
    for (const m of ['status', 'poll', 'throughput'])
      expect(await countPoints('outage', m)).toEqual(Object.fromEntries(SITES.map((s) => [s.id, 110])));
    await store.close();
  });

  it('a batch InfluxDB refuses (beyond retention) goes to the rejected file, and the queue moves on', async () => {
    const spill = join(dir, 'rejected.ndjson');
    const store = openStore('rejected', spill);
    await store.init();
    const old = writerSample('S01', Date.now() - 40 * DAY, 0);
    await store.writeRaw([old]);
    await store.flush();
    const fresh = writerSample('S01', baseAt(), 0);
    await store.writeRaw([fresh]);
    await store.flush();
    expect(store.health().backlog).toBe(0);
    const rejected = readFileSync(`${spill}.rejected`, 'utf8').trim().split('\n').map((l) => JSON.parse(l) as { reason: string; sample: unknown });
    expect(rejected).toHaveLength(1);
    expect(rejected[0]!.reason).toMatch(/HTTP 400.*beyond retention/);
    expect(rejected[0]!.sample).toEqual(old);
    expect(await store.readRaw({ from: fresh.at, to: fresh.at + 1 })).toEqual([fresh]);
    await store.close();
  });

  it('a spill file torn by a crash mid-append: the complete lines are replayed, the torn one dropped', async () => {
    const spill = join(dir, 'torn.ndjson');
    const base = baseAt();
    const lines = [0, 1].map((i) => JSON.stringify(writerSample('S02', base, i)));
    writeFileSync(spill, `${lines.join('\n')}\n${JSON.stringify(writerSample('S02', base, 2)).slice(0, 40)}`);
    // The replay starts when the queue opens the file, so by the time init() returns it may be
    // done: read the count the queue announced on opening, not the backlog at some later instant.
    const logged: Record<string, unknown>[] = [];
    const store = openStore('torn', spill, pino({ level: 'warn' }, { write: (line: string) => void logged.push(JSON.parse(line) as Record<string, unknown>) }));
    await store.init();
    expect(logged.filter((l) => typeof l.msg === 'string' && l.msg.includes('replaying')).map((l) => l.backlog)).toEqual([2]);
    await store.flush();
    expect((await store.readRaw({ from: base, to: base + DAY })).map((s) => s.at)).toEqual([base, base + MINUTE]);
    await store.close();
    expect(readFileSync(spill, 'utf8')).toBe('');
  });
});

interface Writer {
  child: ChildProcess;
  acked: () => number;
  output: string[];
  exited: Promise<number | null>;
}

function startWriter(database: string, spillPath: string, base: number): Writer {
  const child = spawn(process.execPath, ['--import', 'tsx', FIXTURE, influxd.url, database, spillPath, '3', '20', String(base)], {
    cwd: join(import.meta.dirname, '..', '..'),
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const output: string[] = [];
  let acked = 0;
  createInterface({ input: child.stdout! }).on('line', (l) => {
    output.push(l);
    const m = /^acked (\d+)$/.exec(l);
    if (m) acked = Number(m[1]) + 1;
  });
  child.stderr!.on('data', (d: Buffer) => output.push(d.toString()));
  const exited = new Promise<number | null>((r) => child.once('exit', (code) => r(code)));
  return { child, acked: () => acked, output, exited };
}

async function waitFor(cond: () => boolean, what: string, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!cond()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(20);
  }
}

describe('demarc stopping and crashing (child process writing through the store)', () => {
  it('SIGTERM: flushes what it holds; every acknowledged sample is in InfluxDB', async () => {
    const w = startWriter('sigterm', join(dir, 'sigterm.ndjson'), baseAt());
    await waitFor(() => w.acked() >= 25, `25 batches acknowledged (output: ${w.output.join(' | ')})`);
    w.child.kill('SIGTERM');
    expect(await w.exited).toBe(0);
    expect(w.output.at(-1)).toBe('flushed backlog=0');
    const acked = w.acked();
    expect(await countPoints('sigterm', 'status')).toEqual({ S01: acked, S02: acked, S03: acked });
  });

  it('SIGKILL: loses at most the batch in flight; the rest is replayed from the spill file on restart', async () => {
    const spill = join(dir, 'sigkill.ndjson');
    const base = baseAt();
    const w = startWriter('sigkill', spill, base);
    await waitFor(() => w.acked() >= 25, `25 batches acknowledged (output: ${w.output.join(' | ')})`);
    w.child.kill('SIGKILL');
    await w.exited;
    const acked = w.acked();
    expect(existsSync(spill)).toBe(true);

    const restarted = openStore('sigkill', spill);
    await restarted.init();
    await restarted.flush();
    expect(restarted.health().backlog).toBe(0);
    const stored = await restarted.readRaw({ from: base, to: base + DAY });
    await restarted.close();
    const batches = new Set(stored.map((s) => (s.at - base) / MINUTE));
    for (let i = 0; i < acked; i++) expect(batches.has(i), `batch ${i} of ${acked} acknowledged`).toBe(true);
    expect(batches.size).toBeLessThanOrEqual(acked + 1);
    expect(stored).toHaveLength(batches.size * 3);
  });
});
