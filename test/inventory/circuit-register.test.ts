import { describe, expect, it } from 'vitest';
import {
  addWorkingDays, contractStanding, DEFAULT_TERMS, lateActivation, registerEntry, requiredActivation, serviceDays, type CircuitContract,
} from '../../inventory/circuit-register.js';

const contract = (over: Partial<CircuitContract>): CircuitContract => ({
  circuitId: 'C1', siteId: 'S1', orderDate: null, requiredActivationDate: null, activationDate: null, terminationNoticeDate: null,
  serviceEndDate: null, termMonths: null, oneTimeFeeFen: null, monthlyFeeFen: null, ...over,
});

describe('working days on the PRC calendar (1.9), via chinese-days', () => {
  it.each([
    // 2026: Mid-Autumn Fri 25 Sep off; National Day 1-7 Oct off; make-up working days Sun 20 Sep and Sat 10 Oct.
    ['2026-09-18', 1, '2026-09-20', 'Friday → the make-up Sunday'],
    ['2026-09-24', 1, '2026-09-28', 'Mid-Autumn Friday skipped'],
    ['2026-09-30', 1, '2026-10-08', 'National Day week skipped'],
    ['2026-10-09', 1, '2026-10-10', 'Friday → the make-up Saturday'],
    ['2026-10-10', 1, '2026-10-12', 'Saturday make-up day → Monday'],
    ['2026-01-30', 1, '2026-02-02', 'an ordinary weekend'],
  ])('%s + %i working day = %s (%s)', (from, n, expected) => {
    expect(addWorkingDays(from, n)).toBe(expected);
  });
});

describe('late activation and its credit (3.2.3, 10.2) — hand-computed across National Day 2026', () => {
  // Order on Tue 1 Sep 2026. Working days after it: 2-4 Sep (3), 7-11 (8), 14-18 (13), Sun 20 make-up (14),
  // 21-24 (18; Fri 25 is Mid-Autumn), 28-30 (21), 1-7 Oct off, 8 (22), 9 (23), Sat 10 make-up (24), 12-16 (29),
  // Mon 19 Oct (30): the required activation date is 2026-10-19 (weekdays alone would give 13 Oct).
  const order = contract({ orderDate: '2026-09-01', oneTimeFeeFen: 500_000, monthlyFeeFen: 300_000 });

  it('the required date is the 30th working day after the order', () => {
    expect(requiredActivation(order, DEFAULT_TERMS)).toBe('2026-10-19');
  });

  it.each([
    ['2026-10-19', 0, 0, false, false, 'on the required day'],
    // 20, 21, 22, 23 Oct: 4 working days × 2 % × ¥5,000 = ¥400.
    ['2026-10-23', 4, 40_000, false, false, 'Friday of that week'],
    // 20 Oct - 13 Nov: 19 working days → ¥1,900.
    ['2026-11-13', 19, 190_000, false, false, 'three and a half weeks late'],
    // 20 Oct - 20 Nov: 24 working days → ¥2,400; 32 calendar days late: the customer may terminate.
    ['2026-11-20', 24, 240_000, false, true, 'more than 30 days late'],
    // 20 Oct - 30 Nov: 30 working days → ¥3,000 = the first month's fee (the cap).
    ['2026-11-30', 30, 300_000, false, true, 'exactly at the cap'],
    ['2026-12-01', 31, 300_000, true, true, 'past the cap'],
  ])('activated %s: %i working days late, credit %i fen (capped %s, may terminate %s) — %s', (activationDate, late, creditFen, capped, mayTerminate) => {
    expect(lateActivation({ ...order, activationDate }, DEFAULT_TERMS, '2026-12-31')).toEqual({
      requiredDate: '2026-10-19', workingDaysLate: late, creditFen, capped, customerMayTerminate: mayTerminate,
    });
  });

  it('still not activated: counted to today', () => {
    expect(lateActivation(order, DEFAULT_TERMS, '2026-10-21')).toMatchObject({ workingDaysLate: 2, creditFen: 20_000 });
    expect(registerEntry(order, DEFAULT_TERMS, '2026-10-21').status).toBe('ordered');
  });
});

