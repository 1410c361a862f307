import { io as connectSocket } from 'socket.io-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startDemarc, type RunningDemarc } from '../../app/pipeline.js';
import { systemClock } from '../../core/clock.js';
import { silentLogger } from '../../core/logger.js';
import { login, setTestPasswords, TEST_PASSWORD } from '../support/auth.js';
import { makeFleetConfig, type FleetConfig } from '../support/fleet-fixture.js';

/** Login, lockout, CSRF and Origin checks, session revocation, over real HTTP and socket.io. */
const AGENT_PORT = 24051;
let fleet: FleetConfig;
let demarc: RunningDemarc;
let api: string;

beforeAll(async () => {
  fleet = makeFleetConfig({
    sites: 1,
    agentPort: AGENT_PORT,
    intervalSec: 5,
    extraYaml: `auth: { login: { maxFailuresPerAccount: 3, maxFailuresPerAddress: 50, lockoutMinutes: 1 } }
users:
  - { id: t.operator, name: O, roles: [operator] }
  - { id: t.victim, name: V, roles: [operator] }
  - { id: t.admin, name: A, roles: [admin] }`,
  });
  demarc = await startDemarc(fleet.config, { logger: silentLogger, clock: systemClock, webRoot: null, announce: () => undefined });
  await setTestPasswords(demarc.identity);
  api = demarc.url + '/api';
}, 60_000);

afterAll(async () => {
  await demarc?.stop();
  fleet?.cleanup();
});

const post = (path: string, headers: Record<string, string>, body: unknown = {}) =>
  fetch(api + path, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(body) });
const audit = (action: string) => demarc.audit.list({ limit: 10_000 }).filter((e) => e.action === action);

describe('login', () => {
  it('sets an HttpOnly SameSite=Strict session cookie and audits success and failure with the source address', async () => {
    const ok = await post('/auth/login', {}, { username: 't.operator', password: TEST_PASSWORD });
    expect(ok.status).toBe(200);
    const cookie = ok.headers.getSetCookie().find((c) => c.startsWith('demarc_session='))!;
    expect(cookie).toMatch(/HttpOnly/);
    expect(cookie).toMatch(/SameSite=Strict/);
    expect(cookie).not.toMatch(/Secure/); // plain HTTP here; Secure under TLS
    const bad = await post('/auth/login', {}, { username: 't.operator', password: 'wrong password here' });
    expect(bad.status).toBe(401);
    expect(((await bad.json()) as { error: string }).error).toBe('wrong user name or password');
    const nobody = await post('/auth/login', {}, { username: 'nobody', password: 'whatever it is' });
    expect(((await nobody.json()) as { error: string }).error).toBe('wrong user name or password');
    const logins = audit('auth.login');
    expect(logins.find((e) => e.actor === 't.operator' && e.detail.outcome === 'success')?.detail).toMatchObject({ source: '127.0.0.1' });
    expect(logins.find((e) => e.actor === 't.operator' && e.detail.outcome === 'failure')?.detail).toMatchObject({ source: '127.0.0.1', reason: 'wrong password' });
    expect(JSON.stringify(logins)).not.toContain(TEST_PASSWORD);
  });

  it('locks an account after repeated failures, says until when, refuses even the right password meanwhile, and logs it', async () => {
    for (let i = 0; i < 3; i++) expect((await post('/auth/login', {}, { username: 't.victim', password: `guess number ${i}` })).status).toBe(401);
    const locked = await post('/auth/login', {}, { username: 't.victim', password: TEST_PASSWORD });
    expect(locked.status).toBe(429);
    const body = (await locked.json()) as { error: string; unlocksAt: string; lockedOut: string };
    expect(body.lockedOut).toBe('account');
    expect(body.error).toMatch(/account "t.victim" is locked after 3 failed logins until \d{4}-\d\d-\d\dT/);
    const unlocks = Date.parse(body.unlocksAt);
    expect(unlocks).toBeGreaterThan(Date.now());
    expect(unlocks).toBeLessThanOrEqual(Date.now() + 60_000);
    expect(audit('auth.lockout').find((e) => e.target === 'account:t.victim')?.detail).toMatchObject({ source: '127.0.0.1', unlocksAt: body.unlocksAt });
    // Another account from the same address is not locked by it.
    expect((await post('/auth/login', {}, { username: 't.admin', password: TEST_PASSWORD })).status).toBe(200);
  });
});

