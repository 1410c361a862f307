import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildReport } from '../../reports/build-report.js';
import { coverageOf } from '../../reports/coverage.js';
import type { MonthlyReport } from '../../reports/report-model.js';
import { monthPeriod } from '../../reports/report-period.js';
import { reportSections } from '../../reports/report-sections.js';
import { judgeTarget } from '../../reports/targets.js';
import { defaultReportSettings } from './incident-fixture.js';
import { buildKnownMonth, sh, type KnownMonth } from './known-month.js';

const DAY = 86_400;

describe('judgeTarget: pass, fail, or no verdict', () => {
  // A 30-day circuit (2 592 000 s); target 99.5 % allows 0.5 % of monitored time.
  const cases: { name: string; monitored: number; lineDown: number; status: string; allowedMin: number; usedMin: number; leftMin: number }[] = [
    // 0.005 × 2 592 000 = 12 960 s = 216 min.
    { name: 'fully monitored, 100 min down: pass', monitored: 30 * DAY, lineDown: 6000, status: 'pass', allowedMin: 216, usedMin: 100, leftMin: 116 },
    { name: 'fully monitored, exactly the budget: pass (target met, not exceeded)', monitored: 30 * DAY, lineDown: 12_960, status: 'pass', allowedMin: 216, usedMin: 216, leftMin: 0 },
    { name: 'fully monitored, 217 min down: fail', monitored: 30 * DAY, lineDown: 13_020, status: 'fail', allowedMin: 216, usedMin: 217, leftMin: -1 },
    // 96 % coverage (≥ 95): 2 488 320 s monitored, budget 12 441.6 s = 207.36 min; 210 min down misses it over monitored time.
    { name: '96 % covered, 210 min down: fail over monitored time', monitored: 0.96 * 30 * DAY, lineDown: 12_600, status: 'fail', allowedMin: 207.36, usedMin: 210, leftMin: -2.64 },
    // 10 days of 30 monitored: budget 4320 s = 72 min; 100 min used, but the month's 216 could absorb it.
    { name: '33 % covered, 100 min down: no verdict', monitored: 10 * DAY, lineDown: 6000, status: 'incomplete', allowedMin: 72, usedMin: 100, leftMin: -28 },
    { name: '33 % covered, nothing down: no verdict either', monitored: 10 * DAY, lineDown: 0, status: 'incomplete', allowedMin: 72, usedMin: 0, leftMin: 72 },
    // 300 min exceed the 216 the whole month allows: a failure whatever happened in the 20 unseen days.
    { name: '33 % covered, 300 min down: certain fail', monitored: 10 * DAY, lineDown: 18_000, status: 'fail', allowedMin: 72, usedMin: 300, leftMin: -228 },
    { name: 'never monitored, in service: no verdict', monitored: 0, lineDown: 0, status: 'incomplete', allowedMin: 0, usedMin: 0, leftMin: 0 },
  ];
  it.each(cases)('$name', (c) => {
    const r = judgeTarget(99.5, c.lineDown, coverageOf(30 * DAY, c.monitored, 95))!;
    expect(r.status).toBe(c.status);
    expect(r.budget.allowedMin).toBeCloseTo(c.allowedMin, 9);
    expect(r.budget.usedMin).toBeCloseTo(c.usedMin, 9);
    expect(r.budget.leftMin).toBeCloseTo(c.leftMin, 9);
  });

  it('a circuit not in service has no target result', () => {
    expect(judgeTarget(99.5, 0, coverageOf(0, 0, 95))).toBeNull();
  });
});

