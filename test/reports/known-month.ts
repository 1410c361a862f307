import { join } from 'node:path';
import { ManualClock } from '../../core/clock.js';
import type { Site } from '../../core/inventory.js';
import { silentLogger } from '../../core/logger.js';
import { AuditLog } from '../../audit/audit-log.js';
import { outageConfig } from '../../outage/config-schema.js';
import { IncidentRepository } from '../../outage/incident-repository.js';
import { createOutageStage, type OutageStage } from '../../outage/outage-stage.js';
import { openStateDb, type StateDb } from '../../store/state-db.js';
import { SqliteMetricStore } from '../../store/sqlite-metric-store.js';
import type { StoredSample } from '../../store/stored-sample.js';
import { shanghaiMidnight } from '../../reports/report-period.js';
import { incidentHistory, type ReportSource } from '../../reports/report-source.js';
import { incident, lineCutSeen, saveIncidents } from './incident-fixture.js';

/**
 * September and October 2026 with figures computed by hand (see report-figures.test.ts).
 * One sample a minute, on the minute, so "samples in [a, b)" is (b − a) / 60 s.
 *
 *  A  activated 2026-01-15. Line outage Sep 30 22:00 → Oct 1 02:00 (crosses the month
 *     boundary); maintenance Oct 10 01:00-03:00 (planned) overrunning to 03:30 (line).
 *     10 / 4 Mbit/s. Samples for September too.
 *  B  activated 2026-10-16 (mid-month). Device outage Oct 20 08:00-09:00. 20 / 5 Mbit/s,
 *     66 Mbit/s in (94 % of 70M) Oct 22 10:00-12:00.
 *  C  activated 2025-10-20: its one-year term ends 2026-10-20 00:00. Monitoring gap (no
 *     samples, management plane hung) Oct 12 10:00-13:00. 15 / 3 Mbit/s in term, 50 / 50 after it.
 *  D  activated 2026-03-01. Force majeure Oct 7 12:00-14:00; line outage Oct 25 14:00-16:00
 *     reported to the carrier at 14:05, no response (corrected to device after the month);
 *     undetermined outage from Oct 31 20:00, still open. 30 / 6 Mbit/s.
 *  E  activated 2026-02-01. No outage. 5-minute means in = ((k mod 100) + 1) × 0.5 Mbit/s for
 *     the k-th bucket of October (samples m−0.2, m−0.1, m, m+0.1, m+0.2 Mbit/s); out 1 Mbit/s.
 *  Fleet-wide: NOC isolation (monitoring) Oct 18 09:00-09:30; A-D have no samples then.
 */

export const H = 3_600_000;
export const MIN = 60_000;

/** Shanghai wall time 'YYYY-MM-DD' + hours → epoch ms. */
export const sh = (day: string, hours = 0): number => shanghaiMidnight(day) + hours * H;

export function knownSite(id: string, activationDate: string): Site {
  return {
    id,
    name: `测试站点${id}`,
    nameEn: `Test site ${id}`,
    division: '测试师',
    circuit: {
      id: `C-${id}`,
      bandwidthMbps: 70,
      activationDate,
      headend: { device: { host: '127.0.0.1', port: 25161, profile: 'p' }, ifName: `ge-${id}` },
      carrierGroup: 'AGG-TEST',
    },
    ce: { device: { host: '127.0.0.1', port: 25161, profile: 'p' }, ifName: 'WAN0' },
    oob: null,
    cpe: null,
    contact: null,
    location: null,
  };
}

export const KNOWN_SITES: Site[] = [
  knownSite('A', '2026-01-15'),
  knownSite('B', '2026-10-16'),
  knownSite('C', '2025-10-20'),
  knownSite('D', '2026-03-01'),
  knownSite('E', '2026-02-01'),
];

export const SEP = { from: sh('2026-09-01'), to: sh('2026-10-01') };
export const OCT = { from: sh('2026-10-01'), to: sh('2026-11-01') };

export function knownIncidents() {
  return [
    incident({ id: 'A-boundary', siteId: 'A', startedAt: sh('2026-09-30', 22), endedAt: sh('2026-10-01', 2), responsibility: 'line', carrierReportedAt: sh('2026-09-30', 22) + 10 * MIN, carrierRespondedAt: sh('2026-09-30', 23) + 40 * MIN }),
    incident({ id: 'A-planned', siteId: 'A', startedAt: sh('2026-10-10', 1), endedAt: sh('2026-10-10', 3), responsibility: 'planned', rule: 'planned-maintenance', maintenanceWindowId: 'MW-1' }),
    incident({ id: 'A-overrun', siteId: 'A', startedAt: sh('2026-10-10', 3), endedAt: sh('2026-10-10', 3.5), responsibility: 'line', rule: 'maintenance-overrun', maintenanceWindowId: 'MW-1', carrierReportedAt: sh('2026-10-10', 3) + 5 * MIN, carrierRespondedAt: sh('2026-10-10', 3) + 45 * MIN }),
    incident({ id: 'B-device', siteId: 'B', startedAt: sh('2026-10-20', 8), endedAt: sh('2026-10-20', 9), responsibility: 'device', rule: 'ce-rebooted' }),
    incident({ id: 'C-mgmt', siteId: 'C', kind: 'monitoring-gap', startedAt: sh('2026-10-12', 10), endedAt: sh('2026-10-12', 13), responsibility: 'device', rule: 'management-plane-hang' }),
    incident({ id: 'D-external', siteId: 'D', startedAt: sh('2026-10-07', 12), endedAt: sh('2026-10-07', 14), responsibility: 'external', rule: 'operator-correction' }),
    incident({ id: 'D-line', siteId: 'D', startedAt: sh('2026-10-25', 14), endedAt: sh('2026-10-25', 16), responsibility: 'line', rule: 'line-cut', carrierReportedAt: sh('2026-10-25', 14) + 5 * MIN }),
    incident({ id: 'D-open', siteId: 'D', startedAt: sh('2026-10-31', 20), endedAt: null, responsibility: 'undetermined', verdict: 'provisional', rule: 'unplaced-break' }),
    incident({ id: 'NOC', siteId: null, startedAt: sh('2026-10-18', 9), endedAt: sh('2026-10-18', 9.5), responsibility: 'monitoring', rule: 'noc-isolation' }),
  ];
}

