import { randomBytes } from 'node:crypto';
import type { AuthConfig } from '../config/auth-schema.js';
import type { Clock } from '../core/clock.js';
import type { Logger } from '../core/logger.js';
import { Secret } from '../core/secret.js';
import type { Role, User } from '../core/user.js';
import { migrate, type StateDb } from '../store/state-db.js';
import { LdapDirectory } from './ldap-directory.js';
import { hashPassword, passwordProblem, verifyPassword } from './passwords.js';
import { SessionStore, type Session, type SessionOwner } from './sessions.js';
import { TokenStore, type ApiToken } from './tokens.js';
import { UserChangeBook, publicChange, type UserChange, type UserChangeProposal } from './user-changes.js';
import { UserRepository, type Account } from './users.js';

/** The audit log as identity sees it (kept by audit/; identity only appends). */
export interface AuditRecorder {
  record(actor: string, action: string, target: string, detail?: Record<string, unknown>): unknown;
}

/**
 * Who is calling: a person with a session, a machine with an API token, or the wall with a
 * display token (read-only, no personal data). `user` is what the rest of demarc reads.
 */
export type Caller =
  | { via: 'session'; user: User; session: Session }
  | { via: 'api-token'; user: User; token: ApiToken }
  | { via: 'display'; user: User; token: ApiToken; session: Session | null };

/** Sessions that just ended early (logout, revocation, role change, token revoked): live sockets on them close. */
export type SessionsEnded = { handle: string } | { owner: SessionOwner };

export type IdentityResult<T> = { ok: true; value: T } | { ok: false; status: 400 | 401 | 403 | 404 | 409; reason: string };

const fail = <T>(status: 400 | 401 | 403 | 404 | 409, reason: string): IdentityResult<T> => ({ ok: false, status, reason });
const USER_ID = /^[A-Za-z0-9_.@-]{1,64}$/;

export interface IdentityDeps {
  db: StateDb;
  clock: Clock;
  logger: Logger;
  audit: AuditRecorder;
  config: AuthConfig;
}

/** Accounts, sessions, tokens, directory login and the two-person rule for user changes. */
export class IdentityService {
  readonly users: UserRepository;
  readonly sessions: SessionStore;
  readonly tokens: TokenStore;
  readonly changes: UserChangeBook;
  private readonly ldap: LdapDirectory | null;
  private readonly endedListeners: ((ended: SessionsEnded) => void)[] = [];

  constructor(private readonly deps: IdentityDeps) {
    this.users = new UserRepository(deps.db, deps.clock);
    const s = deps.config.session;
    this.sessions = new SessionStore(deps.db, deps.clock, { idleMs: s.idleMinutes * 60_000, absoluteMs: s.absoluteHours * 3_600_000 });
    this.tokens = new TokenStore(deps.db, deps.clock);
    this.changes = new UserChangeBook(deps.db, deps.clock);
    this.ldap = deps.config.ldap ? new LdapDirectory(deps.config.ldap) : null;
    migrate(deps.db, 'identity-meta', ['CREATE TABLE identity_meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)']);
  }

  /**
   * Password login: a local account with a password is checked with argon2id; anyone else is
   * tried against the directory when one is configured. Success and failure are both audited.
   */
  async login(username: string, password: Secret, source: string): Promise<IdentityResult<{ user: Account; cookie: Secret; session: Session }>> {
    const refuse = (why: string) => {
      this.deps.audit.record(username, 'auth.login', `user:${username}`, { source, outcome: 'failure', reason: why });
      return fail<never>(401, 'wrong user name or password');
    };
    if (!USER_ID.test(username)) return refuse('malformed user name');
    let account = this.users.get(username);
    if (account?.disabledAt != null) return refuse('account disabled');
    if (account && account.source === 'local') {
      const hash = this.users.passwordHash(username);
      if (!hash) return refuse('account has no password set');
      if (!(await verifyPassword(hash, password))) return refuse('wrong password');
    } else if (this.ldap) {
      const r = await this.ldap.login(username, password).catch((e: unknown) => ({ ok: false as const, reason: `directory unreachable (${(e as Error).message})` }));
      if (!r.ok) return refuse(r.reason);
      account = this.users.upsertDirectoryUser(username, r.name, r.roles);
    } else {
      return refuse('no such account');
    }
    const { cookie, session } = this.sessions.create({ kind: 'user', userId: account.id }, source);
    this.deps.audit.record(account.id, 'auth.login', `user:${account.id}`, { source, outcome: 'success', via: account.source, session: session.handle });
    return { ok: true, value: { user: account, cookie, session } };
  }

  /**
   * The key that signs CSRF tokens when auth.csrfSecret is not set: made once and kept in the
   * state database, so tokens handed out survive a restart.
   */
  csrfKey(): Secret {
    if (this.deps.config.csrfSecret) return this.deps.config.csrfSecret;
    const db = this.deps.db;
    db.prepare("INSERT OR IGNORE INTO identity_meta (key, value) VALUES ('csrf-key', ?)").run(randomBytes(32).toString('hex'));
    return new Secret((db.prepare("SELECT value FROM identity_meta WHERE key = 'csrf-key'").get() as { value: string }).value);
  }

