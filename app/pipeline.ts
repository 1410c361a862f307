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
import { LiveCapacityWindow, seedCapacityWindow } from '../outage/capacity-window.js';
import { createMetricStore } from '../store/index.js';
import type { MetricStore } from '../store/metric-store.js';
import { openStateDb, type StateDb } from '../store/state-db.js';
import { backupStateDb, currentMarker, writeMarker } from '../store/state-integrity.js';
import { StateDbHealth } from '../store/state-health.js';
import { HttpError } from '../api/http-errors.js';
import { AuditLog } from '../audit/audit-log.js';
import { AnchorFile } from '../audit/audit-anchor.js';
import { loadAuditKey } from '../audit/audit-key.js';
import { AuditWatch } from '../audit/audit-watch.js';
import { auditTrail, mutationRateLimit } from '../api/audit-trail.js';
import { auditRoutes } from '../api/routes/audit.js';
import { createAlertStage } from '../alerts/alert-stage.js';
import { createReportService } from '../reports/report-service.js';
import { incidentHistory } from '../reports/report-source.js';
import { IncidentRepository } from '../outage/incident-repository.js';
import { FleetState } from '../api/fleet-state.js';
import type { LiveUpdates } from '../api/live-updates.js';
import { startApiServer, type ApiServer } from '../api/server.js';
import { IdentityService } from '../identity/identity.js';
import { WindowApprovals } from '../outage/window-approvals.js';
import { siteRoutes } from '../api/routes/sites.js';
import { healthRoutes } from '../api/routes/health.js';
import { incidentRoutes } from '../api/routes/incidents.js';
import { maintenanceRoutes } from '../api/routes/maintenance.js';
import { alertRoutes } from '../api/routes/alerts.js';
import { reportRoutes } from '../api/routes/reports.js';
import { healthSignals } from './health-signals.js';
import { startJobs } from './jobs.js';
import { centerPolledSites, startRemoteCenter, type RemoteCenter } from './remote-center.js';
import { ConfigGapBook, describeGap } from '../inventory/config-gaps.js';
import { InventoryStage } from '../inventory/inventory-stage.js';
import { ALERTING_CHANGES, replacementParams } from '../inventory/inventory-diff.js';
import { changeDto, inventoryRoutes } from '../api/routes/inventory.js';
import { inventoryEditRoutes } from '../api/routes/inventory-edits.js';
import { inventoryReportRoutes } from '../api/routes/inventory-report.js';
import { counts, InventoryEdits } from '../inventory/inventory-edits.js';
import { isEmptyDiff } from '../inventory/site-edits.js';

export interface RunningDemarc {
  url: string;
  collector: Collector;
  store: MetricStore;
  stateDb: StateDb;
  audit: AuditLog;
  auditWatch: AuditWatch;
  /** Re-reads the TLS certificate and key (the CLI calls it on SIGHUP). */
  reloadTls(): void;
  identity: IdentityService;
  api: ApiServer;
  inventory: InventoryStage;
  /** The inventory's edits and proposals (the state db holds the inventory). */
  edits: InventoryEdits;
  stop(): Promise<void>;
}

export interface DemarcDeps {
  logger: Logger;
  clock: Clock;
  /** Built web UI; defaults to dist/web beside the sources. */
  webRoot?: string | null;
  /**
   * Where first-start credentials (the first admin's one-time password, demo logins) are
   * printed: the terminal, never the log. Defaults to stdout.
   */
  announce?: (lines: string[]) => void;
  /**
   * An approved inventory change was applied to the state db. Every stage was built from the
   * old sites, so the caller restarts the pipeline (app/reloading-demarc.ts does).
   */
  onInventoryApplied?: () => void;
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
  const log = (stage: string) => logger.child({ stage });

