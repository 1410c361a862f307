import type { Inventory } from '../core/inventory.js';
import type { Logger } from '../core/logger.js';
import type { SiteDevice } from './device.js';
import { CE_LAN_IFINDEX, CE_LOOPBACK0_IFINDEX, CE_LOOPBACK_IFINDEX } from './device-views.js';
import { faultAffects, FaultError, naturalEnd, parseFaultSpec, type Fault, type FaultSpec } from './faults.js';

/** Checks a fault's target against the inventory; throws a FaultError naming the field. */
export function checkTarget(spec: FaultSpec, inventory: Inventory): void {
  const sample = (xs: string[]) => xs.slice(0, 5).join(', ') + (xs.length > 5 ? ', …' : '');
  if (spec.kind === 'noc-isolation') return;
  if (spec.kind === 'group-down') {
    const groups = [...new Set(inventory.sites.map((s) => s.circuit.carrierGroup))];
    if (!groups.includes(spec.target)) throw new FaultError('target', `unknown carrier group "${spec.target}" (groups: ${sample(groups)})`);
    return;
  }
  if (!inventory.sites.some((s) => s.id === spec.target))
    throw new FaultError('target', `unknown site "${spec.target}" (sites: ${sample(inventory.sites.map((s) => s.id))})`);
  if (spec.kind === 'ifindex-renumber' && spec.params.ifIndex !== undefined) {
    const taken = [CE_LOOPBACK_IFINDEX, CE_LAN_IFINDEX, CE_LOOPBACK0_IFINDEX];
    if (taken.includes(spec.params.ifIndex))
      throw new FaultError('params.ifIndex', `${spec.params.ifIndex} is another interface of the CE (taken: ${taken.join(', ')})`);
  }
}

/**
 * The faults of a fleet, active and past. Faults start now and end now (or at their
 * natural end), so the past is never rewritten; each device gets the faults that concern
 * it and derives its state from them.
 */
export class FaultBook {
  private readonly list: Fault[] = [];
  private seq = 0;
  private readonly listeners: (() => void)[] = [];

  constructor(
    private readonly devices: ReadonlyMap<string, SiteDevice>,
    private readonly inventory: Inventory,
    private readonly now: () => number,
    private readonly logger: Logger,
  ) {}

  onChange(cb: () => void): void {
    this.listeners.push(cb);
  }

  inject(input: unknown): Fault {
    const spec = parseFaultSpec(input);
    checkTarget(spec, this.inventory);
    const t = this.now();
    const fault: Fault = { ...spec, id: `F-${String(++this.seq).padStart(4, '0')}`, startsAt: t, endsAt: naturalEnd(spec, t) };
    if (fault.kind === 'counter-wrap') this.devices.get(fault.target)!.jumpCounters(t, fault.params.wrapInSec, fault.params.also64);
    this.list.push(fault);
    this.logger.info({ fault: fault.id, kind: fault.kind, target: fault.target, params: fault.params, endsAt: fault.endsAt && new Date(fault.endsAt).toISOString() }, 'fault injected');
    this.changed(fault);
    return fault;
  }

  /** Ends an active fault now. Clearing a fault that already ended changes nothing. */
  clear(id: string): Fault {
    const fault = this.list.find((f) => f.id === id);
    if (!fault) throw new FaultError('id', `no fault "${id}"`);
    const t = this.now();
    if (fault.endsAt === null || fault.endsAt > t) {
      fault.endsAt = t;
      this.logger.info({ fault: id, kind: fault.kind, target: fault.target }, 'fault cleared');
      this.changed(fault);
    }
    return fault;
  }

  clearAll(): Fault[] {
    return this.active().map((f) => this.clear(f.id));
  }

  active(): Fault[] {
    const t = this.now();
    return this.list.filter((f) => f.startsAt <= t && (f.endsAt === null || f.endsAt > t));
  }

  get(id: string): Fault | undefined {
    return this.list.find((f) => f.id === id);
  }

  private changed(fault: Fault): void {
    for (const d of this.devices.values()) {
      const site = { id: d.site.id, carrierGroup: d.site.circuit.carrierGroup };
      if (faultAffects(fault, site)) d.setFaults(this.list.filter((f) => faultAffects(f, site)));
    }
    for (const cb of this.listeners) cb();
  }
}
