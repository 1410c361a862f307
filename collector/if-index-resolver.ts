import type { SnmpEndpoint } from '../core/inventory.js';
import { endpointKey } from './endpoint-key.js';
import { IF_DESCR, IF_NAME } from './oids.js';
import type { SessionPool } from './session-pool.js';

/** Some agents (Windows, embedded stacks) NUL-terminate ifDescr: the name is what comes before. */
export const interfaceName = (raw: string): string => raw.replace(/\0+$/, '');

/** Where a named interface is on its device. */
export interface InterfaceRef {
  ifIndex: number;
  /** The column the name was found in (ifName, or ifDescr for agents without ifXTable): a poll GETs it to check the index still carries the name. */
  column: string;
}

/**
 * Interfaces are configured by name because ifIndex may change after a reboot or a line-card
 * swap. Names are resolved with one walk of ifName (falling back to ifDescr for agents without
 * ifXTable) and cached per device until a poll finds the index no longer carries the name.
 */
export class IfIndexResolver {
  private readonly cache = new Map<string, Map<string, InterfaceRef>>();
  private readonly inFlight = new Map<string, Promise<ReadonlyMap<string, InterfaceRef>>>();

  constructor(private readonly pool: SessionPool) {}

  /** The cached place of one interface; undefined when it has to be resolved. */
  cached(e: SnmpEndpoint, ifName: string): InterfaceRef | undefined {
    return this.cache.get(endpointKey(e))?.get(ifName);
  }

  forget(e: SnmpEndpoint): void {
    this.cache.delete(endpointKey(e));
  }

  /**
   * Each requested name's place; a name the device does not have is absent from the map.
   * Concurrent callers for one device share one walk (the CE and its OOB path, or the first
   * cycle of many circuits on one head-end).
   */
  async resolve(e: SnmpEndpoint, names: readonly string[]): Promise<ReadonlyMap<string, InterfaceRef>> {
    const key = endpointKey(e);
    const known = this.cache.get(key);
    if (known && names.every((n) => known.has(n))) return known;
    const pending = this.inFlight.get(key);
    if (pending) {
      const table = await pending;
      if (names.every((n) => table.has(n))) return table;
    }
    const walk = this.walkNames(e, names).finally(() => this.inFlight.delete(key));
    this.inFlight.set(key, walk);
    return walk;
  }

  private async walkNames(e: SnmpEndpoint, names: readonly string[]): Promise<Map<string, InterfaceRef>> {
    const table = new Map<string, InterfaceRef>();
    for (const column of [IF_NAME, IF_DESCR]) {
      const rows = await this.pool.request(e, (s) => s.walk(column));
      for (const r of rows) {
        const ifIndex = Number(r.oid.slice(column.length + 1));
        const name = typeof r.value === 'string' ? interfaceName(r.value) : null;
        if (name !== null && Number.isInteger(ifIndex) && !table.has(name)) table.set(name, { ifIndex, column });
      }
      if (names.every((n) => table.has(n))) break;
    }
    this.cache.set(endpointKey(e), table);
    return table;
  }
}
