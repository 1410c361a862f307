import type { MaintenanceWindow, Responsibility } from '../core/incident.js';
import type { Site, SiteId } from '../core/inventory.js';
import { currentVerdict, incidentList, type Alert, type Silence } from './alert.js';
import { CARRIER_RULES, type AlertRule, type Severity } from './alert-rules.js';
import type { AlertsConfig } from './config-schema.js';
import { inSpan, onCallChain } from './on-call.js';

/**
 * Who an alert goes to, and whether it is held back. Pure: the alert, the config, the sites,
 * the silences, the maintenance windows and the instant in; contact ids or a reason out.
 */

export type RoutingConfig = Pick<AlertsConfig, 'routes' | 'rotations' | 'contacts'>;

export interface AlertFacts {
  rule: AlertRule;
  severity: Severity;
  responsibility: Responsibility | null;
  divisions: Set<string>;
  carrierGroups: Set<string>;
}

export function alertFacts(a: Alert, sites: ReadonlyMap<SiteId, Site>): AlertFacts {
  const known = a.siteIds.map((id) => sites.get(id)).filter((s): s is Site => s !== undefined);
  return {
    rule: a.rule,
    severity: a.severity,
    responsibility: currentVerdict(a)?.responsibility ?? null,
    divisions: new Set(known.map((s) => s.division)),
    carrierGroups: new Set(known.map((s) => s.circuit.carrierGroup)),
  };
}

const anyOf = <T>(wanted: readonly T[] | undefined, have: ReadonlySet<T> | T | null): boolean => {
  if (!wanted) return true;
  if (have instanceof Set) return wanted.some((w) => have.has(w));
  return have !== null && wanted.includes(have as T);
};

/** Targets (contact or rotation ids) of every route that matches, in order, up to a `stop`. */
export function routeTargets(f: AlertFacts, routes: RoutingConfig['routes'], at: number): string[] {
  const out: string[] = [];
  for (const r of routes) {
    const m = r.match;
    const ok =
      anyOf(m.rule, f.rule) &&
      anyOf(m.severity, f.severity) &&
      anyOf(m.responsibility, f.responsibility) &&
      anyOf(m.division, f.divisions) &&
      anyOf(m.carrierGroup, f.carrierGroups) &&
      (!m.days && !m.hours ? true : inSpan({ days: m.days ?? ['all'], from: m.hours?.from ?? '00:00', to: m.hours?.to ?? '00:00' }, at));
    if (!ok) continue;
    for (const t of r.to) if (!out.includes(t)) out.push(t);
    if (r.stop) break;
  }
  return out;
}

export interface Recipients {
  /** On-call contacts at this escalation level. */
  oncall: string[];
  /** Carrier fault desks (line-side outages only). */
  carrier: string[];
}

/**
 * Level 0 pages the head of each target's chain; level k pages the k-th person of each chain
 * (a target without that many people has nobody further to escalate to).
 */
export function recipientsFor(a: Alert, level: number, at: number, cfg: RoutingConfig, sites: ReadonlyMap<SiteId, Site>): Recipients {
  const f = alertFacts(a, sites);
  const contacts = new Map(cfg.contacts.map((c) => [c.id, c]));
  const rotations = new Map(cfg.rotations.map((r) => [r.id, r]));
  const oncall: string[] = [];
  const carrier: string[] = [];
  const carrierMayKnow = f.responsibility === 'line' && CARRIER_RULES.has(a.rule);
  for (const t of routeTargets(f, cfg.routes, at)) {
    const c = contacts.get(t);
    if (c?.carrier) {
      if (carrierMayKnow && !carrier.includes(t)) carrier.push(t);
      continue;
    }
    const rot = rotations.get(t);
    const chain = rot ? onCallChain(rot, at) : [t];
    const who = chain[level];
    if (who && !oncall.includes(who)) oncall.push(who);
  }
  return { oncall, carrier };
}

export function silenceActive(s: Silence, at: number, requireApproval: boolean): boolean {
  return s.deletedAt === null && s.startsAt <= at && at < s.endsAt && (!requireApproval || s.approvedAt !== null);
}

/** A silence covers an alert when every site of the alert fits it (a one-site silence does not mute a 10-site outage). */
export function silenceCovers(s: Silence, a: Alert, sites: ReadonlyMap<SiteId, Site>): boolean {
  const m = s.match;
  if (m.rules && !m.rules.includes(a.rule)) return false;
  const bySite = m.siteIds || m.carrierGroups || m.divisions;
  if (!bySite) return true;
  if (!a.siteIds.length) return false;
  return a.siteIds.every((id) => {
    const site = sites.get(id);
    if (m.siteIds && !m.siteIds.includes(id)) return false;
    if (m.carrierGroups && !(site && m.carrierGroups.includes(site.circuit.carrierGroup))) return false;
    if (m.divisions && !(site && m.divisions.includes(site.division))) return false;
    return true;
  });
}

function windowCovers(w: MaintenanceWindow, site: Site | undefined, siteId: SiteId): boolean {
  return w.scope.kind === 'site' ? w.scope.siteId === siteId : site !== undefined && w.scope.carrierGroup === site.circuit.carrierGroup;
}

export interface SuppressionContext {
  silences: readonly Silence[];
  windows: readonly MaintenanceWindow[];
  sites: ReadonlyMap<SiteId, Site>;
  requireApproval: boolean;
}

/**
 * Why an alert must not be sent now, or null. Planned work pages nobody; during an announced
 * window the covered sites are quiet — but only for outages that began after the window was
 * registered (the outage stage's rule for `planned`: notice after the fact excuses nothing).
 */
export function suppression(a: Alert, at: number, ctx: SuppressionContext): string | null {
  const verdict = currentVerdict(a);
  if (verdict?.responsibility === 'planned') {
    const w = incidentList(a).find((i) => i.maintenanceWindowId)?.maintenanceWindowId;
    return `planned:${w ?? 'maintenance'}`;
  }
  if (a.siteIds.length && a.rule !== 'carrier-deadline-missed' && a.rule !== 'carrier-deadline-approaching') {
    const starts = incidentList(a).map((i) => i.startedAt);
    const began = starts.length ? Math.min(...starts) : at;
    const active = ctx.windows.filter((w) => w.startsAt <= at && at < w.endsAt && w.registeredAt <= began);
    const covering = active.find((w) => a.siteIds.every((id) => windowCovers(w, ctx.sites.get(id), id)));
    if (covering) return `maintenance:${covering.id}`;
  }
  const s = ctx.silences.find((x) => silenceActive(x, at, ctx.requireApproval) && silenceCovers(x, a, ctx.sites));
  return s ? `silence:${s.id}` : null;
}
