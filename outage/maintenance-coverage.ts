import type { Incident, MaintenanceWindow } from '../core/incident.js';
import type { Site } from '../core/inventory.js';
import { windowCoversSite } from './maintenance-match.js';

/**
 * Why an outage in a window's scope and time is not excused by it, in the terms of clauses
 * 7.6/7.7 and the decision table: the notice came after the outage began, the outage began
 * before the announced work, or the verdict is another one (a correction, an earlier rule).
 */
export const UNCOVERED_REASONS = ['registered-after-start', 'began-before-window', 'other-verdict'] as const;
export type UncoveredReason = (typeof UNCOVERED_REASONS)[number];

export interface WindowCoverage {
  windowId: string;
  /** Incidents the window made planned (their maintenanceWindowId is this window). */
  covered: string[];
  /** Incidents of the window's sites overlapping its time that it does not excuse, with why. */
  overlapping: { incidentId: string; reason: UncoveredReason }[];
}

type SiteLookup = (siteId: string) => Pick<Site, 'id' | 'circuit'> | undefined;

/**
 * Which incidents one window covers. The outage stage already decided "covered" when it
 * attributed the incident (maintenanceWindowId); this only reads that decision back and
 * explains the near misses an operator asks about ("the carrier announced it, why is it red?").
 */
export function windowCoverage(w: MaintenanceWindow, incidents: readonly Incident[], site: SiteLookup): WindowCoverage {
  const covered: string[] = [];
  const overlapping: WindowCoverage['overlapping'] = [];
  for (const i of incidents) {
    if (i.maintenanceWindowId === w.id) {
      covered.push(i.id);
      continue;
    }
    if (i.kind !== 'outage' || i.siteId === null) continue;
    const s = site(i.siteId);
    if (!s || !windowCoversSite(w, s)) continue;
    const end = i.endedAt ?? Number.POSITIVE_INFINITY;
    if (!(i.startedAt < w.endsAt && end > w.startsAt)) continue;
    overlapping.push({ incidentId: i.id, reason: uncoveredReason(w, i) });
  }
  return { windowId: w.id, covered, overlapping };
}

function uncoveredReason(w: MaintenanceWindow, i: Incident): UncoveredReason {
  if (i.startedAt < w.startsAt) return 'began-before-window';
  if (w.registeredAt > i.startedAt) return 'registered-after-start';
  return 'other-verdict';
}

/** The incidents to look at for a set of windows: those overlapping [earliest start, latest end). */
export function coverageSpan(windows: readonly MaintenanceWindow[]): { from: number; to: number } | null {
  if (!windows.length) return null;
  return { from: Math.min(...windows.map((w) => w.startsAt)), to: Math.max(...windows.map((w) => w.endsAt)) };
}
