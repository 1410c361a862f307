import { fileURLToPath } from 'node:url';
import type { Clock } from '../core/clock.js';
import type { IncidentEvent } from '../core/incident.js';
import type { Logger } from '../core/logger.js';
import type { CircuitSample } from '../core/sample.js';
import type { DemarcConfig } from '../config/load.js';
import { Collector } from '../collector/collector.js';
import { TrapReceiver } from '../collector/trap-receiver.js';
import { createOutageStage } from '../outage/outage-stage.js';
import { toIncidentDto } from '../outage/incident-dto.js';
import { createMetricStore } from '../store/index.js';
import type { MetricStore } from '../store/metric-store.js';
import { openStateDb, type StateDb } from '../store/state-db.js';
import { AuditLog } from '../audit/audit-log.js';
import { createAlertStage } from '../alerts/alert-stage.js';
import { createReportService } from '../reports/report-service.js';
import { incidentHistory } from '../reports/report-source.js';
import { IncidentRepository } from '../outage/incident-repository.js';
import { FleetState } from '../api/fleet-state.js';
import type { LiveUpdates } from '../api/live-updates.js';
import { startApiServer } from '../api/server.js';
import { siteRoutes } from '../api/routes/sites.js';
import { healthRoutes } from '../api/routes/health.js';
import { incidentRoutes } from '../api/routes/incidents.js';
import { maintenanceRoutes } from '../api/routes/maintenance.js';
import { alertRoutes } from '../api/routes/alerts.js';
import { healthSignals } from './health-signals.js';
import { startJobs } from './jobs.js';
import { ConfigGapBook, describeGap } from '../inventory/config-gaps.js';
import { InventoryStage } from '../inventory/inventory-stage.js';
import { ALERTING_CHANGES } from '../inventory/inventory-diff.js';
import { changeDto, inventoryRoutes } from '../api/routes/inventory.js';

