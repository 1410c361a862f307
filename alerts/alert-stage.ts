import { randomUUID } from 'node:crypto';
import type { DomainFailure } from '../core/domain-error.js';
import type { AuditLog } from '../audit/audit-log.js';
import type { Clock } from '../core/clock.js';
import type { IncidentEvent, MaintenanceWindow } from '../core/incident.js';
import type { Site } from '../core/inventory.js';
import type { Logger } from '../core/logger.js';
import type { CircuitSample } from '../core/sample.js';
import type { User } from '../core/user.js';
import type { StateDb } from '../store/state-db.js';
import type { Alert, CircuitFinding, HealthSignal, Notification } from './alert.js';
import { AlertBook, type PolicyContext } from './alert-book.js';
import { composeMessage, type ComposeContext } from './alert-message.js';
import { acknowledge, applyFinding, applyHealth, applyIncidentEvent, type AckResult } from './alert-policy.js';
import { AlertRepository, type AlertFilter } from './alert-repository.js';
import { evaluate as evaluateTimers } from './alert-timers.js';
import { verifyAckToken } from './ack-token.js';
import { createChannelSender, type ChannelSender } from './channel-senders.js';
import type { AlertsConfig } from './config-schema.js';
import { DeliveryOutbox, planDeliveries, type Delivery } from './delivery-outbox.js';
import { SilenceDesk } from './silences.js';
import { UtilizationWatch } from './utilization-watch.js';

export interface AlertStageDeps {
  db: StateDb;
  config: AlertsConfig;
  sites: readonly Site[];
  clock: Clock;
  logger: Logger;
  audit: AuditLog;
  /** Users of demarc.yaml (the bootstrap list); the API's callers come from identity/. */
  users: readonly User[];
  /** The maintenance windows the outage stage holds (for the automatic silence). */
  windows?: () => readonly MaintenanceWindow[];
  /** Contract 7.4.2 response limit: `config.outage.carrierResponse.limitHours` (default 2). */
  carrierLimitHours?: number;
}

type AckLinkRefusal = { ok: false; failure: DomainFailure; reason: string };
export type AckByTokenResult = AckResult | AckLinkRefusal;
/** What an acknowledgement link would do, before anyone confirms it. */
export type AckLinkCheck = { ok: true; alert: Alert; contactId: string } | AckLinkRefusal;

/**
 * The alerting stage: incident events, findings, samples and health signals in; messages out
 * through the configured channels. Policy is pure (alert-policy.ts, alert-timers.ts); this
 * class holds the state, persists it, and runs deliveries. `evaluate` is driven by a timer the
 * pipeline owns (every few seconds) and by every input, with the injected clock.
 */
export class AlertStage {
  readonly book: AlertBook;
  readonly repo: AlertRepository;
  readonly outbox: DeliveryOutbox;
  readonly silences: SilenceDesk;
  private readonly sender: ChannelSender;
  private readonly sitesById: ReadonlyMap<string, Site>;
  private readonly watch: UtilizationWatch;
  private pumping: Promise<void> | null = null;
  private pumpAgain = false;
  private stopped = false;

  constructor(private readonly deps: AlertStageDeps) {
    this.repo = new AlertRepository(deps.db);
    this.outbox = new DeliveryOutbox(deps.db, deps.config.delivery);
    this.silences = new SilenceDesk(this.repo, deps.audit, deps.config.silences);
    this.book = new AlertBook(this.repo.open());
    this.sender = createChannelSender(deps.config, { clock: deps.clock, logger: deps.logger });
    this.sitesById = new Map(deps.sites.map((s) => [s.id, s]));
    this.watch = new UtilizationWatch(deps.config.thresholds);
  }

  get config(): AlertsConfig {
    return this.deps.config;
  }

  onIncidentEvents(events: readonly IncidentEvent[]): void {
    if (!this.active()) return;
    const ctx = this.context();
    const notes = events.flatMap((e) => applyIncidentEvent(this.book, e, ctx));
    this.settle(ctx, notes);
  }

