import dgram from 'node:dgram';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DemarcConfig } from '../../config/load.js';
import type { Site } from '../../core/inventory.js';
import { startFleetSimulator } from '../../sim/fleet.js';
import { makeFleetConfig, type FleetConfig } from '../support/fleet-fixture.js';

// Start-up refuses what it cannot honour, saying what and where.
const PORT = 20085;
let fx: FleetConfig;

beforeAll(() => {
  fx = makeFleetConfig({ sites: 3, agentPort: PORT, intervalSec: 2, extraYaml: 'sim:\n  seed: 7\ncollector:\n  concurrency: 9\n' });
});
afterAll(() => fx?.cleanup());

const withSites = (config: DemarcConfig, edit: (sites: Site[]) => Site[]): DemarcConfig => ({
  ...config,
  inventory: { sites: edit(structuredClone(config.inventory.sites)) },
});

describe('makeFleetConfig', () => {
  it('writes a loadable config with the demo profiles and merges extra YAML', () => {
    expect(fx.config.inventory.sites.map((s) => s.ce.device.port)).toEqual([PORT, PORT, PORT]);
    expect(fx.config.collector).toMatchObject({ intervalSec: 2, concurrency: 9 });
    expect(fx.config.sim.seed).toBe(7);
    expect([...fx.config.profiles.keys()].sort()).toEqual(['carrier-cpe', 'ce-v2c', 'ce-v3', 'headend-v3']);
  });
});

describe('startFleetSimulator refuses', () => {
  it('one address for two devices', async () => {
    const config = withSites(fx.config, (sites) => {
      sites[1]!.ce.device.host = sites[0]!.ce.device.host;
      return sites;
    });
    await expect(startFleetSimulator({ config, controlPort: null })).rejects.toThrow(
      new RegExp(`127\\.0\\.1\\.1:${PORT} is configured for both ce of D01-R001 and ce of D01-R002`),
    );
  });

  it('an address outside loopback, before sending anything', async () => {
    const config = withSites(fx.config, (sites) => {
      sites[2]!.ce.device.host = '192.0.2.7';
      return sites;
    });
    await expect(startFleetSimulator({ config, controlPort: null })).rejects.toThrow(/ce agent for D01-R003: 192\.0\.2\.7 is not a loopback address/);
    await expect(startFleetSimulator({ config: fx.config, controlPort: null, trapTarget: { host: '192.0.2.8', port: 162 } })).rejects.toThrow(/trapTarget: 192\.0\.2\.8 is not a loopback/);
  });

  it('an address already in use, and starts nothing', async () => {
    const squatter = dgram.createSocket('udp4');
    await new Promise<void>((r) => squatter.bind(PORT, '127.0.1.2', () => r()));
    try {
      await expect(startFleetSimulator({ config: fx.config, controlPort: null })).rejects.toThrow(/ce agent for D01-R002 cannot listen on 127\.0\.1\.2:20085\/udp/);
    } finally {
      squatter.close();
    }
    // everything it had started was closed: a second start binds every address again
    const sim = await startFleetSimulator({ config: fx.config, controlPort: null });
    expect(sim.agentCount).toBe(3 + 2 + 1); // 3 CEs, 2 head-ends, 1 CPE
    await sim.stop();
  });
});
