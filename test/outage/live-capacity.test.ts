import { describe, expect, it } from 'vitest';
import type { CapacityPoint } from '../../outage/capacity.js';
import { outageConfig } from '../../outage/config-schema.js';
import { liveCapacity } from '../../outage/live-capacity.js';
import { mulberry32 } from '../support/seeded-random.js';

const MIN = 60_000;
const TO = Date.parse('2026-12-02T03:00:00Z'); // 11:00 Shanghai: the whole window is one day
const FROM = TO - 60 * MIN;
const NOMINAL = 70e6;
const cfg = outageConfig().capacity;
const win = { from: FROM, to: TO, stepSec: 60 };

/** One point a minute over the window; `mbps(k)` for minute k (0..59), null for a hole. */
function series(mbps: (k: number) => number | null): CapacityPoint[] {
  const out: CapacityPoint[] = [];
  for (let k = 0; k < 60; k++) {
    const v = mbps(k);
    if (v !== null) out.push({ at: FROM + k * MIN, bps: v * 1e6 });
  }
  return out;
}
const noisy = (seed: number, level: number, spread: number) => {
  const r = mulberry32(seed);
  return () => level * (1 + spread * (r() + r() + r() - 1.5));
};
const idle = series(() => 3);
// Measured rates of a pinned policer still wobble a little (stamping jitter): ±0.5 %.
const pinned = (at: number) => { const n = noisy(7, at, 0.01); return () => n(); };

describe('live capacity finding (the report detector over the last hour)', () => {
  it.each([
    ['a 20M policer all hour', series(pinned(20)), idle, { kind: 'policer-ceiling', direction: 'in', since: FROM, ceilingMbps: 20 }],
    ['a policer on the upload side', idle.map((p) => ({ ...p, bps: 4e6 + (p.at % 7) * 1e5 })), series(pinned(20)), { kind: 'policer-ceiling', direction: 'out', ceilingMbps: 20 }],
    ['pinned for the last 25 minutes, below it before', series((k) => (k < 35 ? 10 + (k % 5) : 20)), idle, { kind: 'policer-ceiling', since: FROM + 35 * MIN, ceilingMbps: 20 }],
    ['pinned for only 15 minutes', series((k) => (k < 45 ? 10 + (k % 5) : 20)), idle, null],
    ['pinned earlier in the hour, not any more', series((k) => (k < 30 ? 20 : 10 + (k % 5))), idle, null],
    ['a 20-minute hole breaks the plateau', series((k) => (k < 25 ? 20 : k < 45 ? null : 20)), idle, null],
    ['ordinary traffic, 5 % jitter minute to minute (as the simulator)', series(noisy(1, 30, 0.1)), idle, null],
    ['busy ordinary traffic near 50M', series(noisy(2, 50, 0.1)), idle, null],
    ['idle traffic below 5 % of nominal is no ceiling', series(() => 2), series(() => 1), null],
    ['flat at 93 %: not "well below" nominal, but saturated', series(() => 65), idle, { kind: 'saturated', direction: 'in', since: FROM, meanPct: 92.9 }],
    ['saturated for the last 40 minutes', series((k) => (k < 20 ? 30 : 67)), idle, { kind: 'saturated', since: FROM + 20 * MIN, meanPct: 95.7 }],
    ['saturated for 20 minutes only', series((k) => (k < 40 ? 30 + (k % 3) : 67)), idle, null],
    ['no data', [], [], null],
  ] as const)('%s', (_name, inS, outS, want) => {
    const got = liveCapacity({ in: inS, out: outS }, NOMINAL, win, cfg);
    if (want === null) expect(got).toBeNull();
    else expect(got).toMatchObject(want);
  });

  it('the report rule itself (3 h a day on 3 days) would say nothing about the same hour', async () => {
    const { capacityFindings } = await import('../../outage/capacity.js');
    expect(capacityFindings(series(pinned(20)), NOMINAL, 60, cfg)).toEqual([]);
  });

  it('takes its spans from capacity.live', () => {
    const strict = outageConfig({ capacity: { live: { plateauMinutes: 70 } } }).capacity;
    expect(liveCapacity({ in: series(pinned(20)), out: idle }, NOMINAL, win, strict)).toBeNull();
  });
});
