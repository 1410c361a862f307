import { describe, expect, it } from 'vitest';
import { ManualClock } from '../../core/clock.js';
import type { Site } from '../../core/inventory.js';
import { launchSpread, planCycle, spreadFraction } from '../../collector/cycle-plan.js';

function site(id: string, headendHost: string, ifName: string): Site {
  return {
    id, name: id, nameEn: null, division: 'D',
    circuit: { id: `C-${id}`, bandwidthMbps: 70, activationDate: '2026-01-01', carrierGroup: 'G', headend: { device: { host: headendHost, port: 161, profile: 'p' }, ifName } },
    ce: { device: { host: `127.0.1.${id.length}`, port: 161, profile: 'p' }, ifName: 'wan' },
    oob: null, cpe: null, contact: null, location: null,
  } as unknown as Site;
}

describe('planCycle', () => {
  const sites = Array.from({ length: 95 }, (_, i) => site(`S${i}`, i % 3 === 0 ? '127.0.0.11' : '127.0.0.12', `ge-${i}`));
  const plan = planCycle(sites, 10);

  it('keeps every site once, ordered by its slot', () => {
    expect(plan.sites.map((p) => p.index).sort((a, b) => a - b)).toEqual(sites.map((_, i) => i));
    const offsets = plan.sites.map((p) => p.offset);
    expect(offsets).toEqual([...offsets].sort((a, b) => a - b));
    for (const p of plan.sites) {
      expect(p.offset).toBe(spreadFraction(p.site.id));
      expect(p.offset).toBeGreaterThanOrEqual(0);
      expect(p.offset).toBeLessThan(1);
    }
  });

  it('puts each circuit in one batch of its own head-end, at most 10 per GET', () => {
    // 32 circuits on .11 and 63 on .12: 4 + 7 GETs, not 95.
    expect(plan.batches.map((b) => b.sites.length).sort((a, b) => a - b)).toEqual([2, 3, 10, 10, 10, 10, 10, 10, 10, 10, 10]);
    for (const p of plan.sites) {
      expect(p.batch.sites).toContain(p.site);
      expect(p.batch.siteIndexes.map((i) => sites[i])).toEqual(p.batch.sites);
      expect(p.batch.device.host).toBe(p.site.circuit.headend.device.host);
      expect(p.batch.deviceIfNames).toContain(p.site.circuit.headend.ifName);
    }
    expect(plan.batches.find((b) => b.device.host === '127.0.0.11')!.deviceIfNames).toHaveLength(32);
  });

  it("batches circuits whose slots are neighbours, so a batch's GET is not sent long before its sites", () => {
    for (const b of plan.batches) {
      const slots = plan.sites.filter((p) => p.batch === b).map((p) => p.offset);
      const onDevice = plan.sites.filter((p) => p.batch.device === b.device);
      // The batch is a run of consecutive slots among its router's circuits.
      const positions = slots.map((o) => onDevice.findIndex((p) => p.offset === o));
      expect(Math.max(...positions) - Math.min(...positions)).toBe(slots.length - 1);
    }
  });

  it('refuses a batch size that is not a positive integer', () => {
    expect(() => planCycle(sites, 0)).toThrow(/portsPerPdu/);
    expect(() => planCycle(sites, 2.5)).toThrow(/portsPerPdu/);
  });
});

describe('launchSpread', () => {
  it.each([
    { name: 'all at once when nothing is spread', offsets: [0, 0, 0], wantLaunchedAt: [0, 0, 0], wantWaits: 0 },
    { name: 'each at its offset', offsets: [0, 20, 20, 100], wantLaunchedAt: [0, 20, 20, 100], wantWaits: 2 },
    { name: 'offsets closer than the tick go out together on the tick', offsets: [1, 2, 3, 9], wantLaunchedAt: [5, 5, 5, 10], wantWaits: 2 },
  ])('$name', async ({ offsets, wantLaunchedAt, wantWaits }) => {
    const clock = new ManualClock(1000);
    const launchedAt: number[] = [];
    let waits = 0;
    const results = await launchSpread(
      offsets.length,
      (i) => offsets[i]!,
      1000,
      clock,
      async (ms) => {
        waits++;
        clock.advance(ms);
      },
      async (i) => {
        launchedAt[i] = clock.now() - 1000;
        return i * 10;
      },
    );
    expect(results).toEqual(offsets.map((_, i) => i * 10));
    expect(launchedAt).toEqual(wantLaunchedAt);
    expect(waits).toBe(wantWaits);
  });

  it('holds further launches while maxInFlight are unsettled, and goes on as each settles', async () => {
    const clock = new ManualClock(0);
    const gates: (() => void)[] = [];
    const started: number[] = [];
    const done = launchSpread(
      5,
      () => 0,
      0,
      clock,
      async () => undefined,
      (i) => {
        started.push(i);
        // Launch 1 fails: a failed poll frees its slot too.
        return new Promise<number>((resolve, reject) => gates.push(() => (i === 1 ? reject(new Error('boom')) : resolve(i))));
      },
      { maxInFlight: 2 },
    );
    const settle = async () => {
      for (let k = 0; k < 5; k++) await Promise.resolve();
    };
    await settle();
    expect(started).toEqual([0, 1]);
    gates[1]!();
    await settle();
    expect(started).toEqual([0, 1, 2]);
    gates[0]!();
    gates[2]!();
    await settle();
    expect(started).toEqual([0, 1, 2, 3, 4]);
    gates[3]!();
    gates[4]!();
    await expect(done).rejects.toThrow('boom');
  });

  it('does not wait for one launch before starting the next', async () => {
    const clock = new ManualClock(0);
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    const started: number[] = [];
    const done = launchSpread(3, () => 0, 0, clock, async () => undefined, async (i) => {
      started.push(i);
      await gate;
      return i;
    });
    await Promise.resolve();
    expect(started).toEqual([0, 1, 2]);
    release();
    expect(await done).toEqual([0, 1, 2]);
  });

  it('on abort launches nothing more and resolves at once with what settled, abandoning the rest', async () => {
    const clock = new ManualClock(0);
    const stop = new AbortController();
    const started: number[] = [];
    let wake!: () => void;
    const done = launchSpread(
      4,
      (i) => (i < 2 ? 0 : 60_000),
      0,
      clock,
      // The spread's wait for the later sites never ends by itself: only the abort ends it.
      () => new Promise<void>((r) => (wake = r)),
      (i) => {
        started.push(i);
        // Site 0 answers; site 1's agent is silent and never settles.
        return i === 0 ? Promise.resolve('sample-0') : new Promise<string>(() => undefined);
      },
      { signal: stop.signal },
    );
    for (let k = 0; k < 5; k++) await Promise.resolve();
    expect(started).toEqual([0, 1]);
    stop.abort();
    const results = await done;
    expect(started).toEqual([0, 1]);
    expect([...results.entries()].filter(([, r]) => r !== undefined)).toEqual([[0, 'sample-0']]);
    expect(wake).toBeTypeOf('function');
  });
});
