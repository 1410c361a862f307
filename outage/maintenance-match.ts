import type { MaintenanceWindow } from '../core/incident.js';
import type { Site } from '../core/inventory.js';

export function windowCoversSite(w: MaintenanceWindow, site: Pick<Site, 'id' | 'circuit'>): boolean {
  return w.scope.kind === 'site' ? w.scope.siteId === site.id : w.scope.carrierGroup === site.circuit.carrierGroup;
}

/**
 * The window that makes an outage starting at `startedAt` planned: it covers the site or its
 * carrier_group, it had begun, and it was registered before the outage began (clauses 7.6 and
 * 7.7 ask for notice in advance; a window entered afterwards cannot excuse what already happened).
 */
export function plannedWindowFor(
  site: Pick<Site, 'id' | 'circuit'>,
  startedAt: number,
  windows: readonly MaintenanceWindow[],
): MaintenanceWindow | null {
  const fitting = windows.filter(
    (w) => windowCoversSite(w, site) && w.registeredAt <= startedAt && w.startsAt <= startedAt && startedAt < w.endsAt,
  );
  // With overlapping notices, the one lasting longest is the carrier's latest word on the work.
  fitting.sort((a, b) => b.endsAt - a.endsAt);
  return fitting[0] ?? null;
}
