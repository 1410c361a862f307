import { describe, expect, it } from 'vitest';
import { availabilityPct, mttrSec, worstCircuits } from '../../reports/availability.js';
import { compliance, judgeResponse } from '../../reports/carrier-response.js';
import { circuitDowntime, clipIncident, subtractSpans, unionSeconds } from '../../reports/incident-clipping.js';
import { decimate } from '../../reports/pdf-charts.js';
import { archiveFileName } from '../../reports/report-archive.js';
import {
  PeriodError, addMonths, inServiceWindow, monthBefore, monthPeriod, rangePeriod, shanghaiDay, shanghaiMidnight, shanghaiMinute, termLastDay,
} from '../../reports/report-period.js';
import { renderCsvSection } from '../../reports/render-csv.js';
import { formatCell } from '../../reports/report-sections.js';
import { chartPoints, summarizeFindings } from '../../reports/series-scan.js';
import { countWorkingDays, isWorkingDay, workingDaysLate } from '../../reports/working-days.js';
import { incident } from './incident-fixture.js';
import { sh } from './known-month.js';

const H = 3_600_000;

describe('Shanghai calendar periods', () => {
  it.each([
    ['2026-10', '2026-09-30T16:00:00.000Z', '2026-10-31T16:00:00.000Z', '2026-10-31'],
    ['2026-09', '2026-08-31T16:00:00.000Z', '2026-09-30T16:00:00.000Z', '2026-09-30'],
    ['2028-02', '2028-01-31T16:00:00.000Z', '2028-02-29T16:00:00.000Z', '2028-02-29'],
    ['2026-12', '2026-11-30T16:00:00.000Z', '2026-12-31T16:00:00.000Z', '2026-12-31'],
  ])('month %s is [%s, %s), last day %s', (m, from, to, last) => {
    const p = monthPeriod(m);
    expect([new Date(p.from).toISOString(), new Date(p.to).toISOString(), p.lastDay]).toEqual([from, to, last]);
  });

  it.each([['2026-13'], ['2026-1'], ['26-10'], ['2026-00'], ['october']])('refuses month %s naming the parameter', (m) => {
    expect(() => monthPeriod(m)).toThrow(PeriodError);
    expect(() => monthPeriod(m)).toThrow(/^month: /);
  });

  it.each([
    ['2026-01-01', '2026-12-31', 365, null],
    ['2026-10-05', '2026-10-05', 1, null],
    ['2026-10-05', '2026-10-04', 0, /^to: 2026-10-04 is before from/],
    ['2026-02-30', '2026-03-01', 0, /^from: "2026-02-30" is not a calendar date/],
    ['2024-01-01', '2026-12-31', 0, /^to: a range covers at most 800 days/],
  ])('range %s..%s', (a, b, days, error) => {
    if (error) expect(() => rangePeriod(a, b)).toThrow(error);
    else expect((rangePeriod(a, b).to - rangePeriod(a, b).from) / 86_400_000).toBe(days);
  });

  it.each([
    ['2026-10-31', 1, '2026-12-01'],
    ['2026-01-31', 1, '2026-03-01'],
    ['2028-02-29', 12, '2029-03-01'],
    ['2026-03-15', 12, '2027-03-15'],
    ['2026-11-01', -1, '2026-10-01'],
  ])('addMonths(%s, %i) = %s (a day the month lacks rolls to the next month\'s first)', (d, n, want) => expect(addMonths(d, n)).toBe(want));

  it.each([
    // 08:00 Shanghai on Nov 1 is 00:00 UTC: the job reports October.
    [sh('2026-11-01', 8), '2026-10'],
    [sh('2026-01-01', 8), '2025-12'],
    // 23:30 UTC on Oct 31 is already Nov 1 in Shanghai.
    [Date.parse('2026-10-31T16:30:00Z'), '2026-10'],
    [Date.parse('2026-10-31T15:59:00Z'), '2026-09'],
  ])('the month before %i is %s', (now, want) => expect(monthBefore(now).label).toBe(want));

  it('day and minute in Shanghai time', () => {
    expect(shanghaiDay(Date.parse('2026-10-31T16:00:00Z'))).toBe('2026-11-01');
    expect(shanghaiMinute(Date.parse('2026-10-31T16:05:00Z'))).toBe('2026-11-01 00:05');
    expect(shanghaiMidnight('2026-10-01')).toBe(Date.parse('2026-09-30T16:00:00Z'));
  });
});