describe('changes with a session cookie', () => {
  it('need the CSRF token and our own Origin; a bearer token needs neither', async () => {
    const s = await login(api, 't.operator');
    const noToken = await post('/maintenance', { cookie: s.headers.cookie! });
    expect(noToken.status).toBe(403);
    expect(((await noToken.json()) as { error: string }).error).toMatch(/CSRF/);
    expect((await post('/maintenance', s.headers)).status).toBe(400); // reached validation
    const forged = await post('/maintenance', { ...s.headers, origin: 'http://evil.example' });
    expect(forged.status).toBe(403);
    expect(((await forged.json()) as { error: string }).error).toMatch(/cross-origin request refused: Origin http:\/\/evil.example/);
    expect((await post('/maintenance', { ...s.headers, origin: demarc.url })).status).toBe(400);
    const { value } = demarc.identity.createToken({ name: 'script', kind: 'api', roles: ['operator'], expiresAt: null }, 't.admin');
    expect((await post('/maintenance', { authorization: `Bearer ${value.reveal()}` })).status).toBe(400);
    expect((await post('/maintenance', { authorization: 'Bearer not-a-token' })).status).toBe(401);
  });
});

describe('sessions', () => {
  it('logout ends the session; an admin lists sessions and revokes one', async () => {
    const a = await login(api, 't.operator');
    const b = await login(api, 't.operator');
    expect((await post('/auth/logout', a.headers)).status).toBe(200);
    expect((await fetch(api + '/auth/me', { headers: a.headers })).status).toBe(401);
    expect(audit('auth.logout').length).toBeGreaterThan(0);

    const admin = await login(api, 't.admin');
    const list = (await (await fetch(api + '/auth/sessions', { headers: admin.headers })).json()) as { sessions: { handle: string; owner: { userId?: string } }[] };
    const mine = list.sessions.filter((x) => x.owner.userId === 't.operator');
    expect(mine.length).toBeGreaterThan(0);
    for (const x of mine) expect((await fetch(api + `/auth/sessions/${x.handle}`, { method: 'DELETE', headers: admin.headers })).status).toBe(200);
    expect((await fetch(api + '/auth/me', { headers: b.headers })).status).toBe(401);
    expect(audit('auth.session-revoke').length).toBe(mine.length);
  });
});

describe('socket.io', () => {
  const attempt = (opts: { headers: Record<string, string>; transport: 'polling' | 'websocket' }) =>
    new Promise<string>((resolve) => {
      const c = connectSocket(demarc.url, { transports: [opts.transport], extraHeaders: opts.headers, reconnection: false });
      c.once('connect', () => {
        c.emit('sites:snapshot', (sites: unknown[]) => {
          c.close();
          // The snapshot holds the sites polled so far: its answer, not its length, is the point.
          resolve(Array.isArray(sites) ? 'connected, snapshot answered' : 'connected, no snapshot');
        });
      });
      c.once('connect_error', (e) => (c.close(), resolve(`refused: ${e.message}`)));
    });

  it('refuses another origin and callers without a session; serves a signed-in one', async () => {
    const s = await login(api, 't.operator');
    for (const transport of ['polling', 'websocket'] as const) {
      expect(await attempt({ headers: { cookie: s.headers.cookie!, origin: 'http://evil.example' }, transport })).toMatch(/^refused/);
      expect(await attempt({ headers: {}, transport })).toMatch(/^refused/);
      expect(await attempt({ headers: { cookie: s.headers.cookie!, origin: demarc.url }, transport })).toBe('connected, snapshot answered');
    }
  });

  it('closes the live socket of a session that logs out or is revoked', async () => {
    const s = await login(api, 't.operator');
    const c = connectSocket(demarc.url, { transports: ['websocket'], extraHeaders: { cookie: s.headers.cookie! }, reconnection: false });
    await new Promise<void>((resolve, reject) => {
      c.once('connect', () => resolve());
      c.once('connect_error', reject);
    });
    const closed = new Promise<string>((resolve) => c.once('disconnect', (reason) => resolve(reason)));
    expect((await post('/auth/logout', s.headers)).status).toBe(200);
    expect(await closed).toBe('io server disconnect');
    c.close();
  });
});
