import { describe, expect, it } from 'vitest';
import { clippedTrapezoid, dailyShape, KNOT_MS, TrafficCurve, trafficProfileFor } from '../../sim/traffic.js';
import { demoInventoryRows } from '../../sim/demo-inventory.js';

// 2026-03-04 is a Wednesday (a working day); 2026-03-07 a Saturday.
const shanghai = (iso: string) => Date.parse(`${iso}+08:00`);

describe('clippedTrapezoid', () => {
  it.each([
    // a, b, cap, sec, expected bits
    [10, 20, 100, 2, 30],
    [10, 20, 5, 2, 10],
    [0, 100, 50, 1, 37.5], // below then at the cap: 0.5*25 + 0.5*50
    [100, 0, 50, 1, 37.5], // at the cap then below
    [50, 50, 50, 4, 200],
    [0, 0, Infinity, 3, 0],
  ])('min(linear %d→%d, cap %d) over %d s = %d', (a, b, cap, sec, want) => {
    expect(clippedTrapezoid(a, b, cap, sec)).toBeCloseTo(want, 9);
  });
});

describe('dailyShape', () => {
  it.each([
    ['2026-03-04T03:00:00', 'working-day night', 0, 0.1],
    ['2026-03-04T10:30:00', 'working-day morning peak', 0.9, 1.01],
    ['2026-03-04T12:45:00', 'lunch dip', 0.2, 0.5],
    ['2026-03-04T16:00:00', 'afternoon peak', 0.9, 1.01],
    ['2026-03-07T10:30:00', 'Saturday', 0, 0.25],
    ['2026-10-01T10:30:00', 'National Day holiday', 0, 0.25],
  ])('%s (%s) is between %d and %d of the peak', (at, _label, lo, hi) => {
    const s = dailyShape(shanghai(at));
    expect(s).toBeGreaterThanOrEqual(lo);
    expect(s).toBeLessThanOrEqual(hi);
  });
});

describe('TrafficCurve', () => {
  const seed = 20260101;
  const start = shanghai('2026-03-04T08:00:00');
  const profile = trafficProfileFor('D01-R001', 70, seed);

  it('integrates exactly: bits over an interval equal a fine numeric integral of the rate', () => {
    const curve = new TrafficCurve(profile, seed, start);
    for (const cap of [Infinity, 20e6]) {
      const a = start + 123_456;
      const b = a + 7 * KNOT_MS + 31_000;
      let numeric = 0;
      const step = 10;
      for (let t = a; t < b; t += step) numeric += ((curve.rateAt(t, 'in', cap) + curve.rateAt(t + step, 'in', cap)) / 2) * (step / 1000);
      expect(curve.bits(a, b, 'in', cap) / numeric).toBeCloseTo(1, 5);
    }
  });

  it('is additive and the same whatever was asked before (prefix cache)', () => {
    const c1 = new TrafficCurve(profile, seed, start);
    const c2 = new TrafficCurve(profile, seed, start);
    const a = start + 5 * 3_600_000;
    const m = a + 1_234_567;
    const b = m + 2_000_000;
    const whole = c1.bits(a, b, 'out');
    expect(c2.bits(m, b, 'out') + c2.bits(a, m, 'out')).toBeCloseTo(whole, 3);
    // before the anchor too
    expect(c1.bits(start - 600_000, start + 600_000, 'in')).toBeCloseTo(c2.bits(start - 600_000, start, 'in') + c2.bits(start, start + 600_000, 'in'), 3);
  });

  it('never carries more than the line, nor more than a cap', () => {
    const curve = new TrafficCurve(profile, seed, start);
    for (let t = start; t < start + 86_400_000; t += 97_000) {
      expect(curve.rateAt(t, 'in')).toBeLessThanOrEqual(profile.lineCapBps);
      expect(curve.rateAt(t, 'in', 5e6)).toBeLessThanOrEqual(5e6);
      expect(curve.rateAt(t, 'out')).toBeGreaterThanOrEqual(0);
    }
  });

  it('replays from the seed and differs with another seed', () => {
    const a = new TrafficCurve(profile, seed, start);
    const b = new TrafficCurve(profile, seed, start + 999);
    const c = new TrafficCurve(trafficProfileFor('D01-R001', 70, seed + 1), seed + 1, start);
    const t = start + 3 * 3_600_000 + 17_000;
    expect(a.rateAt(t, 'in')).toBe(b.rateAt(t, 'in'));
    expect(c.rateAt(t, 'in')).not.toBe(a.rateAt(t, 'in'));
  });
});

describe('the demo fleet', () => {
  const seed = 20260101;
  const sites = demoInventoryRows().map((r) => r.site_id!);
  /** 95th percentile and maximum of the office-hours rate, Mbit/s. */
  const peakMbps = (id: string) => {
    const curve = new TrafficCurve(trafficProfileFor(id, 70, seed), seed, shanghai('2026-03-04T00:00:00'));
    const xs: number[] = [];
    for (let t = shanghai('2026-03-04T09:00:00'); t < shanghai('2026-03-04T18:00:00'); t += KNOT_MS) xs.push(curve.rateAt(t, 'in') / 1e6);
    xs.sort((a, b) => a - b);
    return { p95: xs[Math.floor(xs.length * 0.95)]!, max: xs[xs.length - 1]! };
  };

  it('has quiet nights, some sites at 60-70 Mbit/s in office hours and a few saturating near 70', () => {
    const peaks = sites.map(peakMbps);
    const busy = peaks.filter((p) => p.p95 >= 60).length;
    const saturating = peaks.filter((p) => p.p95 >= 68).length;
    expect(busy).toBeGreaterThanOrEqual(15);
    expect(saturating).toBeGreaterThanOrEqual(3);
    expect(saturating).toBeLessThanOrEqual(20);
    expect(Math.max(...peaks.map((p) => p.max))).toBeLessThanOrEqual(70);
    const night = sites.slice(0, 20).map((id) => new TrafficCurve(trafficProfileFor(id, 70, seed), seed, 0).rateAt(shanghai('2026-03-04T03:30:00'), 'in') / 1e6);
    expect(Math.max(...night)).toBeLessThan(10);
  });
});
