import cookieParser from 'cookie-parser';
import type { Application } from 'express';
import { authMiddleware, CSRF_HEADER } from '../../api/auth.js';
import { authRoutes } from '../../api/routes/auth.js';
import { authConfig, type AuthConfig } from '../../config/auth-schema.js';
import type { Clock } from '../../core/clock.js';
import { silentLogger } from '../../core/logger.js';
import { Secret } from '../../core/secret.js';
import type { Role, User } from '../../core/user.js';
import { hashPassword, IdentityService, type AuditRecorder } from '../../identity/identity.js';
import { openStateDb, type StateDb } from '../../store/state-db.js';
import { systemClock as systemClockForTests } from '../../core/clock.js';

const openMemoryDb = () => openStateDb(':memory:');

/** Every test user's password: long enough for the policy, never used outside tests. */
export const TEST_PASSWORD = 'test-Passw0rd-long-enough';

const noAudit: AuditRecorder = { record: () => undefined };

let cachedHash: Promise<string> | null = null;
/** One argon2id hash for all test users (hashing is deliberately slow). */
const testHash = () => (cachedHash ??= hashPassword(new Secret(TEST_PASSWORD)));

/** Creates the users (with TEST_PASSWORD) in the identity tables of a state db. */
export async function seedUsers(identity: IdentityService, users: readonly User[]): Promise<void> {
  const hash = await testHash();
  for (const u of users) if (!identity.users.get(u.id)) identity.users.add({ id: u.id, name: u.name, roles: u.roles, passwordHash: hash });
}

export function newIdentity(db: StateDb, clock: Clock, opts: { audit?: AuditRecorder; config?: Partial<AuthConfig> } = {}): IdentityService {
  return new IdentityService({ db, clock, logger: silentLogger, audit: opts.audit ?? noAudit, config: { ...authConfig(), ...opts.config } });
}

/**
 * For tests that mount routers on their own express app: cookies, authentication and the
 * login routes under /api, exactly as api/server.ts mounts them. Mount before the routers.
 */
export async function mountAuth(app: Application, deps: { db: StateDb; clock: Clock; users: readonly User[]; audit?: AuditRecorder }): Promise<IdentityService> {
  const identity = newIdentity(deps.db, deps.clock, deps.audit ? { audit: deps.audit } : {});
  await seedUsers(identity, deps.users);
  const config = authConfig();
  const auth = authMiddleware({ identity, allowedOrigins: [], secure: false });
  app.use(cookieParser());
  app.use('/api', auth.authenticate, authRoutes({ identity, config, secure: false, logger: silentLogger, csrfToken: auth.csrfToken }));
  return identity;
}

export interface LoggedIn {
  user: { id: string; roles: Role[] };
  /** Cookie and CSRF headers for fetch. */
  headers: Record<string, string>;
}

/** Logs in over HTTP (POST {base}/auth/login) and returns what a browser would send after. */
export async function login(apiBase: string, userId: string, password = TEST_PASSWORD): Promise<LoggedIn> {
  const res = await fetch(`${apiBase}/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: userId, password }) });
  if (res.status !== 200) throw new Error(`login ${userId}: ${res.status} ${await res.text()}`);
  const body = (await res.json()) as { user: { id: string; roles: Role[] }; csrfToken: string };
  const cookies = res.headers.getSetCookie().map((c) => c.split(';')[0]!).join('; ');
  return { user: body.user, headers: { cookie: cookies, [CSRF_HEADER]: body.csrfToken } };
}

/** Logs each user in once per base URL and hands out their headers. */
export function sessions(apiBase: () => string) {
  const cache = new Map<string, Promise<LoggedIn>>();
  return async (userId: string | undefined): Promise<Record<string, string>> => {
    if (!userId) return {};
    const key = `${apiBase()} ${userId}`;
    if (!cache.has(key)) cache.set(key, login(apiBase(), userId));
    return (await cache.get(key)!).headers;
  };
}

/** The `auth` option of startApiServer for a test: an identity on the given state db. */
export function serverAuth(db: StateDb, clock: Clock) {
  return { identity: newIdentity(db, clock), config: authConfig(), clock };
}

/** Headers with a fresh API token of these roles (machines' way in, no CSRF needed). */
export function bearer(identity: IdentityService, roles: Role[] = ['viewer'], name = 'test-token'): Record<string, string> {
  const { value } = identity.createToken({ name, kind: 'api', roles, expiresAt: null }, 'test');
  return { authorization: `Bearer ${value.reveal()}` };
}

/** For a running demarc: every account (the YAML bootstrap users) gets TEST_PASSWORD. */
export async function setTestPasswords(identity: IdentityService): Promise<void> {
  const hash = await testHash();
  for (const u of identity.users.list()) identity.users.setPassword(u.id, hash);
}

/** The users the test configs define, one per role, for tests that call authHeaders(). */
export const TEST_USERS: User[] = [
  { id: 'viewer.zhao', name: '赵（只读）', roles: ['viewer'] },
  { id: 'noc.zhang', name: '张工（NOC 值班）', roles: ['operator'] },
  { id: 'mgr.li', name: '李主任（审批）', roles: ['approver'] },
  { id: 'audit.chen', name: '陈（审计）', roles: ['auditor'] },
  { id: 'admin', name: '管理员', roles: ['admin'] },
];

/**
 * For a demarc that runs as its own process: its state db gets the users with TEST_PASSWORD
 * before it starts (the YAML list only bootstraps users without a password).
 */
export async function seedStateDb(path: string, clock: Clock, users: readonly User[] = TEST_USERS): Promise<void> {
  const db = openStateDb(path);
  try {
    await seedUsers(newIdentity(db, clock), users);
  } finally {
    db.close();
  }
}

const loggedIn = new Map<string, Promise<LoggedIn>>();
/** Cookie and CSRF headers of a logged-in user of the demarc at `baseUrl` (one login per user and server). */
export async function authHeaders(baseUrl: string, userId: string): Promise<Record<string, string>> {
  const api = new URL('/api', baseUrl).href;
  const key = `${api} ${userId}`;
  if (!loggedIn.has(key)) loggedIn.set(key, login(api, userId));
  return (await loggedIn.get(key)!).headers;
}

/** The `auth` option for a server test that needs no users: an identity on an in-memory state db. */
export function memoryAuth(clock: Clock = systemClockForTests) {
  return serverAuth(openMemoryDb(), clock);
}
