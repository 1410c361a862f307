import snmp from 'net-snmp';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { SnmpEndpoint } from '../../core/inventory.js';
import { startFleetSimulator, type FleetSimulator } from '../../sim/fleet.js';
import { makeFleetConfig, type FleetConfig } from '../support/fleet-fixture.js';
import { IF, bigintOf, get, ifIndexOnce, managerFor, numberOf, probeOnce, site, sleep, until, walk } from './snmp-helpers.js';

// Device-side faults and odd devices. D01-R004 has an OOB path, D01-R002 a carrier CPE.
const PORT = 20040;
let fx: FleetConfig;
let sim: FleetSimulator;

beforeAll(async () => {
  fx = makeFleetConfig({ sites: 6, agentPort: PORT });
  sim = await startFleetSimulator({ config: fx.config, controlPort: null });
});
afterEach(() => {
  sim.clearAll();
});
afterAll(async () => {
  await sim?.stop();
  fx?.cleanup();
});

const probe = (endpoint: SnmpEndpoint, oids: string[], timeout?: number) => probeOnce(fx.config, endpoint, oids, timeout);
/**
 * One GET that must be answered: a generous timeout, since a busy machine can delay the
 * simulator's reply past the short one `probe` uses to show a device silent. Null only if
 * it really does not answer.
 */
const answer = (endpoint: SnmpEndpoint, oids: string[]) => probeOnce(fx.config, endpoint, oids, 5000);
const ifIndexOf = (endpoint: SnmpEndpoint, name: string) => ifIndexOnce(fx.config, endpoint, name);

describe('power-loss', () => {
  it('silences the CE everywhere, keeps the head-end up with its counters stopped, and reboots it from zero', async () => {
    const s = site(fx.config, 'D01-R004');
    const wan = await ifIndexOf(s.ce.device, s.ce.ifName);
    const he = await ifIndexOf(s.circuit.headend.device, s.circuit.headend.ifName);
    const before = (await answer(s.ce.device, [IF.sysUpTime, IF.hrSystemUptime, IF.hcIn(wan)]))!;
    expect(numberOf(before[0])).toBeGreaterThan(86_400 * 100);

    const f = sim.inject({ kind: 'power-loss', target: s.id, params: { bootSec: 0.5 } });
    expect(await probe(s.ce.device, [IF.sysUpTime])).toBeNull();
    expect(await probe(s.oob!, [IF.sysUpTime])).toBeNull();
    const h1 = (await answer(s.circuit.headend.device, [IF.oper(he), IF.hcIn(he)]))!;
    await sleep(300);
    const h2 = (await answer(s.circuit.headend.device, [IF.oper(he), IF.hcIn(he)]))!;
    expect(h1[0]!.value).toBe(1);
    expect(bigintOf(h2[1])).toBe(bigintOf(h1[1]));

    f.clear();
    // still booting for 0.5 s, then the OOB path answers while the WAN link comes up
    expect(await probe(s.oob!, [IF.sysUpTime], 200)).toBeNull();
    const oob = await until(() => probe(s.oob!, [IF.sysUpTime, IF.oper(wan)]), (v) => v !== null, 2000);
    expect(numberOf(oob![0])).toBeLessThan(300);
    expect(oob![1]!.value).toBe(2);
    const back = await until(() => probe(s.ce.device, [IF.sysUpTime, IF.hrSystemUptime, IF.hcIn(wan), IF.discontinuity(wan), IF.lastChange(wan), IF.oper(wan)]), (v) => v !== null, 4000);
    expect(back).not.toBeNull();
    const [up, hr, hc, disc, last, oper] = back!;
    expect(numberOf(up)).toBeLessThan(500);
    expect(numberOf(hr)).toBeLessThan(500);
    expect(bigintOf(hc)).toBeLessThan((70_000_000n / 8n) * 5n); // counted from zero a moment ago
    expect(numberOf(disc)).toBe(200);
    expect(numberOf(last)).toBe(200);
    expect(oper!.value).toBe(1);
  });

  it('takes the carrier CPE port facing the CE down; the line port stays up', async () => {
    const s = site(fx.config, 'D01-R002');
    const line = await ifIndexOf(s.cpe!.device, s.cpe!.lineIfName!);
    const customer = await ifIndexOf(s.cpe!.device, s.cpe!.customerIfName!);
    sim.inject({ kind: 'power-loss', target: s.id });
    const vbs = (await answer(s.cpe!.device, [IF.oper(line), IF.oper(customer)]))!;
    expect([vbs[0]!.value, vbs[1]!.value]).toEqual([1, 2]);
  });
});

