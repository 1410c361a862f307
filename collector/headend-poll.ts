import type { SnmpEndpoint } from '../core/inventory.js';
import { IF_STATUS_BY_CODE, type IfStatus } from '../core/sample.js';
import * as O from './oids.js';
import { carriesName, type IfIndexResolver, type InterfaceRef } from './if-index-resolver.js';
import { headendPortLayout, type HeadendField, type PortLayout, type PortLayoutKind } from './port-oids.js';
import type { PortReading } from './port-rates.js';
import type { SessionPool } from './session-pool.js';
import { SnmpRequestError, type SnmpValue } from './snmp-session.js';

export interface HeadendPortPoll {
  oper: IfStatus | null;
  reading: PortReading | null;
}

/** One GET's worth of circuits on one head-end router. */
export interface HeadendPoll {
  ok: boolean;
  error: string | null;
  ports: Map<string, HeadendPortPoll>;
  /** Configured names the router does not have (configuration gaps, not outages). */
  unresolved?: readonly string[];
}

/** A circuit's interface in a batch, and which varbinds to ask of it (from its last reading). */
export interface HeadendBatchPort {
  ifName: string;
  kind: PortLayoutKind;
}

const num = (x: SnmpValue | undefined) => (x && !x.missing && typeof x.value === 'number' ? x.value : null);
const big = (x: SnmpValue | undefined) => (x && !x.missing && typeof x.value === 'bigint' ? x.value : null);
const describe = (err: unknown) => (err instanceof SnmpRequestError ? err.failure : err instanceof Error ? err.message : String(err));

/**
 * Polls a batch of circuit interfaces on one head-end router in a single GET (sysUpTime, then
 * 4 to 6 varbinds per port), so 1,000 circuits on one router cost 100 requests, not 1,000.
 * `indexes` is the router's name → ifIndex table, resolved once per cycle and shared by all
 * of its batches. A port whose 64-bit counters vanish has no reading this cycle (a one-interval
 * gap on the head-end side) and is asked for everything next cycle.
 */
export async function pollHeadendBatch(
  pool: SessionPool,
  resolver: IfIndexResolver,
  device: SnmpEndpoint,
  indexes: Promise<ReadonlyMap<string, InterfaceRef>>,
  batch: readonly HeadendBatchPort[],
  now: () => number,
): Promise<HeadendPoll> {
  const ports = new Map<string, HeadendPortPoll>();
  let table: ReadonlyMap<string, InterfaceRef>;
  try {
    table = await indexes;
  } catch (err) {
    return { ok: false, error: describe(err), ports };
  }
  const asked: { ifName: string; ifIndex: number; ref: InterfaceRef; layout: PortLayout<HeadendField>; offset: number }[] = [];
  const oids: string[] = [O.SYS_UPTIME];
  const unresolved: string[] = [];
  for (const p of batch) {
    const ref = table.get(p.ifName);
    if (ref === undefined) {
      unresolved.push(p.ifName);
      continue;
    }
    const { ifIndex } = ref;
    const layout = headendPortLayout(ifIndex, ref.column, p.kind);
    asked.push({ ifName: p.ifName, ifIndex, ref, layout, offset: oids.length });
    for (const oid of layout.oids) oids.push(oid);
  }
  if (asked.length === 0) return { ok: true, error: null, ports, unresolved };

  let values: SnmpValue[];
  let at = now();
  try {
    values = await pool.request(device, (s) => {
      at = now();
      return s.get(oids);
    });
  } catch (err) {
    return { ok: false, error: describe(err), ports };
  }
  const uptime = num(values[0]);
  let renamed = false;
  for (const { ifName, ifIndex, ref, layout, offset } of asked) {
    const v = (f: HeadendField): SnmpValue | undefined => (layout.at[f] < 0 ? undefined : values[offset + layout.at[f]]);
    const name = v('name');
    if (!carriesName(ref, name?.value, ifName)) {
      renamed = true;
      continue;
    }
    const operCode = num(v('oper'));
    ports.set(ifName, {
      oper: operCode === null ? null : (IF_STATUS_BY_CODE[operCode] ?? 'unknown'),
      reading:
        uptime === null
          ? null
          : {
              at, uptimeTicks: uptime, ifIndex, hcIn: big(v('hcIn')), hcOut: big(v('hcOut')), in32: big(v('in32')), out32: big(v('out32')),
              inErrors: null, outErrors: null, inDiscards: null, outDiscards: null, discontinuityTicks: null, highSpeedMbps: null,
            },
    });
  }
  // Interfaces renumbered on the head-end: resolve again next cycle; this cycle they are unknown.
  if (renamed) resolver.forget(device);
  return { ok: true, error: null, ports, unresolved };
}
