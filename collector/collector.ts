import type { Clock } from '../core/clock.js';
import type { CycleStats } from '../core/events.js';
import type { Logger } from '../core/logger.js';
import type { Site, SnmpEndpoint } from '../core/inventory.js';
import type { CircuitSample } from '../core/sample.js';
import type { SnmpProfile } from '../core/snmp-profile.js';
import { pollPort, pollStatuses } from './device-polls.js';
import { pollHeadend, type HeadendPoll } from './headend-poll.js';
import { IfIndexResolver } from './if-index-resolver.js';
import { DEFAULT_RATE_LIMITS, type RateLimits } from './port-rates.js';
import { buildSample, type RateMemory } from './sample-builder.js';
import { CycleScheduler } from './scheduler.js';
import { SessionPool, type PoolStats } from './session-pool.js';

export interface CollectorOptions {
  sites: readonly Site[];
  profiles: ReadonlyMap<string, SnmpProfile>;
  intervalSec: number;
  concurrency: number;
  spreadPolls: boolean;
  /** Circuits per GET on a head-end router. */
  headendPortsPerPdu?: number;
}

export interface CycleResult {
  stats: CycleStats;
  samples: CircuitSample[];
}

export type CycleListener = (result: CycleResult) => void;

const deviceKey = (e: SnmpEndpoint) => `${e.host}:${e.port}/${e.profile}`;

/** A stable position in [0, 1) per site, so each site is polled at the same offset every cycle. */
function spreadFraction(id: string): number {
  let h = 2166136261;
  for (let i = 0; i < id.length; i++) h = Math.imul(h ^ id.charCodeAt(i), 16777619);
  return (h >>> 0) / 2 ** 32;
}

/**
 * The polling stage: every interval, the head-end routers (batched) and then every site's CE,
 * OOB path and carrier CPE, spread across the first half of the interval; the cycle's samples
 * go to the listeners. It knows nothing of what consumes them.
 */
export class Collector {
  private readonly pool: SessionPool;
  private readonly resolver: IfIndexResolver;
  private readonly memory = new Map<string, RateMemory>();
  private readonly listeners: CycleListener[] = [];
  private readonly scheduler: CycleScheduler;
  private readonly limits: RateLimits;
  private lastStats: CycleStats | null = null;
  private lastHeadends = new Map<string, HeadendPoll>();
  private readonly reachable = new Map<string, boolean>();
  private readonly siteById: Map<string, Site>;

  constructor(
    private readonly opts: CollectorOptions,
    private readonly clock: Clock,
    private readonly logger: Logger,
  ) {
    this.siteById = new Map(opts.sites.map((s) => [s.id, s]));
    this.pool = new SessionPool(opts.profiles, opts.concurrency, logger);
    this.resolver = new IfIndexResolver(this.pool);
    const intervalMs = opts.intervalSec * 1000;
    this.limits = { ...DEFAULT_RATE_LIMITS, maxIntervalMs: Math.max(2.5 * intervalMs, 5000) };
    this.scheduler = new CycleScheduler(intervalMs, clock, logger, (n, at) => this.runCycle(n, at));
  }

  onCycle(listener: CycleListener): void {
    this.listeners.push(listener);
  }

  start(): void {
    this.scheduler.start();
  }

  async stop(): Promise<void> {
    await this.scheduler.stop();
    this.pool.close();
  }

  get overruns(): number {
    return this.scheduler.overruns;
  }

  get lastCycle(): CycleStats | null {
    return this.lastStats;
  }

  poolStats(): PoolStats {
    return this.pool.stats();
  }

  /** One full cycle, outside the schedule (tests, benchmarks, `demarc poll --once`). */
  async pollOnce(): Promise<CycleResult> {
    let result: CycleResult | undefined;
    const capture: CycleListener = (r) => {
      result = r;
    };
    this.listeners.push(capture);
    try {
      await this.runCycle((this.lastStats?.cycle ?? 0) + 1, this.clock.now());
    } finally {
      this.listeners.splice(this.listeners.indexOf(capture), 1);
    }
    return result!;
  }

  /**
   * Polls some sites right away, outside the cycle (a trap said something changed there), with
   * the head-end state of the last cycle. Unknown ids are ignored.
   */
  async pollSitesNow(siteIds: readonly string[]): Promise<CircuitSample[]> {
    const sites = siteIds.map((id) => this.siteById.get(id)).filter((s): s is Site => s !== undefined);
    return Promise.all(sites.map((s) => this.pollSite(s, this.lastHeadends)));
  }

