import { fileURLToPath } from 'node:url';
import type { Clock } from '../core/clock.js';
import type { Logger } from '../core/logger.js';
import type { DemarcConfig } from '../config/load.js';
import { Collector } from '../collector/collector.js';
import { TrapReceiver } from '../collector/trap-receiver.js';
import type { CircuitSample } from '../core/sample.js';
import { createMetricStore } from '../store/index.js';
import type { MetricStore } from '../store/metric-store.js';
import { openStateDb, type StateDb } from '../store/state-db.js';
import { AuditLog } from '../audit/audit-log.js';
import { FleetState } from '../api/fleet-state.js';
import { startApiServer } from '../api/server.js';
import { siteRoutes } from '../api/routes/sites.js';
import { healthRoutes } from '../api/routes/health.js';

export interface RunningDemarc {
  url: string;
  collector: Collector;
  store: MetricStore;
  stateDb: StateDb;
  audit: AuditLog;
  stop(): Promise<void>;
}

export interface DemarcDeps {
  logger: Logger;
  clock: Clock;
  /** Built web UI; defaults to dist/web beside the sources. */
  webRoot?: string | null;
}

const DEFAULT_WEB_ROOT = fileURLToPath(new URL('../dist/web', import.meta.url));

/**
 * The whole of demarc, wired in pipeline order:
 * inventory → collector (scheduler, session pool, rates) → store → API / socket.io.
 * This is the only module that knows all the stages; each stage only knows its input.
 */
export async function startDemarc(config: DemarcConfig, deps: DemarcDeps): Promise<RunningDemarc> {
  const { logger, clock } = deps;
  const sites = config.inventory.sites;

  const store = createMetricStore(config, { logger: logger.child({ stage: 'store' }), clock, sites });
  await store.init();
  const stateDb = openStateDb(config.state.path);
  const audit = new AuditLog(stateDb, clock);

  const fleet = new FleetState(sites);
  fleet.seed(await store.latest());

  const collector = new Collector(
    { sites, profiles: config.profiles, intervalSec: config.collector.intervalSec, concurrency: config.collector.concurrency, spreadPolls: config.collector.spreadPolls },
    clock,
    logger.child({ stage: 'collector' }),
  );

  const api = await startApiServer({
    host: config.api.host,
    port: config.api.port,
    logger: logger.child({ stage: 'api' }),
    webRoot: deps.webRoot === undefined ? DEFAULT_WEB_ROOT : deps.webRoot,
    snapshot: () => fleet.snapshot(),
    routers: [
      healthRoutes({
        collector: () => ({
          lastCycle: collector.lastCycle,
          overruns: collector.overruns,
          intervalSec: config.collector.intervalSec,
          snmp: collector.poolStats(),
          traps: traps?.stats ?? null,
        }),
        store,
        now: () => clock.now(),
      }),
      siteRoutes({ fleet, store, clock }),
    ],
  });

  /** Everything downstream of polling, for a full cycle and for a trap-triggered poll alike. */
  const deliverSamples = (samples: CircuitSample[], cycle: number) => {
    const states = fleet.update(samples);
    store.write(samples).catch((err: unknown) => logger.error({ err, cycle }, 'storing samples failed'));
    return states;
  };
  collector.onCycle(({ stats, samples }) => {
    const states = deliverSamples(samples, stats.cycle);
    api.live.cycle(stats, states);
  });

  const traps = config.traps.enabled
    ? new TrapReceiver(
        { ...config.traps, sites },
        (trap) => {
          // A trap is a hint that something changed: poll that site now rather than at its slot.
          collector
            .pollSitesNow([trap.siteId])
            .then((samples) => deliverSamples(samples, collector.lastCycle?.cycle ?? 0))
            .catch((err: unknown) => logger.warn({ err, siteId: trap.siteId }, 'trap-triggered poll failed'));
        },
        clock,
        logger.child({ stage: 'traps' }),
      )
    : null;
  await traps?.start();
  collector.start();
  logger.info({ url: api.url, sites: sites.length, intervalSec: config.collector.intervalSec, store: store.backend }, 'demarc is running');

  let stopped = false;
  return {
    url: api.url,
    collector,
    store,
    stateDb,
    audit,
    async stop() {
      if (stopped) return;
      stopped = true;
      await traps?.stop();
      await collector.stop();
      await api.close();
      await store.flush();
      await store.close();
      stateDb.close();
    },
  };
}
