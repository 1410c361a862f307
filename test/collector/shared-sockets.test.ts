import dgram from 'node:dgram';
import { readdirSync } from 'node:fs';
import snmp from 'net-snmp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SessionPool } from '../../collector/session-pool.js';
import { adoptSession, peekRequestId, SharedUdpTransport } from '../../collector/shared-udp.js';
import type { SnmpValue } from '../../collector/snmp-session.js';
import type { SnmpEndpoint } from '../../core/inventory.js';
import { silentLogger } from '../../core/logger.js';
import { Secret } from '../../core/secret.js';
import type { SnmpProfile } from '../../core/snmp-profile.js';
import { startSnmpd, type RunningSnmpd } from '../support/snmpd.js';

const COMMUNITY = 'demarc-shared';
const PORT = 44161;
const DEVICES = 1000;
/** 127.44.0.1 … : one address per device, all on lo. */
const address = (i: number) => `127.44.${Math.floor(i / 250)}.${(i % 250) + 1}`;
const ADDRESSES = Array.from({ length: DEVICES }, (_, i) => address(i));
const V2C: SnmpProfile = { name: 'v2c', version: '2c', community: new Secret(COMMUNITY), timeoutMs: 1500, retries: 1 };
const PROFILES = new Map([['v2c', V2C]]);
const endpoint = (host: string, port = PORT): SnmpEndpoint => ({ host, port, profile: 'v2c' });
/** sysDescr, sysObjectID, sysName, ifDescr.1, ifType.1: fixed facts, so two readings must be equal. */
const FIXED = ['1.3.6.1.2.1.1.1.0', '1.3.6.1.2.1.1.2.0', '1.3.6.1.2.1.1.5.0', '1.3.6.1.2.1.2.2.1.2.1', '1.3.6.1.2.1.2.2.1.3.1'];
const openFds = () => readdirSync('/proc/self/fd').length;
const shape = (vs: SnmpValue[]) => vs.map((v) => `${v.oid}=${String(v.value)}`).join(' ');

describe('peekRequestId reads the id net-snmp matches replies by', () => {
  it.each<[string, string, number | null]>([
    // SEQUENCE { version 1 (v2c), community "x", GetResponse { request-id 0x1234, … } }
    ['v2c response', '3010020101040178a208020212340201000201', 0x1234],
    ['v1 request', '300f020100040178a0070201070201000201', 7],
    // SEQUENCE { version 3, msgGlobalData SEQUENCE { msgID 0x0102_0304, … } }
    ['v3 message', '300c020103300702040102030402', 0x01020304],
    ['version 7, PDU missing', '300602010704016100', null],
    ['not a sequence', '0201000000', null],
    ['empty', '', null],
    ['cut inside the header', '3010020101', null],
  ])('%s', (_what, hex, id) => expect(peekRequestId(Buffer.from(hex, 'hex'))).toBe(id));
});

describe('SNMP sessions sharing a few UDP sockets (real snmpd on 1,000 loopback addresses)', () => {
  let agent: RunningSnmpd;
  beforeAll(async () => {
    agent = await startSnmpd({ port: PORT, community: COMMUNITY, addresses: ADDRESSES });
  });
  afterAll(async () => agent?.stop());

  it('answers every device as one socket per session does, with a bounded number of file descriptors', async () => {
    const read = async (sharedSockets: number) => {
      const pool = new SessionPool(PROFILES, 200, silentLogger, sharedSockets);
      const before = openFds();
      try {
        const answers = await Promise.all(ADDRESSES.map((a) => pool.request(endpoint(a), (s) => s.get(FIXED))));
        const walks = await Promise.all(ADDRESSES.slice(0, 50).map((a) => pool.request(endpoint(a), (s) => s.walk('1.3.6.1.2.1.2.2.1.2'))));
        return { answers: answers.map(shape), walks: walks.map(shape), fdsOpened: openFds() - before, stats: pool.stats() };
      } finally {
        pool.close();
      }
    };
    const shared = await read(2);
    const own = await read(0);
    expect(shared.answers).toHaveLength(DEVICES);
    expect(shared.answers.every((a) => a.includes('1.3.6.1.2.1.2.2.1.3.1=24'))).toBe(true); // lo is softwareLoopback
    expect(shared.answers).toEqual(own.answers);
    expect(shared.walks).toEqual(own.walks);
    expect(shared.stats.sessions).toBe(DEVICES);
    expect(shared.stats.sockets).toBe(2);
    expect(shared.stats.failures.timeout).toBe(0);
    // The same measure on net-snmp's own sockets: one descriptor per device.
    expect(own.fdsOpened).toBeGreaterThanOrEqual(DEVICES);
    expect(shared.fdsOpened).toBeLessThanOrEqual(2 + 8);
  });

  /**
   * A stand-in device at 127.44.9.1 relays each request to snmpd and sends the genuine reply
   * (right request id) first from `spoofFrom`, then, if `genuine`, from its own address.
   */
  async function relayDevice(spoofFrom: { address: string; port: number }, genuine: boolean) {
    const device = dgram.createSocket('udp4');
    const spoofer = dgram.createSocket('udp4');
    const relay = dgram.createSocket('udp4');
    const seen: (number | null)[] = [];
    let asker: dgram.RemoteInfo | null = null;
    device.on('message', (msg, from) => {
      seen.push(peekRequestId(msg));
      asker = from;
      relay.send(msg, PORT, ADDRESSES[0]!);
    });
    relay.on('message', (reply) => {
      const to = asker!;
      spoofer.send(reply, to.port, to.address, () => {
        if (genuine) setTimeout(() => device.send(reply, to.port, to.address), 50);
      });
    });
    await new Promise<void>((r) => device.bind(44201, '127.44.9.1', r));
    await new Promise<void>((r) => spoofer.bind(spoofFrom.port, spoofFrom.address, r));
    const close = () => Promise.all([device, spoofer, relay].map((s) => new Promise<void>((r) => s.close(() => r()))));
    return { seen, close };
  }

  it.each([
    ['another address', { address: '127.44.9.2', port: 44202 }],
    ['the device address, another port', { address: '127.44.9.1', port: 44203 }],
  ])('drops a reply with the right request id from %s, and counts it', async (_what, spoofFrom) => {
    const dev = await relayDevice(spoofFrom, false);
    const pool = new SessionPool(new Map([['v2c', { ...V2C, timeoutMs: 300, retries: 1 }]]), 10, silentLogger, 2);
    try {
      const err = await pool.request(endpoint('127.44.9.1', 44201), (s) => s.get(FIXED)).catch((e: unknown) => e);
      expect(String(err)).toMatch(/timeout/);
      // The request and its retry each drew a reply from the wrong source; neither was taken.
      expect(dev.seen).toHaveLength(2);
      expect(new Set(dev.seen).size).toBe(1);
      expect(pool.stats().dropped['wrong-source']).toBe(2);
    } finally {
      pool.close();
      await dev.close();
    }
  });

  it('takes the genuine reply that follows a spoofed one', async () => {
    const dev = await relayDevice({ address: '127.44.9.2', port: 44204 }, true);
    const pool = new SessionPool(PROFILES, 10, silentLogger, 2);
    try {
      const [direct] = await Promise.all([pool.request(endpoint(ADDRESSES[0]!), (s) => s.get(FIXED))]);
      const via = await pool.request(endpoint('127.44.9.1', 44201), (s) => s.get(FIXED));
      expect(shape(via)).toBe(shape(direct!));
      expect(pool.stats().dropped['wrong-source']).toBe(1);
    } finally {
      pool.close();
      await dev.close();
    }
  });
});

