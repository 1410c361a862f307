import { describe, expect, it } from 'vitest';
import type { Site } from '../../core/inventory.js';
import type { PortPoll } from '../../collector/device-polls.js';
import { DEFAULT_RATE_LIMITS, type PortReading } from '../../collector/port-rates.js';
import { buildSample } from '../../collector/sample-builder.js';

const site = {
  id: 'D01-R001', name: 'x', nameEn: null, division: 'D01',
  circuit: { id: 'C1', bandwidthMbps: 70, activationDate: '2026-01-01', carrierGroup: 'G', headend: { device: { host: '127.0.0.11', port: 161, profile: 'p' }, ifName: 'ge-1' } },
  ce: { device: { host: '127.0.1.1', port: 161, profile: 'p' }, ifName: 'wan' },
  oob: null, cpe: null, contact: null, location: null,
} as unknown as Site;

const T0 = Date.UTC(2026, 10, 28, 2, 0, 0);
/** A 64-bit reading `octets` bytes in, at `sec` seconds after T0, on a port reporting 100 Mbit/s. */
function reading(sec: number, octets: bigint): PortReading {
  return {
    at: T0 + sec * 1000, uptimeTicks: 1_000_000 + sec * 100, ifIndex: 3, hcIn: octets, hcOut: octets, in32: null, out32: null,
    inErrors: 0n, outErrors: 0n, inDiscards: 0n, outDiscards: 0n, discontinuityTicks: 0, highSpeedMbps: 100,
  };
}
const ce = (r: PortReading): PortPoll => ({ ok: true, error: null, rttMs: 2, uptimeTicks: r.uptimeTicks, hostUptimeTicks: null, oper: 'up', admin: 'up', lastChangeTicks: 0, reading: r });

// 60 s at 100 Mbit/s is 750 MB; 10 MB/s is plausible, 5 GB is not.
describe('buildSample: counters faster than the line', () => {
  it.each([
    { name: 'both plausible', ceBytes: 600_000_000n, heBytes: 600_000_000n, want: [], gap: null },
    { name: 'CE jump', ceBytes: 5_000_000_000n, heBytes: 600_000_000n, want: ['ce'], gap: 'above-line-rate' },
    { name: 'head-end jump', ceBytes: 600_000_000n, heBytes: 5_000_000_000n, want: ['headend'], gap: null },
    { name: 'both', ceBytes: 5_000_000_000n, heBytes: 5_000_000_000n, want: ['ce', 'headend'], gap: 'above-line-rate' },
  ])('$name → $want', ({ ceBytes, heBytes, want, gap }) => {
    const memory = { ce: reading(0, 0n), headend: reading(0, 0n) };
    const cur = reading(60, ceBytes);
    const he = reading(60, heBytes);
    const out = buildSample(site, { at: cur.at, ce: ce(cur), headend: { ok: true, error: null, port: { oper: 'up', reading: he } }, oob: null, cpe: null }, memory, DEFAULT_RATE_LIMITS);
    expect(out.aboveLineRate).toEqual(want);
    expect(out.sample.gap).toBe(gap);
    // Never a spike: a rejected side has no rate at all.
    if (want.includes('ce')) expect(out.sample.inBps).toBeNull();
    else expect(out.sample.inBps).toBeCloseTo((Number(ceBytes) * 8) / 60, 3);
    if (want.includes('headend')) expect(out.sample.headend.inBps).toBeNull();
    else expect(out.sample.headend.inBps).not.toBeNull();
    // The new readings are remembered either way: the next interval starts from them.
    expect(out.memory.ce).toBe(cur);
    expect(out.memory.headend).toBe(he);
  });
});
