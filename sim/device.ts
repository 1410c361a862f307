import type { Site } from '../core/inventory.js';
import type { Fault } from './faults.js';
import { between, hashString } from './seeded-random.js';
import {
  conditionsAt, counterOriginAt, flowingPieces, lastEdge, LINK_UP_AFTER_BOOT_MS, originsAt, siteWindows,
  type SiteConditions, type SiteWindows,
} from './site-timeline.js';
import { TrafficCurve, trafficProfileFor, type Direction } from './traffic.js';

const DAY_MS = 86_400_000;

/** A Huawei-style 20-character board serial, fixed by a seed string. */
export function huaweiSerial(seed: string): string {
  const h = hashString(seed) >>> 0;
  return `2102351${(h % 1_000_000).toString().padStart(6, '0')}P0${(h >>> 8).toString(36).toUpperCase().padStart(5, '0').slice(-5)}`;
}
const CHECKPOINT_EVERY_MS = 60_000;
const MASK32 = 0xffff_ffffn;
const MASK64 = 0xffff_ffff_ffff_ffffn;

export interface Octets {
  in: number;
  out: number;
}

/** A counter jump injected by a counter-wrap fault (WAN port only). */
interface CounterJump {
  at: number;
  d32: { in: bigint; out: bigint };
  d64: { in: bigint; out: bigint };
}

/** Counters of one port as the agent serves them. */
export interface PortCounters {
  in64: bigint;
  out64: bigint;
  in32: number;
  out32: number;
  inErrors: number;
  outErrors: number;
  inDiscards: number;
  outDiscards: number;
}

/**
 * One site's devices (CE, and the circuit's share of the head-end and of the carrier CPE)
 * as a function of time: traffic from the site's curve, switched and capped by the fault
 * timeline; counters as integrals of that traffic; uptimes from the boots on the timeline.
 * The history before "now" never changes (faults start now), so cumulative octets are
 * checkpointed and a GET costs a few trapezoids, not a walk over the whole run.
 */
export class SiteDevice {
  readonly curve: TrafficCurve;
  readonly hash: number;
  /** When the CE's OS and agent started, before the simulator did. */
  readonly initialOrigin: number;
  readonly initialWanChange: number;
  readonly initialHeadendChange: number;
  readonly wanIfIndex: number;
  private readonly base: { ce: Octets; lan: Octets; headend: Octets; cpe: Octets };
  private readonly bytesPerError: number;
  private faults: readonly Fault[] = [];
  private win: SiteWindows = siteWindows([]);
  private jumps: CounterJump[] = [];
  private checkpoints: { t: number; in: number; out: number }[];
  private memo: { t: number; c: SiteConditions } | null = null;
  private faultVersion = 0;

  constructor(
    readonly site: Site,
    readonly seed: number,
    readonly startMs: number,
    private readonly now: () => number,
  ) {
    const h = (this.hash = hashString(site.id));
    this.curve = new TrafficCurve(trafficProfileFor(site.id, site.circuit.bandwidthMbps, seed), seed, startMs);
    const uptimeMs = between(3, 90, seed, h, 101) * DAY_MS;
    this.initialOrigin = Math.floor(startMs - uptimeMs);
    this.initialWanChange = Math.floor(startMs - between(0.05, 0.9, seed, h, 102) * uptimeMs);
    this.initialHeadendChange = this.initialWanChange + 800;
    this.wanIfIndex = 4 + (h % 5);
    const avgIn = (this.curve.profile.peakInBps * 0.3) / 8;
    const avgOut = avgIn * this.curve.profile.outRatio;
    const octetsSince = (k: number): Octets => ({
      in: Math.floor(avgIn * (uptimeMs / 1000) * between(0.8, 1.2, seed, h, k)),
      out: Math.floor(avgOut * (uptimeMs / 1000) * between(0.8, 1.2, seed, h, k + 1)),
    });
    this.base = { ce: octetsSince(110), lan: octetsSince(112), headend: octetsSince(114), cpe: octetsSince(116) };
    this.bytesPerError = between(2e9, 2e10, seed, h, 120);
    this.checkpoints = [{ t: startMs, in: 0, out: 0 }];
  }

  get windows(): SiteWindows {
    return this.win;
  }

  /** Changes whenever the device's faults do. */
  get version(): number {
    return this.faultVersion;
  }

