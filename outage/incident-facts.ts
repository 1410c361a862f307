import type { Evidence, Incident } from '../core/incident.js';
import type { TermParams } from '../core/terms.js';
import type { GapCause } from './attribution.js';
import type { Signal, SeenSignals } from './signals.js';
import type { UptimeReading } from './uptime-continuity.js';

/** Where the site's state machine stood, kept with the incident so a restart can resume it. */
export type SitePhase = 'up' | 'suspect' | 'down' | 'recovering';

/**
 * What the tracker knows about one incident beyond the Incident itself: the signals seen, the
 * readings the uptime comparison needs, and the state-machine position. Plain JSON, stored
 * beside the incident in SQLite.
 */
export interface IncidentFacts {
  seen: SeenSignals;
  /** The observation log; it is the incident's evidence. */
  evidence: Evidence[];
  gap: GapCause | null;
  /** Opened for repeated short drops rather than one confirmed outage. */
  flapping: boolean;
  /** Last good CE reading before the outage, to judge uptime continuity against. */
  before: UptimeReading | null;
  phase: SitePhase;
  /** First good poll after the latest drop (the recovery instant once confirmed). */
  returnedAt: number | null;
  lastDropEndAt: number | null;
  /** The last instant demarc saw this incident still in progress. */
  lastSeenAt: number;
  plannedWindow: { id: string; carrierNoticeRef: string; endsAt: number } | null;
  overrunOf: { id: string; endedAt: number } | null;
}

/** One incident as the tracker holds it and the repository stores it. */
export interface TrackedIncident {
  incident: Incident;
  facts: IncidentFacts;
}

export function emptyFacts(at: number, before: UptimeReading | null): IncidentFacts {
  return {
    seen: {},
    evidence: [],
    gap: null,
    flapping: false,
    before,
    phase: 'suspect',
    returnedAt: null,
    lastDropEndAt: null,
    lastSeenAt: at,
    plannedWindow: null,
    overrunOf: null,
  };
}

/** Evidence beyond this many entries is counted, not kept, so a week of flapping stays small. */
export const EVIDENCE_CAP = 300;

export function addEvidence(f: IncidentFacts, e: Evidence): void {
  if (f.evidence.length >= EVIDENCE_CAP && e.kind !== 'verdict') return;
  f.evidence.push(e);
}

/** Records a signal the first time it is seen; later sightings add nothing. */
export function noteSignal(f: IncidentFacts, kind: Signal, at: number, params: TermParams = {}): void {
  if (f.seen[kind] !== undefined) return;
  f.seen[kind] = at;
  addEvidence(f, { at, kind, params });
}

/** Folds what a short drop collected into a longer-lived incident. */
export function mergeFacts(into: IncidentFacts, from: IncidentFacts): void {
  for (const [kind, at] of Object.entries(from.seen) as [Signal, number][]) {
    if (into.seen[kind] === undefined) into.seen[kind] = at;
  }
  const have = new Set(into.evidence.map((e) => `${e.kind}@${e.at}`));
  for (const e of from.evidence) if (!have.has(`${e.kind}@${e.at}`)) addEvidence(into, e);
  into.evidence.sort((a, b) => a.at - b.at);
}

export function newIncident(id: string, siteId: string | null, circuitId: string | null, kind: Incident['kind'], startedAt: number): Incident {
  return {
    id,
    siteId,
    circuitId,
    kind,
    startedAt,
    endedAt: null,
    responsibility: 'undetermined',
    verdict: 'provisional',
    rule: 'awaiting-recovery',
    evidence: [],
    flaps: 0,
    groupEventId: null,
    maintenanceWindowId: null,
    carrierReportedAt: null,
    carrierRespondedAt: null,
    corrections: [],
  };
}

export const iso = (t: number) => new Date(t).toISOString();
