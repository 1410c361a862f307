import { spawnSync } from 'node:child_process';
import { createHash, createHmac } from 'node:crypto';
import { rmSync, statSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { AnchorFile } from '../../audit/audit-anchor.js';
import { loadAuditKey } from '../../audit/audit-key.js';
import { AuditLog } from '../../audit/audit-log.js';
import { AuditWatch, type AuditChainStatus } from '../../audit/audit-watch.js';
import { ManualClock } from '../../core/clock.js';
import { silentLogger } from '../../core/logger.js';
import { openStateDb, type StateDb } from '../../store/state-db.js';
import { siteRow, writeTempConfig } from '../support/temp-config.js';

/**
 * Issue 11: each way of tampering with the audit log (edit a row, recompute its hash without
 * the key, delete the tail, empty the table) is found by `demarc audit verify` (exit 1, the
 * first bad row named) and by the hourly check (ManualClock), which feeds health and alerting.
 */
const CLI = fileURLToPath(new URL('../../bin/demarc.js', import.meta.url));
const T0 = Date.parse('2026-12-01T00:00:00Z');
const HOUR = 3_600_000;

interface Setup {
  dir: string;
  configPath: string;
  db: StateDb;
  clock: ManualClock;
  watch: AuditWatch;
  statuses: AuditChainStatus[];
}

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

/** 35 rows, anchored at 30 (start-up check) and 35 (the periodic anchor). */
function setup(): Setup {
  const { config, dir } = writeTempConfig({ snmp: { profiles: { v2c: { version: '2c', community: 'public' } } } }, [siteRow({ site_id: 'S1', ce_host: '127.0.0.1', ce_port: '24110' })]);
  dirs.push(dir);
  const db = openStateDb(config.state.path);
  const clock = new ManualClock(T0);
  const log = new AuditLog(db, clock, loadAuditKey(config.audit, { create: true }));
  const statuses: AuditChainStatus[] = [];
  const watch = new AuditWatch({ log, anchors: new AnchorFile(config.audit.anchorFile), clock, logger: silentLogger, onStatus: (s) => statuses.push(s) });
  for (let i = 1; i <= 30; i++) log.record(`user.${i % 3}`, 'incident.verdict.propose', `INC-${i}`, { reason: `row ${i}`, before: { responsibility: 'unknown' } });
  expect(watch.verifyAll()).toMatchObject({ state: 'ok', rows: 30, head: { seq: 30 } });
  for (let i = 31; i <= 35; i++) log.record('noc.zhang', 'maintenance.create', `MW-${i}`, { i });
  expect(watch.anchorHead()).toMatchObject({ state: 'ok', rows: 35, head: { seq: 35 } });
  return { dir, configPath: config.configPath, db, clock, watch, statuses };
}

function cliVerify(configPath: string): { code: number | null; out: string } {
  const r = spawnSync(process.execPath, [CLI, 'audit', 'verify', '--config', configPath], { encoding: 'utf8', timeout: 60_000 });
  return { code: r.status, out: r.stdout + r.stderr };
}

const row = (db: StateDb, seq: number) => db.prepare('SELECT * FROM audit_log WHERE seq = ?').get(seq) as Record<string, string | number>;

/** `atAnchor`: also found by the 5-minute check, which only walks the rows since the last anchor. */
const TAMPERING: { name: string; brokenAt: number; reason: RegExp; atAnchor: boolean; tamper: (db: StateDb) => void }[] = [
  {
    name: 'edit a row',
    brokenAt: 12,
    reason: /does not match its keyed hash/,
    atAnchor: false,
    tamper: (db) => db.prepare(`UPDATE audit_log SET actor = 'mgr.li' WHERE seq = 12`).run(),
  },
  {
    name: 'edit a row and recompute its hash the old, unkeyed way (and relink the next row)',
    brokenAt: 12,
    reason: /unkeyed row after the chain was keyed/,
    atAnchor: false,
    tamper: (db) => {
      const r = row(db, 12);
      const detail = { reason: 'nothing happened' };
      const hash = createHash('sha256').update(JSON.stringify([r.seq, r.at, r.actor, r.action, r.target, detail, r.prev_hash])).digest('hex');
      db.prepare(`UPDATE audit_log SET detail = ?, hash = ?, alg = 'sha256' WHERE seq = 12`).run(JSON.stringify(detail), hash);
      db.prepare('UPDATE audit_log SET prev_hash = ? WHERE seq = 13').run(hash);
    },
  },
  {
    name: 'edit a row and recompute its HMAC with a guessed key (and relink the next row)',
    brokenAt: 12,
    reason: /does not match its keyed hash/,
    atAnchor: false,
    tamper: (db) => {
      const r = row(db, 12);
      const detailText = JSON.stringify({ reason: 'nothing happened' });
      const hash = createHmac('sha256', 'not-the-key-but-long-enough-0123456789').update(JSON.stringify([r.seq, r.at, r.actor, r.action, r.target, detailText, r.prev_hash])).digest('hex');
      db.prepare('UPDATE audit_log SET detail = ?, hash = ? WHERE seq = 12').run(detailText, hash);
      db.prepare('UPDATE audit_log SET prev_hash = ? WHERE seq = 13').run(hash);
    },
  },
  {
    name: 'delete the tail',
    brokenAt: 33,
    reason: /table ends at row 32 but row 35 was anchored.*deleted/,
    atAnchor: true,
    tamper: (db) => db.prepare('DELETE FROM audit_log WHERE seq > 32').run(),
  },
  {
    name: 'empty the table',
    brokenAt: 1,
    reason: /table ends at row 0 but row 35 was anchored/,
    atAnchor: true,
    tamper: (db) => db.prepare('DELETE FROM audit_log').run(),
  },
  {
    name: 'delete a row in the middle',
    brokenAt: 20,
    reason: /row 20 is missing/,
    atAnchor: false,
    tamper: (db) => db.prepare('DELETE FROM audit_log WHERE seq = 20').run(),
  },
];

describe('audit chain tampering', () => {
  it('an intact chain verifies: CLI exit 0, hourly check ok, key file 0600', () => {
    const s = setup();
    const cli = cliVerify(s.configPath);
    expect(cli.out).toMatch(/audit chain OK: 35 rows, head #35/);
    expect(cli.code).toBe(0);
    s.clock.advance(HOUR);
    expect(s.watch.verifyAll()).toMatchObject({ state: 'ok', rows: 35, checkedAt: T0 + HOUR });
    expect(statSync(`${s.dir}/audit.key`).mode & 0o777).toBe(0o600);
    s.db.close();
  }, 60_000);

  it.each(TAMPERING)('$name: found by demarc audit verify and by the hourly check', ({ brokenAt, reason, atAnchor, tamper }) => {
    const s = setup();
    tamper(s.db);
    // The 5-minute anchor run sees a cut at or before the anchored head at once.
    s.clock.advance(5 * 60_000);
    expect(s.watch.anchorHead()).toMatchObject(atAnchor ? { state: 'broken', brokenAt } : { state: 'ok' });

    s.clock.advance(HOUR);
    const hourly = s.watch.verifyAll();
    expect(hourly).toMatchObject({ state: 'broken', brokenAt, checkedAt: T0 + 5 * 60_000 + HOUR });
    expect((hourly as { reason: string }).reason).toMatch(reason);
    expect(s.statuses.at(-1)).toEqual(hourly);
    // The broken head was not anchored: the anchors still end at the last good head.
    expect(new AnchorFile(`${s.dir}/audit-anchor.jsonl`).last()).toMatchObject({ seq: 35 });

    const cli = cliVerify(s.configPath);
    expect(cli.code).toBe(1);
    expect(cli.out).toContain(`BROKEN at row ${brokenAt}`);
    expect(cli.out).toMatch(reason);
    s.db.close();
  }, 60_000);

  it('the CLI refuses to verify without the key (exit 2), rather than pass', () => {
    const s = setup();
    s.db.close();
    rmSync(`${s.dir}/audit.key`);
    const cli = cliVerify(s.configPath);
    expect(cli.code).toBe(2);
    expect(cli.out).toMatch(/audit key file .* does not exist/);
  }, 60_000);
});
