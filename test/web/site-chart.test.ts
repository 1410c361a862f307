import { describe, expect, it } from 'vitest';
import type { IncidentDto } from '../../core/events.js';
import { chartWindow, outageBands, p95Mbps, stateStrip, stepForSpan, termWindow, type OutageBand } from '../../web/src/model/site-chart.js';

const MIN = 60_000;
const H = 60 * MIN;
const D = 24 * H;
const NOW = Date.parse('2026-12-02T02:00:00Z');
const iso = (t: number) => new Date(t).toISOString();

describe('range → window and step', () => {
  it.each([
    [30 * MIN, null],
    [H, null],
    [2 * H, null],
    [2 * H + 1, 60],
    [D, 60],
    [2 * D, 60],
    [7 * D, 900],
    [10 * D, 900],
    [30 * D, 3600],
    [100 * D, 3600],
    [365 * D, 86_400],
  ])('span %i ms → step %s', (span, step) => expect(stepForSpan(span)).toBe(step));

  it.each([
    ['1h', NOW - H, NOW, null],
    ['24h', NOW - D, NOW, 60],
    ['7d', NOW - 7 * D, NOW, 900],
    ['30d', NOW - 30 * D, NOW, 3600],
  ] as const)('%s ends now with its step', (range, from, to, step) => {
    expect(chartWindow(range, NOW, null)).toEqual({ from, to, fetchTo: to, stepSec: step });
  });

  const term = termWindow('2026-03-01', '2027-02-28')!;
  it.each([
    ['a term under way: the axis runs to its end, the data to now', term, { from: term.from, to: term.to, fetchTo: NOW, stepSec: 86_400 }],
    ['a term that ended: fetched to its end', { from: NOW - 40 * D, to: NOW - 5 * D }, { from: NOW - 40 * D, to: NOW - 5 * D, fetchTo: NOW - 5 * D, stepSec: 3600 }],
    ['a term not begun', { from: NOW + D, to: NOW + 300 * D }, null],
    ['no term known', null, null],
    ['a term longer than 800 days: the last 800 days up to now', { from: NOW - 900 * D, to: NOW + 10 * D }, { from: NOW - 800 * D, to: NOW + 10 * D, fetchTo: NOW, stepSec: 86_400 }],
  ] as const)('term: %s', (_name, t, want) => expect(chartWindow('term', NOW, t)).toEqual(want));

  it('reads a term in Shanghai calendar days, its last day included', () => {
    expect(termWindow('2026-03-01', '2027-02-28')).toEqual({ from: Date.parse('2026-02-28T16:00:00Z'), to: Date.parse('2027-02-28T16:00:00Z') });
    expect(termWindow('2026-03-01', 'not a day')).toBeNull();
    expect(termWindow('2026-03-02', '2026-02-01')).toBeNull();
  });
});

const inc = (id: string, responsibility: IncidentDto['responsibility'], from: number, to: number | null, kind: IncidentDto['kind'] = 'outage') => ({
  id, kind, responsibility, startedAt: iso(from), endedAt: to === null ? null : iso(to),
});

describe('outage shading', () => {
  const win = { from: NOW - H, to: NOW };
  it.each([
    ['line side inside the window', [inc('a', 'line', NOW - 50 * MIN, NOW - 40 * MIN)], [{ from: NOW - 50 * MIN, to: NOW - 40 * MIN, kind: 'line', state: 'line-outage', incidentId: 'a', open: false }]],
    ['device side clipped at the window start', [inc('b', 'device', NOW - 2 * H, NOW - 55 * MIN)], [{ from: NOW - H, to: NOW - 55 * MIN, kind: 'device', state: 'device-outage', incidentId: 'b', open: false }]],
    ['an open planned cutover runs to now', [inc('c', 'planned', NOW - 10 * MIN, null)], [{ from: NOW - 10 * MIN, to: NOW, kind: 'planned', state: 'planned', incidentId: 'c', open: true }]],
    ['a monitoring gap is neither side', [inc('d', 'line', NOW - 30 * MIN, NOW - 20 * MIN, 'monitoring-gap')], [{ from: NOW - 30 * MIN, to: NOW - 20 * MIN, kind: 'other', state: 'monitoring-gap', incidentId: 'd', open: false }]],
    ['undetermined and force majeure are other', [inc('e', 'undetermined', NOW - 30 * MIN, NOW - 29 * MIN), inc('f', 'external', NOW - 5 * MIN, NOW - 4 * MIN)], [
      { from: NOW - 30 * MIN, to: NOW - 29 * MIN, kind: 'other', state: 'undetermined', incidentId: 'e', open: false },
      { from: NOW - 5 * MIN, to: NOW - 4 * MIN, kind: 'other', state: 'external-outage', incidentId: 'f', open: false },
    ]],
    ['outside the window: none', [inc('g', 'line', NOW - 3 * H, NOW - 2 * H)], []],
    ['sorted by start', [inc('h', 'line', NOW - 10 * MIN, NOW - 9 * MIN), inc('i', 'device', NOW - 20 * MIN, NOW - 19 * MIN)], [
      { from: NOW - 20 * MIN, to: NOW - 19 * MIN, kind: 'device', state: 'device-outage', incidentId: 'i', open: false },
      { from: NOW - 10 * MIN, to: NOW - 9 * MIN, kind: 'line', state: 'line-outage', incidentId: 'h', open: false },
    ]],
  ] as const)('%s', (_n, incidents, want) => expect(outageBands(incidents, win, NOW)).toEqual(want));
});