  onFinding(f: CircuitFinding): void {
    if (!this.active()) return;
    const ctx = this.context();
    applyFinding(this.book, f, ctx);
    this.settle(ctx, []);
  }

  onSamples(samples: readonly CircuitSample[]): void {
    if (!this.active()) return;
    for (const f of this.watch.observe(samples)) this.onFinding(f);
  }

  onHealth(signal: HealthSignal): void {
    if (!this.active()) return;
    const ctx = this.context();
    applyHealth(this.book, signal, ctx);
    this.settle(ctx, []);
  }

  /** Time-driven work at the clock's instant, then the deliveries that are due; resolves when they were attempted. */
  evaluate(): Promise<void> {
    if (!this.active()) return Promise.resolve();
    this.settle(this.context(), []);
    return this.pump();
  }

  /** Waits until the deliveries in flight have finished. */
  idle(): Promise<void> {
    return this.pumping ?? Promise.resolve();
  }

  acknowledge(alertId: string, by: string, via: 'api' | 'link', note: string | null = null): AckResult {
    const r = acknowledge(this.book, alertId, by, via, this.deps.clock.now());
    if (r.ok && !r.already) {
      this.deps.audit.record(via === 'link' ? `contact:${by}` : by, 'alert.ack', alertId, { via, ...(note ? { note } : {}) });
      this.repo.save(this.book.drainChanged());
    }
    return r;
  }

  /** Verifies a link without acting on it (the page a phone shows before the person confirms). */
  checkAckToken(token: string): AckLinkCheck {
    const secret = this.deps.config.ackSecret;
    if (!secret) return { ok: false, failure: 'invalid', reason: 'acknowledgement links are not enabled (alerts.ackSecret is not set)' };
    const check = verifyAckToken(secret, token, this.deps.clock.now());
    if (!check.ok) {
      if (check.reason === 'expired') return { ok: false, failure: 'expired', reason: 'this acknowledgement link has expired; acknowledge in demarc instead' };
      return { ok: false, failure: check.reason === 'malformed' ? 'invalid' : 'forbidden', reason: `invalid acknowledgement link (${check.reason})` };
    }
    const alert = this.alert(check.claim.alertId);
    if (!alert) return { ok: false, failure: 'not-found', reason: `no alert "${check.claim.alertId}"` };
    return { ok: true, alert, contactId: check.claim.contactId };
  }

  acknowledgeByToken(token: string): AckByTokenResult {
    const check = this.checkAckToken(token);
    return check.ok ? this.acknowledge(check.alert.id, check.contactId, 'link') : check;
  }

  /** An open alert from memory, or any alert from the state db. */
  alert(id: string): Alert | null {
    return this.book.get(id) ?? this.repo.get(id);
  }

  history(q: { from: number; to: number; limit: number; offset?: number; filter?: AlertFilter }): { alert: Alert; deliveries: Delivery[] }[] {
    const alerts = this.repo.history(q.from, q.to, q.limit, q.filter, q.offset ?? 0);
    const deliveries = this.outbox.forAlerts(alerts.map((a) => a.id));
    return alerts.map((alert) => ({ alert, deliveries: deliveries.filter((d) => d.alertId === alert.id) }));
  }

  /** How many alerts the history holds for this range and filter (for paging). */
  historyCount(q: { from: number; to: number; filter?: AlertFilter }): number {
    return this.repo.historyCount(q.from, q.to, q.filter);
  }

  retryDeadLetter(id: string, by: string): boolean {
    const ok = this.outbox.requeue(id, this.deps.clock.now());
    if (ok) {
      this.deps.audit.record(by, 'alert.delivery.retry', id);
      void this.pump();
    }
    return ok;
  }

  async stop(): Promise<void> {
    this.stopped = true;
    await this.idle();
    await this.sender.close();
  }

  private active(): boolean {
    return this.deps.config.enabled && !this.stopped;
  }

