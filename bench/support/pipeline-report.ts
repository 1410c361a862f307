import type { CycleStats } from '../../core/events.js';
import type { StageShare } from './cpu-stages.js';
import { fmtInt, fmtMiB, fmtMs, fmtPct, markdownTable, percentile } from './stats.js';

/** One measured cycle of `demarc serve`, as the bench saw it from outside. */
export interface MeasuredCycle {
  report: CycleStats;
  /** Rows in the metric store's raw table with startedAt ≤ at ≤ finishedAt (counted after serve stopped). */
  stored: number | null;
  /** /api/health store.backlog right after the cycle event arrived. */
  backlog: number | null;
  /** Cycle end (server) → the socket.io `cycle` event's handler ran in the bench's client. */
  lagMs: number;
  eventBytes: number;
  eventSites: number;
  /** The GET /api/sites made half an interval after the event before this cycle: while this cycle polls. */
  sitesApi: { ms: number; bytes: number } | null;
}

export interface RollupInSpan {
  /** `in-span`: the span was placed to contain a 5-minute rollup; `any`: whatever fell inside. */
  mode: 'in-span' | 'any';
  watermarkBefore: number | null;
  watermarkAfter: number | null;
  /** 5-minute bucket rows with watermarkBefore ≤ bucket < watermarkAfter. */
  buckets5m: number;
  /** Busy time in the profile with store/sqlite-rollups.ts on the stack. */
  cpuMs: number;
}

export interface PipelineResult {
  sites: number;
  ceDevices: number;
  headends: number;
  /** demarc serve spawned → /api/health answered (inventory import, stores opened). */
  readyMs: number;
  /** Samples of history written into the metric store before serve started. */
  historySamples: number;
  startup: CycleStats;
  cycles: MeasuredCycle[];
  /** Collector overruns counted by /api/health over the span (and in total at its end). */
  overrunsInSpan: number;
  overrunsTotal: number;
  healthMs: number[];
  incidentsOpenedInSpan: number;
  incidentsOpenedTotal: number;
  rollup: RollupInSpan;
  spanMs: number;
  /** Serve process CPU over the span (/proc), % of one core. */
  cpuPct: number;
  /** The same by thread name (/proc/<pid>/task), % of one core. */
  threadCpuPct: { name: string; pct: number }[];
  rssPeakStartup: number;
  rssPeakSpan: number;
  stages: StageShare[];
  /** Busy time with that file on the stack (a job or path, across stages). */
  underFiles: { file: string; ms: number }[];
  busyMs: number;
  profileFile: string;
}

/** V8's CPU profiler's own thread: the cost of measuring, not of demarc. */
const PROFILER_THREAD = 'v8:ProfEvntProc';

const p50 = (xs: readonly number[]) => percentile(xs, 50);
const p99 = (xs: readonly number[]) => percentile(xs, 99);
const pair = (xs: readonly number[], fmt: (n: number | null) => string) => `${fmt(p50(xs))} / ${fmt(p99(xs))}`;
const kib = (b: number | null) => (b === null ? '–' : b >= 2 ** 20 ? `${(b / 2 ** 20).toFixed(1)} MiB` : `${(b / 1024).toFixed(1)} KiB`);
const minute = (t: number | null) => (t === null ? '–' : new Date(t).toISOString().slice(11, 16));

