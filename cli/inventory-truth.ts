import Database from 'better-sqlite3';
import { existsSync } from 'node:fs';
import type { SiteRow } from '../config/inventory.js';
import type { DemarcConfig } from '../config/load.js';
import { siteToRow } from '../config/site-row.js';
import { diffRows, isEmptyDiff } from '../inventory/site-edits.js';

/**
 * `check-config`'s word on the source of truth: once the state db holds an inventory, the file
 * is only its bootstrap and an export, so say whether (and how) the two differ. The db is read
 * read-only and untouched, so this is safe next to a running demarc.
 */
export function describeDbInventory(c: DemarcConfig): string {
  if (!existsSync(c.state.path)) return `  inventory: the state db ${c.state.path} does not exist yet; demarc will import this file at its first start\n`;
  let rows: SiteRow[] | null = null;
  const db = new Database(c.state.path, { readonly: true, fileMustExist: true });
  try {
    const has = db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'inventory_site'").get();
    if (has) rows = (db.prepare('SELECT row FROM inventory_site ORDER BY position').all() as { row: string }[]).map((r) => JSON.parse(r.row) as SiteRow);
  } finally {
    db.close();
  }
  if (!rows || rows.length === 0) return `  inventory: the state db holds none yet; demarc will import this file at its next start\n`;
  const d = diffRows(rows, c.inventory.sites.map(siteToRow));
  if (isEmptyDiff(d)) return `  inventory: the state db holds ${rows.length} sites, the same as this file\n`;
  const ids = (xs: { site_id?: string }[] | { siteId: string }[]) => xs.slice(0, 10).map((x) => ('siteId' in x ? x.siteId : x.site_id)).join(', ');
  return (
    `  inventory: the state db (the source of truth, ${rows.length} sites) differs from this file:\n` +
    (d.added.length ? `    only in the file: ${d.added.length} (${ids(d.added)})\n` : '') +
    (d.changed.length ? `    changed in the file: ${d.changed.length} (${ids(d.changed)})\n` : '') +
    (d.removed.length ? `    only in the db: ${d.removed.length} (${ids(d.removed)})\n` : '') +
    `    the file is not applied by itself: import it through the API (POST /api/inventory/import, then a second person approves), or export the db's (GET /api/inventory/sites/export)\n`
  );
}
