import type { TermParams } from '../core/terms.js';
import { randomUUID } from 'node:crypto';
import { DomainError } from '../core/domain-error.js';
import type { AuditLog } from '../audit/audit-log.js';
import type { Clock } from '../core/clock.js';
import type { Incident, IncidentEvent, MaintenanceScope, MaintenanceWindow, Responsibility } from '../core/incident.js';
import type { Site } from '../core/inventory.js';
import type { Logger } from '../core/logger.js';
import type { CircuitSample } from '../core/sample.js';
import type { TrapEvent } from '../core/trap.js';
import type { User } from '../core/user.js';
import type { StateDb } from '../store/state-db.js';
import { assessCarrierResponse, type CarrierResponseAssessment } from './carrier-response.js';
import type { OutageConfig } from './config-schema.js';
import { addEvidence, iso, type TrackedIncident } from './incident-facts.js';
import { IncidentRepository, type IncidentQuery } from './incident-repository.js';
import { IncidentTracker, type TrackerOutput } from './incident-tracker.js';
import { applyVerdict } from './incident-verdict.js';
import { coverageSpan, windowCoverage, type WindowCoverage } from './maintenance-coverage.js';
import { MaintenanceRepository } from './maintenance-repository.js';
import { approveCorrection, CorrectionRefused, proposeCorrection, rejectCorrection } from './verdict-correction.js';

export interface OutageStageDeps {
  db: StateDb;
  sites: readonly Site[];
  config: OutageConfig;
  clock: Clock;
  logger: Logger;
  audit: AuditLog;
  newId?: () => string;
}

/** A refused command: why (api/ maps it to HTTP), and the request field at fault. */
export class OutageCommandError extends DomainError {
  override readonly name = 'OutageCommandError';
}

export interface CommandResult {
  incident: Incident;
  /** To publish (socket.io `incident:updated` …), like the events observe() returns. */
  events: IncidentEvent[];
}

export interface NewWindow {
  scope: MaintenanceScope;
  startsAt: number;
  endsAt: number;
  carrierNoticeRef: string;
}

const DAY_MS = 86_400_000;

/**
 * Stage 5 of the pipeline: feeds samples and traps to the (pure) incident tracker, keeps its
 * incidents in the state db, and carries out the operators' commands on them. Every event it
 * returns is already stored.
 */
export class OutageStage {
  readonly incidents: IncidentRepository;
  readonly maintenance: MaintenanceRepository;
  private readonly tracker: IncidentTracker;
  private windows: MaintenanceWindow[];
  private readonly sitesById: Map<string, Site>;

  constructor(private readonly deps: OutageStageDeps) {
    this.incidents = new IncidentRepository(deps.db);
    this.maintenance = new MaintenanceRepository(deps.db);
    this.sitesById = new Map(deps.sites.map((s) => [s.id, s]));
    this.tracker = new IncidentTracker(deps.sites, deps.config, deps.newId);
    const open = this.incidents.open();
    const lastCycleAt = this.incidents.lastCycleAt();
    this.tracker.restore(open, lastCycleAt);
    const oldest = Math.min(deps.clock.now(), ...open.map((t) => t.incident.startedAt));
    this.windows = this.maintenance.list({ from: oldest - DAY_MS });
    if (open.length) deps.logger.info({ open: open.length, lastCycleAt: lastCycleAt && iso(lastCycleAt) }, 'outage: resumed incidents open at the last stop');
  }

  get sites(): readonly Site[] {
    return this.deps.sites;
  }

  /** One collection cycle (or part of one): samples in, stored incident events out. */
  observe(samples: readonly CircuitSample[], now: number = this.deps.clock.now()): IncidentEvent[] {
    return this.commit(this.tracker.observe(samples, now, this.windows), now, true);
  }

  trap(e: TrapEvent): IncidentEvent[] {
    const now = this.deps.clock.now();
    return this.commit(this.tracker.trap(e, now, this.windows), now, false);
  }

