import { join } from 'node:path';
import { ManualClock } from '../../core/clock.js';
import type { Incident } from '../../core/incident.js';
import type { Site } from '../../core/inventory.js';
import { silentLogger } from '../../core/logger.js';
import { parseInventoryCsv } from '../../config/inventory.js';
import { demoInventoryRows, toInventoryCsv } from '../../sim/demo-inventory.js';
import { IncidentRepository } from '../../outage/incident-repository.js';
import { openStateDb, type StateDb } from '../../store/state-db.js';
import { SqliteMetricStore } from '../../store/sqlite-metric-store.js';
import type { StoredSample } from '../../store/stored-sample.js';
import { monthPeriod, type ReportPeriod } from '../../reports/report-period.js';
import { incidentHistory, type ReportSource } from '../../reports/report-source.js';
import { incident, saveIncidents } from './incident-fixture.js';

/**
 * A demo-like month for the render tests and the benchmark: the demo inventory (120 regiment
 * sites, Chinese names), a working-day traffic curve per site, a few saturated circuits and
 * one capped at 20M, and a spread of incidents of every responsibility. Everything goes
 * through the real embedded metric store and a real SQLite incident table.
 */

export interface DemoMonth {
  sites: Site[];
  period: ReportPeriod;
  /** 08:00 Shanghai on the 1st of the next month: when the scheduled report runs. */
  now: number;
  clock: ManualClock;
  store: SqliteMetricStore;
  /** The state db with the outage stage's incident table. */
  db: StateDb;
  source: ReportSource;
  samplesWritten: number;
  close(): Promise<void>;
}

const H = 3_600_000;

export function demoSites(count: number): Site[] {
  const rows = demoInventoryRows({ sites: count });
  const profiles = new Set(rows.flatMap((r) => [r.ce_snmp_profile, r.headend_snmp_profile, r.cpe_snmp_profile]).filter((p): p is string => !!p));
  const { inventory, problems } = parseInventoryCsv(toInventoryCsv(rows), 'demo-sites.csv', profiles);
  if (!inventory) throw new Error(`demo inventory invalid: ${JSON.stringify(problems)}`);
  return inventory.sites;
}

/** Deterministic value in [0, 1) for (site, instant): no Math.random. */
function noise(i: number, k: number): number {
  let x = (Math.imul(k + 1, 2654435761) ^ Math.imul(i + 11, 40503)) >>> 0;
  x = Math.imul(x ^ (x >>> 15), 2246822519) >>> 0;
  return ((x ^ (x >>> 13)) >>> 0) / 4294967296;
}

/** Mbit/s in towards the site at `at`: a working-day curve over a per-site base. */
export function demoInMbps(i: number, at: number): number {
  const hour = new Date(at + 8 * H).getUTCHours() + new Date(at).getUTCMinutes() / 60;
  const weekday = new Date(at + 8 * H).getUTCDay();
  const workday = weekday === 0 || weekday === 6 ? 0.25 : 1;
  const busy = Math.max(0, Math.sin(((hour - 8) / 10) * Math.PI)) * (hour >= 8 && hour <= 18 ? workday : 0);
  const base = 4 + ((i * 13) % 17);
  const heavy = i % 29 === 3 ? 1 : 0;
  // Real traffic is bursty: ±15 % around the curve, so only a policer makes it flat.
  const v = (base + busy * (18 + 40 * heavy)) * (0.85 + 0.3 * noise(i, Math.floor(at / 60_000)));
  return i % 37 === 5 ? Math.min(v, 20) : Math.min(v, 69.5);
}

