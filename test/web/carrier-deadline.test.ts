import { describe, expect, it } from 'vitest';
import { carrierDeadline, formatCountdown, isUnreported, type CarrierDeadline } from '../../web/src/model/carrier-deadline.js';

const T0 = Date.parse('2026-03-01T00:00:00Z');
const min = (m: number) => T0 + m * 60_000;
const iso = (t: number | null) => (t === null ? null : new Date(t).toISOString());

type Row = {
  name: string;
  kind?: 'outage' | 'monitoring-gap';
  responsibility?: 'line' | 'device' | 'planned' | 'external' | 'monitoring' | 'undetermined';
  reported: number | null;
  responded: number | null;
  now: number;
  want: CarrierDeadline;
};

// Started at T0. Limits 1 h (strict) and 2 h as in contract 7.4.2.
const dl = (hours: number, dueAt: number, leftSec: number, met: boolean | null) => ({ hours, dueAt, leftSec, met });
const rows: Row[] = [
  { name: 'device side: not the carrier’s', responsibility: 'device', reported: null, responded: null, now: min(30), want: { state: 'not-carrier' } },
  { name: 'monitoring gap: not the carrier’s', kind: 'monitoring-gap', responsibility: 'line', reported: null, responded: null, now: min(30), want: { state: 'not-carrier' } },
  { name: 'undetermined: not flagged', responsibility: 'undetermined', reported: null, responded: null, now: min(30), want: { state: 'not-carrier' } },
  { name: 'line side, not reported after 30 min: flagged', reported: null, responded: null, now: min(30), want: { state: 'unreported', sinceSec: 1800 } },
  { name: 'line side, not reported, clock before start', reported: null, responded: null, now: min(-1), want: { state: 'unreported', sinceSec: 0 } },
  {
    name: 'reported at 10, now 40: 30 min and 90 min left',
    reported: min(10), responded: null, now: min(40),
    want: { state: 'waiting', deadlines: [dl(1, min(70), 1800, null), dl(2, min(130), 5400, null)] },
  },
  {
    name: 'exactly at the 1 h deadline: not yet late',
    reported: min(10), responded: null, now: min(70),
    want: { state: 'waiting', deadlines: [dl(1, min(70), 0, null), dl(2, min(130), 3600, null)] },
  },
  {
    name: '1 h passed, 2 h still running',
    reported: min(10), responded: null, now: min(100),
    want: { state: 'waiting', deadlines: [dl(1, min(70), -1800, false), dl(2, min(130), 1800, null)] },
  },
  {
    name: 'both passed',
    reported: min(10), responded: null, now: min(200),
    want: { state: 'waiting', deadlines: [dl(1, min(70), -7800, false), dl(2, min(130), -4200, false)] },
  },
  {
    name: 'responded after 45 min: both met',
    reported: min(10), responded: min(55), now: min(300),
    want: { state: 'responded', responseSec: 2700, deadlines: [dl(1, min(70), 900, true), dl(2, min(130), 4500, true)] },
  },
  {
    name: 'responded after 90 min: 1 h missed, 2 h met',
    reported: min(10), responded: min(100), now: min(300),
    want: { state: 'responded', responseSec: 5400, deadlines: [dl(1, min(70), -1800, false), dl(2, min(130), 1800, true)] },
  },
  {
    name: 'responded exactly at 2 h: met',
    reported: min(10), responded: min(130), now: min(300),
    want: { state: 'responded', responseSec: 7200, deadlines: [dl(1, min(70), -3600, false), dl(2, min(130), 0, true)] },
  },
  {
    name: 'reported, then corrected to device side: still tracked',
    responsibility: 'device', reported: min(10), responded: null, now: min(20),
    want: { state: 'waiting', deadlines: [dl(1, min(70), 3000, null), dl(2, min(130), 6600, null)] },
  },
];

describe('carrierDeadline (contract 7.4.2: 1 h and 2 h from the report)', () => {
  it.each(rows)('$name', (r) => {
    const i = { kind: r.kind ?? 'outage', responsibility: r.responsibility ?? 'line', startedAt: iso(T0)!, carrierReportedAt: iso(r.reported), carrierRespondedAt: iso(r.responded) } as const;
    expect(carrierDeadline(i, r.now)).toEqual(r.want);
  });

  it('takes the configured limits, shorter first', () => {
    const i = { kind: 'outage', responsibility: 'line', startedAt: iso(T0)!, carrierReportedAt: iso(T0), carrierRespondedAt: null } as const;
    const d = carrierDeadline(i, T0, { limitSec: 4 * 3600, strictLimitSec: 3 * 3600 });
    expect(d.state === 'waiting' && d.deadlines.map((x) => x.hours)).toEqual([3, 4]);
  });
});

describe('isUnreported', () => {
  const cases: [string, Parameters<typeof isUnreported>[0], boolean][] = [
    ['open line outage, not reported', { kind: 'outage', responsibility: 'line', carrierReportedAt: null }, true],
    ['line outage, reported', { kind: 'outage', responsibility: 'line', carrierReportedAt: iso(T0) }, false],
    ['device outage', { kind: 'outage', responsibility: 'device', carrierReportedAt: null }, false],
    ['planned', { kind: 'outage', responsibility: 'planned', carrierReportedAt: null }, false],
    ['monitoring gap', { kind: 'monitoring-gap', responsibility: 'monitoring', carrierReportedAt: null }, false],
  ];
  it.each(cases)('%s → %s', (_n, i, want) => expect(isUnreported(i)).toBe(want));
});

describe('formatCountdown', () => {
  const cases: [number, string][] = [
    [0, '0:00:00'],
    [59, '0:00:59'],
    [3600, '1:00:00'],
    [5405, '1:30:05'],
    [-61, '−0:01:01'],
    [-7200, '−2:00:00'],
  ];
  it.each(cases)('%i s → %s', (sec, want) => expect(formatCountdown(sec)).toBe(want));
});
