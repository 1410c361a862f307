import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FleetState } from '../../api/fleet-state.js';
import { ManualClock } from '../../core/clock.js';
import { silentLogger } from '../../core/logger.js';
import { LiveCapacityWindow, seedCapacityWindow, type WindowSample } from '../../outage/capacity-window.js';
import { outageConfig } from '../../outage/config-schema.js';
import { liveCapacity } from '../../outage/live-capacity.js';
import { SqliteMetricStore } from '../../store/sqlite-metric-store.js';
import type { StoredSample } from '../../store/stored-sample.js';
import { demoSites } from '../reports/demo-month.js';
import { writerSample } from '../store/fixtures/writer-sample.js';

/**
 * The wall's capacity finding on the server: the in-memory window of one-minute buckets must
 * give what the real embedded store's range query (step 60) gives for the same samples, and
 * the detector's finding must reach the site state the wall gets.
 */
const NOW = Date.parse('2026-12-02T03:00:30Z');
const MINUTE = 60_000;
const sites = demoSites(3); // D01-R001..R003
const cfg = outageConfig().capacity;
let dir: string;
let store: SqliteMetricStore;
const clock = new ManualClock(NOW);

/** A sample every 10 s over the last 70 minutes; `inMbps(t)` gives the download rate at t. */
function samplesOf(siteId: string, inMbps: (t: number) => number): StoredSample[] {
  const out: StoredSample[] = [];
  for (let t = NOW - 70 * MINUTE; t < NOW; t += 10_000) {
    const v = inMbps(t) * 1e6;
    // Upload: a quarter of it, with its own swing (a flat upload would itself be a ceiling).
    const o = (v / 4) * (1 + 0.2 * Math.sin(t / 90_000));
    out.push({ ...writerSample(siteId, t, 0), at: t, inBps: v, outBps: o, inUtilPct: v / 7e5, outUtilPct: o / 7e5 });
  }
  return out;
}

// R001: a 20M policer, pressed (±0.4 % measurement wobble); R002: ordinary traffic; R003: saturated for 40 minutes.
const written = [
  ...samplesOf('D01-R001', (t) => 20 * (1 + 0.004 * Math.sin(t / 7_000))),
  ...samplesOf('D01-R002', (t) => 30 + 8 * Math.sin(t / 200_000) + 3 * Math.sin(t / 13_000)),
  ...samplesOf('D01-R003', (t) => (t < NOW - 40 * MINUTE ? 35 : 67)),
];

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'demarc-capacity-'));
  store = new SqliteMetricStore({ path: join(dir, 'metrics.db'), retention: { rawDays: 35, rollupDays: 730 } }, { logger: silentLogger, clock, sites });
  await store.init();
  await store.writeRaw(written);
});
afterAll(async () => {
  await store?.close();
  rmSync(dir, { recursive: true, force: true });
});

/** The window as a running pipeline has it: the samples added cycle by cycle (10 s apart, every site). */
function fedWindow(samples: readonly WindowSample[] = written): LiveCapacityWindow {
  const w = new LiveCapacityWindow(sites, cfg);
  const byAt = new Map<number, WindowSample[]>();
  for (const s of samples) byAt.set(s.at, [...(byAt.get(s.at) ?? []), s]);
  for (const at of [...byAt.keys()].sort((a, b) => a - b)) w.add(byAt.get(at)!);
  return w;
}

const to = Math.floor(NOW / MINUTE) * MINUTE;
const from = to - cfg.live.windowMinutes * MINUTE;

