import type { Coverage } from './report-model.js';

/**
 * Monitored time: the time demarc saw a circuit. Each stored sample (one per poll, also when
 * the CE did not answer: that is a sample of an outage) stands for one poll interval; time
 * without samples is unmonitored, whatever the reason (demarc not running, before its first
 * poll, a management plane that gave nothing). Availability is a share of monitored time, and
 * is never shown without this coverage next to it.
 */
export function coverage(inServiceSec: number, samples: number, pollIntervalSec: number, thresholdPct: number): Coverage {
  const monitoredSec = Math.min(inServiceSec, Math.max(0, samples) * pollIntervalSec);
  return coverageOf(inServiceSec, monitoredSec, thresholdPct);
}

export function coverageOf(inServiceSec: number, monitoredSec: number, thresholdPct: number): Coverage {
  const pct = inServiceSec > 0 ? (100 * monitoredSec) / inServiceSec : null;
  return { inServiceSec, monitoredSec, unmonitoredSec: inServiceSec - monitoredSec, pct, complete: pct !== null && pct >= thresholdPct };
}

/** Several circuits' coverage as one: time-weighted, not a mean of percentages. */
export function sumCoverage(all: readonly Coverage[], thresholdPct: number): Coverage {
  return coverageOf(
    all.reduce((s, c) => s + c.inServiceSec, 0),
    all.reduce((s, c) => s + c.monitoredSec, 0),
    thresholdPct,
  );
}
