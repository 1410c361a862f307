import type { Command } from 'commander';
import { systemClock } from '../core/clock.js';
import { createLogger } from '../core/logger.js';
import { InventoryStage } from '../inventory/inventory-stage.js';
import { openStateDb } from '../store/state-db.js';
import { loadOrExit } from './lifecycle.js';

/** `demarc inventory discover [site]`: walk the devices now and store what was found (the state db demarc uses). */
export function registerInventoryCommands(program: Command, defaultConfig: string): void {
  const inventory = program.command('inventory').description('discovered devices and their changes');
  inventory
    .command('discover [site]')
    .description('discover every device (or one site\'s) over SNMP now; prints what was found and what changed')
    .option('-c, --config <file>', 'demarc.yaml', defaultConfig)
    .action(async (site: string | undefined, o: { config: string }) => {
      const config = loadOrExit(o.config);
      const db = openStateDb(config.state.path);
      const stage = new InventoryStage({ db, sites: config.inventory.sites, profiles: config.profiles, config: config.discovery, clock: systemClock, logger: createLogger({ level: 'warn' }) });
      try {
        const targets = stage.targetsOf(site);
        if (site !== undefined && targets.length === 0) throw new Error(`no site "${site}" in the inventory`);
        const run = await stage.discover(targets);
        for (const t of targets) {
          const d = stage.repo.device(t.id);
          const s = d?.facts?.summary;
          process.stdout.write(`${t.id}\t${s?.vendor ?? '?'}\t${s?.model ?? '?'}\t${s?.serial ?? '?'}\t${s?.software ?? '?'}${d?.gaps.length ? `\tgaps: ${d.gaps.join('; ')}` : ''}\n`);
        }
        for (const c of run.changes) process.stdout.write(`change ${c.deviceId}: ${c.detail}\n`);
        process.stdout.write(`${run.devices} devices, ${run.complete} complete, ${run.withGaps.length} with gaps, ${run.changes.length} changes, ${run.durationMs} ms\n`);
      } finally {
        await stage.stop();
        db.close();
      }
    });
}