export function pipelineReport(results: readonly PipelineResult[], run: { intervalSec: number; cycles: number; historyMin: number }): string {
  const summary = markdownTable(
    [
      'sites (CEs / head-ends)', 'serve ready', 'start-up cycle', `steady cycle p50 / p99 (${run.cycles} × ${run.intervalSec} s)`, 'overruns (span / total)', 'timeouts',
      'samples stored per cycle (min)', 'store backlog max', 'cycle event lag p50 / p99', 'cycle event size', '/api/sites p50 / p99', '/api/sites size',
      '/api/health p50 / p99', 'incidents opened (span / total)', 'rollup in span', 'serve CPU', 'RSS peak (start-up / span)',
    ],
    results.map((r) => {
      const sitesApi = r.cycles.flatMap((c) => (c.sitesApi ? [c.sitesApi] : []));
      const stored = r.cycles.flatMap((c) => (c.stored === null ? [] : [c.stored]));
      const backlog = r.cycles.flatMap((c) => (c.backlog === null ? [] : [c.backlog]));
      const rollup = r.rollup.watermarkAfter !== r.rollup.watermarkBefore
        ? `yes (${r.rollup.mode}): 5 min watermark ${minute(r.rollup.watermarkBefore)} → ${minute(r.rollup.watermarkAfter)} UTC, ${fmtInt(r.rollup.buckets5m)} buckets, ${fmtMs(r.rollup.cpuMs)} CPU`
        : `no (${r.rollup.mode})`;
      return [
        `${fmtInt(r.sites)} (${fmtInt(r.ceDevices)} / ${fmtInt(r.headends)})`,
        fmtMs(r.readyMs),
        fmtMs(r.startup.durationMs),
        pair(r.cycles.map((c) => c.report.durationMs), fmtMs),
        `${r.overrunsInSpan} / ${r.overrunsTotal}`,
        fmtInt(r.cycles.reduce((a, c) => a + c.report.timeouts, 0)),
        stored.length ? `${fmtInt(Math.min(...stored))} of ${fmtInt(r.sites)}` : '–',
        backlog.length ? fmtInt(Math.max(...backlog)) : '–',
        pair(r.cycles.map((c) => c.lagMs), fmtMs),
        kib(p50(r.cycles.map((c) => c.eventBytes))),
        pair(sitesApi.map((s) => s.ms), fmtMs),
        kib(p50(sitesApi.map((s) => s.bytes))),
        pair(r.healthMs, fmtMs),
        `${r.incidentsOpenedInSpan} / ${r.incidentsOpenedTotal}`,
        rollup,
        `${fmtPct(r.cpuPct)} of a core (${fmtPct(r.cpuPct - (r.threadCpuPct.find((t) => t.name === PROFILER_THREAD)?.pct ?? 0))} without the profiler's thread)`,
        `${fmtMiB(r.rssPeakStartup)} / ${fmtMiB(r.rssPeakSpan)}`,
      ];
    }),
  );
  const perCycle = markdownTable(
    ['sites', 'cycle', 'duration', 'reachable / polled', 'timeouts', 'overrun', 'samples stored', 'backlog after', 'event lag', 'event size (sites)', '/api/sites mid-interval'],
    results.flatMap((r) =>
      r.cycles.map((c) => [
        fmtInt(r.sites), String(c.report.cycle), fmtMs(c.report.durationMs), `${fmtInt(c.report.sitesReachable)} / ${fmtInt(c.report.sitesPolled)}`, fmtInt(c.report.timeouts),
        c.report.overrun ? 'yes' : 'no', fmtInt(c.stored), fmtInt(c.backlog), fmtMs(c.lagMs), `${kib(c.eventBytes)} (${fmtInt(c.eventSites)})`,
        c.sitesApi ? `${fmtMs(c.sitesApi.ms)}, ${kib(c.sitesApi.bytes)}` : '–',
      ]),
    ),
  );
  const stageNames = [...new Set(results.flatMap((r) => r.stages.map((s) => s.stage)))];
  const shareOf = (r: PipelineResult, stage: string) => r.stages.find((s) => s.stage === stage);
  stageNames.sort((a, b) => Math.max(...results.map((r) => shareOf(r, b)?.ms ?? 0)) - Math.max(...results.map((r) => shareOf(r, a)?.ms ?? 0)));
  const threadNames = [...new Set(results.flatMap((r) => r.threadCpuPct.filter((t) => t.pct >= 0.05).map((t) => t.name)))];
  const corePct = (ms: number, r: PipelineResult) => (100 * ms) / r.spanMs;
  const stages = markdownTable(
    ['stage', ...results.map((r) => `${fmtInt(r.sites)} sites: % of busy samples / % of a core`)],
    [
      ...stageNames.map((stage) => [stage, ...results.map((r) => {
        const s = shareOf(r, stage);
        return s ? `${s.pctBusy.toFixed(1)} % / ${corePct(s.ms, r).toFixed(2)} %` : '–';
      })]),
      ['**busy (main thread, profile)**', ...results.map((r) => `100 % / ${corePct(r.busyMs, r).toFixed(2)} %`)],
      ...(results[0]?.underFiles ?? []).map(({ file }) => [`of which under \`${file}\``, ...results.map((r) => {
        const ms = r.underFiles.find((u) => u.file === file)?.ms ?? 0;
        return `${r.busyMs ? ((100 * ms) / r.busyMs).toFixed(1) : '0.0'} % / ${corePct(ms, r).toFixed(2)} %`;
      })]),
      ['**process CPU (/proc, all threads)**', ...results.map((r) => `– / ${r.cpuPct.toFixed(2)} %`)],
      ...threadNames.map((t) => [`thread \`${t}\` (/proc)`, ...results.map((r) => {
        const x = r.threadCpuPct.find((y) => y.name === t);
        return x ? `– / ${x.pct.toFixed(2)} %` : '–';
      })]),
    ],
  );
  return `History before serve started: ${run.historyMin} min of one-minute samples per site (${results.map((r) => fmtInt(r.historySamples)).join(', ')} samples).\n\n${summary}\n\nPer measured cycle:\n\n${perCycle}\n\nCPU of demarc serve by stage over the measured span (V8 CPU profile over the inspector; idle excluded):\n\n${stages}\n\nProfiles (open in Chrome DevTools): ${results.map((r) => r.profileFile).join(', ')}`;
}
