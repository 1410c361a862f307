import { execFile } from 'node:child_process';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import { authConfig } from '../../config/auth-schema.js';
import { systemClock } from '../../core/clock.js';
import { silentLogger } from '../../core/logger.js';
import { Secret } from '../../core/secret.js';
import { IdentityService } from '../../identity/identity.js';
import { openStateDb } from '../../store/state-db.js';
import { siteRow, writeTempConfig } from '../support/temp-config.js';

const run = promisify(execFile);
const CLI = join(import.meta.dirname, '../../bin/demarc.js');
const { dir } = writeTempConfig(
  { snmp: { profiles: { v2c: { version: '2c', community: 'public' } } } },
  [siteRow({ site_id: 'S1', ce_host: '127.0.0.1', ce_port: '24090' })],
);
const cfg = join(dir, 'demarc.yaml');
const demarc = (...args: string[]) => run(process.execPath, [CLI, ...args, '--config', cfg]);
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Opens the same state db the CLI wrote, as the server would. */
function identity() {
  const db = openStateDb(join(dir, 'state.db'));
  return { db, identity: new IdentityService({ db, clock: systemClock, logger: silentLogger, audit: { record: () => undefined }, config: authConfig() }) };
}

describe('demarc user / token', () => {
  it('adds a user with a printed one-time password that logs in, changes roles, disables, lists', async () => {
    const add = await demarc('user', 'add', 'noc.sun', '--roles', 'operator', '--name', '孙工');
    const pw = /one-time password: (\S+)/.exec(add.stdout)![1]!;
    {
      const { db, identity: id } = identity();
      expect(await id.login('noc.sun', new Secret(pw), '127.0.0.1')).toMatchObject({ ok: true, value: { user: { roles: ['operator'] } } });
      db.close();
    }
    await demarc('user', 'roles', 'noc.sun', 'operator,approver');
    await demarc('user', 'disable', 'noc.sun');
    expect((await demarc('user', 'list')).stdout).toMatch(/^noc\.sun\t孙工\toperator,approver\tlocal\tdisabled$/m);
    const { db, identity: id } = identity();
    expect((await id.login('noc.sun', new Secret(pw), '127.0.0.1')).ok).toBe(false);
    db.close();
    const bad = await demarc('user', 'add', 'x.y', '--roles', 'boss').catch((e: { code: number; stderr: string }) => e);
    expect(bad).toMatchObject({ code: 1, stderr: expect.stringMatching(/roles are a comma-separated list of viewer/) });
  }, 60_000);

  it('creates a display token shown once, lists it, revokes it', async () => {
    const out = await demarc('token', 'create', 'wall-tv', '--display');
    const value = /^(dmt_\S+)$/m.exec(out.stdout)![1]!;
    const tokenId = out.stdout.split('\t')[0]!;
    const { db, identity: id } = identity();
    expect(id.fromBearer(value)).toMatchObject({ ok: true, value: { via: 'display' } });
    expect((await demarc('token', 'list')).stdout).not.toContain(value);
    await demarc('token', 'revoke', tokenId);
    expect(id.fromBearer(value)).toMatchObject({ ok: false, reason: /revoked/ });
    db.close();
  }, 60_000);

  it('audits with the chain key, so the rows it writes verify (demarc audit verify), before and after the key file exists', async () => {
    // The tests above ran the CLI on a fresh install (no key file yet); this one runs it again with the key in place.
    await demarc('token', 'create', 'wall-2', '--display');
    const verify = await demarc('audit', 'verify').catch((e: { code: number; stdout: string; stderr: string }) => e);
    expect(verify).toMatchObject({ stdout: expect.stringMatching(/^audit chain OK: \d+ rows/) });
  }, 60_000);
});
