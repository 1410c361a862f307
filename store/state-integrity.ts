import type Database from 'better-sqlite3';
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';

/**
 * The state file holds every incident, window, alert and the audit log: losing it silently is
 * the one failure demarc must not have. This module checks it at start-up (SQLite's
 * quick_check, and a marker kept beside it that an empty or replaced file contradicts), and
 * makes and restores online backups (SQLite's backup API).
 */

/** What demarc last knew was in the state file, kept outside it. */
export interface StateMarker {
  incidents: number;
  lastIncidentId: string | null;
  writtenAt: string;
}

/** The state file cannot be used; the message names it and says what to do. */
export class StateDbError extends Error {
  override name = 'StateDbError';
  constructor(
    readonly path: string,
    message: string,
  ) {
    super(message);
  }
}

const INCIDENTS = 'outage_incident';

export const markerPath = (statePath: string) => `${statePath}.marker.json`;

export function readMarker(statePath: string): StateMarker | null {
  const p = markerPath(statePath);
  if (!existsSync(p)) return null;
  try {
    const m = JSON.parse(readFileSync(p, 'utf8')) as Partial<StateMarker>;
    if (typeof m.incidents !== 'number' || !(typeof m.lastIncidentId === 'string' || m.lastIncidentId === null)) throw new Error('fields incidents and lastIncidentId missing');
    return { incidents: m.incidents, lastIncidentId: m.lastIncidentId, writtenAt: String(m.writtenAt) };
  } catch (err) {
    throw new StateDbError(statePath, `the state marker ${p} is unreadable (${(err as Error).message}); check the state file ${statePath}, then delete the marker to have it rewritten`);
  }
}

function hasIncidentTable(db: Database.Database): boolean {
  return db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?").get(INCIDENTS) !== undefined;
}

/** What the state file holds now, as the marker records it. */
export function currentMarker(db: Database.Database, now: Date): StateMarker {
  if (!hasIncidentTable(db)) return { incidents: 0, lastIncidentId: null, writtenAt: now.toISOString() };
  const { n } = db.prepare(`SELECT COUNT(*) AS n FROM ${INCIDENTS}`).get() as { n: number };
  const last = db.prepare(`SELECT id FROM ${INCIDENTS} ORDER BY started_at DESC, id DESC LIMIT 1`).get() as { id: string } | undefined;
  return { incidents: n, lastIncidentId: last?.id ?? null, writtenAt: now.toISOString() };
}

/** Writes the marker atomically (a torn marker would itself stop the next start). */
export function writeMarker(statePath: string, marker: StateMarker): void {
  const p = markerPath(statePath);
  writeFileSync(`${p}.tmp`, JSON.stringify(marker) + '\n');
  renameSync(`${p}.tmp`, p);
}

export const whatToDo = (statePath: string) =>
  `demarc will not start on it. Stop demarc, then restore the latest backup with \`demarc state restore <file>\` (backups are made daily; see state.backup in demarc.yaml), or move ${statePath} aside to start empty on purpose and delete ${markerPath(statePath)}`;

/** Before opening: a missing or 0-byte file where demarc has recorded incidents is a loss, not a fresh start. */
export function checkBeforeOpen(statePath: string): void {
  const marker = readMarker(statePath);
  if (!marker || marker.incidents === 0) return;
  const size = existsSync(statePath) ? statSync(statePath).size : null;
  if (size !== null && size > 0) return;
  throw new StateDbError(
    statePath,
    `state database ${statePath} is ${size === null ? 'missing' : 'empty (0 bytes)'}, but demarc recorded ${marker.incidents} incidents in it (last ${marker.lastIncidentId}, at ${marker.writtenAt}); ${whatToDo(statePath)}`,
  );
}

/** After opening: SQLite's quick_check, then the marker's incidents must still be there. */
export function checkOpened(db: Database.Database, statePath: string): void {
  let problems: string[];
  try {
    problems = (db.pragma('quick_check') as { quick_check: string }[]).map((r) => r.quick_check).filter((r) => r !== 'ok');
  } catch (err) {
    problems = [(err as Error).message];
  }
  if (problems.length) throw new StateDbError(statePath, `state database ${statePath} is damaged (quick_check: ${problems.slice(0, 3).join('; ')}); ${whatToDo(statePath)}`);
  const marker = readMarker(statePath);
  if (!marker || marker.incidents === 0) return;
  const now = currentMarker(db, new Date());
  const lastThere = marker.lastIncidentId === null || (hasIncidentTable(db) && db.prepare(`SELECT 1 FROM ${INCIDENTS} WHERE id = ?`).get(marker.lastIncidentId) !== undefined);
  if (now.incidents < marker.incidents || !lastThere) {
    throw new StateDbError(
      statePath,
      `state database ${statePath} holds ${now.incidents} incidents${lastThere ? '' : ` and not ${marker.lastIncidentId}`}, but demarc recorded ${marker.incidents} (last ${marker.lastIncidentId}, at ${marker.writtenAt}): it was replaced or rolled back; ${whatToDo(statePath)}`,
    );
  }
}

export interface BackupPolicy {
  dir: string;
  /** Copies kept; older ones are deleted after each backup. */
  keep: number;
}

const BACKUP_NAME = /^state-\d{8}T\d{6}Z\.db$/;

/** An online backup (SQLite's backup API: consistent while demarc writes), then the retention. */
export async function backupStateDb(db: Database.Database, policy: BackupPolicy, now: Date): Promise<{ file: string; removed: string[] }> {
  mkdirSync(policy.dir, { recursive: true });
  const stamp = now.toISOString().replace(/[-:]/g, '').replace(/\.\d+Z$/, 'Z');
  const file = join(policy.dir, `state-${stamp}.db`);
  await db.backup(`${file}.part`);
  renameSync(`${file}.part`, file);
  const all = readdirSync(policy.dir).filter((f) => BACKUP_NAME.test(f)).sort();
  const removed = all.slice(0, Math.max(0, all.length - policy.keep));
  for (const f of removed) rmSync(join(policy.dir, f));
  return { file, removed: removed.map((f) => join(policy.dir, f)) };
}

/**
 * Puts a backup in place of the state file (demarc must be stopped): checked first, copied
 * through a temporary file, the WAL of the old file removed, and the marker rewritten to what
 * the backup holds.
 */
export function restoreStateDb(open: (path: string, opts: { readonly: boolean }) => Database.Database, backupFile: string, statePath: string): StateMarker {
  if (!existsSync(backupFile)) throw new StateDbError(statePath, `backup ${backupFile} not found`);
  const src = open(backupFile, { readonly: true });
  let marker: StateMarker;
  try {
    checkOpenedBackup(src, backupFile);
    marker = currentMarker(src, new Date());
  } finally {
    src.close();
  }
  mkdirSync(dirname(statePath), { recursive: true });
  const tmp = join(dirname(statePath), `.${basename(statePath)}.restoring`);
  writeFileSync(tmp, readFileSync(backupFile));
  for (const side of ['-wal', '-shm']) rmSync(statePath + side, { force: true });
  renameSync(tmp, statePath);
  writeMarker(statePath, marker);
  return marker;
}

function checkOpenedBackup(db: Database.Database, file: string): void {
  let problems: string[];
  try {
    problems = (db.pragma('quick_check') as { quick_check: string }[]).map((r) => r.quick_check).filter((r) => r !== 'ok');
  } catch (err) {
    problems = [(err as Error).message];
  }
  if (problems.length) throw new StateDbError(file, `backup ${file} is damaged too (quick_check: ${problems.slice(0, 3).join('; ')}); choose an older one`);
}
