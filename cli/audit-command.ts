import type { Command } from 'commander';
import { existsSync } from 'node:fs';
import { AnchorFile } from '../audit/audit-anchor.js';
import { loadAuditKey } from '../audit/audit-key.js';
import { AuditLog } from '../audit/audit-log.js';
import { systemClock } from '../core/clock.js';
import { openStateDb } from '../store/state-db.js';
import { loadOrExit } from './lifecycle.js';

/**
 * `demarc audit verify`: walks the whole chain with the key and checks it against every
 * anchor kept outside the db. Exit 0 when intact, 1 naming the first bad row, 2 when it
 * cannot verify at all (no key, no db).
 */
export function registerAuditCommands(program: Command, defaultConfig: string): void {
  const audit = program.command('audit').description('the hash-chained operation log');
  audit
    .command('verify')
    .description('verify the audit chain against its key and its anchors; exits 1 naming the first bad row')
    .option('-c, --config <file>', 'demarc.yaml', defaultConfig)
    .action((o: { config: string }) => {
      const config = loadOrExit(o.config);
      const fail = (code: number, msg: string): never => {
        process.stderr.write(`demarc audit verify: ${msg}\n`);
        process.exit(code);
      };
      if (!existsSync(config.state.path)) fail(2, `no state db at ${config.state.path}`);
      let key;
      try {
        key = loadAuditKey(config.audit, { create: false });
      } catch (e) {
        return fail(2, (e as Error).message);
      }
      const anchorFile = new AnchorFile(config.audit.anchorFile);
      let anchors;
      try {
        anchors = anchorFile.read();
      } catch (e) {
        return fail(1, `BROKEN: ${(e as Error).message}`);
      }
      const db = openStateDb(config.state.path);
      try {
        const v = new AuditLog(db, systemClock, key).check({ anchors });
        if (!v.ok) fail(1, `BROKEN at row ${v.brokenAt}: ${v.reason} (${v.rows} rows checked; ${config.state.path})`);
        else
          process.stdout.write(
            `audit chain OK: ${v.rows} rows, head ${v.head ? `#${v.head.seq} ${v.head.hash}` : '(empty)'}; ${anchors.length} anchors in ${anchorFile.path}\n`,
          );
      } finally {
        db.close();
      }
    });
}
