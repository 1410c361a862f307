import { afterAll, describe, expect, it } from 'vitest';
import { serveDemarc, type ServingDemarc } from '../../app/reloading-demarc.js';
import { startDemarc, type DemarcDeps } from '../../app/pipeline.js';
import { systemClock } from '../../core/clock.js';
import { silentLogger } from '../../core/logger.js';
import { makeFleetConfig, type FleetConfig } from '../support/fleet-fixture.js';

/**
 * An applied inventory change restarts the pipeline. If the new pipeline cannot start, the old
 * one is already stopped: nothing polls and nothing answers. That must not stay silent, or a
 * supervisor sees a live process; `failed` settles (the CLI exits 1 on it) and whoever waits
 * for the restart hears why.
 */
// Nothing answers SNMP on this port: polls time out, which this test does not mind.
const AGENT_PORT = 43530;

let fleet: FleetConfig | undefined;
let serving: ServingDemarc | undefined;

afterAll(async () => {
  await serving?.stop().catch(() => undefined);
  fleet?.cleanup();
});

describe('a pipeline restart that fails', () => {
  it('settles `failed` with the cause, rejects the restart waiters, and leaves nothing half-running', async () => {
    fleet = makeFleetConfig({ sites: 2, agentPort: AGENT_PORT, intervalSec: 5 });
    let starts = 0;
    let applied: DemarcDeps['onInventoryApplied'];
    serving = await serveDemarc(fleet.config, { logger: silentLogger, clock: systemClock, webRoot: null, announce: () => undefined }, async (config, deps) => {
      starts++;
      applied = deps.onInventoryApplied;
      // The second start is the restart: fail it as a port taken in between would.
      if (starts > 1) throw new Error('listen EADDRINUSE: address already in use 127.0.0.1');
      return startDemarc(config, deps);
    });
    const oldUrl = serving.current().url;
    expect((await fetch(`${oldUrl}/api/health`)).status).toBeLessThan(500);

    let settled: Error | null = null;
    void serving.failed.then((err) => (settled = err));
    const next = serving.nextRestart();
    expect(applied).toBeTypeOf('function');
    applied!();

    await expect(next).rejects.toThrow(/EADDRINUSE/);
    expect((await serving.failed).message).toMatch(/EADDRINUSE/);
    expect(settled).not.toBeNull();
    expect(starts).toBe(2);
    // The old pipeline was stopped before the new one failed: its port answers nothing any more.
    await expect(fetch(`${oldUrl}/api/health`)).rejects.toThrow();
  }, 60_000);

  it('a restart that works leaves `failed` pending', async () => {
    const local = makeFleetConfig({ sites: 2, agentPort: AGENT_PORT, intervalSec: 5 });
    let applied: DemarcDeps['onInventoryApplied'];
    const s = await serveDemarc(local.config, { logger: silentLogger, clock: systemClock, webRoot: null, announce: () => undefined }, async (config, deps) => {
      applied = deps.onInventoryApplied;
      return startDemarc(config, deps);
    });
    try {
      let settled = false;
      void s.failed.then(() => (settled = true));
      const next = s.nextRestart();
      applied!();
      const restarted = await next;
      expect(s.restarts).toBe(1);
      expect((await fetch(`${restarted.url}/api/health`)).status).toBeLessThan(500);
      // A microtask turn for a wrongly settled promise to show.
      await Promise.resolve();
      expect(settled).toBe(false);
    } finally {
      await s.stop();
      local.cleanup();
    }
  }, 60_000);
});