describe('in-service window', () => {
  const oct = monthPeriod('2026-10');
  it.each([
    ['active before the month', '2026-03-01', oct.to, 31],
    ['activated mid-month', '2026-10-16', oct.to, 16],
    ['activated on the last day', '2026-10-31', oct.to, 1],
    ['activated after the month', '2026-11-01', oct.to, null],
    ['term ends mid-month', '2025-10-20', oct.to, 19],
    ['term ended before the month', '2025-09-30', oct.to, null],
    ['report during the month (as of Oct 10 12:00)', '2026-03-01', sh('2026-10-10', 12), 9.5],
  ])('%s', (_what, activation, asOf, days) => {
    const w = inServiceWindow(oct, asOf, activation, 12);
    expect(w === null ? null : w.seconds / 86_400).toBe(days);
  });

  it('the term runs one year from the activation date', () => {
    expect(termLastDay('2026-01-15', 12)).toBe('2027-01-14');
    expect(termLastDay('2028-02-29', 12)).toBe('2029-02-28');
  });
});

describe('PRC working days (chinese-days), make-up days included', () => {
  it.each([
    // National Day 2026: Oct 1-7 off, Saturday Oct 10 a make-up working day.
    ['2026-10-01', '2026-10-31', 18],
    // Mid-autumn Sep 25-27 off, Sunday Sep 20 a make-up working day.
    ['2026-09-01', '2026-09-30', 22],
    ['2026-10-10', '2026-10-10', 1],
    ['2026-10-11', '2026-10-11', 0],
    ['2026-10-01', '2026-10-07', 0],
  ])('%s..%s has %i working days', (a, b, n) => expect(countWorkingDays(a, b)).toBe(n));

  it.each([
    ['2026-09-20', true],
    ['2026-10-10', true],
    ['2026-10-03', false],
    ['2026-10-12', true],
  ])('%s is a working day: %s', (d, want) => expect(isWorkingDay(d)).toBe(want));

  it.each([
    // After an order on Sep 1: Sep 2-30 has 21 working days (Sep 25 off, Sunday Sep 20 worked),
    // Oct 1-7 off, then Oct 8, 9, 10 (Saturday, worked), 12, 13, 14, 15, 16, 19: the 30th is Oct 19.
    ['2026-09-01', '2026-10-19', 0],
    ['2026-09-01', '2026-10-20', 1],
    ['2026-09-01', '2026-10-26', 5],
    ['2026-09-01', '2026-09-10', 0],
  ])('ordered %s, activated %s: %i working days late (clause 3.2.3)', (order, act, late) => expect(workingDaysLate(order, act, 30)).toBe(late));
});

