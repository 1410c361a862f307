import { describe, expect, it } from 'vitest';
import { layoutTimeline, shanghaiMidnights, type TimelineItem } from '../../web/src/model/window-timeline.js';

const H = 3_600_000;
const DAY = 24 * H;
/** 2026-03-01 00:00 Shanghai = 2026-02-28 16:00 UTC. */
const MID = Date.UTC(2026, 1, 28, 16, 0, 0);
const range = { from: MID, to: MID + 2 * DAY };
const item = (id: string, scopeKey: string, startH: number, endH: number, state: TimelineItem['state'] = 'window'): TimelineItem => ({
  id,
  scopeKey,
  startsAt: MID + startH * H,
  endsAt: MID + endH * H,
  state,
});
/** [scope, [id, lane, left%, width%, clippedStart, clippedEnd]…] per row. */
const shape = (items: TimelineItem[]) =>
  layoutTimeline(items, range, MID).rows.map((r) => [r.scopeKey, r.lanes, r.bars.map((b) => [b.id, b.lane, b.leftPct, b.widthPct, b.clippedStart, b.clippedEnd])]);

describe('layoutTimeline', () => {
  const cases: { name: string; items: TimelineItem[]; rows: unknown[] }[] = [
    { name: 'nothing', items: [], rows: [] },
    { name: 'one window in the middle', items: [item('a', 'site:S1', 12, 24)], rows: [['site:S1', 1, [['a', 0, 25, 25, false, false]]]] },
    {
      name: 'a window before the range is dropped, one reaching into it is clipped at the start',
      items: [item('old', 'site:S1', -10, -2), item('in', 'site:S1', -6, 6)],
      rows: [['site:S1', 1, [['in', 0, 0, 12.5, true, false]]]],
    },
    { name: 'a window past the end is clipped at the end', items: [item('x', 'site:S1', 36, 60)], rows: [['site:S1', 1, [['x', 0, 75, 25, false, true]]]] },
    { name: 'a window ending exactly at the range start is outside', items: [item('x', 'site:S1', -4, 0)], rows: [] },
    {
      name: 'overlapping windows of one scope take two lanes; a later one reuses the first free lane',
      items: [item('a', 'site:S1', 0, 10), item('b', 'site:S1', 5, 20), item('c', 'site:S1', 10, 12)],
      rows: [['site:S1', 2, [['a', 0, 0, 20.833, false, false], ['b', 1, 10.417, 31.25, false, false], ['c', 0, 20.833, 4.167, false, false]]]],
    },
    {
      name: 'windows of different scopes never share a row: sites first, then carrier groups',
      items: [item('g', 'group:AGG-阿拉尔-B', 0, 6), item('s2', 'site:S2', 0, 6), item('s1', 'site:S1', 1, 2, 'proposal')],
      rows: [
        ['site:S1', 1, [['s1', 0, 2.083, 2.083, false, false]]],
        ['site:S2', 1, [['s2', 0, 0, 12.5, false, false]]],
        ['group:AGG-阿拉尔-B', 1, [['g', 0, 0, 12.5, false, false]]],
      ],
    },
    { name: 'an empty or reversed window is not drawn', items: [item('z', 'site:S1', 5, 5), item('r', 'site:S1', 6, 4)], rows: [] },
  ];
  for (const c of cases) it(c.name, () => expect(shape(c.items)).toEqual(c.rows));

  it('keeps the proposal state on its bar', () => {
    const bar = layoutTimeline([item('p', 'group:G', 0, 1, 'proposal')], range, MID).rows[0]!.bars[0]!;
    expect(bar.state).toBe('proposal');
  });

  it('marks now inside the range and not outside it', () => {
    expect(layoutTimeline([], range, MID + 12 * H).nowPct).toBe(25);
    expect(layoutTimeline([], range, MID - 1).nowPct).toBeNull();
    expect(layoutTimeline([], range, range.to).nowPct).toBeNull();
  });

  it('refuses a range that is empty', () => {
    expect(() => layoutTimeline([], { from: MID, to: MID }, MID)).toThrow(/from < to/);
  });
});

describe('shanghaiMidnights', () => {
  const cases: [string, number, number, string[]][] = [
    ['two days from a Shanghai midnight', MID, MID + 2 * DAY, ['2026-02-28T16:00:00.000Z', '2026-03-01T16:00:00.000Z']],
    ['from mid-day: the next midnight first', MID + 5 * H, MID + DAY + 1, ['2026-03-01T16:00:00.000Z']],
    ['a range within one day has none', MID + H, MID + 20 * H, []],
    ['UTC midnight is not a tick', Date.UTC(2026, 2, 1), Date.UTC(2026, 2, 1, 12), []],
  ];
  for (const [name, from, to, want] of cases) it(name, () => expect(shanghaiMidnights(from, to).map((t) => new Date(t).toISOString())).toEqual(want));
});
