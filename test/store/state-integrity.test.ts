import { spawnSync } from 'node:child_process';
import { closeSync, existsSync, mkdtempSync, openSync, readdirSync, rmSync, statSync, truncateSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { AuditLog } from '../../audit/audit-log.js';
import { ManualClock } from '../../core/clock.js';
import { silentLogger } from '../../core/logger.js';
import { createOutageStage } from '../../outage/outage-stage.js';
import { openStateDb } from '../../store/state-db.js';
import { backupStateDb, currentMarker, markerPath, restoreStateDb, StateDbError, writeMarker } from '../../store/state-integrity.js';
import { answered, at, makeSite, silent, testConfig } from '../outage/sample-factory.js';
import { siteRow, writeTempConfig } from '../support/temp-config.js';

const CLI = fileURLToPath(new URL('../../bin/demarc.js', import.meta.url));
const BOOT = 30 * 86_400;
const PAGE = 4096;

let dir: string;
let path: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'demarc-state-'));
  path = join(dir, 'state.db');
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

/** A state file as demarc leaves it: three closed outages, the audit log, the marker beside it. */
function populated(file = path): number {
  const db = openStateDb(file);
  const clock = new ManualClock(at(0));
  const stage = createOutageStage({ db, sites: [makeSite('A')], config: testConfig(), clock, logger: silentLogger, audit: new AuditLog(db, clock) });
  for (let round = 0; round < 3; round++) {
    const base = round * 40;
    for (let s = base; s < base + 40; s++) {
      clock.set(at(s));
      const down = s >= base + 10 && s < base + 20;
      stage.observe([down ? silent('A', s) : answered('A', s, { wanLastChangeSec: BOOT + base + 19.5 })], at(s));
    }
  }
  // Enough rows that the file has many pages, as a real one does.
  db.exec('CREATE TABLE bulk (k INTEGER PRIMARY KEY, v TEXT)');
  const ins = db.prepare('INSERT INTO bulk (v) VALUES (?)');
  for (let i = 0; i < 2000; i++) ins.run('x'.repeat(200));
  const marker = currentMarker(db, new Date(at(200)));
  writeMarker(file, marker);
  db.close();
  return marker.incidents;
}

function incidentsIn(file: string): number {
  const db = openStateDb(file);
  try {
    return (db.prepare('SELECT COUNT(*) AS n FROM outage_incident').get() as { n: number }).n;
  } finally {
    db.close();
  }
}

/** Overwrites one page in the middle of the file with garbage, as a bad sector or a stray write would. */
function damagePage(file: string): void {
  const pages = statSync(file).size / PAGE;
  const fd = openSync(file, 'r+');
  writeSync(fd, Buffer.alloc(PAGE, 0xa5), 0, PAGE, Math.floor(pages / 2) * PAGE);
  closeSync(fd);
}

const refusal = (fn: () => unknown): StateDbError => {
  try {
    fn();
  } catch (err) {
    if (err instanceof StateDbError) return err;
    throw new Error(`expected a StateDbError, got ${String(err)}`);
  }
  throw new Error('expected the state file to be refused, but it opened');
};

