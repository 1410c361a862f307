import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';
import { installOidCodecCache } from '../../collector/oid-codec-cache.js';

const netSnmpRequire = createRequire(createRequire(import.meta.url).resolve('net-snmp'));
const { Ber } = netSnmpRequire('asn1-ber') as {
  Ber: {
    Writer: new () => { writeOID(oid: unknown, tag?: number): void; startSequence(): void; endSequence(): void; writeInt(n: number): void; buffer: Buffer };
    Reader: new (b: Buffer) => { readOID(tag?: number): string; readSequence(): void; readInt(): number };
  };
};

function encode(oid: unknown, tag?: number): string {
  const w = new Ber.Writer();
  w.writeOID(oid, tag);
  return w.buffer.toString('hex');
}

describe('the OID codec cache', () => {
  const cache = installOidCodecCache();

  function decode(hex: string, tag?: number): string {
    return new Ber.Reader(Buffer.from(hex, 'hex')).readOID(tag);
  }

  it.each([
    { oid: '1.3.6.1.2.1.1.3.0', hex: '06082b06010201010300' },
    { oid: '1.3.6.1.2.1.31.1.1.1.6.1', hex: '060b2b060102011f0101010601' },
    // Arcs above 127, 16383 and 2^21 take two, three and four bytes.
    { oid: '1.3.6.1.2.1.2.2.1.10.200', hex: '060b2b06010201020201' + '0a8148' },
    { oid: '1.3.6.1.4.1.2011.5.25', hex: '06092b060104018f5b0519' },
    { oid: '1.3.6.1.2.1.2.2.1.10.16384', hex: '060c2b06010201020201' + '0a818000' },
    { oid: '1.3.6.1.2.1.2.2.1.10.2097152', hex: '060d2b06010201020201' + '0a81808000' },
    { oid: '1.3', hex: '06012b' },
  ])('encodes and decodes $oid as asn1-ber does, the first time and every time after', ({ oid, hex }) => {
    for (let i = 0; i < 3; i++) {
      expect(encode(oid)).toBe(hex);
      expect(decode(hex)).toBe(oid);
    }
  });

  it('keeps the tag apart from the OID', () => {
    expect(encode('1.3.6.1', 0x80)).toBe('80032b0601');
    expect(encode('1.3.6.1')).toBe('06032b0601');
    expect(decode('80032b0601', 0x80)).toBe('1.3.6.1');
    // The same bytes under another tag than the one asked for are refused, cached or not.
    expect(() => decode('80032b0601')).toThrow(/Expected 0x6/);
    expect(() => decode('06032b0601', 0x80)).toThrow(/Expected 0x80/);
  });

  it('round-trips inside a message, with sequence lengths still right', () => {
    const oids = Array.from({ length: 200 }, (_, i) => `1.3.6.1.2.1.31.1.1.1.${(i % 20) + 1}.${i * 997}`);
    for (let round = 0; round < 2; round++) {
      const w = new Ber.Writer();
      w.startSequence();
      for (const oid of oids) w.writeOID(oid);
      w.writeInt(42);
      w.endSequence();
      const r = new Ber.Reader(w.buffer);
      r.readSequence();
      expect(oids.map(() => r.readOID())).toEqual(oids);
      expect(r.readInt()).toBe(42);
    }
    expect(cache.encoded()).toBeGreaterThanOrEqual(200);
    expect(cache.decoded()).toBeGreaterThanOrEqual(200);
  });

  it('still refuses what asn1-ber refuses, every time', () => {
    for (let i = 0; i < 2; i++) {
      expect(() => encode('1.3.6.x')).toThrow(/not a valid OID/);
      expect(() => encode(42)).toThrow(/must be a string/);
      // A length running past the end of the message: no OID, as asn1-ber says.
      expect(decode('06092b0601')).toBeNull();
    }
  });
});
