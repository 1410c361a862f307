import type { Completeness, UsageSummary } from '../store/metric-store.js';
import type { CompletenessFigures, ThroughputFigures } from './report-model.js';

/**
 * Throughput against the nominal rate. Clause 1.8 makes 70M a maximum, not a promise, so
 * these figures are information for the customer, not a charge against the carrier. The
 * percentiles are the metric store's (usage(): nearest rank on 5-minute averages); the report
 * only converts units, so the number matches what the store and the dashboard say.
 */

const mbps = (bps: number | null): number | null => (bps === null ? null : bps / 1e6);
const pctOf = (m: number | null, nominalMbps: number): number | null => (m === null || !(nominalMbps > 0) ? null : (100 * m) / nominalMbps);

export function throughputFigures(u: UsageSummary | undefined, nominalMbps: number, secondsAbove: number): ThroughputFigures {
  const inP95 = mbps(u?.inP95Bps ?? null);
  const outP95 = mbps(u?.outP95Bps ?? null);
  const inAvg = mbps(u?.inAvgBps ?? null);
  const outAvg = mbps(u?.outAvgBps ?? null);
  return {
    inAvgMbps: inAvg,
    outAvgMbps: outAvg,
    inPeakMbps: mbps(u?.inPeakBps ?? null),
    outPeakMbps: mbps(u?.outPeakBps ?? null),
    inP95Mbps: inP95,
    outP95Mbps: outP95,
    inP95Pct: pctOf(inP95, nominalMbps),
    outP95Pct: pctOf(outP95, nominalMbps),
    inAvgPct: pctOf(inAvg, nominalMbps),
    outAvgPct: pctOf(outAvg, nominalMbps),
    hoursAboveThreshold: secondsAbove / 3600,
  };
}

export function completenessFigures(c: Pick<Completeness, 'expected' | 'samples' | 'gaps'> | undefined): CompletenessFigures {
  const expected = c?.expected ?? 0;
  const samples = c?.samples ?? 0;
  return { expected, samples, gaps: c?.gaps ?? 0, pct: expected > 0 ? Math.min(100, (100 * samples) / expected) : null };
}

export function sumCompleteness(all: readonly CompletenessFigures[]): CompletenessFigures {
  return completenessFigures({
    expected: all.reduce((s, c) => s + c.expected, 0),
    samples: all.reduce((s, c) => s + c.samples, 0),
    gaps: all.reduce((s, c) => s + c.gaps, 0),
  });
}