describe('agent-restart', () => {
  it('resets sysUpTime only: hrSystemUptime and the counters carry on', async () => {
    const s = site(fx.config, 'D01-R005');
    const wan = await ifIndexOf(s.ce.device, s.ce.ifName);
    const oids = [IF.sysUpTime, IF.hrSystemUptime, IF.hcIn(wan), IF.discontinuity(wan)];
    const t0 = Date.now();
    const before = (await answer(s.ce.device, oids))!;
    const f = sim.inject({ kind: 'agent-restart', target: s.id, params: { silentSec: 0.4 } });
    expect(await probe(s.ce.device, oids, 200)).toBeNull();
    await sleep(f.fault.endsAt! - Date.now() + 20);
    const after = (await answer(s.ce.device, oids))!;
    expect(numberOf(after[0])).toBeLessThan(100);
    expect(Math.abs(numberOf(after[1]) - numberOf(before[1]) - (Date.now() - t0) / 10)).toBeLessThan(20);
    expect(bigintOf(after[2])).toBeGreaterThan(bigintOf(before[2]));
    expect(numberOf(after[3])).toBe(0); // counters had no discontinuity since the agent (re)started
  });
});

describe('mgmt-hang', () => {
  it('silences the CE in-band and over OOB while traffic keeps flowing', async () => {
    const s = site(fx.config, 'D01-R004');
    const he = await ifIndexOf(s.circuit.headend.device, s.circuit.headend.ifName);
    sim.inject({ kind: 'mgmt-hang', target: s.id });
    expect(await probe(s.ce.device, [IF.sysUpTime])).toBeNull();
    expect(await probe(s.oob!, [IF.sysUpTime])).toBeNull();
    const h1 = (await answer(s.circuit.headend.device, [IF.oper(he), IF.hcIn(he)]))!;
    await sleep(300);
    const h2 = (await answer(s.circuit.headend.device, [IF.oper(he), IF.hcIn(he)]))!;
    expect(h1[0]!.value).toBe(1);
    expect(bigintOf(h2[1])).toBeGreaterThan(bigintOf(h1[1]));
  });
});

describe('ifindex-renumber', () => {
  it('moves the WAN port to another ifIndex, and back when cleared', async () => {
    const s = site(fx.config, 'D01-R003');
    const wan = await ifIndexOf(s.ce.device, s.ce.ifName);
    sim.inject({ kind: 'ifindex-renumber', target: s.id });
    const moved = await ifIndexOf(s.ce.device, s.ce.ifName);
    expect(moved).toBe(wan + 20);
    const old = (await answer(s.ce.device, [IF.descr(wan), IF.descr(moved)]))!;
    expect(old[0]!.type).toBe(snmp.ObjectType.NoSuchInstance);
    expect(String(old[1]!.value)).toBe(s.ce.ifName);
    sim.inject({ kind: 'ifindex-renumber', target: s.id, params: { ifIndex: 77 } });
    expect(await ifIndexOf(s.ce.device, s.ce.ifName)).toBe(77);
    sim.clearAll();
    expect(await ifIndexOf(s.ce.device, s.ce.ifName)).toBe(wan);
    expect(() => sim.inject({ kind: 'ifindex-renumber', target: s.id, params: { ifIndex: 2 } })).toThrow(/params.ifIndex: 2 is another interface/);
  });
});

describe('counter-wrap', () => {
  it('puts the 32-bit counters just below 2^32 so they wrap within seconds; 64-bit ones carry on', async () => {
    const s = site(fx.config, 'D01-R006');
    const wan = await ifIndexOf(s.ce.device, s.ce.ifName);
    const oids = [IF.inOctets(wan), IF.outOctets(wan), IF.hcIn(wan), IF.discontinuity(wan)];
    const before = (await answer(s.ce.device, oids))!;
    sim.inject({ kind: 'counter-wrap', target: s.id, params: { wrapInSec: 1 } });
    const jumped = (await answer(s.ce.device, oids))!;
    expect(numberOf(jumped[0])).toBeGreaterThan(2 ** 32 - 70e6 / 8);
    expect(numberOf(jumped[1])).toBeGreaterThan(2 ** 32 - 70e6 / 8);
    expect(numberOf(jumped[3])).toBeGreaterThan(numberOf(before[3]));
    await sleep(1600);
    const wrapped = (await answer(s.ce.device, oids))!;
    expect(numberOf(wrapped[0])).toBeLessThan(numberOf(jumped[0]));
    expect(numberOf(wrapped[0])).toBeLessThan(70e6 / 8);
    expect(bigintOf(wrapped[2])).toBeGreaterThan(bigintOf(jumped[2]));
    expect(bigintOf(jumped[2])).toBeGreaterThan(bigintOf(before[2]));
  });

  it('with also64 the 64-bit counters wrap too', async () => {
    const s = site(fx.config, 'D01-R005');
    const wan = await ifIndexOf(s.ce.device, s.ce.ifName);
    sim.inject({ kind: 'counter-wrap', target: s.id, params: { wrapInSec: 1, also64: true } });
    const jumped = (await answer(s.ce.device, [IF.hcIn(wan), IF.inOctets(wan)]))!;
    expect(bigintOf(jumped[0])).toBeGreaterThan(2n ** 64n - 10_000_000n);
    expect(bigintOf(jumped[0]) & 0xffffffffn).toBe(bigintOf(jumped[1]));
    await sleep(1600);
    expect(bigintOf((await answer(s.ce.device, [IF.hcIn(wan)]))![0])).toBeLessThan(10_000_000n);
  });

  it('with no64 the device has no ifHC* counters until cleared', async () => {
    const s = site(fx.config, 'D01-R001');
    const wan = await ifIndexOf(s.ce.device, s.ce.ifName);
    sim.inject({ kind: 'counter-wrap', target: s.id, params: { no64: true } });
    const vbs = (await answer(s.ce.device, [IF.hcIn(wan), IF.hcOut(wan), IF.name(wan), IF.inOctets(wan)]))!;
    expect(vbs.map((v) => v.type)).toEqual([snmp.ObjectType.NoSuchInstance, snmp.ObjectType.NoSuchInstance, snmp.ObjectType.OctetString, snmp.ObjectType.Counter32]);
    const m = managerFor(fx.config, s.ce.device);
    try {
      const columns = new Set((await walk(m, '1.3.6.1.2.1.31.1.1.1')).map((v) => v.oid.split('.')[10]));
      expect([...columns].sort()).toEqual(['1', '15', '18', '19']);
    } finally {
      m.close();
    }
    sim.clearAll();
    expect((await answer(s.ce.device, [IF.hcIn(wan)]))![0]!.type).toBe(snmp.ObjectType.Counter64);
  });
});

