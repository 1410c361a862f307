import { AckPolicy, DeliverPolicy, type JsMsg } from '@nats-io/jetstream';
import type { Clock } from '../core/clock.js';
import type { Logger } from '../core/logger.js';
import type { Site } from '../core/inventory.js';
import type { CircuitSample } from '../core/sample.js';
import type { TrapEvent } from '../core/trap.js';
import type { NatsConfig } from './config-schema.js';
import { groupOfSite, homeShares, mayReport, shareOwners } from './membership.js';
import { aliveMembers, type NatsLink } from './nats-link.js';
import { parseRemoteMessage, toCircuitSample, type CollectorHealthMessage, type RejectReason } from './messages.js';

/** Where the center's stages take what the collectors sent (wired by app/pipeline.ts). */
export interface IntakeSink {
  /** Resolves once the samples are in the metric store (idempotent per site and instant). */
  store(samples: CircuitSample[]): Promise<void>;
  /** The outage, fleet, alert and inventory stages, for samples newer than any seen of their site. */
  observe(samples: CircuitSample[]): void;
  trap(trap: TrapEvent): void;
  /** A remote reading of a site the center polls itself: the second vantage point. */
  vantage(sample: CircuitSample): void;
}

export interface RemoteHealth {
  stream: string;
  consumer: string;
  connected: boolean;
  received: { samples: number; traps: number; health: number };
  /** Samples older than one already seen for their site (a replay, a late member): stored, not re-observed. */
  late: number;
  rejected: Partial<Record<RejectReason, number>>;
  lastRejected: { at: string; subject: string; reason: RejectReason; detail: string }[];
  alive: string[];
  /** Shares (group/home member) no alive collector polls. */
  unowned: string[];
  collectors: (Omit<CollectorHealthMessage, 'v' | 'kind' | 'at'> & { at: string })[];
}

const BATCH = 500;

/**
 * The center's side of the stream: a durable consumer, each message validated (zod, subject,
 * the collector's group), samples stored before they are acknowledged, so a center killed
 * mid-batch gets the batch again (and the store's (site, at) key absorbs the repeat).
 */
export class CenterIntake {
  private running = true;
  private loop: Promise<void> | null = null;
  private readonly bySite: ReturnType<typeof groupOfSite>;
  private readonly known: Set<string>;
  private readonly lastAt = new Map<string, number>();
  private readonly stats: RemoteHealth;
  private readonly latestHealth = new Map<string, CollectorHealthMessage>();
  private membersTimer: NodeJS.Timeout | null = null;

  constructor(
    private readonly deps: { link: NatsLink; cfg: NatsConfig; sites: readonly Site[]; centerPolls: ReadonlySet<string>; latestAt: ReadonlyMap<string, number>; sink: IntakeSink; clock: Clock; logger: Logger },
  ) {
    for (const [site, at] of deps.latestAt) this.lastAt.set(site, at);
    this.bySite = groupOfSite(deps.cfg.groups, deps.sites);
    this.known = new Set(deps.sites.map((s) => s.id));
    this.stats = { stream: deps.cfg.stream, consumer: deps.cfg.consumer, connected: true, received: { samples: 0, traps: 0, health: 0 }, late: 0, rejected: {}, lastRejected: [], alive: [], unowned: [], collectors: [] };
  }

  async start(): Promise<void> {
    const { link, cfg } = this.deps;
    const jsm = await link.js.jetstreamManager();
    await jsm.consumers.info(cfg.stream, cfg.consumer).catch(() =>
      jsm.consumers.add(cfg.stream, { durable_name: cfg.consumer, ack_policy: AckPolicy.Explicit, deliver_policy: DeliverPolicy.All, ack_wait: 60_000_000_000, max_ack_pending: 50_000 }),
    );
    this.loop = this.consume();
    let reading = false;
    const readMembers = () => {
      if (reading) return;
      reading = true;
      void this.readMembers()
        .catch(() => undefined)
        .finally(() => (reading = false));
    };
    readMembers();
    this.membersTimer = setInterval(readMembers, cfg.heartbeatSec * 1000);
  }

  health(): RemoteHealth {
    return {
      ...this.stats,
      connected: this.deps.link.connected(),
      collectors: [...this.latestHealth.values()].map(({ v: _v, kind: _k, at, ...h }) => ({ ...h, at: new Date(at).toISOString() })),
    };
  }

