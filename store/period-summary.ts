import type { Completeness, PeriodQuery, UsageSummary } from './metric-store.js';
import { LEVEL_MS, meanOf, percentile } from './resolution.js';

/**
 * Period queries (usage, time above, completeness) read the 5-minute rollup: buckets whose
 * start lies in [from, to). Month boundaries in Asia/Shanghai fall on 16:00 UTC, a bucket
 * boundary, so a calendar month is exactly its buckets. Buckets the rollup job has not reached
 * are not counted: reports ask for closed periods, and the job runs every minute.
 *
 * The answer has one row per site: the sites asked for, or else every site of the inventory,
 * sorted by site id, with nulls / zeros where a site has no data.
 */
export function periodSites(q: PeriodQuery, inventorySiteIds: readonly string[]): string[] {
  return [...new Set(q.siteIds ?? inventorySiteIds)].sort(compareSiteIds);
}

export const compareSiteIds = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

export function assertPeriod(q: PeriodQuery, what: string): void {
  if (!Number.isFinite(q.from) || !Number.isFinite(q.to) || !(q.to > q.from))
    throw new Error(`${what}: period to (${q.to}) must be after from (${q.from})`);
}

/** 5-minute means collected as whole days (typed arrays) and single buckets, joined once for the percentile. */
class MeanList {
  readonly #chunks: Float64Array[] = [];
  readonly #single: number[] = [];
  push(v: number): void {
    this.#single.push(v);
  }
  pushAll(values: Float64Array): void {
    if (values.length) this.#chunks.push(values);
  }
  values(): Float64Array {
    const out = new Float64Array(this.#chunks.reduce((n, c) => n + c.length, this.#single.length));
    let at = 0;
    for (const c of this.#chunks) {
      out.set(c, at);
      at += c.length;
    }
    out.set(this.#single, at);
    return out;
  }
}

/** Running totals of one site's 5-minute buckets for usage(). */
export class UsageAccumulator {
  inSum = 0;
  inCount = 0;
  inPeak: number | null = null;
  outSum = 0;
  outCount = 0;
  outPeak: number | null = null;
  readonly inMeans = new MeanList();
  readonly outMeans = new MeanList();

  add(b: { inCount: number; inSum: number | null; inMax: number | null; outCount: number; outSum: number | null; outMax: number | null }): void {
    if (b.inCount > 0 && b.inSum !== null) {
      this.inSum += b.inSum;
      this.inCount += b.inCount;
      this.inMeans.push(b.inSum / b.inCount);
      if (b.inMax !== null) this.inPeak = this.inPeak === null ? b.inMax : Math.max(this.inPeak, b.inMax);
    }
    if (b.outCount > 0 && b.outSum !== null) {
      this.outSum += b.outSum;
      this.outCount += b.outCount;
      this.outMeans.push(b.outSum / b.outCount);
      if (b.outMax !== null) this.outPeak = this.outPeak === null ? b.outMax : Math.max(this.outPeak, b.outMax);
    }
  }

  /** A whole day from rollup_1d: its totals, and its 5-minute means for the percentile. */
  addDay(
    d: { inCount: number; inSum: number | null; inMax: number | null; outCount: number; outSum: number | null; outMax: number | null },
    inMeans: Float64Array,
    outMeans: Float64Array,
  ): void {
    if (d.inCount > 0 && d.inSum !== null) {
      this.inSum += d.inSum;
      this.inCount += d.inCount;
      if (d.inMax !== null) this.inPeak = this.inPeak === null ? d.inMax : Math.max(this.inPeak, d.inMax);
    }
    if (d.outCount > 0 && d.outSum !== null) {
      this.outSum += d.outSum;
      this.outCount += d.outCount;
      if (d.outMax !== null) this.outPeak = this.outPeak === null ? d.outMax : Math.max(this.outPeak, d.outMax);
    }
    this.inMeans.pushAll(inMeans);
    this.outMeans.pushAll(outMeans);
  }

  /**
   * avg: mean of every sample in the period (not the mean of bucket means); peak: the highest
   * single sample; p95: percentile() of the 5-minute means (the billing convention).
   */
  summary(siteId: string): UsageSummary {
    return {
      siteId,
      inAvgBps: meanOf(this.inSum, this.inCount),
      outAvgBps: meanOf(this.outSum, this.outCount),
      inPeakBps: this.inPeak,
      outPeakBps: this.outPeak,
      inP95Bps: percentile(this.inMeans.values(), 95),
      outP95Bps: percentile(this.outMeans.values(), 95),
    };
  }
}

export const emptyUsage = (siteId: string): UsageSummary => new UsageAccumulator().summary(siteId);

/** Samples expected in [from, to) at one per interval. */
export function expectedSamples(from: number, to: number, intervalSec: number): number {
  if (!(intervalSec > 0)) throw new Error(`completeness: intervalSec must be positive, got ${intervalSec}`);
  return Math.floor((to - from) / (intervalSec * 1000));
}

export const completenessRow = (siteId: string, expected: number, samples = 0, gaps = 0): Completeness => ({ siteId, expected, samples, gaps });

/** A 5-minute bucket counts in full (300 s) when its mean utilization in either direction is above the threshold. */
export const BUCKET_SECONDS = LEVEL_MS['5m'] / 1000;
