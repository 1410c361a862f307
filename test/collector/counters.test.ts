import { describe, expect, it } from 'vitest';
import { counterDelta, uptimeChange, TWO_32, UPTIME_WRAP_TICKS } from '../../collector/counters.js';

describe('counterDelta', () => {
  const max = 1_000_000n;
  it.each([
    { name: 'plain increase', prev: 100n, cur: 600n, bits: 64 as const, want: { ok: true, delta: 500n, wrapped: false } },
    { name: 'no change', prev: 5n, cur: 5n, bits: 32 as const, want: { ok: true, delta: 0n, wrapped: false } },
    { name: '32-bit wrap within line rate', prev: TWO_32 - 100n, cur: 400n, bits: 32 as const, want: { ok: true, delta: 500n, wrapped: true } },
    { name: '32-bit drop too large for a wrap is a reset', prev: 3_000_000n, cur: 10n, bits: 32 as const, want: { ok: false, reason: 'counter-reset' } },
    { name: '64-bit going down is a reset, never a wrap', prev: 1000n, cur: 10n, bits: 64 as const, want: { ok: false, reason: 'counter-reset' } },
    { name: 'above line rate', prev: 0n, cur: max + 1n, bits: 64 as const, want: { ok: false, reason: 'above-line-rate' } },
    { name: 'exactly line rate', prev: 0n, cur: max, bits: 64 as const, want: { ok: true, delta: max, wrapped: false } },
    { name: 'Counter64 beyond 2^53 stays exact', prev: (1n << 60n) + 1n, cur: (1n << 60n) + 7n, bits: 64 as const, want: { ok: true, delta: 6n, wrapped: false } },
  ])('$name', ({ prev, cur, bits, want }) => {
    expect(counterDelta(prev, cur, bits, max)).toEqual(want);
  });
});

describe('uptimeChange', () => {
  it.each([
    { name: 'advances with wall time', prev: 10_000, cur: 16_000, elapsedMs: 60_000, want: 'continuous' },
    { name: 'agent restarted and climbed back below elapsed', prev: 500_000, cur: 3_000, elapsedMs: 60_000, want: 'restarted' },
    { name: 'restarted during a long outage, uptime now smaller than outage', prev: 1_000, cur: 5_000, elapsedMs: 600_000, want: 'restarted' },
    { name: 'agent clock stalled but no reboot possible (uptime exceeds outage)', prev: 100_000, cur: 101_000, elapsedMs: 600_000, want: 'continuous' },
    { name: '497-day wrap is not a reboot', prev: UPTIME_WRAP_TICKS - 1000, cur: 5000, elapsedMs: 60_000, want: 'wrapped' },
    { name: 'drop not explained by a wrap', prev: UPTIME_WRAP_TICKS - 1000, cur: 90_000_000, elapsedMs: 60_000, want: 'restarted' },
    { name: 'small jitter is continuous', prev: 10_000, cur: 10_050, elapsedMs: 1_000, want: 'continuous' },
  ])('$name', ({ prev, cur, elapsedMs, want }) => {
    expect(uptimeChange(prev, cur, elapsedMs)).toBe(want);
  });
});
