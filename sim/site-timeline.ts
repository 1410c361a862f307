import type { Fault, GarbageMode } from './faults.js';

/**
 * A site's condition as a pure function of time and its faults. Nothing here is toggled by
 * timers: a fault is active on [startsAt, endsAt), so the state at any instant (now, the
 * instant just before a transition, an interval in the past) comes from the same rules,
 * auto-clearing needs no timer and a replay gives the same answers.
 */

export interface Interval {
  from: number;
  /** Exclusive; Infinity while the fault is not cleared. */
  to: number;
}

/** Delay between an agent coming up after a power-loss boot and its WAN link coming up. */
export const LINK_UP_AFTER_BOOT_MS = 2000;

export interface SiteWindows {
  /** Line side down: line cuts, carrier group outages, flaps. */
  cut: Interval[];
  adminDown: Interval[];
  /** Powered off or still booting: the CE answers nothing. */
  off: Interval[];
  /** Booted, WAN link not up yet. */
  linkWait: Interval[];
  /** WAN oper down for any reason (union of the above). */
  wanDown: Interval[];
  /** Head-end sub-interface oper down. */
  headendDown: Interval[];
  cpeCustomerDown: Interval[];
  hang: Interval[];
  restart: Interval[];
  noc: Interval[];
  /** Instants the CE (OS and agent) came up after a power loss. */
  boots: number[];
  /** Instants the WAN link came up after a boot: counters start from zero there. */
  linkUps: number[];
  /** Instants the agent came back from an agent restart (OS kept running). */
  agentRestarts: number[];
  /** Policers; `pressed`: the office's demand stays above the cap while it lasts, so traffic is pinned to it. */
  caps: (Interval & { bps: number; pressed: boolean })[];
  garbage: (Interval & { mode: GarbageMode })[];
  latency: (Interval & { ms: number })[];
  renumber: (Interval & { ifIndex: number | null })[];
  no64: Interval[];
  /** Every instant something changes, ascending. */
  boundaries: number[];
}

export function union(list: Interval[]): Interval[] {
  const sorted = list.filter((i) => i.to > i.from).sort((a, b) => a.from - b.from);
  const out: Interval[] = [];
  for (const i of sorted) {
    const last = out[out.length - 1];
    if (last && i.from <= last.to) last.to = Math.max(last.to, i.to);
    else out.push({ ...i });
  }
  return out;
}

export const within = (list: readonly Interval[], t: number): boolean => list.some((i) => i.from <= t && t < i.to);
const activeOf = <T extends Interval>(list: readonly T[], t: number): T[] => list.filter((i) => i.from <= t && t < i.to);

export function siteWindows(faults: readonly Fault[]): SiteWindows {
  const span = (f: Fault): Interval => ({ from: f.startsAt, to: f.endsAt ?? Infinity });
  const cuts: Interval[] = [];
  const admin: Interval[] = [];
  const off: Interval[] = [];
  const w: Omit<SiteWindows, 'cut' | 'adminDown' | 'off' | 'linkWait' | 'wanDown' | 'headendDown' | 'cpeCustomerDown' | 'boots' | 'linkUps' | 'boundaries'> = {
    hang: [], restart: [], noc: [], agentRestarts: [], caps: [], garbage: [], latency: [], renumber: [], no64: [],
  };
  for (const f of faults) {
    const s = span(f);
    switch (f.kind) {
      case 'line-cut':
      case 'group-down':
        cuts.push(s);
        break;
      case 'flap': {
        const period = f.params.downMs + f.params.upMs;
        for (let i = 0; i < f.params.count; i++) {
          const from = f.startsAt + i * period;
          if (from >= s.to) break;
          cuts.push({ from, to: Math.min(from + f.params.downMs, s.to) });
        }
        break;
      }
      case 'wan-admin-down':
        admin.push(s);
        break;
      case 'power-loss':
        off.push({ from: s.from, to: s.to + f.params.bootSec * 1000 });
        break;
      // A swap or an upgrade takes the CE down and boots it again: like a power loss on the timeline.
      case 'device-swap':
      case 'firmware-upgrade':
        off.push(s);
        break;
      case 'mgmt-hang':
        w.hang.push(s);
        break;
      case 'agent-restart':
        w.restart.push(s);
        if (f.endsAt !== null) w.agentRestarts.push(f.endsAt);
        break;
      case 'noc-isolation':
        w.noc.push(s);
        break;
      case 'rate-cap':
        w.caps.push({ ...s, bps: f.params.mbps * 1e6, pressed: f.params.pressed });
        break;
      case 'counter-wrap':
        if (f.params.no64) w.no64.push(s);
        break;
      case 'ifindex-renumber':
        w.renumber.push({ ...s, ifIndex: f.params.ifIndex ?? null });
        break;
      case 'garbage':
        w.garbage.push({ ...s, mode: f.params.mode });
        break;
      case 'latency':
        w.latency.push({ ...s, ms: f.params.ms });
        break;
    }
  }
  const offU = union(off);
  const boots = offU.filter((i) => Number.isFinite(i.to)).map((i) => i.to);
  // After a boot the WAN link needs a moment; a power loss during that moment wins.
  const linkWait = union(boots.map((b) => ({ from: b, to: b + LINK_UP_AFTER_BOOT_MS }))).filter((i) => !within(offU, i.from));
  const linkUps = linkWait.map((i) => i.to).filter((t) => !within(offU, t));
  const cut = union(cuts);
  const adminDown = union(admin);
  const wanDown = union([...cut, ...adminDown, ...offU, ...linkWait]);
  const headendDown = union([...cut, ...adminDown]);
  const cpeCustomerDown = union([...adminDown, ...offU, ...linkWait]);
  const boundaries = new Set<number>([...boots, ...linkUps, ...w.agentRestarts]);
  for (const list of [cut, adminDown, offU, wanDown, w.hang, w.restart, w.noc, w.caps, w.garbage, w.latency, w.renumber, w.no64])
    for (const i of list) {
      boundaries.add(i.from);
      if (Number.isFinite(i.to)) boundaries.add(i.to);
    }
  return {
    ...w,
    cut, adminDown, off: offU, linkWait, wanDown, headendDown, cpeCustomerDown, boots, linkUps,
    boundaries: [...boundaries].sort((a, b) => a - b),
  };
}

