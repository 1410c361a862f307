import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeFleetConfig, type FleetConfig } from '../support/fleet-fixture.js';
import { startSimProcess, type SimProcess } from '../support/sim-process.js';
import { startNats, type RunningNats } from '../support/nats.js';
import { startUdpRelay } from '../support/net-relays.js';
import { spawnDemarc, type DemarcProcess } from '../support/demarc-process.js';
import { until } from '../support/wait.js';
import { ceAddress, demoInventoryRows, headendAddress, toInventoryCsv } from '../../sim/demo-inventory.js';
import { health, incidentsOf, writeRoleConfig } from './fixture.js';

// The vantage-point rule end to end (issue 14): the center polls every site itself and a
// division collector polls them too. The center's own path to one site is cut (UDP relays in
// front of that site's CE and head-end port, closed by the test); the collector still reaches
// it. One `monitoring` incident (center-view-lost), no line-side outage. Ports 45130-45142.
const NATS_PORT = 45130;
const AGENT_PORT = 45131;
const SIM_CONTROL = 45132;
const API_PORT = 45133;
const CE_RELAY = 45141;
const HEADEND_RELAY = 45142;
const INTERVAL_SEC = 2;

describe('vantage points: a center-side isolation seen only by the center', () => {
  let fleet: FleetConfig;
  let sim: SimProcess;
  let nats: RunningNats;
  let center: DemarcProcess;
  let collector: DemarcProcess;
  let relays: { close(): void }[] = [];
  let cut = '';

  beforeAll(async () => {
    nats = await startNats(NATS_PORT);
    fleet = makeFleetConfig({ sites: 4, agentPort: AGENT_PORT, intervalSec: INTERVAL_SEC, oobEvery: 0, cpeEvery: 0, extraYaml: `sim: { controlPort: ${SIM_CONTROL} }\napi: { port: ${API_PORT} }\ndiscovery: { enabled: false }` });
    const sites = fleet.config.inventory.sites.map((s) => s.id);
    cut = sites[0]!;
    // The center reaches the first site through the relays; the collector directly.
    const rows = demoInventoryRows({ sites: 4, agentPort: AGENT_PORT, oobEvery: 0, cpeEvery: 0 });
    rows[0] = { ...rows[0]!, ce_host: '127.0.0.1', ce_port: String(CE_RELAY), headend_host: '127.0.0.1', headend_port: String(HEADEND_RELAY) };
    writeFileSync(join(fleet.dir, 'sites-center.csv'), toInventoryCsv(rows));
    relays = [await startUdpRelay(CE_RELAY, { host: ceAddress(0), port: AGENT_PORT }), await startUdpRelay(HEADEND_RELAY, { host: headendAddress(0), port: AGENT_PORT })];
    const natsSection = { url: nats.url, heartbeatSec: 0.25, ttlSec: 1.5, centerPolls: 'all', groups: [{ id: 'div1', sites, members: ['cV'] }] };
    const centerPath = writeRoleConfig(fleet.dir, 'center', (d) => {
      d.nats = natsSection;
      d.inventory = './sites-center.csv';
    });
    const collectorPath = writeRoleConfig(fleet.dir, 'cV', (d) => {
      d.nats = { ...natsSection, collector: { id: 'cV', journal: join(fleet.dir, 'journal-cV.db') } };
      d.traps = { enabled: false };
    });
    // Start-up only: on a loaded machine tsx compiling the simulator takes longer than 20 s.
    sim = await startSimProcess(fleet.configPath, SIM_CONTROL, 120_000);
    center = spawnDemarc('serve', centerPath);
    collector = spawnDemarc('collector', collectorPath);
    await until('the center sees every site itself and the collector alive', async () => {
      const h = await health(API_PORT).catch(() => null);
      return h && h.collector.lastCycle?.sitesReachable === 4 && h.remote?.received.samples >= 8 && h.remote.alive.includes('cV');
    }, 180_000).catch((err: Error) => {
      throw new Error(`${err.message}\n--- center:\n${center.output().slice(-3000)}\n--- cV:\n${collector.output().slice(-2000)}`);
    });
  }, 300_000);

  afterAll(async () => {
    for (const r of relays) r.close();
    await collector?.kill('SIGTERM');
    await center?.kill('SIGTERM');
    await sim?.stop();
    await nats?.stop();
    fleet?.cleanup();
  });

  it('gives one monitoring incident (center-view-lost), not a line-side outage', async () => {
    expect(incidentsOf(join(fleet.dir, 'state.db'))).toEqual([]);
    for (const r of relays) r.close();
    relays = [];
    const cutAt = Date.now();
    const [incident] = await until('an incident for the cut site', () => {
      const all = incidentsOf(join(fleet.dir, 'state.db'));
      return all.length ? all : null;
    }, 60_000);
    // A few more cycles: nothing else opens, and the verdict stays the center's gap.
    await until('three more intervals', () => Date.now() - cutAt >= (3 + 3) * INTERVAL_SEC * 1000, 60_000);
    const all = incidentsOf(join(fleet.dir, 'state.db'));
    expect(all).toEqual([{ site: cut, kind: 'outage', responsibility: 'monitoring', rule: 'center-view-lost' }]);
    expect(incident!.responsibility).toBe('monitoring');
    process.stdout.write(`\nvantage point: center lost ${cut}, collector cV still reached it: ${JSON.stringify(all)}\n`);
  }, 120_000);
});
