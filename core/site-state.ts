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
