/**
 * bench/poll: how many sites one collector process polls, against real agents over real UDP.
 *
 *   npx tsx bench/poll.ts [--sites 120,10000,100000] [--interval 60] [--duration 60]
 *                         [--burst 15] [--baseline 15] [--concurrency 200] [--cpu-prof]
 *                         [--max-old-space MiB] [--semi-space MiB] [--node-arg=--flag ...]
 *
 * --duration: seconds of steady cycles after the first (start-up) cycle; --burst 0 skips the
 * back-to-back run (it needs a start-up cycle of its own: minutes at 100,000 sites).
 *
 * Agents: a few Debian `snmpd` processes, each listening on hundreds of loopback addresses, so
 * the collector sees up to --devices distinct CE devices (its one-request-in-flight rule is per
 * host:port) plus one head-end per 1,000 circuits; sites beyond --devices share CEs.
 * For each size, on the same agents: the collector on its real schedule (--duration seconds
 * of --interval cycles, polls spread across the interval), the collector in back-to-back
 * cycles (its ceiling), a bare net-snmp GET loop (the machine's ceiling) and Debian's
 * prometheus-snmp-exporter scraping the same OIDs. CPU and RSS come from /proc/<pid>/stat.
 */
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { CE_POLL_OIDS, SIX_OIDS, type BareCommand, type BareEvent } from './support/bare-loop-child.js';
import { CIRCUITS_PER_HEADEND, writeBenchConfig } from './support/bench-inventory.js';
import { forkTs } from './support/child.js';
import type { ChildCommand, ChildEvent, CycleReportMsg } from './support/collector-child.js';
import { busyByArea, hotFunctions, readProfile } from './support/cpu-profile.js';
import { ProcWatch, readProc } from './support/proc-stat.js';
import { scrapeLoop, startSnmpExporter, type RunningExporter } from './support/snmp-exporter.js';
import { startSnmpdFleet, type SnmpdFleet } from './support/snmpd-fleet.js';
import { startResponderFleet } from './support/responder-fleet.js';
import { pollReport, type SizeResult, type Throughput } from './support/poll-report.js';
import { fmtMs, percentile } from './support/stats.js';

const { values: opt } = parseArgs({
  options: {
    sites: { type: 'string', default: '120,10000,100000' },
    interval: { type: 'string', default: '60' },
    duration: { type: 'string', default: '60' },
    burst: { type: 'string', default: '15' },
    baseline: { type: 'string', default: '15' },
    rounds: { type: 'string', default: '3' },
    concurrency: { type: 'string', default: '200' },
    devices: { type: 'string', default: '1000' },
    processes: { type: 'string', default: '4' },
    port: { type: 'string', default: '21900' },
    'cpu-prof': { type: 'boolean', default: false },
    /** Every site its own CE address (127.30.0.1 …), served by bench responders instead of snmpd; no exporter. */
    distinct: { type: 'boolean', default: false },
    /** collector.sharedSockets for the collector (0: one socket per device, as net-snmp does). */
    'shared-sockets': { type: 'string', default: '4' },
    /** V8 old-space limit for the collector process, in MiB (node's --max-old-space-size); default: node's own. */
    'max-old-space': { type: 'string' },
    /**
     * V8 semi-space (young generation) size for the collector and the bare loop, in MiB: 64, as
     * demarc runs (Dockerfile, npm start); 0 for node's default (16).
     */
    'semi-space': { type: 'string', default: '64' },
    /** Any other V8/node flag for the collector process (repeatable), e.g. --node-arg=--trace-gc. */
    'node-arg': { type: 'string', multiple: true, default: [] },
  },
});
const num = (name: keyof typeof opt, min = 1e-9) => {
  const v = Number(opt[name]);
  if (!Number.isFinite(v) || v < min) throw new Error(`--${name} must be a number ≥ ${min === 1e-9 ? 'above 0' : min}, got "${opt[name]}"`);
  return v;
};
const SIZES = String(opt.sites).split(',').map((s) => Number(s.trim()));
if (SIZES.some((n) => !Number.isInteger(n) || n < 1)) throw new Error(`--sites must be a comma-separated list of positive integers, got "${opt.sites}"`);
const INTERVAL = num('interval');
/** The start-up cycle, then the steady ones. */
const CYCLES = 1 + Math.floor(num('duration', 0) / INTERVAL);
const BURST_SEC = num('burst', 0);
const BASELINE_SEC = num('baseline');
const ROUNDS = num('rounds', 1);
const CONCURRENCY = num('concurrency');
const DISTINCT = opt.distinct === true;
/** In --distinct mode every site is a device of its own. */
const DEVICES = DISTINCT ? Math.max(...SIZES) : num('devices');
const SHARED_SOCKETS = num('shared-sockets', 0);
/** The bare loop's sessions kept open (a socket each): the file limit here is 20,000. */
const BARE_MAX_OPEN = 15_000;
const PORT = num('port');
const SEMI_SPACE = num('semi-space', 0);
/** The same young generation for both node contenders, so neither is tuned and the other not. */
const SEMI_SPACE_ARGS = SEMI_SPACE > 0 ? [`--max-semi-space-size=${SEMI_SPACE}`] : [];
const COMMUNITY = 'demarc-bench';
const HERE = import.meta.dirname;
const ROOT = join(HERE, '..');
const WORK = mkdtempSync(join(tmpdir(), 'demarc-bench-run-'));

