import Database from 'better-sqlite3';
import type { Command } from 'commander';
import { openStateDb } from '../store/state-db.js';
import { backupStateDb, restoreStateDb } from '../store/state-integrity.js';
import { loadOrExit } from './lifecycle.js';

/** `demarc state backup` and `demarc state restore FILE`: the state file's copies, by hand. */
export function registerStateCommands(program: Command, defaultConfig: string): void {
  const state = program.command('state').description('the state database (incidents, windows, alerts, audit log): backups');
  state
    .command('backup')
    .description('an online backup of the state database now (safe while demarc runs), with the configured retention')
    .option('-c, --config <file>', 'demarc.yaml', defaultConfig)
    .action(async (o: { config: string }) => {
      const config = loadOrExit(o.config);
      const db = openStateDb(config.state.path);
      try {
        const { file, removed } = await backupStateDb(db, { ...config.state.backup, keep: Math.max(1, config.state.backup.keep) }, new Date());
        process.stdout.write(`${config.state.path} backed up to ${file}${removed.length ? `; removed ${removed.length} older cop${removed.length === 1 ? 'y' : 'ies'}` : ''}\n`);
      } finally {
        db.close();
      }
    });
  state
    .command('restore')
    .argument('<file>', 'a backup made by demarc (state.backup.dir)')
    .description('replace the state database with a backup; stop demarc first')
    .option('-c, --config <file>', 'demarc.yaml', defaultConfig)
    .action((file: string, o: { config: string }) => {
      const config = loadOrExit(o.config);
      const marker = restoreStateDb((p, opts) => new Database(p, opts), file, config.state.path);
      process.stdout.write(`${config.state.path} restored from ${file}: ${marker.incidents} incidents (last ${marker.lastIncidentId ?? 'none'})\n`);
    });
}
