import { createHash } from 'node:crypto';
import type { Clock } from '../core/clock.js';
import { migrate, type StateDb } from '../store/state-db.js';

/**
 * The operation log the security annex asks for (items 9 and 11): who did what, when, to
 * what, and why. Entries are hash-chained: each stores the SHA-256 of its own content plus
 * the previous entry's hash, so an edited or deleted row breaks `verify()`.
 */
export interface AuditEntry {
  seq: number;
  at: number;
  actor: string;
  action: string;
  target: string;
  detail: Record<string, unknown>;
  prevHash: string;
  hash: string;
}

const GENESIS = '0'.repeat(64);

function entryHash(e: Omit<AuditEntry, 'hash'>): string {
  return createHash('sha256')
    .update(JSON.stringify([e.seq, e.at, e.actor, e.action, e.target, e.detail, e.prevHash]))
    .digest('hex');
}

export class AuditLog {
  constructor(
    private readonly db: StateDb,
    private readonly clock: Clock,
  ) {
    migrate(db, 'audit', [
      `CREATE TABLE audit_log (
         seq INTEGER PRIMARY KEY, at INTEGER NOT NULL, actor TEXT NOT NULL, action TEXT NOT NULL,
         target TEXT NOT NULL, detail TEXT NOT NULL, prev_hash TEXT NOT NULL, hash TEXT NOT NULL)`,
    ]);
  }

  record(actor: string, action: string, target: string, detail: Record<string, unknown> = {}): AuditEntry {
    return this.db.transaction(() => {
      const last = this.db.prepare('SELECT seq, hash FROM audit_log ORDER BY seq DESC LIMIT 1').get() as { seq: number; hash: string } | undefined;
      const base = { seq: (last?.seq ?? 0) + 1, at: this.clock.now(), actor, action, target, detail, prevHash: last?.hash ?? GENESIS };
      const entry: AuditEntry = { ...base, hash: entryHash(base) };
      this.db
        .prepare('INSERT INTO audit_log (seq, at, actor, action, target, detail, prev_hash, hash) VALUES (?, ?, ?, ?, ?, ?, ?, ?)')
        .run(entry.seq, entry.at, actor, action, target, JSON.stringify(detail), entry.prevHash, entry.hash);
      return entry;
    })();
  }

  list(q: { from?: number; to?: number; limit?: number } = {}): AuditEntry[] {
    const rows = this.db
      .prepare('SELECT * FROM audit_log WHERE at >= ? AND at < ? ORDER BY seq LIMIT ?')
      .all(q.from ?? 0, q.to ?? Number.MAX_SAFE_INTEGER, q.limit ?? 1000) as Record<string, unknown>[];
    return rows.map(toEntry);
  }

  /** Recomputes the chain; returns the first broken sequence number, or null when intact. */
  verify(): { ok: true } | { ok: false; brokenAt: number; reason: string } {
    let prev = GENESIS;
    let expectedSeq = 1;
    for (const row of this.db.prepare('SELECT * FROM audit_log ORDER BY seq').iterate() as Iterable<Record<string, unknown>>) {
      const e = toEntry(row);
      if (e.seq !== expectedSeq) return { ok: false, brokenAt: expectedSeq, reason: 'entry missing' };
      if (e.prevHash !== prev) return { ok: false, brokenAt: e.seq, reason: 'previous hash does not match' };
      const { hash, ...base } = e;
      if (entryHash(base) !== hash) return { ok: false, brokenAt: e.seq, reason: 'entry content changed' };
      prev = hash;
      expectedSeq++;
    }
    return { ok: true };
  }
}

function toEntry(r: Record<string, unknown>): AuditEntry {
  return {
    seq: r.seq as number,
    at: r.at as number,
    actor: r.actor as string,
    action: r.action as string,
    target: r.target as string,
    detail: JSON.parse(r.detail as string) as Record<string, unknown>,
    prevHash: r.prev_hash as string,
    hash: r.hash as string,
  };
}