  /** Discovery saw the site's CE replaced (serial or model changed): device-side evidence for an open outage. */
  deviceReplaced(siteId: string, at: number, params: TermParams): IncidentEvent[] {
    const now = this.deps.clock.now();
    return this.commit(this.tracker.deviceReplaced(siteId, at, params, now, this.windows), now, false);
  }

  /** A remote collector's reading of a site the center lost (outage/vantage.ts). */
  vantage(siteId: string, kind: 'vantage-sees-ce' | 'vantage-lost-ce', at: number, params: TermParams): IncidentEvent[] {
    const now = this.deps.clock.now();
    return this.commit(this.tracker.vantage(siteId, kind, at, params, now, this.windows), now, false);
  }

  /** Time passing without samples: flapping incidents going quiet, maintenance windows ending. */
  tick(now: number = this.deps.clock.now()): IncidentEvent[] {
    return this.commit(this.tracker.tick(now, this.windows), now, false);
  }

  private commit(out: TrackerOutput, now: number, cycle: boolean): IncidentEvent[] {
    for (const siteId of new Set(out.unknownSites)) this.deps.logger.warn({ siteId }, 'outage: input names a site that is not in the inventory; ignored');
    this.deps.db.transaction(() => {
      this.incidents.save(out.changed, now);
      if (cycle) this.incidents.setLastCycleAt(now);
    })();
    for (const e of out.events) {
      if (e.type === 'updated') continue;
      const i = e.incident;
      this.deps.logger.info({ incident: i.id, siteId: i.siteId, kind: i.kind, responsibility: i.responsibility, verdict: i.verdict, rule: i.rule }, `outage: incident ${e.type}`);
    }
    return out.events;
  }

  listIncidents(q: IncidentQuery = {}): Incident[] {
    return this.incidents.list(q);
  }

  /** Incidents matching a query, and how many match in all (for paging). */
  pageIncidents(q: IncidentQuery): { incidents: Incident[]; total: number } {
    return { incidents: this.incidents.list(q), total: this.incidents.count(q) };
  }

  /** The sites of a division and/or a carrier group, as the inventory has them. */
  siteIdsWhere(f: { division?: string; carrierGroup?: string }): string[] {
    return [...this.sitesById.values()]
      .filter((s) => (f.division === undefined || s.division === f.division) && (f.carrierGroup === undefined || s.circuit.carrierGroup === f.carrierGroup))
      .map((s) => s.id);
  }

  site(id: string | null): Site | null {
    return id === null ? null : (this.sitesById.get(id) ?? null);
  }

  getIncident(id: string): Incident | null {
    return this.tracker.find(id)?.incident ?? this.incidents.get(id)?.incident ?? null;
  }

  carrierResponse(i: Pick<Incident, 'carrierReportedAt' | 'carrierRespondedAt'>, now: number = this.deps.clock.now()): CarrierResponseAssessment {
    return assessCarrierResponse(i.carrierReportedAt, i.carrierRespondedAt, now, this.deps.config.carrierResponse);
  }

  reportToCarrier(id: string, by: User, at: number, note: string | null = null): CommandResult {
    return this.command(id, by, 'incident.carrier-report', { at: iso(at), note }, (t, now) => {
      checkInstant(at, t.incident.startedAt, now, 'the report');
      if (t.incident.carrierReportedAt !== null) {
        throw new OutageCommandError('conflict', `already reported to the carrier at ${iso(t.incident.carrierReportedAt)}`);
      }
      t.incident.carrierReportedAt = at;
      addEvidence(t.facts, { at, kind: 'carrier-reported', params: { by: by.id, note } });
    });
  }

