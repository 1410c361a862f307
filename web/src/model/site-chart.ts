import type { IncidentDto, SeriesPoint } from '../../../core/events.js';
import { incidentTileState, type TileState } from '../../../core/site-state.js';
import { percentile } from '../../../store/resolution.js';

/**
 * The site page's chart, as pure functions: which window and step a range asks the API for,
 * which stretches to shade, the state strip's segments and the p95 line. The components only
 * draw what these return.
 */

export const CHART_RANGES = ['1h', '24h', '7d', '30d', 'term'] as const;
export type ChartRange = (typeof CHART_RANGES)[number];

const MIN = 60_000;
const HOUR = 60 * MIN;
const DAY = 24 * HOUR;
const SPAN: Readonly<Record<Exclude<ChartRange, 'term'>, number>> = { '1h': HOUR, '24h': DAY, '7d': 7 * DAY, '30d': 30 * DAY };
/** The API answers at most 800 days per request. */
const MAX_SPAN = 800 * DAY;

export interface ChartWindow {
  /** The x axis: [from, to]. */
  from: number;
  to: number;
  /** What to ask the API for: up to now (a term that ends next year has no data after today). */
  fetchTo: number;
  /** null = every raw sample; otherwise the bucket the store serves (store/resolution.ts). */
  stepSec: number | null;
}

/**
 * Step by span: raw samples up to 2 h (so a fresh demo's first minutes are drawn), one-minute
 * buckets up to 2 days (still served from raw samples), then 15 minutes, 1 hour and 1 day: at
 * most about 2,900 points whatever the range.
 */
export function stepForSpan(spanMs: number): number | null {
  if (spanMs <= 2 * HOUR) return null;
  if (spanMs <= 2 * DAY) return 60;
  if (spanMs <= 10 * DAY) return 900;
  if (spanMs <= 100 * DAY) return 3600;
  return 86_400;
}

/** The window of a range at `now`; the term needs its dates (null when the register has none). */
export function chartWindow(range: ChartRange, now: number, term: { from: number; to: number } | null): ChartWindow | null {
  if (range !== 'term') {
    const from = now - SPAN[range];
    return { from, to: now, fetchTo: now, stepSec: stepForSpan(SPAN[range]) };
  }
  if (!term || !(term.to > term.from) || term.from >= now) return null;
  const from = Math.max(term.from, Math.min(now, term.to) - MAX_SPAN);
  return { from, to: term.to, fetchTo: Math.min(now, term.to), stepSec: stepForSpan(term.to - from) };
}

/** A Shanghai calendar day (YYYY-MM-DD) as its first and last instants: [00:00, next 00:00). */
export function termWindow(activationDate: string, termEnd: string): { from: number; to: number } | null {
  const day = (d: string) => Date.parse(`${d}T00:00:00+08:00`);
  const from = day(activationDate);
  const to = day(termEnd) + DAY;
  return Number.isFinite(from) && Number.isFinite(to) && to > from ? { from, to } : null;
}

/** How a shaded stretch is drawn: the contract's three sides each have their own colour and pattern. */
export type BandKind = 'line' | 'device' | 'planned' | 'other';

export interface OutageBand {
  from: number;
  to: number;
  kind: BandKind;
  /** The tile state the stretch stood for (the strip and the legend label it with the terms table). */
  state: TileState;
  incidentId: string;
  open: boolean;
}

type BandIncident = Pick<IncidentDto, 'id' | 'kind' | 'responsibility' | 'startedAt' | 'endedAt'>;

const bandKindOf = (state: TileState): BandKind =>
  state === 'line-outage' ? 'line' : state === 'device-outage' ? 'device' : state === 'planned' ? 'planned' : 'other';

/** The incidents that overlap [from, to), clipped to it; an open one runs to `now`. Sorted by start. */
export function outageBands(incidents: readonly BandIncident[], win: { from: number; to: number }, now: number): OutageBand[] {
  const out: OutageBand[] = [];
  for (const i of incidents) {
    const start = Date.parse(i.startedAt);
    const end = i.endedAt === null ? now : Date.parse(i.endedAt);
    const from = Math.max(start, win.from);
    const to = Math.min(end, win.to);
    if (!(to > from)) continue;
    const state = incidentTileState(i);
    out.push({ from, to, kind: bandKindOf(state), state, incidentId: i.id, open: i.endedAt === null });
  }
  return out.sort((a, b) => a.from - b.from || a.to - b.to);
}

export interface StripSegment {
  from: number;
  to: number;
  state: TileState;
}

/** Of two incidents at the same instant the strip shows the outage, as the tile does. */
const rank = (s: TileState): number => (s === 'monitoring-gap' ? 1 : s === 'no-data' ? 0 : 2);

/**
 * The tile states over the window: an incident's state while it lasted, "no data" where the
 * series misses more than one point in a row (also before its first and after its last),
 * "up" otherwise. A point stands for [at, at + pointMs). Neighbouring segments of one state
 * are merged; the strip ends at `now`.
 */
export function stateStrip(
  bands: readonly OutageBand[],
  pointsAt: readonly number[],
  win: { from: number; to: number },
  pointMs: number,
  now: number,
): StripSegment[] {
  const end = Math.min(win.to, now);
  if (!(end > win.from)) return [];
  const marks: StripSegment[] = [];
  // Holes in the series, as no-data stretches: before the first point, between points, after the last.
  let covered = win.from;
  for (const at of [...pointsAt].sort((a, b) => a - b)) {
    if (at >= end) break;
    // One missing point is a late reply, not a hole.
    if (at - covered > pointMs) marks.push({ from: covered, to: at, state: 'no-data' });
    covered = Math.max(covered, at + pointMs);
  }
  if (end - covered > pointMs) marks.push({ from: covered, to: end, state: 'no-data' });
  for (const b of bands) marks.push({ from: b.from, to: Math.min(b.to, end), state: b.state });
  // Sweep the boundaries; at each elementary piece the highest-ranked mark wins, else up.
  const cuts = [...new Set([win.from, end, ...marks.flatMap((m) => [m.from, m.to])])].filter((t) => t >= win.from && t <= end).sort((a, b) => a - b);
  const out: StripSegment[] = [];
  for (let k = 0; k + 1 < cuts.length; k++) {
    const a = cuts[k]!;
    const b = cuts[k + 1]!;
    let state: TileState = 'up';
    let best = -1;
    for (const m of marks) if (m.from <= a && m.to >= b && rank(m.state) > best) ((state = m.state), (best = rank(m.state)));
    const prev = out[out.length - 1];
    if (prev && prev.state === state && prev.to === a) prev.to = b;
    else out.push({ from: a, to: b, state });
  }
  return out;
}

/**
 * The p95 of the shown series in Mbit/s, per direction, by the reports' percentile rule
 * (store/resolution.ts: nearest rank, rounded half up). Points without a rate are left out.
 */
export function p95Mbps(points: readonly Pick<SeriesPoint, 'inBps' | 'outBps'>[]): { in: number | null; out: number | null } {
  const of = (pick: (p: Pick<SeriesPoint, 'inBps' | 'outBps'>) => number | null) => {
    const v = points.map(pick).filter((x): x is number => x !== null && Number.isFinite(x));
    const p = percentile(v, 95);
    return p === null ? null : p / 1e6;
  };
  return { in: of((p) => p.inBps), out: of((p) => p.outBps) };
}
