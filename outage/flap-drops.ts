import { addEvidence, type IncidentFacts } from './incident-facts.js';

/** One drop of the circuit shorter than the confirmation threshold. */
export interface Drop {
  start: number;
  end: number;
  /** Earliest the drop can have begun (the last good poll before it): one drop seen by both polls and traps is one flap. */
  seenFrom: number;
  /** Failed polls that saw it; null when only linkDown/linkUp traps did. */
  polls: number | null;
}

export function noteFlap(f: IncidentFacts, d: Drop): void {
  addEvidence(f, { at: d.start, kind: 'flap', params: { durationSec: Math.max(0, Math.round((d.end - d.start) / 1000)), polls: d.polls } });
  f.lastDropEndAt = Math.max(f.lastDropEndAt ?? 0, d.end);
  f.lastSeenAt = Math.max(f.lastSeenAt, d.end);
}
