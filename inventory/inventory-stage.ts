import type { Clock } from '../core/clock.js';
import type { Site, SiteId } from '../core/inventory.js';
import type { Logger } from '../core/logger.js';
import type { CircuitSample } from '../core/sample.js';
import type { SnmpProfile } from '../core/snmp-profile.js';
import { endpointKey } from '../collector/endpoint-key.js';
import { SessionPool } from '../collector/session-pool.js';
import type { StateDb } from '../store/state-db.js';
import type { DiscoveryConfig } from './config-schema.js';
import type { DeviceTarget, Discovery } from './device-facts.js';
import { discoverDevice } from './discovery-walk.js';
import { diffFacts } from './inventory-diff.js';
import { InventoryRepository, type StoredChange } from './inventory-repository.js';

export interface InventoryStageDeps {
  db: StateDb;
  sites: readonly Site[];
  profiles: ReadonlyMap<string, SnmpProfile>;
  config: DiscoveryConfig;
  clock: Clock;
  logger: Logger;
}

/** Every device of the inventory discovery walks: CE, its OOB path, the carrier CPE, each head-end once. */
export function deviceTargets(sites: readonly Site[]): DeviceTarget[] {
  const out: DeviceTarget[] = [];
  const headends = new Map<string, DeviceTarget & { siteIds: SiteId[]; configuredNames: string[] }>();
  for (const s of sites) {
    out.push({ id: `ce:${s.id}`, role: 'ce', siteId: s.id, siteIds: [s.id], endpoint: s.ce.device, configuredNames: [s.ce.ifName] });
    if (s.oob) out.push({ id: `oob:${s.id}`, role: 'oob', siteId: s.id, siteIds: [s.id], endpoint: s.oob, configuredNames: [s.ce.ifName] });
    if (s.cpe)
      out.push({ id: `cpe:${s.id}`, role: 'cpe', siteId: s.id, siteIds: [s.id], endpoint: s.cpe.device, configuredNames: [s.cpe.lineIfName, s.cpe.customerIfName].filter((n): n is string => !!n) });
    const he = s.circuit.headend.device;
    const key = endpointKey(he);
    let t = headends.get(key);
    if (!t) {
      t = { id: `headend:${he.host}:${he.port}`, role: 'headend', siteId: null, siteIds: [], endpoint: he, configuredNames: [] };
      headends.set(key, t);
      out.push(t);
    }
    t.siteIds.push(s.id);
    t.configuredNames.push(s.circuit.headend.ifName);
  }
  return out;
}

/** Slack for request timing and agent clock drift when telling a reboot from a running uptime. */
const REBOOT_TOLERANCE_SEC = 2;

export interface DiscoveryRun {
  devices: number;
  complete: number;
  /** Devices with a named gap (part of the walk missing). */
  withGaps: { deviceId: string; gaps: string[] }[];
  changes: StoredChange[];
  durationMs: number;
}

export type ChangeListener = (changes: readonly StoredChange[], discovery: Discovery, target: DeviceTarget) => void;

/**
 * The inventory stage: walks devices over SNMP (at start-up, daily, after a reboot, on demand),
 * keeps each one's last good facts, and turns differences into dated changes. It has its own
 * session pool and request budget, so a 2,000-interface walk never waits in, or holds up,
 * the collector's queues.
 */
export class InventoryStage {
  readonly repo: InventoryRepository;
  readonly targets: readonly DeviceTarget[];
  private readonly byId: Map<string, DeviceTarget>;
  private readonly pool: SessionPool;
  private readonly running = new Map<string, Promise<Discovery>>();
  private readonly listeners: ChangeListener[] = [];
  private readonly lastUptime = new Map<SiteId, { up: number; at: number }>();
  private stopped = false;

  constructor(private readonly deps: InventoryStageDeps) {
    this.repo = new InventoryRepository(deps.db);
    this.targets = deviceTargets(deps.sites);
    this.byId = new Map(this.targets.map((t) => [t.id, t]));
    this.pool = new SessionPool(deps.profiles, deps.config.concurrency, deps.logger);
  }

  onChanges(l: ChangeListener): void {
    this.listeners.push(l);
  }

  target(id: string): DeviceTarget | undefined {
    return this.byId.get(id);
  }

  /** Targets of one site (its CE, OOB, CPE and its head-end), or all. Unknown site: none. */
  targetsOf(siteId?: string): DeviceTarget[] {
    return siteId === undefined ? [...this.targets] : this.targets.filter((t) => t.siteIds.includes(siteId));
  }

