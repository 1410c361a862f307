import type { Completeness, LatestSample, SeriesPoint, UsageSummary } from '../../store/metric-store.js';
import { isGap, statusName, type StoredSample } from '../../store/stored-sample.js';
import { LEVEL_MS, bucketCeil, bucketStart, percentile } from '../../store/resolution.js';

/**
 * Brute-force answers straight from the samples, written from the definitions in
 * store/metric-store.ts without any of the stores' machinery: the contract compares both
 * backends with these.
 */

const FIVE = LEVEL_MS['5m'];
const mean = (xs: number[]): number | null => (xs.length ? xs.reduce((a, b) => a + b, 0) / xs.length : null);
const max = (xs: number[]): number | null => (xs.length ? Math.max(...xs) : null);
const present = (xs: (number | null)[]): number[] => xs.filter((x): x is number => x !== null);

export class Reference {
  readonly #bySite = new Map<string, StoredSample[]>();

  constructor(samples: Iterable<StoredSample>) {
    for (const s of samples) {
      const list = this.#bySite.get(s.siteId) ?? [];
      list.push(s);
      this.#bySite.set(s.siteId, list);
    }
    for (const list of this.#bySite.values()) list.sort((a, b) => a.at - b.at);
  }

  site(siteId: string): StoredSample[] {
    return this.#bySite.get(siteId) ?? [];
  }

  latest(since: number): LatestSample[] {
    return [...this.#bySite.keys()]
      .sort()
      .map((id) => this.site(id).at(-1)!)
      .filter((s) => s.at >= since)
      .map((s) => ({
        siteId: s.siteId, at: s.at, ceReachable: s.ceReachable, wanOper: statusName(s.wanOper), headendOper: statusName(s.headendOper),
        inBps: s.inBps, outBps: s.outBps, inUtilPct: s.inUtilPct, outUtilPct: s.outUtilPct, rttMs: s.rttMs,
      }));
  }

  range(siteId: string, from: number, to: number, stepMs: number | null): SeriesPoint[] {
    if (stepMs === null)
      return this.site(siteId)
        .filter((s) => s.at >= from && s.at < to)
        .map((s) => this.#point(s.at, [s]));
    const a = bucketStart(from, stepMs);
    const b = bucketCeil(to, stepMs);
    const buckets = new Map<number, StoredSample[]>();
    for (const s of this.site(siteId)) {
      if (s.at < a || s.at >= b) continue;
      const k = bucketStart(s.at, stepMs);
      const list = buckets.get(k);
      if (list) list.push(s);
      else buckets.set(k, [s]);
    }
    return [...buckets.entries()].sort((x, y) => x[0] - y[0]).map(([at, list]) => this.#point(at, list));
  }

  #point(at: number, list: StoredSample[]): SeriesPoint {
    const ins = present(list.map((s) => s.inBps));
    const outs = present(list.map((s) => s.outBps));
    return {
      at,
      inBps: mean(ins),
      outBps: mean(outs),
      inMaxBps: max(ins),
      outMaxBps: max(outs),
      inUtilPct: mean(present(list.map((s) => s.inUtilPct))),
      outUtilPct: mean(present(list.map((s) => s.outUtilPct))),
      reachableRatio: list.filter((s) => s.ceReachable).length / list.length,
      samples: list.length,
    };
  }

  /** The 5-minute buckets whose start lies in [from, to). */
  #fiveMinute(siteId: string, from: number, to: number): StoredSample[][] {
    const buckets = new Map<number, StoredSample[]>();
    for (const s of this.site(siteId)) {
      const k = bucketStart(s.at, FIVE);
      if (k < from || k >= to) continue;
      const list = buckets.get(k);
      if (list) list.push(s);
      else buckets.set(k, [s]);
    }
    return [...buckets.values()];
  }

  usage(siteIds: string[], from: number, to: number): UsageSummary[] {
    return siteIds.map((siteId) => {
      const buckets = this.#fiveMinute(siteId, from, to);
      const all = buckets.flat();
      const ins = present(all.map((s) => s.inBps));
      const outs = present(all.map((s) => s.outBps));
      const inMeans = present(buckets.map((b) => mean(present(b.map((s) => s.inBps)))));
      const outMeans = present(buckets.map((b) => mean(present(b.map((s) => s.outBps)))));
      return {
        siteId,
        inAvgBps: mean(ins),
        outAvgBps: mean(outs),
        inPeakBps: max(ins),
        outPeakBps: max(outs),
        inP95Bps: percentile(inMeans, 95),
        outP95Bps: percentile(outMeans, 95),
      };
    });
  }

  timeAbove(siteIds: string[], from: number, to: number, pct: number): { siteId: string; seconds: number }[] {
    return siteIds.map((siteId) => {
      const above = this.#fiveMinute(siteId, from, to).filter((b) => {
        const i = mean(present(b.map((s) => s.inUtilPct)));
        const o = mean(present(b.map((s) => s.outUtilPct)));
        return (i !== null && i > pct) || (o !== null && o > pct);
      });
      return { siteId, seconds: above.length * 300 };
    });
  }

  completeness(siteIds: string[], from: number, to: number, intervalSec: number): Completeness[] {
    return siteIds.map((siteId) => {
      const all = this.#fiveMinute(siteId, from, to).flat();
      return { siteId, expected: Math.floor((to - from) / (intervalSec * 1000)), samples: all.length, gaps: all.filter(isGap).length };
    });
  }
}

/** Relative tolerance for floating-point results: sums are added in a different order by each backend. */
export const REL_TOLERANCE = 1e-9;

/** Deep comparison that allows REL_TOLERANCE on numbers; returns the first difference as text, or null. */
export function difference(actual: unknown, expected: unknown, path = '$'): string | null {
  if (typeof expected === 'number' && typeof actual === 'number') {
    const tol = REL_TOLERANCE * Math.max(1, Math.abs(expected));
    return Math.abs(actual - expected) <= tol ? null : `${path}: ${actual} != ${expected}`;
  }
  if (Array.isArray(expected)) {
    if (!Array.isArray(actual)) return `${path}: not an array`;
    if (actual.length !== expected.length) return `${path}: length ${actual.length} != ${expected.length}`;
    for (let i = 0; i < expected.length; i++) {
      const d = difference(actual[i], expected[i], `${path}[${i}]`);
      if (d) return d;
    }
    return null;
  }
  if (expected && typeof expected === 'object') {
    if (!actual || typeof actual !== 'object') return `${path}: not an object`;
    const keys = new Set([...Object.keys(expected), ...Object.keys(actual)]);
    for (const k of keys) {
      const d = difference((actual as Record<string, unknown>)[k], (expected as Record<string, unknown>)[k], `${path}.${k}`);
      if (d) return d;
    }
    return null;
  }
  return Object.is(actual, expected) ? null : `${path}: ${JSON.stringify(actual)} != ${JSON.stringify(expected)}`;
}
