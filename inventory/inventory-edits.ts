import type { Clock } from '../core/clock.js';
import { DomainError } from '../core/domain-error.js';
import type { Site } from '../core/inventory.js';
import type { User } from '../core/user.js';
import type { AuditLog } from '../audit/audit-log.js';
import { ConfigError } from '../config/config-error.js';
import { validateSiteRows, type SiteRow } from '../config/inventory.js';
import { siteToRow } from '../config/site-row.js';
import type { StateDb } from '../store/state-db.js';
import { readInventoryFile, type InventoryFormat } from './inventory-files.js';
import { fingerprint, SiteBook, type EditProposal } from './site-book.js';
import { applyEdits, diffRows, editsOf, isEmptyDiff, type RowDiff, type SiteEdit } from './site-edits.js';

/** One thing wrong with an edit or an imported file: the row (file row, or edit position), the site and the field. */
export interface EditIssue {
  row: number | null;
  siteId: string | null;
  field: string;
  reason: string;
}

/** An edit or import refused, with every problem named; nothing was stored or applied. */
export class InventoryEditRefused extends DomainError {
  constructor(message: string, readonly issues: EditIssue[]) {
    super('invalid', `${message}: ${issues.slice(0, 5).map((i) => `${i.row === null ? '' : `row ${i.row}, `}${i.siteId ? `site ${i.siteId}, ` : ''}${i.field}: ${i.reason}`).join('; ')}${issues.length > 5 ? `; and ${issues.length - 5} more` : ''}`, issues[0]?.field ?? null);
  }
}

export interface InventoryEditsDeps {
  db: StateDb;
  clock: Clock;
  audit: Pick<AuditLog, 'record'>;
  /** The SNMP profiles of demarc.yaml: an edit naming another is refused. */
  profiles: ReadonlySet<string>;
}

/**
 * Additions, changes and deletions of the inventory by roles, never by one person alone
 * (security annex 11): an edit or an import is validated exactly as sites.csv is, stored as a
 * proposal with its diff, and applied only when a different person approves it. Every step is
 * audited. What happens after an apply (the pipeline restarting on the new inventory) is the
 * caller's (`onDecision`).
 */
export class InventoryEdits {
  readonly book: SiteBook;
  private listeners: ((p: EditProposal) => void)[] = [];

  constructor(private readonly deps: InventoryEditsDeps) {
    this.book = new SiteBook(deps.db);
  }

  /** Called after a proposal is stored, applied or rejected (the pipeline emits it and, on apply, restarts). */
  onDecision(fn: (p: EditProposal) => void): void {
    this.listeners.push(fn);
  }

  private tell(p: EditProposal): EditProposal {
    for (const fn of this.listeners) fn(p);
    return p;
  }

  /**
   * At start-up: an empty db takes the file's sites (the bootstrap); after that the db is the
   * truth and the file is only compared with it. Returns the db's inventory and how the file differs.
   */
  bootstrap(fileSites: readonly Site[]): { sites: Site[]; imported: boolean; fileDiffers: RowDiff } {
    const fileRows = fileSites.map(siteToRow);
    const imported = this.book.isEmpty();
    if (imported) {
      this.book.replace(fileRows);
      this.deps.audit.record('demarc', 'inventory.bootstrap', 'inventory', { sites: fileRows.length });
    }
    const sites = this.sites();
    return { sites, imported, fileDiffers: diffRows(sites.map(siteToRow), fileRows) };
  }

  /** The inventory the db holds, validated as sites.csv is (a profile since removed from demarc.yaml stops start-up, named). */
  sites(): Site[] {
    const rows = this.book.rows();
    const { inventory, problems } = validateSiteRows(rows.map((values, i) => ({ row: i + 1, values })), 'state db inventory (inventory_site)', this.deps.profiles);
    if (!inventory) throw new ConfigError(problems);
    return inventory.sites;
  }

  /** What the edits would do, validated; throws InventoryEditRefused naming each problem. */
  preview(edits: readonly SiteEdit[]): { diff: RowDiff; rows: SiteRow[] } {
    const current = this.book.rows();
    const applied = applyEdits(current, edits);
    const issues: EditIssue[] = applied.problems.map((p) => ({ row: p.edit + 1, siteId: p.siteId, field: p.field, reason: p.reason }));
    if (issues.length) throw new InventoryEditRefused('the edit cannot be applied', issues);
    const checked = validateSiteRows(applied.rows.map((values, i) => ({ row: i + 1, values })), 'edit', this.deps.profiles);
    if (!checked.inventory) {
      throw new InventoryEditRefused('the edit would leave the inventory invalid', checked.problems.map((p) => ({ row: null, siteId: p.row === null ? null : (applied.rows[p.row - 1]?.site_id ?? null), field: p.where, reason: p.reason })));
    }
    const rows = checked.inventory.sites.map(siteToRow);
    const diff = diffRows(current, rows);
    if (isEmptyDiff(diff)) throw new InventoryEditRefused('nothing to propose', [{ row: null, siteId: null, field: 'edits', reason: 'the inventory already holds exactly this' }]);
    return { diff, rows };
  }

