import chineseDays from 'chinese-days';
import { between, hashString, unit } from './seeded-random.js';

/**
 * Each site's traffic demand: a working-day curve in Asia/Shanghai time (quiet nights,
 * peaks 09:00-12:00 and 14:30-18:00, a lunch dip, quieter rest days per the official
 * holiday calendar) times seeded noise. The demand is a knot value every minute joined
 * by straight lines, so the octets over any interval have a closed form (trapezoids,
 * clipped at a cap where the line or a policer flattens it) and the counters the agents
 * serve and the `trueRate` the tests compare them with come from the same integral.
 */

export const KNOT_MS = 60_000;
const SHANGHAI_OFFSET_MS = 8 * 3_600_000; // no DST in China since 1991
const DAY_MS = 86_400_000;

export type Direction = 'in' | 'out';
export type SiteClass = 'quiet' | 'normal' | 'busy' | 'saturating';

export interface TrafficProfile {
  siteId: string;
  klass: SiteClass;
  /** Peak download demand at the CE's WAN port (bits/s); may exceed the line for saturating sites. */
  peakInBps: number;
  /** Upload demand as a share of download. */
  outRatio: number;
  /** What the circuit can actually carry: a little under its nominal rate. */
  lineCapBps: number;
}

/** Site character from the seed: most sites moderate, some busy (60-68M), a few saturating. */
export function trafficProfileFor(siteId: string, bandwidthMbps: number, seed: number): TrafficProfile {
  const h = hashString(siteId);
  const nominal = bandwidthMbps * 1e6;
  const r = unit(seed, h, 1);
  const klass: SiteClass = r < 0.1 ? 'saturating' : r < 0.35 ? 'busy' : r < 0.85 ? 'normal' : 'quiet';
  const share = { quiet: [0.08, 0.28], normal: [0.36, 0.78], busy: [0.8, 0.9], saturating: [1.12, 1.35] }[klass];
  return {
    siteId,
    klass,
    peakInBps: nominal * between(share[0]!, share[1]!, seed, h, 2),
    outRatio: between(0.3, 0.6, seed, h, 3),
    lineCapBps: nominal * 0.98,
  };
}

// Fraction of the peak by local hour, on working days and on rest days.
const WORKDAY: [number, number][] = [
  [0, 0.05], [6, 0.04], [7.5, 0.08], [8.5, 0.45], [9, 0.85], [10, 1], [11.5, 0.95], [12, 0.55], [13, 0.3],
  [14, 0.45], [14.5, 0.82], [15.5, 1], [17.5, 0.92], [18, 0.5], [19, 0.2], [21, 0.12], [23, 0.07], [24, 0.05],
];
const RESTDAY: [number, number][] = [[0, 0.04], [9, 0.06], [10.5, 0.18], [16, 0.16], [18, 0.08], [24, 0.04]];

function shapeAt(curve: [number, number][], hour: number): number {
  for (let i = 1; i < curve.length; i++) {
    const [h1, v1] = curve[i]!;
    if (hour <= h1) {
      const [h0, v0] = curve[i - 1]!;
      return v0 + ((v1 - v0) * (hour - h0)) / (h1 - h0);
    }
  }
  return curve[curve.length - 1]![1];
}

const workdayCache = new Map<number, boolean>();
function isWorkday(localDay: number): boolean {
  let w = workdayCache.get(localDay);
  if (w === undefined) {
    w = chineseDays.isWorkday(new Date(localDay * DAY_MS).toISOString().slice(0, 10));
    workdayCache.set(localDay, w);
  }
  return w;
}

/** Demand fraction of the peak at an instant (local calendar and clock). */
export function dailyShape(t: number): number {
  const local = t + SHANGHAI_OFFSET_MS;
  const day = Math.floor(local / DAY_MS);
  const hour = (local - day * DAY_MS) / 3_600_000;
  return shapeAt(isWorkday(day) ? WORKDAY : RESTDAY, hour);
}

/** Integral (bits) of min(linear a→b, cap) over `sec` seconds. */
export function clippedTrapezoid(a: number, b: number, cap: number, sec: number): number {
  if (a <= cap && b <= cap) return ((a + b) / 2) * sec;
  if (a >= cap && b >= cap) return cap * sec;
  const f = (cap - a) / (b - a);
  return a < cap ? ((a + cap) / 2) * f * sec + cap * (1 - f) * sec : cap * f * sec + ((cap + b) / 2) * (1 - f) * sec;
}

