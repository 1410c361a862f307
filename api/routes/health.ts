import { Router } from 'express';
import type { CycleStats } from '../../core/events.js';
import type { MetricStore } from '../../store/metric-store.js';
import type { PoolStats } from '../../collector/session-pool.js';
import type { TrapStats } from '../../collector/trap-receiver.js';
import type { AuditChainStatus } from '../../audit/audit-watch.js';
import { PUBLIC, route } from '../policy.js';
import type { DeliveryStats } from '../../alerts/delivery-outbox.js';
import { describeGap, type SiteConfigGap } from '../../inventory/config-gaps.js';
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
  stateProblems?: () => string[];
  audit?: () => AuditChainStatus;
  configGaps?: () => readonly SiteConfigGap[];
  /** The alert outbox: queued, dead and sent deliveries. */
  deliveries?: () => DeliveryStats;
  /** Remote collectors over NATS (remote/center-intake.ts), when configured. */
  remote?: () => RemoteHealth | null;
  remoteProblems?: () => string[];
}): Router {
  const r = Router();
  route(r, 'get', '/health', PUBLIC('health probes for whatever watches demarc; no personal data'), (_req, res) => {
    const collector = deps.collector();
    const store = deps.store.health();
    const problems: string[] = [];
    const last = collector.lastCycle;
    if (last && deps.now() - last.finishedAt > 2 * collector.intervalSec * 1000 + 5000) problems.push('no poll cycle finished for more than two intervals');
    if (last?.overrun) problems.push('the last poll cycle overran its interval');
    if (!store.ok) problems.push(`metric store: ${store.lastError ?? 'failing'}`);
    if (store.backlog > 0) problems.push(`metric store backlog: ${store.backlog} samples waiting`);
    problems.push(...(deps.stateProblems?.() ?? []));
    const audit = deps.audit?.();
    if (audit?.state === 'broken') problems.push(`audit chain broken at row ${audit.brokenAt}: ${audit.reason}`);
    // A configured port that does not resolve: polling is blind there, so demarc is not healthy.
    const configGaps = deps.configGaps?.() ?? [];
    for (const g of configGaps) problems.push(`configuration gap: ${describeGap(g)}`);
    const deliveries = deps.deliveries?.();
    problems.push(...(deps.remoteProblems?.() ?? []));
    const remote = deps.remote?.() ?? null;
    res.status(200).json({ status: problems.length ? 'degraded' : 'ok', problems, collector, store, configGaps, ...(audit ? { audit } : {}), ...(deliveries ? { deliveries } : {}), ...(remote ? { remote } : {}) });
  });
  return r;
}