  onSessionsEnded(listener: (ended: SessionsEnded) => void): void {
    this.endedListeners.push(listener);
  }

  private ended(e: SessionsEnded): void {
    for (const l of this.endedListeners) l(e);
  }

  /** A login lockout (per account or per address) goes into the audit log with when it ends. */
  recordLockout(what: 'account' | 'address', key: string, source: string, unlocksAt: number): void {
    this.deps.audit.record(what === 'account' ? key : 'anonymous', 'auth.lockout', `${what}:${key}`, { source, outcome: 'locked', unlocksAt: new Date(unlocksAt).toISOString() });
  }

  logout(caller: Caller, source: string): void {
    if (caller.via === 'api-token' || !caller.session) return;
    this.sessions.revoke(caller.session.handle, caller.user.id);
    this.ended({ handle: caller.session.handle });
    this.deps.audit.record(caller.user.id, 'auth.logout', `session:${caller.session.handle}`, { source });
  }

  /** The caller behind a session cookie, or null (unknown, expired, revoked, user disabled). */
  fromSession(cookie: string): Caller | null {
    const session = this.sessions.touch(cookie);
    if (!session) return null;
    if (session.owner.kind === 'display') {
      const token = this.tokens.get(session.owner.tokenId);
      if (!token || token.revokedAt !== null || (token.expiresAt !== null && this.deps.clock.now() >= token.expiresAt)) return null;
      return { via: 'display', user: tokenUser(token), token, session };
    }
    const a = this.users.get(session.owner.userId);
    if (!a || a.disabledAt !== null) return null;
    return { via: 'session', user: { id: a.id, name: a.name, roles: a.roles }, session };
  }

  fromBearer(value: string): IdentityResult<Caller> {
    const r = this.tokens.check(value);
    if (!r.ok) return fail(401, r.reason);
    const user = tokenUser(r.token);
    return { ok: true, value: r.token.kind === 'display' ? { via: 'display', user, token: r.token, session: null } : { via: 'api-token', user, token: r.token } };
  }

  /** The wall presents its display token once and runs on a display session from then on. */
  displaySession(value: string, source: string): IdentityResult<{ cookie: Secret; session: Session; token: ApiToken }> {
    const r = this.tokens.check(value);
    if (!r.ok) return fail(401, r.reason);
    if (r.token.kind !== 'display') return fail(403, 'only a display token opens a wall session');
    const { cookie, session } = this.sessions.create({ kind: 'display', tokenId: r.token.id }, source);
    this.deps.audit.record(`token:${r.token.name}`, 'auth.display-session', `token:${r.token.id}`, { source, outcome: 'success', session: session.handle });
    return { ok: true, value: { cookie, session, token: r.token } };
  }

  revokeSession(handle: string, by: string): IdentityResult<Session> {
    const s = this.sessions.revoke(handle, by);
    if (!s) return fail(404, `no live session "${handle}"`);
    this.ended({ handle });
    this.deps.audit.record(by, 'auth.session-revoke', `session:${handle}`, { owner: s.owner });
    return { ok: true, value: s };
  }

  createToken(t: { name: string; kind: 'api' | 'display'; roles: Role[]; expiresAt: number | null }, by: string): { token: ApiToken; value: Secret } {
    const out = this.tokens.create({ ...t, createdBy: by });
    this.deps.audit.record(by, 'token.create', `token:${out.token.id}`, { name: t.name, kind: t.kind, roles: out.token.roles, expiresAt: t.expiresAt });
    return out;
  }

  revokeToken(id: string, by: string): IdentityResult<ApiToken> {
    const t = this.tokens.revoke(id, by);
    if (!t) return fail(404, `no live token "${id}"`);
    this.sessions.revokeOwner({ kind: 'display', tokenId: id }, by);
    this.ended({ owner: { kind: 'display', tokenId: id } });
    this.deps.audit.record(by, 'token.revoke', `token:${id}`, { name: t.name });
    return { ok: true, value: t };
  }

  /** One admin proposes a user change; it is applied when a different admin approves it. */
  async proposeUserChange(
    input: { kind: 'add'; userId: string; name: string; roles: Role[]; password: Secret } | Exclude<UserChange, { kind: 'add' }>,
    by: string,
  ): Promise<IdentityResult<UserChangeProposal>> {
    const existing = this.users.get(input.userId);
    let change: UserChange;
    if (input.kind === 'add') {
      if (!USER_ID.test(input.userId)) return fail(400, 'user id: letters, digits, _ . @ - (at most 64)');
      if (existing) return fail(409, `user "${input.userId}" exists already`);
      const problem = passwordProblem(input.userId, input.password);
      if (problem) return fail(400, problem);
      change = { kind: 'add', userId: input.userId, name: input.name, roles: input.roles, passwordHash: await hashPassword(input.password) };
    } else {
      if (!existing) return fail(404, `no user "${input.userId}"`);
      change = input;
    }
    const p = this.changes.propose(change, by);
    this.deps.audit.record(by, 'user.change-propose', `user:${input.userId}`, { proposal: p.id, change: publicChange(change) });
    return { ok: true, value: p };
  }