  setFaults(faults: readonly Fault[]): void {
    this.faultVersion++;
    this.faults = faults;
    this.win = siteWindows(faults);
    this.memo = null;
  }

  /**
   * The CE unit installed at t: its serial, model and software. Swaps and upgrades that began
   * by t count even after their fault ended (the new unit stays).
   */
  ceIdentityAt(t: number): { serial: string; model: string; software: string } {
    let id = { serial: huaweiSerial(this.site.id), model: 'AR2220', software: 'V200R010C10SPC700' };
    for (const f of this.faults) {
      if (f.startsAt > t) continue;
      if (f.kind === 'device-swap') id = { ...id, serial: f.params.serial ?? huaweiSerial(`${this.site.id}:${f.id}`), model: f.params.model ?? id.model };
      else if (f.kind === 'firmware-upgrade') id = { ...id, software: f.params.version };
    }
    return id;
  }

  activeFaults(t: number): Fault[] {
    return this.faults.filter((f) => f.startsAt <= t && (f.endsAt === null || t < f.endsAt));
  }

  conditions(t: number): SiteConditions {
    if (this.memo?.t !== t) this.memo = { t, c: conditionsAt(this.win, t) };
    return this.memo.c;
  }

  origins(t: number): { host: number; agent: number } {
    return originsAt(this.win, t, this.initialOrigin);
  }

  /** The CE's WAN ifIndex at t (it moves under an ifindex-renumber fault). */
  wanIfIndexAt(t: number): number {
    const r = this.conditions(t).renumberedIfIndex;
    return r === undefined ? this.wanIfIndex : (r ?? this.wanIfIndex + 20);
  }

  /** Octets through the CE's WAN port in [a, b) (in = towards the site). */
  octets(a: number, b: number): Octets {
    const o = { in: 0, out: 0 };
    for (const p of flowingPieces(this.win, a, b)) {
      o.in += (p.capPressed ? this.curve.pinnedBits(p.from, p.to, p.capBps) : this.curve.bits(p.from, p.to, 'in', p.capBps)) / 8;
      o.out += this.curve.bits(p.from, p.to, 'out', p.capBps) / 8;
    }
    return o;
  }

  /** Exact average rate (bits/s) at the CE's WAN port over [a, b). */
  trueRate(a: number, b: number): { inBps: number; outBps: number } {
    if (b <= a) throw new RangeError(`trueRate: the interval is empty or reversed (${a} .. ${b})`);
    const o = this.octets(a, b);
    const sec = (b - a) / 1000;
    return { inBps: (o.in * 8) / sec, outBps: (o.out * 8) / sec };
  }

  /** Instantaneous rate (bits/s) at the WAN port. */
  rateAt(t: number): { inBps: number; outBps: number } {
    const c = this.conditions(t);
    if (!c.wanOperUp) return { inBps: 0, outBps: 0 };
    const inBps = c.capPressed ? this.curve.pinnedRate(c.capBps) : this.curve.rateAt(t, 'in', c.capBps);
    return { inBps, outBps: this.curve.rateAt(t, 'out', c.capBps) };
  }