describe('term, renewal and notice (13.1, 13.2, 5.1)', () => {
  const active = contract({ activationDate: '2026-01-15' });
  it.each([
    // term 2026-01-15 .. 2027-01-14; notice deadline 90 days before: 2026-10-16
    ['2026-06-01', 'active', '2027-01-14', '2026-10-16', 'renews-unless-notice', null],
    ['2026-09-16', 'active', '2027-01-14', '2026-10-16', 'renews-unless-notice', 30],
    ['2026-10-10', 'active', '2027-01-14', '2026-10-16', 'renews-unless-notice', 7],
    ['2026-10-17', 'active', '2027-01-14', '2026-10-16', 'renews', null],
    // into the renewed term
    ['2027-02-01', 'active', '2028-01-14', '2027-10-16', 'renews-unless-notice', null],
  ])('on %s: %s, term ends %s, notice by %s, %s, warning %s', (today, status, termEnd, deadline, decision, warning) => {
    const e = registerEntry(active, DEFAULT_TERMS, today);
    expect(e.status).toBe(status);
    expect(e.renewal).toMatchObject({ termEnd, noticeDeadline: deadline, decision, warning });
  });

  it('notice in time ends the term; the service ends at least 30 days after the notice', () => {
    const c = contract({ activationDate: '2026-01-15', terminationNoticeDate: '2026-10-01', serviceEndDate: '2026-10-10' });
    const e = registerEntry(c, DEFAULT_TERMS, '2026-10-05');
    expect(e).toMatchObject({ status: 'notice-given', serviceEndDate: '2026-10-31', noticeTooShort: true });
    expect(e.renewal!.decision).toBe('ends');
    expect(registerEntry(c, DEFAULT_TERMS, '2026-11-01').status).toBe('ended');
  });

  it('service days for fees (4.3 from activation, 6.2 pro rata to the end)', () => {
    expect(serviceDays({ activationDate: '2026-10-23', serviceEndDate: null }, '2026-10-01', '2026-10-31')).toBe(9);
    expect(serviceDays({ activationDate: '2026-01-15', serviceEndDate: '2026-10-31' }, '2026-10-01', '2026-10-31')).toBe(31);
    expect(serviceDays({ activationDate: '2026-01-15', serviceEndDate: '2026-10-12' }, '2026-10-01', '2026-10-31')).toBe(12);
    expect(serviceDays({ activationDate: null, serviceEndDate: null }, '2026-10-01', '2026-10-31')).toBe(0);
  });
});

describe('contractStanding(register, period): the monthly report section', () => {
  it('lists term ends due, late activations with credits, and circuits out of service', () => {
    const register = [
      contract({ circuitId: 'LATE', orderDate: '2026-09-01', activationDate: '2026-10-23', oneTimeFeeFen: 500_000, monthlyFeeFen: 300_000 }),
      contract({ circuitId: 'ON-TIME', orderDate: '2026-09-01', activationDate: '2026-10-12', oneTimeFeeFen: 500_000, monthlyFeeFen: 300_000 }),
      contract({ circuitId: 'DUE', activationDate: '2025-12-20' }),
      contract({ circuitId: 'STEADY', activationDate: '2026-05-01' }),
    ];
    const s = contractStanding(register, { firstDay: '2026-10-01', lastDay: '2026-10-31' });
    expect(s.termEndsDue.map((e) => [e.circuitId, e.renewal!.termEnd])).toEqual([['DUE', '2026-12-19']]);
    expect(s.lateActivations.map((e) => [e.circuitId, e.late!.workingDaysLate, e.late!.creditFen])).toEqual([['LATE', 4, 40_000]]);
    expect(s.creditsFen).toBe(40_000);
    expect(s.outOfService.map((x) => [x.entry.circuitId, x.serviceDays])).toEqual([['LATE', 9], ['ON-TIME', 20]]);
  });
});
