import type { TermParams } from '../core/terms.js';
import { randomUUID } from 'node:crypto';
import type { Incident, IncidentEvent, MaintenanceWindow } from '../core/incident.js';
import type { Site } from '../core/inventory.js';
import type { CircuitSample } from '../core/sample.js';
import type { TrapEvent } from '../core/trap.js';
import type { OutageConfig } from './config-schema.js';
import { densestCluster, isolationFinding, type IsolationFinding } from './fleet-rules.js';
import { addEvidence, emptyFacts, iso, newIncident, type TrackedIncident } from './incident-facts.js';
import { IncidentLedger } from './incident-ledger.js';
import { applyVerdict } from './incident-verdict.js';
import { SiteTracker, type TrackerContext } from './site-tracker.js';

export interface TrackerOutput {
  events: IncidentEvent[];
  /** Incidents whose stored form changed this round (to persist), including closed ones. */
  changed: TrackedIncident[];
  /** Samples or traps naming a site the inventory does not have. */
  unknownSites: string[];
}

interface GroupEvent {
  id: string;
  carrierGroup: string;
  startedAt: number;
}

/**
 * The outage state machine for the whole fleet: per-site trackers plus the fleet-level rules
 * (NOC isolation, mass outage of a carrier_group). Pure: it is fed samples, traps and the
 * maintenance windows, and answers with incident events; storing them is the stage's job.
 */
export class IncidentTracker {
  private readonly sites = new Map<string, SiteTracker>();
  private readonly latest = new Map<string, CircuitSample>();
  private readonly emitted = new Map<string, string>();
  private readonly persisted = new Map<string, string>();
  private readonly groups = new Map<string, GroupEvent>();
  private isolation: { since: number; cycles: number; finding: IsolationFinding; incident: TrackedIncident | null } | null = null;
  private restoredIsolation: TrackedIncident | null = null;
  private readonly newId: () => string;

  constructor(
    siteList: readonly Site[],
    private readonly cfg: OutageConfig,
    newId: () => string = () => `INC-${randomUUID()}`,
  ) {
    for (const s of siteList) this.sites.set(s.id, new SiteTracker(s));
    this.newId = newId;
  }

  /** Open incidents as they stand now. */
  openIncidents(): Incident[] {
    return this.openTracked().map((t) => structuredClone(t.incident));
  }

  find(id: string): TrackedIncident | undefined {
    return this.openTracked().find((t) => t.incident.id === id);
  }

  private openTracked(): TrackedIncident[] {
    const all = [...this.sites.values()].flatMap((s) => s.open());
    const iso = this.isolation?.incident ?? this.restoredIsolation;
    return iso ? [iso, ...all] : all;
  }

  /** Takes back the incidents that were open when demarc stopped (from the state db). */
  restore(open: readonly TrackedIncident[], lastCycleAt: number | null): void {
    for (const t of open) {
      if (t.incident.siteId === null) {
        this.restoredIsolation = t;
      } else {
        this.sites.get(t.incident.siteId)?.restore(t, lastCycleAt);
        const group = this.sites.get(t.incident.siteId)?.site.circuit.carrierGroup;
        if (t.incident.groupEventId && group && !this.groups.has(group)) {
          this.groups.set(group, { id: t.incident.groupEventId, carrierGroup: group, startedAt: t.incident.startedAt });
        }
      }
      this.emitted.set(t.incident.id, JSON.stringify(t.incident));
      this.persisted.set(t.incident.id, JSON.stringify(t));
    }
  }

  observe(samples: readonly CircuitSample[], now: number, windows: readonly MaintenanceWindow[]): TrackerOutput {
    const ctx = this.context(now, windows);
    const unknownSites: string[] = [];
    const known = samples.filter((s) => {
      if (this.sites.has(s.siteId)) return true;
      unknownSites.push(s.siteId);
      return false;
    });
    for (const s of known) this.latest.set(s.siteId, s);
    const finding = isolationFinding([...this.latest.values()], this.cfg);
    this.resolveRestoredIsolation(finding, ctx);
    if (finding) this.whileIsolated(finding, known, ctx);
    else {
      this.endIsolation(ctx);
      for (const s of known) this.sites.get(s.siteId)!.observe(s, ctx);
    }
    return this.finish(ctx, unknownSites);
  }

