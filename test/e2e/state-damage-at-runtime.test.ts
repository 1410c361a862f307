import { closeSync, openSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { startDemarc, type RunningDemarc } from '../../app/pipeline.js';
import { systemClock } from '../../core/clock.js';
import { silentLogger } from '../../core/logger.js';
import { siteRow, writeTempConfig } from '../support/temp-config.js';
import { bearer } from '../support/auth.js';

// A page of the state file overwritten while demarc runs (the case that left GET /api/alerts
// answering 500 forever with health "ok"): the request says which file failed, and health
// degrades naming it.

let demarc: RunningDemarc | null = null;
afterEach(async () => {
  await demarc?.stop().catch(() => undefined);
  demarc = null;
});

describe('the state database damaged while demarc runs', () => {
  it('GET /api/alerts answers 503 naming the file, and /api/health degrades naming it', async () => {
    const { config, dir } = writeTempConfig(
      { snmp: { profiles: { v2c: { version: '2c', community: 'public', timeoutMs: 200, retries: 0 } } }, api: { host: '127.0.0.1', port: 0 }, traps: { enabled: false } },
      [siteRow({ site_id: 'A', ce_host: '127.0.1.1', ce_port: '24311' })],
    );
    const statePath = join(dir, 'state.db');
    demarc = await startDemarc(config, { logger: silentLogger, clock: systemClock, webRoot: null, announce: () => undefined });
    const reader = bearer(demarc.identity, ['viewer']);
    const get = async (path: string) => {
      const res = await fetch(demarc!.url + path, { headers: reader });
      return { status: res.status, body: (await res.json()) as Record<string, any> };
    };
    expect((await get('/api/alerts')).status).toBe(200);
    expect((await get('/api/health')).body.problems.join('\n')).not.toContain(statePath);

    // Everything in the main file, then garbage over the root pages of the alerts table and its indexes.
    const db = demarc.stateDb;
    db.pragma('wal_checkpoint(TRUNCATE)');
    const roots = db.prepare("SELECT rootpage FROM sqlite_master WHERE tbl_name = 'alerts' AND rootpage > 0").all() as { rootpage: number }[];
    expect(roots.length).toBeGreaterThan(0);
    const pageSize = db.pragma('page_size', { simple: true }) as number;
    const fd = openSync(statePath, 'r+');
    for (const { rootpage } of roots) writeSync(fd, Buffer.alloc(pageSize, 0x5a), 0, pageSize, (rootpage - 1) * pageSize);
    closeSync(fd);
    // Another writer moves the WAL on, so demarc's connection drops its cached pages and reads the damaged one.
    const other = new Database(statePath);
    other.prepare("INSERT INTO outage_meta (key, value) VALUES ('poke', '1') ON CONFLICT (key) DO UPDATE SET value = excluded.value").run();
    other.close();

    for (let i = 0; i < 2; i++) {
      const alerts = await get('/api/alerts');
      expect(alerts.status).toBe(503);
      expect(alerts.body.error).toContain(`state database ${statePath} failed (SQLITE_CORRUPT`);
      expect(alerts.body.error).toContain('demarc state restore');
    }
    const health = await get('/api/health');
    expect(health.body.status).toBe('degraded');
    expect(health.body.problems.join('\n')).toMatch(new RegExp(`state database ${statePath.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')} failing since .*SQLITE_CORRUPT.*2 failed requests`));
  });
});
