import type { CircuitSample } from '../core/sample.js';
import { noteReturn } from './drop-return.js';
import { addEvidence, iso, type SitePhase, type TrackedIncident } from './incident-facts.js';
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
  const gapText = `demarc was not running from ${iso(from)} to ${iso(s.at)}`;
  const note = (detail: string) => addEvidence(t.facts, { at: from, kind: 'demarc-restart', detail: `${gapText}; ${detail}` });
  if (cls === 'silent') {
    note('the site was down before and is still down: one continuing outage');
    return { kind: 'continue' };
  }
  if (phase === 'recovering' && t.facts.returnedAt !== null) {
    note(`the site had returned at ${iso(t.facts.returnedAt)}, before demarc stopped`);
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
      note(`the CE's ifLastChange places the recovery at ${iso(changeAt)}${at > changeAt ? `, within its clock's resolution of demarc's last poll (${iso(from)}), which saw it down` : ''}`);
      return { kind: 'close', at, blindUntil: null };
    }
  }
  note(`the site was back when demarc returned and nothing tells when it recovered: the outage is counted to ${iso(from)}, the rest is a monitoring gap`);
  return { kind: 'close', at: from, blindUntil: s.at };
}
