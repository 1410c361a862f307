import { bitsPerSecond, counterDelta, uptimeChange } from './counters.js';

/** One reading of one interface's counters, as the poll decoded it. */
export interface PortReading {
  /** Request time (epoch ms), not reply time. */
  at: number;
  /** The device's sysUpTime in centiseconds. */
  uptimeTicks: number;
  ifIndex: number;
  hcIn: bigint | null;
  hcOut: bigint | null;
  in32: bigint | null;
  out32: bigint | null;
  inErrors: bigint | null;
  outErrors: bigint | null;
  inDiscards: bigint | null;
  outDiscards: bigint | null;
  /** ifCounterDiscontinuityTime in centiseconds of sysUpTime; null where unsupported. */
  discontinuityTicks: number | null;
  /** ifHighSpeed in Mbit/s; 0 or null where unknown. */
  highSpeedMbps: number | null;
  /** ifSpeed in bit/s, for devices without ifXTable; 0 or null where unknown. */
  speedBps?: number | null;
}

export interface PortRates {
  inBps: number | null;
  outBps: number | null;
  inErrorsPerSec: number | null;
  outErrorsPerSec: number | null;
  inDiscardsPerSec: number | null;
  outDiscardsPerSec: number | null;
  /** Why the octet rates are null; null when they are known. */
  gap: string | null;
  /** A counter wrapped in this interval and the wrap was accounted for. */
  wrapped: boolean;
}

const NO_RATES: Omit<PortRates, 'gap'> = {
  inBps: null,
  outBps: null,
  inErrorsPerSec: null,
  outErrorsPerSec: null,
  inDiscardsPerSec: null,
  outDiscardsPerSec: null,
  wrapped: false,
};

export interface RateLimits {
  /** Longest interval over which a rate is still meaningful (a few poll intervals). */
  maxIntervalMs: number;
  /** Fallback line speed when the port does not report ifHighSpeed. */
  fallbackSpeedBps: number;
  /** Headroom over line speed for timestamp jitter between request and agent read. */
  speedTolerance: number;
}

export const DEFAULT_RATE_LIMITS: RateLimits = { maxIntervalMs: 150_000, fallbackSpeedBps: 10e9, speedTolerance: 0.1 };

function perSecond(prev: bigint | null, cur: bigint | null, elapsedMs: number): number | null {
  if (prev === null || cur === null) return null;
  // Error and discard counters are Counter32 and never close to line rate: allow any one wrap.
  const d = counterDelta(prev, cur, 32, 1n << 32n);
  return d.ok ? (Number(d.delta) * 1000) / elapsedMs : null;
}

/**
 * Rates between two readings of the same port, or a gap with the reason. Never a spike or a
 * negative rate: a reboot, a counter discontinuity, an ifIndex change, an implausible wrap
 * or a rate above line speed all make the interval a gap.
 */
export function portRates(prev: PortReading | null, cur: PortReading, limits: RateLimits = DEFAULT_RATE_LIMITS, nominalBps = 0): PortRates {
  if (!prev) return { ...NO_RATES, gap: 'first-reading' };
  const elapsedMs = cur.at - prev.at;
  if (elapsedMs <= 0) return { ...NO_RATES, gap: 'clock-went-backwards' };
  // The most specific reason first: an operator reading the gap wants "rebooted", not "too old".
  if (cur.ifIndex !== prev.ifIndex) return { ...NO_RATES, gap: 'ifindex-changed' };
  if (uptimeChange(prev.uptimeTicks, cur.uptimeTicks, elapsedMs) === 'restarted') return { ...NO_RATES, gap: 'device-restarted' };
  if (prev.discontinuityTicks !== null && cur.discontinuityTicks !== null && prev.discontinuityTicks !== cur.discontinuityTicks)
    return { ...NO_RATES, gap: 'counter-discontinuity' };
  if (elapsedMs > limits.maxIntervalMs) return { ...NO_RATES, gap: 'previous-reading-too-old' };

  // ifHighSpeed is often wrong on these links (a 70M circuit on a port that says 10M), so
  // the circuit's nominal rate is a floor for what the line can carry.
  const reported =
    cur.highSpeedMbps && cur.highSpeedMbps > 0 ? cur.highSpeedMbps * 1e6 : cur.speedBps && cur.speedBps > 0 ? cur.speedBps : limits.fallbackSpeedBps;
  const speedBps = Math.max(reported, nominalBps);
  const maxOctets = BigInt(Math.ceil(((speedBps / 8) * elapsedMs * (1 + limits.speedTolerance)) / 1000));

  const use64 = prev.hcIn !== null && cur.hcIn !== null && prev.hcOut !== null && cur.hcOut !== null;
  const [pi, ci, po, co] = use64 ? [prev.hcIn, cur.hcIn, prev.hcOut, cur.hcOut] : [prev.in32, cur.in32, prev.out32, cur.out32];
  if (pi === null || ci === null || po === null || co === null) return { ...NO_RATES, gap: 'no-octet-counters' };
  const bits = use64 ? 64 : 32;
  const din = counterDelta(pi, ci, bits, maxOctets);
  const dout = counterDelta(po, co, bits, maxOctets);
  if (!din.ok) return { ...NO_RATES, gap: din.reason };
  if (!dout.ok) return { ...NO_RATES, gap: dout.reason };

  return {
    inBps: bitsPerSecond(din.delta, elapsedMs),
    outBps: bitsPerSecond(dout.delta, elapsedMs),
    inErrorsPerSec: perSecond(prev.inErrors, cur.inErrors, elapsedMs),
    outErrorsPerSec: perSecond(prev.outErrors, cur.outErrors, elapsedMs),
    inDiscardsPerSec: perSecond(prev.inDiscards, cur.inDiscards, elapsedMs),
    outDiscardsPerSec: perSecond(prev.outDiscards, cur.outDiscards, elapsedMs),
    gap: null,
    wrapped: din.wrapped || dout.wrapped,
  };
}
