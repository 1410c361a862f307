import { systemClock, type Clock } from '../core/clock.js';
import { silentLogger, type Logger } from '../core/logger.js';
import type { Site } from '../core/inventory.js';
import type { SnmpProfile } from '../core/snmp-profile.js';
import type { DemarcConfig } from '../config/load.js';
import { isLoopbackHost, startAgent, type AgentSpec } from './agents.js';
import { startControlApi, type ControlApi } from './control-api.js';
import { SiteDevice } from './device.js';
import { CeView, CpeView, HeadendView } from './device-views.js';
import { FaultBook } from './fault-book.js';
import { FaultError, type Fault, type FaultInput } from './faults.js';
import type { Reachability } from './site-timeline.js';
import { TrapSender, type SentTrap, type TrapTarget } from './traps.js';

export interface FleetSimulatorOptions {
  config: DemarcConfig;
  logger?: Logger;
  clock?: Clock;
  /** Where the CEs send their SNMPv2c traps (loopback); no traps without it. */
  trapTarget?: TrapTarget;
  /** Port of the HTTP control API on 127.0.0.1: default config.sim.controlPort, 0 any free port, null none. */
  controlPort?: number | null;
}

export interface FaultHandle {
  readonly id: string;
  readonly fault: Fault;
  clear(): Fault;
}

/** What the simulated devices would answer for a site right now (for tests and the CLI). */
export interface SimSiteState {
  siteId: string;
  at: number;
  ce: {
    inband: Reachability;
    oob: Reachability | null;
    powered: boolean;
    uptimeSec: number;
    hostUptimeSec: number;
    wanIfIndex: number;
    wanAdminUp: boolean;
    wanOperUp: boolean;
    wanLastChangeSec: number;
    has64: boolean;
  };
  headend: { answers: boolean; ifIndex: number; operUp: boolean };
  cpe: { answers: boolean; lineOperUp: boolean; customerOperUp: boolean } | null;
  traffic: { flowing: boolean; capMbps: number | null; inBps: number; outBps: number };
  faults: string[];
}

export interface FleetSimulator {
  readonly config: DemarcConfig;
  readonly agentCount: number;
  /** Base URL of the control API, or null when it is off. */
  readonly controlUrl: string | null;
  inject(fault: FaultInput): FaultHandle;
  clear(faultId: string): Fault;
  clearAll(): Fault[];
  /** Active faults. */
  faults(): Fault[];
  /** A fault by id, active or past. */
  fault(id: string): Fault | undefined;
  /** Exact average rate (bits/s) at the site's CE WAN port over [from, to). */
  trueRate(siteId: string, from: number | Date, to: number | Date): { inBps: number; outBps: number };
  siteState(siteId: string): SimSiteState;
  trapsSent(): SentTrap[];
  stop(): Promise<void>;
}

function profileOf(config: DemarcConfig, name: string, where: string): SnmpProfile {
  const p = config.profiles.get(name);
  if (!p) throw new Error(`${where}: unknown SNMP profile "${name}"`);
  return p;
}

/** Every address the fleet listens on, one agent each; an address used twice is an error. */
function agentSpecs(config: DemarcConfig, devices: Map<string, SiteDevice>, ceViews: Map<string, CeView>, seed: number, startMs: number): AgentSpec[] {
  const specs = new Map<string, AgentSpec>();
  const add = (s: AgentSpec) => {
    const key = `${s.host}:${s.port}`;
    const prior = specs.get(key);
    if (prior) throw new Error(`${key} is configured for both ${prior.role} of ${prior.label} and ${s.role} of ${s.label}; one address, one device`);
    specs.set(key, s);
  };
  const headends = new Map<string, Site[]>();
  for (const site of config.inventory.sites) {
    const d = devices.get(site.id)!;
    const view = ceViews.get(site.id)!;
    const ce = site.ce.device;
    add({ host: ce.host, port: ce.port, role: 'ce', label: site.id, profiles: [profileOf(config, ce.profile, site.id)], view, decide: (t) => d.conditions(t).ceInband });
    if (site.oob)
      add({ host: site.oob.host, port: site.oob.port, role: 'oob', label: site.id, profiles: [profileOf(config, site.oob.profile, site.id)], view, decide: (t) => d.conditions(t).oob });
    if (site.cpe) {
      const cpe = site.cpe.device;
      add({
        host: cpe.host, port: cpe.port, role: 'cpe', label: site.id, profiles: [profileOf(config, cpe.profile, site.id)],
        view: new CpeView(d, seed, startMs),
        decide: (t) => (d.conditions(t).nocIsolated ? { answer: false, why: 'noc isolated' } : { answer: true, delayMs: 0 }),
      });
    }
    const he = site.circuit.headend.device;
    const key = `${he.host}:${he.port}`;
    headends.set(key, [...(headends.get(key) ?? []), site]);
  }
  for (const sites of headends.values()) {
    const { host, port } = sites[0]!.circuit.headend.device;
    const ds = sites.map((s) => devices.get(s.id)!);
    const profiles = [...new Set(sites.map((s) => s.circuit.headend.device.profile))].map((n) => profileOf(config, n, `head-end ${host}:${port}`));
    add({
      host, port, role: 'headend', label: `${sites.length} circuits`, profiles,
      view: new HeadendView(host, port, ds, seed, startMs),
      decide: (t) => (ds[0]!.conditions(t).nocIsolated ? { answer: false, why: 'noc isolated' } : { answer: true, delayMs: 0 }),
    });
  }
  return [...specs.values()];
}

