import type { CycleReportMsg } from './collector-child.js';
import type { busyByArea, hotFunctions } from './cpu-profile.js';
import { fmtInt, fmtMiB, fmtMs, fmtPct, markdownTable, percentile } from './stats.js';

/** A rate and what it cost: per second of wall time, per CPU-second, CPU as % of one core. */
export interface Throughput {
  perSec: number;
  perCpuSec: number;
  cpuPct: number;
  agentsCpuPct: number;
  failures: number;
}

export interface SizeResult {
  sites: number;
  ceDevices: number;
  headends: number;
  loadMs: number;
  /** The first cycle (sessions opened, interface names resolved) and the ones after it. */
  startup: CycleReportMsg;
  steady: CycleReportMsg[];
  overruns: number;
  /** Collector and agents over the steady cycles' intervals. */
  steadyCpuPct: number | null;
  steadyAgentsCpuPct: number | null;
  rssPeak: number;
  /** The collector's open file descriptors at most (after the steady cycles and after each burst). */
  fdsPeak: number;
  burst: (Throughput & { rssPeak: number }) | null;
  /** GETs of the issue's 6 reference OIDs. */
  bare: Throughput;
  /** GETs of the same varbinds as demarc's steady-state CE poll. */
  bareCe: Throughput;
  /** Not run in --distinct mode. */
  exporter: Throughput | null;
  /** Rounds of (collector, bare loops, exporter); the throughputs above are medians over them. */
  rounds: number;
  /** Median over the rounds of collector site-polls/s ÷ bare 6-OID GETs/s, each pair measured in the same round. */
  rateVsBare: number | null;
  /** Median over the rounds of collector site-polls per CPU-s ÷ exporter scrapes per CPU-s. */
  cpuVsExporter: number | null;
  hot: ReturnType<typeof hotFunctions>;
  areas: ReturnType<typeof busyByArea>;
}

export interface RunInfo {
  intervalSec: number;
  /** The collector's V8 old-space limit when set (MiB). */
  maxOldSpaceMiB: number | null;
  /** --max-semi-space-size of the node contenders; null for node's default. */
  semiSpaceMiB: number | null;
  concurrency: number;
  burstSec: number;
  baselineSec: number;
  rounds: number;
}

const fmtRatio = (r: number | null) => (r === null ? '–' : r.toFixed(2));

export function pollReport(results: readonly SizeResult[], run: RunInfo): string {
  const schedule = markdownTable(
    ['sites', 'CE devices / head-ends', 'first cycle (start-up)', 'steady cycles', 'cycle p50', 'cycle p99', 'overruns', 'timeouts', 'site poll p99', 'collector CPU', 'collector RSS peak', 'collector fds', 'agents CPU'],
    results.map((r) => {
      const d = r.steady.map((c) => c.durationMs);
      return [
        fmtInt(r.sites), `${fmtInt(r.ceDevices)} / ${r.headends}`, fmtMs(r.startup.durationMs), String(r.steady.length), fmtMs(percentile(d, 50)), fmtMs(percentile(d, 99)),
        String(r.overruns), fmtInt([r.startup, ...r.steady].reduce((a, c) => a + c.timeouts, 0)),
        fmtMs(percentile(r.steady.flatMap((c) => (c.rttP99 === null ? [] : [c.rttP99])), 99)),
        fmtPct(r.steadyCpuPct), fmtMiB(r.rssPeak), fmtInt(r.fdsPeak), fmtPct(r.steadyAgentsCpuPct),
      ];
    }),
  );
  const ceilings = markdownTable(
    [
      'sites', 'collector site-polls/s', 'per CPU-s', 'bare GETs/s (6 OIDs)', 'per CPU-s', 'bare GETs/s (CE poll, 14 OIDs)', 'per CPU-s', 'exporter scrapes/s', 'per CPU-s',
      'collector ÷ bare-6 (rate)', 'collector ÷ exporter (per CPU-s)', 'failures c/b6/bCE/e', 'CPU c/b6/bCE/e', 'agents CPU c/b6/bCE/e',
    ],
    results.map((r) => {
      const all = [r.burst, r.bare, r.bareCe, r.exporter];
      return [
        fmtInt(r.sites), fmtInt(r.burst?.perSec), fmtInt(r.burst?.perCpuSec), fmtInt(r.bare.perSec), fmtInt(r.bare.perCpuSec), fmtInt(r.bareCe.perSec), fmtInt(r.bareCe.perCpuSec),
        fmtInt(r.exporter?.perSec), fmtInt(r.exporter?.perCpuSec), fmtRatio(r.rateVsBare), fmtRatio(r.cpuVsExporter),
        all.map((t) => t?.failures ?? '–').join('/'), all.map((t) => fmtPct(t?.cpuPct)).join('/'), all.map((t) => fmtPct(t?.agentsCpuPct)).join('/'),
      ];
    }),
  );
  const goals = results.map((r) => {
    const p99 = percentile(r.steady.map((c) => c.durationMs), 99);
    const ok = (b: boolean | null) => (b === null ? 'not measured' : b ? 'met' : 'MISSED');
    const rss = Math.max(r.rssPeak, r.burst?.rssPeak ?? 0);
    return (
      `- ${fmtInt(r.sites)} sites: p99 cycle ≤ 30 s ${ok(p99 === null ? null : p99 <= 30_000)} (${fmtMs(p99)}); ` +
      `RSS ≤ 1 GiB ${ok(rss <= 2 ** 30)} (${fmtMiB(rss)}); fds ≤ 1,000 ${ok(r.fdsPeak <= 1000)} (${r.fdsPeak}); no overruns ${ok(r.overruns === 0)} (${r.overruns}); ` +
      `≥ ½ bare-loop rate ${ok(r.rateVsBare === null ? null : r.rateVsBare >= 0.5)} (${fmtRatio(r.rateVsBare)}); ` +
      `more polls per CPU-s than the exporter ${ok(r.cpuVsExporter === null ? null : r.cpuVsExporter > 1)} (${fmtRatio(r.cpuVsExporter)}×)`
    );
  });
  const hot = results
    .filter((r) => r.hot.length)
    .map(
      (r) =>
        `Collector CPU profile, ${fmtInt(r.sites)} sites, back-to-back cycles; share of busy time by area: ${r.areas.slice(0, 8).map((a) => `${a.area} ${a.pct.toFixed(0)} %`).join(', ')}\n\n` +
        markdownTable(['function', 'where', 'self', 'share'], r.hot.map((h) => [h.name, h.where, fmtMs(h.selfMs), `${h.selfPct.toFixed(1)} %`])),
    );
  return [
    `### Collector on its schedule (${run.intervalSec} s interval, polls spread over the first 40 %, concurrency ${run.concurrency}${run.maxOldSpaceMiB ? `, --max-old-space-size=${run.maxOldSpaceMiB}` : ''}${run.semiSpaceMiB ? `, --max-semi-space-size=${run.semiSpaceMiB}` : ''})`, '', schedule, '',
    `### Ceilings on the same agents (${run.concurrency} requests in flight; collector in back-to-back cycles for ${run.burstSec} s, baselines ${run.baselineSec} s; medians of ${run.rounds} interleaved rounds, ratios are medians of per-round ratios)`, '', ceilings, '',
    'Goals (issue 3):', '', ...goals, '', ...hot.flatMap((h) => [h, '']),
  ].join('\n');
}
