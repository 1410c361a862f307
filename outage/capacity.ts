import type { OutageConfig } from './config-schema.js';

/**
 * Capacity findings are not outages: the circuit works, but not as leased. A policer set to the
 * wrong rate shows as traffic pressed flat against a ceiling well below the nominal 70M for
 * hours; a circuit simply too small shows as sustained utilization near nominal. Clause 1.8
 * promises no rate, so these are findings to raise with the carrier, not breaches.
 */
export interface CapacityPoint {
  at: number;
  bps: number | null;
}

export type CapacityFinding =
  | { kind: 'policer-ceiling'; from: number; to: number; ceilingBps: number; ceilingPctOfNominal: number; points: number }
  | { kind: 'saturated'; from: number; to: number; meanPct: number; minPct: number; points: number };

type CapacityConfig = OutageConfig['capacity'];

interface Point {
  at: number;
  bps: number;
}

/** Runs of points without holes longer than maxGapSec; null values are holes. */
function contiguousRuns(series: readonly CapacityPoint[], maxGapMs: number): Point[][] {
  const runs: Point[][] = [];
  let run: Point[] = [];
  for (const p of [...series].sort((a, b) => a.at - b.at)) {
    if (p.bps === null || !Number.isFinite(p.bps)) continue;
    const prev = run[run.length - 1];
    if (prev && p.at - prev.at > maxGapMs) {
      runs.push(run);
      run = [];
    }
    run.push({ at: p.at, bps: p.bps });
  }
  if (run.length) runs.push(run);
  return runs;
}

function median(values: number[]): number {
  const s = [...values].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
}

/** Maximal stretches whose values stay within `band` of each other (max ≤ min × (1 + band)). */
function flatStretches(run: readonly Point[], band: number): Point[][] {
  const out: Point[][] = [];
  let start = 0;
  let lo = Infinity;
  let hi = -Infinity;
  for (let i = 0; i < run.length; i++) {
    const v = run[i]!.bps;
    const nlo = Math.min(lo, v);
    const nhi = Math.max(hi, v);
    if (nhi <= nlo * (1 + band)) {
      lo = nlo;
      hi = nhi;
      continue;
    }
    out.push(run.slice(start, i));
    // Restart from the longest tail of the stretch that is still flat together with this point.
    start = i;
    lo = v;
    hi = v;
    while (start > 0) {
      const w = run[start - 1]!.bps;
      const tlo = Math.min(lo, w);
      const thi = Math.max(hi, w);
      if (thi > tlo * (1 + band)) break;
      lo = tlo;
      hi = thi;
      start--;
    }
  }
  out.push(run.slice(start));
  return out.filter((s) => s.length > 1);
}

export function capacityFindings(series: readonly CapacityPoint[], nominalBps: number, cfg: CapacityConfig): CapacityFinding[] {
  const findings: CapacityFinding[] = [];
  const runs = contiguousRuns(series, cfg.maxGapSec * 1000);
  const band = cfg.plateauBandPct / 100;
  const seriesMax = runs.flat().reduce((m, p) => Math.max(m, p.bps), -Infinity);

  for (const run of runs) {
    for (const s of flatStretches(run, band)) {
      const from = s[0]!.at;
      const to = s[s.length - 1]!.at;
      if (to - from < cfg.plateauMinHours * 3_600_000) continue;
      const level = median(s.map((p) => p.bps));
      const pct = (level / nominalBps) * 100;
      if (pct < cfg.plateauMinPctOfNominal || pct >= cfg.plateauMaxPctOfNominal) continue;
      // A policer caps everything: traffic that ever went clearly above the level was not capped there.
      if (seriesMax > level * (1 + band) * (1 + band)) continue;
      findings.push({ kind: 'policer-ceiling', from, to, ceilingBps: Math.round(level), ceilingPctOfNominal: Math.round(pct * 10) / 10, points: s.length });
    }

    let hot: Point[] = [];
    const flush = () => {
      if (hot.length > 1 && hot[hot.length - 1]!.at - hot[0]!.at >= cfg.saturationMinMinutes * 60_000) {
        const pcts = hot.map((p) => (p.bps / nominalBps) * 100);
        findings.push({
          kind: 'saturated',
          from: hot[0]!.at,
          to: hot[hot.length - 1]!.at,
          meanPct: Math.round((pcts.reduce((a, b) => a + b, 0) / pcts.length) * 10) / 10,
          minPct: Math.round(Math.min(...pcts) * 10) / 10,
          points: hot.length,
        });
      }
      hot = [];
    };
    for (const p of run) {
      if ((p.bps / nominalBps) * 100 >= cfg.saturationPct) hot.push(p);
      else flush();
    }
    flush();
  }
  return findings.sort((a, b) => a.from - b.from);
}
