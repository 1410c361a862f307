import type { Clock } from '../core/clock.js';
import type { Logger } from '../core/logger.js';
import type { CircuitSample } from '../core/sample.js';
import type { TrapEvent } from '../core/trap.js';
import type { DemarcConfig } from '../config/load.js';
import { Collector } from '../collector/collector.js';
import { TrapReceiver } from '../collector/trap-receiver.js';
import { ownedShares, groupSites, type OwnedShare } from './membership.js';
import { aliveMembers, openNatsLink, within, type NatsLink } from './nats-link.js';
import { healthSubject, sampleMsgId, sampleSubject, trapMsgId, trapSubject, type CollectorHealthMessage, type RemoteMessage } from './messages.js';
import { SpillJournal } from './spill-journal.js';
import { JournalPublisher } from './journal-publisher.js';

export interface RunningCollectorNode {
  id: string;
  /** The shares polled now (`group/home member`). */
  shares(): string[];
  stop(): Promise<void>;
}

/**
 * `demarc collector`: the collector stage alone, for the sites its groups give it. Every
 * sample and trap goes into the spill journal first and from there to JetStream, so a cut
 * link costs nothing but delay. Membership is a heartbeat in the KV bucket; ownership is
 * recomputed from the live members at every beat (remote/membership.ts).
 */
export async function startCollectorNode(config: DemarcConfig, deps: { logger: Logger; clock: Clock }): Promise<RunningCollectorNode> {
  const nats = config.nats;
  if (!nats?.collector) throw new Error('demarc collector needs nats.url and nats.collector.id in the configuration');
  const me = nats.collector.id;
  const { logger, clock } = deps;
  const myGroups = nats.groups.filter((g) => g.members.includes(me) || g.fallback.includes(me));
  if (!myGroups.length) throw new Error(`collector ${me} is a member or fallback of no group in nats.groups`);
  const sites = config.inventory.sites;
  const byId = new Map(sites.map((s) => [s.id, s]));

  const journal = new SpillJournal(nats.collector.journal);
  const link: NatsLink = await openNatsLink(nats, `demarc-collector-${me}`, logger.child({ stage: 'nats' }));
  const publisher = new JournalPublisher(journal, link, nats.collector.window, clock, logger.child({ stage: 'journal' }));
  const running = new Map<string, { share: OwnedShare; collector: Collector }>();
  let lastCycle: CollectorHealthMessage['lastCycle'] = null;

  const journalSamples = (samples: readonly CircuitSample[]) => {
    const entries = samples.map((s) => {
      const m: RemoteMessage = { v: 1, kind: 'sample', collector: me, sample: { ...s, vantage: me } };
      return { subject: sampleSubject(me, s.siteId), msgId: sampleMsgId(s, me), body: JSON.stringify(m) };
    });
    journal.append(entries, clock.now());
    publisher.kick();
  };

  const health = (): CollectorHealthMessage => ({
    v: 1,
    kind: 'health',
    collector: me,
    at: clock.now(),
    shares: [...running.keys()],
    sites: [...running.values()].reduce((n, r) => n + r.share.siteIds.length, 0),
    lastCycle,
    journalBacklog: journal.backlog(),
  });
  const publishHealth = () => {
    if (!link.connected()) return;
    // Health is news only while fresh: published directly, never journalled and replayed.
    const h = health();
    link.js.publish(healthSubject(me), JSON.stringify(h), { msgID: `h:${me}@${h.at}`, timeout: 5000 }).catch(() => undefined);
  };

  const startShare = (share: OwnedShare) => {
    const c = new Collector(
      { sites: share.siteIds.map((id) => byId.get(id)!), profiles: config.profiles, intervalSec: config.collector.intervalSec, concurrency: config.collector.concurrency, spreadPolls: config.collector.spreadPolls, sharedSockets: config.collector.sharedSockets },
      clock,
      logger.child({ stage: 'collector', share: share.key }),
    );
    c.onCycle(({ stats, samples }) => {
      journalSamples(samples);
      lastCycle = { cycle: stats.cycle, finishedAt: stats.finishedAt, durationMs: stats.durationMs, sitesPolled: stats.sitesPolled, sitesReachable: stats.sitesReachable };
      publishHealth();
    });
    c.start();
    running.set(share.key, { share, collector: c });
    logger.info({ share: share.key, sites: share.siteIds.length, takeover: share.home !== me }, share.home === me ? 'polling my share' : 'taking over a share');
  };

  /** One heartbeat: say I am alive, read who else is, poll what is mine now. */
  let beating: Promise<void> | null = null;
  const beat = async () => {
    let alive: Set<string>;
    try {
      const limitMs = nats.ttlSec * 1000;
      await within(limitMs, 'heartbeat put', () => link.members.put(me, JSON.stringify({ at: clock.now(), shares: [...running.keys()] })));
      alive = await aliveMembers(link.members, limitMs);
    } catch (err) {
      // Cut off: nobody can see us and we cannot see them; keep polling what we have.
      if (!running.size) alive = new Set([me]);
      else return void logger.debug({ error: (err as Error).message }, 'heartbeat not delivered; keeping my shares');
    }
    alive.add(me);
    const want = new Map(ownedShares(me, myGroups, sites, alive).map((s) => [s.key, s]));
    for (const [key, r] of running) {
      if (want.has(key)) continue;
      running.delete(key);
      logger.info({ share: key }, 'share handed back to its member');
      await r.collector.stop();
    }
    for (const [key, share] of want) if (!running.has(key)) startShare(share);
  };
  await beat();
  const timer = setInterval(() => {
    // A beat that waits on a cut link is not stacked behind: the next one starts when it is done.
    if (beating) return;
    beating = beat()
      .catch((err: unknown) => logger.error({ err }, 'membership beat failed'))
      .finally(() => (beating = null));
  }, nats.heartbeatSec * 1000);
  const pruner = setInterval(() => journal.prune(clock.now() - nats.collector!.keepAckedSec * 1000), 60_000);

  let traps: TrapReceiver | null = null;
  if (config.traps.enabled) {
    const served = myGroups.flatMap((g) => groupSites(g, sites));
    traps = new TrapReceiver(
      { ...config.traps, sites: served },
      (trap: TrapEvent) => {
        const m: RemoteMessage = { v: 1, kind: 'trap', collector: me, trap };
        journal.append([{ subject: trapSubject(me, trap.siteId), msgId: trapMsgId(trap, me), body: JSON.stringify(m) }], clock.now());
        publisher.kick();
        // Poll the site now, as the center does, when it is ours.
        const owner = [...running.values()].find((r) => r.share.siteIds.includes(trap.siteId));
        owner?.collector.pollSitesNow([trap.siteId]).then(journalSamples, (err: unknown) => logger.warn({ err, siteId: trap.siteId }, 'trap-triggered poll failed'));
      },
      clock,
      logger.child({ stage: 'traps' }),
    );
    await traps.start();
  }
  logger.info({ collector: me, groups: myGroups.map((g) => g.id), shares: [...running.keys()], nats: nats.url, stream: nats.stream }, 'demarc collector is running');

  return {
    id: me,
    shares: () => [...running.keys()],
    async stop() {
      clearInterval(timer);
      clearInterval(pruner);
      await beating;
      await traps?.stop();
      for (const r of running.values()) await r.collector.stop();
      running.clear();
      // Leaving on purpose: the others take my shares now, not after the TTL.
      if (link.connected()) await link.members.delete(me).catch(() => undefined);
      await publisher.stop(3000);
      await link.close();
      journal.close();
    },
  };
}
