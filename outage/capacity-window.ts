import type { Site } from '../core/inventory.js';
import type { CircuitSample } from '../core/sample.js';
import type { SiteCapacity } from '../core/site-state.js';
import type { CapacityPoint } from './capacity.js';
import type { OutageConfig } from './config-schema.js';
import { liveCapacity, liveFindingPossible, RECENT_STEPS, type DirectionPeaks } from './live-capacity.js';

/** One-minute buckets: fine enough for a 20-minute plateau, the same buckets a store range of step 60 gives. */
export const LIVE_CAPACITY_STEP_SEC = 60;
const STEP_MS = LIVE_CAPACITY_STEP_SEC * 1000;
/** Enough for one minute of samples at the shortest interval, and then some; a bucket stops counting there. */
const MAX_COUNT = 0xffff;

/** What the window keeps of a sample: a CircuitSample and a StoredSample both are one. */
export type WindowSample = Pick<CircuitSample, 'siteId' | 'at' | 'inBps' | 'outBps'>;

/**
 * The last `windowMinutes` of every site's traffic in one-minute buckets, in memory, for the
 * wall's live capacity finding. It used to be read back from the store, one range query per site
 * every minute: linear in the fleet and on the collector's thread (~0.3 s a minute at 1,000
 * sites, ~30 s at 100,000). The samples pass through the pipeline anyway, so the window keeps
 * sums and counts as they go by, the same means a store range with step 60 would return.
 *
 * Memory is typed arrays of (windowMinutes + 1) × sites: ~1.2 KB a site at the default 60
 * minutes (~120 MB at 100,000 sites, 0.15 MB at 120). The +1 is the minute still filling.
 *
 * Like the store, it holds one sample per (site, at): a sample not newer than the site's newest
 * (a duplicate, or a late one) is left out, so a replay never counts twice. The monthly report
 * reads the store, which does take late samples.
 */
export class LiveCapacityWindow {
  readonly #index = new Map<string, number>();
  readonly #sites: readonly Site[];
  readonly #slots: number;
  /** The minute (epoch ms / 60 000) each slot holds; NaN while it holds none. */
  readonly #slotMinute: Float64Array;
  // Slot-major ([slot × sites + site]): a new minute clears one contiguous stretch.
  readonly #inSum: Float64Array;
  readonly #outSum: Float64Array;
  readonly #inCount: Uint16Array;
  readonly #outCount: Uint16Array;
  readonly #newestAt: Float64Array;
  #headMinute = -Infinity;

  get windowMinutes(): number {
    return this.cfg.live.windowMinutes;
  }

