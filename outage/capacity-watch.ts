import type { SeriesPoint } from '../core/events.js';
import type { Site } from '../core/inventory.js';
import type { SiteCapacity } from '../core/site-state.js';
import type { OutageConfig } from './config-schema.js';
import { liveCapacity } from './live-capacity.js';

/** One-minute buckets: fine enough for a 20-minute plateau, served from raw samples by either store. */
export const LIVE_CAPACITY_STEP_SEC = 60;
/** A few sites at a time: an InfluxDB backend is asked neither 120 times in a row nor all at once. */
const PARALLEL = 4;

export type SeriesRange = (q: { siteId: string; from: number; to: number; stepSec: number }) => Promise<SeriesPoint[]>;

/**
 * Every site's live capacity finding at `now`, from its last `capacity.live.windowMinutes` of
 * stored traffic (run from the jobs table; the result goes to FleetState, so the tile shows what
 * the server decided). A site whose series cannot be read keeps no finding and is named in `failed`.
 */
export async function scanLiveCapacity(
  sites: readonly Site[],
  range: SeriesRange,
  cfg: OutageConfig['capacity'],
  now: number,
): Promise<{ findings: Map<string, SiteCapacity | null>; failed: { siteId: string; error: string }[] }> {
  const stepSec = LIVE_CAPACITY_STEP_SEC;
  const stepMs = stepSec * 1000;
  // Whole buckets only: the bucket still filling would read low and break a plateau.
  const to = Math.floor(now / stepMs) * stepMs;
  const from = to - cfg.live.windowMinutes * 60_000;
  const findings = new Map<string, SiteCapacity | null>();
  const failed: { siteId: string; error: string }[] = [];
  let next = 0;
  const worker = async () => {
    while (next < sites.length) {
      const site = sites[next++]!;
      try {
        const points = await range({ siteId: site.id, from, to, stepSec });
        const series = { in: points.map((p) => ({ at: p.at, bps: p.inBps })), out: points.map((p) => ({ at: p.at, bps: p.outBps })) };
        findings.set(site.id, liveCapacity(series, site.circuit.bandwidthMbps * 1e6, { from, to, stepSec }, cfg));
      } catch (e) {
        failed.push({ siteId: site.id, error: (e as Error).message });
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(PARALLEL, sites.length) }, worker));
  return { findings, failed };
}
