import type { SnmpEndpoint } from '../core/inventory.js';
import { IF_STATUS_BY_CODE, type IfStatus } from '../core/sample.js';
import * as O from './oids.js';
import { cePortLayout, type CeField, type PortLayoutKind } from './port-oids.js';
import type { PortReading } from './port-rates.js';
import { carriesName, type IfIndexResolver } from './if-index-resolver.js';
import type { SessionPool } from './session-pool.js';
import { SnmpRequestError, type SnmpValue } from './snmp-session.js';

/** What one GET of a device's port returned, before any rate math. */
export interface PortPoll {
  ok: boolean;
  error: string | null;
  rttMs: number | null;
  uptimeTicks: number | null;
  hostUptimeTicks: number | null;
  oper: IfStatus | null;
  admin: IfStatus | null;
  lastChangeTicks: number | null;
  reading: PortReading | null;
  /**
   * The agent answered but has no interface by the configured name (a configuration gap, not
   * an outage): `ok` is true, the uptimes come from a GET of the system group, the rest is null.
   */
  unresolved?: boolean;
}

const failed = (error: string, rttMs: number | null = null): PortPoll => ({
  ok: false, error, rttMs, uptimeTicks: null, hostUptimeTicks: null, oper: null, admin: null, lastChangeTicks: null, reading: null,
});

const num = (v: SnmpValue | undefined): number | null => (v && !v.missing && typeof v.value === 'number' ? v.value : null);
const big = (v: SnmpValue | undefined): bigint | null => (v && !v.missing && typeof v.value === 'bigint' ? v.value : null);
const status = (v: SnmpValue | undefined): IfStatus | null => {
  const n = num(v);
  return n === null ? null : (IF_STATUS_BY_CODE[n] ?? 'unknown');
};

function describe(err: unknown): string {
  return err instanceof SnmpRequestError ? err.failure : err instanceof Error ? err.message : String(err);
}

/**
 * Polls one named port on a device: resolves the name, GETs everything in one PDU, and
 * re-resolves once when the index no longer carries that name (renumbered after a reboot).
 * `kind` says which varbinds to ask for (see port-oids.ts); when a `hc` poll finds the 64-bit
 * counters gone, it asks again at once with `full` rather than leave a gap.
 * The reading is stamped when the GET is handed to the socket (request time), after any
 * wait for name resolution or for the device's previous request.
 */
export async function pollPort(
  pool: SessionPool,
  resolver: IfIndexResolver,
  device: SnmpEndpoint,
  ifName: string,
  now: () => number,
  kind: PortLayoutKind,
): Promise<PortPoll> {
  for (let attempt = 0; attempt < 3; attempt++) {
    let ref = resolver.cached(device, ifName);
    if (ref === undefined) {
      try {
        ref = (await resolver.resolve(device, [ifName])).get(ifName);
      } catch (err) {
        return failed(describe(err));
      }
    }
    if (ref === undefined) return unresolvedPort(pool, device, now, kind === 'v1');
    const { ifIndex } = ref;
    const layout = cePortLayout(ifIndex, ref.column, kind);
    let sent = now();
    let values: SnmpValue[];
    try {
      values = await pool.request(device, (s) => {
        sent = now();
        return s.get(layout.oids);
      });
    } catch (err) {
      return failed(describe(err));
    }
    const rttMs = now() - sent;
    const v = (f: CeField): SnmpValue | undefined => (layout.at[f] < 0 ? undefined : values[layout.at[f]]);
    const name = v('name');
    if (!carriesName(ref, name?.value, ifName)) {
      resolver.forget(device);
      continue;
    }
    const uptimeTicks = num(v('uptime'));
    if (uptimeTicks === null) return failed('agent did not return sysUpTime', rttMs);
    const hcIn = big(v('hcIn'));
    const hcOut = big(v('hcOut'));
    if (kind === 'hc' && (hcIn === null || hcOut === null)) {
      kind = 'full';
      continue;
    }
    return {
      ok: true,
      error: null,
      rttMs,
      uptimeTicks,
      hostUptimeTicks: num(v('hrUptime')),
      oper: status(v('oper')),
      admin: status(v('admin')),
      lastChangeTicks: num(v('lastChange')),
      reading:
        kind === 'status'
          ? null
          : {
              at: sent,
              uptimeTicks,
              ifIndex,
              hcIn,
              hcOut,
              in32: big(v('in32')),
              out32: big(v('out32')),
              inErrors: big(v('inErr')),
              outErrors: big(v('outErr')),
              inDiscards: big(v('inDisc')),
              outDiscards: big(v('outDisc')),
              discontinuityTicks: num(v('discontinuity')),
              highSpeedMbps: num(v('highSpeed')),
              speedBps: num(v('speed')),
            },
    };
  }
  return failed(`interface "${ifName}" keeps moving between indexes on ${device.host}:${device.port}`);
}

/**
 * The device answered the name walk but has no such interface. Its uptimes are still read, so
 * the outage stage sees a CE that answers (not an outage) and a reboot is still noticed.
 */
async function unresolvedPort(pool: SessionPool, device: SnmpEndpoint, now: () => number, version1: boolean): Promise<PortPoll> {
  const sent = now();
  let values: SnmpValue[];
  try {
    // SNMPv1 fails a whole PDU for one unknown OID: ask it for sysUpTime alone.
    values = await pool.request(device, (s) => s.get(version1 ? [O.SYS_UPTIME] : [O.SYS_UPTIME, O.HR_SYSTEM_UPTIME]));
  } catch (err) {
    return failed(describe(err));
  }
  const uptimeTicks = num(values[0]);
  if (uptimeTicks === null) return failed('agent did not return sysUpTime', now() - sent);
  return { ok: true, error: null, rttMs: now() - sent, uptimeTicks, hostUptimeTicks: num(values[1]), oper: null, admin: null, lastChangeTicks: null, reading: null, unresolved: true };
}

/** Oper status of several named ports of one device in one PDU (carrier CPE, head-end status). */
export async function pollStatuses(
  pool: SessionPool,
  resolver: IfIndexResolver,
  device: SnmpEndpoint,
  ifNames: readonly string[],
): Promise<{ ok: boolean; error: string | null; statuses: Map<string, IfStatus | null>; unresolved?: string[] }> {
  try {
    const indexes = await resolver.resolve(device, ifNames);
    const present = ifNames.filter((n) => indexes.has(n));
    const values = await pool.request(device, (s) => s.get([O.SYS_UPTIME, ...present.map((n) => O.col(O.IF_OPER_STATUS, indexes.get(n)!.ifIndex))]));
    const statuses = new Map<string, IfStatus | null>(ifNames.map((n) => [n, null]));
    present.forEach((n, i) => statuses.set(n, status(values[i + 1])));
    return { ok: true, error: null, statuses, unresolved: ifNames.filter((n) => !indexes.has(n)) };
  } catch (err) {
    return { ok: false, error: describe(err), statuses: new Map() };
  }
}