describe('rate-cap', () => {
  it('flattens the traffic at the cap', async () => {
    const s = site(fx.config, 'D01-R002');
    const wan = await ifIndexOf(s.ce.device, s.ce.ifName);
    sim.inject({ kind: 'rate-cap', target: s.id, params: { mbps: 0.02 } });
    const m = managerFor(fx.config, s.ce.device);
    try {
      const t1 = Date.now();
      const a = await get(m, [IF.hcIn(wan), IF.hcOut(wan)]);
      await sleep(1000);
      const t2 = Date.now();
      const b = await get(m, [IF.hcIn(wan), IF.hcOut(wan)]);
      const inBps = (Number(bigintOf(b[0]) - bigintOf(a[0])) * 8) / ((t2 - t1) / 1000);
      expect(inBps).toBeGreaterThan(15_000);
      expect(inBps).toBeLessThan(25_000);
      expect(sim.trueRate(s.id, t1, t2).inBps).toBeCloseTo(20_000, -1);
      expect(sim.siteState(s.id).traffic.capMbps).toBe(0.02);
    } finally {
      m.close();
    }
  });
});

describe('rate-cap, pressed', () => {
  it('pins download traffic to the cap at any hour, also where demand is below it (the demo policer)', async () => {
    // A normal site's demand peaks at 36-78 % of 70M and is far lower most of the day: unpressed, a 60M cap would rarely touch it.
    const s = site(fx.config, 'D01-R001');
    const wan = await ifIndexOf(s.ce.device, s.ce.ifName);
    sim.inject({ kind: 'rate-cap', target: s.id, params: { mbps: 60, pressed: true } });
    const m = managerFor(fx.config, s.ce.device);
    try {
      const t1 = Date.now();
      const a = await get(m, [IF.hcIn(wan), IF.hcOut(wan)]);
      await until(async () => Date.now(), (t) => t - t1 >= 1000, 3000);
      const t2 = Date.now();
      const b = await get(m, [IF.hcIn(wan), IF.hcOut(wan)]);
      const inBps = (Number(bigintOf(b[0]) - bigintOf(a[0])) * 8) / ((t2 - t1) / 1000);
      expect(sim.trueRate(s.id, t1, t2).inBps).toBeCloseTo(60e6, -2);
      // The agent's counters agree, within the stamping error of two GETs on a busy machine.
      expect(Math.abs(inBps - 60e6) / 60e6).toBeLessThan(0.05);
      // Upload is not pressed: it stays the office's own demand.
      expect(sim.trueRate(s.id, t1, t2).outBps).toBeLessThan(50e6);
      expect(sim.siteState(s.id).traffic.capMbps).toBe(60);
    } finally {
      m.close();
    }
  });
});

describe('latency', () => {
  it('delays replies on the in-band address only', async () => {
    const s = site(fx.config, 'D01-R004');
    sim.inject({ kind: 'latency', target: s.id, params: { ms: 400 } });
    const rtt = async (e: SnmpEndpoint) => {
      const m = managerFor(fx.config, e, { timeout: 2000 });
      try {
        const t = Date.now();
        await get(m, [IF.sysUpTime]);
        return Date.now() - t;
      } finally {
        m.close();
      }
    };
    const inband = await rtt(s.ce.device);
    expect(inband).toBeGreaterThanOrEqual(400);
    expect(inband).toBeLessThan(1000);
    expect(await rtt(s.oob!)).toBeLessThan(200);
  });
});
