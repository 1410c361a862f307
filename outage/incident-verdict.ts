import type { Incident, MaintenanceWindow } from '../core/incident.js';
import type { Site } from '../core/inventory.js';
import { decide, type AttributionFacts, type Decision } from './attribution.js';
import { addEvidence, type TrackedIncident } from './incident-facts.js';
import { plannedWindowFor } from './maintenance-match.js';

/** The latest approved correction, which overrides the table until another is approved. */
export function approvedCorrection(incident: Incident): AttributionFacts['correction'] {
  const approved = incident.corrections.filter((c) => c.approvedBy !== null && c.approvedAt !== null);
  const last = approved[approved.length - 1];
  return last ? { responsibility: last.responsibility, approvedBy: last.approvedBy!, approvedAt: last.approvedAt!, reason: last.reason } : null;
}

/**
 * Re-decides one incident from its facts and writes the verdict into it; a change of verdict is
 * logged as evidence so the incident tells how its verdict evolved. Windows are looked up only
 * while the incident is open: a closed incident keeps the window it was decided with, so
 * deleting a window later does not rewrite history.
 */
export function applyVerdict(
  t: TrackedIncident,
  site: Pick<Site, 'id' | 'circuit'> | null,
  windows: readonly MaintenanceWindow[] | null,
  now: number,
): Decision {
  const { incident, facts } = t;
  if (incident.endedAt === null && site && windows && facts.gap === null) {
    const w = plannedWindowFor(site, incident.startedAt, windows);
    facts.plannedWindow = w ? { id: w.id, carrierNoticeRef: w.carrierNoticeRef, endsAt: w.endsAt } : null;
    if (w && !facts.evidence.some((e) => e.kind === 'maintenance-window' && (e.params?.windowId === w.id || (e.detail ?? '').includes(w.id)))) {
      addEvidence(facts, {
        at: w.startsAt,
        kind: 'maintenance-window',
        params: { windowId: w.id, noticeRef: w.carrierNoticeRef, startsAt: w.startsAt, endsAt: w.endsAt, registeredAt: w.registeredAt, registeredBy: w.registeredBy },
      });
    }
  }
  const d = decide({
    closed: incident.endedAt !== null,
    seen: facts.seen,
    evidence: facts.evidence,
    gap: facts.gap,
    correction: approvedCorrection(incident),
    plannedWindow: facts.plannedWindow,
    overrunOfWindow: facts.overrunOf,
    groupEventId: incident.groupEventId,
  });
  incident.maintenanceWindowId = d.rule === 'planned-maintenance' ? facts.plannedWindow?.id ?? null : null;
  if (d.responsibility !== incident.responsibility || d.verdict !== incident.verdict || d.rule !== incident.rule || !facts.evidence.some((e) => e.kind === 'verdict')) {
    incident.responsibility = d.responsibility;
    incident.verdict = d.verdict;
    incident.rule = d.rule;
    addEvidence(facts, { at: now, kind: 'verdict', params: { ...d.reasonParams, responsibility: d.responsibility, verdict: d.verdict, rule: d.rule } });
  }
  incident.evidence = facts.evidence;
  return d;
}
