import type { LatestSample } from './metric-store.js';
import type { BucketPartial } from './series-buckets.js';
import { statusName, type StoredSample } from './stored-sample.js';

/** A row of raw_sample / latest as better-sqlite3 returns it. */
export interface RawRow {
  site_id: string;
  at: number;
  circuit_id: string;
  rtt_ms: number | null;
  ce_reachable: number;
  headend_reachable: number;
  wan_oper: number | null;
  wan_admin: number | null;
  headend_oper: number | null;
  in_bps: number | null;
  out_bps: number | null;
  in_util: number | null;
  out_util: number | null;
  in_errors: number | null;
  out_errors: number | null;
  in_discards: number | null;
  out_discards: number | null;
  gap: string | null;
  vantage: string | null;
}

/** Positional parameters in the order of RAW_INSERT_COLUMNS. */
export function rawParams(r: StoredSample): unknown[] {
  return [
    r.siteId, r.at, r.circuitId, r.rttMs, r.ceReachable ? 1 : 0, r.headendReachable ? 1 : 0, r.wanOper, r.wanAdmin, r.headendOper,
    r.inBps, r.outBps, r.inUtilPct, r.outUtilPct, r.inErrorsPerSec, r.outErrorsPerSec, r.inDiscardsPerSec, r.outDiscardsPerSec, r.gap, r.vantage ?? null,
  ];
}

export function fromRawRow(r: RawRow): StoredSample {
  return {
    siteId: r.site_id,
    circuitId: r.circuit_id,
    at: r.at,
    rttMs: r.rtt_ms,
    ceReachable: r.ce_reachable === 1,
    headendReachable: r.headend_reachable === 1,
    wanOper: r.wan_oper,
    wanAdmin: r.wan_admin,
    headendOper: r.headend_oper,
    inBps: r.in_bps,
    outBps: r.out_bps,
    inUtilPct: r.in_util,
    outUtilPct: r.out_util,
    inErrorsPerSec: r.in_errors,
    outErrorsPerSec: r.out_errors,
    inDiscardsPerSec: r.in_discards,
    outDiscardsPerSec: r.out_discards,
    gap: r.gap,
    ...(r.vantage !== null ? { vantage: r.vantage } : {}),
  };
}

export function latestFromRow(r: RawRow): LatestSample {
  return latestFromSample(fromRawRow(r));
}

export function latestFromSample(s: StoredSample): LatestSample {
  return {
    siteId: s.siteId,
    at: s.at,
    ceReachable: s.ceReachable,
    wanOper: statusName(s.wanOper),
    headendOper: statusName(s.headendOper),
    inBps: s.inBps,
    outBps: s.outBps,
    inUtilPct: s.inUtilPct,
    outUtilPct: s.outUtilPct,
    rttMs: s.rttMs,
  };
}

const num = (v: number | null | undefined): number => v ?? 0;
const opt = (v: number | null | undefined): number | null => v ?? null;

/** A rollup row or a raw bucket (snake_case columns) as a mergeable partial. */
export function partialFromRow(r: Record<string, number | null>): BucketPartial {
  return {
    bucket: num(r.bucket),
    samples: num(r.samples),
    reachable: num(r.reachable),
    inCount: num(r.in_count),
    inSum: opt(r.in_sum),
    inMax: opt(r.in_max),
    outCount: num(r.out_count),
    outSum: opt(r.out_sum),
    outMax: opt(r.out_max),
    inUtilCount: num(r.in_util_count),
    inUtilSum: opt(r.in_util_sum),
    outUtilCount: num(r.out_util_count),
    outUtilSum: opt(r.out_util_sum),
  };
}