/** Cumulative bits at knot boundaries from an anchor knot, grown as time goes on. */
class Prefix {
  private cum = new Float64Array(1024);
  private filled = 1; // cum[0] = 0 at the anchor knot
  constructor(private readonly seg: (k: number) => number, private readonly anchorK: number) {}
  at(k: number): number {
    const i = k - this.anchorK;
    while (this.filled <= i) {
      if (this.filled === this.cum.length) {
        const bigger = new Float64Array(this.cum.length * 2);
        bigger.set(this.cum);
        this.cum = bigger;
      }
      this.cum[this.filled] = this.cum[this.filled - 1]! + this.seg(this.anchorK + this.filled - 1);
      this.filled++;
    }
    return this.cum[i]!;
  }
}

export class TrafficCurve {
  private readonly siteHash: number;
  private readonly prefixes = new Map<string, Prefix>();
  private readonly anchorK: number;

  constructor(readonly profile: TrafficProfile, private readonly seed: number, anchorMs: number) {
    this.siteHash = hashString(profile.siteId);
    this.anchorK = Math.floor(anchorMs / KNOT_MS);
  }

  /** Demand (bits/s) at knot k: the daily shape times a slow wander, minute jitter and rare bursts. */
  knot(k: number, dir: Direction): number {
    const d = dir === 'in' ? 11 : 13;
    const s = this.seed;
    const h = this.siteHash;
    const block = Math.floor(k / 20);
    const w0 = between(0.88, 1.08, s, h, d, block);
    const w1 = between(0.88, 1.08, s, h, d, block + 1);
    const wander = w0 + ((w1 - w0) * (k - block * 20)) / 20;
    const jitter = 1 + 0.1 * (unit(s, h, d, k, 1) + unit(s, h, d, k, 2) + unit(s, h, d, k, 3) - 1.5);
    const burst = unit(s, h, d, k, 4) < 0.02 ? 1.15 : 1;
    const peak = dir === 'in' ? this.profile.peakInBps : this.profile.peakInBps * this.profile.outRatio;
    return Math.max(0, peak * dailyShape(k * KNOT_MS) * wander * jitter * burst);
  }

  /** Rate (bits/s) actually carried at t under an optional extra cap (a policer). */
  rateAt(t: number, dir: Direction, capBps = Infinity): number {
    const k = Math.floor(t / KNOT_MS);
    const x = (t - k * KNOT_MS) / KNOT_MS;
    const v = this.knot(k, dir) + (this.knot(k + 1, dir) - this.knot(k, dir)) * x;
    return Math.min(v, this.profile.lineCapBps, capBps);
  }

  /** Bits carried in [a, b) (ms) when demand stays above the cap: the cap (or the line, if lower) all along. */
  pinnedBits(a: number, b: number, capBps: number): number {
    return (this.pinnedRate(capBps) * (b - a)) / 1000;
  }

  pinnedRate(capBps: number): number {
    return Math.min(capBps, this.profile.lineCapBps);
  }

  /** Bits carried in [a, b) (ms) under an optional extra cap; exact for the piecewise-linear demand. */
  bits(a: number, b: number, dir: Direction, capBps = Infinity): number {
    if (b <= a) return 0;
    const cap = Math.min(capBps, this.profile.lineCapBps);
    return this.cumulative(b, dir, cap) - this.cumulative(a, dir, cap);
  }

  private partial(k: number, dir: Direction, cap: number, fromMs: number, toMs: number): number {
    const v0 = this.knot(k, dir);
    const v1 = this.knot(k + 1, dir);
    const a = v0 + ((v1 - v0) * fromMs) / KNOT_MS;
    const b = v0 + ((v1 - v0) * toMs) / KNOT_MS;
    return clippedTrapezoid(a, b, cap, (toMs - fromMs) / 1000);
  }

  private cumulative(t: number, dir: Direction, cap: number): number {
    const k = Math.floor(t / KNOT_MS);
    const into = t - k * KNOT_MS;
    if (k >= this.anchorK) return this.prefix(dir, cap).at(k) + this.partial(k, dir, cap, 0, into);
    // Before the anchor (rare: history older than the simulator): sum the knots directly.
    let sum = this.partial(k, dir, cap, into, KNOT_MS);
    for (let j = k + 1; j < this.anchorK; j++) sum += this.partial(j, dir, cap, 0, KNOT_MS);
    return -sum;
  }

  private prefix(dir: Direction, cap: number): Prefix {
    const key = `${dir}:${cap}`;
    let p = this.prefixes.get(key);
    if (!p) {
      p = new Prefix((k) => this.partial(k, dir, cap, 0, KNOT_MS), this.anchorK);
      this.prefixes.set(key, p);
    }
    return p;
  }
}
