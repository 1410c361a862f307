import Database from 'better-sqlite3';
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { StateDbError, checkBeforeOpen, checkOpened, whatToDo } from './state-integrity.js';

export type StateDb = Database.Database;

/**
 * The SQLite file that holds demarc's state (incidents, maintenance windows, alerts,
 * report archive, audit log). Samples live in the MetricStore, not here.
 */
export function openStateDb(path: string): StateDb {
  const file = path !== ':memory:';
  if (file) {
    mkdirSync(dirname(path), { recursive: true });
    // Checked before anything writes: a damaged or emptied file stops start-up, named, instead
    // of starting empty (silent loss) or crashing on the first query (a restart loop).
    checkBeforeOpen(path);
  }
  let db: StateDb | null = null;
  try {
    db = new Database(path);
    if (file) checkOpened(db, path);
    db.pragma('journal_mode = WAL');
    db.pragma('synchronous = NORMAL');
    db.pragma('foreign_keys = ON');
    db.exec('CREATE TABLE IF NOT EXISTS schema_migrations (module TEXT NOT NULL, version INTEGER NOT NULL, applied_at TEXT NOT NULL, PRIMARY KEY (module, version))');
    return db;
  } catch (err) {
    db?.close();
    if (err instanceof StateDbError) throw err;
    throw new StateDbError(path, `state database ${path} cannot be opened (${(err as Error).message}); ${whatToDo(path)}`);
  }
}

/**
 * Each module owns its tables and brings its own ordered migrations; a migration runs once,
 * inside a transaction, so a crash mid-way leaves the schema as it was.
 */
export function migrate(db: StateDb, module: string, steps: readonly string[]): void {
  const applied = new Set(
    (db.prepare('SELECT version FROM schema_migrations WHERE module = ?').all(module) as { version: number }[]).map((r) => r.version),
  );
  steps.forEach((sql, i) => {
    const version = i + 1;
    if (applied.has(version)) return;
    db.transaction(() => {
      db.exec(sql);
      db.prepare('INSERT INTO schema_migrations (module, version, applied_at) VALUES (?, ?, ?)').run(module, version, new Date().toISOString());
    })();
  });
}
