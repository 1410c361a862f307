import type { SnmpEndpoint } from '../core/inventory.js';
import { IF_DESCR, IF_NAME } from './oids.js';
import type { SessionPool } from './session-pool.js';

/**
 * Interfaces are configured by name because ifIndex may change after a reboot or a line-card
 * swap. Names are resolved with one walk of ifName (falling back to ifDescr for agents without
 * ifXTable) and cached per device until a poll finds the index no longer carries the name.
 */
export class IfIndexResolver {
  private readonly cache = new Map<string, Map<string, number>>();

  constructor(private readonly pool: SessionPool) {}

  private key(e: SnmpEndpoint): string {
    return `${e.host}:${e.port}`;
  }

  cached(e: SnmpEndpoint, ifName: string): number | undefined {
    return this.cache.get(this.key(e))?.get(ifName);
  }

  forget(e: SnmpEndpoint): void {
    this.cache.delete(this.key(e));
  }

  /** Index of each requested name; a name the device does not have is absent from the map. */
  async resolve(e: SnmpEndpoint, names: readonly string[]): Promise<Map<string, number>> {
    const known = this.cache.get(this.key(e));
    if (known && names.every((n) => known.has(n))) return known;
    const table = new Map<string, number>();
    for (const column of [IF_NAME, IF_DESCR]) {
      const rows = await this.pool.request(e, (s) => s.walk(column));
      for (const r of rows) {
        const ifIndex = Number(r.oid.slice(column.length + 1));
        if (typeof r.value === 'string' && Number.isInteger(ifIndex) && !table.has(r.value)) table.set(r.value, ifIndex);
      }
      if (names.every((n) => table.has(n))) break;
    }
    this.cache.set(this.key(e), table);
    return table;
  }
}
