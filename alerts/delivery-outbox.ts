import { randomUUID } from 'node:crypto';
import type { StateDb } from '../store/state-db.js';
import type { Notification, NotificationKind } from './alert.js';
import type { AlertMessage } from './alert-message.js';
import type { AlertsConfig } from './config-schema.js';

/**
 * Every message waits in SQLite until a channel has taken it, so a restart or a receiver that is
 * down loses no page. Retries back off; after the last attempt the row is a dead letter, kept
 * for the API and the UI.
 */
export type DeliveryStatus = 'queued' | 'sent' | 'dead';

export interface Delivery {
  id: string;
  alertId: string;
  kind: NotificationKind;
  channelId: string;
  contactIds: string[];
  message: AlertMessage;
  status: DeliveryStatus;
  attempts: number;
  nextAttemptAt: number | null;
  lastError: string | null;
  createdAt: number;
  sentAt: number | null;
  deadAt: number | null;
}

export interface DeliveryStats {
  queued: number;
  dead: number;
  sentLastDay: number;
  deadLastDay: number;
  /** ISO-8601 UTC; null when nothing waits. */
  oldestQueuedAt: string | null;
}

export const OUTBOX_MIGRATIONS = [
  `CREATE TABLE alert_deliveries (
     id TEXT PRIMARY KEY, alert_id TEXT NOT NULL, kind TEXT NOT NULL, channel_id TEXT NOT NULL,
     contact_ids TEXT NOT NULL, message TEXT NOT NULL, status TEXT NOT NULL, attempts INTEGER NOT NULL,
     next_attempt_at INTEGER, last_error TEXT, created_at INTEGER NOT NULL, sent_at INTEGER, dead_at INTEGER)`,
  'CREATE INDEX alert_deliveries_due ON alert_deliveries (status, next_attempt_at)',
  'CREATE INDEX alert_deliveries_alert ON alert_deliveries (alert_id)',
  'CREATE INDEX alert_deliveries_dead ON alert_deliveries (dead_at) WHERE dead_at IS NOT NULL',
];

/**
 * Which channels carry a notification: each contact's channels, less the one a health alert is
 * about. A group robot or webhook gets one message naming everyone it reaches; an email goes to
 * each person. Nobody routed (or nobody reachable) → the log channel, so nothing vanishes.
 */
export function planDeliveries(n: Notification, cfg: Pick<AlertsConfig, 'contacts' | 'channels'>): { channelId: string; contactIds: string[] }[] {
  const channels = new Map(cfg.channels.map((c) => [c.id, c]));
  const contacts = new Map(cfg.contacts.map((c) => [c.id, c]));
  const byChannel = new Map<string, string[]>();
  for (const id of n.contactIds) {
    const c = contacts.get(id);
    if (!c) continue;
    let via = c.channels.filter((ch) => ch !== n.avoidChannel);
    if (!via.length) via = ['log'];
    for (const ch of via) byChannel.set(ch, [...(byChannel.get(ch) ?? []), id]);
  }
  if (!byChannel.size) return [{ channelId: 'log', contactIds: [] }];
  const out: { channelId: string; contactIds: string[] }[] = [];
  for (const [channelId, ids] of byChannel) {
    if (channels.get(channelId)?.type === 'email') for (const id of ids) out.push({ channelId, contactIds: [id] });
    else out.push({ channelId, contactIds: ids });
  }
  return out;
}

/** Seconds before attempt n+1 (n ≥ 1): backoff · factor^(n-1), capped. */
export function backoffMs(attempts: number, d: AlertsConfig['delivery']): number {
  return Math.min(d.maxBackoffSec, d.backoffSec * d.backoffFactor ** Math.max(0, attempts - 1)) * 1000;
}

type Row = Record<string, unknown>;

function toDelivery(r: Row): Delivery {
  return {
    id: r.id as string,
    alertId: r.alert_id as string,
    kind: r.kind as NotificationKind,
    channelId: r.channel_id as string,
    contactIds: JSON.parse(r.contact_ids as string) as string[],
    message: JSON.parse(r.message as string) as AlertMessage,
    status: r.status as DeliveryStatus,
    attempts: r.attempts as number,
    nextAttemptAt: (r.next_attempt_at as number | null) ?? null,
    lastError: (r.last_error as string | null) ?? null,
    createdAt: r.created_at as number,
    sentAt: (r.sent_at as number | null) ?? null,
    deadAt: (r.dead_at as number | null) ?? null,
  };
}

/** Tables are created by migrateAlerts (alert-repository.ts), which the stage runs first. */
export class DeliveryOutbox {
  constructor(
    private readonly db: StateDb,
    private readonly cfg: AlertsConfig['delivery'],
  ) {}

