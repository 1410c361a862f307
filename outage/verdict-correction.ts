import type { Incident, Responsibility, VerdictCorrection } from '../core/incident.js';
import { DomainError } from '../core/domain-error.js';
import type { User } from '../core/user.js';

/** Why a correction step was refused; `status` is what the API answers with. */
export class CorrectionRefused extends DomainError {
  override readonly name = 'CorrectionRefused';
}

export function pendingCorrection(incident: Incident): VerdictCorrection | null {
  const last = incident.corrections[incident.corrections.length - 1];
  return last && last.approvedBy === null && !last.rejected ? last : null;
}

/**
 * Step one of a correction: an operator proposes another responsibility, with a reason.
 * It changes nothing until a second person approves it (security annex item 11).
 */
export function proposeCorrection(
  incident: Incident,
  p: { by: User; responsibility: Responsibility; reason: string; at: number },
): VerdictCorrection {
  const reason = p.reason.trim();
  if (reason.length < 3) throw new CorrectionRefused('invalid', 'reason: say why the verdict should change');
  const pending = pendingCorrection(incident);
  if (pending) {
    throw new CorrectionRefused('conflict', `a correction to ${pending.responsibility} proposed by ${pending.proposedBy} at ${new Date(pending.proposedAt).toISOString()} is waiting for approval`);
  }
  if (incident.responsibility === p.responsibility && incident.verdict === 'final') {
    throw new CorrectionRefused('conflict', `the verdict is already ${p.responsibility} (final)`);
  }
  return { responsibility: p.responsibility, reason, proposedBy: p.by.id, proposedAt: p.at, approvedBy: null, approvedAt: null };
}

/** Who may decide on a proposal: a second person, with the approver role. */
function checkDecider(pending: VerdictCorrection, by: User, verb: string): void {
  if (pending.proposedBy === by.id) {
    throw new CorrectionRefused('forbidden', `${by.id} proposed this correction and cannot also ${verb} it: a second person must (security annex item 11)`);
  }
  if (!by.roles.includes('approver') && !by.roles.includes('admin')) {
    throw new CorrectionRefused('forbidden', `${by.id} does not have the approver role`);
  }
}

/** Step two: a different person with the approver role confirms; only then does it take effect. */
export function approveCorrection(incident: Incident, a: { by: User; at: number }): VerdictCorrection {
  const pending = pendingCorrection(incident);
  if (!pending) throw new CorrectionRefused('conflict', 'there is no proposed correction waiting for approval');
  checkDecider(pending, a.by, 'approve');
  return { ...pending, approvedBy: a.by.id, approvedAt: a.at };
}

/** Or step two the other way: the second person turns it down, saying why; the verdict stays. */
export function rejectCorrection(incident: Incident, r: { by: User; at: number; reason: string }): VerdictCorrection {
  const pending = pendingCorrection(incident);
  if (!pending) throw new CorrectionRefused('conflict', 'there is no proposed correction waiting for a decision');
  checkDecider(pending, r.by, 'reject');
  const reason = r.reason.trim();
  if (reason.length < 3) throw new CorrectionRefused('invalid', 'reason: say why the correction is rejected');
  return { ...pending, rejected: { by: r.by.id, at: r.at, reason } };
}
