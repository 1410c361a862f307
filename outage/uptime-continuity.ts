import type { TermParams } from '../core/terms.js';

/**
 * Did the customer's edge router stay powered through an outage? sysUpTime and
 * hrSystemUptime are TimeTicks: unsigned 32-bit centiseconds, so they wrap to zero after
 * 2^32 cs ≈ 497.1 days. A wrap is arithmetic, not a reboot.
 */
export const TIMETICKS_WRAP_SEC = 2 ** 32 / 100;

/** One reading of the CE's clocks, stamped with the poll's request time. */
export interface UptimeReading {
  at: number;
  uptimeSec: number | null;
  hostUptimeSec: number | null;
}

/**
 * - continuous: the agent kept counting through the outage (the CE stayed up)
 * - agent-restart: sysUpTime reset but hrSystemUptime kept counting (only the SNMP agent restarted)
 * - rebooted: the CE (or its power) went down during the outage
 * - unknown: the CE gave no uptime to judge by
 */
export type Continuity = 'continuous' | 'agent-restart' | 'rebooted' | 'unknown';

export interface ContinuityFinding {
  continuity: Continuity;
  /** True when the agent's counter wrapped at 497 days between the readings. */
  wrapped: boolean;
  /** What the readings showed, for the evidence entry (core/terms.ts renders it). */
  params: TermParams;
}

/** Distance between two TimeTicks values on the 497-day circle. */
function circularGapSec(a: number, b: number): number {
  const d = Math.abs(a - b) % TIMETICKS_WRAP_SEC;
  return Math.min(d, TIMETICKS_WRAP_SEC - d);
}

function counted(
  before: number | null,
  beforeAt: number | null,
  after: number,
  afterAt: number,
  outageStartedAt: number,
  tolSec: number,
): { continuous: boolean; wrapped: boolean } {
  if (before !== null && beforeAt !== null) {
    const expected = before + (afterAt - beforeAt) / 1000;
    const continuous = circularGapSec(after, expected % TIMETICKS_WRAP_SEC) <= tolSec;
    return { continuous, wrapped: continuous && expected >= TIMETICKS_WRAP_SEC && after < expected - tolSec };
  }
  // Without a reading from before, the contract-level test: up longer than the outage has lasted.
  return { continuous: after + tolSec >= (afterAt - outageStartedAt) / 1000, wrapped: false };
}


/**
 * Compares the CE's uptime after an outage with what it would read had it kept running.
 * `before` is the last good reading before the drop (null after a demarc restart without one).
 */
export function uptimeContinuity(
  before: UptimeReading | null,
  after: UptimeReading,
  outageStartedAt: number,
  toleranceSec: number,
): ContinuityFinding {
  if (after.uptimeSec === null) return { continuity: 'unknown', wrapped: false, params: {} };
  const since = Math.round((after.at - outageStartedAt) / 1000);
  const agent = counted(before?.uptimeSec ?? null, before?.at ?? null, after.uptimeSec, after.at, outageStartedAt, toleranceSec);
  if (agent.continuous) {
    return {
      continuity: 'continuous',
      wrapped: agent.wrapped,
      params: { uptimeSec: after.uptimeSec, outageSec: since, wrapped: agent.wrapped },
    };
  }
  if (after.hostUptimeSec !== null) {
    const host = counted(before?.hostUptimeSec ?? null, before?.at ?? null, after.hostUptimeSec, after.at, outageStartedAt, toleranceSec);
    if (host.continuous) {
      return {
        continuity: 'agent-restart',
        wrapped: host.wrapped,
        params: { uptimeSec: Math.round(after.uptimeSec), hostUptimeSec: after.hostUptimeSec },
      };
    }
  }
  return {
    continuity: 'rebooted',
    wrapped: false,
    params: { uptimeSec: Math.round(after.uptimeSec), outageSec: since },
  };
}

/**
 * When the CE's WAN port last changed state, as an instant, from ifLastChange (TimeTicks of the
 * agent's sysUpTime). null when unknown; 0 means "not since the agent started" and says nothing.
 */
export function wanChangeAt(reading: { at: number; uptimeSec: number | null; wanLastChangeSec: number | null }): number | null {
  const { uptimeSec, wanLastChangeSec } = reading;
  if (uptimeSec === null || wanLastChangeSec === null || wanLastChangeSec <= 0) return null;
  const agoSec = (((uptimeSec - wanLastChangeSec) % TIMETICKS_WRAP_SEC) + TIMETICKS_WRAP_SEC) % TIMETICKS_WRAP_SEC;
  return Math.round(reading.at - agoSec * 1000);
}

/** The WAN port changed between the last good poll before the drop and the CE's return. */
export function changedDuringOutage(changeAt: number | null, windowStart: number, returnedAt: number, toleranceSec: number): boolean {
  if (changeAt === null) return false;
  return changeAt >= windowStart - toleranceSec * 1000 && changeAt <= returnedAt + toleranceSec * 1000;
}