  enqueue(items: readonly { alertId: string; kind: NotificationKind; channelId: string; contactIds: string[]; message: AlertMessage }[], now: number): Delivery[] {
    const insert = this.db.prepare(
      `INSERT INTO alert_deliveries (id, alert_id, kind, channel_id, contact_ids, message, status, attempts, next_attempt_at, created_at)
       VALUES (?, ?, ?, ?, ?, ?, 'queued', 0, ?, ?)`,
    );
    const out: Delivery[] = [];
    this.db.transaction(() => {
      for (const it of items) {
        const id = `DLV-${randomUUID()}`;
        insert.run(id, it.alertId, it.kind, it.channelId, JSON.stringify(it.contactIds), JSON.stringify(it.message), now, now);
        out.push({ id, ...it, status: 'queued', attempts: 0, nextAttemptAt: now, lastError: null, createdAt: now, sentAt: null, deadAt: null });
      }
    })();
    return out;
  }

  due(now: number, limit = 200): Delivery[] {
    return (this.db.prepare("SELECT * FROM alert_deliveries WHERE status = 'queued' AND next_attempt_at <= ? ORDER BY created_at LIMIT ?").all(now, limit) as Row[]).map(toDelivery);
  }

  markSent(id: string, now: number): void {
    this.db.prepare("UPDATE alert_deliveries SET status = 'sent', attempts = attempts + 1, sent_at = ?, next_attempt_at = NULL WHERE id = ?").run(now, id);
  }

  /** Records a failed attempt; the answer says whether another attempt is scheduled. */
  markFailed(id: string, now: number, error: string): 'retry' | 'dead' {
    const row = this.db.prepare('SELECT attempts FROM alert_deliveries WHERE id = ?').get(id) as { attempts: number } | undefined;
    const attempts = (row?.attempts ?? 0) + 1;
    if (attempts >= this.cfg.attempts) {
      this.db.prepare("UPDATE alert_deliveries SET status = 'dead', attempts = ?, last_error = ?, dead_at = ?, next_attempt_at = NULL WHERE id = ?").run(attempts, error, now, id);
      return 'dead';
    }
    this.db.prepare('UPDATE alert_deliveries SET attempts = ?, last_error = ?, next_attempt_at = ? WHERE id = ?').run(attempts, error, now + backoffMs(attempts, this.cfg), id);
    return 'retry';
  }

  /** Sends a dead letter again from the first attempt (an operator's decision). */
  requeue(id: string, now: number): boolean {
    return this.db.prepare("UPDATE alert_deliveries SET status = 'queued', attempts = 0, next_attempt_at = ?, dead_at = NULL WHERE id = ? AND status = 'dead'").run(now, id).changes === 1;
  }

  deadLetters(q: { from?: number; to?: number; limit?: number } = {}): Delivery[] {
    return (
      this.db
        .prepare('SELECT * FROM alert_deliveries WHERE dead_at IS NOT NULL AND dead_at >= ? AND dead_at < ? ORDER BY dead_at DESC LIMIT ?')
        .all(q.from ?? 0, q.to ?? Number.MAX_SAFE_INTEGER, q.limit ?? 500) as Row[]
    ).map(toDelivery);
  }

  /** For /api/health: what waits to go out, what finally failed, what went out in the last day. */
  stats(now: number): DeliveryStats {
    const r = this.db
      .prepare(
        `SELECT SUM(status = 'queued') AS queued, SUM(status = 'dead') AS dead, SUM(status = 'sent' AND sent_at >= @day) AS sentLastDay,
                SUM(status = 'dead' AND dead_at >= @day) AS deadLastDay, MIN(CASE WHEN status = 'queued' THEN created_at END) AS oldestQueued
           FROM alert_deliveries`,
      )
      .get({ day: now - 86_400_000 }) as { queued: number | null; dead: number | null; sentLastDay: number | null; deadLastDay: number | null; oldestQueued: number | null };
    return {
      queued: r.queued ?? 0,
      dead: r.dead ?? 0,
      sentLastDay: r.sentLastDay ?? 0,
      deadLastDay: r.deadLastDay ?? 0,
      oldestQueuedAt: r.oldestQueued === null ? null : new Date(r.oldestQueued).toISOString(),
    };
  }

  forAlerts(alertIds: readonly string[]): Delivery[] {
    if (!alertIds.length) return [];
    const out: Delivery[] = [];
    // SQLite caps bound parameters; ask in slices.
    for (let i = 0; i < alertIds.length; i += 500) {
      const slice = alertIds.slice(i, i + 500);
      const rows = this.db.prepare(`SELECT * FROM alert_deliveries WHERE alert_id IN (${slice.map(() => '?').join(',')}) ORDER BY created_at`).all(...slice) as Row[];
      out.push(...rows.map(toDelivery));
    }
    return out;
  }
}
