import type { CycleStats, IncidentDto, SeriesPoint, SiteDto, StoreHealth } from '../../../core/events.js';
import { getJson } from './http.js';

/** Wire shape of one throughput point (shared with the server in core/events.ts). */
export type SeriesPointDto = SeriesPoint;

export interface HealthDto {
  status: 'ok' | 'degraded';
  collector: { lastCycle: CycleStats | null; overruns: number };
  store: StoreHealth;
}

export const fetchSites = (signal?: AbortSignal) => getJson<{ sites: SiteDto[] }>('/api/sites', signal).then((r) => r.sites);

export const fetchSite = (id: string, signal?: AbortSignal) =>
  getJson<{ site: SiteDto }>(`/api/sites/${encodeURIComponent(id)}`, signal).then((r) => r.site);

/** Without a step: every raw sample in the range. */
export function fetchMetrics(id: string, from: number, to: number, stepSec: number | undefined, signal?: AbortSignal): Promise<SeriesPointDto[]> {
  const q = new URLSearchParams({ from: new Date(from).toISOString(), to: new Date(to).toISOString() });
  if (stepSec !== undefined) q.set('step', String(stepSec));
  return getJson<{ siteId: string; points: SeriesPointDto[] }>(`/api/sites/${encodeURIComponent(id)}/metrics?${q}`, signal).then(
    (r) => r.points,
  );
}

export function fetchIncidents(filter: { open?: boolean; siteId?: string } = {}, signal?: AbortSignal): Promise<IncidentDto[]> {
  const q = new URLSearchParams();
  if (filter.open) q.set('open', 'true');
  if (filter.siteId) q.set('site', filter.siteId);
  const qs = q.toString();
  return getJson<{ incidents: IncidentDto[] }>(`/api/incidents${qs ? `?${qs}` : ''}`, signal).then((r) => r.incidents);
}

export const fetchHealth = (signal?: AbortSignal) => getJson<HealthDto>('/api/health', signal);
