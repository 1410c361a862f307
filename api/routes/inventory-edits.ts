import express, { Router } from 'express';
import { z } from 'zod';
import { ALL_COLUMNS } from '../../config/site-row.js';
import { inventoryCsv, inventoryXlsx } from '../../inventory/inventory-files.js';
import { InventoryEditRefused, type InventoryEdits } from '../../inventory/inventory-edits.js';
import type { EditProposal } from '../../inventory/site-book.js';
import type { SiteEdit } from '../../inventory/site-edits.js';
import { HttpError, parseWith } from '../http-errors.js';
import { ROLE, route } from '../policy.js';

/** Rows carry contact names and phone numbers (personal data): for those who act on the inventory. */
const INVENTORY_ROWS = ROLE('operator', 'approver');
const IMPORT_LIMIT = '5mb';
const XLSX_TYPE = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

const KNOWN = new Set(ALL_COLUMNS);
const cell = z.string().max(500);
/** Columns of sites.csv → text; an unknown column is named in the error's path. */
const fieldsOf = z.record(z.string(), cell).superRefine((f, ctx) => {
  for (const k of Object.keys(f)) if (!KNOWN.has(k)) ctx.addIssue({ code: 'custom', path: [k], message: `unknown column (columns are those of sites.csv: ${ALL_COLUMNS.slice(0, 4).join(', ')}, …)` });
});
const editSchema = z.discriminatedUnion('op', [
  z.strictObject({ op: z.literal('add'), row: fieldsOf }),
  z.strictObject({ op: z.literal('change'), siteId: z.string().min(1), fields: fieldsOf.refine((f) => Object.keys(f).length > 0, 'name at least one field to change') }),
  z.strictObject({ op: z.literal('remove'), siteId: z.string().min(1) }),
]);
const reason = z.string().trim().min(3, 'say why (it goes into the operation log)').max(2000);
const proposeBody = z.strictObject({ reason, edits: z.array(editSchema).min(1).max(5000) });
const importQuery = z.strictObject({
  format: z.enum(['csv', 'xlsx']).optional(),
  name: z.string().max(200).optional(),
  reason: reason.optional(),
  dryRun: z.enum(['true', 'false']).optional(),
});
const exportQuery = z.strictObject({ format: z.enum(['csv', 'xlsx']).prefault('csv') });
const listQuery = z.strictObject({ state: z.enum(['proposed', 'applied', 'rejected']).optional() });
const rejectBody = z.strictObject({ note: z.string().trim().min(3, 'say why it is rejected').max(2000) });
const idParam = (v: unknown) => {
  const n = Number(v);
  if (!Number.isInteger(n) || n < 1) throw new HttpError(404, `no inventory proposal "${String(v)}"`);
  return n;
};

export const proposalDto = (p: EditProposal) => ({
  ...p,
  proposedAt: new Date(p.proposedAt).toISOString(),
  decidedAt: p.decidedAt === null ? null : new Date(p.decidedAt).toISOString(),
  counts: { added: p.diff.added.length, changed: p.diff.changed.length, removed: p.diff.removed.length },
});

/** A refused edit or import: 400 with every problem (row, site, field), so a form or the import page can point at each. */
function refused(e: unknown): never {
  if (e instanceof InventoryEditRefused) throw new HttpError(400, e.message, e.issues);
  throw e;
}

export interface InventoryEditRouteDeps {
  edits: InventoryEdits;
}

/**
 * Editing the inventory with two people: an operator proposes (forms or a CSV/XLSX import,
 * which shows its diff first), an approver who is not the proposer applies or rejects. The
 * export is the same format sites.csv uses, CSV (with a BOM) or XLSX.
 */
export function inventoryEditRoutes(deps: InventoryEditRouteDeps): Router {
  const r = Router();

  route(r, 'get', '/inventory/sites/export', INVENTORY_ROWS, async (req, res) => {
    const q = parseWith(exportQuery, req.query, 'query');
    const rows = deps.edits.book.rows();
    if (q.format === 'csv') {
      res.type('text/csv; charset=utf-8').attachment('sites.csv').send(inventoryCsv(rows));
      return;
    }
    res.type(XLSX_TYPE).attachment('sites.xlsx').send(await inventoryXlsx(rows));
  });

  route(r, 'get', '/inventory/proposals', INVENTORY_ROWS, (req, res) => {
    const q = parseWith(listQuery, req.query, 'query');
    res.json({ proposals: deps.edits.book.proposals(q.state).map(proposalDto) });
  });

  route(r, 'get', '/inventory/proposals/:id', INVENTORY_ROWS, (req, res) => {
    const p = deps.edits.book.proposal(idParam(req.params.id));
    if (!p) throw new HttpError(404, `no inventory proposal ${String(req.params.id)}`);
    res.json({ proposal: proposalDto(p) });
  });

  route(r, 'post', '/inventory/proposals', ROLE('operator'), (req, res) => {
    const b = parseWith(proposeBody, req.body, 'body');
    let p;
    try {
      p = deps.edits.propose(b.edits as SiteEdit[], req.actingUser!, b.reason);
    } catch (e) {
      refused(e);
    }
    res.status(202).json({ proposal: proposalDto(p), needsApproval: 'a second person (an approver) must approve it' });
  });

  // The file is the body (text/csv or the XLSX type); `dryRun=true` answers the diff and stores nothing.
  route(r, 'post', '/inventory/import', ROLE('operator'), express.raw({ type: ['text/csv', 'text/plain', XLSX_TYPE, 'application/octet-stream'], limit: IMPORT_LIMIT }), async (req, res) => {
    const q = parseWith(importQuery, req.query, 'query');
    if (!Buffer.isBuffer(req.body) || req.body.length === 0) throw new HttpError(400, `send the file as the request body (content-type text/csv or ${XLSX_TYPE})`, [{ field: 'body', problem: 'no file' }]);
    const format = q.format ?? (req.is(XLSX_TYPE) ? 'xlsx' : 'csv');
    const dryRun = q.dryRun === 'true';
    if (!dryRun && !q.reason) throw new HttpError(400, 'invalid query: reason: say why (it goes into the operation log)', [{ field: 'reason', problem: 'required unless dryRun=true' }]);
    let out;
    try {
      out = await deps.edits.importFile(req.body, format, q.name ?? `upload.${format}`, req.actingUser!, q.reason ?? '', dryRun);
    } catch (e) {
      refused(e);
    }
    if (!out.proposal) {
      res.json({ diff: out.diff, counts: { added: out.diff.added.length, changed: out.diff.changed.length, removed: out.diff.removed.length } });
      return;
    }
    res.status(202).json({ proposal: proposalDto(out.proposal), needsApproval: 'a second person (an approver) must approve it' });
  });

  route(r, 'post', '/inventory/proposals/:id/approve', ROLE('approver'), (req, res) => {
    let out;
    try {
      out = deps.edits.approve(idParam(req.params.id), req.actingUser!);
    } catch (e) {
      refused(e);
    }
    res.json({ proposal: proposalDto(out.proposal), sites: out.sites.length, restart: 'demarc restarts its pipeline on the new inventory now' });
  });

  route(r, 'post', '/inventory/proposals/:id/reject', ROLE('approver'), (req, res) => {
    const b = parseWith(rejectBody, req.body ?? {}, 'body');
    res.json({ proposal: proposalDto(deps.edits.reject(idParam(req.params.id), req.actingUser!, b.note)) });
  });

  return r;
}
