import { migrate, type StateDb } from '../store/state-db.js';

/** The outage stage's tables in the state db; both repositories run this (it is idempotent). */
export function migrateOutage(db: StateDb): void {
  migrate(db, 'outage', [
    `CREATE TABLE outage_incident (
       id TEXT PRIMARY KEY,
       site_id TEXT,
       circuit_id TEXT,
       kind TEXT NOT NULL CHECK (kind IN ('outage', 'monitoring-gap')),
       started_at INTEGER NOT NULL,
       ended_at INTEGER,
       responsibility TEXT NOT NULL CHECK (responsibility IN ('line', 'device', 'planned', 'external', 'monitoring', 'undetermined')),
       verdict TEXT NOT NULL CHECK (verdict IN ('provisional', 'final')),
       rule TEXT NOT NULL,
       flaps INTEGER NOT NULL DEFAULT 0,
       group_event_id TEXT,
       maintenance_window_id TEXT,
       carrier_reported_at INTEGER,
       carrier_responded_at INTEGER,
       evidence TEXT NOT NULL,
       corrections TEXT NOT NULL,
       facts TEXT NOT NULL,
       updated_at INTEGER NOT NULL,
       CHECK (ended_at IS NULL OR ended_at >= started_at))`,
    `CREATE INDEX outage_incident_site ON outage_incident (site_id, started_at)`,
    `CREATE INDEX outage_incident_started ON outage_incident (started_at)`,
    `CREATE INDEX outage_incident_open ON outage_incident (ended_at) WHERE ended_at IS NULL`,
    `CREATE TABLE outage_maintenance_window (
       id TEXT PRIMARY KEY,
       scope_kind TEXT NOT NULL CHECK (scope_kind IN ('site', 'carrier-group')),
       scope_value TEXT NOT NULL,
       starts_at INTEGER NOT NULL,
       ends_at INTEGER NOT NULL,
       carrier_notice_ref TEXT NOT NULL,
       registered_at INTEGER NOT NULL,
       registered_by TEXT NOT NULL,
       deleted_at INTEGER,
       deleted_by TEXT,
       deleted_reason TEXT,
       CHECK (ends_at > starts_at))`,
    `CREATE TABLE outage_meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)`,
  ]);
}
