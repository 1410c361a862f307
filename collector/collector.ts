import type { Clock } from '../core/clock.js';
import type { CycleStats } from '../core/events.js';
import type { Logger } from '../core/logger.js';
import type { Site, SnmpEndpoint } from '../core/inventory.js';
import type { CircuitSample } from '../core/sample.js';
import type { SnmpProfile } from '../core/snmp-profile.js';
import { launchSpread, planCycle, type CyclePlan, type HeadendBatch, type PlannedSite } from './cycle-plan.js';
import { pollPort, pollStatuses } from './device-polls.js';
import { endpointKey } from './endpoint-key.js';
import { pollHeadendBatch, type HeadendPoll } from './headend-poll.js';
import { IfIndexResolver, type InterfaceRef } from './if-index-resolver.js';
import { nextLayoutKind } from './port-oids.js';
import { DEFAULT_RATE_LIMITS, type RateLimits } from './port-rates.js';
import { buildSample, type RateMemory, type SitePolls } from './sample-builder.js';
import { CycleScheduler } from './scheduler.js';
import { SessionPool, type PoolStats } from './session-pool.js';

export interface CollectorOptions {
  sites: readonly Site[];
  profiles: ReadonlyMap<string, SnmpProfile>;
  intervalSec: number;
  concurrency: number;
  /** UDP sockets per address family shared by all sessions; 0: one per session. Default 4. */
  sharedSockets?: number;
  spreadPolls: boolean;
  /** Circuits per GET on a head-end router. */
  headendPortsPerPdu?: number;
}

export interface CycleResult {
  stats: CycleStats;
  samples: CircuitSample[];
}

export type CycleListener = (result: CycleResult) => void;

type HeadendView = SitePolls['headend'];

/** What the collector carries from one poll of a site to the next. */
interface SiteState {
  memory: RateMemory;
  /** The head-end view of the last cycle, for polls outside the cycle. */
  lastHeadend: HeadendView | null;
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/**
 * The polling stage: every interval, every site's CE, OOB path and carrier CPE, and its
 * circuit's head-end interface (batched per router), spread across the first 40 % of the
 * interval; the cycle's samples go to the listeners. It knows nothing of what consumes them.
 */
export class Collector {
  private readonly pool: SessionPool;
  private readonly resolver: IfIndexResolver;
  private readonly listeners: CycleListener[] = [];
  private readonly scheduler: CycleScheduler;
  private readonly limits: RateLimits;
  private lastStats: CycleStats | null = null;
  /** By inventory position, one object per site rather than a map lookup per field per poll. */
  private readonly states: SiteState[];
  private readonly indexById: Map<string, number>;
  private readonly plan: CyclePlan;
  /** Aborted by stop(): the cycle in flight abandons the polls still waiting on silent agents. */
  private readonly stopping = new AbortController();

