import type { SiteStateDto } from '../../../core/events.js';

/** What a wall tile shows; also the `data-state` test hook. */
export type TileState = 'up' | 'down' | 'degraded' | 'unknown';

export const TILE_STATES: readonly TileState[] = ['up', 'down', 'degraded', 'unknown'];

/**
 * Why a site is not plainly up, so the tile can say it in one word. Each one points at a
 * different side of the responsibility boundary, which is what the NOC looks at first.
 */
export type StateReason = 'no-data' | 'ce-silent' | 'ce-unreachable' | 'wan-down' | 'headend-down' | 'wan-unknown' | null;

const isUp = (oper: string | null) => oper === 'up';
const isKnownNotUp = (oper: string | null) => oper !== null && oper !== 'up';

/**
 * The wall's reading of one poll. The CE is polled in-band (over the circuit itself), so a
 * silent CE means the circuit is down, unless the head end still sees the circuit up: then
 * only the CE's management plane is silent and traffic may well be flowing (degraded).
 */
export function classifySiteState(s: SiteStateDto | null): { state: TileState; reason: StateReason } {
  if (!s || s.at === null) return { state: 'unknown', reason: 'no-data' };
  if (s.ceReachable !== true) {
    if (isUp(s.headendOper)) return { state: 'degraded', reason: 'ce-silent' };
    if (s.ceReachable === false || isKnownNotUp(s.headendOper)) return { state: 'down', reason: 'ce-unreachable' };
    return { state: 'unknown', reason: 'no-data' };
  }
  if (isKnownNotUp(s.wanOper)) return { state: 'down', reason: 'wan-down' };
  if (isKnownNotUp(s.headendOper)) return { state: 'degraded', reason: 'headend-down' };
  if (s.wanOper === null) return { state: 'degraded', reason: 'wan-unknown' };
  return { state: 'up', reason: null };
}

export type FleetCounts = Record<TileState, number>;

export function countFleet(states: readonly (SiteStateDto | null)[]): FleetCounts {
  const counts: FleetCounts = { up: 0, down: 0, degraded: 0, unknown: 0 };
  for (const s of states) counts[classifySiteState(s).state]++;
  return counts;
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
