import { createHash } from 'node:crypto';
import type { SiteRow } from '../config/inventory.js';
import { migrate, type StateDb } from '../store/state-db.js';
import type { RowDiff, SiteEdit } from './site-edits.js';

/**
 * The inventory's source of truth once edits exist: the state db's `inventory_site` table, one
 * row per site in the sites.csv format (normal form, config/site-row.ts). sites.csv is only the
 * bootstrap (imported when the table is empty) and an export format. Proposals wait in
 * `inventory_edit` until a second person approves or rejects them.
 */
export type EditState = 'proposed' | 'applied' | 'rejected';

export interface EditProposal {
  id: number;
  /** 'edit': through the API's forms; 'import': a whole CSV/XLSX file. */
  kind: 'edit' | 'import';
  /** The imported file's name, or null. */
  source: string | null;
  reason: string;
  edits: SiteEdit[];
  diff: RowDiff;
  /** Fingerprint of the inventory the proposal was made against: approving it on a changed inventory is refused. */
  base: string;
  state: EditState;
  proposedBy: string;
  proposedAt: number;
  decidedBy: string | null;
  decidedAt: number | null;
  note: string | null;
}

const MIGRATIONS = [
  `CREATE TABLE inventory_site (site_id TEXT PRIMARY KEY, position INTEGER NOT NULL, row TEXT NOT NULL);
   CREATE TABLE inventory_edit (
     id INTEGER PRIMARY KEY AUTOINCREMENT, kind TEXT NOT NULL, source TEXT, reason TEXT NOT NULL, edits TEXT NOT NULL, diff TEXT NOT NULL,
     base TEXT NOT NULL, state TEXT NOT NULL, proposed_by TEXT NOT NULL, proposed_at INTEGER NOT NULL,
     decided_by TEXT, decided_at INTEGER, note TEXT);
   CREATE INDEX inventory_edit_state ON inventory_edit (state, proposed_at);`,
];

interface EditRow {
  id: number; kind: 'edit' | 'import'; source: string | null; reason: string; edits: string; diff: string; base: string; state: EditState;
  proposed_by: string; proposed_at: number; decided_by: string | null; decided_at: number | null; note: string | null;
}

/** Order-sensitive fingerprint of the inventory rows. */
export const fingerprint = (rows: readonly SiteRow[]) => createHash('sha256').update(JSON.stringify(rows)).digest('hex').slice(0, 16);

export class SiteBook {
  constructor(private readonly db: StateDb) {
    migrate(db, 'inventory-sites', MIGRATIONS);
  }

  rows(): SiteRow[] {
    return (this.db.prepare('SELECT row FROM inventory_site ORDER BY position').all() as { row: string }[]).map((r) => JSON.parse(r.row) as SiteRow);
  }

  isEmpty(): boolean {
    return this.db.prepare('SELECT 1 FROM inventory_site LIMIT 1').get() === undefined;
  }

  /** Replaces the whole inventory (bootstrap, an applied proposal) in one transaction. */
  replace(rows: readonly SiteRow[]): void {
    this.db.transaction(() => {
      this.db.prepare('DELETE FROM inventory_site').run();
      const insert = this.db.prepare('INSERT INTO inventory_site (site_id, position, row) VALUES (?, ?, ?)');
      rows.forEach((r, i) => insert.run(r.site_id, i, JSON.stringify(r)));
    })();
  }

  addProposal(p: Omit<EditProposal, 'id' | 'state' | 'decidedBy' | 'decidedAt' | 'note'>): EditProposal {
    const info = this.db
      .prepare("INSERT INTO inventory_edit (kind, source, reason, edits, diff, base, state, proposed_by, proposed_at) VALUES (?, ?, ?, ?, ?, ?, 'proposed', ?, ?)")
      .run(p.kind, p.source, p.reason, JSON.stringify(p.edits), JSON.stringify(p.diff), p.base, p.proposedBy, p.proposedAt);
    return this.proposal(Number(info.lastInsertRowid))!;
  }

  decide(id: number, state: 'applied' | 'rejected', by: string, at: number, note: string | null): void {
    this.db.prepare("UPDATE inventory_edit SET state = ?, decided_by = ?, decided_at = ?, note = ? WHERE id = ? AND state = 'proposed'").run(state, by, at, note, id);
  }

  proposal(id: number): EditProposal | null {
    const r = this.db.prepare('SELECT * FROM inventory_edit WHERE id = ?').get(id) as EditRow | undefined;
    return r ? toProposal(r) : null;
  }

  proposals(state?: EditState, limit = 200): EditProposal[] {
    return (this.db.prepare('SELECT * FROM inventory_edit WHERE (? IS NULL OR state = ?) ORDER BY id DESC LIMIT ?').all(state ?? null, state ?? null, limit) as EditRow[]).map(toProposal);
  }

  /** Runs fn in one transaction (an approval: decide and replace together). */
  atomically<T>(fn: () => T): T {
    return this.db.transaction(fn)();
  }
}

function toProposal(r: EditRow): EditProposal {
  return {
    id: r.id, kind: r.kind, source: r.source, reason: r.reason, edits: JSON.parse(r.edits) as SiteEdit[], diff: JSON.parse(r.diff) as RowDiff, base: r.base,
    state: r.state, proposedBy: r.proposed_by, proposedAt: r.proposed_at, decidedBy: r.decided_by, decidedAt: r.decided_at, note: r.note,
  };
}
