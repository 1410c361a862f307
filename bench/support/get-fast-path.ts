import { createRequire } from 'node:module';
import { HC_COLUMNS, IF_COLUMNS, IFX_COLUMNS, OID, type Column, type DeviceView } from '../../sim/mib.js';

/**
 * The bench responder's answer to the one request that is most of a poll cycle: an SNMPv1/v2c
 * GET whose every OID the device has. net-snmp's agent spends most of its time in its MIB
 * machinery (tree lookups, provider handlers, request objects); on 2 cores shared with the
 * collector that made the agents the bench's bottleneck, not the collector under test. Here
 * the request is read and the reply written with asn1-ber (the BER library net-snmp itself
 * uses, so the bytes are built the same way), with the values from the same column
 * definitions the agent serves (sim/mib.ts). Anything else (a walk, SNMPv3, an OID the device
 * lacks, a wrong community) returns null and goes to net-snmp's agent, so its semantics stay
 * the agent's. test/collector/bench-responder.test.ts holds both paths to Debian snmpd.
 */

interface BerReader {
  readSequence(tag?: number): number | null;
  readInt(): number | null;
  readString(tag?: number, retbuf?: boolean): string | Buffer | null;
  readOID(): string | null;
  readByte(): number | null;
  peek(): number | null;
  readonly offset: number;
  readonly length: number;
}
interface BerWriter {
  startSequence(tag?: number): void;
  endSequence(): void;
  writeInt(i: number, tag?: number): void;
  writeString(s: string, tag?: number): void;
  writeBuffer(b: Buffer, tag: number): void;
  writeOID(s: string, tag?: number): void;
  readonly buffer: Buffer;
}
const netSnmpRequire = createRequire(createRequire(import.meta.url).resolve('net-snmp'));
const { Ber } = netSnmpRequire('asn1-ber') as { Ber: { Reader: new (b: Buffer) => BerReader; Writer: new () => BerWriter } };

const GET_REQUEST = 0xa0;
const GET_RESPONSE = 0xa2;
const TAG = { Integer: 0x02, OctetString: 0x04, OID: 0x06, Counter: 0x41, Gauge: 0x42, TimeTicks: 0x43, Counter64: 0x46 } as const;
const IF_ENTRY = `${OID.ifEntry}.`;
const IFX_ENTRY = `${OID.ifXEntry}.`;

type Value = { tag: number; value: number | string | Buffer };

const byNumber = (cols: readonly Column[]) => new Map(cols.map((c) => [c.number, c]));
const IF_BY_NUMBER = byNumber(IF_COLUMNS);
const IFX_BY_NUMBER = byNumber(IFX_COLUMNS);

/** The value of one instance OID at `t`, or null when the device does not have it. */
function valueOf(oid: string, view: DeviceView, t: number): Value | null {
  switch (oid) {
    case `${OID.sysUpTime}.0`:
      return { tag: TAG.TimeTicks, value: view.uptimeCs(t) % 4294967296 };
    case `${OID.hrSystemUptime}.0`:
      return view.hostResources ? { tag: TAG.TimeTicks, value: view.hostUptimeCs(t) % 4294967296 } : null;
    case `${OID.sysDescr}.0`:
      return { tag: TAG.OctetString, value: view.sysDescr };
    case `${OID.sysObjectID}.0`:
      return { tag: TAG.OID, value: view.sysObjectID };
    case `${OID.sysName}.0`:
      return { tag: TAG.OctetString, value: view.sysName };
  }
  const table = oid.startsWith(IF_ENTRY) ? IF_BY_NUMBER : oid.startsWith(IFX_ENTRY) ? IFX_BY_NUMBER : null;
  if (!table) return null;
  const rest = oid.slice(table === IF_BY_NUMBER ? IF_ENTRY.length : IFX_ENTRY.length).split('.');
  if (rest.length !== 2) return null;
  const column = table.get(Number(rest[0]));
  if (!column || (table === IFX_BY_NUMBER && HC_COLUMNS.has(column.number) && !view.has64(t))) return null;
  const row = view.row(t, Number(rest[1]));
  if (!row) return null;
  const value = column.value(row) as number | string | Buffer;
  return { tag: column.type, value };
}

/**
 * The GetResponse to `msg` at `t`, or null when the request is not a v1/v2c GET for
 * `community` of OIDs the device all has (the caller hands it to the full agent then).
 */
export function answerGet(msg: Buffer, community: string, view: DeviceView, t: number): Buffer | null {
  try {
    const r = new Ber.Reader(msg);
    if (r.readSequence() === null) return null;
    const version = r.readInt();
    if (version !== 0 && version !== 1) return null;
    if (r.readString() !== community) return null;
    if (r.peek() !== GET_REQUEST || r.readSequence(GET_REQUEST) === null) return null;
    const id = r.readInt();
    r.readInt();
    r.readInt();
    if (id === null || r.readSequence() === null) return null;
    const end = r.offset + r.length;
    const varbinds: { oid: string; v: Value }[] = [];
    while (r.offset < end) {
      if (r.readSequence() === null) return null;
      const oid = r.readOID();
      // The request's value: NULL (0x05 0x00).
      if (oid === null || r.readByte() !== 0x05 || r.readByte() !== 0x00) return null;
      const v = valueOf(oid, view, t);
      if (!v) return null;
      varbinds.push({ oid, v });
    }
    const w = new Ber.Writer();
    w.startSequence();
    w.writeInt(version);
    w.writeString(community);
    w.startSequence(GET_RESPONSE);
    w.writeInt(id);
    w.writeInt(0);
    w.writeInt(0);
    w.startSequence();
    for (const { oid, v } of varbinds) {
      w.startSequence();
      w.writeOID(oid);
      if (v.tag === TAG.OctetString) w.writeString(v.value as string);
      else if (v.tag === TAG.OID) w.writeOID(v.value as string);
      else if (v.tag === TAG.Counter64) w.writeBuffer(v.value as Buffer, TAG.Counter64);
      else w.writeInt(v.value as number, v.tag);
      w.endSequence();
    }
    w.endSequence();
    w.endSequence();
    w.endSequence();
    return w.buffer;
  } catch {
    // Not something this path reads: the agent will answer or reject it.
    return null;
  }
}