  propose(edits: readonly SiteEdit[], by: User, reason: string): EditProposal {
    return this.store('edit', null, editsOf(this.preview(edits).diff), by, reason);
  }

  /**
   * An imported file is the whole inventory: sites it lacks are removed. A row with errors is
   * listed with its row and column and nothing is proposed. `dryRun` returns the diff only.
   */
  async importFile(data: Buffer, format: InventoryFormat, fileName: string, by: User, reason: string, dryRun: boolean): Promise<{ diff: RowDiff; proposal: EditProposal | null }> {
    const read = await readInventoryFile(data, format, fileName);
    const checked = read.rows ? validateSiteRows(read.rows, fileName, this.deps.profiles) : null;
    const problems = [...read.problems, ...(checked?.problems ?? [])];
    if (problems.length || !checked?.inventory) {
      this.deps.audit.record(by.id, 'inventory.import-refused', fileName, { problems: problems.length, first: problems.slice(0, 20) });
      throw new InventoryEditRefused(`${fileName} has ${problems.length} problem(s); nothing was applied`, problems.map((p) => ({ row: p.row, siteId: null, field: p.where, reason: p.reason })));
    }
    const diff = diffRows(this.book.rows(), checked.inventory.sites.map(siteToRow));
    if (dryRun) return { diff, proposal: null };
    if (isEmptyDiff(diff)) throw new InventoryEditRefused('nothing to propose', [{ row: null, siteId: null, field: 'file', reason: `${fileName} holds exactly the current inventory` }]);
    return { diff, proposal: this.store('import', fileName, editsOf(diff), by, reason) };
  }

  approve(id: number, by: User): { proposal: EditProposal; sites: Site[] } {
    const p = this.pending(id);
    if (p.proposedBy === by.id) throw new DomainError('forbidden', `${by.id} proposed inventory change ${id} and cannot also approve it: a second person must (security annex item 11)`);
    const current = this.book.rows();
    if (fingerprint(current) !== p.base) throw new DomainError('conflict', `the inventory changed since proposal ${id} was made; reject it and propose again`);
    const { rows } = this.preview(p.edits);
    const now = this.deps.clock.now();
    this.book.atomically(() => {
      this.book.replace(rows);
      this.book.decide(id, 'applied', by.id, now, null);
      this.deps.audit.record(by.id, 'inventory.approve', `inventory-edit:${id}`, { proposedBy: p.proposedBy, kind: p.kind, source: p.source, ...counts(p.diff), diff: p.diff });
    });
    const sites = this.sites();
    return { proposal: this.tell(this.book.proposal(id)!), sites };
  }

  reject(id: number, by: User, note: string): EditProposal {
    const p = this.pending(id);
    this.book.atomically(() => {
      this.book.decide(id, 'rejected', by.id, this.deps.clock.now(), note);
      this.deps.audit.record(by.id, 'inventory.reject', `inventory-edit:${id}`, { proposedBy: p.proposedBy, note });
    });
    return this.tell(this.book.proposal(id)!);
  }

  private pending(id: number): EditProposal {
    const p = this.book.proposal(id);
    if (!p) throw new DomainError('not-found', `no inventory proposal ${id}`);
    if (p.state !== 'proposed') throw new DomainError('conflict', `inventory proposal ${id} was ${p.state} already (by ${p.decidedBy})`);
    return p;
  }

  private store(kind: 'edit' | 'import', source: string | null, edits: SiteEdit[], by: User, reason: string): EditProposal {
    const current = this.book.rows();
    const { diff } = this.preview(edits);
    const p = this.book.addProposal({ kind, source, reason, edits, diff, base: fingerprint(current), proposedBy: by.id, proposedAt: this.deps.clock.now() });
    this.deps.audit.record(by.id, 'inventory.propose', `inventory-edit:${p.id}`, { kind, source, reason, ...counts(diff), diff });
    return this.tell(p);
  }
}

export const counts = (d: RowDiff) => ({ added: d.added.length, changed: d.changed.length, removed: d.removed.length });
