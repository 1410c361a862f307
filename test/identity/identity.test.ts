import { describe, expect, it } from 'vitest';
import { ManualClock } from '../../core/clock.js';
import { Secret } from '../../core/secret.js';
import { passwordProblem } from '../../identity/passwords.js';
import { openStateDb } from '../../store/state-db.js';
import { newIdentity, seedUsers, TEST_PASSWORD } from '../support/auth.js';

const T0 = Date.parse('2026-03-01T00:00:00Z');
const MIN = 60_000;

function setup() {
  const db = openStateDb(':memory:');
  const clock = new ManualClock(T0);
  const audit: { actor: string; action: string; target: string; detail: Record<string, unknown> }[] = [];
  const identity = newIdentity(db, clock, {
    audit: { record: (actor, action, target, detail = {}) => audit.push({ actor, action, target, detail }) },
    config: { session: { idleMinutes: 30, absoluteHours: 2 } },
  });
  return { db, clock, identity, audit };
}

describe('password policy', () => {
  it.each([
    ['short1', 'at least 12'],
    ['noc.zhang-is-me-2026', 'user id'],
    ['MyPassword2026!!', 'well-known'],
    ['aaaaaaaaaaaaaaaa', 'well-known|5 different'],
    ['abababababababab', '5 different'],
    ['x'.repeat(257), 'at most 256'],
  ])('%s is refused (%s)', (pw, why) => {
    expect(passwordProblem('noc.zhang', new Secret(pw))).toMatch(new RegExp(why));
  });
  it('a long passphrase passes', () => {
    expect(passwordProblem('noc.zhang', new Secret('correct horse battery staple'))).toBeNull();
  });
});

describe('sessions', () => {
  it('end after the idle timeout, are extended by use, and end at the absolute timeout whatever the use', async () => {
    const { clock, identity } = setup();
    await seedUsers(identity, [{ id: 'noc.zhang', name: 'Z', roles: ['operator'] }]);
    const r = await identity.login('noc.zhang', new Secret(TEST_PASSWORD), '127.0.0.1');
    if (!r.ok) throw new Error(r.reason);
    const cookie = r.value.cookie.reveal();
    clock.advance(29 * MIN);
    expect(identity.fromSession(cookie)?.user.id).toBe('noc.zhang');
    clock.advance(29 * MIN); // 58 min after login, 29 after the last use
    expect(identity.fromSession(cookie)).not.toBeNull();
    clock.advance(29 * MIN);
    expect(identity.fromSession(cookie)).not.toBeNull();
    clock.advance(29 * MIN); // 116 min
    expect(identity.fromSession(cookie)).not.toBeNull();
    clock.advance(5 * MIN); // 121 min: past the 2 h absolute limit though used 5 min ago
    expect(identity.fromSession(cookie)).toBeNull();

    const again = await identity.login('noc.zhang', new Secret(TEST_PASSWORD), '127.0.0.1');
    if (!again.ok) throw new Error(again.reason);
    clock.advance(30 * MIN);
    expect(identity.fromSession(again.value.cookie.reveal())).toBeNull();
  });

  it('the database keeps only a hash of the cookie', async () => {
    const { db, identity } = setup();
    await seedUsers(identity, [{ id: 'noc.zhang', name: 'Z', roles: ['operator'] }]);
    const r = await identity.login('noc.zhang', new Secret(TEST_PASSWORD), '127.0.0.1');
    if (!r.ok) throw new Error(r.reason);
    const dump = JSON.stringify(db.prepare('SELECT * FROM identity_session').all());
    expect(dump).not.toContain(r.value.cookie.reveal());
    expect(String(r.value.cookie)).toBe('<secret>');
  });

  it('a disabled user loses their sessions at once', async () => {
    const { identity } = setup();
    await seedUsers(identity, [{ id: 'noc.zhang', name: 'Z', roles: ['operator'] }]);
    const r = await identity.login('noc.zhang', new Secret(TEST_PASSWORD), '127.0.0.1');
    if (!r.ok) throw new Error(r.reason);
    identity.users.setDisabled('noc.zhang', true);
    expect(identity.fromSession(r.value.cookie.reveal())).toBeNull();
  });
});