describe('incident clipping', () => {
  const period = { from: sh('2026-10-01'), to: sh('2026-11-01') };
  it.each([
    ['inside', sh('2026-10-05', 1), sh('2026-10-05', 2), 3600, false, false],
    ['crosses the start', sh('2026-09-30', 22), sh('2026-10-01', 2), 7200, true, false],
    ['crosses the end', sh('2026-10-31', 23), sh('2026-11-01', 1), 3600, false, true],
    ['open, counted to the period end', sh('2026-10-31', 20), null, 4 * 3600, false, true],
    ['before the period', sh('2026-09-29', 1), sh('2026-09-29', 2), null, false, false],
    ['ends exactly at the start', sh('2026-09-30', 23), sh('2026-10-01'), null, false, false],
  ])('%s', (_what, startedAt, endedAt, seconds, before, after) => {
    const c = clipIncident({ startedAt, endedAt }, period, period.to);
    if (seconds === null) expect(c).toBeNull();
    else expect(c).toMatchObject({ seconds, startsBefore: before, endsAfter: after });
  });

  it('an open incident in a running month counts to the as-of instant and is not "continuing"', () => {
    expect(clipIncident({ startedAt: sh('2026-10-10', 10), endedAt: null }, period, sh('2026-10-10', 12))).toMatchObject({ seconds: 7200, endsAfter: false });
  });

  it.each([
    [{ from: 0, to: 10 }, [{ from: 2, to: 4 }], [{ from: 0, to: 2 }, { from: 4, to: 10 }]],
    [{ from: 0, to: 10 }, [{ from: -5, to: 20 }], []],
    [{ from: 0, to: 10 }, [{ from: 10, to: 20 }], [{ from: 0, to: 10 }]],
    [{ from: 0, to: 10 }, [{ from: 0, to: 3 }, { from: 6, to: 8 }], [{ from: 3, to: 6 }, { from: 8, to: 10 }]],
  ])('subtractSpans(%o, %o)', (a, covered, want) => expect(subtractSpans(a, covered)).toEqual(want));

  it('unionSeconds counts overlapping spans once', () => {
    expect(unionSeconds([{ from: 0, to: 4000 }, { from: 2000, to: 6000 }, { from: 10_000, to: 11_000 }])).toBe(7);
  });

  it.each([
    ['a site incident wins over an overlapping fleet-wide one', [
      incident({ id: 'noc', siteId: null, startedAt: 0, endedAt: 4 * H, responsibility: 'monitoring' }),
      incident({ id: 'cut', siteId: 'S', startedAt: 1 * H, endedAt: 3 * H, responsibility: 'line' }),
    ], { line: 7200, monitoring: 7200 }],
    ['between two of the site\'s own, the earlier keeps the overlap', [
      incident({ id: 'b', siteId: 'S', startedAt: 2 * H, endedAt: 5 * H, responsibility: 'device' }),
      incident({ id: 'a', siteId: 'S', startedAt: 1 * H, endedAt: 3 * H, responsibility: 'line' }),
    ], { line: 7200, device: 7200 }],
    ['a monitoring gap is not downtime', [
      incident({ id: 'g', siteId: 'S', kind: 'monitoring-gap', startedAt: 0, endedAt: 2 * H, responsibility: 'device' }),
    ], {}],
  ])('%s', (_what, list, want) => {
    const d = circuitDowntime(list, { from: 0, to: 10 * H }, 10 * H);
    expect(d.downtimeSec).toEqual({ line: 0, device: 0, planned: 0, external: 0, monitoring: 0, undetermined: 0, ...want });
  });
});