export type Reachability = { answer: true; delayMs: number } | { answer: false; why: string } | { answer: 'garbage'; mode: GarbageMode };

export interface SiteConditions {
  powered: boolean;
  wanAdminUp: boolean;
  wanOperUp: boolean;
  headendOperUp: boolean;
  cpeLineUp: boolean;
  cpeCustomerUp: boolean;
  /** The center cannot reach anything (noc-isolation). */
  nocIsolated: boolean;
  /** How the CE's in-band address and its OOB address treat a request arriving now. */
  ceInband: Reachability;
  oob: Reachability;
  /** Traffic cap from policers (Infinity when none); traffic flows only while the WAN is up. */
  capBps: number;
  /** The cap in force is pressed: download demand is above it, traffic sits on it. */
  capPressed: boolean;
  renumberedIfIndex: number | null | undefined;
  has64: boolean;
}

const latest = (list: readonly number[], t: number): number | null => {
  let best: number | null = null;
  for (const x of list) if (x <= t && (best === null || x > best)) best = x;
  return best;
};

export function conditionsAt(w: SiteWindows, t: number): SiteConditions {
  const powered = !within(w.off, t);
  const wanOperUp = !within(w.wanDown, t);
  const nocIsolated = within(w.noc, t);
  const agentSilent = !powered || within(w.restart, t) || within(w.hang, t);
  const silentWhy = !powered ? 'powered off' : within(w.hang, t) ? 'management plane hung' : 'agent restarting';
  const oob: Reachability = nocIsolated ? { answer: false, why: 'noc isolated' } : agentSilent ? { answer: false, why: silentWhy } : { answer: true, delayMs: 0 };
  let ceInband: Reachability = oob;
  if (oob.answer === true) {
    const garbage = activeOf(w.garbage, t);
    if (!wanOperUp) ceInband = { answer: false, why: 'WAN down' };
    else if (garbage.length) ceInband = { answer: 'garbage', mode: garbage[garbage.length - 1]!.mode };
    else ceInband = { answer: true, delayMs: activeOf(w.latency, t).reduce((m, l) => Math.max(m, l.ms), 0) };
  }
  const renumber = activeOf(w.renumber, t);
  return {
    powered,
    wanAdminUp: !within(w.adminDown, t),
    wanOperUp,
    headendOperUp: !within(w.headendDown, t),
    cpeLineUp: !within(w.cut, t),
    cpeCustomerUp: !within(w.cpeCustomerDown, t),
    nocIsolated,
    ceInband,
    oob,
    ...capInForce(w, t),
    // undefined: not renumbered; null: renumbered to the default alternative index.
    renumberedIfIndex: renumber.length ? renumber[renumber.length - 1]!.ifIndex : undefined,
    has64: !within(w.no64, t),
  };
}

/** When the OS (hrSystemUptime) and the agent (sysUpTime) last started, at or before t. */
export function originsAt(w: SiteWindows, t: number, initial: number): { host: number; agent: number } {
  const host = Math.max(initial, latest(w.boots, t) ?? -Infinity);
  return { host, agent: Math.max(host, latest(w.agentRestarts, t) ?? -Infinity) };
}

/** The last instant at or before t where an interval list starts or ends, or null. */
export function lastEdge(list: readonly Interval[], t: number): number | null {
  let best: number | null = null;
  for (const i of list) {
    if (i.from <= t && (best === null || i.from > best)) best = i.from;
    if (i.to <= t && (best === null || i.to > best)) best = i.to;
  }
  return best;
}

/** Where counters last started from zero (WAN link up after a boot), or null if not since the start. */
export const counterOriginAt = (w: SiteWindows, t: number): number | null => latest(w.linkUps, t);

/** The tightest policer at t, and whether the office's demand presses against it. */
function capInForce(w: SiteWindows, t: number): { capBps: number; capPressed: boolean } {
  let cap = { capBps: Infinity, capPressed: false };
  for (const c of activeOf(w.caps, t)) if (c.bps < cap.capBps) cap = { capBps: c.bps, capPressed: c.pressed };
  return cap;
}

/**
 * The pieces of [a, b) in which traffic flows, each with the policer cap in force: the
 * integral of the site's rate is the sum of the curve's integral over these pieces.
 */
export function flowingPieces(w: SiteWindows, a: number, b: number): (Interval & { capBps: number; capPressed: boolean })[] {
  if (b <= a) return [];
  const cuts = [a, b];
  for (const x of w.boundaries) if (x > a && x < b) cuts.push(x);
  cuts.sort((x, y) => x - y);
  const out: (Interval & { capBps: number; capPressed: boolean })[] = [];
  for (let i = 0; i + 1 < cuts.length; i++) {
    const from = cuts[i]!;
    const to = cuts[i + 1]!;
    if (to <= from || within(w.wanDown, from)) continue;
    const { capBps, capPressed } = capInForce(w, from);
    const last = out[out.length - 1];
    if (last && last.to === from && last.capBps === capBps && last.capPressed === capPressed) last.to = to;
    else out.push({ from, to, capBps, capPressed });
  }
  return out;
}