  constructor(
    sites: readonly Site[],
    private readonly cfg: OutageConfig['capacity'],
  ) {
    this.#sites = sites;
    sites.forEach((s, i) => this.#index.set(s.id, i));
    this.#slots = cfg.live.windowMinutes + 1;
    const cells = this.#slots * sites.length;
    this.#slotMinute = new Float64Array(this.#slots).fill(Number.NaN);
    this.#inSum = new Float64Array(cells);
    this.#outSum = new Float64Array(cells);
    this.#inCount = new Uint16Array(cells);
    this.#outCount = new Uint16Array(cells);
    this.#newestAt = new Float64Array(sites.length).fill(-Infinity);
  }

  /** Samples of any sites, each site's in time order (a cycle, a remote batch, a page of the store). */
  add(samples: readonly WindowSample[]): void {
    for (const s of samples) {
      const i = this.#index.get(s.siteId);
      if (i === undefined || !Number.isFinite(s.at) || !(s.at > this.#newestAt[i]!)) continue;
      // The store refuses such a sample whole (SampleRejectedError): so does the window.
      if (!finiteOrNull(s.inBps) || !finiteOrNull(s.outBps)) continue;
      this.#newestAt[i] = s.at;
      // Epoch minutes: the store aligns buckets to Shanghai midnight (UTC−8 h), a whole number of minutes, so the same buckets.
      const minute = Math.floor(s.at / STEP_MS);
      if (minute <= this.#headMinute - this.#slots) continue; // older than anything the window keeps
      if (minute > this.#headMinute) this.#advance(minute);
      const cell = mod(minute, this.#slots) * this.#sites.length + i;
      if (s.inBps !== null && this.#inCount[cell]! < MAX_COUNT) {
        this.#inSum[cell]! += s.inBps;
        this.#inCount[cell]!++;
      }
      if (s.outBps !== null && this.#outCount[cell]! < MAX_COUNT) {
        this.#outSum[cell]! += s.outBps;
        this.#outCount[cell]!++;
      }
    }
  }

  /** One site's buckets in [from, to) as a store range with step 60 gives them: empty buckets left out. */
  series(siteId: string, from: number, to: number): { in: CapacityPoint[]; out: CapacityPoint[] } {
    const i = this.#index.get(siteId);
    const series = { in: [] as CapacityPoint[], out: [] as CapacityPoint[] };
    if (i === undefined) return series;
    const n = this.#sites.length;
    for (let m = Math.ceil(from / STEP_MS); m * STEP_MS < to; m++) {
      const slot = mod(m, this.#slots);
      if (this.#slotMinute[slot] !== m) continue;
      const cell = slot * n + i;
      const inCount = this.#inCount[cell]!;
      const outCount = this.#outCount[cell]!;
      if (inCount > 0) series.in.push({ at: m * STEP_MS, bps: this.#inSum[cell]! / inCount });
      if (outCount > 0) series.out.push({ at: m * STEP_MS, bps: this.#outSum[cell]! / outCount });
    }
    return series;
  }

  /**
   * Every site's live capacity finding at `now` (run from the jobs table; the result goes to
   * FleetState, so the tile shows what the server decided). Whole buckets only: the minute still
   * filling would read low and break a plateau.
   */
  scan(now: number): Map<string, SiteCapacity | null> {
    const cfg = this.cfg;
    const to = Math.floor(now / STEP_MS) * STEP_MS;
    const from = to - this.windowMinutes * STEP_MS;
    const findings = new Map<string, SiteCapacity | null>();
    this.#sites.forEach((site, i) => {
      const nominalBps = site.circuit.bandwidthMbps * 1e6;
      // Most sites cannot have a finding going on: two peaks say so without building the series.
      const possible = liveFindingPossible(this.#peaks(i, from, to), nominalBps, cfg);
      findings.set(site.id, possible ? liveCapacity(this.series(site.id, from, to), nominalBps, { from, to, stepSec: LIVE_CAPACITY_STEP_SEC }, cfg) : null);
    });
    return findings;
  }

  /** Site i's highest one-minute mean in [from, to) and in its last RECENT_STEPS minutes, in and out. */
  #peaks(i: number, from: number, to: number): [DirectionPeaks, DirectionPeaks] {
    const n = this.#sites.length;
    const inP = { max: -Infinity, recentMax: -Infinity };
    const outP = { max: -Infinity, recentMax: -Infinity };
    const recentFrom = to / STEP_MS - RECENT_STEPS;
    for (let m = Math.ceil(from / STEP_MS); m * STEP_MS < to; m++) {
      const slot = mod(m, this.#slots);
      if (this.#slotMinute[slot] !== m) continue;
      const cell = slot * n + i;
      const recent = m >= recentFrom;
      note(inP, this.#inSum[cell]!, this.#inCount[cell]!, recent);
      note(outP, this.#outSum[cell]!, this.#outCount[cell]!, recent);
    }
    return [inP, outP];
  }

  /** Moves the head to `minute`, emptying the slots of the minutes it passes. */
  #advance(minute: number): void {
    const n = this.#sites.length;
    for (let m = Math.max(this.#headMinute + 1, minute - this.#slots + 1); m <= minute; m++) {
      const slot = mod(m, this.#slots);
      this.#slotMinute[slot] = m;
      const start = slot * n;
      this.#inSum.fill(0, start, start + n);
      this.#outSum.fill(0, start, start + n);
      this.#inCount.fill(0, start, start + n);
      this.#outCount.fill(0, start, start + n);
    }
    this.#headMinute = minute;
  }
}

/** One bucket's mean into a direction's peaks (written out, not a loop over pairs: it runs sites × 60 times a minute). */
function note(p: DirectionPeaks, sum: number, count: number, recent: boolean): void {
  if (count === 0) return;
  const v = sum / count;
  if (v > p.max) p.max = v;
  if (recent && v > p.recentMax) p.recentMax = v;
}

const finiteOrNull = (v: number | null): boolean => v === null || Number.isFinite(v);
const mod = (a: number, n: number): number => ((a % n) + n) % n;

/**
 * Fills a new window from the store's raw samples of its span, one minute a query (a page of
 * one sample a site: 100,000 rows at 100,000 sites, never the whole hour at once), so that a
 * restart does not lose a finding that has lasted for an hour. Run before the first poll:
 * samples the pipeline adds after it are newer.
 */
export async function seedCapacityWindow(
  window: LiveCapacityWindow,
  readRaw: (q: { from: number; to: number }) => Promise<readonly WindowSample[]>,
  now: number,
): Promise<{ samples: number }> {
  let samples = 0;
  const end = (Math.floor(now / STEP_MS) + 1) * STEP_MS;
  for (let from = end - (window.windowMinutes + 1) * STEP_MS; from < end; from += STEP_MS) {
    const rows = await readRaw({ from, to: from + STEP_MS });
    window.add(rows);
    samples += rows.length;
  }
  return { samples };
}
