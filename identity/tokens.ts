import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import type { Clock } from '../core/clock.js';
import { Secret } from '../core/secret.js';
import { ROLES, type Role } from '../core/user.js';
import { migrate, type StateDb } from '../store/state-db.js';

/**
 * An API token for a machine (ticketing, Grafana, a script), scoped to roles, or a display
 * token for the wall TV, which may only read what the wall shows.
 */
export interface ApiToken {
  id: string;
  name: string;
  kind: 'api' | 'display';
  roles: Role[];
  createdBy: string;
  createdAt: number;
  expiresAt: number | null;
  revokedAt: number | null;
  lastUsedAt: number | null;
}

interface Row {
  id: string;
  name: string;
  kind: 'api' | 'display';
  roles: string;
  secret_hash: string;
  created_by: string;
  created_at: number;
  expires_at: number | null;
  revoked_at: number | null;
  last_used_at: number | null;
}

const toToken = (r: Row): ApiToken => ({
  id: r.id,
  name: r.name,
  kind: r.kind,
  roles: (JSON.parse(r.roles) as string[]).filter((x): x is Role => (ROLES as readonly string[]).includes(x)),
  createdBy: r.created_by,
  createdAt: r.created_at,
  expiresAt: r.expires_at,
  revokedAt: r.revoked_at,
  lastUsedAt: r.last_used_at,
});

// 256 random bits: a plain SHA-256 is enough to store it (no dictionary to guess from).
const digest = (s: string) => createHash('sha256').update(s).digest();
const PREFIX = 'dmt_';
/** last_used_at is written at most this often per token, not on every request. */
const LAST_USE_RESOLUTION_MS = 60_000;

export type TokenCheck = { ok: true; token: ApiToken } | { ok: false; reason: string };

export class TokenStore {
  constructor(
    private readonly db: StateDb,
    private readonly clock: Clock,
  ) {
    migrate(db, 'identity-tokens', [
      `CREATE TABLE identity_token (
         id TEXT PRIMARY KEY, name TEXT NOT NULL, kind TEXT NOT NULL, roles TEXT NOT NULL, secret_hash TEXT NOT NULL,
         created_by TEXT NOT NULL, created_at INTEGER NOT NULL, expires_at INTEGER, revoked_at INTEGER, revoked_by TEXT, last_used_at INTEGER)`,
    ]);
  }

  /** The token's value is returned once, here, and never stored. */
  create(t: { name: string; kind: 'api' | 'display'; roles: Role[]; createdBy: string; expiresAt: number | null }): { token: ApiToken; value: Secret } {
    const id = randomBytes(6).toString('hex');
    const secret = randomBytes(32).toString('base64url');
    this.db
      .prepare('INSERT INTO identity_token (id, name, kind, roles, secret_hash, created_by, created_at, expires_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)')
      .run(id, t.name, t.kind, JSON.stringify(t.kind === 'display' ? [] : t.roles), digest(secret).toString('hex'), t.createdBy, this.clock.now(), t.expiresAt);
    return { token: this.get(id)!, value: new Secret(`${PREFIX}${id}_${secret}`) };
  }

  get(id: string): ApiToken | null {
    const r = this.db.prepare('SELECT * FROM identity_token WHERE id = ?').get(id) as Row | undefined;
    return r ? toToken(r) : null;
  }

  list(): ApiToken[] {
    return (this.db.prepare('SELECT * FROM identity_token ORDER BY created_at').all() as Row[]).map(toToken);
  }

  check(value: string): TokenCheck {
    const m = /^dmt_([0-9a-f]{12})_([A-Za-z0-9_-]{43})$/.exec(value);
    if (!m) return { ok: false, reason: 'not a demarc token (dmt_…)' };
    const r = this.db.prepare('SELECT * FROM identity_token WHERE id = ?').get(m[1]) as Row | undefined;
    if (!r || !timingSafeEqual(Buffer.from(r.secret_hash, 'hex'), digest(m[2]!))) return { ok: false, reason: 'unknown token' };
    const now = this.clock.now();
    if (r.revoked_at !== null) return { ok: false, reason: `token "${r.name}" was revoked` };
    if (r.expires_at !== null && now >= r.expires_at) return { ok: false, reason: `token "${r.name}" expired ${new Date(r.expires_at).toISOString()}` };
    if (r.last_used_at === null || now - r.last_used_at >= LAST_USE_RESOLUTION_MS) {
      this.db.prepare('UPDATE identity_token SET last_used_at = ? WHERE id = ?').run(now, r.id);
      r.last_used_at = now;
    }
    return { ok: true, token: toToken(r) };
  }

  revoke(id: string, by: string): ApiToken | null {
    const changed = this.db.prepare('UPDATE identity_token SET revoked_at = ?, revoked_by = ? WHERE id = ? AND revoked_at IS NULL').run(this.clock.now(), by, id).changes;
    return changed ? this.get(id) : null;
  }
}