describe('tokens', () => {
  it('are shown once, stored hashed, expire, are revoked, and record their last use', () => {
    const { db, clock, identity } = setup();
    const { token, value } = identity.createToken({ name: 'grafana', kind: 'api', roles: ['viewer'], expiresAt: T0 + 60 * MIN }, 'root');
    // dmt_<id>_<secret>: the secret is base64url and may itself hold '_', so cut after the second '_' only.
    const secretPart = value.reveal().slice(value.reveal().indexOf('_', 4) + 1);
    expect(secretPart).toHaveLength(43);
    expect(JSON.stringify(db.prepare('SELECT * FROM identity_token').all())).not.toContain(secretPart);
    clock.advance(MIN);
    const ok = identity.fromBearer(value.reveal());
    expect(ok).toMatchObject({ ok: true, value: { via: 'api-token', user: { id: 'token:grafana', roles: ['viewer'] } } });
    expect(identity.tokens.get(token.id)!.lastUsedAt).toBe(T0 + MIN);
    expect(identity.fromBearer(value.reveal().slice(0, -1) + (value.reveal().endsWith('A') ? 'B' : 'A'))).toMatchObject({ ok: false, reason: 'unknown token' });
    clock.advance(60 * MIN);
    expect(identity.fromBearer(value.reveal())).toMatchObject({ ok: false, reason: /expired/ });
    const other = identity.createToken({ name: 'script', kind: 'api', roles: ['operator'], expiresAt: null }, 'root');
    expect(identity.revokeToken(other.token.id, 'root').ok).toBe(true);
    expect(identity.fromBearer(other.value.reveal())).toMatchObject({ ok: false, reason: /revoked/ });
  });

  it('a display token opens a display session and nothing else; revoking it ends that session', () => {
    const { identity } = setup();
    const d = identity.createToken({ name: 'wall', kind: 'display', roles: ['admin'], expiresAt: null }, 'root');
    expect(d.token.roles).toEqual([]);
    const s = identity.displaySession(d.value.reveal(), '127.0.0.1');
    if (!s.ok) throw new Error(s.reason);
    expect(identity.fromSession(s.value.cookie.reveal())).toMatchObject({ via: 'display', user: { roles: [] } });
    const api = identity.createToken({ name: 'x', kind: 'api', roles: ['viewer'], expiresAt: null }, 'root');
    expect(identity.displaySession(api.value.reveal(), '127.0.0.1')).toMatchObject({ ok: false, status: 403 });
    identity.revokeToken(d.token.id, 'root');
    expect(identity.fromSession(s.value.cookie.reveal())).toBeNull();
  });
});

describe('user changes take two admins', () => {
  it('the proposer cannot approve, a second admin can; roles change and sessions end', async () => {
    const { identity, audit } = setup();
    await seedUsers(identity, [
      { id: 'root', name: 'R', roles: ['admin'] },
      { id: 'root2', name: 'R2', roles: ['admin'] },
      { id: 'noc.zhang', name: 'Z', roles: ['operator'] },
    ]);
    const weak = await identity.proposeUserChange({ kind: 'add', userId: 'mgr.li', name: 'Li', roles: ['approver'], password: new Secret('short') }, 'root');
    expect(weak).toMatchObject({ ok: false, status: 400 });
    const p = await identity.proposeUserChange({ kind: 'add', userId: 'mgr.li', name: 'Li', roles: ['approver'], password: new Secret('a long approver passphrase') }, 'root');
    if (!p.ok) throw new Error(p.reason);
    expect(identity.users.get('mgr.li')).toBeNull();
    expect(identity.approveUserChange(p.value.id, 'root')).toMatchObject({ ok: false, status: 403 });
    expect(identity.approveUserChange(p.value.id, 'root2')).toMatchObject({ ok: true, value: { state: 'approved', decidedBy: 'root2' } });
    expect(identity.approveUserChange(p.value.id, 'root2')).toMatchObject({ ok: false, status: 409 });
    expect((await identity.login('mgr.li', new Secret('a long approver passphrase'), '127.0.0.1')).ok).toBe(true);
    // The proposal in the audit log does not carry the password hash.
    expect(JSON.stringify(audit)).not.toMatch(/argon2/);

    const z = await identity.login('noc.zhang', new Secret(TEST_PASSWORD), '127.0.0.1');
    if (!z.ok) throw new Error(z.reason);
    const promote = await identity.proposeUserChange({ kind: 'roles', userId: 'noc.zhang', roles: ['operator', 'approver'] }, 'root2');
    if (!promote.ok) throw new Error(promote.reason);
    expect(identity.users.get('noc.zhang')!.roles).toEqual(['operator']);
    identity.approveUserChange(promote.value.id, 'root');
    expect(identity.users.get('noc.zhang')!.roles).toEqual(['operator', 'approver']);
    expect(identity.fromSession(z.value.cookie.reveal())).toBeNull();
  });
});

describe('bootstrap', () => {
  it('creates the YAML users without passwords and prints a one-time admin password once', async () => {
    const { identity, audit } = setup();
    const lines = await identity.bootstrap([{ id: 'noc.zhang', name: 'Z', roles: ['operator'] }]);
    expect(lines).toHaveLength(1);
    const pw = /first admin: admin \/ (\S+)/.exec(lines[0]!)![1]!;
    expect((await identity.login('admin', new Secret(pw), '127.0.0.1')).ok).toBe(true);
    expect((await identity.login('noc.zhang', new Secret(''), '127.0.0.1')).ok).toBe(false);
    expect(await identity.bootstrap([{ id: 'noc.zhang', name: 'Z', roles: ['operator'] }])).toEqual([]);
    expect(JSON.stringify(audit)).not.toContain(pw);
  });

  it('takes the first admin password from auth.adminPassword and checks it against the policy', async () => {
    const db = openStateDb(':memory:');
    const ok = newIdentity(db, new ManualClock(T0), { config: { adminPassword: new Secret('from the env, long enough') } });
    expect(await ok.bootstrap([])).toEqual([]);
    expect((await ok.login('admin', new Secret('from the env, long enough'), '127.0.0.1')).ok).toBe(true);
    const bad = newIdentity(openStateDb(':memory:'), new ManualClock(T0), { config: { adminPassword: new Secret('short') } });
    await expect(bad.bootstrap([])).rejects.toThrow(/auth.adminPassword.*at least 12/);
  });
});
