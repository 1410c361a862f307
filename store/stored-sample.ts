import type { CircuitSample, IfStatus } from '../core/sample.js';
import { IF_STATUS_BY_CODE } from '../core/sample.js';

/**
 * The part of a CircuitSample that both backends keep. Uptimes, error texts and the OOB/CPE
 * views feed the outage rules live and are not stored: they are evidence in the incident,
 * not a time series. Status values are IF-MIB codes (1 up, 2 down, ...) so Grafana can plot them.
 */
export interface StoredSample {
  siteId: string;
  circuitId: string;
  at: number;
  rttMs: number | null;
  ceReachable: boolean;
  headendReachable: boolean;
  wanOper: number | null;
  wanAdmin: number | null;
  headendOper: number | null;
  inBps: number | null;
  outBps: number | null;
  inUtilPct: number | null;
  outUtilPct: number | null;
  inErrorsPerSec: number | null;
  outErrorsPerSec: number | null;
  inDiscardsPerSec: number | null;
  outDiscardsPerSec: number | null;
  /** Why the rates are missing for this interval; null when they are present. */
  gap: string | null;
  /** The remote collector (vantage point) that took it; absent when the center polled it itself. */
  vantage?: string;
}

const CODE_BY_STATUS: Readonly<Record<IfStatus, number>> = Object.fromEntries(
  Object.entries(IF_STATUS_BY_CODE).map(([code, name]) => [name, Number(code)]),
) as Record<IfStatus, number>;

export const statusCode = (s: IfStatus | null): number | null => (s === null ? null : CODE_BY_STATUS[s]);
export const statusName = (c: number | null): IfStatus | null => (c === null ? null : (IF_STATUS_BY_CODE[c] ?? null));

export function toStoredSample(s: CircuitSample): StoredSample {
  return {
    siteId: s.siteId,
    circuitId: s.circuitId,
    at: s.at,
    rttMs: s.rttMs,
    ceReachable: s.ce.reachable,
    headendReachable: s.headend.reachable,
    wanOper: statusCode(s.ce.wanOper),
    wanAdmin: statusCode(s.ce.wanAdmin),
    headendOper: statusCode(s.headend.oper),
    inBps: s.inBps,
    outBps: s.outBps,
    inUtilPct: s.inUtilPct,
    outUtilPct: s.outUtilPct,
    inErrorsPerSec: s.inErrorsPerSec,
    outErrorsPerSec: s.outErrorsPerSec,
    inDiscardsPerSec: s.inDiscardsPerSec,
    outDiscardsPerSec: s.outDiscardsPerSec,
    gap: s.gap,
    ...(s.vantage !== undefined ? { vantage: s.vantage } : {}),
  };
}

/**
 * A sample counts as a gap when the collector said so, or when it carries no rate at all
 * (the CE did not answer): completeness reports count both.
 */
export const isGap = (s: Pick<StoredSample, 'gap' | 'inBps' | 'outBps'>): boolean =>
  s.gap !== null || (s.inBps === null && s.outBps === null);

const NUMERIC_KEYS = [
  'rttMs', 'wanOper', 'wanAdmin', 'headendOper', 'inBps', 'outBps', 'inUtilPct', 'outUtilPct',
  'inErrorsPerSec', 'outErrorsPerSec', 'inDiscardsPerSec', 'outDiscardsPerSec',
] as const;

/**
 * Checks a sample before it is stored, so a bad value is refused with its site and time
 * instead of corrupting a rollup (NaN poisons every average it touches).
 */
export function sampleProblem(s: StoredSample): string | null {
  if (typeof s.siteId !== 'string' || s.siteId === '') return 'siteId is empty';
  if (!Number.isSafeInteger(s.at) || s.at <= 0) return `site ${s.siteId}: at=${String(s.at)} is not epoch milliseconds`;
  for (const k of NUMERIC_KEYS) {
    const v = s[k];
    if (v !== null && (typeof v !== 'number' || !Number.isFinite(v)))
      return `site ${s.siteId} at ${new Date(s.at).toISOString()}: ${k}=${String(v)} is not a finite number`;
  }
  return null;
}

export interface RejectedSample {
  sample: StoredSample;
  reason: string;
}

/** Splits a batch into what can be stored and what cannot (with the reason), so one bad value costs only itself. */
export function partitionSamples(rows: readonly StoredSample[]): { good: StoredSample[]; rejected: RejectedSample[] } {
  const good: StoredSample[] = [];
  const rejected: RejectedSample[] = [];
  for (const r of rows) {
    const reason = sampleProblem(r);
    if (reason) rejected.push({ sample: r, reason });
    else good.push(r);
  }
  return { good, rejected };
}

/** Thrown after the good samples of a batch were stored; names every sample that was not. */
export class SampleRejectedError extends Error {
  readonly rejected: readonly RejectedSample[];
  constructor(rejected: readonly RejectedSample[]) {
    const first = rejected.slice(0, 3).map((r) => r.reason).join('; ');
    super(`metric store refused ${rejected.length} sample(s): ${first}${rejected.length > 3 ? '; ...' : ''}`);
    this.name = 'SampleRejectedError';
    this.rejected = rejected;
  }
}