  recordCarrierResponse(id: string, by: User, at: number, note: string | null = null): CommandResult {
    return this.command(id, by, 'incident.carrier-response', { at: iso(at), note }, (t, now) => {
      const reported = t.incident.carrierReportedAt;
      if (reported === null) throw new OutageCommandError('conflict', 'record when the fault was reported to the carrier first');
      checkInstant(at, t.incident.startedAt, now, 'the response');
      if (at < reported) throw new OutageCommandError('invalid', `at: the response (${iso(at)}) cannot precede the report (${iso(reported)})`, 'at');
      if (t.incident.carrierRespondedAt !== null) {
        throw new OutageCommandError('conflict', `the carrier's response is already recorded at ${iso(t.incident.carrierRespondedAt)}`);
      }
      t.incident.carrierRespondedAt = at;
      const a = assessCarrierResponse(reported, at, now, this.deps.config.carrierResponse);
      addEvidence(t.facts, {
        at,
        kind: 'carrier-responded',
        params: {
          minutes: Math.round(a.responseSec! / 60), limitH: this.deps.config.carrierResponse.limitHours, met: a.withinLimit,
          strictH: this.deps.config.carrierResponse.strictLimitHours, strictMet: a.withinStrictLimit, by: by.id, note,
        },
      });
    });
  }

  proposeVerdict(id: string, by: User, responsibility: Responsibility, reason: string): CommandResult {
    return this.command(id, by, 'incident.verdict.propose', { responsibility, reason }, (t, now) => {
      const c = proposeCorrection(t.incident, { by, responsibility, reason, at: now });
      t.incident.corrections.push(c);
      addEvidence(t.facts, { at: now, kind: 'correction-proposed', params: { by: by.id, responsibility, reason: c.reason } });
    });
  }

  approveVerdict(id: string, by: User): CommandResult {
    return this.command(id, by, 'incident.verdict.approve', {}, (t, now) => {
      const c = approveCorrection(t.incident, { by, at: now });
      t.incident.corrections[t.incident.corrections.length - 1] = c;
      addEvidence(t.facts, { at: now, kind: 'correction-approved', params: { by: by.id, responsibility: c.responsibility, proposedBy: c.proposedBy, reason: c.reason } });
    });
  }

  rejectVerdict(id: string, by: User, reason: string): CommandResult {
    return this.command(id, by, 'incident.verdict.reject', { reason }, (t, now) => {
      const c = rejectCorrection(t.incident, { by, at: now, reason });
      t.incident.corrections[t.incident.corrections.length - 1] = c;
      addEvidence(t.facts, { at: now, kind: 'correction-rejected', params: { by: by.id, responsibility: c.responsibility, proposedBy: c.proposedBy, reason: c.rejected?.reason ?? reason.trim() } });
    });
  }

  /**
   * Runs a change on one incident: through the tracker when it is open (so its state machine
   * sees it), straight on the stored row when closed. Audited once it has succeeded.
   */
  private command(id: string, by: User, action: string, detail: Record<string, unknown>, change: (t: TrackedIncident, now: number) => void): CommandResult {
    const now = this.deps.clock.now();
    // Taken now: the tracker hands out its live incident, which the change mutates.
    const found = this.getIncident(id);
    const before = found && auditedFacts(found);
    const guarded = (t: TrackedIncident) => {
      try {
        change(t, now);
      } catch (e) {
        if (e instanceof CorrectionRefused) throw new OutageCommandError(e.failure, e.message, e.failure === 'invalid' ? 'reason' : null);
        throw e;
      }
    };
    let events: IncidentEvent[];
    const out = this.tracker.amend(id, guarded, now, this.windows);
    if (out) {
      events = this.commit(out, now, false);
    } else {
      const t = this.incidents.get(id);
      if (!t) throw new OutageCommandError('not-found', `no incident ${id}`);
      guarded(t);
      applyVerdict(t, t.incident.siteId ? this.sitesById.get(t.incident.siteId) ?? null : null, null, now);
      this.incidents.save([t], now);
      events = [{ type: 'updated', incident: structuredClone(t.incident) }];
    }
    const after = this.getIncident(id)!;
    // What the command changed, as the auditor needs it: the decision before and after.
    this.deps.audit.record(by.id, action, id, { ...detail, before, after: auditedFacts(after) });
    return { incident: after, events };
  }

  listWindows(q: { from?: number; to?: number } = {}): MaintenanceWindow[] {
    return this.maintenance.list(q);
  }

  /** One window, deleted ones too (their coverage stays on record); null when there is none. */
  getWindow(id: string): (MaintenanceWindow & { deletedAt: number | null }) | null {
    return this.maintenance.get(id);
  }