describe('SNMPv3 sessions to two engines over one shared socket', () => {
  const V3 = { user: 'demarc', auth: 'SHA' as const, authKey: 'authpass123', privKey: 'privpass123' };
  let a: RunningSnmpd;
  let b: RunningSnmpd;
  beforeAll(async () => {
    [a, b] = await Promise.all([
      startSnmpd({ port: PORT + 1, community: COMMUNITY, v3: V3, addresses: ['127.44.10.1'] }),
      startSnmpd({ port: PORT + 1, community: COMMUNITY, v3: V3, addresses: ['127.44.10.2'] }),
    ]);
  });
  afterAll(async () => Promise.all([a?.stop(), b?.stop()]));

  /** snmpEngineID.0 and snmpEngineBoots.0 as the agent itself reports them (v2c, its own socket). */
  const engineOf = (host: string) =>
    new Promise<{ id: string; boots: number }>((resolve, reject) => {
      const s = snmp.createSession(host, COMMUNITY, { port: PORT + 1, version: snmp.Version2c, timeout: 1500 });
      s.get(['1.3.6.1.6.3.10.2.1.1.0', '1.3.6.1.6.3.10.2.1.2.0'], (err, vbs) => {
        s.close();
        if (err || !vbs) return reject(err ?? new Error('no varbinds'));
        resolve({ id: (vbs[0]!.value as Buffer).toString('hex'), boots: vbs[1]!.value as number });
      });
    });

  interface V3Internals {
    msgSecurityParameters?: { msgAuthoritativeEngineID: Buffer; msgAuthoritativeEngineBoots: number };
  }

  it('each session discovers its own engine and keeps its own boots and time after the other reboots', async () => {
    const transport = new SharedUdpTransport(1);
    const open = (host: string) => {
      const s = snmp.createV3Session(host, { name: V3.user, level: snmp.SecurityLevel.authPriv, authProtocol: snmp.AuthProtocols.sha, authKey: V3.authKey, privProtocol: snmp.PrivProtocols.aes, privKey: V3.privKey }, {
        port: PORT + 1, version: snmp.Version3, timeout: 1500, retries: 1, dgramModule: transport.dgramModule,
      } as unknown as snmp.SessionOptionsV3);
      adoptSession(s, transport);
      return s;
    };
    const get = (s: snmp.Session) => new Promise<number>((resolve, reject) => s.get(['1.3.6.1.2.1.1.3.0'], (err, vbs) => (err ? reject(err) : resolve(vbs![0]!.value as number))));
    const engine = (s: snmp.Session) => {
      const p = (s as unknown as V3Internals).msgSecurityParameters!;
      return { id: p.msgAuthoritativeEngineID.toString('hex'), boots: p.msgAuthoritativeEngineBoots };
    };
    const sa = open('127.44.10.1');
    const sb = open('127.44.10.2');
    try {
      await Promise.all([get(sa), get(sb)]);
      const [ea, eb] = await Promise.all([engineOf('127.44.10.1'), engineOf('127.44.10.2')]);
      expect(ea.id).not.toBe(eb.id);
      expect(engine(sa)).toEqual(ea);
      expect(engine(sb)).toEqual(eb);

      await a.restart();
      const rebooted = await engineOf('127.44.10.1');
      expect(rebooted.boots).toBe(ea.boots + 1);
      // b's session is untouched by a's reboot and answers with the engine state it had.
      await get(sb);
      expect(engine(sb)).toEqual(eb);
      // a's agent answers the stale boots with a notInTimeWindow report; net-snmp resynchronises a's session alone.
      await get(sa);
      expect(engine(sa)).toEqual({ id: ea.id, boots: rebooted.boots });
      expect(engine(sb)).toEqual(eb);
      expect(transport.stats().dropped['wrong-source']).toBe(0);
    } finally {
      sa.close();
      sb.close();
      transport.close();
    }
  });
});
