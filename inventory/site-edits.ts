import type { SiteRow } from '../config/inventory.js';

/**
 * Edits of the inventory as rows of its own format (the sites.csv columns): a site, its
 * circuit, its devices (CE, head-end, OOB, CPE) and its contract dates are all columns of one
 * row, so one validation (config/inventory.ts validateSiteRows) covers every kind of edit.
 * Pure: no db, no clock.
 */
export type SiteEdit =
  | { op: 'add'; row: SiteRow }
  | { op: 'change'; siteId: string; fields: Partial<SiteRow> }
  | { op: 'remove'; siteId: string };

export interface FieldChange {
  column: string;
  before: string;
  after: string;
}

/** What a proposal or an import would do, by site id. */
export interface RowDiff {
  added: SiteRow[];
  changed: { siteId: string; fields: FieldChange[] }[];
  removed: SiteRow[];
}

/** An edit that cannot be applied as written, with the edit's position and the field at fault. */
export interface EditProblem {
  edit: number;
  siteId: string | null;
  field: string;
  reason: string;
}

const idOf = (r: SiteRow) => r.site_id ?? '';

/**
 * The rows after the edits, in order (changed rows keep their place, added rows go last).
 * Edits that refer to a missing site, or add one that exists, are problems; nothing else is
 * checked here: the result goes through validateSiteRows.
 */
export function applyEdits(current: readonly SiteRow[], edits: readonly SiteEdit[]): { rows: SiteRow[]; problems: EditProblem[] } {
  const rows = current.map((r) => ({ ...r }));
  const problems: EditProblem[] = [];
  const find = (id: string) => rows.findIndex((r) => idOf(r) === id);
  edits.forEach((e, edit) => {
    if (e.op === 'add') {
      const id = idOf(e.row);
      if (id && find(id) >= 0) problems.push({ edit, siteId: id, field: 'site_id', reason: `site "${id}" exists already (change it instead)` });
      else rows.push({ ...e.row });
      return;
    }
    const at = find(e.siteId);
    if (at < 0) {
      problems.push({ edit, siteId: e.siteId, field: 'siteId', reason: `no site "${e.siteId}" in the inventory` });
      return;
    }
    if (e.op === 'remove') rows.splice(at, 1);
    else rows[at] = { ...rows[at]!, ...(e.fields as SiteRow) };
  });
  return { rows, problems };
}

/** Sites added, changed (column by column) and removed between two inventories, by site id. */
export function diffRows(before: readonly SiteRow[], after: readonly SiteRow[]): RowDiff {
  const old = new Map(before.map((r) => [idOf(r), r]));
  const next = new Map(after.map((r) => [idOf(r), r]));
  const diff: RowDiff = { added: [], changed: [], removed: [] };
  for (const r of after) {
    const prev = old.get(idOf(r));
    if (!prev) {
      diff.added.push(r);
      continue;
    }
    const columns = [...new Set([...Object.keys(prev), ...Object.keys(r)])];
    const fields = columns.filter((c) => (prev[c] ?? '') !== (r[c] ?? '')).map((c) => ({ column: c, before: prev[c] ?? '', after: r[c] ?? '' }));
    if (fields.length) diff.changed.push({ siteId: idOf(r), fields });
  }
  for (const r of before) if (!next.has(idOf(r))) diff.removed.push(r);
  return diff;
}

/** The edits that turn `before` into `after` (an import becomes one proposal of these). */
export function editsOf(diff: RowDiff): SiteEdit[] {
  return [
    ...diff.removed.map((r): SiteEdit => ({ op: 'remove', siteId: idOf(r) })),
    ...diff.changed.map((c): SiteEdit => ({ op: 'change', siteId: c.siteId, fields: Object.fromEntries(c.fields.map((f) => [f.column, f.after])) })),
    ...diff.added.map((r): SiteEdit => ({ op: 'add', row: r })),
  ];
}

export const isEmptyDiff = (d: RowDiff) => d.added.length + d.changed.length + d.removed.length === 0;