/**
 * Pass/fail and the error budget on the known October (known-month.ts), computed by hand.
 * Defaults: circuits 99.5 %, fleet 99.9 %, responses 100 % within 2 h; D's circuit is given
 * 99.8 % (reports.targets.circuits).
 *
 *   circuit  monitored s                        line s   allowed s                 used min  left min   actual %            result
 *   A        31 d − 1800 = 2 676 600            9000     0.005 × = 13 383 = 223.05   150      73.05      1 − 9000/2 676 600  pass
 *   B        16 d − 1800 = 1 380 600            0        6903 = 115.05               0        115.05     100                 pass
 *   C        19 d − 3 h − 1800 = 1 629 000      0        8145 = 135.75               0        135.75     100                 pass
 *   D        2 676 600 (target 99.8)            7200     0.002 × = 5353.2 = 89.22    120      −30.78     99.731 < 99.8       fail
 *   E        31 d = 2 678 400                   0        13 392 = 223.2              0        223.2      100                 pass
 *   fleet    11 059 200 − 18 000 = 11 041 200   16 200   0.001 × = 11 041.2 = 184.02 270      −85.98     99.853 < 99.9       fail
 *   responses: 1 of 2 within 2 h = 50 % < 100 %: fail.
 */
describe('contract targets on the known October', () => {
  let dir: string;
  let known: KnownMonth;
  let oct: MonthlyReport;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'demarc-report-targets-'));
    known = await buildKnownMonth(dir);
    const settings = defaultReportSettings('全网');
    oct = (await buildReport(known.source, monthPeriod('2026-10'), sh('2026-11-01', 8), { ...settings, targets: { ...settings.targets, circuits: { 'C-D': 99.8 } } })).report;
  });
  afterAll(async () => {
    await known?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const byHand: [string, number, number, number, number, string][] = [
    ['A', 99.5, 223.05, 150, 73.05, 'pass'],
    ['B', 99.5, 115.05, 0, 115.05, 'pass'],
    ['C', 99.5, 135.75, 0, 135.75, 'pass'],
    ['D', 99.8, 89.22, 120, -30.78, 'fail'],
    ['E', 99.5, 223.2, 0, 223.2, 'pass'],
  ];
  it.each(byHand)('circuit %s: target %d %%, budget %d min, used %d, left %d → %s', (id, targetPct, allowedMin, usedMin, leftMin, status) => {
    const c = oct.circuits.find((x) => x.siteId === id)!;
    expect(c.target).toEqual({ targetPct, actualPct: c.carrierAvailabilityPct, status, budget: { allowedMin, usedMin, leftMin } });
  });

  it('the fleet: 270 min used of 184.02 allowed, fail; 4 circuits pass, 1 fails; responses fail', () => {
    expect(oct.summary.targets.fleet).toEqual({ targetPct: 99.9, actualPct: 100 * (1 - 16_200 / 11_041_200), status: 'fail', budget: { allowedMin: 184.02, usedMin: 270, leftMin: -85.98 } });
    expect(oct.summary.targets.circuits).toEqual({ pass: 4, fail: 1, incomplete: 0 });
    expect(oct.summary.targets.response).toEqual({ limitHours: 2, targetPct: 100, actualPct: 50, status: 'fail' });
  });

  it('the targets table lists the fleet first, then every circuit, with the excluded downtime elsewhere by responsibility', () => {
    const s = reportSections(oct, 'zh').find((x) => x.key === 'targets')!;
    expect(s.rows.map((r) => [r[0], r[8]])).toEqual([['全网（所有站点）', '未达标'], ['测试站点A', '达标'], ['测试站点B', '达标'], ['测试站点C', '达标'], ['测试站点D', '未达标'], ['测试站点E', '达标']]);
    expect(s.rows[4]!.slice(2, 8)).toEqual([99.8, oct.circuits[3]!.carrierAvailabilityPct, oct.circuits[3]!.coverage.pct, 89.22, 120, -30.78]);
  });

  it('counts the line outages of October and finds none unreported (each was reported to the carrier)', () => {
    // Line outages with a part in October: A-boundary (reported Sep 30), A-overrun and D-line (reported in October).
    expect(oct.summary.responses).toMatchObject({ reported: 2, lineOutages: 3, unreportedLine: 0 });
  });
});
