import { RESPONSIBILITIES, type Incident, type Responsibility } from '../core/incident.js';
import type { DowntimeBy } from './report-model.js';

/**
 * How incidents become minutes in a report period. An incident crossing the period's start or
 * end is cut there (each month counts its own part); an incident still open counts up to the
 * report's as-of instant. Instants are epoch ms; results are seconds.
 */

export interface Span {
  from: number;
  to: number;
}

export interface ClippedSpan extends Span {
  seconds: number;
  startsBefore: boolean;
  endsAfter: boolean;
}

/** The incident's end for counting: its end, or `asOf` while it is open. */
export const effectiveEnd = (i: Pick<Incident, 'endedAt'>, asOf: number): number => i.endedAt ?? asOf;

/** The part of an incident inside [window.from, window.to), or null when there is none. */
export function clipIncident(i: Pick<Incident, 'startedAt' | 'endedAt'>, window: Span, asOf: number): ClippedSpan | null {
  const end = effectiveEnd(i, asOf);
  const from = Math.max(i.startedAt, window.from);
  const to = Math.min(end, window.to);
  if (!(to > from)) return null;
  return { from, to, seconds: (to - from) / 1000, startsBefore: i.startedAt < window.from, endsAfter: end > window.to || (i.endedAt === null && asOf >= window.to) };
}

export const zeroDowntime = (): DowntimeBy => Object.fromEntries(RESPONSIBILITIES.map((r) => [r, 0])) as DowntimeBy;

/** [a, b) minus every covered span, as disjoint pieces. */
export function subtractSpans(a: Span, covered: readonly Span[]): Span[] {
  let pieces: Span[] = [a];
  for (const c of covered) {
    const next: Span[] = [];
    for (const p of pieces) {
      if (c.to <= p.from || c.from >= p.to) {
        next.push(p);
        continue;
      }
      if (c.from > p.from) next.push({ from: p.from, to: c.from });
      if (c.to < p.to) next.push({ from: c.to, to: p.to });
    }
    pieces = next;
  }
  return pieces;
}

const spanSeconds = (spans: readonly Span[]): number => spans.reduce((s, p) => s + (p.to - p.from), 0) / 1000;

/** Seconds covered by the union of spans. */
export function unionSeconds(spans: readonly Span[]): number {
  const covered: Span[] = [];
  let total = 0;
  for (const s of spans) {
    const fresh = subtractSpans(s, covered);
    total += spanSeconds(fresh);
    covered.push(...fresh);
  }
  return total;
}

export interface CircuitDowntime {
  downtimeSec: DowntimeBy;
  monitoringGapSec: number;
}

/**
 * Downtime of one circuit in its in-service window, by responsibility, each instant counted
 * once. The outage stage keeps one incident per site at a time, but a fleet-wide incident
 * (NOC isolation, siteId null) can overlap a site's own; then the site's own verdict wins,
 * because it rests on that site's evidence. Between two of a site's own incidents, the one
 * that started first keeps the overlap. Monitoring gaps (the circuit carried traffic, demarc
 * could not see it) are not downtime and are counted apart.
 */
export function circuitDowntime(incidents: readonly Incident[], window: Span, asOf: number): CircuitDowntime {
  const downtimeSec = zeroDowntime();
  const byStart = (a: Incident, b: Incident) => a.startedAt - b.startedAt || (a.id < b.id ? -1 : 1);
  const outages = incidents.filter((i) => i.kind === 'outage');
  const ordered = [...outages.filter((i) => i.siteId !== null).sort(byStart), ...outages.filter((i) => i.siteId === null).sort(byStart)];
  const covered: Span[] = [];
  for (const i of ordered) {
    const c = clipIncident(i, window, asOf);
    if (!c) continue;
    const fresh = subtractSpans(c, covered);
    downtimeSec[i.responsibility] += spanSeconds(fresh);
    covered.push(...fresh);
  }
  const gaps = incidents
    .filter((i) => i.kind === 'monitoring-gap')
    .map((i) => clipIncident(i, window, asOf))
    .filter((c): c is ClippedSpan => c !== null);
  return { downtimeSec, monitoringGapSec: unionSeconds(gaps) };
}

/** Responsibilities that count against the site in "site availability": every cause but monitoring. */
export const SITE_DOWNTIME: readonly Responsibility[] = ['line', 'device', 'planned', 'external', 'undetermined'];
