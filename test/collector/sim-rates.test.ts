import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Collector } from '../../collector/collector.js';
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
const FAST = `
sim: { controlPort: ${CONTROL_PORT} }
snmp:
  profiles:
    ce-v2c: { timeoutMs: 300, retries: 0 }
    ce-v3: { timeoutMs: 300, retries: 0 }
    headend-v3: { timeoutMs: 300, retries: 0 }
    carrier-cpe: { timeoutMs: 300, retries: 0 }
`;

describe('collector rates against the simulator', () => {
  let fleet: FleetConfig;
  let sim: SimProcess;
  let collector: Collector;
  let previous = new Map<string, CircuitSample>();

  beforeAll(async () => {
    fleet = makeFleetConfig({ sites: 4, agentPort: 21300, intervalSec: 1, extraYaml: FAST, oobEvery: 0, cpeEvery: 0 });
    sim = await startSimProcess(fleet.configPath, CONTROL_PORT);
    collector = new Collector(
      { sites: fleet.config.inventory.sites, profiles: fleet.config.profiles, intervalSec: 1, concurrency: 20, spreadPolls: false },
      systemClock,
      silentLogger,
    );
  });
  afterAll(async () => {
    await collector?.stop();
    await sim?.stop();
    fleet?.cleanup();
  });

  /** One cycle ~1 s after the last; returns the samples by site id and checks the invariants. */
  async function cycle(): Promise<Map<string, CircuitSample>> {
    await new Promise((r) => setTimeout(r, 1000));
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
    return new Map([...bySite].map(([id, s]) => [id, { ...s, prevAt: last.get(id)?.at } as CircuitSample & { prevAt?: number }]));
  }

  async function expectTrueRate(s: CircuitSample & { prevAt?: number }): Promise<void> {
    expect(s.gap, `${s.siteId} gap`).toBeNull();
    const truth = await sim.control.trueRate(s.siteId, new Date(s.prevAt!), new Date(s.at));
    expect(Math.abs(s.inBps! - truth.inBps) / truth.inBps, `${s.siteId} in ${s.inBps} vs ${truth.inBps}`).toBeLessThan(0.01);
    expect(Math.abs(s.outBps! - truth.outBps) / truth.outBps, `${s.siteId} out ${s.outBps} vs ${truth.outBps}`).toBeLessThan(0.01);
  }

  it('matches the true rate on 64-bit counters', async () => {
    await cycle();
    for (let i = 0; i < 3; i++) for (const s of (await cycle()).values()) await expectTrueRate(s);
  });

  it('matches across a 32-bit counter wrap on a device without 64-bit counters', async () => {
    const id = fleet.config.inventory.sites[0]!.id;
    const h = await sim.control.inject({ kind: 'counter-wrap', target: id, params: { wrapInSec: 2, no64: true } });
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
