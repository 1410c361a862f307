import { createHash } from 'node:crypto';
import type { Site } from '../core/inventory.js';
import type { CollectorGroupConfig } from './config-schema.js';

/**
 * Who polls which site: pure functions of the groups, the inventory and the set of collectors
 * alive in the KV bucket. Every collector computes the same answer from the same inputs, so
 * nobody has to hand sites over: a member whose heartbeat expired simply stops owning them.
 */

/** The sites of a group, in inventory order. */
export function groupSites(g: CollectorGroupConfig, sites: readonly Site[]): Site[] {
  const divisions = new Set(g.divisions);
  const ids = new Set(g.sites);
  return sites.filter((s) => divisions.has(s.division) || ids.has(s.id));
}

/** The group each site belongs to (the first listing it); a site in no group is the center's. */
export function groupOfSite(groups: readonly CollectorGroupConfig[], sites: readonly Site[]): Map<string, CollectorGroupConfig> {
  const out = new Map<string, CollectorGroupConfig>();
  for (const g of groups) for (const s of groupSites(g, sites)) if (!out.has(s.id)) out.set(s.id, g);
  return out;
}

const score = (a: string, b: string) => createHash('sha256').update(`${a}\u0000${b}`).digest().readUInt32BE(0);

/** Rendezvous hashing: the candidate with the highest score for the key (ties by id). */
export function rendezvous(key: string, candidates: readonly string[]): string | null {
  let best: string | null = null;
  let bestScore = -1;
  for (const c of candidates) {
    const s = score(key, c);
    if (s > bestScore || (s === bestScore && best !== null && c < best)) {
      best = c;
      bestScore = s;
    }
  }
  return best;
}

/**
 * A share is the sites a member polls while every member is alive (its "home"). Shares are the
 * unit of takeover: a dead member's share goes whole to one survivor, so a takeover starts one
 * more collector instead of reshuffling every site of the group.
 */
export function homeShares(g: CollectorGroupConfig, sites: readonly Site[]): Map<string, string[]> {
  const shares = new Map<string, string[]>(g.members.map((m) => [m, []]));
  for (const s of groupSites(g, sites)) shares.get(rendezvous(s.id, g.members)!)!.push(s.id);
  return shares;
}

/**
 * Which alive collector polls each share: its home member when alive, else a surviving member
 * (rendezvous on the share), else an alive fallback collector, else nobody (said in health).
 */
export function shareOwners(g: CollectorGroupConfig, alive: ReadonlySet<string>): Map<string, string | null> {
  const members = g.members.filter((m) => alive.has(m));
  const fallback = g.fallback.filter((m) => alive.has(m));
  return new Map(g.members.map((home) => [home, alive.has(home) ? home : rendezvous(home, members) ?? rendezvous(home, fallback)]));
}

/** The shares one collector polls now, across every group it is a member or fallback of. */
export interface OwnedShare {
  /** `group/home member`: stable while the share changes hands. */
  key: string;
  group: string;
  home: string;
  siteIds: string[];
}

export function ownedShares(me: string, groups: readonly CollectorGroupConfig[], sites: readonly Site[], alive: ReadonlySet<string>): OwnedShare[] {
  const out: OwnedShare[] = [];
  for (const g of groups) {
    if (!g.members.includes(me) && !g.fallback.includes(me)) continue;
    const shares = homeShares(g, sites);
    for (const [home, owner] of shareOwners(g, alive)) {
      const siteIds = shares.get(home) ?? [];
      if (owner === me && siteIds.length) out.push({ key: `${g.id}/${home}`, group: g.id, home, siteIds });
    }
  }
  return out;
}

/** May this collector report this site? Any member or fallback of the site's group may (a takeover is legitimate). */
export function mayReport(collector: string, siteId: string, bySite: ReadonlyMap<string, CollectorGroupConfig>): 'ok' | 'unknown-site' | 'not-in-group' {
  const g = bySite.get(siteId);
  if (!g) return 'unknown-site';
  return g.members.includes(collector) || g.fallback.includes(collector) ? 'ok' : 'not-in-group';
}
