import type { Incident } from './incident.js';

/**
 * What a site's tile says, decided once on the server (see outage/tile-state.ts) and carried to
 * the wall in the site DTO and the `cycle` event. New states are added here and in core/terms.ts.
 */
export const TILE_STATES = [
  'up',
  'line-outage',
  'device-outage',
  'planned',
  'external-outage',
  'monitoring-gap',
  /** A configured interface name that does not resolve on its device: polling is blind there, not an outage. */
  'config-gap',
  'undetermined',
  'stale',
  'no-data',
] as const;
export type TileState = (typeof TILE_STATES)[number];

const BY_RESPONSIBILITY: Readonly<Record<Incident['responsibility'], TileState>> = {
  line: 'line-outage',
  device: 'device-outage',
  planned: 'planned',
  external: 'external-outage',
  monitoring: 'monitoring-gap',
  undetermined: 'undetermined',
};

/** The tile state an incident stands for while it lasts (the tile of an open one, the site page's strip of past ones). */
export const incidentTileState = (i: Pick<Incident, 'kind' | 'responsibility'>): TileState =>
  i.kind === 'monitoring-gap' ? 'monitoring-gap' : BY_RESPONSIBILITY[i.responsibility];

/**
 * A capacity finding the wall shows beside the tile state (outage/live-capacity.ts): traffic on a
 * flat ceiling well below nominal (a policer at the wrong rate), or sustained near nominal. Not
 * an outage: clause 1.8 promises no rate. `since` is epoch ms inside, ISO-8601 on the wire.
 */
export type SiteCapacity =
  | { kind: 'policer-ceiling'; direction: 'in' | 'out'; since: number; ceilingMbps: number; pctOfNominal: number }
  | { kind: 'saturated'; direction: 'in' | 'out'; since: number; meanPct: number };