  /** Octets since the simulator started. */
  cumulative(t: number): Octets {
    if (t < this.startMs) {
      const o = this.octets(t, this.startMs);
      return { in: -o.in, out: -o.out };
    }
    let lo = 0;
    let hi = this.checkpoints.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (this.checkpoints[mid]!.t <= t) lo = mid;
      else hi = mid - 1;
    }
    const cp = this.checkpoints[lo]!;
    const d = this.octets(cp.t, t);
    const value = { in: cp.in + d.in, out: cp.out + d.out };
    if (lo === this.checkpoints.length - 1 && t - cp.t >= CHECKPOINT_EVERY_MS && t <= this.now())
      this.checkpoints.push({ t, ...value });
    return value;
  }

  /** The CE's WAN port counters: zero from the link-up after a boot, plus counter-wrap jumps. */
  wanCounters(t: number): PortCounters {
    const origin = counterOriginAt(this.win, t);
    const cum = this.cumulative(t);
    let raw: Octets;
    if (origin === null) raw = { in: this.base.ce.in + cum.in, out: this.base.ce.out + cum.out };
    else {
      const at = this.cumulative(origin);
      raw = { in: cum.in - at.in, out: cum.out - at.out };
    }
    const counters = this.port(raw);
    let d32in = 0n, d32out = 0n, d64in = 0n, d64out = 0n;
    for (const j of this.jumps)
      if (j.at <= t && (origin === null || j.at >= origin)) {
        d32in += j.d32.in;
        d32out += j.d32.out;
        d64in += j.d64.in;
        d64out += j.d64.out;
      }
    const in64 = BigInt(Math.floor(raw.in));
    const out64 = BigInt(Math.floor(raw.out));
    return {
      ...counters,
      in64: (in64 + d64in) & MASK64,
      out64: (out64 + d64out) & MASK64,
      in32: Number((in64 + d32in) & MASK32),
      out32: Number((out64 + d32out) & MASK32),
    };
  }

  /** The CE's LAN port: what goes out of the WAN came in from the LAN, and the other way. */
  lanCounters(t: number): PortCounters {
    const origin = counterOriginAt(this.win, t);
    const cum = this.cumulative(t);
    if (origin !== null) {
      const at = this.cumulative(origin);
      return this.port({ in: cum.out - at.out, out: cum.in - at.in });
    }
    return this.port({ in: this.base.lan.out + cum.out, out: this.base.lan.in + cum.in });
  }

  /** The circuit's head-end sub-interface: its in is the site's out. Never reset by the CE. */
  headendCounters(t: number): PortCounters {
    const cum = this.cumulative(t);
    return this.port({ in: this.base.headend.out + cum.out, out: this.base.headend.in + cum.in });
  }

  /** The carrier CPE's line port (same direction as the CE's WAN port). */
  cpeLineCounters(t: number): PortCounters {
    const cum = this.cumulative(t);
    return this.port({ in: this.base.cpe.in + cum.in, out: this.base.cpe.out + cum.out });
  }

  /** When the WAN port last changed oper status, at or before t. */
  wanLastChange(t: number): number {
    return lastEdge(this.win.wanDown, t) ?? this.initialWanChange;
  }

  headendLastChange(t: number): number {
    return lastEdge(this.win.headendDown, t) ?? this.initialHeadendChange;
  }

  /** Last instant the WAN counters were discontinuous (boot link-up or counter-wrap jump). */
  counterDiscontinuity(t: number): number {
    const origin = counterOriginAt(this.win, t);
    let best = origin ?? this.initialOrigin + LINK_UP_AFTER_BOOT_MS;
    for (const j of this.jumps) if (j.at <= t && j.at > best) best = j.at;
    return best;
  }

  /**
   * Makes the WAN counters wrap within `wrapInSec` at the current rate: the 32-bit ones
   * (and the 64-bit ones with `also64`) jump to just below their maximum.
   */
  jumpCounters(t: number, wrapInSec: number, also64: boolean): void {
    const now = this.wanCounters(t);
    const rate = this.rateAt(t);
    const below = (bps: number) => BigInt(Math.max(1, Math.floor((bps / 8) * wrapInSec)));
    const to32 = (cur: number, bps: number) => (((1n << 32n) - below(bps) - BigInt(cur)) % (1n << 32n) + (1n << 32n)) % (1n << 32n);
    const to64 = (cur: bigint, bps: number) => (((1n << 64n) - below(bps) - cur) % (1n << 64n) + (1n << 64n)) % (1n << 64n);
    // Both land `below` under their maximum, so the 32-bit value stays the low bits of the 64-bit one.
    const d32 = { in: to32(now.in32, rate.inBps), out: to32(now.out32, rate.outBps) };
    const d64 = also64 ? { in: to64(now.in64, rate.inBps), out: to64(now.out64, rate.outBps) } : { in: 0n, out: 0n };
    this.jumps.push({ at: t, d32, d64 });
  }

  private port(raw: Octets): PortCounters {
    const in64 = BigInt(Math.floor(raw.in));
    const out64 = BigInt(Math.floor(raw.out));
    return {
      in64,
      out64,
      in32: Number(in64 & MASK32),
      out32: Number(out64 & MASK32),
      inErrors: Math.floor(raw.in / this.bytesPerError),
      outErrors: Math.floor(raw.out / (this.bytesPerError * 3)),
      inDiscards: Math.floor(raw.in / (this.bytesPerError * 0.7)),
      outDiscards: Math.floor(raw.out / (this.bytesPerError * 1.5)),
    };
  }
}
