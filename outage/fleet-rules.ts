import type { CircuitSample } from '../core/sample.js';
import type { OutageConfig } from './config-schema.js';

export interface IsolationFinding {
  cause: 'headend-unreachable' | 'sites-silent';
  silent: number;
  headendUnreachable: number;
  total: number;
}

/**
 * The NOC, not the fleet, has lost sight when the head-end does not answer for (nearly) every
 * circuit, or when nearly every site is silent at once: 120 carriers' lines do not fail in the
 * same minute, but the NOC's own uplink does.
 */
export function isolationFinding(latest: readonly CircuitSample[], cfg: Pick<OutageConfig, 'isolation'>): IsolationFinding | null {
  const total = latest.length;
  if (total === 0) return null;
  const silent = latest.filter((s) => !s.ce.reachable).length;
  const headendUnreachable = latest.filter((s) => !s.headend.reachable).length;
  const { silentShare, minSites } = cfg.isolation;
  const bigEnough = total >= minSites;
  if (headendUnreachable === total || (bigEnough && headendUnreachable / total >= silentShare)) {
    return { cause: 'headend-unreachable', silent, headendUnreachable, total };
  }
  if (bigEnough && silent / total >= silentShare) return { cause: 'sites-silent', silent, headendUnreachable, total };
  return null;
}

/**
 * The largest set of items whose start instants fit in one window, when it has at least
 * `minSize` members; null otherwise.
 */
export function densestCluster<T extends { startedAt: number }>(items: readonly T[], minSize: number, windowMs: number): T[] | null {
  const sorted = [...items].sort((a, b) => a.startedAt - b.startedAt);
  let best: T[] = [];
  let lo = 0;
  for (let hi = 0; hi < sorted.length; hi++) {
    while (sorted[hi]!.startedAt - sorted[lo]!.startedAt > windowMs) lo++;
    if (hi - lo + 1 > best.length) best = sorted.slice(lo, hi + 1);
  }
  return best.length >= minSize ? best : null;
}
