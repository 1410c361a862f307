import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFleetSimulator, type FleetSimulator } from '../../sim/fleet.js';
import { makeFleetConfig, type FleetConfig } from '../support/fleet-fixture.js';
import { IF, bigintOf, get, ifIndexByName, managerFor, numberOf, site, sleep, type Manager } from './snmp-helpers.js';

const PORT = 20020;
let fx: FleetConfig;
let sim: FleetSimulator;

beforeAll(async () => {
  fx = makeFleetConfig({ sites: 6, agentPort: PORT });
  sim = await startFleetSimulator({ config: fx.config, controlPort: null });
});
afterAll(async () => {
  await sim?.stop();
  fx?.cleanup();
});

/** A GET and the window [before, after] in which the agent read its clock for it. */
async function stampedGet(m: Manager, oids: string[]) {
  const before = Date.now();
  const vbs = await get(m, oids);
  return { before, after: Date.now(), vbs };
}
type Stamped = Awaited<ReturnType<typeof stampedGet>>;

/**
 * The octets counted between two GETs must lie between what the true rate gives for the
 * shortest and the longest interval the two reads can span, within 0.5%. On a quiet machine
 * the round trips are well under a millisecond and this is a 0.5% check of the rate itself;
 * on a loaded one it does not blame the simulator for time the request spent in a queue.
 */
function expectOctetsMatch(siteId: string, a: Stamped, b: Stamped, measured: bigint, dir: 'inBps' | 'outBps') {
  const octets = (from: number, to: number) => (sim.trueRate(siteId, from, to)[dir] / 8) * ((to - from) / 1000);
  const low = octets(a.after, b.before) * 0.995;
  const high = octets(a.before, b.after) * 1.005;
  expect(Number(measured)).toBeGreaterThanOrEqual(Math.floor(low));
  expect(Number(measured)).toBeLessThanOrEqual(Math.ceil(high));
  return { low, high };
}

describe('counters against the true rate', () => {
  it.each(['D01-R001', 'D01-R002', 'D01-R006'])('CE %s: HC deltas over 1.5 s match trueRate within half a percent', async (siteId) => {
    const s = site(fx.config, siteId);
    const m = managerFor(fx.config, s.ce.device);
    try {
      const wan = await ifIndexByName(m, s.ce.ifName);
      const a = await stampedGet(m, [IF.hcIn(wan), IF.hcOut(wan)]);
      await sleep(1500);
      const b = await stampedGet(m, [IF.hcIn(wan), IF.hcOut(wan)]);
      expect(sim.trueRate(siteId, a.before, b.after).inBps).toBeGreaterThan(0);
      expectOctetsMatch(siteId, a, b, bigintOf(b.vbs[0]) - bigintOf(a.vbs[0]), 'inBps');
      expectOctetsMatch(siteId, a, b, bigintOf(b.vbs[1]) - bigintOf(a.vbs[1]), 'outBps');
    } finally {
      m.close();
    }
  });

  it('32-bit counters are the low 32 bits of the 64-bit ones', async () => {
    const s = site(fx.config, 'D01-R003');
    const m = managerFor(fx.config, s.ce.device);
    try {
      const wan = await ifIndexByName(m, s.ce.ifName);
      const { vbs } = await stampedGet(m, [IF.hcIn(wan), IF.inOctets(wan), IF.hcOut(wan), IF.outOctets(wan)]);
      expect(bigintOf(vbs[0]) & 0xffffffffn).toBe(bigintOf(vbs[1]));
      expect(bigintOf(vbs[2]) & 0xffffffffn).toBe(bigintOf(vbs[3]));
      expect(bigintOf(vbs[0])).toBeGreaterThan(0xffffffffn); // a CE up for days has wrapped its 32-bit counters
    } finally {
      m.close();
    }
  });

  it("the head-end's counters mirror the site: head-end in = site out", async () => {
    const s = site(fx.config, 'D01-R004');
    const he = managerFor(fx.config, s.circuit.headend.device);
    try {
      const i = await ifIndexByName(he, s.circuit.headend.ifName);
      const a = await stampedGet(he, [IF.hcIn(i), IF.hcOut(i)]);
      await sleep(1200);
      const b = await stampedGet(he, [IF.hcIn(i), IF.hcOut(i)]);
      expectOctetsMatch(s.id, a, b, bigintOf(b.vbs[0]) - bigintOf(a.vbs[0]), 'outBps');
      expectOctetsMatch(s.id, a, b, bigintOf(b.vbs[1]) - bigintOf(a.vbs[1]), 'inBps');
    } finally {
      he.close();
    }
  });

  it('sysUpTime and hrSystemUptime advance 100 ticks a second; errors never go back', async () => {
    const s = site(fx.config, 'D01-R005');
    const m = managerFor(fx.config, s.ce.device);
    try {
      const wan = await ifIndexByName(m, s.ce.ifName);
      const a = await stampedGet(m, [IF.sysUpTime, IF.hrSystemUptime, IF.inErrors(wan)]);
      await sleep(1000);
      const b = await stampedGet(m, [IF.sysUpTime, IF.hrSystemUptime, IF.inErrors(wan)]);
      for (const k of [0, 1]) {
        const ticks = numberOf(b.vbs[k]) - numberOf(a.vbs[k]);
        expect(ticks).toBeGreaterThanOrEqual(Math.floor((b.before - a.after) / 10) - 1);
        expect(ticks).toBeLessThanOrEqual(Math.ceil((b.after - a.before) / 10) + 1);
      }
      expect(numberOf(b.vbs[2])).toBeGreaterThanOrEqual(numberOf(a.vbs[2]));
    } finally {
      m.close();
    }
  });

  it('trueRate refuses an empty interval and an unknown site', () => {
    expect(() => sim.trueRate('D01-R001', 1000, 1000)).toThrow(/empty or reversed/);
    expect(() => sim.trueRate('NOPE', 0, 1000)).toThrow(/unknown site "NOPE"/);
  });
});
