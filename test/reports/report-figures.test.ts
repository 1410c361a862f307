import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildReport } from '../../reports/build-report.js';
import type { CircuitReport, MonthlyReport } from '../../reports/report-model.js';
import { monthPeriod, rangePeriod } from '../../reports/report-period.js';
import { defaultReportSettings } from './incident-fixture.js';
import { buildKnownMonth, sh, type KnownMonth } from './known-month.js';

/**
 * Every figure of the September and October 2026 reports over known data (known-month.ts),
 * through the real embedded metric store and a real SQLite incident table, against values
 * computed by hand. Seconds: a day is 86 400, October 31 days = 2 678 400, September 30 days
 * = 2 592 000.
 */

const SETTINGS = defaultReportSettings('全网');

const DAY = 86_400;
const OCT_SEC = 31 * DAY;
const SEP_SEC = 30 * DAY;
const avail = (down: number, inService: number) => 100 * (1 - down / inService);

let dir: string;
let known: KnownMonth;
let oct: MonthlyReport;
let sep: MonthlyReport;
const circuit = (r: MonthlyReport, id: string): CircuitReport => r.circuits.find((c) => c.siteId === id)!;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'demarc-report-figures-'));
  known = await buildKnownMonth(dir);
  oct = (await buildReport(known.source, monthPeriod('2026-10'), sh('2026-11-01', 8), SETTINGS)).report;
  sep = (await buildReport(known.source, monthPeriod('2026-09'), sh('2026-10-01', 8), SETTINGS)).report;
});

