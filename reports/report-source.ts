import type { Incident } from '../core/incident.js';
import type { Site } from '../core/inventory.js';
import type { IncidentRepository } from '../outage/incident-repository.js';
import type { MetricStore } from '../store/metric-store.js';

/**
 * Where incidents come from: the outage stage's repository in the state db. Every incident
 * (a site's own, and fleet-wide ones with siteId null) whose time [startedAt, endedAt, or
 * still open) overlaps [from, to), with its current verdict and corrections.
 */
export interface IncidentHistory {
  overlapping(from: number, to: number): Promise<readonly Incident[]> | readonly Incident[];
}

/** The outage stage's repository as an IncidentHistory: every incident of the span, none left out. */
export function incidentHistory(repo: Pick<IncidentRepository, 'list'>): IncidentHistory {
  // LIMIT -1 is SQLite for "no limit": a report must not silently drop incidents past a page size.
  return { overlapping: (from, to) => repo.list({ from, to, limit: -1 }) };
}

/** Everything a report reads; all of it already exists in demarc, the report adds no state. */
export interface ReportSource {
  sites: readonly Site[];
  incidents: IncidentHistory;
  metrics: Pick<MetricStore, 'usage' | 'timeAbove' | 'completeness' | 'range'>;
  /** The collector's poll interval: what "expected samples" in data completeness means. */
  pollIntervalSec: number;
}
