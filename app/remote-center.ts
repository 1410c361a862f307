import type { HealthIssue } from '../core/health-terms.js';
import type { Clock } from '../core/clock.js';
import type { IncidentEvent } from '../core/incident.js';
import type { Logger } from '../core/logger.js';
import type { Site } from '../core/inventory.js';
import type { CircuitSample } from '../core/sample.js';
import type { TrapEvent } from '../core/trap.js';
import type { NatsConfig } from '../remote/config-schema.js';
import { groupOfSite } from '../remote/membership.js';
import { openNatsLink, type NatsLink } from '../remote/nats-link.js';
import { CenterIntake, type RemoteHealth } from '../remote/center-intake.js';
import { VantageBook, type VantageNote } from '../outage/vantage.js';

export interface RemoteCenter {
  /** After each of the center's own cycles: the second vantage point's notes on what it lost. */
  centerCycle(samples: readonly CircuitSample[]): void;
  health(): RemoteHealth | null;
  /** Problems for /api/health: a lost link, shares nobody polls, refused messages. */
  issues(): HealthIssue[];
  stop(): Promise<void>;
}

export interface RemoteCenterDeps {
  nats: NatsConfig | undefined;
  sites: readonly Site[];
  intervalSec: number;
  /** latest stored reading per site: a replay of older ones is stored but not observed again. */
  latestAt: ReadonlyMap<string, number>;
  store(samples: CircuitSample[]): Promise<void>;
  observe(samples: CircuitSample[]): void;
  trap(trap: TrapEvent): void;
  vantage(note: VantageNote): IncidentEvent[];
  publish(events: IncidentEvent[]): void;
  clock: Clock;
  logger: Logger;
}

/** The sites the center's own collector polls: all without `nats:`; else those of no group, or all with `centerPolls: all`. */
export function centerPolledSites(nats: NatsConfig | undefined, sites: readonly Site[]): readonly Site[] {
  if (!nats || nats.centerPolls === 'all') return sites;
  const grouped = groupOfSite(nats.groups, sites);
  return sites.filter((s) => !grouped.has(s.id));
}

/**
 * The center's half of remote collection (remote/): without a `nats:` section it is nothing
 * and the center polls every site itself. With one, the center polls the sites of no group
 * (or all, as a second vantage point) and takes the rest from the stream.
 */
export async function startRemoteCenter(d: RemoteCenterDeps): Promise<RemoteCenter> {
  if (!d.nats) return { centerCycle: () => undefined, health: () => null, issues: () => [], stop: async () => undefined };
  const nats = d.nats;
  const grouped = groupOfSite(nats.groups, d.sites);
  const centerPolls = new Set(nats.centerPolls === 'all' ? grouped.keys() : []);
  const book = new VantageBook(2 * d.intervalSec * 1000);
  const note = (n: VantageNote | null) => n && d.publish(d.vantage(n));
  const link: NatsLink = await openNatsLink(nats, 'demarc-center', d.logger.child({ stage: 'nats' }));
  const intake = new CenterIntake({
    link,
    cfg: nats,
    sites: d.sites,
    centerPolls,
    latestAt: d.latestAt,
    sink: { store: d.store, observe: d.observe, trap: d.trap, vantage: (s) => note(book.fromRemote(s)) },
    clock: d.clock,
    logger: d.logger.child({ stage: 'intake' }),
  });
  await intake.start();
  d.logger.info({ nats: nats.url, stream: nats.stream, consumer: nats.consumer, groups: nats.groups.length, remoteSites: grouped.size, centerSites: centerPolledSites(nats, d.sites).length }, 'consuming remote collectors');
  return {
    centerCycle: (samples) => {
      for (const n of book.fromCenter(samples.filter((s) => centerPolls.has(s.siteId)))) note(n);
    },
    health: () => intake.health(),
    issues: () => {
      const h = intake.health();
      const out: HealthIssue[] = [];
      if (!h.connected) out.push({ kind: 'remote-no-link', params: { url: nats.url } });
      if (h.unowned.length) out.push({ kind: 'remote-unowned', params: { sites: h.unowned.join(', ') } });
      const refused = Object.entries(h.rejected);
      if (refused.length) out.push({ kind: 'remote-rejected', params: { counts: refused.map(([r, n]) => `${r} ${n}`).join(', ') } });
      return out;
    },
    stop: async () => {
      await intake.stop();
      await link.close();
    },
  };
}