  private context(): PolicyContext {
    const now = this.deps.clock.now();
    return {
      now,
      cfg: this.deps.config,
      sites: this.sitesById,
      silences: this.silences.live(now),
      windows: this.deps.windows?.() ?? [],
      carrierLimitHours: this.deps.carrierLimitHours ?? 2,
      newId: () => `ALR-${randomUUID()}`,
    };
  }

  /** Runs the timers, turns every notification into queued deliveries and saves, in one transaction. */
  private settle(ctx: PolicyContext, notes: Notification[]): void {
    const all = [...notes, ...evaluateTimers(this.book, ctx)];
    const cfg = this.deps.config;
    const composeCtx = (a: Alert): ComposeContext => ({
      sites: this.sitesById,
      parent: a.parentAlertId ? this.alert(a.parentAlertId) : null,
      ack: cfg.ackSecret && cfg.publicUrl ? { secret: cfg.ackSecret, publicUrl: cfg.publicUrl, ttlHours: cfg.timings.ackLinkTtlHours } : null,
      carrierLimitHours: ctx.carrierLimitHours,
      customer: cfg.faultReport.customer,
      callback: cfg.faultReport.callback ?? null,
    });
    const items = all.flatMap((n) => {
      const a = this.book.get(n.alertId);
      if (!a) return [];
      // debug only: the log channel prints every alert once, with its words (channel-senders.ts).
      this.deps.logger.debug({ alertId: a.id, rule: a.rule, kind: n.kind, recipients: n.contactIds }, 'alert notification');
      const message = composeMessage(a, n, composeCtx(a));
      return planDeliveries(n, cfg).map((p) => ({ alertId: a.id, kind: n.kind, channelId: p.channelId, contactIds: p.contactIds, message }));
    });
    this.deps.db.transaction(() => {
      this.outbox.enqueue(items, ctx.now);
      this.repo.save(this.book.drainChanged());
    })();
    if (items.length) void this.pump();
  }

  private pump(): Promise<void> {
    if (this.pumping) {
      this.pumpAgain = true;
      return this.pumping;
    }
    this.pumping = (async () => {
      do {
        this.pumpAgain = false;
        const due = this.outbox.due(this.deps.clock.now());
        await Promise.all(due.map((d) => this.attempt(d)));
      } while (this.pumpAgain && !this.stopped);
    })()
      .catch((err: unknown) => this.deps.logger.error({ err }, 'alert delivery loop failed'))
      .finally(() => {
        this.pumping = null;
      });
    return this.pumping;
  }

  private async attempt(d: Delivery): Promise<void> {
    try {
      await this.sender.send({ id: d.id, channelId: d.channelId, contactIds: d.contactIds, message: d.message });
      this.outbox.markSent(d.id, this.deps.clock.now());
      // The channel works again: a health alert about it is over.
      if (this.book.byDedupKey(`demarc-health:delivery-failed:${d.channelId}`))
        this.onHealth({ kind: 'delivery-failed', source: d.channelId, at: this.deps.clock.now(), active: false, detail: `channel ${d.channelId} delivered again` });
    } catch (err) {
      const error = (err as Error).message;
      const outcome = this.outbox.markFailed(d.id, this.deps.clock.now(), error);
      this.deps.logger.warn({ deliveryId: d.id, alertId: d.alertId, channel: d.channelId, attempt: d.attempts + 1, outcome, error }, 'alert delivery failed');
      if (outcome !== 'dead') return;
      const about = this.alert(d.alertId);
      // A failed message about failed messages is logged, not raised again (no loop).
      if (about?.key.startsWith('demarc-health:delivery-failed:')) {
        this.deps.logger.error({ deliveryId: d.id, channel: d.channelId, error }, 'health alert about a failing channel could not be delivered either');
        return;
      }
      this.onHealth({
        kind: 'delivery-failed',
        source: d.channelId,
        at: this.deps.clock.now(),
        active: true,
        detail: `delivery ${d.id} (alert ${d.alertId}, ${d.kind}) to channel ${d.channelId} failed ${d.attempts + 1} times: ${error}`,
      });
    }
  }
}

export function createAlertStage(deps: AlertStageDeps): AlertStage {
  return new AlertStage(deps);
}
