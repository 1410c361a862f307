import type { IncidentDto } from '../../../core/events.js';

/** One card on the wall: a carrier-group event with all its sites, or one site's incident. */
export interface WallCard {
  key: string;
  groupEventId: string | null;
  incidents: IncidentDto[];
  startedAt: number;
}

/** Open incidents as cards: the sites of one carrier-group event share one card. Newest first. */
export function wallCards(incidents: readonly IncidentDto[]): WallCard[] {
  const byKey = new Map<string, WallCard>();
  for (const i of incidents) {
    if (i.endedAt !== null) continue;
    const key = i.groupEventId ?? i.id;
    let card = byKey.get(key);
    if (!card) {
      card = { key, groupEventId: i.groupEventId, incidents: [], startedAt: Date.parse(i.startedAt) };
      byKey.set(key, card);
    }
    card.incidents.push(i);
    card.startedAt = Math.min(card.startedAt, Date.parse(i.startedAt));
  }
  for (const c of byKey.values()) c.incidents.sort((a, b) => (a.siteId ?? '').localeCompare(b.siteId ?? ''));
  return [...byKey.values()].sort((a, b) => b.startedAt - a.startedAt);
}

export interface RecentEntry {
  incident: IncidentDto;
  /** 'flap' when the incident saw the circuit drop and return more than once. */
  kind: 'recovered' | 'flap';
  endedAt: number;
}

export const RECENT_WINDOW_MS = 60 * 60_000;

/** Incidents that ended in the last hour, or are flapping: they stay visible after the tile turns green. */
export function recentEntries(incidents: readonly IncidentDto[], now: number): RecentEntry[] {
  const out: RecentEntry[] = [];
  for (const i of incidents) {
    if (i.endedAt === null) continue;
    const endedAt = Date.parse(i.endedAt);
    if (now - endedAt > RECENT_WINDOW_MS || endedAt > now + 60_000) continue;
    out.push({ incident: i, kind: i.flaps > 0 ? 'flap' : 'recovered', endedAt });
  }
  return out.sort((a, b) => b.endedAt - a.endedAt);
}

/** Stale when the socket is down or the last cycle finished more than two intervals ago. */
export function wallStaleness(connected: boolean, lastCycleFinishedAt: number | null, intervalSec: number | null, now: number): { stale: boolean; ageSec: number | null } {
  const ageSec = lastCycleFinishedAt === null ? null : Math.max(0, Math.round((now - lastCycleFinishedAt) / 1000));
  const late = ageSec !== null && intervalSec !== null && now - lastCycleFinishedAt! > 2 * intervalSec * 1000;
  return { stale: !connected || late, ageSec };
}
