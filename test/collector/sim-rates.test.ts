import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Collector } from '../../collector/collector.js';
import { planCycle } from '../../collector/cycle-plan.js';
import { systemClock } from '../../core/clock.js';
import { silentLogger } from '../../core/logger.js';
import type { CircuitSample } from '../../core/sample.js';
import { makeFleetConfig, type FleetConfig } from '../support/fleet-fixture.js';
import { startSimProcess, type SimProcess } from '../support/sim-process.js';

/**
 * The collector against the simulated fleet over real UDP: its measured rate must match the
 * simulator's true rate within 1%, across a 32-bit wrap, a reboot and an ifIndex
 * renumbering, with a gap (never a spike or a negative rate) where the interval is unknowable.
 */
const CONTROL_PORT = 21399;
const SPACING_MS = 2000;
const FAST = `
sim: { controlPort: ${CONTROL_PORT} }
snmp:
  profiles:
    ce-v2c: { timeoutMs: 300, retries: 0 }
    ce-v3: { timeoutMs: 300, retries: 0 }
    headend-v3: { timeoutMs: 300, retries: 0 }
    carrier-cpe: { timeoutMs: 300, retries: 0 }
`;

type Timed = CircuitSample & { prev?: CircuitSample };

describe('collector rates against the simulator', () => {
  let fleet: FleetConfig;
  let sim: SimProcess;
  let collector: Collector;
  let previous = new Map<string, CircuitSample>();

  beforeAll(async () => {
    fleet = makeFleetConfig({ sites: 4, agentPort: 21300, intervalSec: 1, extraYaml: FAST, oobEvery: 0, cpeEvery: 0 });
    sim = await startSimProcess(fleet.configPath, CONTROL_PORT);
    collector = new Collector(
      { sites: fleet.config.inventory.sites, profiles: fleet.config.profiles, intervalSec: SPACING_MS / 1000, concurrency: 20, spreadPolls: false },
      systemClock,
      silentLogger,
    );
  });
  afterAll(async () => {
    await collector?.stop();
    await sim?.stop();
    fleet?.cleanup();
  });

  /**
   * One cycle SPACING_MS after the last; returns the samples by site id (with the previous
   * sample of the site) and checks the invariants.
   */
  async function cycle(): Promise<Map<string, Timed>> {
    await new Promise((r) => setTimeout(r, SPACING_MS));
    const { samples } = await collector.pollOnce();
    for (const s of samples) {
      for (const v of [s.inBps, s.outBps]) {
        if (v === null) continue;
        expect(v, `${s.siteId} rate`).toBeGreaterThanOrEqual(0);
        // Never a spike: nothing above the circuit's 70 Mbit/s nominal plus headroom.
        expect(v, `${s.siteId} rate`).toBeLessThan(77e6);
      }
    }
    const bySite = new Map(samples.map((s) => [s.siteId, s]));
    const last = previous;
    previous = bySite;
    return new Map([...bySite].map(([id, s]) => [id, { ...s, prev: last.get(id) } as Timed]));
  }

  /**
   * The agent read its counters somewhere between the request's send time (the sample's `at`)
   * and the reply (`at + rttMs`). demarc divides the counter delta by the stamp difference
   * (`s.at - p.at`), so what it reports is bits(readPrev, readThis) / (s.at - p.at). Since
   * traffic never goes negative, those bits are smallest when the previous read came as late as
   * possible and this one as early as possible, and largest the other way round. demarc's rate
   * must lie within 1% of that envelope. On an idle machine the window is a millisecond or two
   * and this is plain "within 1% of the true rate"; on a loaded one it keeps scheduling delay
   * (which is not the collector's arithmetic) out of it.
   */
  async function expectTrueRate(s: Timed): Promise<void> {
    expect(s.gap, `${s.siteId} gap`).toBeNull();
    const p = s.prev!;
    const stampSpan = s.at - p.at;
    const fewest: [number, number] = [p.at + (p.rttMs ?? 0), s.at];
    const most: [number, number] = [p.at, s.at + (s.rttMs ?? 0)];
    const [tFew, tMost] = await Promise.all(
      [fewest, most].map(([a, b]) => sim.control.trueRate(s.siteId, new Date(a), new Date(b))),
    );
    for (const dir of ['inBps', 'outBps'] as const) {
      const lo = (tFew![dir] * (fewest[1] - fewest[0])) / stampSpan * 0.99;
      const hi = (tMost![dir] * (most[1] - most[0])) / stampSpan * 1.01;
      const what = `${s.siteId} ${dir} vs envelope ${Math.round(lo)}..${Math.round(hi)} (rtt ${p.rttMs}/${s.rttMs} ms)`;
      expect(s[dir], what).toBeGreaterThanOrEqual(lo);
      expect(s[dir], what).toBeLessThanOrEqual(hi);
    }
  }

  it('matches the true rate on 64-bit counters', async () => {
    // Two cycles to resolve names, discover SNMPv3 engines and warm up both processes.
    await cycle();
    await cycle();
    for (let i = 0; i < 3; i++) for (const s of (await cycle()).values()) await expectTrueRate(s);
  });

  it('sends one GET per CE and one per 10 circuits of a head-end router, and nothing else, each cycle', async () => {
    const sites = fleet.config.inventory.sites;
    const headendGets = planCycle(sites, 10).batches.length;
    expect(headendGets).toBeLessThan(sites.length);
    await cycle();
    const before = collector.poolStats().requests;
    await cycle();
    expect(collector.poolStats().requests - before).toBe(sites.length + headendGets);
  });

  it('matches across a 32-bit counter wrap on a device without 64-bit counters', async () => {
    const id = fleet.config.inventory.sites[0]!.id;
    const h = await sim.control.inject({ kind: 'counter-wrap', target: id, params: { wrapInSec: 4, no64: true } });
    try {
      // Whichever interval the jump to near-2^32 lands in cannot be explained by traffic: allowed
      // to be a gap. Every interval after it, including the one with the wrap, must be exact.
      await cycle();
      await cycle();
      let wrappedSeen = false;
      for (let i = 0; i < 5; i++) {
        const s = (await cycle()).get(id)!;
        await expectTrueRate(s);
        wrappedSeen ||= (await sim.control.siteState(id)).ce.has64 === false;
      }
      expect(wrappedSeen).toBe(true);
    } finally {
      await sim.control.clear(h.id);
    }
  });

  it('leaves a gap across a reboot, then matches again', async () => {
    const id = fleet.config.inventory.sites[1]!.id;
    await cycle();
    const h = await sim.control.inject({ kind: 'power-loss', target: id, params: { bootSec: 0 } });
    const down = (await cycle()).get(id)!;
    expect(down.ce.reachable).toBe(false);
    expect(down.inBps === null || down.gap === null).toBe(true);
    await sim.control.clear(h.id);
    const back = (await cycle()).get(id)!;
    expect(back.ce.reachable).toBe(true);
    expect(back.gap).toBe('device-restarted');
    expect(back.inBps).toBeNull();
    await expectTrueRate((await cycle()).get(id)!);
  });

  it('leaves a gap across an ifIndex renumbering, then matches again', async () => {
    const id = fleet.config.inventory.sites[2]!.id;
    await cycle();
    const before = (await sim.control.siteState(id)).ce.wanIfIndex;
    const h = await sim.control.inject({ kind: 'ifindex-renumber', target: id });
    try {
      const moved = (await cycle()).get(id)!;
      expect((await sim.control.siteState(id)).ce.wanIfIndex).not.toBe(before);
      expect(moved.ce.reachable).toBe(true);
      expect(moved.gap).toBe('ifindex-changed');
      await expectTrueRate((await cycle()).get(id)!);
    } finally {
      await sim.control.clear(h.id);
    }
  });
});
