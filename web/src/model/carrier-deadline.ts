import type { IncidentDto } from '../../../core/events.js';

/** The two limits of contract 7.4.2 ("within 2 hours", and a line later "within 1 hour"), in seconds. */
export interface CarrierLimits {
  limitSec: number;
  strictLimitSec: number;
}

export const CONTRACT_LIMITS: CarrierLimits = { limitSec: 2 * 3600, strictLimitSec: 3600 };

/** One deadline counted from the carrier report: seconds left (negative once passed). */
export interface Deadline {
  hours: number;
  dueAt: number;
  leftSec: number;
  /** Responded: was it within this limit; still waiting: null until it has passed, then false. */
  met: boolean | null;
}

/**
 * Where an incident stands against the carrier's response deadlines:
 * - not-carrier: not a line-side outage, nothing to report to the carrier;
 * - unreported: line side and not reported yet (flagged: the clock has not even started);
 * - waiting: reported, no response yet, both deadlines counting down;
 * - responded: the response is recorded, each deadline met or missed.
 */
export type CarrierDeadline =
  | { state: 'not-carrier' }
  | { state: 'unreported'; sinceSec: number }
  | { state: 'waiting'; deadlines: [Deadline, Deadline] }
  | { state: 'responded'; responseSec: number; deadlines: [Deadline, Deadline] };

type DeadlineInput = Pick<IncidentDto, 'kind' | 'responsibility' | 'startedAt' | 'carrierReportedAt' | 'carrierRespondedAt'>;

/** Only line-side outages are the carrier's to answer; a report already made is tracked whatever the verdict became. */
export function isCarrierMatter(i: Pick<IncidentDto, 'kind' | 'responsibility' | 'carrierReportedAt'>): boolean {
  return i.carrierReportedAt !== null || (i.kind === 'outage' && i.responsibility === 'line');
}

/** True for a line-side outage nobody has reported to the carrier yet (open or closed). */
export function isUnreported(i: Pick<IncidentDto, 'kind' | 'responsibility' | 'carrierReportedAt'>): boolean {
  return i.carrierReportedAt === null && i.kind === 'outage' && i.responsibility === 'line';
}

export function carrierDeadline(i: DeadlineInput, now: number, limits: CarrierLimits = CONTRACT_LIMITS): CarrierDeadline {
  if (!isCarrierMatter(i)) return { state: 'not-carrier' };
  if (i.carrierReportedAt === null) return { state: 'unreported', sinceSec: Math.max(0, Math.floor((now - Date.parse(i.startedAt)) / 1000)) };
  const reported = Date.parse(i.carrierReportedAt);
  const responded = i.carrierRespondedAt === null ? null : Date.parse(i.carrierRespondedAt);
  // The stricter (shorter) limit first: it is the one that runs out first.
  const limits2 = [limits.strictLimitSec, limits.limitSec].sort((a, b) => a - b);
  const deadlines = limits2.map((sec): Deadline => {
    const dueAt = reported + sec * 1000;
    const at = responded ?? now;
    return { hours: sec / 3600, dueAt, leftSec: Math.floor((dueAt - at) / 1000), met: responded !== null ? responded <= dueAt : now > dueAt ? false : null };
  }) as [Deadline, Deadline];
  if (responded === null) return { state: 'waiting', deadlines };
  return { state: 'responded', responseSec: Math.max(0, Math.round((responded - reported) / 1000)), deadlines };
}

/** "−0:12:05" style countdown: h:mm:ss, with a minus once the deadline has passed. */
export function formatCountdown(leftSec: number): string {
  const sign = leftSec < 0 ? '−' : '';
  const s = Math.abs(leftSec);
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  const sec = s % 60;
  return `${sign}${h}:${String(m).padStart(2, '0')}:${String(sec).padStart(2, '0')}`;
}
