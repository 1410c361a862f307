import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../../core/clock.js';
import { silentLogger } from '../../core/logger.js';
import { outageConfig } from '../../outage/config-schema.js';
import { openStateDb, type StateDb } from '../../store/state-db.js';
import { reportsConfig, type ReportsConfigInput } from '../../reports/config-schema.js';
import { shanghaiMinute } from '../../reports/report-period.js';
import { createReportService, type ReportService } from '../../reports/report-service.js';
import { buildDemoMonth, type DemoMonth } from './demo-month.js';
import { sh } from './known-month.js';
import { decodeWords, headerParam, leafParts, parseMime } from './mime.js';
import { startSmtpSink, type SmtpSink } from './smtp-sink.js';

/**
 * The scheduled monthly run end to end: last month's report archived as a new version (never
 * overwritten, SHA-256 in the state db) and emailed over STARTTLS to a real SMTP server on
 * loopback, with the PDF attached.
 */

const SMTP_PORT = 25025;
const SMTP_NO_TLS_PORT = 25026;
const USER = 'demarc-mailer';
const PASSWORD = 'mail-secret-2026';
const RECIPIENTS = ['director@center.example.test', 'noc-lead@center.example.test'];

let dir: string;
let demo: DemoMonth;
let sink: SmtpSink;
let plainSink: SmtpSink;
let db: StateDb;
const services: ReportService[] = [];

const sha = (b: Buffer) => createHash('sha256').update(b).digest('hex');

function service(clock: ManualClock, email: Partial<NonNullable<ReportsConfigInput['email']>> & { port?: number; password?: string } = {}): ReportService {
  const { port, password, ...rest } = email;
  const s = createReportService({
    config: {
      configPath: join(dir, 'demarc.yaml'),
      outage: outageConfig(),
      reports: reportsConfig({
        archiveDir: './archive',
        email: {
          enabled: true,
          from: 'demarc <demarc@noc.example.test>',
          recipients: RECIPIENTS,
          smtp: { host: '127.0.0.1', port: port ?? SMTP_PORT, security: 'starttls', username: USER, password: password ?? PASSWORD, caFile: sink.caFile, servername: 'localhost', timeoutMs: 10_000 },
          ...rest,
        },
      }),
    },
    source: demo.source,
    clock,
    logger: silentLogger,
    db,
  });
  services.push(s);
  return s;
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'demarc-report-schedule-'));
  demo = await buildDemoMonth({ dir, siteCount: 12, intervalSec: 1800 });
  mkdirSync(join(dir, 'tls'));
  mkdirSync(join(dir, 'tls-plain'));
  sink = await startSmtpSink({ port: SMTP_PORT, dir: join(dir, 'tls'), user: USER, password: PASSWORD });
  plainSink = await startSmtpSink({ port: SMTP_NO_TLS_PORT, dir: join(dir, 'tls-plain'), user: USER, password: PASSWORD, starttls: false });
  db = openStateDb(join(dir, 'state-reports.db'));
});

afterAll(async () => {
  for (const s of services) await s.stop();
  await sink?.close();
  await plainSink?.close();
  db?.close();
  await demo?.close();
  rmSync(dir, { recursive: true, force: true });
});

function pdfAttachment(raw: Buffer): { filename: string | null; type: string; body: Buffer } {
  const parts = leafParts(parseMime(raw));
  const pdf = parts.find((p) => (p.headers.get('content-type') ?? '').startsWith('application/pdf'));
  if (!pdf) throw new Error(`no application/pdf part; parts: ${parts.map((p) => p.headers.get('content-type')).join(', ')}`);
  return { filename: headerParam(pdf.headers.get('content-disposition'), 'filename'), type: pdf.headers.get('content-type')!, body: pdf.body };
}