describe('live capacity window against the real embedded store', () => {
  it('holds the same one-minute means as the store range of step 60, fed live and seeded from the store', async () => {
    const seeded = new LiveCapacityWindow(sites, cfg);
    expect((await seedCapacityWindow(seeded, (q) => store.readRaw(q), NOW)).samples).toBe(3 * (60 * 6 + 3)); // 60 whole minutes and the one filling (03:00:00-03:00:20)
    const fed = fedWindow();
    for (const site of sites) {
      const points = await store.range({ siteId: site.id, from, to, stepSec: 60 });
      expect(points).toHaveLength(60);
      for (const w of [fed, seeded]) {
        const s = w.series(site.id, from, to);
        expect(s.in.map((p) => p.at)).toEqual(points.map((p) => p.at));
        s.in.forEach((p, k) => expect(p.bps).toBeCloseTo(points[k]!.inBps!, 3));
        s.out.forEach((p, k) => expect(p.bps).toBeCloseTo(points[k]!.outBps!, 3));
        // The decision is the same one the store's series gives.
        const fromStore = { in: points.map((p) => ({ at: p.at, bps: p.inBps })), out: points.map((p) => ({ at: p.at, bps: p.outBps })) };
        expect(w.scan(NOW).get(site.id)).toEqual(liveCapacity(fromStore, site.circuit.bandwidthMbps * 1e6, { from, to, stepSec: 60 }, cfg));
      }
    }
  });

  it('finds the policer and the saturation, and nothing on ordinary traffic', () => {
    const findings = fedWindow().scan(NOW);
    expect(findings.get('D01-R001')).toMatchObject({ kind: 'policer-ceiling', direction: 'in', ceilingMbps: 20, pctOfNominal: 28.6 });
    expect(findings.get('D01-R002')).toBeNull();
    // The minute in which it began mixes both levels; the run starts with the first full minute above 90 %.
    expect(findings.get('D01-R003')).toMatchObject({ kind: 'saturated', direction: 'in', since: NOW - 30_000 - 39 * MINUTE });
  });

  it('puts the finding in the site state, reports a change once, and clears it', () => {
    const fleet = new FleetState(sites, { intervalSec: 10, hangMinBps: 1000, now: () => clock.now() });
    const findings = fedWindow().scan(NOW);
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
});

const T0 = Date.parse('2026-12-02T02:00:00Z');
const s = (at: number, inBps: number | null, outBps: number | null = 1e6, siteId = 'D01-R001'): WindowSample => ({ siteId, at, inBps, outBps });
const inOf = (w: LiveCapacityWindow, a = T0 - 10 * MINUTE, b = T0 + 10 * MINUTE) => w.series('D01-R001', a, b).in;

describe('what the window keeps', () => {
  const cases: { name: string; samples: WindowSample[]; want: { at: number; bps: number }[] }[] = [
    { name: 'two samples in one minute: their mean', samples: [s(T0, 10e6), s(T0 + 30_000, 20e6)], want: [{ at: T0, bps: 15e6 }] },
    { name: 'the same sample twice (a replay): counted once', samples: [s(T0, 10e6), s(T0, 10e6), s(T0 + 30_000, 20e6)], want: [{ at: T0, bps: 15e6 }] },
    { name: 'a late sample (older than the newest of its site): left to the store', samples: [s(T0 + 30_000, 20e6), s(T0, 10e6)], want: [{ at: T0, bps: 20e6 }] },
    { name: 'a gap (rates null): no point, as the store leaves it out', samples: [s(T0, null, null), s(T0 + MINUTE, 5e6)], want: [{ at: T0 + MINUTE, bps: 5e6 }] },
    { name: 'a non-finite rate: the whole sample refused, as the store does', samples: [s(T0, Number.NaN), s(T0 + 10_000, 4e6, Number.POSITIVE_INFINITY), s(T0 + 20_000, 6e6)], want: [{ at: T0, bps: 6e6 }] },
    { name: 'a site not in the inventory: ignored', samples: [s(T0, 7e6, 1e6, 'X99'), s(T0, 3e6)], want: [{ at: T0, bps: 3e6 }] },
    { name: 'minutes without samples: holes, not zeros', samples: [s(T0, 1e6), s(T0 + 5 * MINUTE, 2e6)], want: [{ at: T0, bps: 1e6 }, { at: T0 + 5 * MINUTE, bps: 2e6 }] },
  ];
  it.each(cases)('$name', ({ samples, want }) => {
    const w = new LiveCapacityWindow(sites, cfg);
    w.add(samples);
    expect(inOf(w)).toEqual(want);
  });

  it('keeps windowMinutes + 1 minutes and drops what slides out, also across a long silence', () => {
    const w = new LiveCapacityWindow(sites, cfg);
    for (let m = 0; m < 150; m++) w.add([s(T0 + m * MINUTE, (m + 1) * 1e5)]);
    const kept = w.series('D01-R001', T0, T0 + 200 * MINUTE).in;
    expect(kept.map((p) => (p.at - T0) / MINUTE)).toEqual(Array.from({ length: 61 }, (_, k) => 89 + k));
    // Three hours of silence, then one sample: nothing of before is left (no slot reused with old sums).
    w.add([s(T0 + 330 * MINUTE, 9e6)]);
    expect(w.series('D01-R001', T0, T0 + 400 * MINUTE).in).toEqual([{ at: T0 + 330 * MINUTE, bps: 9e6 }]);
    // A sample from before the window's span is not taken either.
    w.add([s(T0 + 331 * MINUTE, 1e6, 1e6, 'D01-R002'), s(T0 + 200 * MINUTE, 1e6, 1e6, 'D01-R003')]);
    expect(w.series('D01-R003', T0, T0 + 400 * MINUTE).in).toEqual([]);
  });

  it('scans only whole minutes: the one still filling is not part of the decision', () => {
    const w = new LiveCapacityWindow(sites, cfg);
    // 40 minutes at 95 % of nominal, then the current minute idle: still saturated.
    for (let m = 0; m < 40; m++) w.add([s(T0 + m * MINUTE, 66.5e6)]);
    w.add([s(T0 + 40 * MINUTE, 0)]);
    expect(w.scan(T0 + 40 * MINUTE + 30_000).get('D01-R001')).toMatchObject({ kind: 'saturated', since: T0 });
    // Once that idle minute is whole, the run no longer lasts to the window's end... for two steps.
    w.add([s(T0 + 41 * MINUTE, 0), s(T0 + 42 * MINUTE, 0)]);
    expect(w.scan(T0 + 43 * MINUTE + 1).get('D01-R001')).toBeNull();
  });
});
