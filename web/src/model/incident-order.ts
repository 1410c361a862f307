import type { IncidentDto } from '../../../core/events.js';

/** Open incidents first, then the most recent start. */
export function sortIncidents(list: readonly IncidentDto[]): IncidentDto[] {
  return [...list].sort((a, b) => {
    const openA = a.endedAt === null ? 0 : 1;
    const openB = b.endedAt === null ? 0 : 1;
    if (openA !== openB) return openA - openB;
    return Date.parse(b.startedAt) - Date.parse(a.startedAt);
  });
}

/** The open outage of each site (the most recent when several are open). */
export function openIncidentBySite(list: readonly IncidentDto[]): Map<string, IncidentDto> {
  const bySite = new Map<string, IncidentDto>();
  for (const inc of list) {
    if (inc.endedAt !== null || inc.siteId === null) continue;
    const prev = bySite.get(inc.siteId);
    if (!prev || Date.parse(inc.startedAt) > Date.parse(prev.startedAt)) bySite.set(inc.siteId, inc);
  }
  return bySite;
}

/** Seconds an incident has lasted: to its end, or to `now` while open. */
export function incidentSeconds(inc: Pick<IncidentDto, 'startedAt' | 'endedAt'>, now: number): number {
  const start = Date.parse(inc.startedAt);
  const end = inc.endedAt === null ? now : Date.parse(inc.endedAt);
  return Math.max(0, (end - start) / 1000);
}
