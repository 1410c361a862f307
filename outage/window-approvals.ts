import { randomUUID } from 'node:crypto';
import type { Clock } from '../core/clock.js';
import type { IncidentEvent, MaintenanceWindow } from '../core/incident.js';
import type { User } from '../core/user.js';
import type { AuditLog } from '../audit/audit-log.js';
import { migrate, type StateDb } from '../store/state-db.js';
import { OutageCommandError, type NewWindow, type OutageStage } from './outage-stage.js';

export type WindowChange = { kind: 'create'; window: NewWindow } | { kind: 'delete'; windowId: string; reason: string };

/**
 * Which window changes one person may not make alone (security annex 11): a window longer
 * than the configured maximum, one over a whole carrier group, and any change to a window
 * that has begun (it is already deciding outages). Returns why, or null.
 */
export function needsSecondPerson(change: WindowChange, existing: MaintenanceWindow | null, now: number, maxMs: number): string | null {
  if (change.kind === 'create') {
    const w = change.window;
    if (w.scope.kind === 'carrier-group') return `it covers the whole carrier group ${w.scope.carrierGroup}`;
    if (w.endsAt - w.startsAt > maxMs) return `it is longer than ${maxMs / 3_600_000} h`;
    return null;
  }
  if (existing && existing.startsAt <= now) return 'the window has begun';
  return null;
}

export interface WindowProposal {
  id: string;
  change: WindowChange;
  why: string;
  proposedBy: string;
  proposedAt: number;
  state: 'proposed' | 'approved';
  approvedBy: string | null;
  approvedAt: number | null;
}

type Outcome = { applied: true; window: MaintenanceWindow; events: IncidentEvent[] } | { applied: false; proposal: WindowProposal };

/** Window changes through the two-person rule: applied at once when allowed, else held for an approver. */
export class WindowApprovals {
  constructor(
    private readonly deps: { db: StateDb; clock: Clock; audit: Pick<AuditLog, 'record'>; outage: OutageStage; maxHours: number },
  ) {
    migrate(deps.db, 'outage-window-approvals', [
      `CREATE TABLE outage_window_proposal (
         id TEXT PRIMARY KEY, change TEXT NOT NULL, why TEXT NOT NULL, proposed_by TEXT NOT NULL, proposed_at INTEGER NOT NULL,
         state TEXT NOT NULL, approved_by TEXT, approved_at INTEGER)`,
    ]);
  }

  request(change: WindowChange, by: User): Outcome {
    const now = this.deps.clock.now();
    let existing: MaintenanceWindow | null = null;
    if (change.kind === 'delete') {
      existing = this.deps.outage.listWindows({}).find((w) => w.id === change.windowId) ?? null;
      if (!existing) throw new OutageCommandError('not-found', `no maintenance window ${change.windowId} (or it was already deleted)`);
    } else this.deps.outage.checkWindow(change.window);
    const why = needsSecondPerson(change, existing, now, this.deps.maxHours * 3_600_000);
    if (why === null) return { applied: true, ...this.apply(change, by) };
    const id = `MWP-${randomUUID()}`;
    this.deps.db
      .prepare("INSERT INTO outage_window_proposal (id, change, why, proposed_by, proposed_at, state) VALUES (?, ?, ?, ?, ?, 'proposed')")
      .run(id, JSON.stringify(change), why, by.id, now);
    this.deps.audit.record(by.id, 'maintenance.propose', id, { change, why });
    return { applied: false, proposal: this.get(id)! };
  }

  approve(id: string, by: User): { proposal: WindowProposal; window: MaintenanceWindow; events: IncidentEvent[] } {
    const p = this.get(id);
    if (!p) throw new OutageCommandError('not-found', `no maintenance proposal ${id}`);
    if (p.state !== 'proposed') throw new OutageCommandError('conflict', `maintenance proposal ${id} was approved already`);
    if (p.proposedBy === by.id) throw new OutageCommandError('forbidden', `${by.id} proposed this change and cannot also approve it: a second person must (security annex item 11)`);
    // Applied in the proposer's name (they registered it); the approval is its own audit entry.
    const out = this.apply(p.change, { id: p.proposedBy, name: p.proposedBy, roles: [] });
    const now = this.deps.clock.now();
    this.deps.db.prepare("UPDATE outage_window_proposal SET state = 'approved', approved_by = ?, approved_at = ? WHERE id = ?").run(by.id, now, id);
    this.deps.audit.record(by.id, 'maintenance.approve', id, { proposedBy: p.proposedBy, window: out.window.id, why: p.why });
    return { proposal: this.get(id)!, ...out };
  }

  pending(): WindowProposal[] {
    return (this.deps.db.prepare("SELECT id FROM outage_window_proposal WHERE state = 'proposed' ORDER BY proposed_at").all() as { id: string }[]).map((r) => this.get(r.id)!);
  }

  get(id: string): WindowProposal | null {
    const r = this.deps.db.prepare('SELECT * FROM outage_window_proposal WHERE id = ?').get(id) as
      | { id: string; change: string; why: string; proposed_by: string; proposed_at: number; state: 'proposed' | 'approved'; approved_by: string | null; approved_at: number | null }
      | undefined;
    if (!r) return null;
    return { id: r.id, change: JSON.parse(r.change) as WindowChange, why: r.why, proposedBy: r.proposed_by, proposedAt: r.proposed_at, state: r.state, approvedBy: r.approved_by, approvedAt: r.approved_at };
  }

  private apply(change: WindowChange, by: User) {
    return change.kind === 'create' ? this.deps.outage.createWindow(change.window, by) : this.deps.outage.deleteWindow(change.windowId, by, change.reason);
  }
}
