import type { Clock } from '../core/clock.js';
import type { Site, SnmpEndpoint } from '../core/inventory.js';
import { endpointKey } from './endpoint-key.js';

/**
 * The shape of a poll cycle, worked out once from the inventory: when in the spread window
 * each site is polled, and which head-end GET carries its circuit. Pure; the collector runs it.
 */

/** Circuits of one head-end router that share one GET. */
export interface HeadendBatch {
  device: SnmpEndpoint;
  /** Every circuit interface of this router: the names one walk per cycle resolves. */
  deviceIfNames: readonly string[];
  sites: readonly Site[];
  /** Each of `sites`' position in the inventory, in the same order. */
  siteIndexes: readonly number[];
}

export interface PlannedSite {
  site: Site;
  /** Position in the inventory: the cycle's samples keep inventory order. */
  index: number;
  /** Where in the spread window the site is polled, in [0, 1); the same every cycle. */
  offset: number;
  batch: HeadendBatch;
}

export interface CyclePlan {
  /** By offset, earliest first. */
  sites: readonly PlannedSite[];
  batches: readonly HeadendBatch[];
}

/** A stable position in [0, 1) per site (FNV-1a of its id), so each site keeps its slot every cycle. */
export function spreadFraction(id: string): number {
  let h = 2166136261;
  for (let i = 0; i < id.length; i++) h = Math.imul(h ^ id.charCodeAt(i), 16777619);
  return (h >>> 0) / 2 ** 32;
}

/**
 * Sites ordered by their slot; each head-end router's circuits cut into batches of
 * `portsPerPdu` in that same order, so a batch's circuits fall close together in the window
 * and its GET goes out when the first of them is due, instead of every head-end GET of the
 * fleet at the start of the cycle.
 */
export function planCycle(sites: readonly Site[], portsPerPdu: number): CyclePlan {
  if (!Number.isInteger(portsPerPdu) || portsPerPdu < 1) throw new RangeError(`portsPerPdu must be a positive integer, got ${portsPerPdu}`);
  const slotted = sites.map((site, index) => ({ site, index, offset: spreadFraction(site.id) }));
  slotted.sort((a, b) => a.offset - b.offset || a.index - b.index);

  const byDevice = new Map<string, { device: SnmpEndpoint; slotted: typeof slotted }>();
  for (const s of slotted) {
    const d = s.site.circuit.headend.device;
    const key = endpointKey(d);
    const entry = byDevice.get(key) ?? { device: d, slotted: [] };
    entry.slotted.push(s);
    byDevice.set(key, entry);
  }
  const batchOf = new Map<number, HeadendBatch>();
  const batches: HeadendBatch[] = [];
  for (const { device, slotted: onDevice } of byDevice.values()) {
    const deviceIfNames = [...new Set(onDevice.map((s) => s.site.circuit.headend.ifName))];
    for (let i = 0; i < onDevice.length; i += portsPerPdu) {
      const chunk = onDevice.slice(i, i + portsPerPdu);
      const batch: HeadendBatch = { device, deviceIfNames, sites: chunk.map((s) => s.site), siteIndexes: chunk.map((s) => s.index) };
      batches.push(batch);
      for (const s of chunk) batchOf.set(s.index, batch);
    }
  }
  return { sites: slotted.map((s) => ({ ...s, batch: batchOf.get(s.index)! })), batches };
}

/**
 * Calls `launch(i)` for i = 0, 1, … once `offsetMs(i)` has passed since `startedAt` (offsets
 * ascending), and resolves with every result. One wait at a time rather than one timer per
 * site: 100,000 sites do not mean 100,000 pending timers. At most `maxInFlight` launches are
 * unsettled at once: when the agents cannot keep up, later sites wait here (the cycle runs
 * long and is reported as an overrun) instead of piling up in memory as pending requests.
 * `wait` is real time in production and a clock-advancing stub in tests. Resolves once every
 * launch has settled; rejects then with the first failure. When `signal` aborts (demarc is
 * stopping), nothing more is launched and the launches still unsettled are abandoned: it
 * resolves at once with what has settled, holes for the rest.
 */
export async function launchSpread<R>(
  count: number,
  offsetMs: (i: number) => number,
  startedAt: number,
  clock: Clock,
  wait: (ms: number) => Promise<void>,
  launch: (i: number) => Promise<R>,
  { tickMs = 5, maxInFlight = Infinity, signal }: { tickMs?: number; maxInFlight?: number; signal?: AbortSignal } = {},
): Promise<R[]> {
  const aborted = signal && new Promise<void>((resolve) => (signal.aborted ? resolve() : signal.addEventListener('abort', () => resolve(), { once: true })));
  const orAbort = (p: Promise<void>) => (aborted ? Promise.race([p, aborted]) : p);
  // Results and the first failure are collected as launches settle; nothing holds on to the
  // launches' promises (at 100,000 sites, a cycle-long array of them and Promise.all's
  // per-element closures were garbage the collector had to carry to the end of the cycle).
  const results: R[] = new Array(count);
  let failure: { err: unknown } | null = null;
  let inFlight = 0;
  let slotFreed: (() => void) | null = null;
  const settled = () => {
    inFlight--;
    slotFreed?.();
    slotFreed = null;
  };
  let i = 0;
  while (i < count && !signal?.aborted) {
    if (inFlight >= maxInFlight) {
      await orAbort(new Promise<void>((resolve) => (slotFreed = resolve)));
      continue;
    }
    const elapsed = clock.now() - startedAt;
    while (i < count && inFlight < maxInFlight && offsetMs(i) <= elapsed) {
      const at = i;
      inFlight++;
      launch(at).then(
        (r) => {
          results[at] = r;
          settled();
        },
        (err: unknown) => {
          failure ??= { err };
          settled();
        },
      );
      i++;
    }
    if (i < count && inFlight < maxInFlight) await orAbort(wait(Math.max(tickMs, offsetMs(i) - elapsed)));
  }
  while (inFlight > 0 && !signal?.aborted) await orAbort(new Promise<void>((resolve) => (slotFreed = resolve)));
  if (signal?.aborted) return results;
  if (failure) throw (failure as { err: unknown }).err;
  return results;
}
