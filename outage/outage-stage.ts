import { randomUUID } from 'node:crypto';
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
import { MaintenanceRepository } from './maintenance-repository.js';
import { approveCorrection, CorrectionRefused, proposeCorrection } from './verdict-correction.js';

export interface OutageStageDeps {
  db: StateDb;
  sites: readonly Site[];
  config: OutageConfig;
  clock: Clock;
  logger: Logger;
  audit: AuditLog;
  newId?: () => string;
}

/** A refused command, with the HTTP status the API answers and the request field at fault. */
export class OutageCommandError extends Error {
  constructor(
    readonly status: 400 | 403 | 404 | 409,
    message: string,
    readonly field: string | null = null,
  ) {
    super(message);
    this.name = 'OutageCommandError';
  }
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
  deviceReplaced(siteId: string, at: number, detail: string): IncidentEvent[] {
    const now = this.deps.clock.now();
    return this.commit(this.tracker.deviceReplaced(siteId, at, detail, now, this.windows), now, false);
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

  getIncident(id: string): Incident | null {
    return this.tracker.find(id)?.incident ?? this.incidents.get(id)?.incident ?? null;
  }

  carrierResponse(i: Pick<Incident, 'carrierReportedAt' | 'carrierRespondedAt'>, now: number = this.deps.clock.now()): CarrierResponseAssessment {
    return assessCarrierResponse(i.carrierReportedAt, i.carrierRespondedAt, now, this.deps.config.carrierResponse);
  }

  reportToCarrier(id: string, by: User, at: number, note: string | null = null): CommandResult {
    return this.command(id, by, 'incident.carrier-report', { at: iso(at), note }, (t, now) => {
      if (at > now + 60_000) throw new OutageCommandError(400, `at: ${iso(at)} is in the future`, 'at');
      if (t.incident.carrierReportedAt !== null) {
        throw new OutageCommandError(409, `already reported to the carrier at ${iso(t.incident.carrierReportedAt)}`);
      }
      t.incident.carrierReportedAt = at;
      addEvidence(t.facts, { at, kind: 'carrier-reported', detail: `reported to the carrier's fault hotline by ${by.id}${note ? `: ${note}` : ''}` });
    });
  }

  recordCarrierResponse(id: string, by: User, at: number, note: string | null = null): CommandResult {
    return this.command(id, by, 'incident.carrier-response', { at: iso(at), note }, (t, now) => {
      const reported = t.incident.carrierReportedAt;
      if (reported === null) throw new OutageCommandError(409, 'record when the fault was reported to the carrier first');
      if (at > now + 60_000) throw new OutageCommandError(400, `at: ${iso(at)} is in the future`, 'at');
      if (at < reported) throw new OutageCommandError(400, `at: the response (${iso(at)}) cannot precede the report (${iso(reported)})`, 'at');
      if (t.incident.carrierRespondedAt !== null) {
        throw new OutageCommandError(409, `the carrier's response is already recorded at ${iso(t.incident.carrierRespondedAt)}`);
      }
      t.incident.carrierRespondedAt = at;
      const a = assessCarrierResponse(reported, at, now, this.deps.config.carrierResponse);
      addEvidence(t.facts, {
        at,
        kind: 'carrier-responded',
        detail: `the carrier responded after ${Math.round(a.responseSec! / 60)} min (limit ${this.deps.config.carrierResponse.limitHours} h: ${a.withinLimit ? 'met' : 'missed'}; ${this.deps.config.carrierResponse.strictLimitHours} h: ${a.withinStrictLimit ? 'met' : 'missed'}), recorded by ${by.id}${note ? `: ${note}` : ''}`,
      });
    });
  }

  proposeVerdict(id: string, by: User, responsibility: Responsibility, reason: string): CommandResult {
    return this.command(id, by, 'incident.verdict.propose', { responsibility, reason }, (t, now) => {
      const c = proposeCorrection(t.incident, { by, responsibility, reason, at: now });
      t.incident.corrections.push(c);
      addEvidence(t.facts, { at: now, kind: 'correction-proposed', detail: `${by.id} proposed ${responsibility}: ${c.reason} (waiting for a second person's approval)` });
    });
  }

  approveVerdict(id: string, by: User): CommandResult {
    return this.command(id, by, 'incident.verdict.approve', {}, (t, now) => {
      const c = approveCorrection(t.incident, { by, at: now });
      t.incident.corrections[t.incident.corrections.length - 1] = c;
      addEvidence(t.facts, { at: now, kind: 'correction-approved', detail: `${by.id} approved ${c.responsibility} proposed by ${c.proposedBy}: ${c.reason}` });
    });
  }

  /**
   * Runs a change on one incident: through the tracker when it is open (so its state machine
   * sees it), straight on the stored row when closed. Audited once it has succeeded.
   */
  private command(id: string, by: User, action: string, detail: Record<string, unknown>, change: (t: TrackedIncident, now: number) => void): CommandResult {
    const now = this.deps.clock.now();
    const guarded = (t: TrackedIncident) => {
      try {
        change(t, now);
      } catch (e) {
        if (e instanceof CorrectionRefused) throw new OutageCommandError(e.status, e.message, e.status === 400 ? 'reason' : null);
        throw e;
      }
    };
    let events: IncidentEvent[];
    const out = this.tracker.amend(id, guarded, now, this.windows);
    if (out) {
      events = this.commit(out, now, false);
    } else {
      const t = this.incidents.get(id);
      if (!t) throw new OutageCommandError(404, `no incident ${id}`);
      guarded(t);
      applyVerdict(t, t.incident.siteId ? this.sitesById.get(t.incident.siteId) ?? null : null, null, now);
      this.incidents.save([t], now);
      events = [{ type: 'updated', incident: structuredClone(t.incident) }];
    }
    this.deps.audit.record(by.id, action, id, detail);
    return { incident: this.getIncident(id)!, events };
  }

  listWindows(q: { from?: number; to?: number } = {}): MaintenanceWindow[] {
    return this.maintenance.list(q);
  }

  createWindow(w: NewWindow, by: User): { window: MaintenanceWindow; events: IncidentEvent[] } {
    if (w.endsAt <= w.startsAt) throw new OutageCommandError(400, 'endsAt: must be after startsAt', 'endsAt');
    if (w.scope.kind === 'site' && !this.sitesById.has(w.scope.siteId)) {
      throw new OutageCommandError(400, `siteId: no site ${w.scope.siteId} in the inventory`, 'siteId');
    }
    const group = w.scope.kind === 'carrier-group' ? w.scope.carrierGroup : null;
    if (group !== null && !this.deps.sites.some((s) => s.circuit.carrierGroup === group)) {
      throw new OutageCommandError(400, `carrierGroup: no site belongs to carrier group ${group}`, 'carrierGroup');
    }
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
    if (!deleted) throw new OutageCommandError(404, `no maintenance window ${id} (or it was already deleted)`);
    this.windows = this.windows.filter((w) => w.id !== id);
    this.deps.audit.record(by.id, 'maintenance.delete', id, { reason, scope: deleted.scope, startsAt: iso(deleted.startsAt), endsAt: iso(deleted.endsAt) });
    return { window: deleted, events: this.tick(now) };
  }
}

/** The single entry the pipeline wires; see docs/attribution.md for what it decides. */
export function createOutageStage(deps: OutageStageDeps): OutageStage {
  return new OutageStage(deps);
}