  /** For each window, the incidents it made planned and the overlapping ones it does not excuse. */
  windowCoverage(windows: readonly MaintenanceWindow[]): WindowCoverage[] {
    const span = coverageSpan(windows);
    if (!span) return [];
    const incidents = this.listIncidents({ from: span.from, to: span.to, limit: 10_000 });
    return windows.map((w) => windowCoverage(w, incidents, (id) => this.sitesById.get(id)));
  }

  /** Throws a field-named 400 for a window that cannot exist (checked before a proposal is held, too). */
  checkWindow(w: NewWindow): void {
    if (w.endsAt <= w.startsAt) throw new OutageCommandError('invalid', 'endsAt: must be after startsAt', 'endsAt');
    if (w.scope.kind === 'site' && !this.sitesById.has(w.scope.siteId)) {
      throw new OutageCommandError('invalid', `siteId: no site ${w.scope.siteId} in the inventory`, 'siteId');
    }
    const group = w.scope.kind === 'carrier-group' ? w.scope.carrierGroup : null;
    if (group !== null && !this.deps.sites.some((s) => s.circuit.carrierGroup === group)) {
      throw new OutageCommandError('invalid', `carrierGroup: no site belongs to carrier group ${group}`, 'carrierGroup');
    }
  }

  createWindow(w: NewWindow, by: User): { window: MaintenanceWindow; events: IncidentEvent[] } {
    this.checkWindow(w);
    const now = this.deps.clock.now();
    const window = this.maintenance.create({ id: `MW-${randomUUID()}`, ...w, carrierNoticeRef: w.carrierNoticeRef.trim(), registeredAt: now, registeredBy: by.id });
    this.windows.push(window);
    this.deps.audit.record(by.id, 'maintenance.create', window.id, {
      scope: w.scope,
      startsAt: iso(w.startsAt),
      endsAt: iso(w.endsAt),
      carrierNoticeRef: window.carrierNoticeRef,
    });
    return { window, events: this.tick(now) };
  }

  deleteWindow(id: string, by: User, reason: string): { window: MaintenanceWindow; events: IncidentEvent[] } {
    const now = this.deps.clock.now();
    const deleted = this.maintenance.delete(id, by.id, now, reason);
    if (!deleted) throw new OutageCommandError('not-found', `no maintenance window ${id} (or it was already deleted)`);
    this.windows = this.windows.filter((w) => w.id !== id);
    this.deps.audit.record(by.id, 'maintenance.delete', id, { reason, scope: deleted.scope, startsAt: iso(deleted.startsAt), endsAt: iso(deleted.endsAt) });
    return { window: deleted, events: this.tick(now) };
  }
}

/** How far ahead of demarc's clock an operator's watch may be. */
const CLOCK_SKEW_MS = 60_000;

/**
 * A carrier report or response instant must lie within [incident start, now + skew]: a 1970
 * report would otherwise score "within limit" for a 2026 outage.
 */
function checkInstant(at: number, startedAt: number, now: number, what: string): void {
  if (at > now + CLOCK_SKEW_MS) throw new OutageCommandError('invalid', `at: ${iso(at)} is in the future`, 'at');
  if (at < startedAt) throw new OutageCommandError('invalid', `at: ${what} (${iso(at)}) cannot precede the incident's start (${iso(startedAt)})`, 'at');
}

/** The facts of an incident that operators' commands change. */
function auditedFacts(i: Incident): Record<string, unknown> {
  const c = i.corrections.at(-1);
  return {
    responsibility: i.responsibility,
    verdict: i.verdict,
    rule: i.rule,
    carrierReportedAt: i.carrierReportedAt === null ? null : iso(i.carrierReportedAt),
    carrierRespondedAt: i.carrierRespondedAt === null ? null : iso(i.carrierRespondedAt),
    correction: c ? { responsibility: c.responsibility, proposedBy: c.proposedBy, approvedBy: c.approvedBy, reason: c.reason } : null,
  };
}

/** The single entry the pipeline wires; see docs/attribution.md for what it decides. */
export function createOutageStage(deps: OutageStageDeps): OutageStage {
  return new OutageStage(deps);
}
