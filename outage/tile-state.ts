import type { Incident } from '../core/incident.js';
import { incidentTileState, type TileState } from '../core/site-state.js';
import { classifySample, type SampleReading } from './sample-signals.js';

/** The open incident a tile looks at: the site's own, or a fleet-wide one (NOC isolation). */
export type TileIncident = Pick<Incident, 'id' | 'kind' | 'responsibility' | 'startedAt'>;

export interface TileInputs {
  now: number;
  intervalSec: number;
  /** The outage stage's hang threshold (outage.hang.minBps), so both read a poll alike. */
  hangMinBps: number;
  latest: (SampleReading & { configGaps?: readonly unknown[] | undefined }) | null;
  /** When demarc last received a reading of this site (not when it was requested: a slow cycle is not stale). */
  refreshedAt: number | null;
  incident: TileIncident | null;
}

export interface TileDecision {
  state: TileState;
  /** The incident that decided it, if one did. */
  incidentId: string | null;
  /** Since when the state holds, where known (the incident's start). */
  since: number | null;
}

/** A reading not refreshed for this many intervals no longer tells the site's present. */
export const STALE_INTERVALS = 2;

/**
 * What a site's tile says, decided once on the server. An open incident is the engine's
 * verdict and wins; without one, the latest poll read by the state machine's own rule: a
 * working circuit is up, a hung management plane a monitoring gap, a silent circuit not yet
 * confirmed as an outage is undetermined; a device that answers but lacks a configured port is
 * a configuration gap. A reading not refreshed for two intervals is stale.
 */
export function decideTileState(i: TileInputs): TileDecision {
  const none = (state: TileState): TileDecision => ({ state, incidentId: null, since: null });
  if (i.latest && i.refreshedAt !== null && i.now - i.refreshedAt > STALE_INTERVALS * i.intervalSec * 1000) return none('stale');
  if (i.incident) {
    return { state: incidentTileState(i.incident), incidentId: i.incident.id, since: i.incident.startedAt };
  }
  if (!i.latest) return none('no-data');
  const cls = classifySample(i.latest, i.hangMinBps);
  // Not downtime: the device answers, demarc just cannot find the configured port on it.
  if (cls === 'answered' && i.latest.configGaps?.length) return none('config-gap');
  return none(cls === 'answered' ? 'up' : cls === 'hang' ? 'monitoring-gap' : 'undetermined');
}

/** Of several open incidents of a site, the one its tile shows: an outage before a gap, then the latest. */
export function tileIncident(open: readonly TileIncident[]): TileIncident | null {
  let best: TileIncident | null = null;
  for (const o of open) {
    if (!best) best = o;
    else if (o.kind === 'outage' && best.kind !== 'outage') best = o;
    else if (o.kind === best.kind && o.startedAt > best.startedAt) best = o;
  }
  return best;
}