  const stateDb = openStateDb(config.state.path);
  // The chain's key comes from config or a key file, never from the state db it protects.
  const audit = new AuditLog(stateDb, clock, loadAuditKey(config.audit, { logger: log('audit'), create: true }));
  // The inventory's truth is the state db; sites.csv seeds an empty db and is compared after that.
  const edits = new InventoryEdits({ db: stateDb, clock, audit, profiles: new Set(config.profiles.keys()) });
  const boot = edits.bootstrap(config.inventory.sites);
  const sites = boot.sites;
  if (boot.imported) logger.info({ sites: sites.length, file: config.inventoryPath }, 'inventory imported from the file into the state db (the db is the inventory from now on)');
  else if (!isEmptyDiff(boot.fileDiffers))
    logger.warn({ file: config.inventoryPath, ...counts(boot.fileDiffers) }, 'the inventory file differs from the state db; the db is the inventory (edit through the API, or import the file there)');

  // Storage first: every later stage writes into it.
  const store = createMetricStore(config, { logger: log('store'), clock, sites });
  await store.init();
  let onAuditStatus: (broken: { active: boolean; detail: string }) => void = () => undefined;
  const auditWatch = new AuditWatch({
    log: audit,
    anchors: new AnchorFile(config.audit.anchorFile),
    clock,
    logger: log('audit'),
    onStatus: (st) => onAuditStatus(st.state === 'broken' ? { active: true, detail: `row ${st.brokenAt}: ${st.reason}` } : { active: false, detail: 'audit chain verifies' }),
  });
  const fleet = new FleetState(sites, { intervalSec: config.collector.intervalSec, hangMinBps: config.outage.hang.minBps, now: () => clock.now() });
  const latest = await store.latest();
  // The wall's capacity findings come from the last hour of traffic, kept in memory as it passes
  // (outage/capacity-window.ts); after a restart the store's last hour refills it before the first poll.
  const capacityWindow = new LiveCapacityWindow(sites, config.outage.capacity);
  const seedStarted = clock.now();
  const seeded = await seedCapacityWindow(capacityWindow, (q) => store.readRaw(q), seedStarted);
  logger.info({ samples: seeded.samples, ms: clock.now() - seedStarted }, 'live capacity window filled from the store');
  const configGaps = new ConfigGapBook();

  // With `nats:`, the sites of collector groups come from the stream; the center polls the rest.
  let remote: RemoteCenter | null = null;
  const centerSites = centerPolledSites(config.nats, sites);
  const collector = new Collector(
    { sites: centerSites, profiles: config.profiles, intervalSec: config.collector.intervalSec, concurrency: config.collector.concurrency, spreadPolls: config.collector.spreadPolls, sharedSockets: config.collector.sharedSockets },
    clock,
    log('collector'),
  );
  const outage = createOutageStage({ db: stateDb, sites, config: config.outage, clock, logger: log('outage'), audit });
  fleet.seed(latest, outage.listIncidents({ open: true }));
  const alerts = createAlertStage({
    db: stateDb, config: config.alerts, sites, clock, logger: log('alerts'), audit, users: config.users,
    windows: () => outage.listWindows({ from: clock.now() - 86_400_000 }),
    carrierLimitHours: config.outage.carrierResponse.limitHours,
  });
  onAuditStatus = (a) => alerts.onHealth({ kind: 'audit-chain-broken', source: 'audit', at: clock.now(), ...a });
  // Verified before anything is added to it: a tampered log is reported, never silently extended.
  auditWatch.verifyAll();
  const identity = new IdentityService({ db: stateDb, clock, logger: log('identity'), audit, config: config.auth });
  const credentials = await identity.bootstrap(config.users);
  if (credentials.length) (deps.announce ?? ((lines) => process.stdout.write(lines.map((l) => `  ${l}\n`).join(''))))(credentials);

  // What the state file holds, kept beside it: an emptied or replaced file contradicts it at the next start.
  const stateHealth = new StateDbHealth(config.state.path, () => clock.now());
  const markState = () => writeMarker(config.state.path, currentMarker(stateDb, new Date(clock.now())));
  markState();

