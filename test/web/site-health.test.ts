import { describe, expect, it } from 'vitest';
import type { SiteStateDto } from '../../core/events.js';
import { classifySiteState, countFleet, formatMbps, mbpsAttr, utilizationPct } from '../../web/src/model/site-health.js';

const base: SiteStateDto = {
  siteId: 'D01-R001',
  at: '2026-03-01T00:00:00.000Z',
  ceReachable: true,
  wanOper: 'up',
  headendOper: 'up',
  inBps: 30e6,
  outBps: 10e6,
  inUtilPct: 42.9,
  outUtilPct: 14.3,
  rttMs: 3,
  gap: null,
};
const st = (over: Partial<SiteStateDto>): SiteStateDto => ({ ...base, ...over });

describe('classifySiteState', () => {
  const cases: [string, SiteStateDto | null, string, string | null][] = [
    ['no state at all', null, 'unknown', 'no-data'],
    ['never polled', st({ at: null }), 'unknown', 'no-data'],
    ['all up', st({}), 'up', null],
    ['up with a rate gap is still up', st({ inBps: null, outBps: null, gap: 'reboot' }), 'up', null],
    ['line cut: CE silent, head end down', st({ ceReachable: false, headendOper: 'down' }), 'down', 'ce-unreachable'],
    ['power loss: CE silent, head end lowerLayerDown', st({ ceReachable: false, headendOper: 'lowerLayerDown' }), 'down', 'ce-unreachable'],
    ['CE silent, head end not polled', st({ ceReachable: false, headendOper: null }), 'down', 'ce-unreachable'],
    ['management-plane hang: CE silent, head end up', st({ ceReachable: false, headendOper: 'up' }), 'degraded', 'ce-silent'],
    ['reachability unknown, head end down', st({ ceReachable: null, headendOper: 'down' }), 'down', 'ce-unreachable'],
    ['reachability unknown, head end unknown', st({ ceReachable: null, headendOper: null }), 'unknown', 'no-data'],
    ['WAN admin-down', st({ wanOper: 'down' }), 'down', 'wan-down'],
    ['WAN lowerLayerDown', st({ wanOper: 'lowerLayerDown' }), 'down', 'wan-down'],
    ['head-end port down while CE says up', st({ headendOper: 'down' }), 'degraded', 'headend-down'],
    ['WAN port not resolved', st({ wanOper: null }), 'degraded', 'wan-unknown'],
  ];
  it.each(cases)('%s', (_name, input, state, reason) => {
    expect(classifySiteState(input)).toEqual({ state, reason });
  });
});

describe('countFleet', () => {
  it('counts each tile state', () => {
    const counts = countFleet([st({}), st({}), st({ ceReachable: false, headendOper: 'down' }), st({ headendOper: 'down' }), null]);
    expect(counts).toEqual({ up: 2, down: 1, degraded: 1, unknown: 1 });
  });
});

describe('utilizationPct', () => {
  it.each([
    [35e6, null, 70, 50],
    [35e6, 12, 70, 12],
    [null, null, 70, null],
    [10e6, null, 0, null],
    [Number.NaN, null, 70, null],
  ] as const)('bps %s util %s of %s M → %s', (bps, util, bw, want) => {
    expect(utilizationPct(bps, util, bw)).toBe(want);
  });
});

describe('rate formatting', () => {
  it.each([
    [null, '', '—'],
    [0, '0.000', '0.0'],
    [42_345_678, '42.346', '42.3'],
    [70_000_000, '70.000', '70.0'],
    [123_400_000, '123.400', '123'],
  ] as const)('%s bps', (bps, attr, text) => {
    expect(mbpsAttr(bps)).toBe(attr);
    expect(formatMbps(bps)).toBe(text);
  });
});
