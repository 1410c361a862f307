import { migrate, type StateDb } from '../store/state-db.js';
import type { Alert, Silence, SilenceMatch } from './alert.js';
import { OUTBOX_MIGRATIONS } from './delivery-outbox.js';

/**
 * Alerts and silences in the state db, so an alert open when demarc stops is continued after a
 * restart (not paged again, not lost). The alert is stored whole as JSON beside the columns the
 * history query filters on.
 */
const MIGRATIONS = [
  `CREATE TABLE alerts (
     id TEXT PRIMARY KEY, key TEXT NOT NULL, rule TEXT NOT NULL, status TEXT NOT NULL,
     created_at INTEGER NOT NULL, resolved_at INTEGER, data TEXT NOT NULL)`,
  'CREATE INDEX alerts_created ON alerts (created_at)',
  "CREATE INDEX alerts_open ON alerts (status) WHERE status <> 'resolved'",
  ...OUTBOX_MIGRATIONS,
  `CREATE TABLE alert_silences (
     id TEXT PRIMARY KEY, match TEXT NOT NULL, starts_at INTEGER NOT NULL, ends_at INTEGER NOT NULL,
     reason TEXT NOT NULL, created_by TEXT NOT NULL, created_at INTEGER NOT NULL,
     approved_by TEXT, approved_at INTEGER, deleted_by TEXT, deleted_at INTEGER)`,
];

export function migrateAlerts(db: StateDb): void {
  migrate(db, 'alerts', MIGRATIONS);
}

type Row = Record<string, unknown>;

/** What the alert history can be narrowed by (the console's filters). */
export interface AlertFilter {
  rule?: string;
  status?: Alert['status'];
  siteId?: string;
  acked?: boolean;
}

function historyWhere(from: number, to: number, f: AlertFilter): { where: string; args: unknown[] } {
  const where = ['created_at < ?', '(resolved_at IS NULL OR resolved_at >= ?)'];
  const args: unknown[] = [to, from];
  const add = (clause: string, ...values: unknown[]) => {
    where.push(clause);
    args.push(...values);
  };
  if (f.rule !== undefined) add('rule = ?', f.rule);
  if (f.status !== undefined) add('status = ?', f.status);
  // siteIds live in the JSON document; json_each keeps it one query without a join table.
  if (f.siteId !== undefined) add("EXISTS (SELECT 1 FROM json_each(data, '$.siteIds') WHERE value = ?)", f.siteId);
  if (f.acked !== undefined) add(f.acked ? "json_extract(data, '$.ackedAt') IS NOT NULL" : "json_extract(data, '$.ackedAt') IS NULL");
  return { where: where.join(' AND '), args };
}

function toSilence(r: Row): Silence {
  return {
    id: r.id as string,
    match: JSON.parse(r.match as string) as SilenceMatch,
    startsAt: r.starts_at as number,
    endsAt: r.ends_at as number,
    reason: r.reason as string,
    createdBy: r.created_by as string,
    createdAt: r.created_at as number,
    approvedBy: (r.approved_by as string | null) ?? null,
    approvedAt: (r.approved_at as number | null) ?? null,
    deletedBy: (r.deleted_by as string | null) ?? null,
    deletedAt: (r.deleted_at as number | null) ?? null,
  };
}

export class AlertRepository {
  constructor(private readonly db: StateDb) {
    migrateAlerts(db);
  }

  save(alerts: readonly Alert[]): void {
    if (!alerts.length) return;
    const upsert = this.db.prepare(
      `INSERT INTO alerts (id, key, rule, status, created_at, resolved_at, data) VALUES (?, ?, ?, ?, ?, ?, ?)
       ON CONFLICT (id) DO UPDATE SET status = excluded.status, resolved_at = excluded.resolved_at, data = excluded.data`,
    );
    this.db.transaction(() => {
      for (const a of alerts) upsert.run(a.id, a.key, a.rule, a.status, a.createdAt, a.resolvedAt, JSON.stringify(a));
    })();
  }

  open(): Alert[] {
    return (this.db.prepare("SELECT data FROM alerts WHERE status <> 'resolved' ORDER BY created_at").all() as { data: string }[]).map((r) => JSON.parse(r.data) as Alert);
  }

  get(id: string): Alert | null {
    const r = this.db.prepare('SELECT data FROM alerts WHERE id = ?').get(id) as { data: string } | undefined;
    return r ? (JSON.parse(r.data) as Alert) : null;
  }

  /** Alerts that were open at some moment of [from, to), newest first, narrowed by the filter. */
  history(from: number, to: number, limit: number, filter: AlertFilter = {}, offset = 0): Alert[] {
    const { where, args } = historyWhere(from, to, filter);
    return (
      this.db.prepare(`SELECT data FROM alerts WHERE ${where} ORDER BY created_at DESC, id LIMIT ? OFFSET ?`).all(...args, limit, offset) as { data: string }[]
    ).map((r) => JSON.parse(r.data) as Alert);
  }

  /** How many alerts `history` would page through. */
  historyCount(from: number, to: number, filter: AlertFilter = {}): number {
    const { where, args } = historyWhere(from, to, filter);
    return this.db.prepare(`SELECT COUNT(*) FROM alerts WHERE ${where}`).pluck().get(...args) as number;
  }

  addSilence(s: Silence): void {
    this.db
      .prepare('INSERT INTO alert_silences (id, match, starts_at, ends_at, reason, created_by, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)')
      .run(s.id, JSON.stringify(s.match), s.startsAt, s.endsAt, s.reason, s.createdBy, s.createdAt);
  }

  approveSilence(id: string, by: string, at: number): void {
    this.db.prepare('UPDATE alert_silences SET approved_by = ?, approved_at = ? WHERE id = ?').run(by, at, id);
  }

  deleteSilence(id: string, by: string, at: number): void {
    this.db.prepare('UPDATE alert_silences SET deleted_by = ?, deleted_at = ? WHERE id = ?').run(by, at, id);
  }

  silence(id: string): Silence | null {
    const r = this.db.prepare('SELECT * FROM alert_silences WHERE id = ?').get(id) as Row | undefined;
    return r ? toSilence(r) : null;
  }

  /** Silences not deleted and not expired before `at`. */
  liveSilences(at: number): Silence[] {
    return (this.db.prepare('SELECT * FROM alert_silences WHERE deleted_at IS NULL AND ends_at > ? ORDER BY starts_at').all(at) as Row[]).map(toSilence);
  }

  silences(q: { from: number; to: number }): Silence[] {
    return (this.db.prepare('SELECT * FROM alert_silences WHERE starts_at < ? AND ends_at >= ? ORDER BY created_at DESC').all(q.to, q.from) as Row[]).map(toSilence);
  }
}
