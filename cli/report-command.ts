import { existsSync, writeFileSync } from 'node:fs';
import { basename, dirname, extname, join, resolve } from 'node:path';
import { InvalidArgumentError, type Command } from 'commander';
import { systemClock } from '../core/clock.js';
import { createLogger } from '../core/logger.js';
import { IncidentRepository } from '../outage/incident-repository.js';
import { createMetricStore } from '../store/index.js';
import { openStateDb } from '../store/state-db.js';
import { PeriodError } from '../reports/report-period.js';
import { incidentHistory } from '../reports/report-source.js';
import { createReportService } from '../reports/report-service.js';
import { SECTION_KEYS, type SectionKey } from '../reports/report-sections.js';
import { REPORT_LANGS, type ReportLang } from '../reports/report-text.js';
import { REPORT_FORMATS, type ReportFormat } from '../reports/render-report.js';
import { loadOrExit } from './lifecycle.js';

interface ReportOptions {
  config: string;
  month?: string;
  from?: string;
  to?: string;
  format: ReportFormat;
  lang?: ReportLang;
  section?: SectionKey | 'all';
  out?: string;
  force?: boolean;
}

const oneOf =
  <T extends string>(what: string, allowed: readonly T[]) =>
  (v: string): T => {
    if (!(allowed as readonly string[]).includes(v)) throw new InvalidArgumentError(`${what} must be one of ${allowed.join(', ')}`);
    return v as T;
  };

/** Refuses to overwrite a file unless told to: a report someone already filed must not vanish. */
function writeOut(path: string, body: Buffer, force: boolean): void {
  if (existsSync(path) && !force) throw new Error(`${path} exists; choose another --out or pass --force to replace it`);
  writeFileSync(path, body);
  process.stdout.write(`${path} (${body.length.toLocaleString('en-US')} bytes)\n`);
}

/**
 * `demarc report --month 2026-10 --format pdf --out FILE` (or `--from/--to` for any range,
 * the whole contract term included). Reads the same metric store and state db the server
 * uses; SQLite lets it read while demarc runs.
 */
export function registerReportCommand(program: Command, defaultConfig: string): void {
  program
    .command('report')
    .description('uptime report for a month (Asia/Shanghai) or a date range: PDF, XLSX, CSV or JSON')
    .option('-c, --config <file>', 'demarc.yaml', defaultConfig)
    .option('-m, --month <YYYY-MM>', 'calendar month, e.g. 2026-10')
    .option('--from <YYYY-MM-DD>', 'first day of a range (with --to)')
    .option('--to <YYYY-MM-DD>', 'last day of a range, included')
    .option('-f, --format <format>', `one of ${REPORT_FORMATS.join(', ')}`, oneOf('--format', REPORT_FORMATS), 'pdf')
    .option('-l, --lang <lang>', 'zh (default from demarc.yaml) or en', oneOf('--lang', REPORT_LANGS))
    .option('-s, --section <section>', `CSV section: ${SECTION_KEYS.join(', ')}, or all (one file each)`, oneOf('--section', [...SECTION_KEYS, 'all'] as const))
    .option('-o, --out <file>', 'where to write (default: the report name in the current directory)')
    .option('--force', 'replace --out if it exists')
    .action(async (o: ReportOptions) => {
      if (!o.month === !(o.from || o.to)) throw new Error('give either --month, or --from and --to');
      if (!o.month && (!o.from || !o.to)) throw new Error(`--${o.from ? 'to' : 'from'} is missing: a range needs both --from and --to`);
      if (o.section && o.format !== 'csv') throw new Error(`--section: only --format csv comes in sections (got ${o.format})`);

      const config = loadOrExit(o.config);
      const logger = createLogger({ name: 'demarc-report', level: process.env.DEMARC_LOG_LEVEL ?? 'warn' });
      const sites = config.inventory.sites;
      const store = createMetricStore(config, { logger: logger.child({ stage: 'store' }), clock: systemClock, sites });
      await store.init();
      const db = openStateDb(config.state.path);
      try {
        const reports = createReportService({
          config,
          source: { sites, incidents: incidentHistory(new IncidentRepository(db)), metrics: store, pollIntervalSec: config.collector.intervalSec },
          clock: systemClock,
          logger,
          db,
        });
        const sections: (SectionKey | undefined)[] = o.section === 'all' ? [...SECTION_KEYS] : [o.section];
        for (const section of sections) {
          const opts = section ? { section } : {};
          const out = o.month ? await reports.monthly(o.month, o.format, o.lang, opts) : await reports.range(o.from!, o.to!, o.format, o.lang, opts);
          // Each section is its own file: named after the section beside --out, or by its download name.
          const path = o.section === 'all' && o.out ? join(dirname(resolve(o.out)), `${basename(o.out, extname(o.out))}-${section}.csv`) : resolve(o.out ?? out.filename);
          writeOut(path, out.body, o.force ?? false);
        }
        await reports.stop();
      } catch (e) {
        // A mistyped period is the user's to fix: say which option, not a stack.
        if (e instanceof PeriodError) throw new Error(`--${e.parameter}: ${e.message.slice(e.parameter.length + 2)}`);
        throw e;
      } finally {
        db.close();
        await store.close();
      }
    });
}