const MBPS = 1e6;

function row(siteId: string, at: number, inMbps: number | null, outMbps: number | null): StoredSample {
  const down = inMbps === null;
  return {
    siteId, circuitId: `C-${siteId}`, at, rttMs: down ? null : 2, ceReachable: !down, headendReachable: true,
    wanOper: down ? null : 1, wanAdmin: down ? null : 1, headendOper: down ? 2 : 1,
    inBps: inMbps === null ? null : inMbps * MBPS, outBps: outMbps === null ? null : outMbps * MBPS,
    inUtilPct: inMbps === null ? null : (inMbps / 70) * 100, outUtilPct: outMbps === null ? null : (outMbps / 70) * 100,
    inErrorsPerSec: 0, outErrorsPerSec: 0, inDiscardsPerSec: 0, outDiscardsPerSec: 0, gap: down ? 'unreachable' : null,
  };
}

const within = (at: number, a: number, b: number) => at >= a && at < b;

/** The samples of one minute for every site, as the table in the header says. */
function minute(at: number): StoredSample[] {
  const out: StoredSample[] = [];
  const noc = within(at, sh('2026-10-18', 9), sh('2026-10-18', 9.5));
  const inOct = within(at, OCT.from, OCT.to);
  // A: both months.
  if (!noc) {
    const down = within(at, sh('2026-09-30', 22), sh('2026-10-01', 2)) || within(at, sh('2026-10-10', 1), sh('2026-10-10', 3.5));
    out.push(row('A', at, down ? null : 10, down ? null : 4));
  }
  if (!inOct || noc) return out;
  if (at >= sh('2026-10-16')) {
    const down = within(at, sh('2026-10-20', 8), sh('2026-10-20', 9));
    const busy = within(at, sh('2026-10-22', 10), sh('2026-10-22', 12));
    out.push(row('B', at, down ? null : busy ? 66 : 20, down ? null : 5));
  }
  if (!within(at, sh('2026-10-12', 10), sh('2026-10-12', 13))) {
    const inTerm = at < sh('2026-10-20');
    out.push(row('C', at, inTerm ? 15 : 50, inTerm ? 3 : 50));
  }
  const dDown = within(at, sh('2026-10-07', 12), sh('2026-10-07', 14)) || within(at, sh('2026-10-25', 14), sh('2026-10-25', 16)) || at >= sh('2026-10-31', 20);
  out.push(row('D', at, dDown ? null : 30, dDown ? null : 6));
  return out;
}

/** E's samples: full October including the NOC half hour, so its distribution stays exact. */
function eMinute(at: number): StoredSample | null {
  if (!within(at, OCT.from, OCT.to)) return null;
  const k = Math.floor((at - OCT.from) / (5 * MIN));
  const j = Math.floor((at - OCT.from) / MIN) % 5;
  const m = ((k % 100) + 1) * 500_000;
  const bps = m + (j - 2) * 100_000;
  const s = row('E', at, null, null);
  return { ...s, rttMs: 2, ceReachable: true, wanOper: 1, wanAdmin: 1, headendOper: 1, inBps: bps, outBps: MBPS, inUtilPct: (bps / 70e6) * 100, outUtilPct: (1 / 70) * 100, gap: null };
}

export interface KnownMonth {
  store: SqliteMetricStore;
  db: StateDb;
  /** The outage stage over the same state db, for verdict corrections the way operators make them. */
  outage: OutageStage;
  clock: ManualClock;
  source: ReportSource;
  close(): Promise<void>;
}

export async function buildKnownMonth(dir: string): Promise<KnownMonth> {
  const clock = new ManualClock(sh('2026-11-01', 8));
  const store = new SqliteMetricStore({ path: join(dir, 'metrics.db'), retention: { rawDays: 400, rollupDays: 730 } }, { logger: silentLogger, clock, sites: KNOWN_SITES });
  await store.init();
  const db = openStateDb(join(dir, 'state.db'));
  const repo = new IncidentRepository(db);
  saveIncidents(repo, knownIncidents(), sh('2026-11-01', 8), { 'D-line': lineCutSeen(sh('2026-10-25', 14), sh('2026-10-25', 16)) });
  let batch: StoredSample[] = [];
  for (let at = SEP.from; at < OCT.to; at += MIN) {
    batch.push(...minute(at));
    const e = eMinute(at);
    if (e) batch.push(e);
    if (batch.length >= 20_000) {
      await store.writeRaw(batch);
      batch = [];
    }
  }
  await store.writeRaw(batch);
  await store.runRollups(sh('2026-11-01', 8));
  const outage = createOutageStage({ db, sites: KNOWN_SITES, config: outageConfig(), clock, logger: silentLogger, audit: new AuditLog(db, clock) });
  return {
    store,
    db,
    outage,
    clock,
    source: { sites: KNOWN_SITES, incidents: incidentHistory(repo), metrics: store, pollIntervalSec: 60 },
    close: async () => {
      db.close();
      await store.close();
    },
  };
}