  /** Discovers the given devices, `concurrency` devices at a time. */
  async discover(targets: readonly DeviceTarget[] = this.targets): Promise<DiscoveryRun> {
    const started = this.deps.clock.now();
    const queue = [...targets];
    const results: Discovery[] = [];
    const changes: StoredChange[] = [];
    const worker = async () => {
      for (let t = queue.shift(); t && !this.stopped; t = queue.shift()) {
        const r = await this.discoverOne(t);
        results.push(r.discovery);
        changes.push(...r.changes);
      }
    };
    await Promise.all(Array.from({ length: Math.min(this.deps.config.concurrency, queue.length) }, worker));
    const withGaps = results.filter((d) => d.gaps.length).map((d) => ({ deviceId: d.deviceId, gaps: d.gaps }));
    return { devices: results.length, complete: results.length - withGaps.length, withGaps, changes, durationMs: this.deps.clock.now() - started };
  }

  private async discoverOne(t: DeviceTarget): Promise<{ discovery: Discovery; changes: StoredChange[] }> {
    let pending = this.running.get(t.id);
    if (pending) return { discovery: await pending, changes: [] };
    let stored: StoredChange[] = [];
    pending = (async () => {
      let previous = null;
      try {
        previous = this.repo.device(t.id)?.facts ?? null;
      } catch (err) {
        this.deps.logger.warn({ err, deviceId: t.id }, 'stored inventory facts unreadable; discovering afresh');
      }
      const d = await discoverDevice(this.pool, t, previous, { maxRepetitions: this.deps.config.maxRepetitions, now: () => this.deps.clock.now() });
      if (this.stopped) return d;
      const changes = diffFacts(previous, d.facts, d.read, { at: d.at, deviceId: t.id, siteId: t.siteId, configuredNames: t.configuredNames });
      stored = this.repo.save(d, { role: t.role, siteId: t.siteId, endpoint: `${t.endpoint.host}:${t.endpoint.port}` }, changes);
      if (d.gaps.length) this.deps.logger.warn({ deviceId: t.id, gaps: d.gaps }, 'discovery incomplete; last good facts kept');
      for (const c of stored) this.deps.logger[c.kind === 'handoff-unresolved' ? 'error' : 'info']({ deviceId: c.deviceId, siteId: c.siteId, kind: c.kind }, c.detail);
      for (const l of this.listeners) {
        try {
          l(stored, d, t);
        } catch (err) {
          this.deps.logger.error({ err }, 'inventory change listener failed');
        }
      }
      return d;
    })().finally(() => this.running.delete(t.id));
    this.running.set(t.id, pending);
    return { discovery: await pending, changes: stored };
  }

  /**
   * Watches the polls for reboots (sysUpTime went backwards): a swapped or upgraded CE reboots,
   * so its site's CE and OOB view are walked again at once.
   */
  observe(samples: readonly CircuitSample[]): void {
    if (!this.deps.config.afterReboot || this.stopped) return;
    for (const s of samples) {
      const up = s.ce.uptimeSec;
      if (up === null) continue;
      const before = this.lastUptime.get(s.siteId);
      this.lastUptime.set(s.siteId, { up, at: s.at });
      // Rebooted: the uptime is well short of what it would be had it kept counting since the
      // last reading (a reboot between two readings can leave it above the last value).
      if (before === undefined || up >= before.up + (s.at - before.at) / 1000 - REBOOT_TOLERANCE_SEC) continue;
      const targets = this.targetsOf(s.siteId).filter((t) => t.role === 'ce' || t.role === 'oob');
      this.deps.logger.info({ siteId: s.siteId, uptimeSec: up, beforeSec: before.up }, 'CE rebooted; discovering it again');
      this.discover(targets).catch((err: unknown) => this.deps.logger.warn({ err, siteId: s.siteId }, 'discovery after reboot failed'));
    }
  }

  /**
   * Stops at once: a walk of silent devices would otherwise hold shutdown for its timeouts
   * (SIGTERM must finish within Docker's 10 s). Closing the pool cancels the requests in flight;
   * walks cut short that way store nothing, so the last good facts stay as they were.
   */
  async stop(): Promise<void> {
    this.stopped = true;
    this.pool.close();
    await Promise.allSettled([...this.running.values()]);
  }
}
