import { Command } from 'commander';
import { fileURLToPath } from 'node:url';
import { systemClock } from '../core/clock.js';
import { createLogger } from '../core/logger.js';
import { exitOnPipelineFailure, loadOrExit, reloadOnHangup, stopOnSignals } from './lifecycle.js';
import { communityProfileWarnings } from '../config/security-warnings.js';
import { registerSimCommands } from './sim-commands.js';
import { registerMetricsCommands } from './metrics-command.js';
import { registerReportCommand } from './report-command.js';
import { registerStateCommands } from './state-command.js';
import { registerAuditCommands } from './audit-command.js';
import { registerTlsCommands } from './tls-command.js';
import { registerUserCommands } from './user-commands.js';
import { registerInventoryCommands } from './inventory-command.js';
import { formatProbe, probeConfig } from '../inventory/config-probe.js';
import { describeDbInventory } from './inventory-truth.js';

const DEFAULT_CONFIG = fileURLToPath(new URL('../config/demarc.yaml', import.meta.url));

const program = new Command('demarc').description('Leased-circuit monitor: SNMP polling, outage attribution, alerts, monthly reports');

program
  .command('check-config')
  .description('validate demarc.yaml and the inventory CSV (the same validation as an edit); say how the state db inventory differs')
  .option('-c, --config <file>', 'demarc.yaml', DEFAULT_CONFIG)
  .option('--probe', 'also resolve every configured interface against the live devices and list near misses')
  .action(async (o: { config: string; probe?: boolean }) => {
    const c = loadOrExit(o.config);
    const sites = c.inventory.sites;
    const divisions = new Set(sites.map((s) => s.division)).size;
    const groups = new Set(sites.map((s) => s.circuit.carrierGroup)).size;
    process.stdout.write(
      `${c.configPath}: OK\n  ${sites.length} sites in ${divisions} divisions, ${groups} carrier groups\n` +
        `  ${sites.filter((s) => s.oob).length} with OOB path, ${sites.filter((s) => s.cpe).length} with carrier CPE access\n` +
        `  SNMP profiles: ${[...c.profiles.values()].map((p) => `${p.name} (v${p.version})`).join(', ')}\n` +
        `  store: ${c.store.backend}; poll interval ${c.collector.intervalSec} s\n`,
    );
    for (const w of communityProfileWarnings(sites, c.profiles)) process.stdout.write(`  warning: ${w}\n`);
    process.stdout.write(describeDbInventory(c));
    if (!c.api.tls && c.api.host !== '127.0.0.1' && c.api.host !== '::1' && c.api.host !== 'localhost')
      process.stdout.write(`  warning: the API listens on ${c.api.host} over plain HTTP; set api.tls (see README) or keep it on loopback behind a TLS proxy\n`);
    if (!o.probe) return;
    const results = await probeConfig(sites, c.profiles, createLogger({ level: 'warn' }));
    process.stdout.write(formatProbe(results));
    if (results.some((r) => !r.outcome.resolved)) process.exitCode = 2;
  });

program
  .command('serve')
  .description('run the collector, the store, the API and the web UI')
  .option('-c, --config <file>', 'demarc.yaml', DEFAULT_CONFIG)
  .action(async (o: { config: string }) => {
    const config = loadOrExit(o.config);
    const logger = createLogger();
    const { serveDemarc } = await import('../app/reloading-demarc.js');
    const serving = await serveDemarc(config, { logger, clock: systemClock });
    process.stdout.write(`demarc is serving ${serving.current().edits.book.rows().length} sites at ${serving.current().url}/wall\n`);
    stopOnSignals(logger, () => serving.stop());
    exitOnPipelineFailure(serving.failed);
    reloadOnHangup(logger, () => serving.current().reloadTls());
  });

program
  .command('collector')
  .description('a remote collector: poll the sites of its collector group and publish them to NATS JetStream (nats: in demarc.yaml)')
  .option('-c, --config <file>', 'demarc.yaml with nats.url and nats.collector.id', DEFAULT_CONFIG)
  .action(async (o: { config: string }) => {
    const config = loadOrExit(o.config);
    if (!config.nats?.collector) {
      process.stderr.write(`demarc: ${config.configPath}: nats.collector.id is not set; a collector must name itself (see README, Remote collectors)\n`);
      process.exit(2);
    }
    const logger = createLogger();
    const { startCollectorNode } = await import('../remote/collector-node.js');
    const node = await startCollectorNode(config, { logger, clock: systemClock });
    process.stdout.write(`demarc collector ${node.id} is polling ${node.shares().join(', ') || 'nothing yet'}\n`);
    stopOnSignals(logger, () => node.stop());
  });

program
  .command('demo')
  .description('the simulated fleet and demarc together, on loopback (what `npm start` runs)')
  .option('-c, --config <file>', 'demarc.yaml', DEFAULT_CONFIG)
  .action(async (o: { config: string }) => {
    const config = loadOrExit(o.config);
    const logger = createLogger();
    const { startConfiguredFleet } = await import('../sim/configured-fleet.js');
    const { serveDemarc } = await import('../app/reloading-demarc.js');
    const sim = await startConfiguredFleet(config, { logger: logger.child({ stage: 'sim' }), clock: systemClock });
    const serving = await serveDemarc(config, { logger, clock: systemClock });
    const running = serving.current();
    process.stdout.write(
      `\n  demarc demo: ${config.inventory.sites.length} simulated sites on loopback\n` +
        `  wall:        ${running.url}/wall\n  API:         ${running.url}/api/sites\n` +
        `  fault API:   http://127.0.0.1:${config.sim.controlPort}/faults\n\n`,
    );
    stopOnSignals(logger, async () => {
      await serving.stop();
      await sim.stop();
    });
    exitOnPipelineFailure(serving.failed);
    reloadOnHangup(logger, () => serving.current().reloadTls());
  });

registerSimCommands(program, DEFAULT_CONFIG);
registerMetricsCommands(program, DEFAULT_CONFIG);
registerReportCommand(program, DEFAULT_CONFIG);
registerStateCommands(program, DEFAULT_CONFIG);
registerAuditCommands(program, DEFAULT_CONFIG);
registerTlsCommands(program);
registerUserCommands(program, DEFAULT_CONFIG);
registerInventoryCommands(program, DEFAULT_CONFIG);

program.parseAsync(process.argv).catch((err: unknown) => {
  process.stderr.write(`demarc: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
});