  trap(e: TrapEvent, now: number, windows: readonly MaintenanceWindow[]): TrackerOutput {
    const ctx = this.context(now, windows);
    const site = this.sites.get(e.siteId);
    if (!site) return { events: [], changed: [], unknownSites: [e.siteId] };
    site.trap(e, ctx);
    return this.finish(ctx, []);
  }

  /** Discovery saw the site's CE come back as another unit: evidence for its open outage. */
  deviceReplaced(siteId: string, at: number, params: TermParams, now: number, windows: readonly MaintenanceWindow[]): TrackerOutput {
    const ctx = this.context(now, windows);
    const site = this.sites.get(siteId);
    if (!site) return { events: [], changed: [], unknownSites: [siteId] };
    site.note('ce-replaced', at, params, ctx);
    return this.finish(ctx, []);
  }

  /** A remote collector's reading of a site the center lost: the second vantage point (outage/vantage.ts). */
  vantage(siteId: string, kind: 'vantage-sees-ce' | 'vantage-lost-ce', at: number, params: TermParams, now: number, windows: readonly MaintenanceWindow[]): TrackerOutput {
    const ctx = this.context(now, windows);
    const site = this.sites.get(siteId);
    if (!site) return { events: [], changed: [], unknownSites: [siteId] };
    site.noteVantage(kind, at, params, ctx);
    return this.finish(ctx, []);
  }

  /** Time passing without samples (a flapping incident going quiet, a window ending). */
  tick(now: number, windows: readonly MaintenanceWindow[]): TrackerOutput {
    return this.finish(this.context(now, windows), []);
  }

  /** Changes an open incident from outside (carrier contact, correction) and re-decides it. */
  amend(id: string, change: (t: TrackedIncident) => void, now: number, windows: readonly MaintenanceWindow[]): TrackerOutput | null {
    const t = this.find(id);
    if (!t) return null;
    const ctx = this.context(now, windows);
    change(t);
    ctx.ledger.touch(t);
    return this.finish(ctx, []);
  }

  private context(now: number, windows: readonly MaintenanceWindow[]): TrackerContext {
    return { now, cfg: this.cfg, windows, newId: this.newId, ledger: new IncidentLedger() };
  }

  private whileIsolated(finding: IsolationFinding, batch: readonly CircuitSample[], ctx: TrackerContext): void {
    if (!this.isolation) {
      const silentAts = batch.filter((s) => !s.ce.reachable || !s.headend.reachable).map((s) => s.at);
      this.isolation = { since: silentAts.length ? Math.min(...silentAts) : ctx.now, cycles: 0, finding, incident: null };
      for (const s of this.sites.values()) s.freeze();
    }
    const iso_ = this.isolation;
    iso_.cycles++;
    iso_.finding = finding;
    if (!iso_.incident && iso_.cycles >= this.cfg.confirm.polls) {
      const t: TrackedIncident = { incident: newIncident(ctx.newId(), null, null, 'monitoring-gap', iso_.since), facts: emptyFacts(iso_.since, null) };
      t.facts.gap = 'noc-isolation';
      t.facts.phase = 'down';
      const counts = finding.cause === 'headend-unreachable' ? { cause: 'headend-unreachable', headendUnreachable: finding.headendUnreachable, total: finding.total } : { cause: 'silent', silent: finding.silent, total: finding.total };
      addEvidence(t.facts, { at: iso_.since, kind: 'noc-isolation', params: counts });
      iso_.incident = t;
      ctx.ledger.open(t);
    } else if (iso_.incident) {
      iso_.incident.facts.lastSeenAt = ctx.now;
      ctx.ledger.touch(iso_.incident);
    }
  }

  private endIsolation(ctx: TrackerContext): void {
    const iso_ = this.isolation;
    if (!iso_) return;
    this.isolation = null;
    if (!iso_.incident) return;
    this.closeIsolationIncident(iso_.incident, ctx);
    for (const s of this.sites.values()) {
      for (const t of s.open()) {
        if (t.facts.gap !== null) continue;
        addEvidence(t.facts, { at: iso_.since, kind: 'noc-isolation', params: { cause: 'during', from: iso_.since, until: ctx.now, incidentId: iso_.incident.incident.id } });
        ctx.ledger.touch(t);
      }
    }
  }

  private closeIsolationIncident(t: TrackedIncident, ctx: TrackerContext): void {
    addEvidence(t.facts, { at: ctx.now, kind: 'gap-ended', params: { cause: 'noc-visible' } });
    t.incident.endedAt = ctx.now;
    ctx.ledger.close(t);
  }

