import type { OutageConfig } from './config-schema.js';

/**
 * Capacity findings are not outages: the circuit works, but not as leased. A policer set to the
 * wrong rate shows as traffic pressed flat against one ceiling well below the nominal 70M, hour
 * after hour and day after day, never above it; a circuit simply too small shows as utilization
 * at or near nominal for a sustained time. Clause 1.8 promises no rate, so these are findings to
 * raise with the carrier, not breaches. Both tests are deliberately strict: a finding is
 * something a manager puts in front of the carrier, so ordinary traffic with bursts must give
 * none.
 */
export interface CapacityPoint {
  /** Start of the interval the point stands for. */
  at: number;
  bps: number | null;
}

export type CapacityFinding =
  | { kind: 'policer-ceiling'; from: number; to: number; ceilingBps: number; ceilingPctOfNominal: number; points: number }
  | { kind: 'saturated'; from: number; to: number; meanPct: number; minPct: number; points: number };

type CapacityConfig = OutageConfig['capacity'];

interface Point {
  at: number;
  bps: number;
}

const HOUR_MS = 3_600_000;
const DAY_MS = 86_400_000;
/** Days are Asia/Shanghai calendar days (UTC+8, no DST): when the busy hours of one working day fall together. */
const shanghaiDayOf = (at: number): number => Math.floor((at + 8 * HOUR_MS) / DAY_MS);
const round1 = (v: number): number => Math.round(v * 10) / 10;

function valued(series: readonly CapacityPoint[]): Point[] {
  return series.filter((p): p is Point => p.bps !== null && Number.isFinite(p.bps)).sort((a, b) => a.at - b.at);
}

/** Maximal runs of consecutive points that satisfy `keep`, a hole longer than maxGapMs breaking a run. */
function runs(points: readonly Point[], keep: (p: Point) => boolean, maxGapMs: number): Point[][] {
  const out: Point[][] = [];
  let run: Point[] = [];
  for (const p of points) {
    const prev = run[run.length - 1];
    if (!keep(p) || (prev && p.at - prev.at > maxGapMs)) {
      if (run.length) out.push(run);
      run = keep(p) ? [p] : [];
      continue;
    }
    run.push(p);
  }
  if (run.length) out.push(run);
  return out;
}

const span = (run: readonly Point[], stepMs: number): number => run[run.length - 1]!.at - run[0]!.at + stepMs;

function median(values: number[]): number {
  const s = [...values].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
}

/**
 * Policer: the ceiling is the highest level the series reached (a policer caps everything, so
 * nothing may go above it); a day has a plateau when its points stay within the tolerance
 * below that ceiling for plateauHoursPerDay in a row; a finding needs plateauMinDays such days
 * and a ceiling well below nominal. One finding per plateau day, spanning its longest run.
 */
function policerFindings(points: readonly Point[], nominalBps: number, stepMs: number, cfg: CapacityConfig): CapacityFinding[] {
  if (!points.length) return [];
  const ceiling = points.reduce((m, p) => Math.max(m, p.bps), -Infinity);
  const pct = (100 * ceiling) / nominalBps;
  if (pct < cfg.plateauMinPctOfNominal || pct >= cfg.plateauMaxPctOfNominal) return [];
  const floor = ceiling * (1 - cfg.plateauTolerancePct / 100);
  const byDay = new Map<number, Point[]>();
  for (const p of points) {
    const d = shanghaiDayOf(p.at);
    const list = byDay.get(d) ?? [];
    list.push(p);
    byDay.set(d, list);
  }
  const plateaus: Point[][] = [];
  for (const day of byDay.values()) {
    const longest = runs(day, (p) => p.bps >= floor, cfg.maxGapSec * 1000).reduce<Point[] | null>((best, r) => (!best || span(r, stepMs) > span(best, stepMs) ? r : best), null);
    if (longest && span(longest, stepMs) >= cfg.plateauHoursPerDay * HOUR_MS) plateaus.push(longest);
  }
  if (plateaus.length < cfg.plateauMinDays) return [];
  return plateaus.map((r) => {
    const level = median(r.map((p) => p.bps));
    return { kind: 'policer-ceiling', from: r[0]!.at, to: r[r.length - 1]!.at + stepMs, ceilingBps: Math.round(level), ceilingPctOfNominal: round1((100 * level) / nominalBps), points: r.length };
  });
}

/** Saturation: points at or above saturationPct of nominal, unbroken for saturationMinMinutes. */
function saturationFindings(points: readonly Point[], nominalBps: number, stepMs: number, cfg: CapacityConfig): CapacityFinding[] {
  const hot = runs(points, (p) => (100 * p.bps) / nominalBps >= cfg.saturationPct, cfg.maxGapSec * 1000);
  return hot
    .filter((r) => span(r, stepMs) >= cfg.saturationMinMinutes * 60_000)
    .map((r) => {
      const pcts = r.map((p) => (100 * p.bps) / nominalBps);
      return { kind: 'saturated', from: r[0]!.at, to: r[r.length - 1]!.at + stepMs, meanPct: round1(pcts.reduce((a, b) => a + b, 0) / pcts.length), minPct: round1(Math.min(...pcts)), points: r.length };
    });
}

/**
 * The findings of one direction of one circuit. `stepSec` is what each point stands for (the
 * series' resolution: 3600 for the report's hourly means), so a run of k points lasts k steps.
 */
export function capacityFindings(series: readonly CapacityPoint[], nominalBps: number, stepSec: number, cfg: CapacityConfig): CapacityFinding[] {
  const points = valued(series);
  const stepMs = stepSec * 1000;
  // A hole is a point missing that the series should have had, not the spacing of its points.
  const c = { ...cfg, maxGapSec: Math.max(cfg.maxGapSec, 1.5 * stepSec) };
  return [...policerFindings(points, nominalBps, stepMs, c), ...saturationFindings(points, nominalBps, stepMs, c)].sort((a, b) => a.from - b.from);
}
