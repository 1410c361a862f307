/**
 * The maintenance timeline's layout, pure: windows (and proposals waiting for a second person)
 * as bars per scope over a time range, overlapping bars of one scope stacked in lanes, with a
 * tick at every Shanghai midnight. The component only draws what this returns.
 */

export type TimelineItemState = 'window' | 'proposal';

export interface TimelineItem {
  id: string;
  /** One row per scope: 'site:D01-R002' or 'group:AGG-阿拉尔-B'. */
  scopeKey: string;
  startsAt: number;
  endsAt: number;
  state: TimelineItemState;
}

export interface TimelineBar {
  id: string;
  state: TimelineItemState;
  lane: number;
  /** Position and size as % of the range's width. */
  leftPct: number;
  widthPct: number;
  /** The window goes on beyond the range on that side. */
  clippedStart: boolean;
  clippedEnd: boolean;
}

export interface TimelineRow {
  scopeKey: string;
  lanes: number;
  bars: TimelineBar[];
}

export interface TimelineLayout {
  rows: TimelineRow[];
  /** Shanghai midnights inside the range. */
  ticks: { at: number; leftPct: number }[];
  /** Where "now" is, or null when it lies outside the range. */
  nowPct: number | null;
}

const DAY_MS = 86_400_000;
/** Asia/Shanghai is UTC+8 all year (no daylight saving since 1991). */
const SHANGHAI_OFFSET_MS = 8 * 3_600_000;

const pct = (t: number, from: number, span: number) => Math.round(((t - from) / span) * 100_000) / 1000;

/** Site rows first, then carrier groups, each in name order (zh collation, stable across locales). */
function scopeOrder(a: string, b: string): number {
  const ka = a.startsWith('site:') ? 0 : 1;
  const kb = b.startsWith('site:') ? 0 : 1;
  return ka - kb || a.localeCompare(b, 'zh-CN');
}

/** Shanghai midnights t with from <= t < to. */
export function shanghaiMidnights(from: number, to: number): number[] {
  const out: number[] = [];
  let t = Math.ceil((from + SHANGHAI_OFFSET_MS) / DAY_MS) * DAY_MS - SHANGHAI_OFFSET_MS;
  for (; t < to; t += DAY_MS) out.push(t);
  return out;
}

export function layoutTimeline(items: readonly TimelineItem[], range: { from: number; to: number }, now: number): TimelineLayout {
  const span = range.to - range.from;
  if (!(span > 0)) throw new RangeError(`timeline range must have from < to (got ${range.from}..${range.to})`);
  const byScope = new Map<string, TimelineItem[]>();
  for (const it of items) {
    if (it.endsAt <= range.from || it.startsAt >= range.to || it.endsAt <= it.startsAt) continue;
    const list = byScope.get(it.scopeKey) ?? [];
    list.push(it);
    byScope.set(it.scopeKey, list);
  }
  const rows: TimelineRow[] = [...byScope.keys()].sort(scopeOrder).map((scopeKey) => {
    const list = [...byScope.get(scopeKey)!].sort((a, b) => a.startsAt - b.startsAt || a.endsAt - b.endsAt || a.id.localeCompare(b.id));
    // Greedy interval packing: each bar takes the first lane free at its start.
    const laneEnds: number[] = [];
    const bars = list.map((it): TimelineBar => {
      let lane = laneEnds.findIndex((end) => end <= it.startsAt);
      if (lane === -1) lane = laneEnds.push(it.endsAt) - 1;
      else laneEnds[lane] = it.endsAt;
      const start = Math.max(it.startsAt, range.from);
      const end = Math.min(it.endsAt, range.to);
      return {
        id: it.id,
        state: it.state,
        lane,
        leftPct: pct(start, range.from, span),
        widthPct: pct(end, start, span),
        clippedStart: it.startsAt < range.from,
        clippedEnd: it.endsAt > range.to,
      };
    });
    return { scopeKey, lanes: laneEnds.length, bars };
  });
  const ticks = shanghaiMidnights(range.from, range.to).map((at) => ({ at, leftPct: pct(at, range.from, span) }));
  const nowPct = now >= range.from && now < range.to ? pct(now, range.from, span) : null;
  return { rows, ticks, nowPct };
}
