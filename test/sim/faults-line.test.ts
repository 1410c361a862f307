import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { SnmpEndpoint } from '../../core/inventory.js';
import { startFleetSimulator, type FleetSimulator } from '../../sim/fleet.js';
import { makeFleetConfig, type FleetConfig } from '../support/fleet-fixture.js';
import { IF, bigintOf, get, ifIndexOnce, managerFor, numberOf, probeOnce, site, sleep, until } from './snmp-helpers.js';

// Line-side faults and the center losing its uplink. 10 sites: D01-R004 and D01-R010 have an
// OOB path, D01-R002 a carrier CPE; D01-R009 and D01-R010 are carrier group AGG-阿拉尔-B.
const PORT = 20030;
let fx: FleetConfig;
let sim: FleetSimulator;

beforeAll(async () => {
  fx = makeFleetConfig({ sites: 10, agentPort: PORT });
  sim = await startFleetSimulator({ config: fx.config, controlPort: null });
});
afterEach(() => {
  sim.clearAll();
});
afterAll(async () => {
  await sim?.stop();
  fx?.cleanup();
});

/** One GET with a short timeout; null when the device does not answer. */
const probe = (endpoint: SnmpEndpoint, oids: string[]) => probeOnce(fx.config, endpoint, oids);
/**
 * One GET that must be answered: a generous timeout, since a busy machine can delay the
 * simulator's reply past the short one `probe` uses to show a device silent. Null only if
 * it really does not answer.
 */
const answer = (endpoint: SnmpEndpoint, oids: string[]) => probeOnce(fx.config, endpoint, oids, 5000);
const ifIndexOf = (endpoint: SnmpEndpoint, name: string) => ifIndexOnce(fx.config, endpoint, name);

describe('line-cut', () => {
  it('silences the CE in-band, shows WAN down over OOB, stops the head-end, and clears', async () => {
    const s = site(fx.config, 'D01-R004');
    const wan = await ifIndexOf(s.oob!, s.ce.ifName);
    const he = await ifIndexOf(s.circuit.headend.device, s.circuit.headend.ifName);
    const before = await answer(s.oob!, [IF.sysUpTime]);
    expect(await answer(s.ce.device, [IF.sysUpTime])).not.toBeNull();

    const cut = sim.inject({ kind: 'line-cut', target: s.id });
    await sleep(50);
    expect(await probe(s.ce.device, [IF.sysUpTime])).toBeNull();
    const oob = (await answer(s.oob!, [IF.sysUpTime, IF.admin(wan), IF.oper(wan), IF.lastChange(wan)]))!;
    expect(oob).not.toBeNull();
    expect([oob[1]!.value, oob[2]!.value]).toEqual([1, 2]);
    expect(numberOf(oob[0])).toBeGreaterThan(numberOf(before![0])); // the CE stays up
    const uptimeAtCut = numberOf(oob[0]) - Math.round((Date.now() - cut.fault.startsAt) / 10);
    expect(Math.abs(numberOf(oob[3]) - uptimeAtCut)).toBeLessThanOrEqual(5);

    const h1 = (await answer(s.circuit.headend.device, [IF.oper(he), IF.hcIn(he), IF.hcOut(he)]))!;
    await sleep(400);
    const h2 = (await answer(s.circuit.headend.device, [IF.oper(he), IF.hcIn(he), IF.hcOut(he)]))!;
    expect(h1[0]!.value).toBe(2);
    expect(bigintOf(h2[1])).toBe(bigintOf(h1[1]));
    expect(bigintOf(h2[2])).toBe(bigintOf(h1[2]));
    expect(sim.trueRate(s.id, cut.fault.startsAt, Date.now())).toEqual({ inBps: 0, outBps: 0 });

    cut.clear();
    const back = await until(() => probe(s.ce.device, [IF.oper(wan), IF.lastChange(wan), IF.sysUpTime]), (v) => v !== null, 2000);
    expect(back![0]!.value).toBe(1);
    expect(numberOf(back![1])).toBeGreaterThan(numberOf(oob[3]));
    expect(Math.abs(numberOf(back![2]) - numberOf(back![1]))).toBeLessThanOrEqual(Math.round((Date.now() - cut.fault.endsAt!) / 10) + 5);
    expect((await answer(s.circuit.headend.device, [IF.oper(he)]))![0]!.value).toBe(1);
  });

  it("leaves the carrier CPE answering with its line port down", async () => {
    const s = site(fx.config, 'D01-R002');
    const cpe = s.cpe!.device;
    const line = await ifIndexOf(cpe, s.cpe!.lineIfName!);
    const customer = await ifIndexOf(cpe, s.cpe!.customerIfName!);
    sim.inject({ kind: 'line-cut', target: s.id, durationSec: 30 });
    const vbs = (await answer(cpe, [IF.oper(line), IF.oper(customer)]))!;
    expect([vbs[0]!.value, vbs[1]!.value]).toEqual([2, 1]);
    expect(await probe(s.ce.device, [IF.sysUpTime])).toBeNull();
  });

  it('auto-clears after durationSec', async () => {
    const s = site(fx.config, 'D01-R005');
    const f = sim.inject({ kind: 'line-cut', target: s.id, durationSec: 0.6 });
    expect(sim.faults().map((x) => x.id)).toContain(f.id);
    expect(await probe(s.ce.device, [IF.sysUpTime])).toBeNull();
    await sleep(700);
    expect(sim.faults().map((x) => x.id)).not.toContain(f.id);
    expect(await answer(s.ce.device, [IF.sysUpTime])).not.toBeNull();
  });
});

