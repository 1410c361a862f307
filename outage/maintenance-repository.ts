import type { MaintenanceWindow } from '../core/incident.js';
import type { StateDb } from '../store/state-db.js';
import { migrateOutage } from './outage-schema.js';

type Row = Record<string, unknown>;

export interface DeletedWindow extends MaintenanceWindow {
  deletedAt: number;
  deletedBy: string;
  deletedReason: string;
}

function toWindow(r: Row): MaintenanceWindow {
  const scope: MaintenanceWindow['scope'] =
    r.scope_kind === 'site' ? { kind: 'site', siteId: r.scope_value as string } : { kind: 'carrier-group', carrierGroup: r.scope_value as string };
  return {
    id: r.id as string,
    scope,
    startsAt: r.starts_at as number,
    endsAt: r.ends_at as number,
    carrierNoticeRef: r.carrier_notice_ref as string,
    registeredAt: r.registered_at as number,
    registeredBy: r.registered_by as string,
  };
}

/**
 * Carrier maintenance windows. Deleting one keeps the row (who, when, why): a window that made
 * an outage `planned` must stay explainable after it is withdrawn.
 */
export class MaintenanceRepository {
  constructor(private readonly db: StateDb) {
    migrateOutage(db);
  }

  create(w: MaintenanceWindow): MaintenanceWindow {
    this.db
      .prepare(
        `INSERT INTO outage_maintenance_window (id, scope_kind, scope_value, starts_at, ends_at, carrier_notice_ref, registered_at, registered_by)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
      )
      .run(w.id, w.scope.kind, w.scope.kind === 'site' ? w.scope.siteId : w.scope.carrierGroup, w.startsAt, w.endsAt, w.carrierNoticeRef, w.registeredAt, w.registeredBy);
    return w;
  }

  get(id: string): (MaintenanceWindow & { deletedAt: number | null }) | null {
    const r = this.db.prepare('SELECT * FROM outage_maintenance_window WHERE id = ?').get(id) as Row | undefined;
    return r ? { ...toWindow(r), deletedAt: (r.deleted_at as number | null) ?? null } : null;
  }

  /** Marks a window withdrawn; null when there is no such live window. */
  delete(id: string, by: string, at: number, reason: string): DeletedWindow | null {
    const res = this.db
      .prepare('UPDATE outage_maintenance_window SET deleted_at = ?, deleted_by = ?, deleted_reason = ? WHERE id = ? AND deleted_at IS NULL')
      .run(at, by, reason, id);
    if (res.changes === 0) return null;
    return { ...this.get(id)!, deletedAt: at, deletedBy: by, deletedReason: reason };
  }

  /** Live windows overlapping [from, to), earliest first. */
  list(q: { from?: number; to?: number } = {}): MaintenanceWindow[] {
    const rows = this.db
      .prepare('SELECT * FROM outage_maintenance_window WHERE deleted_at IS NULL AND ends_at > ? AND starts_at < ? ORDER BY starts_at, id')
      .all(q.from ?? Number.MIN_SAFE_INTEGER, q.to ?? Number.MAX_SAFE_INTEGER) as Row[];
    return rows.map(toWindow);
  }
}
