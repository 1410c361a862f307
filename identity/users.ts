import type { Clock } from '../core/clock.js';
import { ROLES, type Role, type User } from '../core/user.js';
import { migrate, type StateDb } from '../store/state-db.js';

export interface Account extends User {
  source: 'local' | 'ldap';
  hasPassword: boolean;
  disabledAt: number | null;
  createdAt: number;
}

interface Row {
  id: string;
  name: string;
  roles: string;
  password_hash: string | null;
  source: 'local' | 'ldap';
  disabled_at: number | null;
  created_at: number;
}

const toAccount = (r: Row): Account => ({
  id: r.id,
  name: r.name,
  roles: (JSON.parse(r.roles) as string[]).filter((x): x is Role => (ROLES as readonly string[]).includes(x)),
  source: r.source,
  hasPassword: r.password_hash !== null,
  disabledAt: r.disabled_at,
  createdAt: r.created_at,
});

/** The accounts in the state database: the one truth about who may log in and with what roles. */
export class UserRepository {
  constructor(
    private readonly db: StateDb,
    private readonly clock: Clock,
  ) {
    migrate(db, 'identity-users', [
      `CREATE TABLE identity_user (
         id TEXT PRIMARY KEY, name TEXT NOT NULL, roles TEXT NOT NULL, password_hash TEXT,
         source TEXT NOT NULL DEFAULT 'local', disabled_at INTEGER, created_at INTEGER NOT NULL, updated_at INTEGER NOT NULL)`,
    ]);
  }

  get(id: string): Account | null {
    const r = this.db.prepare('SELECT * FROM identity_user WHERE id = ?').get(id) as Row | undefined;
    return r ? toAccount(r) : null;
  }

  passwordHash(id: string): string | null {
    const r = this.db.prepare('SELECT password_hash FROM identity_user WHERE id = ? AND disabled_at IS NULL').get(id) as { password_hash: string | null } | undefined;
    return r?.password_hash ?? null;
  }

  list(): Account[] {
    return (this.db.prepare('SELECT * FROM identity_user ORDER BY id').all() as Row[]).map(toAccount);
  }

  count(): number {
    return (this.db.prepare('SELECT COUNT(*) AS n FROM identity_user').get() as { n: number }).n;
  }

  activeAdmins(): number {
    return this.list().filter((a) => a.disabledAt === null && a.roles.includes('admin')).length;
  }

  add(u: { id: string; name: string; roles: Role[]; passwordHash: string | null; source?: 'local' | 'ldap' }): Account {
    const now = this.clock.now();
    this.db
      .prepare('INSERT INTO identity_user (id, name, roles, password_hash, source, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?)')
      .run(u.id, u.name, JSON.stringify(u.roles), u.passwordHash, u.source ?? 'local', now, now);
    return this.get(u.id)!;
  }

  /** A directory user is mirrored on each login so sessions, audit and approvals name a real row. */
  upsertDirectoryUser(id: string, name: string, roles: Role[]): Account {
    const now = this.clock.now();
    this.db
      .prepare(
        `INSERT INTO identity_user (id, name, roles, password_hash, source, created_at, updated_at) VALUES (?, ?, ?, NULL, 'ldap', ?, ?)
         ON CONFLICT(id) DO UPDATE SET name = excluded.name, roles = excluded.roles, updated_at = excluded.updated_at WHERE source = 'ldap'`,
      )
      .run(id, name, JSON.stringify(roles), now, now);
    return this.get(id)!;
  }

  setPassword(id: string, hash: string): boolean {
    return this.db.prepare('UPDATE identity_user SET password_hash = ?, updated_at = ? WHERE id = ?').run(hash, this.clock.now(), id).changes === 1;
  }

  setRoles(id: string, roles: Role[]): boolean {
    return this.db.prepare('UPDATE identity_user SET roles = ?, updated_at = ? WHERE id = ?').run(JSON.stringify(roles), this.clock.now(), id).changes === 1;
  }

  setDisabled(id: string, disabled: boolean): boolean {
    const now = this.clock.now();
    return this.db.prepare('UPDATE identity_user SET disabled_at = ?, updated_at = ? WHERE id = ?').run(disabled ? now : null, now, id).changes === 1;
  }
}