describe('availability, MTTR, worst circuits', () => {
  it.each([
    [0, 2_678_400, 100],
    [2_678_400, 2_678_400, 0],
    [5_000_000, 2_678_400, 0],
    [26_784, 2_678_400, 99],
    [10, 0, null],
  ])('availabilityPct(%i down, %i in service) = %s', (down, inService, want) => {
    const v = availabilityPct(down, inService);
    if (want === null) expect(v).toBeNull();
    else expect(v).toBeCloseTo(want, 12);
  });

  it('MTTR: line outages restored in the span, whole durations, open ones left out', () => {
    const list = [
      incident({ id: '1', siteId: 'S', startedAt: -2 * H, endedAt: 1 * H, responsibility: 'line' }),
      incident({ id: '2', siteId: 'S', startedAt: 2 * H, endedAt: 3 * H, responsibility: 'line' }),
      incident({ id: '3', siteId: 'S', startedAt: 4 * H, endedAt: 5 * H, responsibility: 'device' }),
      incident({ id: '4', siteId: 'S', startedAt: 6 * H, endedAt: null, responsibility: 'line' }),
      incident({ id: '5', siteId: 'S', startedAt: 9 * H, endedAt: 11 * H, responsibility: 'line' }),
    ];
    expect(mttrSec(list, { from: 0, to: 10 * H })).toBe((3 * 3600 + 3600) / 2);
    expect(mttrSec(list.slice(2, 4), { from: 0, to: 10 * H })).toBeNull();
  });

  it('worst circuits: below 100 % only, lowest first, ties by circuit id, at most N', () => {
    const rows = [
      { siteId: 'a', siteName: 'a', circuitId: 'C3', carrierAvailabilityPct: 99.5, lineDownSec: 1 },
      { siteId: 'b', siteName: 'b', circuitId: 'C2', carrierAvailabilityPct: 99.5, lineDownSec: 1 },
      { siteId: 'c', siteName: 'c', circuitId: 'C1', carrierAvailabilityPct: 100, lineDownSec: 0 },
      { siteId: 'd', siteName: 'd', circuitId: 'C0', carrierAvailabilityPct: null, lineDownSec: 0 },
      { siteId: 'e', siteName: 'e', circuitId: 'C4', carrierAvailabilityPct: 98, lineDownSec: 9 },
    ];
    expect(worstCircuits(rows, 10).map((w) => w.siteId)).toEqual(['e', 'b', 'a']);
    expect(worstCircuits(rows, 2).map((w) => w.siteId)).toEqual(['e', 'b']);
  });
});

describe('carrier response (clause 7.4.2)', () => {
  const lim = { limitHours: 2, strictLimitHours: 1 };
  it.each([
    ['40 min', 40, null, 'met-strict', true, true],
    ['exactly 1 h', 60, null, 'met-strict', true, true],
    ['90 min', 90, null, 'met', true, false],
    ['exactly 2 h', 120, null, 'met', true, false],
    ['3 h', 180, null, 'missed', false, false],
    ['no response after 30 min', null, 30, 'pending', null, null],
    ['no response after 90 min', null, 90, 'pending', null, false],
    ['no response after 3 h', null, 180, 'overdue', false, false],
  ])('%s', (_what, respondedMin, waitedMin, status, withinLimit, withinStrict) => {
    const j = judgeResponse(0, respondedMin === null ? null : respondedMin * 60_000, (waitedMin ?? 0) * 60_000, lim);
    expect(j).toMatchObject({ status, withinLimit, withinStrict });
  });

  it('compliance leaves pending reports out of the share', () => {
    const c = compliance([judgeResponse(0, 40 * 60_000, 0, lim), judgeResponse(0, 150 * 60_000, 0, lim), judgeResponse(0, null, 30 * 60_000, lim)], { lineOutages: 4, unreportedLine: 1 });
    expect(c).toMatchObject({ reported: 3, responded: 2, pending: 1, withinLimit: 1, missedLimit: 1, compliancePct: 50, withinStrict: 1, missedStrict: 1, meanResponseSec: 95 * 60, lineOutages: 4, unreportedLine: 1 });
  });
});

