import type { CircuitSample } from '../core/sample.js';
import { noteReturn } from './drop-return.js';
import { addEvidence, type SitePhase, type TrackedIncident } from './incident-facts.js';
import type { SampleClass } from './sample-signals.js';

/** Two centisecond readings (sysUpTime, ifLastChange) go into a change instant. */
const CENTISECOND_TICKS_MS = 20;

/** What to do with an outage that was open when demarc stopped, at the first poll after. */
export type ResumePlan = { kind: 'continue' } | { kind: 'close'; at: number; blindUntil: number | null };

/**
 * Still down: the same outage goes on. Back: the recovery instant is the one demarc saw before
 * stopping, or the CE's ifLastChange when its uptime shows it stayed up; otherwise the outage
 * ends where demarc last saw it and the blind time after is a `monitoring` gap. Notes its
 * reasoning as evidence on the incident.
 */
export function planResume(t: TrackedIncident, s: CircuitSample, cls: SampleClass, from: number, phase: SitePhase, toleranceSec: number): ResumePlan {
  const note = (outcome: 'still-down' | 'returned-before' | 'last-change' | 'unknown', at: number | null = null, readAt: number | null = null) =>
    addEvidence(t.facts, { at: from, kind: 'demarc-restart', params: { from, until: s.at, outcome, at, ...(readAt !== null ? { readAt } : {}) } });
  if (cls === 'silent') {
    note('still-down');
    return { kind: 'continue' };
  }
  if (phase === 'recovering' && t.facts.returnedAt !== null) {
    note('returned-before', t.facts.returnedAt);
    return { kind: 'close', at: t.facts.returnedAt, blindUntil: null };
  }
  if (cls === 'answered') {
    const continuity = noteReturn(t.facts, s, t.incident.startedAt, toleranceSec);
    const changeAt = t.facts.seen['wan-change-inside'];
    // ifLastChange and sysUpTime tick in centiseconds, and the agent read them somewhere within
    // the request's round trip: the change instant is known to that much. A line back just as
    // demarc stopped can read as a few ms before its last poll, which saw it down.
    const slackMs = CENTISECOND_TICKS_MS + (s.rttMs ?? 0);
    if ((continuity === 'continuous' || continuity === 'agent-restart') && changeAt !== undefined && changeAt >= from - slackMs && changeAt <= s.at) {
      const at = Math.max(changeAt, from);
      note('last-change', at, changeAt);
      return { kind: 'close', at, blindUntil: null };
    }
  }
  note('unknown', from);
  return { kind: 'close', at: from, blindUntil: s.at };
}
