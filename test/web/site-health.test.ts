import { describe, expect, it } from 'vitest';
import type { IncidentDto, SiteStateDto } from '../../core/events.js';
import { formatMbps, headerCounts, mbpsAttr, utilizationPct } from '../../web/src/model/site-health.js';

const base: SiteStateDto = {
  siteId: 'D01-R001',
  tile: 'up',
  incidentId: null,
  since: null,
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

describe('headerCounts', () => {
  const incident = (id: string, over: Partial<IncidentDto>): IncidentDto =>
    ({ id, siteId: 'S', kind: 'outage', responsibility: 'line', endedAt: null, ...over }) as IncidentDto;
  it('counts outages from the open incidents by responsibility, the rest from the tiles', () => {
    const states = [st({}), st({}), st({ tile: 'line-outage' }), st({ tile: 'device-outage' }), st({ tile: 'stale' }), null];
    const incidents = [
      incident('a', { responsibility: 'line' }),
      incident('b', { responsibility: 'device' }),
      incident('c', { responsibility: 'device', kind: 'monitoring-gap' }),
      incident('d', { responsibility: 'line', endedAt: '2026-03-01T00:10:00.000Z' }),
      incident('e', { responsibility: 'monitoring', siteId: null }),
    ];
    expect(headerCounts(states, incidents)).toEqual({ up: 2, line: 1, device: 1, planned: 0, external: 0, monitoring: 1, undetermined: 0, stale: 1, 'no-data': 1 });
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
