/**
 * When to try the monthly report's email again after it failed. Pure: the delivery attempts
 * recorded in the state db come in, a decision comes out, so a restart loses nothing.
 */

/** Minutes after each failed attempt before the next: a mail server down at 08:00 on the 1st gets the working day to come back. */
export const MAIL_RETRY_AFTER_MIN: readonly number[] = [5, 15, 60, 180, 360];

export interface DeliveryAttempt {
  attemptedAt: string;
  error: string | null;
}

export type MailRetryDecision =
  | { due: true; attempt: number }
  | { due: false; why: 'delivered' | 'never-attempted' | 'gave-up' }
  | { due: false; why: 'waiting'; nextAt: number };

export function mailRetryDecision(attempts: readonly DeliveryAttempt[], now: number, afterMin: readonly number[] = MAIL_RETRY_AFTER_MIN): MailRetryDecision {
  if (attempts.length === 0) return { due: false, why: 'never-attempted' };
  if (attempts.some((a) => a.error === null)) return { due: false, why: 'delivered' };
  if (attempts.length > afterMin.length) return { due: false, why: 'gave-up' };
  const nextAt = Date.parse(attempts.at(-1)!.attemptedAt) + afterMin[attempts.length - 1]! * 60_000;
  return now >= nextAt ? { due: true, attempt: attempts.length + 1 } : { due: false, why: 'waiting', nextAt };
}