describe('presentation details', () => {
  it.each([
    [99.66397849462365, 'pct', '99.664'],
    [12.345, 'dec1', '12.3'],
    [3, 'int', '3'],
    [120, 'auto', '120'],
    [99.5, 'auto', '99.500'],
    [null, 'dec2', ''],
    ['第一师一团', 'text', '第一师一团'],
  ] as const)('formatCell(%s, %s) = %s', (v, kind, want) => expect(formatCell(v, kind)).toBe(want));

  it('CSV: BOM, CRLF, quoting, and text that would run as a formula kept as text', () => {
    const csv = renderCsvSection({ key: 'findings', title: 't', columns: [{ header: '站点', kind: 'text', width: 1 }, { header: 'v', kind: 'dec1', width: 1 }], rows: [['=HYPERLINK("x")', -1.25], ['a,b', null]] });
    expect(csv.toString('utf8')).toBe('\uFEFF站点,v\r\n"\'=HYPERLINK(""x"")",-1.3\r\n"a,b",\r\n');
  });

  it.each([
    ['2026-10', 'zh', 1, 'pdf', 'demarc-uptime-2026-10-zh.pdf'],
    ['2026-10', 'zh', 2, 'pdf', 'demarc-uptime-2026-10-zh-v2.pdf'],
    ['2026-01-01..2026-12-31', 'en', 1, 'xlsx', 'demarc-uptime-2026-01-01_2026-12-31-en.xlsx'],
  ])('archive file name for %s %s v%i', (period, lang, v, ext, want) => expect(archiveFileName(period, lang, v, ext)).toBe(want));

  it('chart decimation keeps each bin\'s extremes in time order and breaks at gaps', () => {
    const pts = Array.from({ length: 100 }, (_, i) => ({ x: i, y: i === 55 ? null : (i * 37) % 11 }));
    const out = decimate(pts, 10, 0, 100);
    expect(out.length).toBeLessThan(40);
    for (let b = 0; b < 10; b++) {
      const bin = pts.slice(b * 10, b * 10 + 10);
      const ys = bin.map((p) => p.y).filter((y): y is number => y !== null);
      const kept = out.filter((p) => p.x >= b * 10 && p.x < b * 10 + 10).map((p) => p.y);
      expect(kept).toContain(Math.min(...ys));
      expect(kept).toContain(Math.max(...ys));
    }
    expect(out.some((p) => p.y === null)).toBe(true);
    expect(out.map((p) => p.x)).toEqual([...out.map((p) => p.x)].sort((a, b) => a - b));
  });

  it('capacity findings of a circuit: one line per kind and direction, stretches counted and summed', () => {
    const found = [
      { kind: 'policer-ceiling' as const, from: sh('2026-10-05', 9), to: sh('2026-10-05', 17), ceilingBps: 20_000_000, ceilingPctOfNominal: 28.6, points: 97 },
      { kind: 'policer-ceiling' as const, from: sh('2026-10-06', 9), to: sh('2026-10-06', 13), ceilingBps: 20_100_000, ceilingPctOfNominal: 28.7, points: 49 },
      { kind: 'saturated' as const, from: sh('2026-10-07', 10), to: sh('2026-10-07', 11), meanPct: 94, minPct: 91, points: 13 },
    ];
    expect(summarizeFindings({ siteId: 'S', siteName: '站', bandwidthMbps: 70 }, 'in', found)).toEqual([
      { siteId: 'S', siteName: '站', kind: 'policer-ceiling', direction: 'in', occurrences: 2, hours: 12, observedMbps: 20.1, pctOfNominal: (100 * 20.1) / 70, first: new Date(sh('2026-10-05', 9)).toISOString(), last: new Date(sh('2026-10-06', 13)).toISOString() },
      { siteId: 'S', siteName: '站', kind: 'saturated', direction: 'in', occurrences: 1, hours: 1, observedMbps: 0.94 * 70, pctOfNominal: 94, first: new Date(sh('2026-10-07', 10)).toISOString(), last: new Date(sh('2026-10-07', 11)).toISOString() },
    ]);
    expect(summarizeFindings({ siteId: 'S', siteName: '站', bandwidthMbps: 70 }, 'out', [])).toEqual([]);
  });

  it('chart points: hourly means weighted by samples, gaps stay gaps', () => {
    const p = (min: number, inPct: number | null, samples: number) => ({ at: min * 60_000, inBps: null, outBps: null, inMaxBps: null, outMaxBps: null, inUtilPct: inPct, outUtilPct: 10, reachableRatio: 1, samples });
    expect(chartPoints([p(0, 10, 5), p(5, 40, 1), p(60, null, 5), p(125, 50, 5)], 3600, 0)).toEqual([
      { at: 0, inPct: 15, outPct: 10 },
      { at: 3_600_000, inPct: null, outPct: 10 },
      { at: 7_200_000, inPct: 50, outPct: 10 },
    ]);
  });
});
