import { randomBytes } from 'node:crypto';
import type { Clock } from '../core/clock.js';
import type { Role } from '../core/user.js';
import { migrate, type StateDb } from '../store/state-db.js';

/**
 * A change to who may do what is itself a sensitive change (security annex 11): one admin
 * proposes it, a different admin approves it, and only then is it applied.
 */
export type UserChange =
  | { kind: 'add'; userId: string; name: string; roles: Role[]; passwordHash: string }
  | { kind: 'roles'; userId: string; roles: Role[] }
  | { kind: 'disable'; userId: string }
  | { kind: 'enable'; userId: string };

export interface UserChangeProposal {
  id: string;
  change: UserChange;
  proposedBy: string;
  proposedAt: number;
  state: 'proposed' | 'approved' | 'withdrawn';
  decidedBy: string | null;
  decidedAt: number | null;
}

interface Row {
  id: string;
  change: string;
  proposed_by: string;
  proposed_at: number;
  state: UserChangeProposal['state'];
  decided_by: string | null;
  decided_at: number | null;
}

const toProposal = (r: Row): UserChangeProposal => ({
  id: r.id,
  change: JSON.parse(r.change) as UserChange,
  proposedBy: r.proposed_by,
  proposedAt: r.proposed_at,
  state: r.state,
  decidedBy: r.decided_by,
  decidedAt: r.decided_at,
});

/** A proposal as others may see it: an add's password hash stays in the database. */
export function publicChange(c: UserChange): Record<string, unknown> {
  if (c.kind === 'add') return { kind: c.kind, userId: c.userId, name: c.name, roles: c.roles };
  return { ...c };
}

export class UserChangeBook {
  constructor(
    private readonly db: StateDb,
    private readonly clock: Clock,
  ) {
    migrate(db, 'identity-user-changes', [
      `CREATE TABLE identity_user_change (
         id TEXT PRIMARY KEY, change TEXT NOT NULL, proposed_by TEXT NOT NULL, proposed_at INTEGER NOT NULL,
         state TEXT NOT NULL, decided_by TEXT, decided_at INTEGER)`,
    ]);
  }

  propose(change: UserChange, by: string): UserChangeProposal {
    const id = 'uc-' + randomBytes(5).toString('hex');
    this.db
      .prepare("INSERT INTO identity_user_change (id, change, proposed_by, proposed_at, state) VALUES (?, ?, ?, ?, 'proposed')")
      .run(id, JSON.stringify(change), by, this.clock.now());
    return this.get(id)!;
  }

  get(id: string): UserChangeProposal | null {
    const r = this.db.prepare('SELECT * FROM identity_user_change WHERE id = ?').get(id) as Row | undefined;
    return r ? toProposal(r) : null;
  }

  pending(): UserChangeProposal[] {
    return (this.db.prepare("SELECT * FROM identity_user_change WHERE state = 'proposed' ORDER BY proposed_at").all() as Row[]).map(toProposal);
  }

  decide(id: string, state: 'approved' | 'withdrawn', by: string): void {
    this.db.prepare('UPDATE identity_user_change SET state = ?, decided_by = ?, decided_at = ? WHERE id = ?').run(state, by, this.clock.now(), id);
  }
}
