import { DEFAULT_TERMS, type ContractTerms } from '../inventory/circuit-register.js';
import { dirname, isAbsolute, resolve } from 'node:path';
import type { ScheduledTask } from 'node-cron';
import type { DemarcConfig } from '../config/load.js';
import type { Clock } from '../core/clock.js';
import type { Logger } from '../core/logger.js';
import type { StateDb } from '../store/state-db.js';
import { buildReport, type BuiltReport, type ReportSettings } from './build-report.js';
import { archiveFileName, ReportArchive, type ArchivedReport } from './report-archive.js';
import { mailRetryDecision } from './mail-retry.js';
import { createReportMailer, type ReportMailer } from './report-mail.js';
import { assertStarted, monthBefore, monthPeriod, rangePeriod, type ReportPeriod } from './report-period.js';
import { scheduleMonthlyReport } from './report-schedule.js';
import type { ReportSource } from './report-source.js';
import type { SectionKey } from './report-sections.js';
import { textFor, type ReportLang } from './report-text.js';
import { renderReport, type RenderedReport, type ReportFormat } from './render-report.js';

export interface ReportServiceDeps {
  /** The reports section, the config path (for relative paths) and the outage stage's response limits and capacity thresholds. */
  /** `register` (the contract's terms) defaults to the contract's own numbers. */
  config: Pick<DemarcConfig, 'configPath' | 'reports' | 'outage'> & { register?: ContractTerms };
  source: ReportSource;
  clock: Clock;
  logger: Logger;
  db: StateDb;
}

export interface MonthlyJobResult {
  period: string;
  version: number;
  files: ArchivedReport[];
  email: { messageId: string; accepted: string[]; rejected: string[] } | { error: string } | null;
}

export interface ReportService {
  readonly archive: ReportArchive;
  /** The report data for a period (what every format renders), with the chart series. */
  build(period: ReportPeriod, lang?: ReportLang): Promise<BuiltReport>;
  monthly(month: string, format: ReportFormat, lang?: ReportLang, opts?: { section?: SectionKey }): Promise<RenderedReport>;
  /** Calendar days firstDay..lastDay, both included; the whole contract term is a valid range. */
  range(firstDay: string, lastDay: string, format: ReportFormat, lang?: ReportLang, opts?: { section?: SectionKey }): Promise<RenderedReport>;
  /**
   * Issues one month's report into the archive now (a new version, every archive format plus
   * the PDF), without emailing it: an operator asks for it before signing it off.
   */
  issueMonth(month: string, lang?: ReportLang): Promise<ArchivedReport[]>;
  /** What the schedule runs: last month's report, archived as a new version and emailed. */
  runMonthlyJob(trigger?: 'schedule' | 'manual'): Promise<MonthlyJobResult>;
  /**
   * Sends last month's newest archived report again when its email failed and the back-off
   * (mail-retry.ts) says it is time; null when there is nothing to do. Run every minute.
   */
  retryFailedEmail(): Promise<{ period: string; version: number; attempt: number; email: MonthlyJobResult['email'] } | null>;
  startSchedule(): void;
  /** When the schedule fires next (null when it is not running). */
  nextRun(): Date | null;
  stop(): Promise<void>;
}

