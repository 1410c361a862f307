import { Router } from 'express';
import type { CycleStats } from '../../core/events.js';
import type { MetricStore } from '../../store/metric-store.js';
import type { PoolStats } from '../../collector/session-pool.js';
import type { TrapStats } from '../../collector/trap-receiver.js';
import type { AuditChainStatus } from '../../audit/audit-watch.js';
import { PUBLIC, route } from '../policy.js';
import type { DeliveryStats } from '../../alerts/delivery-outbox.js';
import type { SiteConfigGap } from '../../inventory/config-gaps.js';
import { healthIssueLine, type HealthIssue } from '../../core/health-terms.js';
import type { RemoteHealth } from '../../remote/center-intake.js';

export interface CollectorHealth {
  lastCycle: CycleStats | null;
  overruns: number;
  intervalSec: number;
  snmp: PoolStats;
  traps: TrapStats | null;
}

/**
 * Health for the NOC and for whatever watches demarc itself: degraded when the last cycle is
 * older than two intervals, cycles overran, the store is failing or backlogged, the audit
 * chain does not verify, or a configured interface does not resolve on its device (a
 * configuration gap).
 */
export function healthRoutes(deps: {
  collector: () => CollectorHealth;
  store: MetricStore;
  now: () => number;
  /** The state database failing at run time (store/state-health.ts). */
  stateIssues?: () => HealthIssue[];
  audit?: () => AuditChainStatus;
  configGaps?: () => readonly SiteConfigGap[];
  /** The alert outbox: queued, dead and sent deliveries. */
  deliveries?: () => DeliveryStats;
  /** Remote collectors over NATS (remote/center-intake.ts), when configured. */
  remote?: () => RemoteHealth | null;
  remoteIssues?: () => HealthIssue[];
}): Router {
  const r = Router();
  route(r, 'get', '/health', PUBLIC('health probes for whatever watches demarc; no personal data'), (_req, res) => {
    const collector = deps.collector();
    const store = deps.store.health();
    // Codes with parameters for the console (core/health-terms.ts); `problems` keeps the English sentences probes read.
    const issues: HealthIssue[] = [];
    const last = collector.lastCycle;
    if (last && deps.now() - last.finishedAt > 2 * collector.intervalSec * 1000 + 5000) issues.push({ kind: 'cycle-stale', params: {} });
    if (last?.overrun) issues.push({ kind: 'cycle-overran', params: {} });
    if (!store.ok) issues.push({ kind: 'store-failing', params: { error: store.lastError ?? 'failing' } });
    if (store.backlog > 0) issues.push({ kind: 'store-backlog', params: { samples: store.backlog } });
    issues.push(...(deps.stateIssues?.() ?? []));
    const audit = deps.audit?.();
    if (audit?.state === 'broken') issues.push({ kind: 'audit-broken', params: { row: audit.brokenAt, reason: audit.reason } });
    // A configured port that does not resolve: polling is blind there, so demarc is not healthy.
    const configGaps = deps.configGaps?.() ?? [];
    for (const g of configGaps) issues.push({ kind: 'config-gap', params: { siteId: g.siteId, side: g.side, ifName: g.ifName, device: g.device } });
    const deliveries = deps.deliveries?.();
    issues.push(...(deps.remoteIssues?.() ?? []));
    const problems = issues.map(healthIssueLine);
    const remote = deps.remote?.() ?? null;
    res.status(200).json({ status: problems.length ? 'degraded' : 'ok', problems, issues, collector, store, configGaps, ...(audit ? { audit } : {}), ...(deliveries ? { deliveries } : {}), ...(remote ? { remote } : {}) });
  });
  return r;
}
