/**
 * The collector under test, in its own process so the parent can read its CPU time and RSS
 * from /proc. Driven over IPC: load the config, then a scheduled run (the real scheduler,
 * polls spread across the interval) and a burst run (back-to-back cycles, nothing spread:
 * the most site polls per second it can do).
 */
import { writeFileSync } from 'node:fs';
import { Session } from 'node:inspector/promises';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { pino } from 'pino';
import { Collector, type CycleResult } from '../../collector/collector.js';
import { systemClock } from '../../core/clock.js';
import { createLogger } from '../../core/logger.js';
import { loadConfig } from '../../config/load.js';
import { percentile } from './stats.js';

export type ChildCommand =
  | { type: 'load'; configPath: string }
  | { type: 'scheduled'; intervalSec: number; cycles: number }
  /** With `profileTo`, the V8 CPU profile of the burst (after warm-up) is written there (.cpuprofile). */
  | { type: 'burst'; seconds: number; profileTo?: string }
  | { type: 'exit' };

export interface CycleReportMsg {
  cycle: number;
  durationMs: number;
  sitesPolled: number;
  sitesReachable: number;
  timeouts: number;
  errors: number;
  overrun: boolean;
  /** Per-site CE poll time as the collector measured it (includes its own queueing). */
  rttP50: number | null;
  rttP99: number | null;
  gaps: number;
  /** How late the collector's event loop ran during the cycle (ms): replies wait this long to be read. */
  loopDelayP99Ms: number;
  loopDelayMaxMs: number;
}

export type ChildEvent =
  | { type: 'loaded'; sites: number; loadMs: number }
  | { type: 'cycle'; report: CycleReportMsg }
  | { type: 'scheduled-done'; overruns: number }
  | { type: 'burst-start' }
  | { type: 'burst-done'; cycles: number; sitePolls: number; elapsedMs: number; timeouts: number; undecodable: number }
  | { type: 'profile-written'; file: string }
  | { type: 'failed'; error: string };

const send = (e: ChildEvent) => void process.send?.(e);
// Warnings and errors only, to stderr (the parent keeps them in a file): what an operator would see.
const logger = createLogger({ level: 'warn', name: 'bench-collector', destination: pino.destination(2) });
let config: ReturnType<typeof loadConfig> | null = null;

const loopDelay = monitorEventLoopDelay({ resolution: 10 });
loopDelay.enable();

function report(r: CycleResult): CycleReportMsg {
  const loop = { loopDelayP99Ms: loopDelay.percentile(99) / 1e6, loopDelayMaxMs: loopDelay.max / 1e6 };
  loopDelay.reset();
  const rtts = r.samples.flatMap((s) => (s.rttMs === null ? [] : [s.rttMs]));
  return {
    cycle: r.stats.cycle,
    durationMs: r.stats.durationMs,
    sitesPolled: r.stats.sitesPolled,
    sitesReachable: r.stats.sitesReachable,
    timeouts: r.stats.timeouts,
    errors: r.stats.errors,
    overrun: r.stats.overrun,
    rttP50: percentile(rtts, 50),
    rttP99: percentile(rtts, 99),
    gaps: r.samples.filter((s) => s.gap !== null && s.gap !== 'first-reading').length,
    ...loop,
  };
}

async function scheduled(intervalSec: number, cycles: number): Promise<void> {
  const c = config!;
  const collector = new Collector({ sites: c.inventory.sites, profiles: c.profiles, intervalSec, concurrency: c.collector.concurrency, spreadPolls: true, sharedSockets: c.collector.sharedSockets }, systemClock, logger);
  let seen = 0;
  await new Promise<void>((resolve) => {
    collector.onCycle((r) => {
      send({ type: 'cycle', report: report(r) });
      if (++seen === cycles) resolve();
    });
    collector.start();
  });
  await collector.stop();
  send({ type: 'scheduled-done', overruns: collector.overruns });
}

/** The back-to-back collector, kept between bursts so each round after the first is steady state. */
let burstCollector: Collector | null = null;

async function burst(seconds: number, profileTo: string | undefined): Promise<void> {
  const c = config!;
  if (!burstCollector) {
    burstCollector = new Collector({ sites: c.inventory.sites, profiles: c.profiles, intervalSec: 60, concurrency: c.collector.concurrency, spreadPolls: false, sharedSockets: c.collector.sharedSockets }, systemClock, logger);
    // One cycle to open sessions and resolve interface names: start-up, not steady state.
    await burstCollector.pollOnce();
  }
  const collector = burstCollector;
  const before = collector.poolStats();
  const profiler = profileTo ? new Session() : null;
  if (profiler) {
    profiler.connect();
    await profiler.post('Profiler.enable');
    await profiler.post('Profiler.start');
  }
  send({ type: 'burst-start' });
  const started = Date.now();
  let cycles = 0;
  let sitePolls = 0;
  while (Date.now() - started < seconds * 1000) {
    const r = await collector.pollOnce();
    cycles++;
    sitePolls += r.stats.sitesPolled;
  }
  const elapsedMs = Date.now() - started;
  const after = collector.poolStats();
  send({ type: 'burst-done', cycles, sitePolls, elapsedMs, timeouts: after.failures.timeout - before.failures.timeout, undecodable: after.undecodable - before.undecodable });
  // After the report, so writing the profile is not counted as polling.
  if (profiler && profileTo) {
    const { profile } = await profiler.post('Profiler.stop');
    writeFileSync(profileTo, JSON.stringify(profile));
    profiler.disconnect();
    send({ type: 'profile-written', file: profileTo });
  }
}

process.on('message', (cmd: ChildCommand) => {
  const run = async () => {
    if (cmd.type === 'load') {
      const t = Date.now();
      config = loadConfig(cmd.configPath, {});
      send({ type: 'loaded', sites: config.inventory.sites.length, loadMs: Date.now() - t });
    } else if (cmd.type === 'scheduled') await scheduled(cmd.intervalSec, cmd.cycles);
    else if (cmd.type === 'burst') await burst(cmd.seconds, cmd.profileTo);
    else {
      await burstCollector?.stop();
      process.disconnect?.();
    }
  };
  run().catch((err: unknown) => send({ type: 'failed', error: err instanceof Error ? (err.stack ?? err.message) : String(err) }));
});
