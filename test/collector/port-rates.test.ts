import { describe, expect, it } from 'vitest';
import { portRates, type PortReading } from '../../collector/port-rates.js';
import { TWO_32 } from '../../collector/counters.js';

const base: PortReading = {
  at: 1_000_000,
  uptimeTicks: 100_000,
  ifIndex: 3,
  hcIn: 1_000_000n,
  hcOut: 2_000_000n,
  in32: 1_000_000n,
  out32: 2_000_000n,
  inErrors: 10n,
  outErrors: 0n,
  inDiscards: 0n,
  outDiscards: 0n,
  discontinuityTicks: 0,
  highSpeedMbps: 1000,
};
/** The same port 60 s later having carried `inBytes` / `outBytes`. */
const later = (inBytes: bigint, outBytes: bigint, patch: Partial<PortReading> = {}): PortReading => ({
  ...base,
  at: base.at + 60_000,
  uptimeTicks: base.uptimeTicks + 6000,
  hcIn: base.hcIn! + inBytes,
  hcOut: base.hcOut! + outBytes,
  in32: (base.in32! + inBytes) % TWO_32,
  out32: (base.out32! + outBytes) % TWO_32,
  inErrors: 70n,
  ...patch,
});

describe('portRates', () => {
  it('computes bits per second from 64-bit counters', () => {
    const r = portRates(base, later(75_000_000n, 150_000_000n));
    expect(r.gap).toBeNull();
    expect(r.inBps).toBeCloseTo(10_000_000, 6);
    expect(r.outBps).toBeCloseTo(20_000_000, 6);
    expect(r.inErrorsPerSec).toBeCloseTo(1, 9);
  });

  it('falls back to 32-bit counters and handles one wrap', () => {
    const prev = { ...base, hcIn: null, hcOut: null, in32: TWO_32 - 1000n, out32: TWO_32 - 1000n };
    const cur = { ...later(0n, 0n), hcIn: null, hcOut: null, in32: 7_499_000n, out32: 7_499_000n };
    const r = portRates(prev, cur);
    expect(r.gap).toBeNull();
    expect(r.wrapped).toBe(true);
    expect(r.inBps).toBeCloseTo((7_500_000 * 8) / 60, 6);
  });

  it.each([
    { name: 'first reading', prev: null, cur: later(1n, 1n), gap: 'first-reading' },
    { name: 'reboot (uptime reset, counters from zero)', prev: base, cur: later(0n, 0n, { uptimeTicks: 300, hcIn: 5n, hcOut: 5n }), gap: 'device-restarted' },
    { name: 'ifIndex renumbered', prev: base, cur: later(10n, 10n, { ifIndex: 7 }), gap: 'ifindex-changed' },
    { name: 'counter discontinuity', prev: base, cur: later(10n, 10n, { discontinuityTicks: 105_000 }), gap: 'counter-discontinuity' },
    { name: 'above line speed', prev: base, cur: later(9_000_000_000n, 1n), gap: 'above-line-rate' },
    { name: '64-bit counter went backwards without reboot', prev: base, cur: later(0n, 0n, { hcIn: 5n }), gap: 'counter-reset' },
    { name: 'previous reading too old', prev: { ...base, at: base.at - 200_000 }, cur: later(1n, 1n), gap: 'previous-reading-too-old' },
    { name: 'clock went backwards', prev: { ...base, at: base.at + 120_000 }, cur: later(1n, 1n), gap: 'clock-went-backwards' },
  ])('gap: $name', ({ prev, cur, gap }) => {
    const r = portRates(prev, cur);
    expect(r.gap).toBe(gap);
    expect(r.inBps).toBeNull();
    expect(r.outBps).toBeNull();
  });

  it('a 32-bit drop that a wrap cannot explain at line speed is a reset, not a rate', () => {
    // 10 Mbit/s port: at most ~82 MB in 60 s, but a wrap from 4e9 to 5 would be ~295 MB.
    const prev = { ...base, highSpeedMbps: 10, hcIn: null, hcOut: null, in32: 4_000_000_000n, out32: 10n };
    const cur = { ...later(0n, 0n), highSpeedMbps: 10, hcIn: null, hcOut: null, in32: 5n, out32: 20n };
    const r = portRates(prev, cur);
    expect(r.gap).toBe('counter-reset');
  });
});

describe('portRates line-speed bound', () => {
  it('uses the circuit nominal rate as a floor when ifHighSpeed under-reports', () => {
    const prev = { ...base, highSpeedMbps: 10 };
    const cur = later(150_000_000n, 0n, { highSpeedMbps: 10 }); // 20 Mbit/s on a port claiming 10M
    expect(portRates(prev, cur).gap).toBe('above-line-rate');
    const r = portRates(prev, cur, undefined, 70e6);
    expect(r.gap).toBeNull();
    expect(r.inBps).toBeCloseTo(20e6, 3);
  });
});

describe('portRates on a device without ifXTable', () => {
  it('bounds a 32-bit wrap by ifSpeed when ifHighSpeed is missing: a counter clear is a gap, not a wrap', () => {
    // 100 Mbit/s for 60 s is at most ~825 MB; a "wrap" from 1e9 to 5 would be ~3.3 GB.
    const prev = { ...base, highSpeedMbps: null, speedBps: 100e6, hcIn: null, hcOut: null, in32: 1_000_000_000n, out32: 10n };
    const cur = { ...later(0n, 0n), highSpeedMbps: null, speedBps: 100e6, hcIn: null, hcOut: null, in32: 5n, out32: 20n };
    expect(portRates(prev, cur).gap).toBe('counter-reset');
    // Without ifSpeed the same drop is indistinguishable from a wrap at 10 Gbit/s.
    expect(portRates({ ...prev, speedBps: null }, { ...cur, speedBps: null }).gap).toBeNull();
  });
});
