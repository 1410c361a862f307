import { Router, type Response } from 'express';
import { z } from 'zod';
import type { AuditLog } from '../../audit/audit-log.js';
import { HttpError, parseWith } from '../http-errors.js';
import type { ArchivedReport, ReportArchive } from '../../reports/report-archive.js';
import { PeriodError, type PeriodErrorReason } from '../../reports/report-period.js';
import { SECTION_KEYS, type SectionKey } from '../../reports/report-sections.js';
import { REPORT_LANGS, type ReportLang } from '../../reports/report-text.js';
import { REPORT_FORMATS, type RenderedReport, type ReportFormat } from '../../reports/render-report.js';
import { READ, ROLE, route } from '../policy.js';

/** What the routes need of the report service. */
export interface ReportRouteDeps {
  reports: {
    monthly(month: string, format: ReportFormat, lang?: ReportLang, opts?: { section?: SectionKey }): Promise<RenderedReport>;
    range(firstDay: string, lastDay: string, format: ReportFormat, lang?: ReportLang, opts?: { section?: SectionKey }): Promise<RenderedReport>;
    archive: Pick<ReportArchive, 'list' | 'read' | 'verify'>;
    issueMonth(month: string, lang?: ReportLang): Promise<ArchivedReport[]>;
  };
  defaultLang: ReportLang;
  /** Issuing a report is recorded with each file's hash, so an auditor can tie a signed PDF to its issue. */
  audit: Pick<AuditLog, 'record'>;
}

const common = {
  format: z.enum(REPORT_FORMATS).default('json'),
  lang: z.enum(REPORT_LANGS as [ReportLang, ...ReportLang[]]).optional(),
  /** CSV comes one section at a time. */
  section: z.enum(SECTION_KEYS).optional(),
};

const required = (what: string) => z.string({ error: (iss) => (iss.input === undefined ? `is required (${what})` : `expected ${what}`) });
const day = required('a date YYYY-MM-DD').regex(/^\d{4}-\d{2}-\d{2}$/, 'expected a date YYYY-MM-DD');
const monthlyQuery = z.strictObject({ month: required('a month YYYY-MM').regex(/^\d{4}-(0[1-9]|1[0-2])$/, 'expected a month YYYY-MM, e.g. 2026-10'), ...common });
const rangeQuery = z.strictObject({ from: day, to: day, ...common });
const monthField = required('a month YYYY-MM').regex(/^\d{4}-(0[1-9]|1[0-2])$/, 'expected a month YYYY-MM, e.g. 2026-10');
const issueBody = z.strictObject({ month: monthField, lang: common.lang });

const CONTENT_TYPES: Record<string, string> = {
  pdf: 'application/pdf',
  xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
  json: 'application/json; charset=utf-8',
  csv: 'text/csv; charset=utf-8',
};

function checkSection(q: { format: ReportFormat; section?: SectionKey | undefined }): void {
  if (q.section && q.format !== 'csv') throw new HttpError(400, `invalid query: section: only format=csv comes in sections (got format=${q.format})`);
}

/** Every refused period is the caller's query: a 400 naming the parameter. */
const PERIOD_STATUS: Record<PeriodErrorReason, number> = { malformed: 400, reversed: 400, 'too-long': 400, 'not-started': 400 };

async function send(res: Response, produce: () => Promise<RenderedReport>): Promise<void> {
  let out: RenderedReport;
  try {
    out = await produce();
  } catch (e) {
    if (e instanceof PeriodError) throw new HttpError(PERIOD_STATUS[e.reason], `invalid query: ${e.message}`, [{ field: e.parameter, problem: e.message }]);
    throw e;
  }
  const disposition = out.contentType.startsWith('application/json') ? 'inline' : 'attachment';
  res.status(200).type(out.contentType).setHeader('Content-Disposition', `${disposition}; filename="${out.filename}"`);
  res.setHeader('Cache-Control', 'no-store');
  res.send(out.body);
}

/**
 * GET /reports/monthly?month=YYYY-MM&format=json|csv|xlsx|pdf&lang=zh|en[&section=...]
 * GET /reports/range?from=YYYY-MM-DD&to=YYYY-MM-DD&... (both days included)
 * GET /reports/archive: the issued reports with their SHA-256.
 */
export function reportRoutes(deps: ReportRouteDeps): Router {
  const r = Router();

  route(r, 'get', '/reports/monthly', READ, async (req, res) => {
    const q = parseWith(monthlyQuery, req.query, 'query');
    checkSection(q);
    await send(res, () => deps.reports.monthly(q.month, q.format, q.lang ?? deps.defaultLang, q.section ? { section: q.section } : {}));
  });

  route(r, 'get', '/reports/range', READ, async (req, res) => {
    const q = parseWith(rangeQuery, req.query, 'query');
    checkSection(q);
    await send(res, () => deps.reports.range(q.from, q.to, q.format, q.lang ?? deps.defaultLang, q.section ? { section: q.section } : {}));
  });

  route(r, 'get', '/reports/archive', READ, (_req, res) => {
    res.json({ reports: deps.reports.archive.list() });
  });

  // Issue a month's report into the archive now (a new version; the schedule's email is not sent).
  route(r, 'post', '/reports/archive', ROLE('operator', 'approver'), async (req, res) => {
    const b = parseWith(issueBody, req.body ?? {}, 'body');
    let files: ArchivedReport[];
    try {
      files = await deps.reports.issueMonth(b.month, b.lang ?? deps.defaultLang);
    } catch (e) {
      if (e instanceof PeriodError) throw new HttpError(400, `invalid body: month: ${e.message}`, [{ field: 'month', problem: e.message }]);
      throw e;
    }
    deps.audit.record(req.actingUser!.id, 'report.issue', b.month, {
      lang: b.lang ?? deps.defaultLang,
      version: files[0]?.version ?? null,
      files: files.map((f) => ({ id: f.id, file: f.file, sha256: f.sha256 })),
    });
    res.status(201).json({ reports: files });
  });

  // The archived bytes as issued: their SHA-256 is checked against the record before they go out.
  route(r, 'get', '/reports/archive/:id/file', READ, (req, res) => {
    const raw = String(req.params.id);
    if (!/^[1-9]\d{0,15}$/.test(raw)) throw new HttpError(400, 'invalid path: id: expected an archive entry number', [{ field: 'id', problem: 'expected an archive entry number' }]);
    const id = Number(raw);
    const entry = deps.reports.archive.list().find((e) => e.id === id);
    if (!entry) throw new HttpError(404, `no archived report ${id}`);
    const check = deps.reports.archive.verify(id);
    if (!check.ok) {
      const why = check.actual === null ? 'is missing from the archive directory' : `does not match its recorded SHA-256 (${check.recorded})`;
      throw new HttpError(409, `archived report ${id}: the file ${entry.file} ${why}`);
    }
    res.status(200).type(CONTENT_TYPES[entry.format] ?? 'application/octet-stream');
    res.setHeader('Content-Disposition', `attachment; filename="${entry.file}"`);
    res.setHeader('Cache-Control', 'no-store');
    res.setHeader('X-Content-SHA256', entry.sha256);
    res.send(deps.reports.archive.read(id));
  });

  return r;
}
