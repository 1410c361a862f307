import { createHash, randomBytes } from 'node:crypto';
import type { Clock } from '../core/clock.js';
import { Secret } from '../core/secret.js';
import { migrate, type StateDb } from '../store/state-db.js';

/** What a session belongs to: a person who logged in, or a wall TV that presented a display token. */
export type SessionOwner = { kind: 'user'; userId: string } | { kind: 'display'; tokenId: string };

export interface Session {
  /** A short public handle (hash prefix) that admins see and revoke by; never the cookie value. */
  handle: string;
  owner: SessionOwner;
  createdAt: number;
  lastSeenAt: number;
  /** The earlier of idle expiry and absolute expiry. */
  expiresAt: number;
  source: string;
}

export interface SessionTimeouts {
  idleMs: number;
  absoluteMs: number;
}

interface Row {
  id_hash: string;
  user_id: string | null;
  token_id: string | null;
  created_at: number;
  last_seen_at: number;
  absolute_expires_at: number;
  source: string;
}

/** The cookie carries a random value; the database only its SHA-256, so a copied db opens no session. */
const digest = (value: string) => createHash('sha256').update(value).digest('hex');

export class SessionStore {
  constructor(
    private readonly db: StateDb,
    private readonly clock: Clock,
    private readonly timeouts: SessionTimeouts,
  ) {
    migrate(db, 'identity-sessions', [
      `CREATE TABLE identity_session (
         id_hash TEXT PRIMARY KEY, user_id TEXT, token_id TEXT, created_at INTEGER NOT NULL,
         last_seen_at INTEGER NOT NULL, absolute_expires_at INTEGER NOT NULL, source TEXT NOT NULL,
         revoked_at INTEGER, revoked_by TEXT)`,
      'CREATE INDEX identity_session_user ON identity_session (user_id)',
    ]);
  }

  private toSession(r: Row): Session {
    return {
      handle: r.id_hash.slice(0, 16),
      owner: r.user_id !== null ? { kind: 'user', userId: r.user_id } : { kind: 'display', tokenId: r.token_id! },
      createdAt: r.created_at,
      lastSeenAt: r.last_seen_at,
      expiresAt: Math.min(r.last_seen_at + this.timeouts.idleMs, r.absolute_expires_at),
      source: r.source,
    };
  }

  /** Returns the cookie value (a Secret: it must not reach a log) and the session. */
  create(owner: SessionOwner, source: string): { cookie: Secret; session: Session } {
    const value = randomBytes(32).toString('base64url');
    const now = this.clock.now();
    this.db
      .prepare('INSERT INTO identity_session (id_hash, user_id, token_id, created_at, last_seen_at, absolute_expires_at, source) VALUES (?, ?, ?, ?, ?, ?, ?)')
      .run(digest(value), owner.kind === 'user' ? owner.userId : null, owner.kind === 'display' ? owner.tokenId : null, now, now, now + this.timeouts.absoluteMs, source);
    return { cookie: new Secret(value), session: this.toSession(this.db.prepare('SELECT * FROM identity_session WHERE id_hash = ?').get(digest(value)) as Row) };
  }

  /** The live session behind a cookie value, its idle timer restarted; null when unknown, revoked or expired. */
  touch(cookie: string): Session | null {
    const now = this.clock.now();
    const h = digest(cookie);
    const r = this.db.prepare('SELECT * FROM identity_session WHERE id_hash = ? AND revoked_at IS NULL').get(h) as Row | undefined;
    if (!r) return null;
    if (now >= r.absolute_expires_at || now >= r.last_seen_at + this.timeouts.idleMs) return null;
    this.db.prepare('UPDATE identity_session SET last_seen_at = ? WHERE id_hash = ?').run(now, h);
    return this.toSession({ ...r, last_seen_at: now });
  }

  /** The handle's full id, for revoking by cookie value (logout). */
  handleOf(cookie: string): string {
    return digest(cookie).slice(0, 16);
  }

  listLive(): Session[] {
    const now = this.clock.now();
    const rows = this.db.prepare('SELECT * FROM identity_session WHERE revoked_at IS NULL AND absolute_expires_at > ? ORDER BY created_at').all(now) as Row[];
    return rows.map((r) => this.toSession(r)).filter((s) => s.expiresAt > now);
  }

  revoke(handle: string, by: string): Session | null {
    const r = this.db.prepare("SELECT * FROM identity_session WHERE substr(id_hash, 1, 16) = ? AND revoked_at IS NULL").get(handle) as Row | undefined;
    if (!r) return null;
    this.db.prepare('UPDATE identity_session SET revoked_at = ?, revoked_by = ? WHERE id_hash = ?').run(this.clock.now(), by, r.id_hash);
    return this.toSession(r);
  }

  /** Ends every session of a user (disabled, roles or password changed) or of a display token (revoked). */
  revokeOwner(owner: SessionOwner, by: string): number {
    const col = owner.kind === 'user' ? 'user_id' : 'token_id';
    const id = owner.kind === 'user' ? owner.userId : owner.tokenId;
    return this.db.prepare(`UPDATE identity_session SET revoked_at = ?, revoked_by = ? WHERE ${col} = ? AND revoked_at IS NULL`).run(this.clock.now(), by, id).changes;
  }
}
