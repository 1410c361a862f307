/**
 * bench/pipeline: the whole of `demarc serve` (collector, outage stage, embedded store, rollups,
 * API, socket.io) on a fleet where every site is its own device, measured from outside.
 *
 *   npx tsx bench/pipeline.ts [--sites 120,10000,100000] [--cycles 3] [--interval 60]
 *                             [--port 43080] [--snmp-port 43161] [--rollup in-span|any]
 *
 * For each size: bench responders on n + n/1,000 distinct loopback addresses (bench/poll
 * --distinct's fleet), a demarc.yaml + sites.csv with embedded storage in a fresh
 * .tmp/bench-pipeline/<n>/, a display token made with `demarc token create --display`, then the
 * real bin/demarc.js serve as a child process (API on 127.0.0.1:--port, inspector on --port+1).
 * After the start-up cycle, --cycles cycles are measured: the collector's cycle as the socket.io
 * `cycle` event reports it, overruns and store backlog from /api/health, samples stored from the
 * metric store's file, the event's lag and size at a real socket.io client (the wall's token),
 * /api/sites and /api/health latency, incidents, the 5-minute rollup, CPU and RSS from /proc, and
 * a V8 CPU profile of exactly that span, split by stage (bench/support/cpu-stages.ts).
 */
import Database from 'better-sqlite3';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { CIRCUITS_PER_HEADEND, writeBenchConfig } from './support/bench-inventory.js';
import { cpuByStage, msUnderFile } from './support/cpu-stages.js';
import { connectProfiler } from './support/inspector-profiler.js';
import { connectLiveClient, type CycleArrival } from './support/live-client.js';
import { pipelineReport, type MeasuredCycle, type PipelineResult } from './support/pipeline-report.js';
import { prefillHistory } from './support/history-prefill.js';
import { ProcWatch, readProc, readThreadCpu } from './support/proc-stat.js';
import { startResponderFleet } from './support/responder-fleet.js';
import { createDisplayToken, startServe } from './support/serve-process.js';
import { fmtMs } from './support/stats.js';

const { values: opt } = parseArgs({
  options: {
    sites: { type: 'string', default: '120,10000,100000' },
    cycles: { type: 'string', default: '3' },
    interval: { type: 'string', default: '60' },
    /** The API; the inspector listens on the next port. */
    port: { type: 'string', default: '43080' },
    /** The bench responders' SNMP port; demarc's trap receiver takes the next one. */
    'snmp-port': { type: 'string', default: '43161' },
    /** in-span: start measuring where the span will contain a 5-minute rollup (waits up to 5 min); any: right after the start-up cycle. */
    rollup: { type: 'string', default: 'in-span' },
    concurrency: { type: 'string', default: '200' },
    /** Minutes of history written into the metric store before serve starts (the live capacity window is 60). */
    history: { type: 'string', default: '60' },
  },
});
const num = (name: keyof typeof opt, min = 1) => {
  const v = Number(opt[name]);
  if (!Number.isFinite(v) || v < min) throw new Error(`--${name} must be a number ≥ ${min}, got "${opt[name]}"`);
  return v;
};
const SIZES = String(opt.sites).split(',').map((s) => Number(s.trim()));
if (SIZES.some((n) => !Number.isInteger(n) || n < 1)) throw new Error(`--sites must be a comma-separated list of positive integers, got "${opt.sites}"`);
const CYCLES = num('cycles');
const INTERVAL_MS = num('interval') * 1000;
const API_PORT = num('port');
const SNMP_PORT = num('snmp-port');
const CONCURRENCY = num('concurrency');
const HISTORY_MIN = num('history', 0);
if (opt.rollup !== 'in-span' && opt.rollup !== 'any') throw new Error(`--rollup is in-span or any, got "${opt.rollup}"`);
const ROLLUP_MODE = opt.rollup;
const COMMUNITY = 'demarc-bench';
const ROOT = join(import.meta.dirname, '..');
const WORK = join(ROOT, '.tmp', 'bench-pipeline');
/** The embedded store closes a 5-minute bucket 2 min after it ends, at the rollup job's next run (second 15 of a minute). */
const BUCKET_MS = 300_000;
const ROLLUP_AFTER_BOUNDARY_MS = 135_000;

