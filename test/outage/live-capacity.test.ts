import { describe, expect, it } from 'vitest';
import type { CapacityPoint } from '../../outage/capacity.js';
import { outageConfig } from '../../outage/config-schema.js';
import { liveCapacity, liveFindingPossible, RECENT_STEPS, type DirectionPeaks } from '../../outage/live-capacity.js';
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

/** What the wall's window computes per direction (outage/capacity-window.ts), from a series. */
function peaksOf(points: readonly CapacityPoint[]): DirectionPeaks {
  const p = { max: -Infinity, recentMax: -Infinity };
  for (const q of points) {
    if (q.bps === null) continue;
    p.max = Math.max(p.max, q.bps);
    if (q.at >= TO - RECENT_STEPS * MIN) p.recentMax = Math.max(p.recentMax, q.bps);
  }
  return p;
}

describe('liveFindingPossible: the scan skips the detector only where no finding can be going on', () => {
  it.each([
    ['idle all hour', idle, idle, false],
    ['ordinary traffic, the last minutes well below the hour\'s peak', series((k) => (k < 57 ? 30 + (k % 7) * 3 : 25)), idle, false],
    ['the hour\'s peak in the last three minutes', series((k) => (k < 57 ? 30 : 40)), idle, true],
    ['within the tolerance of the peak at the end', series((k) => (k === 10 ? 40 : k >= 57 ? 39 : 30)), idle, true],
    ['a peak at 85 % of nominal (no ceiling) and the end below saturation', series((k) => (k === 10 ? 60 : 30)), idle, false],
    ['saturated at the end only', series((k) => (k >= 58 ? 65 : 10)), idle, true],
    ['the upload side decides', idle, series((k) => (k < 57 ? 30 : 40)), true],
    ['no data', [], [], false],
  ] as const)('%s → %s', (_name, inS, outS, want) => {
    expect(liveFindingPossible([peaksOf(inS), peaksOf(outS)], NOMINAL, cfg)).toBe(want);
  });

  it('never hides a finding: 3,000 random hours, each with a finding the detector gives, are all "possible"', () => {
    const r = mulberry32(14);
    let findings = 0;
    let skipped = 0;
    for (let n = 0; n < 3000; n++) {
      // A policer from some minute on, saturation from some minute on, or ordinary traffic; holes at random.
      const kind = r();
      const ceiling = 2 + r() * 60;
      const pinFrom = Math.floor(r() * 50);
      const holeAt = Math.floor(r() * 120);
      const holeLen = Math.floor(r() * 25);
      const shape = (k: number): number | null => {
        if (k >= holeAt && k < holeAt + holeLen) return null;
        if (kind < 0.35) return k >= pinFrom ? ceiling * (1 + 0.004 * (r() - 0.5)) : ceiling * (0.2 + 0.75 * r());
        if (kind < 0.6) return k >= pinFrom ? 70 * (0.86 + 0.12 * r()) : 70 * r();
        return ceiling * (0.3 + r() * 0.9);
      };
      const inS = series(shape);
      const outS = series((k) => (r() < 0.5 ? shape(k) : 1 + r() * 3));
      const found = liveCapacity({ in: inS, out: outS }, NOMINAL, win, cfg) !== null;
      const possible = liveFindingPossible([peaksOf(inS), peaksOf(outS)], NOMINAL, cfg);
      if (found) findings++;
      if (!possible) skipped++;
      if (found && !possible) throw new Error(`case ${n}: a finding the filter would hide`);
    }
    // Both kinds of case occurred, or the check above proved nothing.
    expect(findings).toBeGreaterThan(100);
    expect(skipped).toBeGreaterThan(300);
  });
});