export interface RunningDemarc {
  url: string;
  collector: Collector;
  store: MetricStore;
  stateDb: StateDb;
  audit: AuditLog;
  inventory: InventoryStage;
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
 * inventory → collector (scheduler, session pool, rates) → outage stage (attribution)
 * → stores → API / socket.io, alerts, reports.
 * This is the only module that knows all the stages; each stage only knows its input.
 */
export async function startDemarc(config: DemarcConfig, deps: DemarcDeps): Promise<RunningDemarc> {
  const { logger, clock } = deps;
  const sites = config.inventory.sites;
  const log = (stage: string) => logger.child({ stage });

  // Storage first: every later stage writes into it.
  const store = createMetricStore(config, { logger: log('store'), clock, sites });
  await store.init();
  const stateDb = openStateDb(config.state.path);
  const audit = new AuditLog(stateDb, clock);
  const fleet = new FleetState(sites);
  const configGaps = new ConfigGapBook();
  fleet.seed(await store.latest());

  const collector = new Collector(
    { sites, profiles: config.profiles, intervalSec: config.collector.intervalSec, concurrency: config.collector.concurrency, spreadPolls: config.collector.spreadPolls },
    clock,
    log('collector'),
  );
  const outage = createOutageStage({ db: stateDb, sites, config: config.outage, clock, logger: log('outage'), audit });
  const alerts = createAlertStage({
    db: stateDb, config: config.alerts, sites, clock, logger: log('alerts'), audit, users: config.users,
    windows: () => outage.listWindows({ from: clock.now() - 86_400_000 }),
    carrierLimitHours: config.outage.carrierResponse.limitHours,
  });

  // Discovery: its own session pool and budget, so walks never delay a poll.
  const inventory = new InventoryStage({ db: stateDb, sites, profiles: config.profiles, config: config.discovery, clock, logger: log('inventory') });

  const reports = createReportService({
    config,
    source: { sites, incidents: incidentHistory(new IncidentRepository(stateDb)), metrics: store, pollIntervalSec: config.collector.intervalSec },
    clock,
    logger: log('reports'),
    db: stateDb,
  });

  // Incident events fan out to the browsers and to alerting; the stages never see either.
  let live: LiveUpdates | null = null;
  const publish = (events: IncidentEvent[]) => {
    if (!events.length) return;
    for (const e of events) live?.incident(e.type, toIncidentDto(e.incident, clock.now()));
    alerts.onIncidentEvents(events);
  };

  let traps: TrapReceiver | null = null;
  const api = await startApiServer({
    host: config.api.host,
    port: config.api.port,
    logger: log('api'),
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
        configGaps: () => configGaps.current(),
      }),
      siteRoutes({ fleet, store, clock }),
      incidentRoutes({ outage, users: config.users, clock, publish }),
      maintenanceRoutes({ outage, users: config.users, publish }),
      alertRoutes({ stage: alerts, users: config.users, clock }),
      inventoryRoutes({ inventory, sites, terms: config.register, users: config.users, clock }),
      reports.routes(),
    ],
  });
  live = api.live;
  inventory.onChanges((changes, _discovery, target) => {
    for (const c of changes) live?.inventoryChange(changeDto(c));
    // A CE replaced during an outage is device-side evidence for that outage (docs/attribution.md).
    for (const c of changes) if (target.role === 'ce' && target.siteId && c.kind === 'device-replaced') publish(outage.deviceReplaced(target.siteId, c.at, c.detail));
    // A replaced or upgraded device, or a handoff port gone, is news for the NOC: one alert per site.
    if (!target.siteId) return;
    const loud = changes.filter((c) => ALERTING_CHANGES.has(c.kind));
    if (loud.length) alerts.onFinding({ siteId: target.siteId, kind: 'inventory-change', at: clock.now(), active: true, detail: loud.map((c) => c.detail).join('; ') });
  });

  /** Everything downstream of polling, for a full cycle and for a trap-triggered poll alike. */
  const deliver = (samples: CircuitSample[], cycle: number) => {
    const states = fleet.update(samples);
    store.write(samples).catch((err: unknown) => logger.error({ err, cycle }, 'storing samples failed'));
    try {
      publish(outage.observe(samples));
    } catch (err) {
      logger.error({ err, cycle }, 'outage stage failed on a cycle');
    }
    alerts.onSamples(samples);
    inventory.observe(samples);
    // A configured port the device does not have: said loudly once, one alert per site, never an outage.
    for (const c of configGaps.observe(samples)) {
      for (const g of c.raised) logger.error({ siteId: g.siteId, side: g.side, device: g.device, ifName: g.ifName }, `configuration gap: ${describeGap(g)}`);
      for (const g of c.cleared) logger.info({ siteId: g.siteId, side: g.side, device: g.device, ifName: g.ifName }, 'configuration gap resolved');
      alerts.onFinding({ siteId: c.siteId, kind: 'config-gap', at: clock.now(), active: c.gaps.length > 0, detail: c.gaps.map(describeGap).join('; ') || 'every configured interface resolves again' });
    }
    return states;
  };
  collector.onCycle(({ stats, samples }) => {
    const states = deliver(samples, stats.cycle);
    api.live.cycle(stats, states);
    for (const signal of healthSignals({ stats, store: store.health(), traps: traps?.stats ?? null, now: clock.now() })) alerts.onHealth(signal);
  });

  if (config.traps.enabled) {
    traps = new TrapReceiver(
      { ...config.traps, sites },
      (trap) => {
        publish(outage.trap(trap));
        // A trap is a hint that something changed: poll that site now rather than at its slot.
        collector
          .pollSitesNow([trap.siteId])
          .then((samples) => deliver(samples, collector.lastCycle?.cycle ?? 0))
          .catch((err: unknown) => logger.warn({ err, siteId: trap.siteId }, 'trap-triggered poll failed'));
      },
      clock,
      log('traps'),
    );
    await traps.start();
  }
  collector.start();
  // Everything that runs on the clock rather than on a poll cycle.
  const jobs = startJobs(
    [
      { name: 'alert-timers', cron: '*/5 * * * * *', run: () => alerts.evaluate() },
      { name: 'metric-rollups', cron: '15 * * * * *', run: () => store.runRollups(clock.now()) },
      { name: 'report-mail-retry', cron: '45 * * * * *', run: () => reports.retryFailedEmail() },
      ...(config.discovery.enabled ? [{ name: 'inventory-discovery', cron: config.discovery.cron, run: () => inventory.discover() }] : []),
    ],
    log('jobs'),
  );
  // The monthly report keeps its own schedule (08:00 on the 1st, Asia/Shanghai) because it
  // also catches up on a month missed while demarc was down.
  reports.startSchedule();
  if (config.discovery.enabled && config.discovery.onStart)
    inventory.discover().then(
      (r) => logger.info({ devices: r.devices, complete: r.complete, withGaps: r.withGaps.length, changes: r.changes.length, ms: r.durationMs }, 'start-up discovery done'),
      (err: unknown) => logger.error({ err }, 'start-up discovery failed'),
    );
  logger.info({ url: api.url, sites: sites.length, intervalSec: config.collector.intervalSec, store: store.backend }, 'demarc is running');

  let stopped = false;
  return {
    url: api.url,
    collector,
    store,
    stateDb,
    audit,
    inventory,
    async stop() {
      if (stopped) return;
      stopped = true;
      // Each step named and timed: a shutdown that drags says which part held it.
      const step = async (name: string, fn: () => Promise<unknown> | unknown) => {
        const t = Date.now();
        await fn();
        if (Date.now() - t > 5000) logger.warn({ step: name, ms: Date.now() - t }, 'slow shutdown step');
      };
      await step('jobs', () => jobs.stop());
      await step('inventory', () => inventory.stop());
      await step('reports', () => reports.stop());
      await step('collector', () => collector.stop());
      await step('traps', () => traps?.stop());
      await step('api', () => api.close());
      await step('alerts', () => alerts.stop());
      await step('store flush', () => store.flush());
      await step('store close', () => store.close());
      stateDb.close();
    },
  };
}