  private async pollHeadends(): Promise<Map<string, HeadendPoll>> {
    const byDevice = new Map<string, { device: SnmpEndpoint; ifNames: string[] }>();
    for (const s of this.opts.sites) {
      const d = s.circuit.headend.device;
      const entry = byDevice.get(deviceKey(d)) ?? { device: d, ifNames: [] };
      entry.ifNames.push(s.circuit.headend.ifName);
      byDevice.set(deviceKey(d), entry);
    }
    const now = () => this.clock.now();
    const polls = await Promise.all(
      [...byDevice.entries()].map(
        async ([key, { device, ifNames }]) =>
          [key, await pollHeadend(this.pool, this.resolver, device, ifNames, now, this.opts.headendPortsPerPdu ?? 10, this.opts.profiles.get(device.profile)?.version === '1')] as const,
      ),
    );
    return new Map(polls);
  }

  private async pollSite(site: Site, headends: Map<string, HeadendPoll>): Promise<CircuitSample> {
    const started = this.clock.now();
    const now = () => this.clock.now();
    const v1 = (e: SnmpEndpoint) => this.opts.profiles.get(e.profile)?.version === '1';
    const [ce, oob, cpe] = await Promise.all([
      pollPort(this.pool, this.resolver, site.ce.device, site.ce.ifName, now, v1(site.ce.device)),
      site.oob ? pollPort(this.pool, this.resolver, site.oob, site.ce.ifName, now, v1(site.oob)) : null,
      site.cpe
        ? pollStatuses(this.pool, this.resolver, site.cpe.device, [site.cpe.lineIfName, site.cpe.customerIfName].filter((n): n is string => !!n))
        : null,
    ]);
    const he = headends.get(deviceKey(site.circuit.headend.device));
    const headend = he
      ? { ok: he.ok, error: he.error, port: he.ports.get(site.circuit.headend.ifName) ?? null }
      : { ok: false, error: 'not polled', port: null };
    // The sample's time is the CE request's; when the CE could not even be asked, the poll's start.
    const at = ce.reading?.at ?? started;
    const { sample, memory } = buildSample(site, { at, ce, headend, oob, cpe }, this.memory.get(site.id) ?? { ce: null, headend: null }, this.limits);
    this.memory.set(site.id, memory);
    const was = this.reachable.get(site.id);
    if (was !== ce.ok) {
      this.reachable.set(site.id, ce.ok);
      if (was !== undefined) {
        if (ce.ok) this.logger.info({ siteId: site.id, device: site.ce.device.host }, 'CE answers again');
        else this.logger.warn({ siteId: site.id, device: site.ce.device.host, error: ce.error }, 'CE stopped answering');
      }
    }
    return sample;
  }

  private async runCycle(cycle: number, startedAt: number): Promise<void> {
    const before = this.pool.stats();
    const headends = await this.pollHeadends();
    this.lastHeadends = headends;
    // Polls spread over the first 40% of the interval: the load is even, and the slowest
    // device (timeouts and retries) still finishes before the next cycle is due.
    const spreadMs = this.opts.spreadPolls ? this.opts.intervalSec * 400 : 0;
    const samples = await Promise.all(
      this.opts.sites.map(async (site) => {
        const delay = spreadMs * spreadFraction(site.id) - (this.clock.now() - startedAt);
        if (delay > 0) await new Promise((r) => setTimeout(r, delay));
        return this.pollSite(site, headends);
      }),
    );
    const finishedAt = this.clock.now();
    const after = this.pool.stats();
    const stats: CycleStats = {
      cycle,
      startedAt,
      finishedAt,
      durationMs: finishedAt - startedAt,
      sitesPolled: samples.length,
      sitesReachable: samples.filter((s) => s.ce.reachable).length,
      overrun: finishedAt - startedAt > this.opts.intervalSec * 1000,
      timeouts: after.failures.timeout - before.failures.timeout,
      errors: Object.values(after.failures).reduce((a, b) => a + b, 0) - Object.values(before.failures).reduce((a, b) => a + b, 0) - (after.failures.timeout - before.failures.timeout),
    };
    this.lastStats = stats;
    for (const l of this.listeners) {
      try {
        l({ stats, samples });
      } catch (err) {
        this.logger.error({ err }, 'cycle listener failed');
      }
    }
  }
}