/**
 * Starts the simulated fleet of a configuration: a CE agent per site (plus its OOB address
 * and carrier CPE where configured) and an agent per head-end router, all on loopback.
 * Traffic follows sim/traffic.ts; faults (sim/faults.ts) are injected here, over the
 * control API or from a scenario (sim/scenario.ts).
 */
export async function startFleetSimulator(opts: FleetSimulatorOptions): Promise<FleetSimulator> {
  const { config } = opts;
  if (opts.trapTarget && !isLoopbackHost(opts.trapTarget.host))
    throw new Error(`trapTarget: ${opts.trapTarget.host} is not a loopback address; the simulator sends to 127.0.0.0/8 or ::1 only`);
  const clock = opts.clock ?? systemClock;
  const logger = (opts.logger ?? silentLogger).child({ component: 'sim' });
  const now = () => clock.now();
  const startMs = now();
  const seed = config.sim.seed;
  const devices = new Map(config.inventory.sites.map((s) => [s.id, new SiteDevice(s, seed, startMs, now)]));
  const ceViews = new Map([...devices].map(([id, d]) => [id, new CeView(d)]));
  const specs = agentSpecs(config, devices, ceViews, seed, startMs);
  const book = new FaultBook(devices, config.inventory, now, logger);

  const results = await Promise.allSettled(specs.map((s) => startAgent(s, { now, seed, logger })));
  const agents = results.flatMap((r) => (r.status === 'fulfilled' ? [r.value] : []));
  const failed = results.flatMap((r) => (r.status === 'rejected' ? [(r.reason as Error).message] : []));
  if (failed.length) {
    await Promise.all(agents.map((a) => a.close()));
    throw new Error(`the simulator could not start ${failed.length} of ${specs.length} agents:\n  ${failed.slice(0, 10).join('\n  ')}`);
  }

  const traps = opts.trapTarget ? new TrapSender(opts.trapTarget, [...devices.values()], ceViews, now, logger) : null;
  if (traps) book.onChange(() => traps.reschedule());

  const device = (siteId: string): SiteDevice => {
    const d = devices.get(siteId);
    if (!d) throw new FaultError('siteId', `unknown site "${siteId}"`);
    return d;
  };
  const headendViews = new Map<string, HeadendView>();
  for (const a of agents) if (a.spec.view instanceof HeadendView) headendViews.set(`${a.spec.host}:${a.spec.port}`, a.spec.view);

  let control: ControlApi | null = null;
  const sim: FleetSimulator = {
    config,
    agentCount: agents.length,
    get controlUrl() {
      return control?.url ?? null;
    },
    inject(input) {
      const fault = book.inject(input);
      return { id: fault.id, fault, clear: () => book.clear(fault.id) };
    },
    clear: (id) => book.clear(id),
    clearAll: () => book.clearAll(),
    faults: () => book.active(),
    fault: (id) => book.get(id),
    trueRate(siteId, from, to) {
      return device(siteId).trueRate(+from, +to);
    },
    siteState(siteId) {
      const d = device(siteId);
      const t = now();
      const c = d.conditions(t);
      const o = d.origins(t);
      const view = ceViews.get(siteId)!;
      const he = d.site.circuit.headend.device;
      const rate = d.rateAt(t);
      return {
        siteId, at: t,
        ce: {
          inband: c.ceInband, oob: d.site.oob ? c.oob : null, powered: c.powered,
          uptimeSec: (t - o.agent) / 1000, hostUptimeSec: (t - o.host) / 1000,
          wanIfIndex: d.wanIfIndexAt(t), wanAdminUp: c.wanAdminUp, wanOperUp: c.wanOperUp,
          wanLastChangeSec: view.row(t, d.wanIfIndexAt(t))!.lastChangeCs / 100, has64: c.has64,
        },
        headend: { answers: !c.nocIsolated, ifIndex: headendViews.get(`${he.host}:${he.port}`)!.ifIndexOf(siteId)!, operUp: c.headendOperUp },
        cpe: d.site.cpe ? { answers: !c.nocIsolated, lineOperUp: c.cpeLineUp, customerOperUp: c.cpeCustomerUp } : null,
        traffic: { flowing: c.wanOperUp, capMbps: Number.isFinite(c.capBps) ? c.capBps / 1e6 : null, ...rate },
        faults: d.activeFaults(t).map((f) => f.id),
      };
    },
    trapsSent: () => [...(traps?.sent ?? [])],
    async stop() {
      traps?.stop();
      await control?.close();
      await Promise.all(agents.map((a) => a.close()));
      logger.info('simulator stopped');
    },
  };

  const controlPort = opts.controlPort === undefined ? config.sim.controlPort : opts.controlPort;
  if (controlPort !== null) {
    try {
      control = await startControlApi(sim, controlPort, logger);
    } catch (e) {
      await sim.stop();
      throw e;
    }
  }
  logger.info({ sites: devices.size, agents: agents.length, control: control?.url ?? null, startupMs: now() - startMs }, 'simulator started');
  return sim;
}
