import type { Coverage, ResponseCompliance, TargetResult, TargetStatus } from './report-model.js';

/**
 * Contract targets, as an SLA report states them (Zabbix's SLI and error budget): the
 * availability reached over monitored time against the target, and the line-side downtime
 * the target allows over that time, what was used and what is left.
 */

export interface ContractTargets {
  circuitAvailabilityPct: number;
  fleetAvailabilityPct: number;
  /** Per circuit id, overriding circuitAvailabilityPct. */
  circuits: Readonly<Record<string, number>>;
  responseCompliancePct: number;
}

/** Minutes, rounded to 0.001 so a budget computed by hand reads the same. */
const min = (sec: number): number => Math.round((sec / 60) * 1000) / 1000;

export function judgeTarget(targetPct: number, lineDownSec: number, cov: Coverage): TargetResult | null {
  if (!(cov.inServiceSec > 0)) return null;
  const share = 1 - targetPct / 100;
  const allowedSec = share * cov.monitoredSec;
  const actualPct = cov.monitoredSec > 0 ? 100 * (1 - Math.min(lineDownSec, cov.monitoredSec) / cov.monitoredSec) : null;
  // Even if every unmonitored minute had been up, the whole in-service time could not absorb this downtime.
  const certainFail = lineDownSec > share * cov.inServiceSec;
  let status: TargetStatus;
  if (certainFail) status = 'fail';
  else if (!cov.complete || actualPct === null) status = 'incomplete';
  else status = actualPct >= targetPct ? 'pass' : 'fail';
  return { targetPct, actualPct, status, budget: { allowedMin: min(allowedSec), usedMin: min(lineDownSec), leftMin: min(allowedSec - lineDownSec) } };
}

export const circuitTargetPct = (t: ContractTargets, circuitId: string): number => t.circuits[circuitId] ?? t.circuitAvailabilityPct;

export function countStatuses(results: readonly (TargetResult | null)[]): Record<TargetStatus, number> {
  const out: Record<TargetStatus, number> = { pass: 0, fail: 0, incomplete: 0 };
  for (const r of results) if (r) out[r.status]++;
  return out;
}

/** Response compliance against its target; no reports in the period is neither a pass nor a fail. */
export function judgeResponseTarget(c: ResponseCompliance, limitHours: number, targetPct: number): { limitHours: number; targetPct: number; actualPct: number | null; status: TargetStatus | 'no-reports' } {
  const actualPct = c.compliancePct;
  const status = c.reported === 0 ? 'no-reports' : actualPct === null ? 'incomplete' : actualPct >= targetPct ? 'pass' : 'fail';
  return { limitHours, targetPct, actualPct, status };
}
