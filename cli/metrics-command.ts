import type { Command } from 'commander';
import { dirname, join } from 'node:path';
import { systemClock } from '../core/clock.js';
import { createLogger } from '../core/logger.js';
import { createBackendStore } from '../store/index.js';
import { loadOrExit } from './lifecycle.js';
import { migrateMetrics } from './metrics-migrate.js';

const DAY_MS = 86_400_000;
const BACKENDS = ['embedded', 'influx'] as const;

/** `demarc metrics migrate`: copy raw history between the two metric stores, resumably. */
export function registerMetricsCommands(program: Command, defaultConfig: string): void {
  const metrics = program.command('metrics').description('metric storage maintenance');
  metrics
    .command('migrate')
    .description('copy raw samples from one metric store to the other, in time order; resumes after an interruption')
    .requiredOption('--from <backend>', 'embedded or influx')
    .requiredOption('--to <backend>', 'embedded or influx')
    .option('-c, --config <file>', 'demarc.yaml', defaultConfig)
    .option('--since <iso>', 'start of the range (default: raw retention ago)')
    .option('--until <iso>', 'end of the range (default: now)')
    .option('--state <file>', 'progress file (default: beside the state db)')
    .action(async (o: { from: string; to: string; config: string; since?: string; until?: string; state?: string }) => {
      const config = loadOrExit(o.config);
      for (const [flag, v] of [['--from', o.from], ['--to', o.to]] as const)
        if (!BACKENDS.includes(v as never)) throw new Error(`${flag} must be embedded or influx, not "${v}"`);
      if (o.from === o.to) throw new Error('--from and --to name the same backend');
      const parse = (flag: string, v: string | undefined, fallback: number) => {
        if (v === undefined) return fallback;
        const t = Date.parse(v);
        if (Number.isNaN(t)) throw new Error(`${flag} "${v}" is not an ISO-8601 instant`);
        return t;
      };
      const now = systemClock.now();
      const until = parse('--until', o.until, now);
      const since = parse('--since', o.since, now - config.store.retention.rawDays * DAY_MS);
      const deps = { logger: createLogger({ level: 'warn' }), clock: systemClock, sites: config.inventory.sites };
      const from = createBackendStore(config, o.from as 'embedded' | 'influx', deps);
      const to = createBackendStore(config, o.to as 'embedded' | 'influx', deps);
      await from.init();
      await to.init();
      try {
        const r = await migrateMetrics({ from, to, since, until, now, statePath: o.state ?? join(dirname(config.state.path), `metrics-migrate-${o.from}-to-${o.to}.json`) });
        process.stdout.write(`copied ${r.copied} samples${r.resumedFrom !== null ? ` (resumed from ${new Date(r.resumedFrom).toISOString()})` : ''}\n`);
      } finally {
        await to.flush();
        await to.close();
        await from.close();
      }
    });
}
