import { describe, expect, it } from 'vitest';
import { mailRetryDecision } from '../../reports/mail-retry.js';

const T = Date.parse('2026-11-01T00:00:00Z');
const at = (min: number) => new Date(T + min * 60_000).toISOString();
const failed = (min: number) => ({ attemptedAt: at(min), error: 'connect ECONNREFUSED' });
const sent = (min: number) => ({ attemptedAt: at(min), error: null });

describe('mailRetryDecision', () => {
  it.each([
    { name: 'nothing attempted (email off, or not yet sent)', attempts: [], nowMin: 100, want: { due: false, why: 'never-attempted' } },
    { name: 'the first send went out', attempts: [sent(0)], nowMin: 100, want: { due: false, why: 'delivered' } },
    { name: 'first failure, 4 minutes on', attempts: [failed(0)], nowMin: 4, want: { due: false, why: 'waiting', nextAt: T + 5 * 60_000 } },
    { name: 'first failure, 5 minutes on', attempts: [failed(0)], nowMin: 5, want: { due: true, attempt: 2 } },
    { name: 'second failure waits 15 minutes from it', attempts: [failed(0), failed(5)], nowMin: 19, want: { due: false, why: 'waiting', nextAt: T + 20 * 60_000 } },
    { name: 'second failure, 15 minutes on', attempts: [failed(0), failed(5)], nowMin: 20, want: { due: true, attempt: 3 } },
    { name: 'a later success ends it', attempts: [failed(0), failed(5), sent(20)], nowMin: 500, want: { due: false, why: 'delivered' } },
    { name: 'fifth failure waits 6 hours', attempts: [failed(0), failed(5), failed(20), failed(80), failed(260)], nowMin: 619, want: { due: false, why: 'waiting', nextAt: T + 620 * 60_000 } },
    { name: 'sixth attempt after 6 hours', attempts: [failed(0), failed(5), failed(20), failed(80), failed(260)], nowMin: 620, want: { due: true, attempt: 6 } },
    { name: 'six failures: gives up (the failure stays in the archive and the log)', attempts: [failed(0), failed(5), failed(20), failed(80), failed(260), failed(620)], nowMin: 5000, want: { due: false, why: 'gave-up' } },
  ])('$name', ({ attempts, nowMin, want }) => {
    expect(mailRetryDecision(attempts, T + nowMin * 60_000)).toEqual(want);
  });
});
