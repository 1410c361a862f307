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

/**
 * Whether two sightings are one drop. A drop lies strictly inside (seenFrom, end): the polls at
 * either bound saw the circuit up, so a good poll that ends one drop and starts the next belongs
 * to neither, and drops that only touch there are two. Two drops the polls saw are always two
 * (a good poll lies between them); only a trap-seen drop can be the same as another sighting.
 */
export function sameDrop(a: Drop, b: Drop): boolean {
  if (a.polls !== null && b.polls !== null) return false;
  return a.seenFrom < b.end && b.seenFrom < a.end;
}
