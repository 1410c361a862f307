import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';
import { answerGet } from '../../bench/support/get-fast-path.js';
import type { DeviceView, IfRow } from '../../sim/mib.js';

/**
 * The bench responder's GET fast path answers only what it can answer exactly as net-snmp's
 * agent would; everything else must come back null (the agent then answers). The answers
 * themselves are held to snmpd and to the agent in bench-responder.test.ts.
 */
interface BerWriter {
  startSequence(tag?: number): void;
  endSequence(): void;
  writeInt(i: number, tag?: number): void;
  writeString(s: string, tag?: number): void;
  writeOID(s: string): void;
  writeNull(): void;
  readonly buffer: Buffer;
}
interface BerReader {
  readSequence(tag?: number): number | null;
  readInt(tag?: number): number | null;
  readString(): string | null;
  readOID(): string | null;
  peek(): number | null;
  readonly offset: number;
  readonly length: number;
}
const netSnmpRequire = createRequire(createRequire(import.meta.url).resolve('net-snmp'));
const { Ber } = netSnmpRequire('asn1-ber') as { Ber: { Writer: new () => BerWriter; Reader: new (b: Buffer) => BerReader } };

const row = (ifIndex: number): IfRow => ({
  ifIndex, descr: `if${ifIndex}`, name: `if${ifIndex}`, alias: '', type: 6, mtu: 1500, speedBps: 1e9, adminUp: true, operUp: ifIndex === 1, lastChangeCs: 7, discontinuityCs: 0,
  counters: { in64: 5n * 10n ** 12n, out64: 6n, in32: 4_000_000_000, out32: 8, inErrors: 0, outErrors: 0, inDiscards: 0, outDiscards: 0 },
});
const view = (has64 = true): DeviceView => ({
  sysDescr: 'd', sysObjectID: '1.3.6.1.4.1.8072.3.2.10', sysName: 'n', hostResources: true,
  uptimeCs: (t) => t / 10, hostUptimeCs: (t) => t / 10 + 1, ifIndexes: () => [1, 2], has64: () => has64, row: (_t, i) => (i === 1 || i === 2 ? row(i) : null),
});

function request(oids: string[], { version = 1, community = 'c', pdu = 0xa0, id = 4711 } = {}): Buffer {
  const w = new Ber.Writer();
  w.startSequence();
  w.writeInt(version);
  w.writeString(community);
  w.startSequence(pdu);
  w.writeInt(id);
  w.writeInt(0);
  w.writeInt(0);
  w.startSequence();
  for (const oid of oids) {
    w.startSequence();
    w.writeOID(oid);
    w.writeNull();
    w.endSequence();
  }
  w.endSequence();
  w.endSequence();
  w.endSequence();
  return w.buffer;
}

/** (request id, [oid, BER tag, value]) of a GetResponse. */
function decode(buf: Buffer): { id: number; varbinds: [string, number, number | string][] } {
  const r = new Ber.Reader(buf);
  r.readSequence();
  r.readInt();
  r.readString();
  r.readSequence(0xa2);
  const id = r.readInt()!;
  expect([r.readInt(), r.readInt()]).toEqual([0, 0]);
  r.readSequence();
  const end = r.offset + r.length;
  const varbinds: [string, number, number | string][] = [];
  while (r.offset < end) {
    r.readSequence();
    const oid = r.readOID()!;
    const tag = r.peek()!;
    const value = tag === 0x04 ? r.readString()! : tag === 0x06 ? r.readOID()! : r.readInt(tag)!;
    varbinds.push([oid, tag, value]);
  }
  return { id, varbinds };
}

const T = 1_000_000;

describe('answerGet', () => {
  it('answers a v2c GET with the request id, each OID in order, its type and its value at t', () => {
    const reply = answerGet(request(['1.3.6.1.2.1.1.3.0', '1.3.6.1.2.1.31.1.1.1.1.2', '1.3.6.1.2.1.2.2.1.8.2', '1.3.6.1.2.1.2.2.1.10.1', '1.3.6.1.2.1.1.2.0']), 'c', view(), T);
    expect(decode(reply!)).toEqual({
      id: 4711,
      varbinds: [
        ['1.3.6.1.2.1.1.3.0', 0x43, T / 10],
        ['1.3.6.1.2.1.31.1.1.1.1.2', 0x04, 'if2'],
        ['1.3.6.1.2.1.2.2.1.8.2', 0x02, 2],
        // Counter32 above 2^31 as net-snmp writes it (asn1-ber's writeInt with the Counter tag).
        ['1.3.6.1.2.1.2.2.1.10.1', 0x41, 4_000_000_000],
        ['1.3.6.1.2.1.1.2.0', 0x06, '1.3.6.1.4.1.8072.3.2.10'],
      ],
    });
  });

  it('answers SNMPv1 too', () => expect(answerGet(request(['1.3.6.1.2.1.1.3.0'], { version: 0 }), 'c', view(), T)).not.toBeNull());

  it.each<[string, Buffer, DeviceView]>([
    ['another community', request(['1.3.6.1.2.1.1.3.0'], { community: 'x' }), view()],
    ['SNMPv3', request(['1.3.6.1.2.1.1.3.0'], { version: 3 }), view()],
    ['GETNEXT', request(['1.3.6.1.2.1.1.3.0'], { pdu: 0xa1 }), view()],
    ['GETBULK', request(['1.3.6.1.2.1.1.3.0'], { pdu: 0xa5 }), view()],
    ['SET', request(['1.3.6.1.2.1.1.3.0'], { pdu: 0xa3 }), view()],
    ['an interface the device lacks', request(['1.3.6.1.2.1.2.2.1.8.9']), view()],
    ['a column the agent does not serve', request(['1.3.6.1.2.1.2.2.1.6.1']), view()],
    ['a 64-bit counter on a device without them', request(['1.3.6.1.2.1.31.1.1.1.6.1']), view(false)],
    ['a table OID without an instance', request(['1.3.6.1.2.1.2.2.1.8']), view()],
    ['an OID outside the MIB', request(['1.3.6.1.4.1.9.9.1.0']), view()],
    ['bytes that are not BER', Buffer.from('not snmp'), view()],
    ['a request cut short', request(['1.3.6.1.2.1.1.3.0']).subarray(0, 20), view()],
  ])('leaves %s to the agent', (_what, msg, v) => expect(answerGet(msg, 'c', v, T)).toBeNull());
});
