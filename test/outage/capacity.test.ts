import { describe, expect, it } from 'vitest';
import { capacityFindings, type CapacityPoint } from '../../outage/capacity.js';
import { outageConfig } from '../../outage/config-schema.js';

const NOMINAL = 70e6;
const H = 3_600_000;
/** Shanghai midnight of Monday 2026-03-02. */
const T = Date.UTC(2026, 2, 1, 16, 0, 0);
const cfg = outageConfig().capacity;

/** Hourly points over `days`, value from (day, hour of day). */
function hourly(days: number, f: (day: number, hour: number, i: number) => number | null): CapacityPoint[] {
  return Array.from({ length: days * 24 }, (_, i) => ({ at: T + i * H, bps: f(Math.floor(i / 24), i % 24, i) }));
}
/** A deterministic wobble, ±amp, so "flat" is not literally constant. */
const wobble = (i: number, amp: number) => 1 + amp * Math.sin(i * 1.7);
/** Working-day demand: 5M at night, up to `peak` in the early afternoon; weekends (days 5, 6) a quarter of it. */
const demand = (day: number, hour: number, peak = 40e6) => 5e6 + (day % 7 >= 5 ? 0.25 : 1) * (peak - 5e6) * Math.max(0, Math.sin(((hour - 8) / 10) * Math.PI));
const policed = (day: number, hour: number, i: number) => Math.min(demand(day, hour), 20e6 * wobble(i, 0.005));

const find = (s: CapacityPoint[], kind: 'policer-ceiling' | 'saturated', step = 3600) => capacityFindings(s, NOMINAL, step, cfg).filter((f) => f.kind === kind);

describe('policer ceiling: a flat plateau well below nominal, hours a day, on several days', () => {
  it('flags 20M pressed flat on every working day, one finding per day', () => {
    const f = find(hourly(14, policed), 'policer-ceiling');
    // Demand ≥ 20M for hours 10..16 on the 10 weekdays (sin ≥ 15/35 from 9.4 h to 16.6 h): 7 hours a day.
    expect(f).toHaveLength(10);
    for (const x of f) {
      if (x.kind !== 'policer-ceiling') throw new Error('unreachable');
      expect(x.ceilingBps).toBeGreaterThan(19.8e6);
      expect(x.ceilingBps).toBeLessThan(20.2e6);
      expect(x.ceilingPctOfNominal).toBeCloseTo(28.6, 0);
      expect(x.to - x.from).toBe(7 * H);
    }
  });

  const none: { name: string; s: CapacityPoint[] }[] = [
    { name: 'an ordinary working-day curve peaking at 45M', s: hourly(14, (d, h, i) => demand(d, h, 45e6) * wobble(i, 0.05)) },
    { name: 'flat at 20M for 5 h, but on 2 days only', s: hourly(14, (d, h, i) => (d < 2 && h >= 10 && h < 15 ? 20e6 * wobble(i, 0.005) : demand(d, h, 18e6) * wobble(i, 0.05))) },
    { name: 'flat at 20M every day, but 2 h a day only', s: hourly(14, (d, h, i) => (h >= 12 && h < 14 ? 20e6 * wobble(i, 0.005) : demand(d, h, 16e6) * 0.9)) },
    { name: 'flat at 20M, but once well above it (not a cap)', s: hourly(14, (d, h, i) => (i === 30 ? 50e6 : policed(d, h, i))) },
    { name: 'flat near nominal (that is saturation, not a policer)', s: hourly(14, (d, h, i) => Math.min(demand(d, h, 80e6), 66e6 * wobble(i, 0.005))) },
    { name: 'an idle circuit flat at 100 kbit/s', s: hourly(14, (_d, _h, i) => 100e3 * wobble(i, 0.005)) },
    { name: 'all gaps', s: hourly(14, () => null) },
  ];
  it.each(none)('no policer finding for $name', (c) => {
    expect(find(c.s, 'policer-ceiling')).toEqual([]);
  });

  it('a hole in the afternoon shortens that day below the hours needed', () => {
    // Days 0..2 have their plateau cut by a missing hour at 13:00 (3 h + 3 h runs, then 7 h days from day 3).
    const s = hourly(14, policed).filter((p) => !((p.at - T) / H < 72 && ((p.at - T) / H) % 24 === 13));
    expect(find(s, 'policer-ceiling')).toHaveLength(10);
    expect(find(s, 'policer-ceiling', 3600).map((f) => f.to - f.from)).toEqual([3 * H, 3 * H, 3 * H, ...Array(7).fill(7 * H)]);
    const strict = capacityFindings(s, NOMINAL, 3600, { ...cfg, plateauHoursPerDay: 4 }).filter((f) => f.kind === 'policer-ceiling');
    expect(strict).toHaveLength(7);
  });
});

describe('saturation: at or above 90 % of nominal for a sustained time', () => {
  it('flags 3 h a day at 95 %, one finding per day, 3 h each', () => {
    const s = hourly(7, (d, h, i) => (h >= 10 && h < 13 ? 66.5e6 * wobble(i, 0.01) : demand(d, h, 40e6)));
    const f = find(s, 'saturated');
    expect(f).toHaveLength(7);
    for (const x of f) {
      if (x.kind !== 'saturated') throw new Error('unreachable');
      expect(x.to - x.from).toBe(3 * H);
      expect(x.meanPct).toBeCloseTo(95, 0);
    }
  });

  const fiveMin = (hours: number, f: (m: number) => number | null): CapacityPoint[] => Array.from({ length: hours * 12 }, (_, i) => ({ at: T + i * 300_000, bps: f(i * 5) }));
  const none: { name: string; s: CapacityPoint[]; step: number }[] = [
    { name: 'one hourly mean at 89 %', s: hourly(2, (_d, h) => (h === 11 ? 62.3e6 : 30e6)), step: 3600 },
    { name: 'a 90-minute burst at 97 % (5-minute points)', s: fiveMin(4, (m) => (m >= 60 && m < 150 ? 68e6 : 30e6)), step: 300 },
    { name: 'two 80-minute stretches at 97 % split by a hole (5-minute points)', s: fiveMin(5, (m) => (m >= 60 && m < 140 ? 68e6 : m >= 140 && m < 180 ? null : m >= 180 && m < 260 ? 68e6 : 30e6)), step: 300 },
  ];
  it.each(none)('no saturation for $name', (c) => {
    expect(find(c.s, 'saturated', c.step)).toEqual([]);
  });

  it('one hourly mean at 97 % is not sustained (a 30-minute burst at line rate can do that); two in a row are', () => {
    expect(find(hourly(1, (_d, h) => (h === 11 ? 68e6 : 30e6)), 'saturated')).toEqual([]);
    expect(find(hourly(1, (_d, h) => (h === 11 || h === 12 ? 63.7e6 : 30e6)), 'saturated')).toMatchObject([{ kind: 'saturated', from: T + 11 * H, to: T + 13 * H, points: 2 }]);
  });
});
