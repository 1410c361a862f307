import { describe, expect, it } from 'vitest';
import { capacityFindings, type CapacityPoint } from '../../outage/capacity.js';
import { outageConfig } from '../../outage/config-schema.js';

const NOMINAL = 70e6;
const T = Date.UTC(2026, 2, 1, 0, 0, 0);
const cfg = outageConfig().capacity;

/** One point per 5 minutes over `hours`, value from the hour of day. */
function series(hours: number, f: (h: number, i: number) => number | null): CapacityPoint[] {
  return Array.from({ length: hours * 12 + 1 }, (_, i) => ({ at: T + i * 300_000, bps: f(i / 12, i) }));
}
/** A deterministic wobble, ±amp, so "flat" is not literally constant. */
const wobble = (i: number, amp: number) => 1 + amp * Math.sin(i * 1.7);
const dayCurve = (h: number) => 5e6 + 40e6 * Math.max(0, Math.sin(((h % 24) - 6) / 12 * Math.PI));

describe('capacityFindings', () => {
  it('flags a policer: traffic pressed flat at 20M for the busy hours, never above', () => {
    const s = series(24, (h, i) => Math.min(dayCurve(h), 20e6 * wobble(i, 0.005)));
    const f = capacityFindings(s, NOMINAL, cfg).filter((x) => x.kind === 'policer-ceiling');
    expect(f.length).toBeGreaterThanOrEqual(1);
    expect(f[0]).toMatchObject({ kind: 'policer-ceiling' });
    if (f[0]!.kind !== 'policer-ceiling') throw new Error('unreachable');
    expect(f[0]!.ceilingBps).toBeGreaterThan(19.8e6);
    expect(f[0]!.ceilingBps).toBeLessThan(20.2e6);
    expect(f[0]!.ceilingPctOfNominal).toBeCloseTo(28.6, 0);
    expect(f[0]!.to - f[0]!.from).toBeGreaterThanOrEqual(2 * 3_600_000);
  });

  const none: { name: string; s: CapacityPoint[] }[] = [
    { name: 'an ordinary day curve peaking at 45M', s: series(24, (h, i) => dayCurve(h) * wobble(i, 0.05)) },
    { name: 'a flat level for only one hour', s: series(24, (h, i) => (h >= 10 && h < 11 ? 20e6 * wobble(i, 0.005) : dayCurve(h) * wobble(i, 0.2) * 0.5)) },
    { name: 'flat at 20M but once well above it (not a cap)', s: series(24, (h, i) => (i === 5 ? 50e6 : h >= 8 && h < 14 ? 20e6 * wobble(i, 0.005) : 5e6 * wobble(i, 0.3))) },
    { name: 'flat near nominal (that is saturation, not a policer)', s: series(6, (_h, i) => 66e6 * wobble(i, 0.005)).map((p) => ({ ...p, bps: p.bps })) },
    { name: 'an idle circuit flat at 100 kbit/s', s: series(24, (_h, i) => 100e3 * wobble(i, 0.005)) },
    { name: 'all gaps', s: series(24, () => null) },
  ];
  it.each(none)('no policer finding for $name', (c) => {
    expect(capacityFindings(c.s, NOMINAL, cfg).filter((x) => x.kind === 'policer-ceiling')).toEqual([]);
  });

  it('flags saturation ≥90% of nominal sustained for 30 min or more', () => {
    const s = series(4, (h, i) => (h >= 1 && h < 2 ? 66e6 * wobble(i, 0.02) : 30e6));
    const f = capacityFindings(s, NOMINAL, cfg).filter((x) => x.kind === 'saturated');
    expect(f).toHaveLength(1);
    expect(f[0]).toMatchObject({ kind: 'saturated', from: T + 3_600_000 });
    if (f[0]!.kind !== 'saturated') throw new Error('unreachable');
    expect(f[0]!.meanPct).toBeGreaterThan(90);
  });

  it('no saturation for a 20-minute burst, nor across a hole in the data', () => {
    const burst = series(4, (h) => (h >= 1 && h < 1 + 20 / 60 ? 68e6 : 30e6));
    expect(capacityFindings(burst, NOMINAL, cfg).filter((x) => x.kind === 'saturated')).toEqual([]);
    const holed = series(4, (h) => (h >= 1 && h < 2 ? 68e6 : 30e6)).filter((p) => !(p.at > T + 1.2 * 3_600_000 && p.at < T + 1.6 * 3_600_000));
    expect(capacityFindings(holed, NOMINAL, cfg).filter((x) => x.kind === 'saturated')).toEqual([]);
  });
});
