import { randomUUID } from 'node:crypto';
import type { DomainFailure } from '../core/domain-error.js';
import type { AuditLog } from '../audit/audit-log.js';
import type { Silence, SilenceMatch } from './alert.js';
import type { AlertRepository } from './alert-repository.js';
import type { AlertsConfig } from './config-schema.js';

export type SilenceResult = { ok: true; silence: Silence } | { ok: false; failure: DomainFailure; reason: string };

/**
 * Manual silences: a reason and an expiry are mandatory, every step is in the audit log, and
 * (security annex 11, unless switched off) a silence proposed by one person takes effect only
 * when a different person approves it.
 */
export class SilenceDesk {
  constructor(
    private readonly repo: AlertRepository,
    private readonly audit: AuditLog,
    private readonly cfg: AlertsConfig['silences'],
  ) {}

  propose(by: string, input: { match: SilenceMatch; startsAt: number; endsAt: number; reason: string }, now: number): SilenceResult {
    if (input.endsAt <= input.startsAt) return { ok: false, failure: 'invalid', reason: 'endsAt must be after startsAt' };
    if (input.endsAt <= now) return { ok: false, failure: 'invalid', reason: 'endsAt is in the past: the silence would never apply' };
    if (input.endsAt - input.startsAt > this.cfg.maxHours * 3_600_000)
      return { ok: false, failure: 'invalid', reason: `a silence lasts at most ${this.cfg.maxHours} h (alerts.silences.maxHours)` };
    const s: Silence = {
      id: `SIL-${randomUUID()}`,
      match: input.match,
      startsAt: input.startsAt,
      endsAt: input.endsAt,
      reason: input.reason,
      createdBy: by,
      createdAt: now,
      approvedBy: null,
      approvedAt: null,
      deletedBy: null,
      deletedAt: null,
    };
    this.repo.addSilence(s);
    this.audit.record(by, 'alert.silence.propose', s.id, { match: s.match, startsAt: iso(s.startsAt), endsAt: iso(s.endsAt), reason: s.reason });
    if (!this.cfg.requireApproval) {
      this.repo.approveSilence(s.id, by, now);
      this.audit.record(by, 'alert.silence.approve', s.id, { selfApproved: true, reason: 'alerts.silences.requireApproval is false' });
    }
    return { ok: true, silence: this.repo.silence(s.id)! };
  }

  approve(by: string, id: string, now: number): SilenceResult {
    const s = this.repo.silence(id);
    if (!s) return { ok: false, failure: 'not-found', reason: `no silence "${id}"` };
    if (s.deletedAt !== null) return { ok: false, failure: 'conflict', reason: `silence ${id} was lifted by ${s.deletedBy}` };
    if (s.approvedAt !== null) return { ok: false, failure: 'conflict', reason: `silence ${id} is already approved by ${s.approvedBy}` };
    if (s.endsAt <= now) return { ok: false, failure: 'conflict', reason: `silence ${id} has expired` };
    if (s.createdBy === by) return { ok: false, failure: 'forbidden', reason: 'the person who proposed a silence cannot approve it (security annex 11: no one person alone)' };
    this.repo.approveSilence(id, by, now);
    this.audit.record(by, 'alert.silence.approve', id, { proposedBy: s.createdBy });
    return { ok: true, silence: this.repo.silence(id)! };
  }

  /** Lifting a silence makes alerting louder, so one person may do it; it is still audited. */
  lift(by: string, id: string, reason: string | null, now: number): SilenceResult {
    const s = this.repo.silence(id);
    if (!s) return { ok: false, failure: 'not-found', reason: `no silence "${id}"` };
    if (s.deletedAt !== null) return { ok: false, failure: 'conflict', reason: `silence ${id} was already lifted by ${s.deletedBy}` };
    this.repo.deleteSilence(id, by, now);
    this.audit.record(by, 'alert.silence.lift', id, { reason });
    return { ok: true, silence: this.repo.silence(id)! };
  }

  list(q: { from: number; to: number }): Silence[] {
    return this.repo.silences(q);
  }

  live(now: number): Silence[] {
    return this.repo.liveSilences(now);
  }
}

const iso = (t: number) => new Date(t).toISOString();
