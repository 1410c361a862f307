import { Router } from 'express';
import { stringify } from 'csv-stringify/sync';
import { z } from 'zod';
import type { AuditLog } from '../../audit/audit-log.js';
import type { AuditWatch } from '../../audit/audit-watch.js';
import { HttpError, parseWith } from '../http-errors.js';
import { ROLE, route } from '../policy.js';

const instant = z.iso.datetime({ offset: true, message: 'must be an ISO-8601 instant with a zone, e.g. 2026-03-01T08:00:00Z' });

const listQuery = z.strictObject({
  from: instant.optional(),
  to: instant.optional(),
  actor: z.string().min(1).max(200).optional(),
  action: z.string().min(1).max(200).optional(),
  target: z.string().min(1).max(500).optional(),
  limit: z.coerce.number().int().min(1).max(10_000).default(200),
  offset: z.coerce.number().int().min(0).default(0),
  format: z.enum(['json', 'csv']).default('json'),
});

const CSV_COLUMNS = ['seq', 'at', 'actor', 'action', 'target', 'detail', 'prevHash', 'hash'] as const;

/**
 * The operation log for the auditor (and admin): read with filters and paging, exported as
 * CSV, and verified on demand. Reading it changes nothing, so it needs no second person.
 */
export function auditRoutes(deps: { log: AuditLog; watch: AuditWatch }): Router {
  const r = Router();

  route(r, 'get', '/audit', ROLE('auditor'), (req, res) => {
    const q = parseWith(listQuery, req.query, 'query');
    const from = q.from ? Date.parse(q.from) : undefined;
    const to = q.to ? Date.parse(q.to) : undefined;
    if (from !== undefined && to !== undefined && from >= to) throw new HttpError(400, 'invalid query: from must be before to', [{ field: 'from', problem: 'must be before to' }]);
    const filter = { ...(from !== undefined ? { from } : {}), ...(to !== undefined ? { to } : {}), ...(q.actor ? { actor: q.actor } : {}), ...(q.action ? { action: q.action } : {}), ...(q.target ? { target: q.target } : {}) };
    const entries = deps.log.list({ ...filter, limit: q.limit, offset: q.offset }).map((e) => ({ ...e, at: new Date(e.at).toISOString() }));
    if (q.format === 'csv') {
      res
        .type('text/csv; charset=utf-8')
        .attachment('demarc-audit.csv')
        // A BOM so that Excel on a zh-CN desktop reads the UTF-8 names correctly.
        .send('\uFEFF' + stringify(entries.map((e) => ({ ...e, detail: JSON.stringify(e.detail) })), { header: true, columns: [...CSV_COLUMNS] }));
      return;
    }
    res.json({ total: deps.log.count(filter), offset: q.offset, limit: q.limit, entries });
  });

  route(r, 'get', '/audit/verify', ROLE('auditor'), (_req, res) => {
    const s = deps.watch.verifyAll();
    res.json({ ok: s.state === 'ok', ...s, checkedAt: 'checkedAt' in s ? new Date(s.checkedAt).toISOString() : null });
  });

  return r;
}
