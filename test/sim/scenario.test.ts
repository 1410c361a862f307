import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../config/load.js';
import { ConfigError } from '../../config/config-error.js';
import { silentLogger } from '../../core/logger.js';
import { startFleetSimulator, type FleetSimulator } from '../../sim/fleet.js';
import { loadScenario, parseScenario, runScenario } from '../../sim/scenario.js';
import { makeFleetConfig, type FleetConfig } from '../support/fleet-fixture.js';
import { sleep } from './snmp-helpers.js';

const PORT = 20080;
let fx: FleetConfig;

beforeAll(() => {
  fx = makeFleetConfig({ sites: 4, agentPort: PORT });
});
afterAll(() => fx?.cleanup());

describe('parseScenario', () => {
  it('lists every problem with its place in the file', () => {
    const yaml = `
repeatEverySec: 100
events:
  - { atSec: 10, kind: meteor, target: D01-R001 }
  - { atSec: 20, kind: line-cut, target: D09-R999 }
  - { atSec: 150, kind: rate-cap, target: D01-R001, params: { mbps: 0 } }
  - { atSec: 30, kind: flap, target: D01-R002, durationSec: 5 }
`;
    let err: unknown;
    try {
      parseScenario(yaml, 'scenario.yaml', fx.config.inventory);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(ConfigError);
    const problems = (err as ConfigError).problems.map((p) => `${p.where}: ${p.reason}`);
    expect(problems).toEqual([
      expect.stringMatching(/^events\.0\.kind: Invalid discriminator/),
      expect.stringMatching(/^events\.1\.target: unknown site "D09-R999"/),
      expect.stringMatching(/^events\.2\.atSec: 150 is not before repeatEverySec \(100\)/),
      expect.stringMatching(/^events\.2\.params\.mbps: Too small/),
      expect.stringMatching(/^events\.3\.\(body\): .*ends by itself/),
    ]);
  });

  it.each([
    ['not YAML', 'events: [', /file/],
    ['no events', 'repeatEverySec: 10\nevents: []', /events/],
    ['an unknown top-level key', 'events:\n  - { atSec: 1, kind: line-cut, target: D01-R001 }\nrepeat: 5', /\(top level\)/],
  ])('rejects %s', (_label, yaml, where) => {
    expect(() => parseScenario(yaml, 'x.yaml', fx.config.inventory)).toThrow(where);
  });
});

describe('the demo scenario', () => {
  it('shows a line cut, a power loss, a rate cap, a flap and a hung CE within 3 minutes, a group outage later, and repeats', () => {
    const demo = loadConfig(fileURLToPath(new URL('../../config/demarc.yaml', import.meta.url)), {});
    const s = loadScenario(demo.sim.scenario!, demo.inventory);
    const early = new Set(s.events.filter((e) => e.atSec <= 180).map((e) => e.spec.kind));
    for (const k of ['line-cut', 'power-loss', 'rate-cap', 'flap', 'mgmt-hang'] as const) expect(early).toContain(k);
    expect(s.events.some((e) => e.spec.kind === 'group-down' && e.atSec > 180)).toBe(true);
    expect(s.repeatEverySec).toBeGreaterThanOrEqual(900);
    expect(s.repeatEverySec).toBeLessThanOrEqual(1800);
  });

  it('keeps the 20M policer on D01-R005 pressed and never lifted, and a 900 ms slow CE in the first minutes', () => {
    const demo = loadConfig(fileURLToPath(new URL('../../config/demarc.yaml', import.meta.url)), {});
    const s = loadScenario(demo.sim.scenario!, demo.inventory);
    const cap = s.events.find((e) => e.spec.kind === 'rate-cap' && e.spec.target === 'D01-R005');
    expect(cap?.spec).toMatchObject({ params: { mbps: 20, pressed: true } });
    // Each cycle's cap reaches into the next one's: no moment without the policer once it is on.
    const lasts = cap!.spec.kind === 'rate-cap' ? cap!.spec.durationSec : undefined;
    expect(lasts).toBeGreaterThan(s.repeatEverySec!);
    const slow = s.events.find((e) => e.spec.kind === 'latency');
    expect(slow?.spec).toMatchObject({ params: { ms: 900 } });
    expect(slow!.atSec).toBeLessThanOrEqual(300);
    // The collector waits long enough for a 900 ms reply: it shows as latency, not as a silent CE.
    const ce = demo.inventory.sites.find((x) => x.id === slow!.spec.target)!.ce.device;
    expect(demo.profiles.get(ce.profile)?.timeoutMs).toBeGreaterThan(900);
  });
});

describe('runScenario', () => {
  let sim: FleetSimulator;
  beforeAll(async () => {
    sim = await startFleetSimulator({ config: fx.config, controlPort: null });
  });
  afterAll(async () => sim?.stop());

  it('injects each event at its time and starts over every repeatEverySec', async () => {
    const s = parseScenario(
      `repeatEverySec: 0.6
events:
  - { atSec: 0.1, kind: line-cut, target: D01-R001, durationSec: 0.2 }
  - { atSec: 0.3, kind: rate-cap, target: D01-R002, durationSec: 0.2, params: { mbps: 5 } }
`, 'inline', fx.config.inventory);
    const run = runScenario(sim, s, silentLogger);
    try {
      await sleep(200);
      expect(sim.faults().map((f) => `${f.kind}@${f.target}`)).toEqual(['line-cut@D01-R001']);
      await sleep(200);
      expect(sim.faults().map((f) => `${f.kind}@${f.target}`)).toEqual(['rate-cap@D01-R002']);
      await sleep(400); // 0.8 s: the second cycle's line cut
      expect(sim.faults().map((f) => `${f.kind}@${f.target}`)).toEqual(['line-cut@D01-R001']);
      expect(sim.fault('F-0003')).toMatchObject({ kind: 'line-cut' });
    } finally {
      run.stop();
    }
    await sleep(700);
    expect(sim.fault('F-0005')).toBeUndefined();
  });
});