const log = (msg: string) => process.stderr.write(`[bench ${new Date().toISOString().slice(11, 19)}] ${msg}\n`);

/** CPU seconds (summed over each group's processes) at one instant. */
interface Snapshot {
  at: number;
  cpu: Record<string, number>;
}
function snapshot(groups: Record<string, readonly number[]>): Snapshot {
  const cpu: Record<string, number> = {};
  for (const [name, pids] of Object.entries(groups)) cpu[name] = pids.reduce((s, pid) => s + readProc(pid).cpuSec, 0);
  return { at: Date.now(), cpu };
}
/** CPU seconds of a group between two snapshots, and that as % of one core over the wall time. */
function between(a: Snapshot, b: Snapshot, group: string): { cpuSec: number; pct: number; wallSec: number } {
  const cpuSec = b.cpu[group]! - a.cpu[group]!;
  const wallSec = (b.at - a.at) / 1000;
  return { cpuSec, pct: (100 * cpuSec) / wallSec, wallSec };
}

/** Open file descriptors of a process. */
const fdsOf = (pid: number): number => readdirSync(`/proc/${pid}/fd`).length;

async function benchSize(n: number, fleet: SnmpdFleet, exporter: RunningExporter | null): Promise<SizeResult> {
  const ce = fleet.endpoints.slice(0, Math.min(n, DEVICES));
  const heads = fleet.endpoints.slice(DEVICES);
  const headendCount = Math.max(1, Math.ceil(n / CIRCUITS_PER_HEADEND));
  const configPath = writeBenchConfig(join(WORK, `config-${n}`), { sites: n, ceEndpoints: ce, headendEndpoints: heads, ceIf: 'lo', headendIf: 'eth0' }, { community: COMMUNITY, timeoutMs: 2000, retries: 1 }, CONCURRENCY, SHARED_SOCKETS);
  const profileTo = opt['cpu-prof'] && BURST_SEC > 0 ? join(WORK, `collector-burst-${n}.cpuprofile`) : undefined;
  const nodeArgs = [...(opt['max-old-space'] ? [`--max-old-space-size=${num('max-old-space')}`] : []), ...SEMI_SPACE_ARGS, ...(opt['node-arg'] ?? [])];
  const child = forkTs<ChildCommand, ChildEvent>(join(HERE, 'support/collector-child.ts'), { stderrFile: join(WORK, `collector-${n}.log`), nodeArgs });
  const watch = new ProcWatch([child.pid]);
  const groups = { collector: [child.pid], agents: fleet.pids };
  try {
    child.send({ type: 'load', configPath });
    const loaded = await child.next('loaded');
    log(`${n} sites: inventory loaded in ${loaded.loadMs} ms; scheduled run: a start-up cycle and ${CYCLES - 1} more, ${INTERVAL} s interval`);

    watch.resetPeak();
    const cycles: CycleReportMsg[] = [];
    let steadyFrom: Snapshot | null = null;
    child.send({ type: 'scheduled', intervalSec: INTERVAL, cycles: CYCLES });
    for (let i = 0; i < CYCLES; i++) {
      const c = (await child.next('cycle')).report;
      if (i === 0) steadyFrom = snapshot(groups);
      cycles.push(c);
      log(`  cycle ${c.cycle}: ${fmtMs(c.durationMs)}, ${c.sitesReachable}/${c.sitesPolled} reachable, ${c.timeouts} timeouts, site poll p99 ${fmtMs(c.rttP99)}, event-loop delay p99 ${fmtMs(c.loopDelayP99Ms)} max ${fmtMs(c.loopDelayMaxMs)}`);
    }
    const steadyTo = snapshot(groups);
    let fdsPeak = fdsOf(child.pid);
    const { overruns } = await child.next('scheduled-done');
    const rssPeak = watch.peakRssBytes(child.pid);

    const bareLoop = async (oids: string[], label: string, round: number): Promise<Throughput> => {
      log(`${n} sites, round ${round}: bare net-snmp GET loop, ${oids.length} OIDs, ${CONCURRENCY} in flight, ${BASELINE_SEC} s`);
      const bareChild = forkTs<BareCommand, BareEvent>(join(HERE, 'support/bare-loop-child.ts'), { stderrFile: join(WORK, `bare-${label}-${n}-${round}.log`), nodeArgs: SEMI_SPACE_ARGS });
      const bareGroups = { bare: [bareChild.pid], agents: fleet.pids };
      try {
        bareChild.send({ type: 'run', endpoints: ce, community: COMMUNITY, concurrency: CONCURRENCY, seconds: BASELINE_SEC, oids, maxOpen: BARE_MAX_OPEN });
        await bareChild.next('started');
        const l0 = snapshot(bareGroups);
        const bare = await bareChild.next('done');
        return throughput(bare.gets, l0, snapshot(bareGroups), 'bare', bare.failures);
      } finally {
        await bareChild.stop();
      }
    };

    // Rounds: the collector back to back, then each baseline, on the same agents, ROUNDS times
    // over. The machine is shared and noisy, so the table gives each contender's median and the
    // ratios are medians of the per-round ratios (each measured minutes apart at most).
    const rounds: { burst: Throughput | null; bare: Throughput; bareCe: Throughput; exporter: Throughput | null }[] = [];
    watch.resetPeak();
    for (let round = 1; round <= ROUNDS; round++) {
      let burst: Throughput | null = null;
      if (BURST_SEC > 0) {
        log(`${n} sites, round ${round}: collector in back-to-back cycles, nothing spread, for ${BURST_SEC} s${round === 1 ? ' (after a start-up cycle)' : ''}`);
        const profileThisRound = round === 1 ? profileTo : undefined;
        child.send({ type: 'burst', seconds: BURST_SEC, ...(profileThisRound ? { profileTo: profileThisRound } : {}) });
        await child.next('burst-start');
        const b0 = snapshot(groups);
        const done = await child.next('burst-done');
        burst = throughput(done.sitePolls, b0, snapshot(groups), 'collector', done.timeouts);
        fdsPeak = Math.max(fdsPeak, fdsOf(child.pid));
        if (profileThisRound) await child.next('profile-written');
      }
      const bare = await bareLoop(SIX_OIDS, '6', round);
      const bareCe = await bareLoop(CE_POLL_OIDS, 'ce', round);
      let exporterRun: Throughput | null = null;
      if (exporter) {
        log(`${n} sites, round ${round}: prometheus-snmp-exporter, ${CONCURRENCY} scrapes in flight, ${BASELINE_SEC} s`);
        const expGroups = { exporter: [exporter.pid], agents: fleet.pids };
        const e0 = snapshot(expGroups);
        const exp = await scrapeLoop(exporter, ce, CONCURRENCY, BASELINE_SEC);
        exporterRun = throughput(exp.scrapes, e0, snapshot(expGroups), 'exporter', exp.failures);
      }
      rounds.push({ burst, bare, bareCe, exporter: exporterRun });
      if (burst) log(`  round ${round}: collector ${Math.round(burst.perSec)}/s, bare-6 ${Math.round(bare.perSec)}/s, ratio ${(burst.perSec / bare.perSec).toFixed(2)}`);
    }
    const burstRssPeak = watch.peakRssBytes(child.pid);
    await child.stop();
    if (profileTo) log(`${n} sites: collector CPU profile of the first round's back-to-back cycles in ${profileTo}`);
    const profile = profileTo ? readProfile(profileTo) : null;
    const bursts = rounds.flatMap((r) => (r.burst ? [r.burst] : []));

    const steadyWindow = CYCLES > 1 && steadyFrom ? { c: between(steadyFrom, steadyTo, 'collector').pct, a: between(steadyFrom, steadyTo, 'agents').pct } : null;
    return {
      sites: n,
      ceDevices: ce.length,
      headends: headendCount,
      loadMs: loaded.loadMs,
      startup: cycles[0]!,
      steady: cycles.slice(1),
      overruns,
      steadyCpuPct: steadyWindow?.c ?? null,
      steadyAgentsCpuPct: steadyWindow?.a ?? null,
      rssPeak,
      fdsPeak,
      burst: bursts.length ? { ...medianThroughput(bursts), rssPeak: burstRssPeak } : null,
      bare: medianThroughput(rounds.map((r) => r.bare)),
      bareCe: medianThroughput(rounds.map((r) => r.bareCe)),
      exporter: exporter ? medianThroughput(rounds.flatMap((r) => (r.exporter ? [r.exporter] : []))) : null,
      rounds: rounds.length,
      rateVsBare: bursts.length ? median(rounds.map((r) => r.burst!.perSec / r.bare.perSec)) : null,
      cpuVsExporter: bursts.length && exporter ? median(rounds.map((r) => r.burst!.perCpuSec / r.exporter!.perCpuSec)) : null,
      hot: profile ? hotFunctions(profile, ROOT) : [],
      areas: profile ? busyByArea(profile, ROOT) : [],
    };
  } finally {
    watch.stop();
    await child.stop();
  }
}

