import type { SiteCapacity } from '../core/site-state.js';
import { capacityFindings, type CapacityFinding, type CapacityPoint } from './capacity.js';
import type { OutageConfig } from './config-schema.js';

type CapacityConfig = OutageConfig['capacity'];

/**
 * The wall's capacity finding: the report's detector (outage/capacity.ts, same tolerance,
 * ceiling bounds and saturation level) run over the last `windowMinutes` of one-minute buckets,
 * with the plateau and saturation spans of `capacity.live` instead of hours per day on several
 * days. A finding counts only while it lasts: its run must reach the end of the window. The
 * monthly report keeps the strict rule; this says "right now this circuit sits on a ceiling".
 */
export function liveCapacity(
  series: { in: readonly CapacityPoint[]; out: readonly CapacityPoint[] },
  nominalBps: number,
  window: { from: number; to: number; stepSec: number },
  cfg: CapacityConfig,
): SiteCapacity | null {
  const live = {
    ...cfg,
    plateauHoursPerDay: cfg.live.plateauMinutes / 60,
    plateauMinDays: 1,
    saturationMinMinutes: cfg.live.saturationMinutes,
  };
  const inWindow = (s: readonly CapacityPoint[]) => s.filter((p) => p.at >= window.from && p.at < window.to);
  // Still going on: the run's last point is within two steps of the window's end.
  const current = (f: CapacityFinding) => f.to >= window.to - 2 * window.stepSec * 1000;
  let best: { f: CapacityFinding; direction: 'in' | 'out' } | null = null;
  for (const direction of ['in', 'out'] as const) {
    for (const f of capacityFindings(inWindow(series[direction]), nominalBps, window.stepSec, live)) {
      if (!current(f)) continue;
      // A policer explains a saturation-like picture better than "busy"; then the longer run.
      if (!best || (f.kind === 'policer-ceiling' && best.f.kind !== 'policer-ceiling') || (f.kind === best.f.kind && f.to - f.from > best.f.to - best.f.from))
        best = { f, direction };
    }
  }
  if (!best) return null;
  const { f, direction } = best;
  return f.kind === 'policer-ceiling'
    ? { kind: 'policer-ceiling', direction, since: f.from, ceilingMbps: Math.round(f.ceilingBps / 1e5) / 10, pctOfNominal: f.ceilingPctOfNominal }
    : { kind: 'saturated', direction, since: f.from, meanPct: f.meanPct };
}

/** A direction's window in two numbers: its highest point, and the highest of its last three steps (-Infinity for none). */
export interface DirectionPeaks {
  max: number;
  recentMax: number;
}

/** How many of the window's last steps a finding still going on must end in (`current` above: to ≥ window end − 2 steps). */
export const RECENT_STEPS = 3;

/**
 * False when no finding can be going on at the window's end, whatever the points in between,
 * so the wall's scan can skip the detector for that site (bench/capacity-window.ts: the detector,
 * not the store, was most of the scan's time). Exact, not a heuristic: a run counts only if its
 * last point lies in the last RECENT_STEPS steps; a saturation point is at saturationPct or more;
 * a policer point is within the tolerance of the ceiling (the window's highest point), and that
 * ceiling lies in [plateauMinPctOfNominal, plateauMaxPctOfNominal). The same expressions as
 * outage/capacity.ts, so the same floating-point answers.
 */
export function liveFindingPossible(peaks: readonly DirectionPeaks[], nominalBps: number, cfg: CapacityConfig): boolean {
  for (const { max, recentMax } of peaks) {
    if ((100 * recentMax) / nominalBps >= cfg.saturationPct) return true;
    const pct = (100 * max) / nominalBps;
    if (pct >= cfg.plateauMinPctOfNominal && pct < cfg.plateauMaxPctOfNominal && recentMax >= max * (1 - cfg.plateauTolerancePct / 100)) return true;
  }
  return false;
}