/** Per-minute jobs and per-cycle paths whose cost grows with the fleet: their time in the profile, whatever stage they are charged to. */
const WATCHED_FILES = ['outage/capacity-window.ts', 'store/sqlite-rollups.ts', 'api/fleet-state.ts', 'api/live-updates.ts', 'api/routes/sites.ts', 'alerts/alert-stage.ts'];

const log = (msg: string) => process.stderr.write(`[pipeline ${new Date().toISOString().slice(11, 19)}] ${msg}\n`);

interface Health {
  ms: number;
  backlog: number;
  overruns: number;
}
async function health(url: string): Promise<Health> {
  const t = performance.now();
  const body = (await (await fetch(`${url}/api/health`)).json()) as { store: { backlog: number }; collector: { overruns: number } };
  return { ms: performance.now() - t, backlog: body.store.backlog, overruns: body.collector.overruns };
}
async function sitesApi(url: string, token: string): Promise<{ ms: number; bytes: number }> {
  const t = performance.now();
  const res = await fetch(`${url}/api/sites`, { headers: { authorization: `Bearer ${token}` } });
  const bytes = (await res.arrayBuffer()).byteLength;
  if (!res.ok) throw new Error(`GET /api/sites: ${res.status}`);
  return { ms: performance.now() - t, bytes };
}

/** The metric store's file, read-only beside the running server (WAL: readers never block its writer). */
function storeProbe(path: string) {
  const db = new Database(path, { readonly: true, fileMustExist: true });
  return {
    watermark5m: () => (db.prepare("SELECT watermark FROM rollup_watermark WHERE level = '5m'").get() as { watermark: number } | undefined)?.watermark ?? null,
    buckets5m: (from: number, to: number) => (db.prepare('SELECT count(*) AS n FROM rollup_5m WHERE bucket >= ? AND bucket < ?').get(from, to) as { n: number }).n,
    stored: (from: number, to: number) => (db.prepare('SELECT count(*) AS n FROM raw_sample WHERE at >= ? AND at <= ?').get(from, to) as { n: number }).n,
    close: () => db.close(),
  };
}

/** When the next 5-minute rollup with data runs: 2 min 15 s after a bucket boundary later than the first sample. */
function nextRollupAt(after: number, firstSampleAt: number): number {
  let boundary = Math.ceil((Math.max(after - ROLLUP_AFTER_BOUNDARY_MS, firstSampleAt) + 1) / BUCKET_MS) * BUCKET_MS;
  while (boundary + ROLLUP_AFTER_BOUNDARY_MS <= after) boundary += BUCKET_MS;
  return boundary + ROLLUP_AFTER_BOUNDARY_MS;
}

