import { migrate, type StateDb } from '../store/state-db.js';
import type { DeviceFacts, DeviceRole, Discovery } from './device-facts.js';
import type { InventoryChange, InventoryChangeKind } from './inventory-diff.js';

/** A device as stored: its last good facts, when they were read, and what the last attempt missed. */
export interface StoredDevice {
  id: string;
  role: DeviceRole;
  siteId: string | null;
  endpoint: string;
  facts: DeviceFacts | null;
  /** Last discovery that read at least the system group. */
  discoveredAt: number | null;
  attemptedAt: number;
  gaps: string[];
}

export interface StoredChange extends InventoryChange {
  id: number;
}

const MIGRATIONS = [
  `CREATE TABLE inventory_device (
     id TEXT PRIMARY KEY, role TEXT NOT NULL, site_id TEXT, endpoint TEXT NOT NULL,
     facts TEXT, discovered_at INTEGER, attempted_at INTEGER NOT NULL, gaps TEXT NOT NULL
   );
   CREATE TABLE inventory_change (
     id INTEGER PRIMARY KEY AUTOINCREMENT, at INTEGER NOT NULL, device_id TEXT NOT NULL, site_id TEXT,
     kind TEXT NOT NULL, subject TEXT NOT NULL, before TEXT, after TEXT, detail TEXT NOT NULL
   );
   CREATE INDEX inventory_change_at ON inventory_change (at);
   CREATE INDEX inventory_change_device ON inventory_change (device_id, at);`,
];

interface DeviceRow { id: string; role: DeviceRole; site_id: string | null; endpoint: string; facts: string | null; discovered_at: number | null; attempted_at: number; gaps: string }
interface ChangeRow { id: number; at: number; device_id: string; site_id: string | null; kind: InventoryChangeKind; subject: string; before: string | null; after: string | null; detail: string }

const parse = (s: string | null): unknown => (s === null ? null : JSON.parse(s));

/** The inventory's tables in the state db: the facts of each device and the history of changes. */
export class InventoryRepository {
  constructor(private readonly db: StateDb) {
    migrate(db, 'inventory', MIGRATIONS);
  }

  device(id: string): StoredDevice | null {
    const r = this.db.prepare('SELECT * FROM inventory_device WHERE id = ?').get(id) as DeviceRow | undefined;
    return r ? this.toDevice(r) : null;
  }

  devices(): StoredDevice[] {
    return (this.db.prepare('SELECT * FROM inventory_device ORDER BY id').all() as DeviceRow[]).map((r) => this.toDevice(r));
  }

  /** Stores a discovery and its changes in one transaction; returns the changes with their ids. */
  save(d: Discovery, device: { role: DeviceRole; siteId: string | null; endpoint: string }, changes: readonly InventoryChange[]): StoredChange[] {
    return this.db.transaction(() => {
      const prev = this.device(d.deviceId);
      const anyRead = d.read.system || d.read.entities || d.read.interfaces;
      this.db
        .prepare(
          `INSERT INTO inventory_device (id, role, site_id, endpoint, facts, discovered_at, attempted_at, gaps) VALUES (?, ?, ?, ?, ?, ?, ?, ?)
           ON CONFLICT (id) DO UPDATE SET role = excluded.role, site_id = excluded.site_id, endpoint = excluded.endpoint, facts = excluded.facts,
             discovered_at = excluded.discovered_at, attempted_at = excluded.attempted_at, gaps = excluded.gaps`,
        )
        .run(d.deviceId, device.role, device.siteId, device.endpoint, JSON.stringify(d.facts), anyRead ? d.at : (prev?.discoveredAt ?? null), d.at, JSON.stringify(d.gaps));
      const insert = this.db.prepare('INSERT INTO inventory_change (at, device_id, site_id, kind, subject, before, after, detail) VALUES (?, ?, ?, ?, ?, ?, ?, ?)');
      return changes.map((c) => {
        const info = insert.run(c.at, c.deviceId, c.siteId, c.kind, c.subject, JSON.stringify(c.before ?? null), JSON.stringify(c.after ?? null), c.detail);
        return { ...c, id: Number(info.lastInsertRowid) };
      });
    })();
  }

  changes(q: { from?: number; to?: number; deviceId?: string; limit?: number }): StoredChange[] {
    const rows = this.db
      .prepare(
        `SELECT * FROM inventory_change WHERE at >= ? AND at < ? AND (? IS NULL OR device_id = ?) ORDER BY at DESC, id DESC LIMIT ?`,
      )
      .all(q.from ?? 0, q.to ?? Number.MAX_SAFE_INTEGER, q.deviceId ?? null, q.deviceId ?? null, q.limit ?? 1000) as ChangeRow[];
    return rows.map((r) => ({
      id: r.id, at: r.at, deviceId: r.device_id, siteId: r.site_id, kind: r.kind, subject: r.subject, before: parse(r.before), after: parse(r.after), detail: r.detail,
    }));
  }

  private toDevice(r: DeviceRow): StoredDevice {
    return {
      id: r.id, role: r.role, siteId: r.site_id, endpoint: r.endpoint, facts: parse(r.facts) as DeviceFacts | null,
      discoveredAt: r.discovered_at, attemptedAt: r.attempted_at, gaps: parse(r.gaps) as string[],
    };
  }
}