  private async readMembers(): Promise<void> {
    const alive = await aliveMembers(this.deps.link.members, this.deps.cfg.ttlSec * 1000);
    const unowned: string[] = [];
    for (const g of this.deps.cfg.groups) {
      const shares = homeShares(g, this.deps.sites);
      for (const [home, owner] of shareOwners(g, alive)) if (!owner && shares.get(home)?.length) unowned.push(`${g.id}/${home}`);
    }
    this.stats.alive = [...alive].sort();
    this.stats.unowned = unowned;
  }

  private reject(m: JsMsg, reason: RejectReason, detail: string): void {
    this.stats.rejected[reason] = (this.stats.rejected[reason] ?? 0) + 1;
    this.stats.lastRejected = [{ at: new Date(this.deps.clock.now()).toISOString(), subject: m.subject, reason, detail }, ...this.stats.lastRejected].slice(0, 10);
    this.deps.logger.warn({ subject: m.subject, seq: m.seq, reason, detail }, 'remote message rejected');
    // Never redelivered: the same bytes would be refused again.
    m.term(reason);
  }

  private async consume(): Promise<void> {
    const { link, cfg, logger } = this.deps;
    let lastError = '';
    while (this.running) {
      try {
        const consumer = await link.js.consumers.get(cfg.stream, cfg.consumer);
        const batch: JsMsg[] = [];
        for await (const m of await consumer.fetch({ max_messages: BATCH, expires: 1000 })) {
          batch.push(m);
          if (batch.length >= BATCH) break;
        }
        if (batch.length) await this.handle(batch);
        lastError = '';
      } catch (err) {
        const msg = (err as Error).message;
        if (msg !== lastError) logger.warn({ error: msg }, 'reading the stream failed; retrying');
        lastError = msg;
        await new Promise((r) => setTimeout(r, 500));
      }
    }
  }

  private async handle(batch: JsMsg[]): Promise<void> {
    const samples: { m: JsMsg; s: CircuitSample }[] = [];
    for (const m of batch) {
      const p = parseRemoteMessage(m.subject, m.data);
      if (!p.ok) {
        this.reject(m, p.reason, p.detail);
        continue;
      }
      const msg = p.message;
      if (msg.kind === 'health') {
        if (!this.deps.cfg.groups.some((g) => g.members.includes(msg.collector) || g.fallback.includes(msg.collector))) {
          this.reject(m, 'unknown-collector', `collector ${msg.collector} is in no group`);
          continue;
        }
        this.stats.received.health++;
        this.latestHealth.set(msg.collector, msg);
        m.ack();
        continue;
      }
      const siteId = msg.kind === 'sample' ? msg.sample.siteId : msg.trap.siteId;
      if (!this.known.has(siteId)) {
        this.reject(m, 'unknown-site', `site ${siteId} is not in the inventory`);
        continue;
      }
      if (mayReport(msg.collector, siteId, this.bySite) !== 'ok') {
        this.reject(m, 'site-not-in-group', `collector ${msg.collector} is no member or fallback of the group of site ${siteId}`);
        continue;
      }
      if (msg.kind === 'trap') {
        this.stats.received.traps++;
        if (!this.deps.centerPolls.has(siteId)) this.deps.sink.trap(msg.trap);
        m.ack();
        continue;
      }
      this.stats.received.samples++;
      const s = toCircuitSample(msg);
      if (this.deps.centerPolls.has(siteId)) {
        this.deps.sink.vantage(s);
        m.ack();
      } else samples.push({ m, s });
    }
    if (!samples.length) return;
    try {
      await this.deps.sink.store(samples.map((x) => x.s));
    } catch (err) {
      this.deps.logger.error({ err, samples: samples.length }, 'storing remote samples failed; they will be delivered again');
      for (const x of samples) x.m.nak(5000);
      return;
    }
    const fresh: CircuitSample[] = [];
    for (const { s } of samples) {
      const last = this.lastAt.get(s.siteId) ?? -Infinity;
      if (s.at > last) {
        this.lastAt.set(s.siteId, s.at);
        fresh.push(s);
      } else this.stats.late++;
    }
    try {
      if (fresh.length) this.deps.sink.observe(fresh);
    } finally {
      for (const x of samples) x.m.ack();
    }
  }

  async stop(): Promise<void> {
    this.running = false;
    if (this.membersTimer) clearInterval(this.membersTimer);
    await this.loop;
  }
}