async function benchSize(n: number): Promise<PipelineResult> {
  const dir = join(WORK, String(n));
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  const heads = Math.max(1, Math.ceil(n / CIRCUITS_PER_HEADEND));
  log(`${n} sites: bench responders on ${n + heads} distinct loopback addresses, port ${SNMP_PORT}`);
  const fleet = await startResponderFleet({ devices: n + heads, port: SNMP_PORT, community: COMMUNITY, dir });
  try {
    const configPath = writeBenchConfig(
      dir,
      { sites: n, ceEndpoints: fleet.endpoints.slice(0, n), headendEndpoints: fleet.endpoints.slice(n), ceIf: 'lo', headendIf: 'eth0' },
      { community: COMMUNITY, timeoutMs: 2000, retries: 1 },
      CONCURRENCY,
      4,
      {
        collector: { intervalSec: INTERVAL_MS / 1000 },
        api: { host: '127.0.0.1', port: API_PORT },
        traps: { host: '127.0.0.1', port: SNMP_PORT + 1 },
        // A start-up walk of every device is discovery's load, not the steady pipeline's; its daily run (03:30 Asia/Shanghai) stays.
        discovery: { onStart: false },
      },
    );
    const token = createDisplayToken(configPath);
    const prefillAt = Date.now();
    const historySamples = await prefillHistory(configPath, HISTORY_MIN);
    if (historySamples) log(`${n} sites: ${HISTORY_MIN} min of history (${historySamples} samples) written into the metric store in ${fmtMs(Date.now() - prefillAt)}`);
    const spawnedAt = Date.now();
    const serve = await startServe({ configPath, apiPort: API_PORT, inspectPort: API_PORT + 1, logFile: join(dir, 'serve.log') });
    const readyMs = Date.now() - spawnedAt;
    log(`${n} sites: demarc serve (pid ${serve.pid}) answered /api/health after ${fmtMs(readyMs)}`);
    const watch = new ProcWatch([serve.pid]);
    let live: Awaited<ReturnType<typeof connectLiveClient>> | null = null;
    let profiler: Awaited<ReturnType<typeof connectProfiler>> | null = null;
    try {
      live = await connectLiveClient(serve.url, token);
      profiler = await connectProfiler(API_PORT + 1);
      const startup = await live.nextCycle(3_600_000);
      log(`${n} sites: start-up cycle ${startup.report.cycle}: ${fmtMs(startup.report.durationMs)}, ${startup.report.sitesReachable}/${startup.report.sitesPolled} reachable, event ${startup.bytes} bytes`);
      const rssPeakStartup = watch.peakRssBytes(serve.pid);
      const probe = storeProbe(join(dir, 'metrics.db'));

      // The span starts at a cycle event: the first one after which a 5-minute rollup falls inside (in-span).
      let from: CycleArrival = startup;
      if (ROLLUP_MODE === 'in-span') {
        for (;;) {
          const due = nextRollupAt(from.arrivedAt + 2000, startup.report.startedAt);
          // Not before the first rollup run has caught up on the prefilled history (second 15 after serve was ready, plus time to run).
          const caughtUp = from.arrivedAt > Math.ceil((spawnedAt + readyMs - 15_000) / 60_000) * 60_000 + 15_000 + 20_000;
          if (caughtUp && due < from.arrivedAt + CYCLES * INTERVAL_MS - 10_000) {
            log(`${n} sites: measuring from cycle ${from.report.cycle}; the 5-minute rollup is due at ${new Date(due).toISOString().slice(11, 19)} UTC, inside the span`);
            break;
          }
          log(`${n} sites: ${caughtUp ? `the next 5-minute rollup (${new Date(due).toISOString().slice(11, 19)} UTC) would fall after the span` : 'the first rollup run (catching up on the history) is not done'}; waiting a cycle`);
          from = await live.nextCycle(3 * INTERVAL_MS);
        }
      }
      const healthBefore = await health(serve.url);
      const wmBefore = probe.watermark5m();
      const incidentsBefore = live.incidents.get('incident:opened') ?? 0;
      watch.resetPeak();
      await profiler.start();
      const cpu0 = readProc(serve.pid);
      const threads0 = readThreadCpu(serve.pid);
      const t0 = Date.now();

      const healthMs: number[] = [];
      const healthTimer = setInterval(() => {
        health(serve.url).then((h) => healthMs.push(h.ms), (err: unknown) => log(`/api/health failed: ${String(err)}`));
      }, 5000);
      const probes: Promise<unknown>[] = [];
      const cycles: MeasuredCycle[] = [];
      const arrivals: CycleArrival[] = [];
      const sitesCalls = new Map<number, { ms: number; bytes: number }>();
      let previous = from;
      try {
        for (let k = 0; k < CYCLES; k++) {
          const cycleNo = previous.report.cycle;
          probes.push(
            new Promise((r) => setTimeout(r, INTERVAL_MS / 2))
              .then(() => sitesApi(serve.url, token))
              .then((s) => sitesCalls.set(cycleNo, s)),
          );
          const c = await live.nextCycle(3 * INTERVAL_MS);
          const h = await health(serve.url);
          healthMs.push(h.ms);
          arrivals.push(c);
          cycles.push({ report: c.report, stored: null, backlog: h.backlog, lagMs: c.lagMs, eventBytes: c.bytes, eventSites: c.sites, sitesApi: null });
          log(`  cycle ${c.report.cycle}: ${fmtMs(c.report.durationMs)}, ${c.report.sitesReachable}/${c.report.sitesPolled} reachable, ${c.report.timeouts} timeouts, event ${c.bytes} bytes after ${fmtMs(c.lagMs)}, backlog ${h.backlog}`);
          previous = c;
        }
        await Promise.all(probes);
      } finally {
        clearInterval(healthTimer);
      }
      const cpu1 = readProc(serve.pid);
      const threads1 = readThreadCpu(serve.pid);
      const spanMs = Date.now() - t0;
      const threadCpuPct = [...threads1]
        .map(([name, sec]) => ({ name, pct: (100 * (sec - (threads0.get(name) ?? 0)) * 1000) / spanMs }))
        .sort((a, b) => b.pct - a.pct);
      const profile = await profiler.stop();
      const rssPeakSpan = watch.peakRssBytes(serve.pid);
      const healthAfter = await health(serve.url);
      const wmAfter = probe.watermark5m();
      const incidentsInSpan = (live.incidents.get('incident:opened') ?? 0) - incidentsBefore;
      // Each /api/sites call was made half an interval after the cycle before it: file it under that cycle.
      cycles.forEach((c, i) => (c.sitesApi = sitesCalls.get(i === 0 ? from.report.cycle : cycles[i - 1]!.report.cycle) ?? null));
      const profileFile = join(dir, 'serve-span.cpuprofile');
      writeFileSync(profileFile, JSON.stringify(profile));
      const byStage = cpuByStage(profile, ROOT);

      live.close();
      profiler.close();
      const stop = await serve.stop();
      if (stop.code !== 0) log(`${n} sites: demarc serve exited with ${JSON.stringify(stop)}; see ${join(dir, 'serve.log')}`);
      watch.stop();
      // After the graceful stop every sample written is in the file.
      for (const c of cycles) c.stored = probe.stored(c.report.startedAt, c.report.finishedAt);
      const buckets5m = wmBefore !== wmAfter && wmAfter !== null ? probe.buckets5m(wmBefore ?? 0, wmAfter) : 0;
      probe.close();
      return {
        sites: n,
        ceDevices: n,
        headends: heads,
        readyMs,
        historySamples,
        startup: startup.report,
        cycles,
        overrunsInSpan: healthAfter.overruns - healthBefore.overruns,
        overrunsTotal: healthAfter.overruns,
        healthMs,
        incidentsOpenedInSpan: incidentsInSpan,
        incidentsOpenedTotal: live.incidents.get('incident:opened') ?? 0,
        rollup: { mode: ROLLUP_MODE, watermarkBefore: wmBefore, watermarkAfter: wmAfter, buckets5m, cpuMs: msUnderFile(profile, 'store/sqlite-rollups.ts') },
        spanMs,
        cpuPct: (100 * (cpu1.cpuSec - cpu0.cpuSec) * 1000) / spanMs,
        threadCpuPct,
        rssPeakStartup,
        rssPeakSpan,
        stages: byStage.stages,
        underFiles: WATCHED_FILES.map((file) => ({ file, ms: msUnderFile(profile, file) })),
        busyMs: byStage.busyMs,
        profileFile,
      };
    } finally {
      live?.close();
      profiler?.close();
      watch.stop();
      await serve.stop();
    }
  } finally {
    await fleet.stop();
  }
}

async function main(): Promise<void> {
  const started = new Date();
  log(`${cpus().length} cores, load average ${loadavg().map((l) => l.toFixed(2)).join(' ')}; work dir ${WORK}`);
  const results: PipelineResult[] = [];
  for (const n of SIZES) results.push(await benchSize(n));
  process.stdout.write(
    `\nbench/pipeline, ${started.toISOString().slice(0, 16).replace('T', ' ')} UTC, ${cpus().length} × ${cpus()[0]?.model.trim() ?? 'CPU'}, load average at end ${loadavg().map((l) => l.toFixed(2)).join(' ')}, ` +
      `every site its own CE address (bench responders), collector.sharedSockets 4, concurrency ${CONCURRENCY}\n\n${pipelineReport(results, { intervalSec: INTERVAL_MS / 1000, cycles: CYCLES, historyMin: HISTORY_MIN })}\n`,
  );
}

main().catch((err: unknown) => {
  process.stderr.write(`bench/pipeline failed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
  process.exitCode = 1;
});
