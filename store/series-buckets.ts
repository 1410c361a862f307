import type { SeriesPoint } from './metric-store.js';
import { bucketStart, meanOf } from './resolution.js';

/**
 * One stored bucket (a rollup row, or raw samples grouped on the fly) as sums and counts,
 * so buckets of any width merge exactly into the wider buckets a range query asks for.
 */
export interface BucketPartial {
  bucket: number;
  samples: number;
  reachable: number;
  inCount: number;
  inSum: number | null;
  inMax: number | null;
  outCount: number;
  outSum: number | null;
  outMax: number | null;
  inUtilCount: number;
  inUtilSum: number | null;
  outUtilCount: number;
  outUtilSum: number | null;
}

const addNullable = (a: number | null, b: number | null): number | null => (a === null ? b : b === null ? a : a + b);
const maxNullable = (a: number | null, b: number | null): number | null => (a === null ? b : b === null ? a : Math.max(a, b));

function merge(a: BucketPartial, b: BucketPartial): BucketPartial {
  return {
    bucket: a.bucket,
    samples: a.samples + b.samples,
    reachable: a.reachable + b.reachable,
    inCount: a.inCount + b.inCount,
    inSum: addNullable(a.inSum, b.inSum),
    inMax: maxNullable(a.inMax, b.inMax),
    outCount: a.outCount + b.outCount,
    outSum: addNullable(a.outSum, b.outSum),
    outMax: maxNullable(a.outMax, b.outMax),
    inUtilCount: a.inUtilCount + b.inUtilCount,
    inUtilSum: addNullable(a.inUtilSum, b.inUtilSum),
    outUtilCount: a.outUtilCount + b.outUtilCount,
    outUtilSum: addNullable(a.outUtilSum, b.outUtilSum),
  };
}

export function toSeriesPoint(p: BucketPartial): SeriesPoint {
  return {
    at: p.bucket,
    inBps: meanOf(p.inSum, p.inCount),
    outBps: meanOf(p.outSum, p.outCount),
    inMaxBps: p.inCount > 0 ? p.inMax : null,
    outMaxBps: p.outCount > 0 ? p.outMax : null,
    inUtilPct: meanOf(p.inUtilSum, p.inUtilCount),
    outUtilPct: meanOf(p.outUtilSum, p.outUtilCount),
    reachableRatio: p.samples > 0 ? p.reachable / p.samples : null,
    samples: p.samples,
  };
}

/** Folds stored buckets (in time order) into `stepMs` buckets; empty buckets are left out. */
export function mergeIntoSteps(partials: readonly BucketPartial[], stepMs: number): SeriesPoint[] {
  const byStep = new Map<number, BucketPartial>();
  for (const p of partials) {
    if (p.samples === 0) continue;
    const at = bucketStart(p.bucket, stepMs);
    const seen = byStep.get(at);
    byStep.set(at, seen ? merge(seen, p) : { ...p, bucket: at });
  }
  return [...byStep.values()].sort((a, b) => a.bucket - b.bucket).map(toSeriesPoint);
}
