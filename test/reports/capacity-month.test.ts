import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../../core/clock.js';
import type { Site } from '../../core/inventory.js';
import { silentLogger } from '../../core/logger.js';
import { IncidentRepository } from '../../outage/incident-repository.js';
import { buildReport } from '../../reports/build-report.js';
import type { CapacityFinding } from '../../reports/report-model.js';
import { monthPeriod } from '../../reports/report-period.js';
import { incidentHistory } from '../../reports/report-source.js';
import { openStateDb, type StateDb } from '../../store/state-db.js';
import { SqliteMetricStore } from '../../store/sqlite-metric-store.js';
import type { StoredSample } from '../../store/stored-sample.js';
import { demoSites } from './demo-month.js';
import { defaultReportSettings } from './incident-fixture.js';
import { sh } from './known-month.js';
import { mulberry32 as rng } from '../support/seeded-random.js';

/**
 * A capacity test month with planted cases, through the real embedded store (15-minute
 * samples, hourly rollups) and the report's series scan. 120 circuits of 70M in October 2026:
 *
 *  - circuit 5 is policed at 20M: its working-day demand (peak 45M) is cut flat at 20M;
 *  - circuit 17 is saturated 3 h a day: 10:00-13:00 Shanghai at 93-98 % of nominal, every day;
 *  - the other 118 are ordinary: a working-day curve peaking at 15-44M, ±15 % per sample, a
 *    quieter weekend, and random bursts of 15 or 30 minutes at 86-99 % of nominal (2 % of samples).
 *
 * Out-traffic is its own curve (30 % of a day curve, no cap). Exactly two findings may come out.
 */

const H = 3_600_000;
const STEP = 900_000;
const POLICED = 5;
const SATURATED = 17;


const shanghaiHour = (at: number) => ((at + 8 * H) % (24 * H)) / H;
const weekend = (at: number) => [0, 6].includes(new Date(at + 8 * H).getUTCDay());
const curve = (at: number, base: number, peak: number) => base + (weekend(at) ? 0.25 : 1) * (peak - base) * Math.max(0, Math.sin(((shanghaiHour(at) - 8) / 10) * Math.PI));

function* samples(sites: readonly Site[], from: number, to: number): Generator<StoredSample[]> {
  const state = sites.map((_s, i) => ({ rand: rng(1000 + i), burstLeft: 0, dayFactor: 1, day: -1 }));
  let batch: StoredSample[] = [];
  for (let at = from; at < to; at += STEP) {
    sites.forEach((site, i) => {
      const st = state[i]!;
      const day = Math.floor((at + 8 * H) / (24 * H));
      if (day !== st.day) {
        st.day = day;
        st.dayFactor = 0.85 + 0.25 * st.rand();
      }
      const noise = 0.85 + 0.3 * st.rand();
      let inMbps: number;
      if (i === POLICED) {
        inMbps = Math.min(curve(at, 4, 45) * st.dayFactor * noise, 20 * (0.997 + 0.006 * st.rand()));
      } else {
        inMbps = curve(at, 3 + ((i * 7) % 11), 15 + ((i * 13) % 30)) * st.dayFactor * noise;
        if (i === SATURATED && shanghaiHour(at) >= 10 && shanghaiHour(at) < 13) inMbps = 70 * (0.93 + 0.05 * st.rand());
        else if (i !== SATURATED) {
          if (st.burstLeft === 0 && st.rand() < 0.02) st.burstLeft = st.rand() < 0.5 ? 1 : 2;
          if (st.burstLeft > 0) {
            st.burstLeft--;
            inMbps = 70 * (0.86 + 0.13 * st.rand());
          }
        }
      }
      const outMbps = 0.3 * curve(at, 3, 30) * (0.85 + 0.3 * st.rand());
      batch.push({
        siteId: site.id, circuitId: site.circuit.id, at, rttMs: 3, ceReachable: true, headendReachable: true, wanOper: 1, wanAdmin: 1, headendOper: 1,
        inBps: inMbps * 1e6, outBps: outMbps * 1e6, inUtilPct: (100 * inMbps) / 70, outUtilPct: (100 * outMbps) / 70,
        inErrorsPerSec: 0, outErrorsPerSec: 0, inDiscardsPerSec: 0, outDiscardsPerSec: 0, gap: null,
      });
    });
    if (batch.length >= 20_000) {
      yield batch;
      batch = [];
    }
  }
  if (batch.length) yield batch;
}

let dir: string;
let store: SqliteMetricStore;
let db: StateDb;
let sites: Site[];
let findings: CapacityFinding[];

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'demarc-capacity-month-'));
  sites = demoSites(120);
  const now = sh('2026-11-01', 8);
  store = new SqliteMetricStore({ path: join(dir, 'metrics.db'), retention: { rawDays: 400, rollupDays: 730 } }, { logger: silentLogger, clock: new ManualClock(now), sites });
  await store.init();
  db = openStateDb(join(dir, 'state.db'));
  for (const rows of samples(sites, sh('2026-10-01'), sh('2026-11-01'))) await store.writeRaw(rows);
  await store.runRollups(now);
  const source = { sites, incidents: incidentHistory(new IncidentRepository(db)), metrics: store, pollIntervalSec: 900 };
  findings = (await buildReport(source, monthPeriod('2026-10'), now, defaultReportSettings('全网'))).report.findings;
}, 120_000);

afterAll(async () => {
  db?.close();
  await store?.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('the capacity test month: exactly the planted findings', () => {
  // October 2026 has 22 weekdays (Thu 1st … Fri 30th); weekend demand (peak 14M) never reaches the 20M cap.
  const planted: { site: number; kind: CapacityFinding['kind']; direction: 'in' | 'out'; occurrences: number; level: [number, number]; hours: [number, number] }[] = [
    { site: POLICED, kind: 'policer-ceiling', direction: 'in', occurrences: 22, level: [19.9, 20.1], hours: [22 * 3, 22 * 10] },
    // 10:00, 11:00 and 12:00 hourly means at 93-98 %: 3 h on each of 31 days.
    { site: SATURATED, kind: 'saturated', direction: 'in', occurrences: 31, level: [0.93 * 70, 0.98 * 70], hours: [93, 93] },
  ];

  it('finds nothing on the 118 ordinary circuits, bursts and all', () => {
    const plantedIds = new Set(planted.map((p) => sites[p.site]!.id));
    expect(findings.filter((f) => !plantedIds.has(f.siteId))).toEqual([]);
  });

  it('finds exactly the planted cases, one line each', () => {
    expect(findings.map((f) => [f.siteId, f.kind, f.direction])).toEqual(planted.map((p) => [sites[p.site]!.id, p.kind, p.direction]));
  });

  it.each(planted)('circuit $site: $kind $direction on $occurrences days at the planted level', (p) => {
    const f = findings.find((x) => x.siteId === sites[p.site]!.id && x.kind === p.kind)!;
    expect(f.occurrences).toBe(p.occurrences);
    expect(f.observedMbps).toBeGreaterThanOrEqual(p.level[0]);
    expect(f.observedMbps).toBeLessThanOrEqual(p.level[1]);
    expect(f.hours).toBeGreaterThanOrEqual(p.hours[0]);
    expect(f.hours).toBeLessThanOrEqual(p.hours[1]);
  });
});