  constructor(
    private readonly opts: CollectorOptions,
    private readonly clock: Clock,
    private readonly logger: Logger,
  ) {
    this.indexById = new Map(opts.sites.map((s, i) => [s.id, i]));
    this.states = opts.sites.map(() => ({ memory: { ce: null, headend: null }, lastHeadend: null }));
    this.plan = planCycle(opts.sites, opts.headendPortsPerPdu ?? 10);
    this.pool = new SessionPool(opts.profiles, opts.concurrency, logger, opts.sharedSockets);
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

  /**
   * Stops polling. The cycle in flight does not wait for its slowest agents: the polls still
   * waiting (a silent agent holds one for its timeout × retries, and the spread holds later
   * sites for most of the interval) are abandoned, and the polls that finished are delivered
   * to the listeners as that cycle, so their samples are stored before demarc exits.
   */
  async stop(): Promise<void> {
    this.stopping.abort();
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
    const indexes = siteIds.map((id) => this.indexById.get(id)).filter((i): i is number => i !== undefined);
    const unknown: HeadendView = { ok: false, error: 'not polled', port: null };
    return Promise.all(indexes.map((i) => this.pollSite(this.opts.sites[i]!, this.states[i]!, Promise.resolve(this.states[i]!.lastHeadend ?? unknown))));
  }

  private version1(e: SnmpEndpoint): boolean {
    return this.opts.profiles.get(e.profile)?.version === '1';
  }

  /** One head-end GET for a batch of circuits, each asked for what its last reading needs. */
  private pollBatch(batch: HeadendBatch, indexes: Map<string, Promise<ReadonlyMap<string, InterfaceRef>>>): Promise<HeadendPoll> {
    const key = endpointKey(batch.device);
    let table = indexes.get(key);
    if (!table) {
      table = this.resolver.resolve(batch.device, batch.deviceIfNames);
      // Each batch reports the failure itself; this keeps an unobserved rejection from escaping.
      table.catch(() => undefined);
      indexes.set(key, table);
    }
    const v1 = this.version1(batch.device);
    const ports = batch.sites.map((s, k) => ({ ifName: s.circuit.headend.ifName, kind: nextLayoutKind(v1, this.states[batch.siteIndexes[k]!]!.memory.headend, false) }));
    return pollHeadendBatch(this.pool, this.resolver, batch.device, table, ports, () => this.clock.now());
  }

  private async pollSite(site: Site, state: SiteState, headendPoll: Promise<HeadendView>): Promise<CircuitSample> {
    const started = this.clock.now();
    const now = () => this.clock.now();
    const remembered = state.memory;
    const [ce, oob, cpe, headend] = await Promise.all([
      pollPort(this.pool, this.resolver, site.ce.device, site.ce.ifName, now, nextLayoutKind(this.version1(site.ce.device), remembered.ce, true)),
      site.oob ? pollPort(this.pool, this.resolver, site.oob, site.ce.ifName, now, 'status') : null,
      site.cpe
        ? pollStatuses(this.pool, this.resolver, site.cpe.device, [site.cpe.lineIfName, site.cpe.customerIfName].filter((n): n is string => !!n))
        : null,
      headendPoll,
    ]);
    state.lastHeadend = headend;
    // The sample's time is the CE request's; when the CE could not even be asked, the poll's start.
    const at = ce.reading?.at ?? started;
    // The state as it is now: a trap-triggered poll of this site may have finished meanwhile.
    const { sample, memory, aboveLineRate } = buildSample(site, { at, ce, headend, oob, cpe }, state.memory, this.limits);
    state.memory = memory;
    for (const side of aboveLineRate) {
      const port = side === 'ce' ? site.ce : site.circuit.headend;
      // A counter jump, a device bug or a wrong speed in the inventory: never a spike on the wall, but not silent either.
      this.logger.warn({ siteId: site.id, side, device: port.device.host, ifName: port.ifName, nominalMbps: site.circuit.bandwidthMbps }, 'counters moved faster than the line can carry; interval left as a gap');
    }
    return sample;
  }

  private async runCycle(cycle: number, startedAt: number): Promise<void> {
    const before = this.pool.stats();
    // Polls spread over the first 40% of the interval: the load is even, and the slowest
    // device (timeouts and retries) still finishes before the next cycle is due.
    const spreadMs = this.opts.spreadPolls ? this.opts.intervalSec * 400 : 0;
    // This cycle's head-end GETs (one per batch, sent when its first circuit is due) and
    // name tables (one per router).
    const batchPolls = new Map<HeadendBatch, Promise<HeadendPoll>>();
    const indexes = new Map<string, Promise<ReadonlyMap<string, InterfaceRef>>>();
    const headendOf = (p: PlannedSite): Promise<HeadendView> => {
      let poll = batchPolls.get(p.batch);
      if (!poll) {
        poll = this.pollBatch(p.batch, indexes);
        batchPolls.set(p.batch, poll);
      }
      const ifName = p.site.circuit.headend.ifName;
      return poll.then((b) => ({ ok: b.ok, error: b.error, port: b.ports.get(ifName) ?? null, unresolved: b.unresolved?.includes(ifName) ?? false }));
    };
    const planned = this.plan.sites;
    const polled: CircuitSample[] = new Array(planned.length);
    await launchSpread(
      planned.length,
      (i) => spreadMs * planned[i]!.offset,
      startedAt,
      this.clock,
      sleep,
      async (i) => {
        const p = planned[i]!;
        polled[p.index] = await this.pollSite(p.site, this.states[p.index]!, headendOf(p));
      },
      // Half again the request limit: enough to keep every request slot busy while some polls
      // wait on their device, few enough that polls do not queue for long. A queued poll's
      // promises and buffers outlive a young-generation GC and get copied; at 100,000 sites
      // that copying was the largest single cost (4× the limit → 1.5×: +7 % site polls/s).
      { maxInFlight: Math.max(100, Math.round(this.opts.concurrency * 1.5)), signal: this.stopping.signal },
    );
    // An abandoned poll may still finish later; it writes into `polled`, never into what was delivered.
    const samples = this.stopping.signal.aborted ? polled.filter((s) => s !== undefined) : polled;
    if (samples.length < planned.length) {
      this.logger.info({ cycle, delivered: samples.length, abandoned: planned.length - samples.length }, 'stopping: polls still waiting on their agents abandoned; the finished ones are delivered');
    }
    const finishedAt = this.clock.now();
    const after = this.pool.stats();
    const stats: CycleStats = {
      cycle,
      startedAt,
      finishedAt,
      durationMs: finishedAt - startedAt,
      sitesPolled: samples.length,
      sitesReachable: samples.filter((s) => s.ce.reachable).length,
      intervalSec: this.opts.intervalSec,
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
