import { RESPONSIBILITIES, type Incident, type Responsibility } from '../core/incident.js';
import { SITE_DOWNTIME } from './incident-clipping.js';
import type { DowntimeBy, WorstCircuit } from './report-model.js';

/**
 * Availability as the contract reads it. Carrier-attributable availability charges only
 * line-side downtime (clause 3.2.6); planned work announced in advance (7.6, 7.7), the
 * customer's own equipment (7.5), force majeure (12.1) and demarc's own blind spots are
 * excluded. Undetermined time is not charged to the carrier either: the report shows it in
 * its own column so a reader sees how much is still in question.
 */

/** 100 × (1 − down / inService); null when the circuit was not in service. */
export function availabilityPct(downSec: number, inServiceSec: number): number | null {
  if (!(inServiceSec > 0)) return null;
  return 100 * (1 - Math.min(downSec, inServiceSec) / inServiceSec);
}

export const carrierDowntime = (d: DowntimeBy): number => d.line;

export const siteDowntime = (d: DowntimeBy): number => SITE_DOWNTIME.reduce((s, r) => s + d[r], 0);

export function sumDowntime(all: readonly DowntimeBy[]): DowntimeBy {
  const total: DowntimeBy = { line: 0, device: 0, planned: 0, external: 0, monitoring: 0, undetermined: 0 };
  for (const d of all) for (const k of Object.keys(total) as (keyof DowntimeBy)[]) total[k] += d[k];
  return total;
}

/**
 * Mean time to restore of line-side outages that ended inside [from, to): the whole
 * incident's duration, not just the part in the period, so an outage that crossed the month
 * boundary is measured once, in the month it was restored. Open incidents have no time to
 * restore yet and are left out.
 */
export function mttrSec(incidents: readonly Incident[], span: { from: number; to: number }, responsibility: Responsibility = 'line'): number | null {
  const restored = incidents.filter(
    (i) => i.kind === 'outage' && i.responsibility === responsibility && i.endedAt !== null && i.endedAt >= span.from && i.endedAt < span.to,
  );
  if (!restored.length) return null;
  return restored.reduce((s, i) => s + (i.endedAt! - i.startedAt), 0) / restored.length / 1000;
}

/** MTTR of each responsibility's outages, so a reader sees the device side's repairs next to the carrier's. */
export function mttrByResponsibility(incidents: readonly Incident[], span: { from: number; to: number }): Record<Responsibility, number | null> {
  return Object.fromEntries(RESPONSIBILITIES.map((r) => [r, mttrSec(incidents, span, r)])) as Record<Responsibility, number | null>;
}

/**
 * The circuits with the lowest carrier-attributable availability (only those below 100 %),
 * lowest first; ties by circuit id so the list is the same every run.
 */
export function worstCircuits(
  rows: readonly { siteId: string; siteName: string; circuitId: string; carrierAvailabilityPct: number | null; lineDownSec: number }[],
  count: number,
): WorstCircuit[] {
  return rows
    .filter((r): r is typeof r & { carrierAvailabilityPct: number } => r.carrierAvailabilityPct !== null && r.carrierAvailabilityPct < 100)
    .sort((a, b) => a.carrierAvailabilityPct - b.carrierAvailabilityPct || (a.circuitId < b.circuitId ? -1 : 1))
    .slice(0, count)
    .map((r) => ({ siteId: r.siteId, siteName: r.siteName, circuitId: r.circuitId, carrierAvailabilityPct: r.carrierAvailabilityPct, lineDownSec: r.lineDownSec }));
}

/** a − b, or null when either is unknown. */
export const delta = (a: number | null, b: number | null): number | null => (a === null || b === null ? null : a - b);