  approveUserChange(id: string, by: string): IdentityResult<UserChangeProposal> {
    const p = this.changes.get(id);
    if (!p) return fail(404, `no user change "${id}"`);
    if (p.state !== 'proposed') return fail(409, `user change "${id}" is ${p.state} already`);
    if (p.proposedBy === by) return fail(403, `${by} proposed this change; a different admin must approve it`);
    const c = p.change;
    if (c.kind === 'add' && this.users.get(c.userId)) return fail(409, `user "${c.userId}" exists already`);
    this.deps.db.transaction(() => {
      if (c.kind === 'add') this.users.add({ id: c.userId, name: c.name, roles: c.roles, passwordHash: c.passwordHash });
      if (c.kind === 'roles') this.users.setRoles(c.userId, c.roles);
      if (c.kind === 'disable' || c.kind === 'enable') this.users.setDisabled(c.userId, c.kind === 'disable');
      // New roles or a disabled account take effect now, not at the next login.
      if (c.kind !== 'add') this.sessions.revokeOwner({ kind: 'user', userId: c.userId }, by);
      this.changes.decide(id, 'approved', by);
    })();
    if (c.kind !== 'add') this.ended({ owner: { kind: 'user', userId: c.userId } });
    this.deps.audit.record(by, 'user.change-approve', `user:${c.userId}`, { proposal: id, proposedBy: p.proposedBy, change: publicChange(c) });
    return { ok: true, value: this.changes.get(id)! };
  }

  /** A user sets their own password (the old one confirms it is them). */
  async changeOwnPassword(userId: string, current: Secret, next: Secret): Promise<IdentityResult<null>> {
    const hash = this.users.passwordHash(userId);
    if (!hash || !(await verifyPassword(hash, current))) return fail(403, 'the current password is wrong');
    const problem = passwordProblem(userId, next);
    if (problem) return fail(400, problem);
    this.users.setPassword(userId, await hashPassword(next));
    this.deps.audit.record(userId, 'user.password', `user:${userId}`, { by: 'self' });
    return { ok: true, value: null };
  }

  /**
   * First start: users listed in demarc.yaml are created (without a password), then an admin
   * if there is none: with auth.adminPassword, or a one-time password returned to be printed
   * once. Demo accounts get printed passwords. Returns the lines to print.
   */
  async bootstrap(yamlUsers: readonly User[]): Promise<string[]> {
    const lines: string[] = [];
    for (const u of yamlUsers) {
      if (!this.users.get(u.id)) {
        this.users.add({ id: u.id, name: u.name, roles: u.roles, passwordHash: null });
        this.deps.audit.record('bootstrap', 'user.add', `user:${u.id}`, { roles: u.roles, from: 'demarc.yaml' });
      }
    }
    if (this.deps.config.demoUsers) {
      // Fresh passwords on every demo start, so the terminal always shows a working login.
      for (const u of this.users.list()) {
        if (u.source !== 'local' || u.disabledAt !== null) continue;
        const pw = new Secret(randomBytes(9).toString('base64url'));
        this.users.setPassword(u.id, await hashPassword(pw));
        this.deps.audit.record('bootstrap', 'user.password', `user:${u.id}`, { by: 'demo' });
        lines.push(`demo login: ${u.id} / ${pw.reveal()}  (${u.roles.join(', ')})`);
      }
    }
    const admin = this.users.list().find((u) => u.roles.includes('admin') && u.hasPassword && u.disabledAt === null);
    if (!admin) {
      const id = 'admin';
      const fromConfig = this.deps.config.adminPassword;
      const pw = fromConfig ?? new Secret(randomBytes(12).toString('base64url'));
      if (fromConfig) {
        const problem = passwordProblem(id, fromConfig);
        if (problem) throw new Error(`auth.adminPassword (DEMARC_ADMIN_PASSWORD): ${problem}`);
      }
      const hash = await hashPassword(pw);
      if (this.users.get(id)) {
        this.users.setPassword(id, hash);
        this.users.setRoles(id, [...new Set<Role>([...this.users.get(id)!.roles, 'admin'])]);
      } else this.users.add({ id, name: 'Administrator', roles: ['admin'], passwordHash: hash });
      this.deps.audit.record('bootstrap', 'user.first-admin', `user:${id}`, { password: fromConfig ? 'from auth.adminPassword' : 'one-time, printed' });
      if (!fromConfig) lines.push(`first admin: ${id} / ${pw.reveal()}  (printed once; change it with \`demarc user passwd ${id}\`)`);
    }
    return lines;
  }
}

function tokenUser(t: ApiToken): User {
  return { id: `token:${t.name}`, name: t.name, roles: t.kind === 'display' ? [] : t.roles };
}

export { hashPassword, passwordProblem };
