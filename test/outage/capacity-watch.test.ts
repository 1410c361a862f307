import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FleetState } from '../../api/fleet-state.js';
import { ManualClock } from '../../core/clock.js';
import { silentLogger } from '../../core/logger.js';
import { scanLiveCapacity } from '../../outage/capacity-watch.js';
import { outageConfig } from '../../outage/config-schema.js';
import { SqliteMetricStore } from '../../store/sqlite-metric-store.js';
import type { StoredSample } from '../../store/stored-sample.js';
import { demoSites } from '../reports/demo-month.js';
import { writerSample } from '../store/fixtures/writer-sample.js';

/**
 * The wall's capacity finding end to end on the server: samples in the real embedded store,
 * one-minute buckets read back, the detector, and the finding in the site state the wall gets.
 */
const NOW = Date.parse('2026-12-02T03:00:30Z');
const sites = demoSites(3); // D01-R001..R003
let dir: string;
let store: SqliteMetricStore;
const clock = new ManualClock(NOW);

/** A sample every 10 s over the last 70 minutes; `inMbps(t)` gives the download rate at t. */
function samplesOf(siteId: string, inMbps: (t: number) => number): StoredSample[] {
  const out: StoredSample[] = [];
  for (let t = NOW - 70 * 60_000; t < NOW; t += 10_000) {
    const v = inMbps(t) * 1e6;
    // Upload: a quarter of it, with its own swing (a flat upload would itself be a ceiling).
    const o = (v / 4) * (1 + 0.2 * Math.sin(t / 90_000));
    out.push({ ...writerSample(siteId, t, 0), at: t, inBps: v, outBps: o, inUtilPct: v / 7e5, outUtilPct: o / 7e5 });
  }
  return out;
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'demarc-capacity-'));
  store = new SqliteMetricStore({ path: join(dir, 'metrics.db'), retention: { rawDays: 35, rollupDays: 730 } }, { logger: silentLogger, clock, sites });
  await store.init();
  // R001: a 20M policer, pressed (±0.4 % measurement wobble); R002: ordinary traffic; R003: saturated for 40 minutes.
  await store.writeRaw(samplesOf('D01-R001', (t) => 20 * (1 + 0.004 * Math.sin(t / 7_000))));
  await store.writeRaw(samplesOf('D01-R002', (t) => 30 + 8 * Math.sin(t / 200_000) + 3 * Math.sin(t / 13_000)));
  await store.writeRaw(samplesOf('D01-R003', (t) => (t < NOW - 40 * 60_000 ? 35 : 67)));
});
afterAll(async () => {
  await store?.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('live capacity over the real embedded store', () => {
  it('finds the policer and the saturation, and nothing on ordinary traffic', async () => {
    const { findings, failed } = await scanLiveCapacity(sites, (q) => store.range(q), outageConfig().capacity, NOW);
    expect(failed).toEqual([]);
    expect(findings.get('D01-R001')).toMatchObject({ kind: 'policer-ceiling', direction: 'in', ceilingMbps: 20, pctOfNominal: 28.6 });
    expect(findings.get('D01-R002')).toBeNull();
    expect(findings.get('D01-R003')).toMatchObject({ kind: 'saturated', direction: 'in', since: NOW - 30_000 - 39 * 60_000 });
    // (The minute in which it began mixes both levels; the run starts with the first full minute above 90 %.)
  });

  it('puts the finding in the site state, reports a change once, and clears it', async () => {
    const fleet = new FleetState(sites, { intervalSec: 10, hangMinBps: 1000, now: () => clock.now() });
    const { findings } = await scanLiveCapacity(sites, (q) => store.range(q), outageConfig().capacity, NOW);
    const changed = fleet.setCapacity(findings);
    expect(changed.map((s) => s.siteId).sort()).toEqual(['D01-R001', 'D01-R003']);
    const r1 = fleet.dto(sites[0]!).state!;
    expect(r1.capacity).toMatchObject({ kind: 'policer-ceiling', ceilingMbps: 20 });
    expect(r1.capacity!.since).toMatch(/^\d{4}-\d\d-\d\dT.*Z$/);
    expect(fleet.dto(sites[1]!).state!.capacity).toBeUndefined();
    expect(fleet.setCapacity(findings)).toEqual([]);
    expect(fleet.setCapacity(new Map([['D01-R001', null]])).map((s) => s.siteId)).toEqual(['D01-R001']);
    expect(fleet.dto(sites[0]!).state!.capacity).toBeUndefined();
  });

  it('names a site whose series cannot be read and goes on with the others', async () => {
    const { findings, failed } = await scanLiveCapacity(
      sites,
      (q) => (q.siteId === 'D01-R002' ? Promise.reject(new Error('database is locked')) : store.range(q)),
      outageConfig().capacity,
      NOW,
    );
    expect(failed).toEqual([{ siteId: 'D01-R002', error: 'database is locked' }]);
    expect(findings.get('D01-R001')?.kind).toBe('policer-ceiling');
  });
});