export function demoIncidents(sites: readonly Site[], p: { from: number; to: number }): Incident[] {
  const at = (day: number, hour: number) => p.from + (day - 1) * 24 * H + hour * H;
  const s = (k: number) => sites[k % sites.length]!;
  const list: Incident[] = [
    incident({ id: 'INC-D-001', siteId: s(2).id, startedAt: at(3, 9.5), endedAt: at(3, 11.25), responsibility: 'line', carrierReportedAt: at(3, 9.7), carrierRespondedAt: at(3, 10.3) }),
    incident({ id: 'INC-D-002', siteId: s(7).id, startedAt: at(5, 2), endedAt: at(5, 4), responsibility: 'planned', rule: 'planned-maintenance', maintenanceWindowId: 'MW-2026-031' }),
    incident({ id: 'INC-D-003', siteId: s(7).id, startedAt: at(5, 4), endedAt: at(5, 4.75), responsibility: 'line', rule: 'maintenance-overrun', carrierReportedAt: at(5, 4.1), carrierRespondedAt: at(5, 6.9) }),
    incident({ id: 'INC-D-004', siteId: s(11).id, startedAt: at(8, 14), endedAt: at(8, 15.5), responsibility: 'device', rule: 'ce-rebooted' }),
    incident({ id: 'INC-D-005', siteId: s(19).id, startedAt: at(12, 20), endedAt: at(13, 1), responsibility: 'external', rule: 'operator-correction', verdict: 'final' }),
    incident({ id: 'INC-D-006', siteId: s(23).id, kind: 'monitoring-gap', startedAt: at(15, 10), endedAt: at(15, 13), responsibility: 'device', rule: 'management-plane-hang' }),
    incident({ id: 'INC-D-007', siteId: null, startedAt: at(18, 3), endedAt: at(18, 3.5), responsibility: 'monitoring', rule: 'noc-isolation' }),
    incident({ id: 'INC-D-008', siteId: s(31).id, startedAt: at(21, 16), endedAt: at(21, 16.4), responsibility: 'undetermined', verdict: 'final', rule: 'unplaced-break' }),
    incident({ id: 'INC-D-009', siteId: s(40).id, startedAt: p.from - 3 * H, endedAt: p.from + 2 * H, responsibility: 'line', carrierReportedAt: p.from - 2.5 * H, carrierRespondedAt: p.from - 1 * H }),
    incident({ id: 'INC-D-010', siteId: s(52).id, startedAt: p.to - 5 * H, endedAt: null, responsibility: 'line', verdict: 'provisional', rule: 'oob-wan-down', carrierReportedAt: p.to - 4.5 * H, carrierRespondedAt: null }),
  ];
  for (let k = 0; k < 12; k++) {
    const day = 2 + ((k * 5) % 27);
    list.push(incident({ id: `INC-D-1${String(k).padStart(2, '0')}`, siteId: s(60 + k * 4).id, startedAt: at(day, 7 + (k % 9)), endedAt: at(day, 7 + (k % 9)) + (20 + k * 7) * 60_000, responsibility: k % 3 === 0 ? 'device' : 'line', flaps: k % 4 === 0 ? 3 : 0, carrierReportedAt: k % 3 === 0 ? null : at(day, 7 + (k % 9)) + 10 * 60_000, carrierRespondedAt: k % 3 === 0 ? null : at(day, 7 + (k % 9)) + (35 + k * 9) * 60_000 }));
  }
  return list;
}

function downAt(siteId: string, at: number, incidents: readonly Incident[]): boolean {
  return incidents.some((i) => i.kind === 'outage' && i.siteId === siteId && at >= i.startedAt && at < (i.endedAt ?? Infinity));
}

/**
 * The demo samples of [from, to) at one per interval per site, in batches of about `batch`:
 * none during a monitoring gap, null rates while a site is down.
 */
export function* demoSamples(sites: readonly Site[], span: { from: number; to: number }, intervalSec: number, incidents: readonly Incident[], batch = 20_000): Generator<StoredSample[]> {
  let rows: StoredSample[] = [];
  const gaps = incidents.filter((i) => i.kind === 'monitoring-gap');
  for (let t = span.from; t < span.to; t += intervalSec * 1000) {
    sites.forEach((site, i) => {
      const at = t + (i % 50) * 100;
      if (gaps.some((g) => g.siteId === site.id && at >= g.startedAt && at < (g.endedAt ?? Infinity))) return;
      const down = downAt(site.id, at, incidents);
      const inMbps = down ? null : demoInMbps(i, at);
      const inBps = inMbps === null ? null : inMbps * 1e6;
      const outBps = inBps === null ? null : inBps * 0.35;
      rows.push({
        siteId: site.id, circuitId: site.circuit.id, at, rttMs: down ? null : 4, ceReachable: !down, headendReachable: true,
        wanOper: down ? null : 1, wanAdmin: down ? null : 1, headendOper: down ? 2 : 1, inBps, outBps,
        inUtilPct: inBps === null ? null : inBps / 700_000, outUtilPct: outBps === null ? null : outBps / 700_000,
        inErrorsPerSec: 0, outErrorsPerSec: 0, inDiscardsPerSec: 0, outDiscardsPerSec: 0, gap: down ? 'unreachable' : null,
      });
    });
    if (rows.length >= batch) {
      yield rows;
      rows = [];
    }
  }
  if (rows.length) yield rows;
}

export async function buildDemoMonth(opts: { dir: string; month?: string; siteCount?: number; intervalSec?: number }): Promise<DemoMonth> {
  const period = monthPeriod(opts.month ?? '2026-10');
  const sites = demoSites(opts.siteCount ?? 120);
  const intervalSec = opts.intervalSec ?? 600;
  const now = period.to + 8 * H;
  const clock = new ManualClock(now);
  const store = new SqliteMetricStore({ path: join(opts.dir, 'metrics.db'), retention: { rawDays: 400, rollupDays: 730 } }, { logger: silentLogger, clock, sites });
  await store.init();
  const db = openStateDb(join(opts.dir, 'state.db'));
  const list = demoIncidents(sites, period);
  saveIncidents(new IncidentRepository(db), list, now);
  let written = 0;
  for (const rows of demoSamples(sites, period, intervalSec, list)) {
    await store.writeRaw(rows);
    written += rows.length;
  }
  await store.runRollups(now);

  const source: ReportSource = { sites, incidents: incidentHistory(new IncidentRepository(db)), metrics: store, pollIntervalSec: intervalSec };
  return {
    sites, period, now, clock, store, db, source, samplesWritten: written,
    close: async () => {
      db.close();
      await store.close();
    },
  };
}