describe('state database integrity at start-up', () => {
  const cases: { name: string; harm: (file: string) => void; says: RegExp }[] = [
    { name: 'truncated to 0 bytes', harm: (f) => truncateSync(f, 0), says: /is empty \(0 bytes\), but demarc recorded 3 incidents/ },
    { name: 'deleted', harm: (f) => rmSync(f), says: /is missing, but demarc recorded 3 incidents/ },
    { name: 'truncated to half', harm: (f) => truncateSync(f, Math.floor(statSync(f).size / PAGE / 2) * PAGE), says: /is damaged \(quick_check|cannot be opened/ },
    { name: 'one page overwritten', harm: damagePage, says: /is damaged \(quick_check: / },
    { name: 'replaced by an empty database', harm: (f) => {
      rmSync(f);
      const fresh = new Database(f);
      fresh.exec('CREATE TABLE schema_migrations (module TEXT, version INTEGER, applied_at TEXT)');
      fresh.close();
    }, says: /holds 0 incidents and not INC-[^,]*, but demarc recorded 3/ },
    { name: 'rolled back to an older copy', harm: (f) => {
      const db = new Database(f);
      db.exec("DELETE FROM outage_incident WHERE id = (SELECT id FROM outage_incident ORDER BY started_at DESC LIMIT 1)");
      db.close();
    }, says: /holds 2 incidents and not .*, but demarc recorded 3/ },
  ];

  it.each(cases)('$name: start-up refused, the file named, what to do said', ({ harm, says }) => {
    expect(populated()).toBe(3);
    harm(path);
    const err = refusal(() => openStateDb(path));
    expect(err.message).toMatch(says);
    expect(err.message).toContain(path);
    expect(err.message).toMatch(/demarc state restore/);
    expect(err.path).toBe(path);
  });

  it.each(cases)('$name: restored from the backup, every incident back', async ({ harm }) => {
    populated();
    const db = openStateDb(path);
    const { file } = await backupStateDb(db, { dir: join(dir, 'backups'), keep: 3 }, new Date(at(300)));
    db.close();
    harm(path);
    expect(() => openStateDb(path)).toThrow(StateDbError);
    const marker = restoreStateDb((p, o) => new Database(p, o), file, path);
    expect(marker.incidents).toBe(3);
    expect(incidentsIn(path)).toBe(3);
  });

  it('a new installation (no file, no marker) starts empty; so does one whose marker says it never held incidents', () => {
    const db = openStateDb(path);
    expect(currentMarker(db, new Date()).incidents).toBe(0);
    writeMarker(path, currentMarker(db, new Date()));
    db.close();
    truncateSync(path, 0);
    expect(() => openStateDb(path).close()).not.toThrow();
  });

  it('a damaged backup is refused by restore, and the state file is left as it was', async () => {
    populated();
    const db = openStateDb(path);
    const { file } = await backupStateDb(db, { dir: join(dir, 'backups'), keep: 3 }, new Date(at(300)));
    db.close();
    damagePage(file);
    expect(() => restoreStateDb((p, o) => new Database(p, o), file, path)).toThrow(/backup .* is damaged too/);
    expect(incidentsIn(path)).toBe(3);
  });

  it('backups keep the configured number of copies', async () => {
    populated();
    const db = openStateDb(path);
    for (let d = 0; d < 5; d++) await backupStateDb(db, { dir: join(dir, 'backups'), keep: 3 }, new Date(at(d * 86_400)));
    db.close();
    expect(readdirSync(join(dir, 'backups')).sort()).toEqual(['state-20260304T010000Z.db', 'state-20260305T010000Z.db', 'state-20260306T010000Z.db']);
  });
});

describe('demarc serve and demarc state against a damaged state file (real processes)', () => {
  it('serve refuses a 0-byte state.db, naming it (exit 1, no start); state backup + restore bring it back', () => {
    const { dir: cfgDir } = writeTempConfig({ snmp: { profiles: { v2c: { version: '2c', community: 'public' } } }, api: { host: '127.0.0.1', port: 0 }, traps: { enabled: false } }, [siteRow({ site_id: 'A', ce_host: '127.0.1.1', ce_port: '24310' })]);
    const state = join(cfgDir, 'state.db');
    const configPath = join(cfgDir, 'demarc.yaml');
    populated(state);
    const cli = (...args: string[]) => spawnSync(process.execPath, [CLI, ...args, '--config', configPath], { encoding: 'utf8', timeout: 60_000, env: { ...process.env, DEMARC_LOG_LEVEL: 'warn' } });
    const backup = cli('state', 'backup');
    expect(backup.status, backup.stderr).toBe(0);
    const file = /backed up to (\S+)/.exec(backup.stdout)![1]!;
    expect(existsSync(file)).toBe(true);

    truncateSync(state, 0);
    const serve = cli('serve');
    expect(serve.status).toBe(1);
    expect(serve.stderr).toContain(`state database ${state} is empty (0 bytes), but demarc recorded 3 incidents`);
    expect(serve.stdout).not.toMatch(/demarc is serving/);

    const restore = cli('state', 'restore', file);
    expect(restore.status, restore.stderr).toBe(0);
    expect(restore.stdout).toContain('3 incidents');
    expect(incidentsIn(state)).toBe(3);
    expect(existsSync(markerPath(state))).toBe(true);
  }, 120_000);
});
