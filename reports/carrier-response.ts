import type { Incident } from '../core/incident.js';
import { assessCarrierResponse } from '../outage/carrier-response.js';
import type { OutageConfig } from '../outage/config-schema.js';
import type { ResponseCompliance, ResponseStatus } from './report-model.js';

/**
 * Carrier response to fault reports, clause 7.4.2: the text says both "respond within 2 hours"
 * and "within 1 hour", so each report is judged against the configured limit and against the
 * stricter one alongside. Every report made to the carrier hotline counts, whatever the final
 * verdict: the hotline takes end-to-end fault reports (7.4.1) and must respond to each.
 */

export type ResponseLimits = OutageConfig['carrierResponse'];

export interface ResponseJudgement {
  responseSec: number | null;
  status: ResponseStatus;
  /** null while pending against that limit. */
  withinLimit: boolean | null;
  withinStrict: boolean | null;
}

/**
 * One report judged at `now` by the outage stage's rule (the same answer the incident page
 * gives): a response at or under a limit meets it; no response yet is pending until the limit
 * has passed, then overdue (a miss).
 */
export function judgeResponse(reportedAt: number, respondedAt: number | null, now: number, limits: ResponseLimits): ResponseJudgement {
  const a = assessCarrierResponse(reportedAt, respondedAt, now, limits);
  const j = { withinLimit: a.withinLimit, withinStrict: a.withinStrictLimit };
  if (a.status === 'responded') return { ...j, responseSec: a.responseSec, status: a.withinStrictLimit && a.withinLimit ? 'met-strict' : a.withinLimit ? 'met' : 'missed' };
  return { ...j, responseSec: null, status: a.status === 'overdue' ? 'overdue' : 'pending' };
}

/** Incidents whose fault report to the carrier falls in [from, to): each report is counted in one period. */
export function reportedIn(incidents: readonly Incident[], span: { from: number; to: number }): Incident[] {
  return incidents
    .filter((i) => i.carrierReportedAt !== null && i.carrierReportedAt >= span.from && i.carrierReportedAt < span.to)
    .sort((a, b) => a.carrierReportedAt! - b.carrierReportedAt! || (a.id < b.id ? -1 : 1));
}

/**
 * Line-side outages that were never reported to the carrier: 7.4.1 starts the carrier's clock
 * at the fault report, so an unreported line fault is one the carrier cannot be held to, and
 * the customer's shift should have called in. Counted among the outages with a part in the span.
 */
export function lineReporting(outagesInSpan: readonly Incident[]): { lineOutages: number; unreportedLine: number } {
  const line = outagesInSpan.filter((i) => i.kind === 'outage' && i.responsibility === 'line');
  return { lineOutages: line.length, unreportedLine: line.filter(isUnreportedLine).length };
}

export const isUnreportedLine = (i: Pick<Incident, 'kind' | 'responsibility' | 'carrierReportedAt'>): boolean =>
  i.kind === 'outage' && i.responsibility === 'line' && i.carrierReportedAt === null;

export function compliance(judged: readonly ResponseJudgement[], line: { lineOutages: number; unreportedLine: number }): ResponseCompliance {
  const responded = judged.filter((j) => j.responseSec !== null);
  const withinLimit = judged.filter((j) => j.withinLimit === true).length;
  const missedLimit = judged.filter((j) => j.withinLimit === false).length;
  const withinStrict = judged.filter((j) => j.withinStrict === true).length;
  const missedStrict = judged.filter((j) => j.withinStrict === false).length;
  const pct = (ok: number, missed: number) => (ok + missed > 0 ? (100 * ok) / (ok + missed) : null);
  return {
    reported: judged.length,
    responded: responded.length,
    pending: judged.filter((j) => j.status === 'pending').length,
    withinLimit,
    missedLimit,
    withinStrict,
    missedStrict,
    compliancePct: pct(withinLimit, missedLimit),
    strictCompliancePct: pct(withinStrict, missedStrict),
    meanResponseSec: responded.length ? responded.reduce((s, j) => s + j.responseSec!, 0) / responded.length : null,
    ...line,
  };
}
