/**
 * Counter arithmetic. Pure functions, no I/O: the table-driven tests in
 * test/collector/counters.test.ts pin every case.
 */

export const TWO_32 = 1n << 32n;
/** sysUpTime is a 32-bit count of centiseconds: it wraps after about 497 days. */
export const UPTIME_WRAP_TICKS = 2 ** 32;

export type CounterDelta = { ok: true; delta: bigint; wrapped: boolean } | { ok: false; reason: string };

/**
 * The increase of a counter between two readings. A 32-bit counter that went down is taken
 * as one wrap only when that explains it at no more than `maxDelta` (what the line could
 * carry in the interval); otherwise it was reset. A 64-bit counter never wraps in practice,
 * so going down means reset. A delta above `maxDelta` is impossible at line rate: a gap.
 */
export function counterDelta(prev: bigint, cur: bigint, bits: 32 | 64, maxDelta: bigint): CounterDelta {
  if (cur >= prev) {
    const delta = cur - prev;
    if (delta > maxDelta) return { ok: false, reason: 'above-line-rate' };
    return { ok: true, delta, wrapped: false };
  }
  if (bits === 64) return { ok: false, reason: 'counter-reset' };
  const delta = TWO_32 - prev + cur;
  if (delta > maxDelta) return { ok: false, reason: 'counter-reset' };
  return { ok: true, delta, wrapped: true };
}

export type UptimeChange = 'continuous' | 'wrapped' | 'restarted';

/**
 * Whether the agent restarted between two readings, judged from sysUpTime (centiseconds)
 * and the wall-clock time between the requests. A drop that a 497-day wrap explains within
 * the tolerance is a wrap, not a reboot.
 */
export function uptimeChange(prevTicks: number, curTicks: number, elapsedMs: number, toleranceMs = 5000): UptimeChange {
  const elapsedTicks = elapsedMs / 10;
  const tol = toleranceMs / 10;
  if (curTicks >= prevTicks) {
    // Uptime advanced less than wall time by far more than jitter: it restarted and climbed back.
    return curTicks - prevTicks + tol < elapsedTicks && curTicks < elapsedTicks ? 'restarted' : 'continuous';
  }
  const wrappedAdvance = UPTIME_WRAP_TICKS - prevTicks + curTicks;
  return Math.abs(wrappedAdvance - elapsedTicks) <= tol ? 'wrapped' : 'restarted';
}

/** Bits per second from an octet delta; `elapsedMs` is between request times. */
export function bitsPerSecond(octets: bigint, elapsedMs: number): number {
  return (Number(octets) * 8 * 1000) / elapsedMs;
}
