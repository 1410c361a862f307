/**
 * bench/capacity-window: the wall's live capacity scan, kept in memory as samples pass
 * (outage/capacity-window.ts), against the way it used to be made: one store range query per
 * site every minute over the real embedded store (SQLite), side by side in one run.
 *
 *   npx tsx bench/capacity-window.ts [--sites 1000,10000,100000] [--store-up-to 10000] [--rounds 5]
 *
 * Traffic: one sample a site a minute for the window's 61 minutes; 1 site in 20 pressed on a
 * policer at 20M, 1 in 20 saturated, the rest ordinary with a swing, so the detector has work
 * on every site. The store path needs the hour written into SQLite first (61 rows a site), so
 * it runs up to --store-up-to sites. Times are medians of --rounds; heap is the window's typed
 * arrays (process.memoryUsage().arrayBuffers before and after building it).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { parseInventoryCsv } from '../config/inventory.js';
import { ManualClock } from '../core/clock.js';
import type { Site } from '../core/inventory.js';
import { silentLogger } from '../core/logger.js';
import { LiveCapacityWindow, type WindowSample } from '../outage/capacity-window.js';
import { outageConfig } from '../outage/config-schema.js';
import { liveCapacity } from '../outage/live-capacity.js';
import { demoInventoryRows, toInventoryCsv } from '../sim/demo-inventory.js';
import { SqliteMetricStore } from '../store/sqlite-metric-store.js';
import type { StoredSample } from '../store/stored-sample.js';
import { fmtInt, fmtMs, markdownTable } from './support/stats.js';

const { values: opt } = parseArgs({
  options: {
    sites: { type: 'string', default: '1000,10000,100000' },
    'store-up-to': { type: 'string', default: '10000' },
    rounds: { type: 'string', default: '5' },
  },
});
const sizes = opt.sites.split(',').map(Number);
const storeUpTo = Number(opt['store-up-to']);
const rounds = Number(opt.rounds);
const MINUTE = 60_000;
const NOW = Date.parse('2026-12-02T03:00:30Z');
const cfg = outageConfig().capacity;

/** n sites: the demo's 120, repeated under new ids (only the id and the nominal rate matter here). */
function fleetOf(n: number): Site[] {
  const rows = demoInventoryRows();
  const profiles = new Set(rows.flatMap((r) => [r.ce_snmp_profile, r.headend_snmp_profile, r.cpe_snmp_profile]).filter((p): p is string => !!p));
  const { inventory, problems } = parseInventoryCsv(toInventoryCsv(rows), 'demo.csv', profiles);
  if (!inventory) throw new Error(`demo inventory invalid: ${JSON.stringify(problems.slice(0, 3))}`);
  const base = inventory.sites;
  return Array.from({ length: n }, (_, i) => {
    const b = base[i % base.length]!;
    const id = `S${String(i + 1).padStart(6, '0')}`;
    return { ...b, id, circuit: { ...b.circuit, id: `CIR-${id}` } };
  });
}

function inMbps(i: number, t: number): number {
  if (i % 20 === 3) return 20 * (1 + 0.004 * Math.sin(t / 7_000 + i));
  if (i % 20 === 7) return 66 + Math.sin(t / 50_000 + i);
  return 30 + 8 * Math.sin(t / 200_000 + i) + 3 * Math.sin(t / 13_000 + i);
}

/** The hour, minute by minute: what the pipeline hands the window each cycle. */
function cycles(sites: readonly Site[]): WindowSample[][] {
  const out: WindowSample[][] = [];
  for (let t = NOW - 61 * MINUTE; t < NOW; t += MINUTE) {
    out.push(sites.map((s, i) => ({ siteId: s.id, at: t, inBps: inMbps(i, t) * 1e6, outBps: inMbps(i + 5, t) * 2.5e5 })));
  }
  return out;
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const timed = async (f: () => unknown): Promise<number> => {
  const t = performance.now();
  await f();
  return performance.now() - t;
};

const rows: string[][] = [];
for (const n of sizes) {
  const sites = fleetOf(n);
  const batches = cycles(sites);
  const before = process.memoryUsage().arrayBuffers;
  const window = new LiveCapacityWindow(sites, cfg);
  const bytes = process.memoryUsage().arrayBuffers - before;
  const addMs: number[] = [];
  for (const b of batches) addMs.push(await timed(() => window.add(b)));
  const scanMs: number[] = [];
  let found = 0;
  for (let r = 0; r < rounds; r++) scanMs.push(await timed(() => (found = [...window.scan(NOW).values()].filter((f) => f !== null).length)));

  let storeMs: number | null = null;
  let storeFound: number | null = null;
  if (n <= storeUpTo) {
    const dir = mkdtempSync(join(tmpdir(), 'demarc-bench-capacity-'));
    const store = new SqliteMetricStore({ path: join(dir, 'metrics.db'), retention: { rawDays: 35, rollupDays: 730 } }, { logger: silentLogger, clock: new ManualClock(NOW), sites });
    await store.init();
    for (const b of batches) await store.writeRaw(b.map((s): StoredSample => ({ ...s, circuitId: `CIR-${s.siteId}`, rttMs: 1, ceReachable: true, headendReachable: true, wanOper: 1, wanAdmin: 1, headendOper: 1, inUtilPct: null, outUtilPct: null, inErrorsPerSec: 0, outErrorsPerSec: 0, inDiscardsPerSec: 0, outDiscardsPerSec: 0, gap: null })));
    const to = Math.floor(NOW / MINUTE) * MINUTE;
    const from = to - cfg.live.windowMinutes * MINUTE;
    // The old scanLiveCapacity: a range query of step 60 per site, the detector on each.
    const viaStore = async () => {
      let k = 0;
      for (const site of sites) {
        const points = await store.range({ siteId: site.id, from, to, stepSec: 60 });
        const f = liveCapacity({ in: points.map((p) => ({ at: p.at, bps: p.inBps })), out: points.map((p) => ({ at: p.at, bps: p.outBps })) }, site.circuit.bandwidthMbps * 1e6, { from, to, stepSec: 60 }, cfg);
        if (f) k++;
      }
      storeFound = k;
    };
    const ms: number[] = [];
    for (let r = 0; r < rounds; r++) ms.push(await timed(viaStore));
    storeMs = median(ms);
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  }
  const scan = median(scanMs);
  rows.push([
    fmtInt(n), fmtMs(median(addMs)), fmtMs(scan), fmtInt(found), `${(bytes / 2 ** 20).toFixed(1)} MiB (${Math.round(bytes / n)} B a site)`,
    storeMs === null ? 'not run' : fmtMs(storeMs), storeFound === null ? '–' : fmtInt(storeFound), storeMs === null ? '–' : `${(storeMs / scan).toFixed(1)}×`,
  ]);
}

console.log(`## Live capacity scan: window in memory vs one store query a site (medians of ${rounds}; Node ${process.version})\n`);
console.log(markdownTable(['sites', 'add one cycle', 'scan (window)', 'findings', 'window memory', 'scan (store range per site)', 'findings', 'store / window'], rows));
