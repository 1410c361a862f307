import { describe, expect, it } from 'vitest';
import type { IncidentDto } from '../../core/events.js';
import { recentEntries, wallCards, wallStaleness } from '../../web/src/model/wall-events.js';

const T = Date.parse('2026-03-01T04:00:00.000Z');
const iso = (ms: number) => new Date(ms).toISOString();
const inc = (id: string, o: Partial<IncidentDto> = {}): IncidentDto =>
  ({ id, siteId: id, kind: 'outage', responsibility: 'line', startedAt: iso(T), endedAt: null, groupEventId: null, flaps: 0, ...o }) as IncidentDto;

describe('wallCards', () => {
  it('puts the sites of one carrier-group event on one card and every other incident on its own', () => {
    const cards = wallCards([
      inc('S3', { groupEventId: 'GE-1', startedAt: iso(T + 2000) }),
      inc('S1', { groupEventId: 'GE-1' }),
      inc('S2', { groupEventId: 'GE-1', startedAt: iso(T + 1000) }),
      inc('S9', { startedAt: iso(T + 60_000) }),
      inc('S8', { endedAt: iso(T + 5000) }),
    ]);
    expect(cards.map((c) => [c.key, c.incidents.map((i) => i.siteId)])).toEqual([
      ['S9', ['S9']],
      ['GE-1', ['S1', 'S2', 'S3']],
    ]);
    expect(cards[1]!.startedAt).toBe(T);
  });
});

describe('recentEntries', () => {
  it.each([
    ['ended 10 min ago', inc('A', { endedAt: iso(T - 600_000) }), ['recovered']],
    ['a flapping incident', inc('A', { endedAt: iso(T - 60_000), flaps: 4 }), ['flap']],
    ['ended 61 min ago', inc('A', { endedAt: iso(T - 61 * 60_000) }), []],
    ['still open', inc('A'), []],
  ] as const)('%s', (_n, i, want) => {
    expect(recentEntries([i], T).map((e) => e.kind)).toEqual(want);
  });
});

describe('wallStaleness', () => {
  it.each([
    ['fresh cycle, connected', true, T - 1500, 1, false, 2],
    ['exactly two intervals', true, T - 2000, 1, false, 2],
    ['older than two intervals', true, T - 2001, 1, true, 2],
    ['socket down', false, T - 500, 1, true, 1],
    ['no cycle yet, connected', true, null, 1, false, null],
  ] as const)('%s', (_n, connected, at, interval, stale, age) => {
    expect(wallStaleness(connected, at, interval, T)).toEqual({ stale, ageSec: age });
  });
});
