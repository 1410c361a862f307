import type { SnmpEndpoint } from '../core/inventory.js';
import { IF_STATUS_BY_CODE, type IfStatus } from '../core/sample.js';
import * as O from './oids.js';
import { interfaceName, type IfIndexResolver } from './if-index-resolver.js';
import type { PortReading } from './port-rates.js';
import type { SessionPool } from './session-pool.js';
import { SnmpRequestError, type SnmpValue } from './snmp-session.js';

export interface HeadendPortPoll {
  oper: IfStatus | null;
  reading: PortReading | null;
}

export interface HeadendPoll {
  ok: boolean;
  error: string | null;
  ports: Map<string, HeadendPortPoll>;
}

const PER_PORT = 6;

/**
 * Polls every circuit interface of one head-end router with as few PDUs as possible:
 * `portsPerPdu` circuits share one GET (sysUpTime + 6 varbinds each), so 60 circuits on one
 * router cost 6 requests, not 60.
 */
export async function pollHeadend(
  pool: SessionPool,
  resolver: IfIndexResolver,
  device: SnmpEndpoint,
  ifNames: readonly string[],
  now: () => number,
  portsPerPdu: number,
  version1: boolean,
): Promise<HeadendPoll> {
  const ports = new Map<string, HeadendPortPoll>();
  let indexes: Map<string, number>;
  try {
    indexes = await resolver.resolve(device, ifNames);
  } catch (err) {
    return { ok: false, error: err instanceof SnmpRequestError ? err.failure : String(err), ports };
  }
  const present = ifNames.filter((n) => indexes.has(n));
  let renamed = false;
  for (let i = 0; i < present.length; i += portsPerPdu) {
    const chunk = present.slice(i, i + portsPerPdu);
    const oids = [O.SYS_UPTIME];
    for (const n of chunk) {
      const x = indexes.get(n)!;
      // SNMPv1 has no Counter64: ask twice for the 32-bit counters to keep the layout fixed.
      const [hcIn, hcOut] = version1 ? [O.IF_IN_OCTETS, O.IF_OUT_OCTETS] : [O.IF_HC_IN_OCTETS, O.IF_HC_OUT_OCTETS];
      oids.push(O.col(resolver.nameColumn(device, n), x), O.col(O.IF_OPER_STATUS, x), O.col(hcIn, x), O.col(hcOut, x), O.col(O.IF_IN_OCTETS, x), O.col(O.IF_OUT_OCTETS, x));
    }
    let values: SnmpValue[];
    let at = now();
    try {
      values = await pool.request(device, (s) => {
        at = now();
        return s.get(oids);
      });
    } catch (err) {
      return { ok: false, error: err instanceof SnmpRequestError ? err.failure : String(err), ports };
    }
    const uptime = values[0]?.value;
    chunk.forEach((n, j) => {
      const v = values.slice(1 + j * PER_PORT, 1 + (j + 1) * PER_PORT);
      if (typeof v[0]?.value !== 'string' || interfaceName(v[0].value) !== n) {
        renamed = true;
        return;
      }
      const num = (x: SnmpValue | undefined) => (x && !x.missing && typeof x.value === 'number' ? x.value : null);
      const big = (x: SnmpValue | undefined) => (x && !x.missing && typeof x.value === 'bigint' ? x.value : null);
      const operCode = num(v[1]);
      ports.set(n, {
        oper: operCode === null ? null : (IF_STATUS_BY_CODE[operCode] ?? 'unknown'),
        reading:
          typeof uptime === 'number'
            ? {
                at, uptimeTicks: uptime, ifIndex: indexes.get(n)!, hcIn: version1 ? null : big(v[2]), hcOut: version1 ? null : big(v[3]), in32: big(v[4]), out32: big(v[5]),
                inErrors: null, outErrors: null, inDiscards: null, outDiscards: null, discontinuityTicks: null, highSpeedMbps: null,
              }
            : null,
      });
    });
  }
  // Interfaces renumbered on the head-end: resolve again next cycle; this cycle they are unknown.
  if (renamed) resolver.forget(device);
  return { ok: true, error: null, ports };
}