  /** An isolation open when demarc stopped goes on if it still holds, and ends now if not. */
  private resolveRestoredIsolation(finding: IsolationFinding | null, ctx: TrackerContext): void {
    const t = this.restoredIsolation;
    if (!t) return;
    this.restoredIsolation = null;
    if (finding) this.isolation = { since: t.incident.startedAt, cycles: this.cfg.confirm.polls, finding, incident: t };
    else this.closeIsolationIncident(t, ctx);
  }

  /** K sites of one carrier_group down within the window: one group event, all of them `line`. */
  private detectMassOutages(ctx: TrackerContext): void {
    const { minSites, windowSec } = this.cfg.massOutage;
    const windowMs = windowSec * 1000;
    const byGroup = new Map<string, TrackedIncident[]>();
    const live = new Set<string>();
    for (const s of this.sites.values()) {
      const t = s.outage;
      if (!t) continue;
      if (t.incident.groupEventId) live.add(t.incident.groupEventId);
      if (t.incident.groupEventId || t.facts.plannedWindow || t.facts.overrunOf) continue;
      const g = s.site.circuit.carrierGroup;
      byGroup.set(g, [...(byGroup.get(g) ?? []), t]);
    }
    for (const [g, ev] of this.groups) if (!live.has(ev.id)) this.groups.delete(g);
    for (const [group, candidates] of byGroup) {
      let ev = this.groups.get(group);
      let members: TrackedIncident[];
      if (ev) {
        const startedAt = ev.startedAt;
        members = candidates.filter((t) => Math.abs(t.incident.startedAt - startedAt) <= windowMs);
      } else {
        const cluster = densestCluster(candidates.map((t) => ({ startedAt: t.incident.startedAt, t })), minSites, windowMs);
        if (!cluster) continue;
        members = cluster.map((c) => c.t);
        ev = { id: `GE-${randomUUID()}`, carrierGroup: group, startedAt: Math.min(...members.map((t) => t.incident.startedAt)) };
        this.groups.set(group, ev);
      }
      for (const t of members) {
        t.incident.groupEventId = ev.id;
        addEvidence(t.facts, {
          at: ctx.now,
          kind: 'mass-outage',
          params: { group, minSites, windowSec, eventId: ev.id },
        });
        ctx.ledger.touch(t);
      }
    }
  }

  private settle(ctx: TrackerContext): void {
    for (const t of ctx.ledger.touched) {
      const site = t.incident.siteId ? this.sites.get(t.incident.siteId)?.site ?? null : null;
      applyVerdict(t, site, ctx.windows, ctx.now);
    }
  }

  private finish(ctx: TrackerContext, unknownSites: string[]): TrackerOutput {
    // Re-decide open incidents too: a window registered or deleted changes them without a sample.
    for (const t of this.openTracked()) ctx.ledger.touch(t);
    this.settle(ctx);
    for (const s of this.sites.values()) s.tick(ctx);
    this.settle(ctx);
    this.detectMassOutages(ctx);
    this.settle(ctx);
    return { events: this.events(ctx), changed: this.changed(ctx), unknownSites };
  }

  private changed(ctx: TrackerContext): TrackedIncident[] {
    return [...ctx.ledger.touched].filter((t) => {
      const json = JSON.stringify(t);
      const id = t.incident.id;
      if (this.persisted.get(id) === json) return false;
      if (t.incident.endedAt !== null) this.persisted.delete(id);
      else this.persisted.set(id, json);
      return true;
    });
  }

  private events(ctx: TrackerContext): IncidentEvent[] {
    const out: IncidentEvent[] = [];
    for (const t of ctx.ledger.touched) {
      const json = JSON.stringify(t.incident);
      const id = t.incident.id;
      if (ctx.ledger.opened.has(t)) out.push({ type: 'opened', incident: structuredClone(t.incident) });
      if (ctx.ledger.closed.has(t)) {
        out.push({ type: 'closed', incident: structuredClone(t.incident) });
        this.emitted.delete(id);
        continue;
      }
      if (!ctx.ledger.opened.has(t) && this.emitted.get(id) !== json) out.push({ type: 'updated', incident: structuredClone(t.incident) });
      this.emitted.set(id, json);
    }
    return out;
  }
}