describe('group-down', () => {
  it('cuts every site of the carrier group and no other', async () => {
    const inGroup = fx.config.inventory.sites.filter((x) => x.circuit.carrierGroup === 'AGG-阿拉尔-B');
    expect(inGroup.map((x) => x.id)).toEqual(['D01-R009', 'D01-R010']);
    sim.inject({ kind: 'group-down', target: 'AGG-阿拉尔-B' });
    for (const s of inGroup) {
      expect(await probe(s.ce.device, [IF.sysUpTime])).toBeNull();
      expect(sim.siteState(s.id).headend.operUp).toBe(false);
    }
    const he = site(fx.config, 'D01-R010');
    const i = await ifIndexOf(he.circuit.headend.device, he.circuit.headend.ifName);
    expect((await answer(he.circuit.headend.device, [IF.oper(i)]))![0]!.value).toBe(2);
    expect(await answer(site(fx.config, 'D01-R008').ce.device, [IF.sysUpTime])).not.toBeNull();
    sim.clearAll();
    for (const s of inGroup) expect(await answer(s.ce.device, [IF.sysUpTime])).not.toBeNull();
  });
});

describe('flap', () => {
  it('cuts the line count times, then stays up', async () => {
    const s = site(fx.config, 'D01-R003');
    const he = await ifIndexOf(s.circuit.headend.device, s.circuit.headend.ifName);
    const f = sim.inject({ kind: 'flap', target: s.id, params: { count: 3, downMs: 600, upMs: 600 } });
    const seen: number[] = [];
    const m = managerFor(fx.config, s.circuit.headend.device);
    try {
      while (Date.now() < f.fault.endsAt! + 300) {
        seen.push(Number((await get(m, [IF.oper(he)]))[0]!.value));
        await sleep(40);
      }
    } finally {
      m.close();
    }
    const downs = seen.filter((v, i) => v === 2 && seen[i - 1] !== 2).length;
    expect(downs).toBe(3);
    expect(seen[seen.length - 1]).toBe(1);
    expect(sim.faults()).toEqual([]);
  });
});

describe('wan-admin-down', () => {
  it('shows the WAN admin and oper down over OOB and takes the head-end interface down', async () => {
    const s = site(fx.config, 'D01-R010');
    const wan = await ifIndexOf(s.oob!, s.ce.ifName);
    sim.inject({ kind: 'wan-admin-down', target: s.id });
    const vbs = (await answer(s.oob!, [IF.admin(wan), IF.oper(wan)]))!;
    expect([vbs[0]!.value, vbs[1]!.value]).toEqual([2, 2]);
    expect(await probe(s.ce.device, [IF.sysUpTime])).toBeNull();
    expect(sim.siteState(s.id).headend.operUp).toBe(false);
    sim.clearAll();
    const up = (await answer(s.ce.device, [IF.admin(wan), IF.oper(wan)]))!;
    expect([up[0]!.value, up[1]!.value]).toEqual([1, 1]);
  });
});

describe('noc-isolation', () => {
  it('silences every head-end and every site device, then everything answers again', async () => {
    const f = sim.inject({ kind: 'noc-isolation' });
    const endpoints = fx.config.inventory.sites.flatMap((s) => [s.ce.device, s.circuit.headend.device, ...(s.oob ? [s.oob] : []), ...(s.cpe ? [s.cpe.device] : [])]);
    const during = await Promise.all(endpoints.map((e) => probe(e, [IF.sysUpTime])));
    expect(during.filter((v) => v !== null)).toEqual([]);
    sim.clear(f.id);
    const after = await Promise.all(endpoints.map((e) => answer(e, [IF.sysUpTime])));
    expect(after.filter((v) => v === null)).toEqual([]);
    // traffic kept flowing: the center was blind, the circuits were fine
    expect(sim.trueRate('D01-R001', f.fault.startsAt, f.fault.endsAt!).inBps).toBeGreaterThan(0);
  });
});