describe('state strip', () => {
  const win = { from: 0, to: 100 };
  const every = (from: number, to: number, step = 10) => Array.from({ length: Math.floor((to - from) / step) }, (_, k) => from + k * step);
  const band = (from: number, to: number, state: OutageBand['state']): OutageBand => ({ from, to, state, kind: 'other', incidentId: state, open: false });
  it.each([
    ['all up', [], every(0, 100), [{ from: 0, to: 100, state: 'up' }]],
    ['no samples yet: no data', [], [], [{ from: 0, to: 100, state: 'no-data' }]],
    ['samples from 60 on (a fresh demo)', [], every(60, 100), [{ from: 0, to: 60, state: 'no-data' }, { from: 60, to: 100, state: 'up' }]],
    ['a line outage in the middle', [band(30, 50, 'line-outage')], every(0, 100), [
      { from: 0, to: 30, state: 'up' }, { from: 30, to: 50, state: 'line-outage' }, { from: 50, to: 100, state: 'up' },
    ]],
    ['an outage beats the hole it left in the series', [band(30, 50, 'device-outage')], [...every(0, 30), ...every(50, 100)], [
      { from: 0, to: 30, state: 'up' }, { from: 30, to: 50, state: 'device-outage' }, { from: 50, to: 100, state: 'up' },
    ]],
    ['an outage beats a monitoring gap at the same time', [band(20, 60, 'monitoring-gap'), band(40, 50, 'line-outage')], every(0, 100), [
      { from: 0, to: 20, state: 'up' }, { from: 20, to: 40, state: 'monitoring-gap' }, { from: 40, to: 50, state: 'line-outage' },
      { from: 50, to: 60, state: 'monitoring-gap' }, { from: 60, to: 100, state: 'up' },
    ]],
    ['one missing point is no hole', [], [0, 10, 30, 40, 50, 60, 70, 80, 90], [{ from: 0, to: 100, state: 'up' }]],
    ['the collector silent at the end', [], every(0, 50), [{ from: 0, to: 50, state: 'up' }, { from: 50, to: 100, state: 'no-data' }]],
  ] as const)('%s', (_n, bands, at, want) => expect(stateStrip(bands, at, win, 10, 100)).toEqual(want));

  it('stops at now when the window runs into the future (a term)', () => {
    expect(stateStrip([], every(0, 50), { from: 0, to: 1000 }, 10, 50)).toEqual([{ from: 0, to: 50, state: 'up' }]);
  });
});

describe('p95', () => {
  const pts = (ins: (number | null)[]) => ins.map((v, k) => ({ inBps: v === null ? null : v * 1e6, outBps: k === 0 ? 1e6 : null }));
  it.each([
    ['empty', [], null],
    ['one point', [7], 7],
    // 20 values 1..20: rank floor(20·0.95 + 0.5) = 19.
    ['twenty points', Array.from({ length: 20 }, (_, k) => k + 1), 19],
    // 10 values: rank floor(9.5 + 0.5) = 10, the maximum.
    ['ten points', [5, 1, 9, 3, 7, 2, 8, 4, 6, 10], 10],
    ['gaps left out', [null, 3, null, 5], 5],
  ] as const)('%s', (_n, values, want) => expect(p95Mbps(pts([...values])).in).toBe(want));
  it('per direction', () => expect(p95Mbps(pts([1, 2])).out).toBe(1));
});
