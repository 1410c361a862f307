import type { SnmpEndpoint } from '../core/inventory.js';
import { endpointKey } from './endpoint-key.js';
import { IF_ALIAS, IF_DESCR, IF_NAME } from './oids.js';
import type { SessionPool } from './session-pool.js';

/** Some agents (Windows, embedded stacks) NUL-terminate ifDescr: the name is what comes before. */
export const interfaceName = (raw: string): string => raw.replace(/\0+$/, '');

/** The first word of an ifDescr (ZTE: `xgei_2/1 UPLINK` for the port xgei_2/1). */
const firstWord = (s: string): string => s.trim().split(/\s+/, 1)[0] ?? '';

/**
 * How a configured name was found on the device, in the order they are tried: the vendor
 * forms that occur (ifName; ifDescr for agents without ifXTable; the first word of an ifDescr
 * that carries a description after the port, as ZTE's does; ifAlias, the operator's label).
 */
export type NameSource = 'ifName' | 'ifDescr' | 'ifDescr-first-word' | 'ifAlias';

/** Where a named interface is on its device. */
export interface InterfaceRef {
  ifIndex: number;
  /** The column the name was found in: a poll GETs it to check the index still carries the name. */
  column: string;
  matchedBy: NameSource;
}

/** Whether the value a poll read from `ref.column` still names the configured interface. */
export function carriesName(ref: InterfaceRef, raw: unknown, ifName: string): boolean {
  if (typeof raw !== 'string') return false;
  const name = interfaceName(raw);
  return ref.matchedBy === 'ifDescr-first-word' ? firstWord(name) === ifName : name === ifName;
}

const PASSES: { column: string; matchedBy: NameSource; key: (name: string) => string }[] = [
  { column: IF_NAME, matchedBy: 'ifName', key: (n) => n },
  { column: IF_DESCR, matchedBy: 'ifDescr', key: (n) => n },
  { column: IF_DESCR, matchedBy: 'ifDescr-first-word', key: firstWord },
  { column: IF_ALIAS, matchedBy: 'ifAlias', key: (n) => n },
];

/**
 * Interfaces are configured by name because ifIndex may change after a reboot or a line-card
 * swap. Names are resolved with walks of ifName, then ifDescr, then ifAlias (only as far as
 * needed) and cached per device until a poll finds the index no longer carries the name.
 * A name found in none of them is absent from the answer: a configuration gap for the caller.
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
    const walked = new Map<string, { ifIndex: number; name: string }[]>();
    for (const pass of PASSES) {
      let rows = walked.get(pass.column);
      if (!rows) {
        const column = pass.column;
        const raw = await this.pool.request(e, (s) => s.walk(column));
        rows = [];
        for (const r of raw) {
          const ifIndex = Number(r.oid.slice(column.length + 1));
          if (typeof r.value === 'string' && Number.isInteger(ifIndex)) rows.push({ ifIndex, name: interfaceName(r.value) });
        }
        walked.set(column, rows);
      }
      for (const r of rows) {
        const k = pass.key(r.name);
        if (k !== '' && !table.has(k)) table.set(k, { ifIndex: r.ifIndex, column: pass.column, matchedBy: pass.matchedBy });
      }
      if (names.every((n) => table.has(n))) break;
    }
    this.cache.set(endpointKey(e), table);
    return table;
  }
}
