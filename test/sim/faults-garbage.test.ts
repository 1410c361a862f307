import dgram from 'node:dgram';
import snmp from 'net-snmp';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startFleetSimulator, type FleetSimulator } from '../../sim/fleet.js';
import { MALFORMED_REPLY, readRequestId } from '../../sim/garbage.js';
import { makeFleetConfig, type FleetConfig } from '../support/fleet-fixture.js';
import { IF, get, managerFor, site, sleep } from './snmp-helpers.js';

// The CE's address answering bad packets. A raw UDP client sends a real GET (as net-snmp
// builds it) and looks at the bytes that come back; a net-snmp manager shows what a poller sees.
const PORT = 20050;
const RAW_PORT = 20051;
let fx: FleetConfig;
let sim: FleetSimulator;
let raw: dgram.Socket;
const inbox: Buffer[] = [];

beforeAll(async () => {
  fx = makeFleetConfig({ sites: 4, agentPort: PORT });
  sim = await startFleetSimulator({ config: fx.config, controlPort: null });
  raw = dgram.createSocket('udp4');
  raw.on('message', (m) => inbox.push(m));
  await new Promise<void>((r) => raw.bind(RAW_PORT, '127.0.0.1', () => r()));
});
afterEach(() => {
  sim.clearAll();
});
afterAll(async () => {
  raw?.close();
  await sim?.stop();
  fx?.cleanup();
});

/** A v2c GET of sysUpTime as net-snmp encodes it (sent to our raw socket, caught there). */
async function v2cRequest(community: string): Promise<Buffer> {
  const s = snmp.createSession('127.0.0.1', community, { port: RAW_PORT, version: snmp.Version2c, timeout: 100, retries: 0 });
  s.on('error', () => undefined);
  const before = inbox.length;
  s.get([IF.sysUpTime], () => undefined);
  while (inbox.length === before) await sleep(5);
  s.close();
  return inbox.splice(before, 1)[0]!;
}

/** Sends raw bytes to host:PORT and returns the reply, or null after 300 ms. */
async function exchange(host: string, request: Buffer): Promise<Buffer | null> {
  const before = inbox.length;
  raw.send(request, PORT, host);
  const end = Date.now() + 300;
  while (inbox.length === before && Date.now() < end) await sleep(5);
  return inbox.length > before ? inbox.splice(before, 1)[0]! : null;
}

const community = () => {
  const p = fx.config.profiles.get('ce-v2c')!;
  return p.version === '3' ? '' : p.community.reveal();
};

describe('garbage on a v2c CE', () => {
  const s = () => site(fx.config, 'D01-R002');

  it('answers normally without the fault', async () => {
    const req = await v2cRequest(community());
    const reply = await exchange(s().ce.device.host, req);
    expect(reply).not.toBeNull();
    expect(readRequestId(reply!)).toBe(readRequestId(req));
  });

  it.each([
    ['malformed', (_req: Buffer, reply: Buffer | null) => expect(reply).toEqual(MALFORMED_REPLY)],
    ['truncated', (_req: Buffer, reply: Buffer | null, normal: Buffer) => {
      expect(reply!.length).toBeLessThan(normal.length);
      expect(normal.subarray(0, reply!.length).subarray(0, 4)).toEqual(reply!.subarray(0, 4));
    }],
    ['wrong-request-id', (req: Buffer, reply: Buffer | null, normal: Buffer) => {
      expect(reply!.length).toBe(normal.length);
      expect(readRequestId(reply!)).toBe(readRequestId(req) ^ 1);
    }],
    ['silent', (_req: Buffer, reply: Buffer | null) => expect(reply).toBeNull()],
  ] as const)('mode %s: the reply bytes are bad, and clearing restores the agent', async (mode, check) => {
    const req = await v2cRequest(community());
    const normal = (await exchange(s().ce.device.host, req))!;
    const f = sim.inject({ kind: 'garbage', target: s().id, params: { mode } });
    check(req, await exchange(s().ce.device.host, req), normal);
    // what a net-snmp poller sees: no usable answer
    const m = managerFor(fx.config, s().ce.device, { timeout: 300 });
    try {
      await expect(get(m, [IF.sysUpTime])).rejects.toThrow();
      // An unparseable datagram surfaces as the session's 'error' event: a poller must listen for it.
      if (mode === 'malformed') expect(m.errors.length).toBeGreaterThan(0);
    } finally {
      m.close();
    }
    sim.clear(f.id);
    const again = await exchange(s().ce.device.host, req);
    expect(readRequestId(again!)).toBe(readRequestId(req));
  });
});

describe('garbage on a v3 CE', () => {
  it('wrong-request-id makes a v3 poller time out; the OOB path is unaffected', async () => {
    const s = site(fx.config, 'D01-R004');
    const m = managerFor(fx.config, s.ce.device, { timeout: 300 });
    const oob = managerFor(fx.config, s.oob!, { timeout: 300 });
    try {
      await get(m, [IF.sysUpTime]); // discovery done while healthy
      sim.inject({ kind: 'garbage', target: s.id, params: { mode: 'wrong-request-id' } });
      await expect(get(m, [IF.sysUpTime])).rejects.toThrow(/timed out/i);
      expect((await get(oob, [IF.sysUpTime])).length).toBe(1);
      sim.clearAll();
      expect((await get(m, [IF.sysUpTime])).length).toBe(1);
    } finally {
      m.close();
      oob.close();
    }
  });
});
