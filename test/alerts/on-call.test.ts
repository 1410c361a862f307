import { describe, expect, it } from 'vitest';
import { dayKinds, formatShanghai, inSpan, onCallChain, shanghaiTime } from '../../alerts/on-call.js';
import { config } from './fixtures.js';

/** An instant given as Asia/Shanghai wall-clock time. */
const sh = (local: string) => Date.parse(`${local}+08:00`);

describe('PRC calendar (chinese-days) as the rules see it', () => {
  it.each([
    { date: '2026-03-10', has: ['workday', 'tue'], hasNot: ['restday', 'holiday', 'makeup'] },
    { date: '2026-03-07', has: ['restday', 'sat'], hasNot: ['workday', 'holiday', 'makeup'] },
    { date: '2026-02-14', has: ['workday', 'makeup', 'sat'], hasNot: ['restday', 'holiday'] },
    { date: '2026-02-17', has: ['restday', 'holiday', 'tue'], hasNot: ['workday'] },
    { date: '2026-10-01', has: ['restday', 'holiday', 'thu'], hasNot: ['workday'] },
    { date: '2026-10-10', has: ['workday', 'makeup', 'sat'], hasNot: ['holiday'] },
  ])('$date', ({ date, has, hasNot }) => {
    const k = dayKinds(date);
    for (const h of has) expect(k.has(h as never), `${date} should be ${h}`).toBe(true);
    for (const h of hasNot) expect(k.has(h as never), `${date} should not be ${h}`).toBe(false);
    expect(k.has('all')).toBe(true);
  });
});

describe('Asia/Shanghai time', () => {
  it.each([
    { at: Date.parse('2026-03-09T18:00:00Z'), date: '2026-03-10', minutes: 120, weekday: 'tue', shown: '2026-03-10 02:00' },
    { at: Date.parse('2026-12-31T16:00:00Z'), date: '2027-01-01', minutes: 0, weekday: 'fri', shown: '2027-01-01 00:00' },
    { at: Date.parse('2026-07-01T15:59:59Z'), date: '2026-07-01', minutes: 23 * 60 + 59, weekday: 'wed', shown: '2026-07-01 23:59' },
  ])('$shown', ({ at, date, minutes, weekday, shown }) => {
    expect(shanghaiTime(at)).toEqual({ date, minutes, weekday });
    expect(formatShanghai(at)).toBe(shown);
  });
});

describe('on-call rotation', () => {
  const noc = config().rotations.find((r) => r.id === 'noc')!;
  it.each([
    { when: '2026-03-10T02:00:00', chain: ['noc-a', 'noc-b', 'noc-lead'], why: 'Tuesday night: Monday’s night shift' },
    { when: '2026-03-10T10:00:00', chain: ['day-a', 'noc-lead'], why: 'working-day day shift' },
    { when: '2026-03-10T08:29:00', chain: ['noc-a', 'noc-b', 'noc-lead'], why: 'night shift ends at 08:30' },
    { when: '2026-03-10T08:30:00', chain: ['day-a', 'noc-lead'], why: 'day shift starts at 08:30' },
    { when: '2026-03-10T17:30:00', chain: ['noc-a', 'noc-b', 'noc-lead'], why: 'night shift starts at 17:30' },
    { when: '2026-03-07T10:00:00', chain: ['noc-a', 'noc-lead'], why: 'Saturday daytime: no shift, fallback' },
    { when: '2026-02-14T10:00:00', chain: ['day-a', 'noc-lead'], why: 'Saturday make-up working day (调休补班)' },
    { when: '2026-02-17T10:00:00', chain: ['noc-a', 'noc-lead'], why: 'Spring Festival holiday on a Tuesday: fallback' },
    { when: '2026-10-01T03:00:00', chain: ['noc-a', 'noc-b', 'noc-lead'], why: 'night of 30 Sep into National Day' },
  ])('$when: $why', ({ when, chain }) => {
    expect(onCallChain(noc, sh(when))).toEqual(chain);
  });

  it.each([
    { span: { days: ['holiday'] as const, from: '00:00', to: '00:00' }, when: '2026-10-02T12:00:00', inside: true },
    { span: { days: ['holiday'] as const, from: '00:00', to: '00:00' }, when: '2026-10-10T12:00:00', inside: false },
    { span: { days: ['fri'] as const, from: '22:00', to: '06:00' }, when: '2026-03-14T05:59:00', inside: true },
    { span: { days: ['fri'] as const, from: '22:00', to: '06:00' }, when: '2026-03-14T06:00:00', inside: false },
    { span: { days: ['fri'] as const, from: '22:00', to: '06:00' }, when: '2026-03-13T05:00:00', inside: false },
  ])('span $span.days $span.from-$span.to at $when → $inside', ({ span, when, inside }) => {
    expect(inSpan(span, sh(when))).toBe(inside);
  });
});