const median = (xs: readonly number[]): number => percentile(xs, 50)!;

/** Each field's median over the rounds. */
function medianThroughput(ts: readonly Throughput[]): Throughput {
  const m = (f: keyof Throughput) => median(ts.map((t) => t[f]));
  return { perSec: m('perSec'), perCpuSec: m('perCpuSec'), cpuPct: m('cpuPct'), agentsCpuPct: m('agentsCpuPct'), failures: ts.reduce((a, t) => a + t.failures, 0) };
}

/** `count` operations between two snapshots, by wall time and by the `group`'s CPU time. */
function throughput(count: number, a: Snapshot, b: Snapshot, group: string, failures: number): Throughput {
  const own = between(a, b, group);
  return { perSec: count / own.wallSec, perCpuSec: count / own.cpuSec, cpuPct: own.pct, agentsCpuPct: between(a, b, 'agents').pct, failures };
}

async function main(): Promise<void> {
  const maxHeads = Math.max(...SIZES.map((n) => Math.ceil(n / CIRCUITS_PER_HEADEND)));
  log(`${cpus().length} cores, load average ${loadavg().map((l) => l.toFixed(2)).join(' ')}; work dir ${WORK}`);
  log(`starting ${DISTINCT ? 'bench responders' : `${num('processes')} snmpd processes`} on ${DEVICES + maxHeads} loopback addresses, port ${PORT}`);
  const fleet = DISTINCT
    ? await startResponderFleet({ devices: DEVICES + maxHeads, port: PORT, community: COMMUNITY, dir: WORK })
    : await startSnmpdFleet({ devices: DEVICES + maxHeads, processes: num('processes'), port: PORT, community: COMMUNITY, dir: WORK });
  log(`agents ready (${fleet.pids.length} processes), load average ${loadavg().map((l) => l.toFixed(2)).join(' ')}`);
  let exporter: RunningExporter | null = null;
  try {
    if (!DISTINCT) exporter = await startSnmpExporter({ port: PORT + 1, community: COMMUNITY, dir: join(WORK, 'exporter') });
    const results: SizeResult[] = [];
    for (const n of SIZES) results.push(await benchSize(n, fleet, exporter));
    const started = new Date().toISOString().slice(0, 16).replace('T', ' ');
    process.stdout.write(`\nbench/poll, ${started} UTC, ${cpus().length} × ${cpus()[0]?.model.trim() ?? 'CPU'}, load average at end ${loadavg().map((l) => l.toFixed(2)).join(' ')}${DISTINCT ? ', every site its own CE address (bench responders)' : ''}, collector.sharedSockets ${SHARED_SOCKETS}\n\n${pollReport(results, { intervalSec: INTERVAL, maxOldSpaceMiB: opt['max-old-space'] ? num('max-old-space') : null, semiSpaceMiB: SEMI_SPACE > 0 ? SEMI_SPACE : null, concurrency: CONCURRENCY, burstSec: BURST_SEC, baselineSec: BASELINE_SEC, rounds: ROUNDS })}\n`);
  } finally {
    await exporter?.stop();
    await fleet.stop();
    // Inventories of 100,000 sites are large; keep the run's files only when there are profiles to read.
    if (opt['cpu-prof']) log(`profiles and logs kept in ${WORK}`);
    else rmSync(WORK, { recursive: true, force: true });
  }
}

main().catch((err: unknown) => {
  process.stderr.write(`bench/poll failed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
  process.exitCode = 1;
});