  // Discovery: its own session pool and budget, so walks never delay a poll.
  const inventory = new InventoryStage({ db: stateDb, sites, profiles: config.profiles, config: config.discovery, clock, logger: log('inventory') });

  const reports = createReportService({
    config,
    source: { sites, incidents: incidentHistory(new IncidentRepository(stateDb)), metrics: store, pollIntervalSec: config.collector.intervalSec },
    clock,
    // The report service adds its own `stage: reports`; a second child here printed the key twice.
    logger,
    db: stateDb,
  });

  // Incident events fan out to the browsers and to alerting; the stages never see either.
  let live: LiveUpdates | null = null;
  /** `withStates` false inside a cycle: the cycle event that follows carries the tile states. */
  const publish = (events: IncidentEvent[], withStates = true) => {
    if (!events.length) return;
    for (const e of events) live?.incident(e.type, toIncidentDto(e.incident, clock.now()));
    const changed = fleet.onIncidents(events);
    if (withStates && changed.length) live?.sitesState(changed);
    alerts.onIncidentEvents(events);
  };

  let traps: TrapReceiver | null = null;
  const api = await startApiServer({
    host: config.api.host,
    port: config.api.port,
    logger: log('api'),
    webRoot: deps.webRoot === undefined ? DEFAULT_WEB_ROOT : deps.webRoot,
    snapshot: () => fleet.snapshot(),
    mapError: (err) => {
      if (!StateDbHealth.isSqliteError(err)) return null;
      stateHealth.note(err);
      return new HttpError(503, stateHealth.describe(err));
    },
    tls: config.api.tls ?? null,
    middleware: [mutationRateLimit(config.api.rateLimit, log('api')), auditTrail(audit, log('api'))],
    auth: { identity, config: config.auth, clock },
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
        stateIssues: () => stateHealth.issues(),
        audit: () => auditWatch.status,
        configGaps: () => configGaps.current(),
        deliveries: () => alerts.outbox.stats(clock.now()),
        remote: () => remote?.health() ?? null,
        remoteIssues: () => remote?.issues() ?? [],
      }),
      siteRoutes({ fleet, store, clock }),
      incidentRoutes({ outage, clock, publish, faultDesk: { customer: config.alerts.faultReport.customer, hotline: config.alerts.faultReport.hotline ?? null, callback: config.alerts.faultReport.callback ?? null } }),
      maintenanceRoutes({ outage, approvals: new WindowApprovals({ db: stateDb, clock, audit, outage, maxHours: config.auth.maintenanceMaxHours }), publish, clock }),
      alertRoutes({ stage: alerts, clock }),
      reportRoutes({ reports, defaultLang: config.reports.lang, audit }),
      auditRoutes({ log: audit, watch: auditWatch }),
      inventoryRoutes({ inventory, sites, terms: config.register, clock }),
      inventoryEditRoutes({ edits }),
      inventoryReportRoutes({ inventory, configGaps: () => configGaps.current(), clock }),
    ],
  });
  live = api.live;
  edits.onDecision((p) => {
    live?.inventoryEdit({ id: p.id, state: p.state, kind: p.kind, by: p.decidedBy ?? p.proposedBy, ...counts(p.diff) });
    if (p.state === 'applied') {
      logger.info({ proposal: p.id, by: p.decidedBy, ...counts(p.diff) }, 'inventory change applied; the pipeline restarts on the new inventory');
      deps.onInventoryApplied?.();
    }
  });
  inventory.onChanges((changes, _discovery, target) => {
    for (const c of changes) live?.inventoryChange(changeDto(c));
    // A CE replaced during an outage is device-side evidence for that outage (docs/attribution.md).
    for (const c of changes) if (target.role === 'ce' && target.siteId && c.kind === 'device-replaced') publish(outage.deviceReplaced(target.siteId, c.at, replacementParams(c)));
    // A replaced or upgraded device, or a handoff port gone, is news for the NOC: one alert per site.
    if (!target.siteId) return;
    const loud = changes.filter((c) => ALERTING_CHANGES.has(c.kind));
    if (loud.length) alerts.onFinding({ siteId: target.siteId, kind: 'inventory-change', at: clock.now(), active: true, detail: loud.map((c) => c.detail).join('; ') });
  });

  /** Everything downstream of polling, for a full cycle and for a trap-triggered poll alike. */
  const deliver = (samples: CircuitSample[], cycle: number) => {
    store.write(samples).catch((err: unknown) => logger.error({ err, cycle }, 'storing samples failed'));
    return observe(samples, cycle);
  };
  /** Everything downstream of the store, for the center's own samples and the remote collectors' alike. */
  const observe = (samples: CircuitSample[], cycle: number) => {
    try {
      publish(outage.observe(samples), false);
    } catch (err) {
      logger.error({ err, cycle }, 'outage stage failed on a cycle');
    }
    // After the outage stage, so the tile states of this cycle carry the incidents it opened or closed.
    const states = fleet.update(samples);
    capacityWindow.add(samples);
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
    remote?.centerCycle(samples);
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
  // The wall's capacity findings: decided here from the window of recent traffic, shown by the tiles.
  const refreshCapacity = async () => {
    const changed = fleet.setCapacity(capacityWindow.scan(clock.now()));
    if (changed.length) api.live.sitesState(changed);
  };
  remote = await startRemoteCenter({
    nats: config.nats,
    sites,
    intervalSec: config.collector.intervalSec,
    latestAt: new Map(latest.map((l) => [l.siteId, l.at])),
    store: (samples) => store.write(samples),
    observe: (samples) => {
      const states = observe(samples, collector.lastCycle?.cycle ?? 0);
      if (states.length) api.live.sitesState(states);
    },
    trap: (trap) => publish(outage.trap(trap)),
    vantage: (n) => outage.vantage(n.siteId, n.kind, n.at, n.params),
    publish,
    clock,
    logger: log('remote'),
  });
  collector.start();
  // Everything that runs on the clock rather than on a poll cycle.
  const jobs = startJobs(
    [
      { name: 'alert-timers', cron: '*/5 * * * * *', run: () => alerts.evaluate() },
      { name: 'metric-rollups', cron: '15 * * * * *', run: () => store.runRollups(clock.now()) },
      { name: 'live-capacity', cron: '40 * * * * *', run: () => refreshCapacity() },
      { name: 'report-mail-retry', cron: '45 * * * * *', run: () => reports.retryFailedEmail() },
      { name: 'state-marker', cron: '30 * * * * *', run: async () => markState() },
      ...(config.state.backup.keep > 0
        ? [{ name: 'state-backup', cron: config.state.backup.cron, run: async () => logger.info(await backupStateDb(stateDb, config.state.backup, new Date(clock.now())), 'state database backed up') }]
        : []),
      { name: 'audit-verify', cron: '20 7 * * * *', run: async () => auditWatch.verifyAll() },
      { name: 'audit-anchor', cron: '50 */5 * * * *', run: async () => auditWatch.anchorHead() },
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
    auditWatch,
    reloadTls: () => api.reloadTls(),
    identity,
    api,
    inventory,
    edits,
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
      await step('remote collectors', () => remote?.stop());
      await step('api', () => api.close());
      await step('alerts', () => alerts.stop());
      await step('store flush', () => store.flush());
      await step('store close', () => store.close());
      // The last head, anchored, so rows deleted while demarc was down are found at the next start.
      await step('audit anchor', () => auditWatch.anchorHead());
      try {
        markState();
      } catch (err) {
        logger.error({ err, path: config.state.path }, 'state marker not written at stop');
      }
      stateDb.close();
    },
  };
}

