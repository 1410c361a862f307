import type { IncidentDto, SiteStateDto } from '../../../core/events.js';
import type { Responsibility } from '../../../core/incident.js';
import type { TileState } from '../../../core/site-state.js';

/** Tile states that are an outage of the circuit (a duration is shown). */
const OUTAGE_TILES: ReadonlySet<TileState> = new Set<TileState>(['line-outage', 'device-outage', 'planned', 'external-outage', 'undetermined']);
export const isOutageTile = (t: TileState): boolean => OUTAGE_TILES.has(t);

/** The server's tile state; a site the page has no state for yet has no data. */
/** From this round trip on, the wall's tile and the site page show the latency as a finding (the 900 ms demo fault, a congested path). */
export const SLOW_RTT_MS = 200;

export const tileOf = (s: SiteStateDto | null | undefined): TileState => s?.tile ?? 'no-data';

/** The header's figures: outages by responsibility from the open incidents, the rest from the tiles. */
export const HEADER_KEYS = ['up', 'line', 'device', 'planned', 'external', 'monitoring', 'undetermined', 'stale', 'no-data'] as const;
export type HeaderKey = (typeof HEADER_KEYS)[number];
export type HeaderCounts = Record<HeaderKey, number>;

export function headerCounts(states: readonly (SiteStateDto | null)[], incidents: readonly IncidentDto[]): HeaderCounts {
  const c: HeaderCounts = { up: 0, line: 0, device: 0, planned: 0, external: 0, monitoring: 0, undetermined: 0, stale: 0, 'no-data': 0 };
  for (const s of states) {
    const t = tileOf(s);
    if (t === 'up' || t === 'stale' || t === 'no-data') c[t]++;
  }
  for (const i of incidents) {
    if (i.endedAt !== null || i.siteId === null) continue;
    const r: Responsibility = i.kind === 'monitoring-gap' ? 'monitoring' : i.responsibility;
    c[r]++;
  }
  return c;
}

/** Utilization in percent of the nominal rate; the collector's figure when it sent one. */
export function utilizationPct(bps: number | null, utilPct: number | null, bandwidthMbps: number): number | null {
  if (utilPct !== null && Number.isFinite(utilPct)) return utilPct;
  if (bps === null || !Number.isFinite(bps) || bandwidthMbps <= 0) return null;
  return (bps / (bandwidthMbps * 1e6)) * 100;
}

/** Mbit/s for the `data-*-mbps` hooks: fixed precision so a test can compare, '' for a gap. */
export function mbpsAttr(bps: number | null): string {
  return bps === null || !Number.isFinite(bps) ? '' : (bps / 1e6).toFixed(3);
}

/** Mbit/s as people read it on the wall: one decimal under 100, none above. */
export function formatMbps(bps: number | null): string {
  if (bps === null || !Number.isFinite(bps)) return '—';
  const m = bps / 1e6;
  return m >= 100 ? m.toFixed(0) : m.toFixed(1);
}
