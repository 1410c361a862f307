import type { CircuitSample } from '../core/sample.js';
import type { CircuitFinding } from './alert.js';
import type { AlertsConfig } from './config-schema.js';

interface Run {
  since: number | null;
  active: boolean;
}

/**
 * Turns samples into the utilization and error findings of the alert rules: a condition counts
 * once it has held for the configured minutes without a sample saying otherwise. A gap (null
 * rate) neither continues nor breaks a run. Only changes are reported.
 */
export class UtilizationWatch {
  private readonly runs = new Map<string, Run>();

  constructor(private readonly cfg: AlertsConfig['thresholds']) {}

  observe(samples: readonly CircuitSample[]): CircuitFinding[] {
    const out: CircuitFinding[] = [];
    for (const s of samples) {
      const util = s.inUtilPct === null && s.outUtilPct === null ? null : Math.max(s.inUtilPct ?? 0, s.outUtilPct ?? 0);
      const { pct, minutes } = this.cfg.utilization;
      this.step(out, s, 'high-utilization', util, pct, minutes, (v) => `utilization ${v.toFixed(1)}% of nominal, at or above ${pct}% for ${minutes} min`);
      const parts = [s.inErrorsPerSec, s.outErrorsPerSec, s.inDiscardsPerSec, s.outDiscardsPerSec];
      const errors = parts.every((p) => p === null) ? null : parts.reduce<number>((sum, p) => sum + (p ?? 0), 0);
      const e = this.cfg.errors;
      this.step(out, s, 'errors', errors, e.perSec, e.minutes, (v) => `${v.toFixed(2)} errors+discards/s on the handoff port, at or above ${e.perSec}/s for ${e.minutes} min`);
    }
    return out;
  }

  private step(out: CircuitFinding[], s: CircuitSample, kind: 'high-utilization' | 'errors', value: number | null, limit: number, minutes: number, detail: (v: number) => string): void {
    if (value === null) return;
    const key = `${s.siteId}:${kind}`;
    const run = this.runs.get(key) ?? { since: null, active: false };
    this.runs.set(key, run);
    if (value >= limit) {
      run.since ??= s.at;
      if (!run.active && s.at - run.since >= minutes * 60_000) {
        run.active = true;
        out.push({ siteId: s.siteId, kind, at: s.at, active: true, detail: detail(value) });
      }
    } else {
      run.since = null;
      if (run.active) {
        run.active = false;
        out.push({ siteId: s.siteId, kind, at: s.at, active: false, detail: `back below the threshold (${value.toFixed(2)})` });
      }
    }
  }
}
