import { randomBytes } from 'node:crypto';
import type { Clock } from '../core/clock.js';
import { Secret } from '../core/secret.js';
import { migrate, type StateDb } from '../store/state-db.js';
import { GENESIS, keyedHash, verifyChain, type ChainPoint, type ChainRow, type ChainVerdict } from './audit-chain.js';

/**
 * The operation log the security annex asks for (items 9 and 11): who did what, when, to
 * what, from where, and what it was before and after. Entries form a keyed hash chain
 * (audit-chain.ts): an edited row, a row written without the key, and, with the anchors kept
 * outside the db (audit-anchor.ts), a deleted tail are all found by `check()`.
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

export interface AuditQuery {
  from?: number;
  to?: number;
  actor?: string;
  /** An exact action, or a prefix ending in '.' or '*' ('incident.' matches incident.*). */
  action?: string;
  target?: string;
  limit?: number;
  offset?: number;
}

type Row = { seq: number; at: number; actor: string; action: string; target: string; detail: string; prev_hash: string; hash: string; alg: string };

export class AuditLog {
  private readonly key: Secret;

  /**
   * `key` is the chain's HMAC key (config or key file, never the db). Without one the log
   * keys itself with a random key that dies with the process: only for a log nobody reopens.
   */
  constructor(
    private readonly db: StateDb,
    private readonly clock: Clock,
    key?: Secret,
  ) {
    this.key = key ?? new Secret(randomBytes(32).toString('hex'));
    migrate(db, 'audit', [
      `CREATE TABLE audit_log (
         seq INTEGER PRIMARY KEY, at INTEGER NOT NULL, actor TEXT NOT NULL, action TEXT NOT NULL,
         target TEXT NOT NULL, detail TEXT NOT NULL, prev_hash TEXT NOT NULL, hash TEXT NOT NULL)`,
      // Rows from before the key are 'sha256' and stay verifiable as the chain's prefix.
      `ALTER TABLE audit_log ADD COLUMN alg TEXT NOT NULL DEFAULT 'sha256'`,
      `CREATE INDEX audit_log_at ON audit_log (at)`,
    ]);
  }

  record(actor: string, action: string, target: string, detail: Record<string, unknown> = {}): AuditEntry {
    return this.db.transaction(() => {
      const last = this.db.prepare('SELECT seq, hash FROM audit_log ORDER BY seq DESC LIMIT 1').get() as { seq: number; hash: string } | undefined;
      const detailText = JSON.stringify(detail);
      const base = { seq: (last?.seq ?? 0) + 1, at: this.clock.now(), actor, action, target, detailText, prevHash: last?.hash ?? GENESIS };
      const hash = keyedHash(this.key, base);
      this.db
        .prepare(`INSERT INTO audit_log (seq, at, actor, action, target, detail, prev_hash, hash, alg) VALUES (?, ?, ?, ?, ?, ?, ?, ?, 'hmac-sha256')`)
        .run(base.seq, base.at, actor, action, target, detailText, base.prevHash, hash);
      return { seq: base.seq, at: base.at, actor, action, target, detail: JSON.parse(detailText) as Record<string, unknown>, prevHash: base.prevHash, hash };
    })();
  }

  private where(q: AuditQuery): { sql: string; args: unknown[] } {
    const conds = ['at >= ?', 'at < ?'];
    const args: unknown[] = [q.from ?? 0, q.to ?? Number.MAX_SAFE_INTEGER];
    if (q.actor !== undefined) (conds.push('actor = ?'), args.push(q.actor));
    if (q.target !== undefined) (conds.push('target = ?'), args.push(q.target));
    if (q.action !== undefined) {
      if (/[.*]$/.test(q.action)) {
        conds.push(`action LIKE ? ESCAPE '\\'`);
        args.push(q.action.replace(/\*$/, '').replace(/[\\%_]/g, (c) => `\\${c}`) + '%');
      } else (conds.push('action = ?'), args.push(q.action));
    }
    return { sql: conds.join(' AND '), args };
  }

  list(q: AuditQuery = {}): AuditEntry[] {
    const w = this.where(q);
    const rows = this.db.prepare(`SELECT * FROM audit_log WHERE ${w.sql} ORDER BY seq LIMIT ? OFFSET ?`).all(...w.args, q.limit ?? 1000, q.offset ?? 0) as Row[];
    return rows.map(toEntry);
  }

  count(q: AuditQuery = {}): number {
    const w = this.where(q);
    return (this.db.prepare(`SELECT COUNT(*) AS n FROM audit_log WHERE ${w.sql}`).get(...w.args) as { n: number }).n;
  }

  head(): ChainPoint | null {
    const r = this.db.prepare('SELECT seq, hash FROM audit_log ORDER BY seq DESC LIMIT 1').get() as ChainPoint | undefined;
    return r ?? null;
  }

  /**
   * Verifies the chain against the key and the anchors kept outside the db. `from` resumes
   * at an anchored point (the periodic check), instead of walking the whole table.
   */
  check(opts: { from?: ChainPoint | null; anchors?: readonly ChainPoint[] } = {}): ChainVerdict {
    // From the last row at or before the resume point, so a table cut short there says where it ends.
    const rows = this.db
      .prepare('SELECT * FROM audit_log WHERE seq >= (SELECT COALESCE(MAX(seq), 0) FROM audit_log WHERE seq <= ?) ORDER BY seq')
      .iterate(opts.from?.seq ?? 0) as Iterable<Row>;
    return verifyChain(mapRows(rows), this.key, opts);
  }

  /** The first broken sequence number, or ok (the chain alone; see check() for anchors). */
  verify(): { ok: true } | { ok: false; brokenAt: number; reason: string } {
    const v = this.check();
    return v.ok ? { ok: true } : { ok: false, brokenAt: v.brokenAt, reason: v.reason };
  }
}

function* mapRows(rows: Iterable<Row>): Iterable<ChainRow> {
  for (const r of rows) {
    yield { seq: r.seq, at: r.at, actor: r.actor, action: r.action, target: r.target, detailText: r.detail, prevHash: r.prev_hash, hash: r.hash, alg: r.alg === 'hmac-sha256' ? 'hmac-sha256' : 'sha256' };
  }
}

function toEntry(r: Row): AuditEntry {
  let detail: Record<string, unknown>;
  try {
    detail = JSON.parse(r.detail) as Record<string, unknown>;
  } catch {
    detail = { unreadable: r.detail };
  }
  return { seq: r.seq, at: r.at, actor: r.actor, action: r.action, target: r.target, detail, prevHash: r.prev_hash, hash: r.hash };
}
