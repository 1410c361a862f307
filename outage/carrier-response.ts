/**
 * Contract 7.4.2: the carrier must respond to a fault report "within 2 hours" — and, a line
 * later, "within 1 hour". demarc judges against the configured limit and reports the stricter
 * one alongside, so the dispute over which applies is visible, not hidden.
 */
export interface CarrierResponseAssessment {
  status: 'not-reported' | 'awaiting' | 'overdue' | 'responded';
  /** Seconds from report to response; while waiting, the time waited so far. */
  responseSec: number | null;
  limitSec: number;
  strictLimitSec: number;
  /** null while the carrier may still respond in time. */
  withinLimit: boolean | null;
  withinStrictLimit: boolean | null;
}

export function assessCarrierResponse(
  reportedAt: number | null,
  respondedAt: number | null,
  now: number,
  limits: { limitHours: number; strictLimitHours: number },
): CarrierResponseAssessment {
  const limitSec = limits.limitHours * 3600;
  const strictLimitSec = limits.strictLimitHours * 3600;
  if (reportedAt === null) return { status: 'not-reported', responseSec: null, limitSec, strictLimitSec, withinLimit: null, withinStrictLimit: null };
  if (respondedAt !== null) {
    const responseSec = Math.max(0, Math.round((respondedAt - reportedAt) / 1000));
    return { status: 'responded', responseSec, limitSec, strictLimitSec, withinLimit: responseSec <= limitSec, withinStrictLimit: responseSec <= strictLimitSec };
  }
  const waited = Math.max(0, Math.round((now - reportedAt) / 1000));
  const late = (limit: number) => (waited > limit ? false : null);
  return {
    status: waited > limitSec ? 'overdue' : 'awaiting',
    responseSec: waited,
    limitSec,
    strictLimitSec,
    withinLimit: late(limitSec),
    withinStrictLimit: late(strictLimitSec),
  };
}
