import type { MaintenanceWindow } from '../core/incident.js';
import type { Site, SiteId } from '../core/inventory.js';
import type { Alert, Silence } from './alert.js';
import { RULE_BEHAVIOUR, type AlertRule } from './alert-rules.js';
import type { AlertsConfig } from './config-schema.js';

/**
 * The alerts that are not over yet, indexed by dedup key and by incident, plus the ids changed
 * since the stage last saved. Plain in-memory state: the policy functions change it, the stage
 * persists what changed.
 */
export class AlertBook {
  private readonly byId = new Map<string, Alert>();
  private readonly byKey = new Map<string, string>();
  private readonly byIncident = new Map<string, string>();
  private readonly changed = new Set<string>();

  constructor(open: readonly Alert[] = []) {
    for (const a of open) this.index(a);
  }

  get(id: string): Alert | undefined {
    return this.byId.get(id);
  }

  byDedupKey(key: string): Alert | undefined {
    const id = this.byKey.get(key);
    return id ? this.byId.get(id) : undefined;
  }

  forIncident(incidentId: string): Alert | undefined {
    const id = this.byIncident.get(incidentId);
    return id ? this.byId.get(id) : undefined;
  }

  all(): Alert[] {
    return [...this.byId.values()];
  }

  add(a: Alert): Alert {
    this.index(a);
    this.changed.add(a.id);
    return a;
  }

  /** Records that an alert changed (and re-indexes its incidents). */
  touch(a: Alert): void {
    for (const id of Object.keys(a.incidents)) this.byIncident.set(id, a.id);
    if (a.status === 'resolved' && this.byKey.get(a.key) === a.id) this.byKey.delete(a.key);
    this.changed.add(a.id);
  }

  moveIncident(incidentId: string, to: Alert): void {
    this.byIncident.set(incidentId, to.id);
  }

  /** Alerts changed since the last call; resolved ones leave the book after being handed out once. */
  drainChanged(): Alert[] {
    const out = [...this.changed].map((id) => this.byId.get(id)).filter((a): a is Alert => a !== undefined);
    this.changed.clear();
    for (const a of out) {
      if (a.status !== 'resolved') continue;
      this.byId.delete(a.id);
      if (this.byKey.get(a.key) === a.id) this.byKey.delete(a.key);
      for (const i of Object.keys(a.incidents)) if (this.byIncident.get(i) === a.id) this.byIncident.delete(i);
    }
    return out;
  }

  private index(a: Alert): void {
    this.byId.set(a.id, a);
    if (a.status !== 'resolved') this.byKey.set(a.key, a.id);
    for (const id of Object.keys(a.incidents)) this.byIncident.set(id, a.id);
  }
}

/** Everything the policy needs besides the book: config, inventory, silences, windows, the instant. */
export interface PolicyContext {
  now: number;
  cfg: Pick<AlertsConfig, 'timings' | 'rules' | 'routes' | 'rotations' | 'contacts' | 'silences'>;
  sites: ReadonlyMap<SiteId, Site>;
  silences: readonly Silence[];
  windows: readonly MaintenanceWindow[];
  /** Contract 7.4.2 limit for the carrier's response (outage config; default 2 h). */
  carrierLimitHours: number;
  newId: () => string;
}

export function ruleEnabled(ctx: PolicyContext, rule: AlertRule): boolean {
  return ctx.cfg.rules[rule]?.enabled ?? true;
}

export function newAlert(ctx: PolicyContext, rule: AlertRule, key: string, init: Partial<Alert> = {}): Alert {
  const grouped = RULE_BEHAVIOUR[rule].grouped;
  return {
    id: ctx.newId(),
    key,
    rule,
    severity: ctx.cfg.rules[rule]?.severity ?? RULE_BEHAVIOUR[rule].severity,
    status: 'pending',
    createdAt: ctx.now,
    fireAt: ctx.now + (grouped ? ctx.cfg.timings.groupingWindowSec * 1000 : 0),
    firedAt: null,
    resolvingSince: null,
    resolvedAt: null,
    ackedAt: null,
    ackedBy: null,
    ackVia: null,
    suppressedBy: null,
    mergedInto: null,
    siteIds: [],
    incidents: {},
    groupEventId: null,
    carrierGroup: null,
    parentAlertId: null,
    detail: null,
    reopened: 0,
    escalationLevel: 0,
    notified: [],
    carrierNotified: [],
    lastRenotifyAt: null,
    lastEscalatedAt: null,
    announced: null,
    deadlineReminders: [],
    deadline: null,
    avoidChannel: null,
    ...init,
  };
}