afterAll(async () => {
  await known?.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('October 2026 (31 days), per circuit', () => {
  it('A: the boundary outage counts its October part; maintenance overrun split into planned + line', () => {
    const a = circuit(oct, 'A');
    expect(a.inService!.seconds).toBe(OCT_SEC);
    expect(a.inService!.days).toBe(31);
    // line: Oct 1 00:00-02:00 (7200) + overrun 03:00-03:30 (1800); planned 01:00-03:00; NOC half hour.
    expect(a.downtimeSec).toEqual({ line: 9000, device: 0, planned: 7200, external: 0, monitoring: 1800, undetermined: 0 });
    // Availability over monitored time: 44 610 samples × 60 s = 2 676 600 s, the month less the NOC half hour.
    expect(a.coverage).toEqual({ inServiceSec: OCT_SEC, monitoredSec: OCT_SEC - 1800, unmonitoredSec: 1800, pct: (100 * (OCT_SEC - 1800)) / OCT_SEC, complete: true });
    expect(a.carrierAvailabilityPct).toBeCloseTo(avail(9000, OCT_SEC - 1800), 10);
    // 1 − 9000 / 2 676 600 = 0.996637524...
    expect(a.carrierAvailabilityPct).toBeCloseTo(99.663752522, 8);
    expect(a.siteAvailabilityPct).toBeCloseTo(avail(9000 + 7200, OCT_SEC - 1800), 10);
    expect(a.incidents).toBe(3);
    expect(a.openIncidents).toBe(0);
    // MTTR over line outages restored in October, whole durations: (4 h + 30 min) / 2 = 8100 s.
    expect(a.mttrLineSec).toBe(8100);
    // Only the overrun was reported in October (the boundary one on Sep 30): 40 min, within 1 h.
    expect(a.responses).toMatchObject({ reported: 1, responded: 1, withinLimit: 1, withinStrict: 1, missedLimit: 0, compliancePct: 100, meanResponseSec: 2400 });
    expect(a.throughput).toMatchObject({ inAvgMbps: 10, outAvgMbps: 4, inPeakMbps: 10, inP95Mbps: 10, outP95Mbps: 4, hoursAboveThreshold: 0 });
    expect(a.throughput.inP95Pct).toBeCloseTo((10 / 70) * 100, 10);
    // 44 640 minutes, 30 missing (NOC), 120 + 150 outage minutes carry no rate.
    expect(a.completeness).toEqual({ expected: 44_640, samples: 44_610, gaps: 270, pct: (100 * 44_610) / 44_640 });
  });

  it('B: activated on Oct 16, counts 16 days from then', () => {
    const b = circuit(oct, 'B');
    expect(b.inService!.from).toBe(new Date(sh('2026-10-16')).toISOString());
    expect(b.inService!.seconds).toBe(16 * DAY);
    expect(b.downtimeSec).toEqual({ line: 0, device: 3600, planned: 0, external: 0, monitoring: 1800, undetermined: 0 });
    expect(b.carrierAvailabilityPct).toBe(100);
    expect(b.coverage.monitoredSec).toBe(16 * DAY - 1800);
    expect(b.siteAvailabilityPct).toBeCloseTo(avail(3600, 16 * DAY - 1800), 10);
    expect(b.mttrLineSec).toBeNull();
    // 23 040 minutes − 30 (NOC) − 60 (outage) carry a rate; 120 of them at 66 Mbit/s, the rest 20.
    expect(b.throughput.inAvgMbps).toBeCloseTo((22_830 * 20 + 120 * 66) / 22_950, 9);
    expect(b.throughput.inPeakMbps).toBe(66);
    // 4590 five-minute means: 4566 of 20, 24 of 66; rank floor(4590 × 0.95 + 0.5) = 4361 → 20.
    expect(b.throughput.inP95Mbps).toBe(20);
    // 24 buckets above 80 % (66 / 70 = 94.3 %) = 2 hours.
    expect(b.throughput.hoursAboveThreshold).toBe(2);
    expect(b.completeness).toEqual({ expected: 23_040, samples: 23_010, gaps: 60, pct: (100 * 23_010) / 23_040 });
  });

  it('C: term ended Oct 20, monitoring gap is not downtime, samples after the term are left out', () => {
    const c = circuit(oct, 'C');
    expect(c.termLastDay).toBe('2026-10-19');
    expect(c.inService!.to).toBe(new Date(sh('2026-10-20')).toISOString());
    expect(c.inService!.seconds).toBe(19 * DAY);
    expect(c.downtimeSec).toEqual({ line: 0, device: 0, planned: 0, external: 0, monitoring: 1800, undetermined: 0 });
    expect(c.monitoringGapSec).toBe(3 * 3600);
    // The management-plane gap gave no samples: unmonitored, like the NOC half hour.
    expect(c.coverage).toMatchObject({ monitoredSec: 19 * DAY - 3 * 3600 - 1800, unmonitoredSec: 3 * 3600 + 1800, complete: true });
    expect(c.carrierAvailabilityPct).toBe(100);
    expect(c.siteAvailabilityPct).toBe(100);
    expect(c.incidents).toBe(0);
    // 50 Mbit/s after the term would show if those samples counted.
    expect(c.throughput).toMatchObject({ inAvgMbps: 15, inPeakMbps: 15, outAvgMbps: 3, inP95Mbps: 15 });
    expect(c.completeness).toEqual({ expected: 27_360, samples: 27_360 - 180 - 30, gaps: 0, pct: (100 * 27_150) / 27_360 });
  });

  it('D: force majeure and undetermined excluded from carrier availability; the open incident counts to the month end', () => {
    const d = circuit(oct, 'D');
    expect(d.downtimeSec).toEqual({ line: 7200, device: 0, planned: 0, external: 7200, monitoring: 1800, undetermined: 4 * 3600 });
    expect(d.carrierAvailabilityPct).toBeCloseTo(avail(7200, OCT_SEC - 1800), 10);
    expect(d.siteAvailabilityPct).toBeCloseTo(avail(7200 + 7200 + 14_400, OCT_SEC - 1800), 10);
    expect(d.incidents).toBe(3);
    expect(d.openIncidents).toBe(1);
    expect(d.mttrLineSec).toBe(7200);
    // Reported 14:05 Oct 25, no response by Nov 1 08:00: missed against both limits.
    expect(d.responses).toMatchObject({ reported: 1, responded: 0, pending: 0, withinLimit: 0, missedLimit: 1, missedStrict: 1, compliancePct: 0, meanResponseSec: null });
    expect(d.completeness).toEqual({ expected: 44_640, samples: 44_610, gaps: 120 + 120 + 240, pct: (100 * 44_610) / 44_640 });
  });

  it('E: 95th percentile of 5-minute averages on a known distribution', () => {
    const e = circuit(oct, 'E');
    // 8928 buckets, means (k mod 100 + 1) × 0.5 Mbit/s: 1..28 occur 90 times, 29..100 89 times.
    // Rank floor(8928 × 0.95 + 0.5) = 8482; 2520 + 89 × 66 = 8394 < 8482 ≤ 2520 + 89 × 67 → 95 × 0.5.
    expect(e.throughput.inP95Mbps).toBe(47.5);
    expect(e.throughput.inP95Pct).toBeCloseTo((47.5 / 70) * 100, 10);
    expect(e.throughput.inPeakMbps).toBeCloseTo(50.2, 10);
    expect(e.throughput.inAvgMbps).toBeCloseTo(((89 * 5050 + 406) / 8928) * 0.5, 9);
    expect(e.throughput.outP95Mbps).toBe(1);
    expect(e.throughput.hoursAboveThreshold).toBe(0);
    expect(e.completeness.pct).toBe(100);
  });
});

describe('October 2026, fleet', () => {
  const inService = OCT_SEC + 16 * DAY + 19 * DAY + OCT_SEC + OCT_SEC;

  it('sums, availability, incidents, MTTR, response compliance and completeness', () => {
    const s = oct.summary;
    expect(s.circuitsInInventory).toBe(5);
    expect(s.circuitsInService).toBe(5);
    expect(s.inServiceSec).toBe(inService);
    expect(s.downtimeSec).toEqual({ line: 16_200, device: 3600, planned: 7200, external: 7200, monitoring: 5 * 1800, undetermined: 14_400 });
    // Monitored: 184 020 samples × 60 s = in-service − 4 NOC half hours − C's 3 h management gap.
    expect(s.coverage).toEqual({ inServiceSec: inService, monitoredSec: inService - 18_000, unmonitoredSec: 18_000, pct: (100 * (inService - 18_000)) / inService, complete: true });
    expect(s.carrierAvailabilityPct).toBeCloseTo(avail(16_200, inService - 18_000), 10);
    expect(s.siteAvailabilityPct).toBeCloseTo(avail(16_200 + 3600 + 7200 + 7200 + 14_400, inService - 18_000), 10);
    expect(s.monitoringGapSec).toBe(10_800);
    expect(s.worst.map((w) => w.siteId)).toEqual(['A', 'D']);
    expect(s.incidents).toEqual({ total: 8, open: 1, byResponsibility: { line: 3, device: 1, planned: 1, external: 1, monitoring: 1, undetermined: 1 } });
    expect(s.mttrLineSec).toBe((14_400 + 1800 + 7200) / 3);
    expect(s.responses).toMatchObject({ reported: 2, responded: 1, withinLimit: 1, missedLimit: 1, withinStrict: 1, missedStrict: 1, compliancePct: 50, strictCompliancePct: 50, meanResponseSec: 2400 });
    expect(s.completeness).toEqual({ expected: 184_320, samples: 184_020, gaps: 810, pct: (100 * 184_020) / 184_320 });
    expect(oct.period).toMatchObject({ days: 31, workingDays: 18, workingDayCalendarKnown: true, firstDay: '2026-10-01', lastDay: '2026-10-31' });
  });

  it('no month-on-month change against September: only A has September samples (coverage 25 %)', () => {
    // September: A, C, D, E in service (4 × 30 days), samples only for A: 43 200 of 172 800 expected.
    expect(sep.summary.coverage).toMatchObject({ inServiceSec: 4 * SEP_SEC, monitoredSec: SEP_SEC, pct: 25, complete: false });
    expect(oct.summary.monthOnMonth).toEqual({ status: 'no-comparison', previousLabel: '2026-09', reason: 'previous-incomplete', currentCoveragePct: oct.summary.coverage.pct, previousCoveragePct: 25 });
  });

  it('incident rows: split at the boundary, open shown as open, fleet-wide named', () => {
    const rows = new Map(oct.incidents.map((r) => [r.id, r]));
    expect([...rows.keys()]).toEqual(['A-boundary', 'D-external', 'A-planned', 'A-overrun', 'C-mgmt', 'NOC', 'B-device', 'D-line', 'D-open']);
    expect(rows.get('A-boundary')).toMatchObject({ startsBeforePeriod: true, endsAfterPeriod: false, periodSec: 7200, durationSec: 14_400, periodFrom: new Date(sh('2026-10-01')).toISOString() });
    expect(rows.get('D-open')).toMatchObject({ open: true, endedAt: null, durationSec: null, periodSec: 4 * 3600, endsAfterPeriod: true });
    expect(rows.get('NOC')).toMatchObject({ siteId: null, siteName: '全网', periodSec: 1800 });
    expect(oct.responses.map((r) => [r.incidentId, r.status, r.responseSec])).toEqual([['A-overrun', 'met-strict', 2400], ['D-line', 'overdue', null]]);
  });
});

describe('October 2026, capacity findings (the outage stage\'s detector on hourly means)', () => {
  it('a flat level below nominal on several days reads as a policer ceiling; two hours at 94 % as saturation', () => {
    const f = new Map(oct.findings.map((x) => [`${x.siteId} ${x.kind} ${x.direction}`, x]));
    // Constant synthetic traffic is exactly what a policer looks like. Below 5 % of nominal is idle (C out 3M, E out 1M);
    // B in went well above its 20M level, so 20M was no ceiling; E in never stays flat.
    expect([...f.keys()]).toEqual([
      'A policer-ceiling in', 'A policer-ceiling out', 'B saturated in', 'B policer-ceiling out', 'C policer-ceiling in', 'D policer-ceiling in', 'D policer-ceiling out',
    ]);
    // A in, hourly means of 10M all month: the ceiling, and every day a plateau far longer than 3 h (31 days ≥ 3).
    // Each day counts its longest run of hourly points at the ceiling, each point standing for its hour: Oct 1
    // 02:00-24:00 (00:00 and 01:00 carry no rate, outage) = 22 h; Oct 10 03:00-24:00 (01:00 and 02:00 without a
    // rate, maintenance; 00:00 alone is the shorter run) = 21 h; the NOC half hour leaves 09:00 of Oct 18 half
    // full, no hole; the 29 other days 24 h. 22 + 21 + 29 × 24 = 739 h.
    expect(f.get('A policer-ceiling in')).toEqual({
      siteId: 'A', siteName: '测试站点A', kind: 'policer-ceiling', direction: 'in', occurrences: 31, hours: 739, observedMbps: 10, pctOfNominal: (100 * 10) / 70,
      first: new Date(sh('2026-10-01', 2)).toISOString(), last: new Date(sh('2026-11-01')).toISOString(),
    });
    // B in: hourly means of 10:00 and 11:00 of Oct 22 at 66M = 94.3 % (the detector rounds to 0.1): two hours in a row.
    expect(f.get('B saturated in')).toMatchObject({ occurrences: 1, hours: 2, pctOfNominal: 94.3, first: new Date(sh('2026-10-22', 10)).toISOString(), last: new Date(sh('2026-10-22', 12)).toISOString() });
    expect(f.get('B saturated in')!.observedMbps).toBeCloseTo(0.943 * 70, 10);
  });
});

describe('September 2026 (30 days)', () => {
  it('counts the boundary outage up to the month end, and the circuit not yet active as not in service', () => {
    const a = circuit(sep, 'A');
    expect(sep.period).toMatchObject({ days: 30, workingDays: 22 });
    expect(a.inService!.seconds).toBe(SEP_SEC);
    expect(a.downtimeSec.line).toBe(7200);
    expect(a.carrierAvailabilityPct).toBeCloseTo(avail(7200, SEP_SEC), 10);
    expect(a.carrierAvailabilityPct).toBeCloseTo(99.722222222, 8);
    // Still down at midnight: no time to restore in September.
    expect(a.mttrLineSec).toBeNull();
    // Responded after 90 min: within 2 h, not within 1 h.
    expect(a.responses).toMatchObject({ reported: 1, withinLimit: 1, withinStrict: 0, missedStrict: 1, compliancePct: 100, strictCompliancePct: 0 });
    expect(a.completeness).toEqual({ expected: 43_200, samples: 43_200, gaps: 120, pct: 100 });
    expect(sep.incidents.find((r) => r.id === 'A-boundary')).toMatchObject({ periodSec: 7200, endsAfterPeriod: true, startsBeforePeriod: false });
    const b = circuit(sep, 'B');
    expect(b.inService).toBeNull();
    expect(b.carrierAvailabilityPct).toBeNull();
    expect(sep.summary.circuitsInService).toBe(4);
    // No samples were written for D in September: the report says 0 %, not 100 %.
    expect(circuit(sep, 'D').completeness).toEqual({ expected: 43_200, samples: 0, gaps: 0, pct: 0 });
  });
});

describe('a verdict corrected after the month ended', () => {
  it('the October report before and after the approval differ exactly by that incident', async () => {
    // Through the outage stage, as operators do it: one proposes, a second person approves.
    known.clock.set(sh('2026-11-02', 9));
    known.outage.proposeVerdict('D-line', { id: 'noc.zhang', name: '张工', roles: ['operator'] }, 'device', '现场核实为甲方路由器断电');
    const pending = (await buildReport(known.source, monthPeriod('2026-10'), sh('2026-11-02', 12), SETTINGS)).report;
    expect(circuit(pending, 'D').downtimeSec.line).toBe(7200);
    known.clock.set(sh('2026-11-03', 10));
    known.outage.approveVerdict('D-line', { id: 'mgr.li', name: '李主任', roles: ['approver'] });
    const after = (await buildReport(known.source, monthPeriod('2026-10'), sh('2026-11-03', 12), SETTINGS)).report;
    const before = circuit(oct, 'D');
    const d = circuit(after, 'D');
    expect(before.downtimeSec.line).toBe(7200);
    expect(d.downtimeSec).toMatchObject({ line: 0, device: 7200 });
    expect(d.carrierAvailabilityPct).toBe(100);
    expect(d.mttrLineSec).toBeNull();
    expect(after.summary.carrierAvailabilityPct).toBeCloseTo(avail(9000, OCT_SEC + 16 * DAY + 19 * DAY + 2 * OCT_SEC - 18_000), 10);
    expect(after.summary.worst.map((w) => w.siteId)).toEqual(['A']);
    expect(after.incidents.find((r) => r.id === 'D-line')!.correction).toEqual({
      responsibility: 'device', reason: '现场核实为甲方路由器断电', proposedBy: 'noc.zhang', approvedBy: 'mgr.li', approvedAt: new Date(sh('2026-11-03', 10)).toISOString(),
    });
    // Everything else is unchanged.
    expect(circuit(after, 'A')).toEqual(circuit(oct, 'A'));
  });
});

describe('a range report', () => {
  it('covers both months at once, the boundary outage whole', async () => {
    const r = (await buildReport(known.source, rangePeriod('2026-09-01', '2026-10-31'), sh('2026-11-05'), SETTINGS)).report;
    const a = circuit(r, 'A');
    expect(r.period).toMatchObject({ kind: 'range', days: 61, workingDays: 40 });
    expect(a.inService!.seconds).toBe(61 * DAY);
    expect(a.downtimeSec.line).toBe(14_400 + 1800);
    expect(a.mttrLineSec).toBe((14_400 + 1800) / 2);
    expect(r.summary.monthOnMonth).toBeNull();
    expect(r.incidents.find((x) => x.id === 'A-boundary')).toMatchObject({ startsBeforePeriod: false, endsAfterPeriod: false, periodSec: 14_400 });
  });
});
