import type { SnmpEndpoint } from '../core/inventory.js';
import { IF_STATUS_BY_CODE, type IfStatus } from '../core/sample.js';
import * as O from './oids.js';
import type { PortReading } from './port-rates.js';
import { interfaceName, type IfIndexResolver } from './if-index-resolver.js';
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

/** The varbinds of one port, in one PDU with sysUpTime: one request per device per cycle. */
function portOids(ifIndex: number, nameColumn: string, version1: boolean): string[] {
  const c = (column: string) => O.col(column, ifIndex);
  const base = [
    O.SYS_UPTIME, c(nameColumn), c(O.IF_OPER_STATUS), c(O.IF_ADMIN_STATUS), c(O.IF_LAST_CHANGE),
    c(O.IF_IN_OCTETS), c(O.IF_OUT_OCTETS), c(O.IF_IN_ERRORS), c(O.IF_OUT_ERRORS), c(O.IF_IN_DISCARDS), c(O.IF_OUT_DISCARDS),
    c(O.IF_SPEED),
  ];
  // SNMPv1 has no per-varbind exceptions (one unknown OID fails the PDU) and no Counter64.
  if (version1) return base;
  return [...base, O.HR_SYSTEM_UPTIME, c(O.IF_HC_IN_OCTETS), c(O.IF_HC_OUT_OCTETS), c(O.IF_HIGH_SPEED), c(O.IF_COUNTER_DISCONTINUITY_TIME)];
}

/**
 * Polls one named port on a device: resolves the name, GETs everything in one PDU, and
 * re-resolves once when the index no longer carries that name (renumbered after a reboot).
 * The reading is stamped when the GET is handed to the socket (request time), after any
 * wait for name resolution or for the device's previous request.
 */
export async function pollPort(
  pool: SessionPool,
  resolver: IfIndexResolver,
  device: SnmpEndpoint,
  ifName: string,
  now: () => number,
  version1: boolean,
): Promise<PortPoll> {
  for (let attempt = 0; attempt < 2; attempt++) {
    let ifIndex: number | undefined;
    try {
      ifIndex = (await resolver.resolve(device, [ifName])).get(ifName);
    } catch (err) {
      return failed(describe(err));
    }
    if (ifIndex === undefined) return failed(`interface "${ifName}" not found on ${device.host}:${device.port}`, null);
    let sent = now();
    let values: SnmpValue[];
    try {
      values = await pool.request(device, (s) => {
        sent = now();
        return s.get(portOids(ifIndex, resolver.nameColumn(device, ifName), version1));
      });
    } catch (err) {
      return failed(describe(err));
    }
    const rttMs = now() - sent;
    const at = sent;
    const [uptime, name, oper, admin, lastChange, in32, out32, inErr, outErr, inDisc, outDisc, speed, hrUptime, hcIn, hcOut, highSpeed, discontinuity] = values;
    if (typeof name?.value !== 'string' || interfaceName(name.value) !== ifName) {
      resolver.forget(device);
      continue;
    }
    const uptimeTicks = num(uptime);
    if (uptimeTicks === null) return failed('agent did not return sysUpTime', rttMs);
    return {
      ok: true,
      error: null,
      rttMs,
      uptimeTicks,
      hostUptimeTicks: num(hrUptime),
      oper: status(oper),
      admin: status(admin),
      lastChangeTicks: num(lastChange),
      reading: {
        at,
        uptimeTicks,
        ifIndex,
        hcIn: big(hcIn),
        hcOut: big(hcOut),
        in32: big(in32),
        out32: big(out32),
        inErrors: big(inErr),
        outErrors: big(outErr),
        inDiscards: big(inDisc),
        outDiscards: big(outDisc),
        discontinuityTicks: num(discontinuity),
        highSpeedMbps: num(highSpeed),
        speedBps: num(speed),
      },
    };
  }
  return failed(`interface "${ifName}" keeps moving between indexes on ${device.host}:${device.port}`);
}

/** Oper status of several named ports of one device in one PDU (carrier CPE, head-end status). */
export async function pollStatuses(
  pool: SessionPool,
  resolver: IfIndexResolver,
  device: SnmpEndpoint,
  ifNames: readonly string[],
): Promise<{ ok: boolean; error: string | null; statuses: Map<string, IfStatus | null> }> {
  try {
    const indexes = await resolver.resolve(device, ifNames);
    const present = ifNames.filter((n) => indexes.has(n));
    const values = await pool.request(device, (s) => s.get([O.SYS_UPTIME, ...present.map((n) => O.col(O.IF_OPER_STATUS, indexes.get(n)!))]));
    const statuses = new Map<string, IfStatus | null>(ifNames.map((n) => [n, null]));
    present.forEach((n, i) => statuses.set(n, status(values[i + 1])));
    return { ok: true, error: null, statuses };
  } catch (err) {
    return { ok: false, error: describe(err), statuses: new Map() };
  }
}
