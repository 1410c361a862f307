import dgram from 'node:dgram';
import snmp from 'net-snmp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MALFORMED_REPLY, readRequestId, requestIdLocation, truncate, withWrongRequestId } from '../../sim/garbage.js';

// Real SNMP messages as net-snmp sends them, caught by a plain UDP socket.
const PORT = 20095;
let sink: dgram.Socket;
const caught: Buffer[] = [];

async function capture(send: () => void): Promise<Buffer> {
  const before = caught.length;
  send();
  for (let i = 0; i < 50 && caught.length === before; i++) await new Promise((r) => setTimeout(r, 10));
  const msg = caught[before];
  if (!msg) throw new Error('no datagram caught');
  return msg;
}

beforeAll(async () => {
  sink = dgram.createSocket('udp4');
  sink.on('message', (m) => caught.push(m));
  await new Promise<void>((r) => sink.bind(PORT, '127.0.0.1', () => r()));
});
afterAll(() => sink.close());

describe('request ids in real messages', () => {
  it('finds the v2c request-id and the v3 msgID, and changes them without changing the length', async () => {
    const v2 = snmp.createSession('127.0.0.1', 'public', { port: PORT, version: snmp.Version2c, timeout: 200, retries: 0 });
    const v3 = snmp.createV3Session('127.0.0.1', { name: 'u', level: snmp.SecurityLevel.noAuthNoPriv }, { port: PORT, timeout: 200, retries: 0 });
    for (const s of [v2, v3]) s.on('error', () => undefined);
    const m2 = await capture(() => v2.get(['1.3.6.1.2.1.1.3.0'], () => undefined));
    const m3 = await capture(() => v3.get(['1.3.6.1.2.1.1.3.0'], () => undefined));
    v2.close();
    v3.close();
    for (const m of [m2, m3]) {
      const id = readRequestId(m);
      const wrong = withWrongRequestId(m);
      expect(wrong.length).toBe(m.length);
      expect(readRequestId(wrong)).toBe(id ^ 1);
      expect(Buffer.compare(wrong.subarray(0, requestIdLocation(m).start), m.subarray(0, requestIdLocation(m).start))).toBe(0);
    }
  });

  it('rejects what is not an SNMP message, naming the problem', () => {
    expect(() => readRequestId(Buffer.from('0401ff', 'hex'))).toThrow(/starts with a SEQUENCE/);
    expect(() => readRequestId(MALFORMED_REPLY)).toThrow(/runs past the message/);
    expect(() => readRequestId(Buffer.from([0x30]))).toThrow(/no TLV/);
  });

  it('truncates to a strictly shorter prefix', () => {
    const m = Buffer.from('300e020101040670756', 'hex');
    const t = truncate(m);
    expect(t.length).toBeLessThan(m.length);
    expect(m.subarray(0, t.length).equals(t)).toBe(true);
  });
});