describe('the scheduled monthly run', () => {
  it('archives last month (PDF, XLSX, JSON) with SHA-256 recorded and emails the PDF over STARTTLS', async () => {
    const reports = service(new ManualClock(sh('2026-11-01', 8)));
    const r = await reports.runMonthlyJob();
    expect(r.period).toBe('2026-10');
    expect(r.version).toBe(1);
    expect(r.files.map((f) => f.file)).toEqual(['demarc-uptime-2026-10-zh.pdf', 'demarc-uptime-2026-10-zh.xlsx', 'demarc-uptime-2026-10-zh.json']);
    for (const f of r.files) {
      const body = readFileSync(join(dir, 'archive', f.file));
      expect(sha(body)).toBe(f.sha256);
      expect(body.length).toBe(f.bytes);
      expect(reports.archive.verify(f.id)).toEqual({ ok: true, recorded: f.sha256, actual: f.sha256 });
    }
    expect(readFileSync(join(dir, 'archive', r.files[0]!.file)).subarray(0, 5).toString()).toBe('%PDF-');
    const stored = db.prepare('SELECT file, sha256, trigger, version FROM report_archive ORDER BY id').all();
    expect(stored).toEqual(r.files.map((f) => ({ file: f.file, sha256: f.sha256, trigger: 'schedule', version: 1 })));

    expect(r.email).toMatchObject({ accepted: RECIPIENTS, rejected: [] });
    expect(sink.received.length).toBe(1);
    const mail = sink.received[0]!;
    expect(mail.secure).toBe(true);
    expect(mail.user).toBe(USER);
    expect(mail.to).toEqual(RECIPIENTS);
    const top = parseMime(mail.raw);
    expect(decodeWords(top.headers.get('subject')!)).toBe('【demarc】2026年10月 专线电路可用率月报');
    const text = leafParts(top).find((p) => p.headers.get('content-type')?.startsWith('text/plain'))!.body.toString('utf8');
    expect(text).toContain('运营商责任可用率');
    const pdf = pdfAttachment(mail.raw);
    expect(pdf.filename).toBe('demarc-uptime-2026-10-zh.pdf');
    expect(sha(pdf.body)).toBe(r.files[0]!.sha256);
    expect(reports.archive.deliveries(r.files[0]!.id)).toEqual([
      { recipients: RECIPIENTS.join(', '), attemptedAt: new Date(sh('2026-11-01', 8)).toISOString(), messageId: (r.email as { messageId: string }).messageId, error: null },
    ]);
  });

  it('a re-run makes version 2 and leaves version 1 as it was', async () => {
    const reports = service(new ManualClock(sh('2026-11-01', 9)));
    const v1 = reports.archive.list('2026-10');
    const r = await reports.runMonthlyJob('manual');
    expect(r.version).toBe(2);
    expect(r.files.map((f) => f.file)).toEqual(['demarc-uptime-2026-10-zh-v2.pdf', 'demarc-uptime-2026-10-zh-v2.xlsx', 'demarc-uptime-2026-10-zh-v2.json']);
    for (const f of v1) expect(reports.archive.verify(f.id).ok).toBe(true);
    expect(sink.received.length).toBe(2);
    expect(pdfAttachment(sink.received[1]!.raw).filename).toBe('demarc-uptime-2026-10-zh-v2.pdf');
  });

  it('a file already on disk under the next name is not overwritten: the version after it is taken', async () => {
    const squatter = join(dir, 'archive', 'demarc-uptime-2026-10-zh-v3.pdf');
    writeFileSync(squatter, 'restored from an older backup');
    const reports = service(new ManualClock(sh('2026-11-01', 10)));
    const r = await reports.runMonthlyJob('manual');
    expect(r.version).toBe(4);
    expect(readFileSync(squatter, 'utf8')).toBe('restored from an older backup');
    expect(existsSync(join(dir, 'archive', 'demarc-uptime-2026-10-zh-v4.pdf'))).toBe(true);
  });

  it('a mail server that refuses the login: the report is archived and the failure recorded', async () => {
    const reports = service(new ManualClock(sh('2026-11-01', 11)), { password: 'wrong-password' });
    const before = sink.received.length;
    const r = await reports.runMonthlyJob('manual');
    expect(r.version).toBe(5);
    expect(r.email).toMatchObject({ error: expect.stringMatching(/invalid username or password|auth/i) });
    expect(sink.received.length).toBe(before);
    const pdf = r.files.find((f) => f.format === 'pdf')!;
    expect(reports.archive.verify(pdf.id).ok).toBe(true);
    expect(reports.archive.deliveries(pdf.id)[0]).toMatchObject({ messageId: null, error: expect.stringMatching(/./) });
  });

  it('a failed email is sent again on the back-off, with the archived PDF, and then left alone', async () => {
    // Version 5 of October failed to send at 11:00 (the test above); the mail server is fine again.
    const clock = new ManualClock(sh('2026-11-01', 11) + 4 * 60_000);
    const reports = service(clock);
    const before = sink.received.length;
    expect(await reports.retryFailedEmail(), '4 minutes after the failure: still waiting').toBeNull();
    clock.advance(60_000);
    const r = await reports.retryFailedEmail();
    expect(r).toMatchObject({ period: '2026-10', version: 5, attempt: 2, email: { messageId: expect.any(String) } });
    expect(sink.received.length).toBe(before + 1);
    const pdf = reports.archive.list('2026-10').find((f) => f.version === 5 && f.format === 'pdf')!;
    const sent = pdfAttachment(sink.received.at(-1)!.raw);
    expect(sent.filename).toBe(pdf.file);
    expect(sha(sent.body), 'the archived bytes, not a new rendering').toBe(pdf.sha256);
    // The figures in the mail are those of the archived version (its JSON), not of a rebuild.
    const json = reports.archive.list('2026-10').find((f) => f.version === 5 && f.format === 'json')!;
    const archived = JSON.parse(readFileSync(join(dir, 'archive', json.file), 'utf8')) as { summary: { carrierAvailabilityPct: number } };
    const text = leafParts(parseMime(sink.received.at(-1)!.raw)).find((p) => p.headers.get('content-type')?.startsWith('text/plain'))!.body.toString('utf8');
    expect(text).toContain(`${archived.summary.carrierAvailabilityPct.toFixed(3)}%`);
    expect(reports.archive.deliveries(pdf.id).map((d) => d.error === null)).toEqual([false, true]);
    clock.advance(3_600_000);
    expect(await reports.retryFailedEmail(), 'delivered: nothing more to do').toBeNull();
    expect(sink.received.length).toBe(before + 1);
  });

  it('never sends in plaintext: a server without STARTTLS gets nothing', async () => {
    const reports = service(new ManualClock(sh('2026-11-01', 12)), { port: SMTP_NO_TLS_PORT });
    const r = await reports.runMonthlyJob('manual');
    expect(r.email).toMatchObject({ error: expect.stringMatching(/STARTTLS|TLS/i) });
    expect(plainSink.received.length).toBe(0);
  });

  it('node-cron fires at 08:00 Asia/Shanghai on the 1st; stop() ends it', async () => {
    const reports = service(new ManualClock(sh('2026-11-01', 13)));
    expect(reports.nextRun()).toBeNull();
    reports.startSchedule();
    const next = reports.nextRun();
    expect(next).not.toBeNull();
    expect(shanghaiMinute(next!.getTime())).toMatch(/^\d{4}-\d{2}-01 08:00$/);
    expect(next!.getTime()).toBeGreaterThan(Date.now());
    expect(next!.getTime() - Date.now()).toBeLessThanOrEqual(32 * 86_400_000);
    await reports.stop();
    expect(reports.nextRun()).toBeNull();
  });

  it('after a missed run (demarc down at 08:00 on the 1st), starting the schedule catches up on last month', async () => {
    const reports = service(new ManualClock(sh('2026-12-01', 12)));
    const before = sink.received.length;
    reports.startSchedule();
    const deadline = Date.now() + 90_000;
    while (reports.archive.list('2026-11').length === 0 || sink.received.length === before) {
      if (Date.now() > deadline) throw new Error('the catch-up run did not archive and email November');
      await new Promise((r) => setTimeout(r, 200));
    }
    expect(reports.archive.list('2026-11').map((f) => [f.version, f.trigger])).toEqual([[1, 'schedule'], [1, 'schedule'], [1, 'schedule']]);
    expect(pdfAttachment(sink.received.at(-1)!.raw).filename).toBe('demarc-uptime-2026-11-zh.pdf');
    await reports.stop();
  });
});
