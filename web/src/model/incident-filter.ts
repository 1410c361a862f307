import type { Responsibility } from '../../../core/incident.js';

/** The incident list's filters as the operator sets them; dates are Shanghai calendar days. */
export interface IncidentFilter {
  state: 'all' | 'open' | 'closed';
  responsibility: Responsibility | '';
  division: string;
  carrierGroup: string;
  /** YYYY-MM-DD (Shanghai), inclusive; '' for no bound. */
  from: string;
  to: string;
  page: number;
}

export const PAGE_SIZE = 25;
export const EMPTY_FILTER: IncidentFilter = { state: 'all', responsibility: '', division: '', carrierGroup: '', from: '', to: '', page: 0 };

const DAY = /^\d{4}-\d{2}-\d{2}$/;
const DAY_MS = 86_400_000;

/** Midnight of a Shanghai day (UTC+8, no DST) as epoch ms; null for anything else. */
export function shanghaiDayStart(day: string): number | null {
  if (!DAY.test(day)) return null;
  const t = Date.parse(`${day}T00:00:00+08:00`);
  return Number.isFinite(t) ? t : null;
}

/** The query of GET /api/incidents for a filter: the period's `to` day is included whole. */
export function incidentQuery(f: IncidentFilter, pageSize: number = PAGE_SIZE): URLSearchParams {
  const q = new URLSearchParams();
  if (f.state !== 'all') q.set('open', f.state === 'open' ? 'true' : 'false');
  if (f.responsibility) q.set('responsibility', f.responsibility);
  if (f.division) q.set('division', f.division);
  if (f.carrierGroup) q.set('carrierGroup', f.carrierGroup);
  const from = shanghaiDayStart(f.from);
  const to = shanghaiDayStart(f.to);
  if (from !== null) q.set('from', new Date(from).toISOString());
  if (to !== null) q.set('to', new Date(to + DAY_MS).toISOString());
  q.set('limit', String(pageSize));
  if (f.page > 0) q.set('offset', String(f.page * pageSize));
  return q;
}

/** A period whose end precedes its start, said before asking the server. */
export function periodProblem(f: Pick<IncidentFilter, 'from' | 'to'>): 'order' | null {
  const from = shanghaiDayStart(f.from);
  const to = shanghaiDayStart(f.to);
  return from !== null && to !== null && to < from ? 'order' : null;
}

export function pageCount(total: number, pageSize: number = PAGE_SIZE): number {
  return Math.max(1, Math.ceil(total / pageSize));
}