export function createReportService(deps: ReportServiceDeps): ReportService {
  const cfg = deps.config.reports;
  const baseDir = dirname(deps.config.configPath);
  const archiveDir = isAbsolute(cfg.archiveDir) ? cfg.archiveDir : resolve(baseDir, cfg.archiveDir);
  const archive = new ReportArchive(deps.db, archiveDir, deps.clock);
  const log = deps.logger.child({ stage: 'reports' });
  let mailer: ReportMailer | null = null;
  let task: ScheduledTask | null = null;

  const settings = (lang: ReportLang): ReportSettings => ({
    limits: deps.config.outage.carrierResponse,
    utilizationThresholdPct: cfg.utilizationThresholdPct,
    contractTermMonths: cfg.contractTermMonths,
    worstCount: cfg.worstCount,
    capacity: deps.config.outage.capacity,
    fleetLabel: textFor(lang).fleet,
    coverageThresholdPct: cfg.coverageThresholdPct,
    targets: cfg.targets,
    contractTerms: deps.config.register ?? DEFAULT_TERMS,
  });

  const build = (period: ReportPeriod, lang: ReportLang = cfg.lang) => buildReport(deps.source, period, deps.clock.now(), settings(lang));

  async function render(period: ReportPeriod, format: ReportFormat, lang: ReportLang, section?: SectionKey): Promise<RenderedReport> {
    const started = Date.now();
    const { report, charts } = await build(period, lang);
    const out = await renderReport(report, { format, lang, ...(section ? { section } : {}), charts });
    log.info({ period: period.label, format, lang, bytes: out.body.length, ms: Date.now() - started }, 'report generated');
    return out;
  }

  /** Emails one archived version (the PDF attached) and records the attempt against `rowId`; null when email is off. */
  async function emailReport(period: ReportPeriod, version: number, report: BuiltReport['report'], lang: ReportLang, pdf: Buffer, pdfFile: string, rowId: number): Promise<MonthlyJobResult['email']> {
    mailer ??= createReportMailer(cfg.email, baseDir);
    if (!mailer) return null;
    const t = textFor(lang);
    const s = report.summary;
    const pct = (v: number | null, d: number) => (v === null ? '—' : `${v.toFixed(d)}%`);
    let email: NonNullable<MonthlyJobResult['email']>;
    try {
      email = await mailer.send({
        subject: t.mailSubject(t.monthLabel(period.label)),
        text: t.mailBody(t.monthLabel(period.label), {
          carrier: pct(s.carrierAvailabilityPct, 3),
          coverage: pct(s.coverage.pct, 2),
          incomplete: s.coverage.complete ? null : t.incomplete(pct(s.coverage.pct, 2), report.settings.coverageThresholdPct),
          fleetTarget: s.targets.fleet ? `${s.targets.fleet.targetPct}% ${t.targetStatus[s.targets.fleet.status]}` : '—',
          incidents: s.incidents.total,
          unreported: s.responses.unreportedLine,
          compliance: pct(s.responses.compliancePct, 1),
        }),
        attachments: [{ filename: pdfFile, content: pdf, contentType: 'application/pdf' }],
      });
      log.info({ period: period.label, version, messageId: email.messageId, accepted: email.accepted.length }, 'monthly report emailed');
    } catch (err) {
      email = { error: (err as Error).message };
      log.error({ err, period: period.label, version }, 'monthly report archived but not emailed');
    }
    archive.recordDelivery(rowId, mailer.recipients, email);
    return email;
  }

  async function retryFailedEmail(): ReturnType<ReportService['retryFailedEmail']> {
    if (!cfg.email?.enabled) return null;
    const period = monthBefore(deps.clock.now());
    const versions = archive.list(period.label).filter((f) => f.lang === cfg.lang);
    const newest = Math.max(...versions.map((f) => f.version));
    const files = versions.filter((f) => f.version === newest);
    const row = files.find((f) => f.format === 'pdf') ?? files[0];
    if (!row) return null;
    const decision = mailRetryDecision(archive.deliveries(row.id), deps.clock.now());
    if (!decision.due) return null;
    log.warn({ period: period.label, version: newest, attempt: decision.attempt }, 'monthly report email failed before; sending it again');
    // The archived version as it was issued (the bytes the archive vouches for), so the mail's
    // figures and its attachment match what was sent the first time; a fresh build only where
    // the archive does not have the format.
    const intact = (format: string) => files.find((f) => f.format === format && archive.verify(f.id).ok);
    const pdfRow = intact('pdf');
    const jsonRow = intact('json');
    const fresh = pdfRow && jsonRow ? null : await build(period, cfg.lang);
    const report = jsonRow ? (JSON.parse(archive.read(jsonRow.id).toString('utf8')) as BuiltReport['report']) : fresh!.report;
    const pdf = pdfRow ? archive.read(pdfRow.id) : (await renderReport(fresh!.report, { format: 'pdf', lang: cfg.lang, charts: fresh!.charts })).body;
    const email = await emailReport(period, newest, report, cfg.lang, pdf, pdfRow ? pdfRow.file : archiveFileName(period.label, cfg.lang, newest, 'pdf'), row.id);
    return { period: period.label, version: newest, attempt: decision.attempt, email };
  }

  /** Renders every archived format (and the PDF) of a period and stores them as one new version. */
  async function issue(period: ReportPeriod, lang: ReportLang, trigger: 'schedule' | 'manual', formats: readonly ReportFormat[]) {
    const { report, charts } = await build(period, lang);
    const rendered = new Map<string, RenderedReport>();
    for (const format of new Set<ReportFormat>([...cfg.archiveFormats, 'pdf'])) rendered.set(format, await renderReport(report, { format, lang, charts }));
    const files = archive.store(period.label, lang, [...new Set(formats)].map((format) => ({ format, body: rendered.get(format)!.body })), trigger);
    return { report, rendered, files };
  }

  async function runMonthlyJob(trigger: 'schedule' | 'manual' = 'schedule'): Promise<MonthlyJobResult> {
    const period = monthBefore(deps.clock.now());
    const lang = cfg.lang;
    const { report, rendered, files } = await issue(period, lang, trigger, cfg.archiveFormats);
    const version = files[0]!.version;
    log.info({ period: period.label, version, files: files.map((f) => ({ file: f.file, sha256: f.sha256 })) }, 'monthly report archived');

    const row = files.find((f) => f.format === 'pdf') ?? files[0]!;
    const email = await emailReport(period, version, report, lang, rendered.get('pdf')!.body, files.find((f) => f.format === 'pdf')?.file ?? rendered.get('pdf')!.filename, row.id);
    return { period: period.label, version, files, email };
  }

  const service: ReportService = {
    archive,
    build: (period, lang) => build(period, lang),
    async monthly(month, format, lang = cfg.lang, opts = {}) {
      const period = monthPeriod(month);
      assertStarted(period, deps.clock.now(), 'month');
      return render(period, format, lang, opts.section);
    },
    async range(firstDay, lastDay, format, lang = cfg.lang, opts = {}) {
      const period = rangePeriod(firstDay, lastDay);
      assertStarted(period, deps.clock.now(), 'from');
      return render(period, format, lang, opts.section);
    },
    async issueMonth(month, lang = cfg.lang) {
      const period = monthPeriod(month);
      assertStarted(period, deps.clock.now(), 'month');
      // Always with the PDF: that is what gets signed and handed to the carrier.
      const out = await issue(period, lang, 'manual', [...cfg.archiveFormats, 'pdf']);
      log.info({ period: period.label, version: out.files[0]!.version, files: out.files.map((f) => ({ file: f.file, sha256: f.sha256 })) }, 'report issued into the archive');
      return out.files;
    },
    runMonthlyJob,
    retryFailedEmail,
    startSchedule() {
      if (task || !cfg.schedule.enabled) return;
      task = scheduleMonthlyReport(cfg.schedule.cron, () => runMonthlyJob('schedule'), log);
      // demarc down at 08:00 on the 1st would skip a month. A demarc that has issued reports
      // before (so this is not a fresh install) catches up on last month's at start.
      const last = monthBefore(deps.clock.now()).label;
      if (archive.list().length > 0 && !archive.list(last).some((r) => r.trigger === 'schedule')) {
        log.warn({ period: last }, 'the scheduled report for last month is missing; generating it now');
        runMonthlyJob('schedule').catch((err: unknown) => log.error({ err }, 'catch-up monthly report failed'));
      }
    },
    nextRun: () => task?.getNextRun() ?? null,
    async stop() {
      await task?.destroy();
      task = null;
      mailer?.close();
      mailer = null;
    },
  };
  return service;
}
