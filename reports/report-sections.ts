import { RESPONSIBILITIES } from '../core/incident.js';
import type { IncidentRow, MonthlyReport } from './report-model.js';
import { shanghaiMinute } from './report-period.js';
import { evidenceKindLabel, ruleLabel } from '../core/terms.js';
import { contractSections } from './contract-section.js';
import { REPORT_LOCALE, textFor, type ReportLang, type ReportText } from './report-text.js';

/**
 * The report as tables, one per section, in display units (minutes, Mbit/s, percent,
 * Shanghai time). CSV, XLSX and PDF all render these, so a figure reads the same everywhere.
 */

export const SECTION_KEYS = ['summary', 'targets', 'downtime', 'worst', 'circuits', 'incidents', 'responses', 'findings', 'termEnds', 'lateActivations', 'outOfService'] as const;
export type SectionKey = (typeof SECTION_KEYS)[number];

/** How a column's numbers are shown: fixed decimals, integers as integers and the rest to 3 decimals (auto), or text. */
export type ColumnKind = 'text' | 'int' | 'dec1' | 'dec2' | 'pct' | 'auto';
export type Cell = string | number | null;

export interface Column {
  header: string;
  kind: ColumnKind;
  /** Relative width for PDF and XLSX. */
  width: number;
  /** Left out of the PDF table, which has less room than a spreadsheet. */
  pdf?: false;
}

export interface Section {
  key: SectionKey;
  title: string;
  columns: Column[];
  rows: Cell[][];
}

const DECIMALS: Record<Exclude<ColumnKind, 'text' | 'auto'>, number> = { int: 0, dec1: 1, dec2: 2, pct: 3 };

/** A cell as text: numbers at their column's decimals, '' for no value. */
export function formatCell(v: Cell, kind: ColumnKind): string {
  if (v === null) return '';
  if (typeof v === 'string') return v;
  if (kind === 'text') return String(v);
  if (kind === 'auto') return Number.isInteger(v) ? String(v) : v.toFixed(3);
  return v.toFixed(DECIMALS[kind]);
}

const minutes = (sec: number | null): number | null => (sec === null ? null : sec / 60);
const time = (iso: string | null): string | null => (iso === null ? null : shanghaiMinute(Date.parse(iso)));
const col = (header: string, kind: ColumnKind, width: number, pdf = true): Column => (pdf ? { header, kind, width } : { header, kind, width, pdf: false });

/** Site names in the report's language: the inventory's English name where it has one. */
type SiteName = (siteId: string | null, name: string) => string;

function siteNamer(r: MonthlyReport, lang: ReportLang): SiteName {
  if (lang === 'zh') return (_id, name) => name;
  const en = new Map(r.circuits.filter((c) => c.siteNameEn).map((c) => [c.siteId, c.siteNameEn!]));
  return (id, name) => (id === null ? name : (en.get(id) ?? name));
}

export function reportSections(r: MonthlyReport, lang: ReportLang): Section[] {
  const t = textFor(lang);
  const n = siteNamer(r, lang);
  return [summarySection(r, t), targetsSection(r, t, n), downtimeSection(r, t), worstSection(r, t, n), circuitsSection(r, t, n), incidentsSection(r, t, n, lang), responsesSection(r, t, n), findingsSection(r, t, n), ...contractSections(r.contract, lang)];
}

function summarySection(r: MonthlyReport, t: ReportText): Section {
  const s = r.summary;
  const lim = r.settings;
  const cov = s.coverage;
  const fleet = s.targets.fleet;
  const rows: Cell[][] = [
    [t.kpi.periodComplete, cov.complete ? t.yes : t.incomplete(`${cov.pct === null ? '—' : cov.pct.toFixed(2)}%`, lim.coverageThresholdPct), ''],
    [t.kpi.coverage, cov.pct, t.unit.pct],
    [t.kpi.monitored, minutes(cov.monitoredSec), t.unit.minutes],
    [t.kpi.unmonitored, minutes(cov.unmonitoredSec), t.unit.minutes],
    [t.kpi.circuitsInInventory, s.circuitsInInventory, t.unit.circuits],
    [t.kpi.circuitsInService, s.circuitsInService, t.unit.circuits],
    [t.kpi.carrierAvailability, s.carrierAvailabilityPct, t.unit.pct],
    [t.kpi.siteAvailability, s.siteAvailabilityPct, t.unit.pct],
    [t.kpi.fleetTarget(lim.targets.fleetAvailabilityPct), fleet ? t.targetStatus[fleet.status] : '', ''],
    [t.kpi.circuitTargets, `${s.targets.circuits.pass} / ${s.targets.circuits.fail} / ${s.targets.circuits.incomplete}`, t.unit.circuits],
    [t.kpi.lineDown, minutes(s.downtimeSec.line), t.unit.minutes],
    [t.kpi.incidents, s.incidents.total, t.unit.count],
    [t.kpi.openIncidents, s.incidents.open, t.unit.count],
    [t.kpi.unreportedLine, s.responses.unreportedLine, t.unit.count],
    [t.kpi.mttr, minutes(s.mttrLineSec), t.unit.minutes],
    ...RESPONSIBILITIES.filter((k) => k !== 'line' && k !== 'monitoring').map((k): Cell[] => [t.kpi.mttrBy(t.responsibility[k]), minutes(s.mttrSec[k]), t.unit.minutes]),
    [t.kpi.compliance(lim.responseLimitHours), s.responses.compliancePct, t.unit.pct],
    [t.kpi.compliance(lim.strictResponseLimitHours), s.responses.strictCompliancePct, t.unit.pct],
    [t.kpi.responseTarget(s.targets.response.limitHours, s.targets.response.targetPct), t.targetStatus[s.targets.response.status], ''],
    [t.kpi.responseCovers(s.responses.reported, s.responses.lineOutages, s.responses.unreportedLine), s.responses.reported, t.unit.count],
    [t.kpi.meanResponse, minutes(s.responses.meanResponseSec), t.unit.minutes],
    [t.kpi.completeness, s.completeness.pct, t.unit.pct],
    [t.kpi.monitoringGap, minutes(s.monitoringGapSec), t.unit.minutes],
    [t.kpi.workingDays, r.period.workingDays, t.unit.days],
  ];
  const m = s.monthOnMonth;
  if (m?.status === 'no-comparison') rows.push([t.kpi.mom(m.previousLabel), t.momNone(m.previousLabel, m.reason), '']);
  if (m?.status === 'compared') {
    const label = t.kpi.mom(m.previousLabel);
    rows.push(
      [`${label}: ${t.kpi.carrierAvailability}`, m.delta.carrierAvailabilityPct, t.unit.pp],
      [`${label}: ${t.kpi.siteAvailability}`, m.delta.siteAvailabilityPct, t.unit.pp],
      [`${label}: ${t.kpi.lineDown}`, minutes(m.delta.lineDownSec), t.unit.minutes],
      [`${label}: ${t.kpi.incidents}`, m.delta.incidents, t.unit.count],
      [`${label}: ${t.kpi.compliance(lim.responseLimitHours)}`, m.delta.compliancePct, t.unit.pp],
    );
  }
  return { key: 'summary', title: t.sections.summary, columns: [col(t.col.metric, 'text', 5), col(t.col.value, 'auto', 2), col(t.col.unit, 'text', 1.2)], rows };
}

/** Pass/fail and the error budget: the fleet first, then each circuit in service. */
function targetsSection(r: MonthlyReport, t: ReportText, n: SiteName): Section {
  const s = r.summary;
  const row = (site: string, circuit: string, cov: { pct: number | null }, x: NonNullable<MonthlyReport['summary']['targets']['fleet']>): Cell[] => [
    site, circuit, x.targetPct, x.actualPct, cov.pct, x.budget.allowedMin, x.budget.usedMin, x.budget.leftMin, t.targetStatus[x.status],
  ];
  const rows: Cell[][] = [];
  if (s.targets.fleet) rows.push(row(t.fleet, '', s.coverage, s.targets.fleet));
  for (const c of r.circuits) if (c.target) rows.push(row(n(c.siteId, c.siteName), c.circuitId, c.coverage, c.target));
  return {
    key: 'targets',
    title: t.sections.targets,
    columns: [
      col(t.col.site, 'text', 1.8), col(t.col.circuit, 'text', 1.8), col(t.col.target, 'auto', 0.8), col(t.col.actual, 'pct', 1), col(t.col.coverage, 'dec2', 0.9),
      col(t.col.allowed, 'dec1', 0.9), col(t.col.used, 'dec1', 0.9), col(t.col.left, 'dec1', 0.9), col(t.col.targetStatus, 'text', 1.4),
    ],
    rows,
  };
}

function downtimeSection(r: MonthlyReport, t: ReportText): Section {
  const s = r.summary;
  const rows = RESPONSIBILITIES.map((k) => [
    t.responsibility[k],
    minutes(s.downtimeSec[k]),
    s.coverage.monitoredSec > 0 ? (100 * s.downtimeSec[k]) / s.coverage.monitoredSec : null,
    s.incidents.byResponsibility[k],
    minutes(s.mttrSec[k]),
  ]);
  return {
    key: 'downtime',
    title: t.sections.downtime,
    columns: [col(t.col.responsibility, 'text', 3), col(t.col.minutes, 'dec1', 1.5), col(t.col.share, 'pct', 1.5), col(t.col.count, 'int', 1), col(t.col.mttr, 'dec1', 1.2)],
    rows,
  };
}

function worstSection(r: MonthlyReport, t: ReportText, n: SiteName): Section {
  return {
    key: 'worst',
    title: t.sections.worst,
    columns: [col(t.col.rank, 'int', 0.6), col(t.col.site, 'text', 2.5), col(t.col.circuit, 'text', 2.2), col(t.col.carrierAvail, 'pct', 1.5), col(t.down('line'), 'dec1', 1.5)],
    rows: r.summary.worst.map((w, i) => [i + 1, n(w.siteId, w.siteName), w.circuitId, w.carrierAvailabilityPct, minutes(w.lineDownSec)]),
  };
}

function circuitsSection(r: MonthlyReport, t: ReportText, n: SiteName): Section {
  const th = r.settings.utilizationThresholdPct;
  const columns = [
    col(t.col.siteId, 'text', 1.3, false), col(t.col.site, 'text', 1.9), col(t.col.division, 'text', 1, false), col(t.col.circuit, 'text', 2),
    col(t.col.bandwidth, 'int', 0.8, false), col(t.col.activation, 'text', 1.2, false), col(t.col.termEnd, 'text', 1.2, false), col(t.col.daysInService, 'dec2', 0.9),
    col(t.col.coverage, 'dec2', 0.9), col(t.col.monitoredHours, 'dec1', 0.9, false), col(t.col.unmonitoredHours, 'dec1', 0.9, false),
    ...RESPONSIBILITIES.map((k) => col(t.down(k), 'dec1', 0.9)),
    col(t.col.monitoringGap, 'dec1', 0.9, false),
    col(t.col.carrierAvail, 'pct', 1.1), col(t.col.siteAvail, 'pct', 1.1), col(t.col.targetStatus, 'text', 0.9), col(t.col.incidents, 'int', 0.6), col(t.col.open, 'int', 0.6, false),
    col(t.col.unreported, 'int', 0.6), col(t.col.mttr, 'dec1', 0.8), col(t.col.responses, 'int', 0.6, false), col(t.col.compliance, 'pct', 1, false),
    col(t.col.inAvg, 'dec2', 0.9, false), col(t.col.outAvg, 'dec2', 0.9, false), col(t.col.inPeak, 'dec2', 0.9, false), col(t.col.outPeak, 'dec2', 0.9, false),
    col(t.col.inP95, 'dec2', 0.9), col(t.col.inP95Pct, 'dec1', 0.8), col(t.col.outP95, 'dec2', 0.9), col(t.col.outP95Pct, 'dec1', 0.8),
    col(t.col.hoursAbove(th), 'dec2', 0.8), col(t.col.completeness, 'dec2', 0.9),
  ];
  const rows = r.circuits.map((c) => [
    c.siteId, n(c.siteId, c.siteName), c.division, c.circuitId, c.bandwidthMbps, c.activationDate, c.termLastDay, c.inService?.days ?? 0,
    c.coverage.pct, c.coverage.monitoredSec / 3600, c.coverage.unmonitoredSec / 3600,
    ...RESPONSIBILITIES.map((k) => minutes(c.downtimeSec[k])),
    minutes(c.monitoringGapSec),
    c.carrierAvailabilityPct, c.siteAvailabilityPct, c.target ? t.targetStatus[c.target.status] : null, c.incidents, c.openIncidents,
    c.responses.unreportedLine, minutes(c.mttrLineSec), c.responses.reported, c.responses.compliancePct,
    c.throughput.inAvgMbps, c.throughput.outAvgMbps, c.throughput.inPeakMbps, c.throughput.outPeakMbps,
    c.throughput.inP95Mbps, c.throughput.inP95Pct, c.throughput.outP95Mbps, c.throughput.outP95Pct,
    c.throughput.hoursAboveThreshold, c.completeness.pct,
  ]);
  return { key: 'circuits', title: t.sections.circuits, columns, rows };
}

export function incidentNote(i: IncidentRow, t: ReportText): string {
  const notes: string[] = [];
  if (i.unreported) notes.push(t.notes.unreported);
  if (i.startsBeforePeriod) notes.push(t.notes.splitBefore);
  if (i.open) notes.push(t.notes.open);
  else if (i.endsAfterPeriod) notes.push(t.notes.splitAfter);
  if (i.correction) notes.push(t.notes.corrected(i.correction.approvedBy, shanghaiMinute(Date.parse(i.correction.approvedAt)), i.correction.reason));
  return notes.join('; ');
}

/** The evidence of an incident by kind, in the report's language, each kind once in the order first seen. */
export function evidenceSummary(i: Pick<IncidentRow, 'evidence'>, lang: ReportLang): string {
  const kinds = [...new Set(i.evidence.map((e) => e.kind))];
  return kinds.map((k) => evidenceKindLabel(k, REPORT_LOCALE[lang])).join(lang === 'zh' ? '、' : ', ');
}

function incidentsSection(r: MonthlyReport, t: ReportText, n: SiteName, lang: ReportLang): Section {
  return {
    key: 'incidents',
    title: t.sections.incidents,
    columns: [
      col(t.col.id, 'text', 1.6, false), col(t.col.site, 'text', 1.6), col(t.col.circuit, 'text', 1.8, false), col(t.col.kind, 'text', 0.9),
      col(t.col.responsibility, 'text', 1.5), col(t.col.verdict, 'text', 0.7), col(t.col.rule, 'text', 1.8), col(t.col.evidence, 'text', 2.2),
      col(t.col.start, 'text', 1.4), col(t.col.end, 'text', 1.4), col(t.col.durationInPeriod, 'dec1', 0.9), col(t.col.duration, 'dec1', 0.9, false),
      col(t.col.flaps, 'int', 0.6, false), col(t.col.unreported, 'text', 0.6), col(t.col.note, 'text', 3),
    ],
    rows: r.incidents.map((i) => [
      i.id, n(i.siteId, i.siteName), i.circuitId, t.kind[i.kind], t.responsibility[i.responsibility], t.verdict[i.verdict], ruleLabel(i.rule, REPORT_LOCALE[lang]), evidenceSummary(i, lang),
      time(i.startedAt), i.endedAt === null ? t.open : time(i.endedAt), minutes(i.periodSec), minutes(i.durationSec), i.flaps, i.unreported ? t.yes : '', incidentNote(i, t),
    ]),
  };
}

function responsesSection(r: MonthlyReport, t: ReportText, n: SiteName): Section {
  return {
    key: 'responses',
    title: t.sections.responses,
    columns: [
      col(t.col.id, 'text', 1.8, false), col(t.col.site, 'text', 1.8), col(t.col.responsibility, 'text', 1.6), col(t.col.reportedAt, 'text', 1.4),
      col(t.col.respondedAt, 'text', 1.4), col(t.col.responseMin, 'dec1', 1), col(t.col.status, 'text', 1.5),
    ],
    rows: r.responses.map((x) => [x.incidentId, n(x.siteId, x.siteName), t.responsibility[x.responsibility], time(x.reportedAt), time(x.respondedAt), minutes(x.responseSec), t.responseStatus(x.status, r.settings.responseLimitHours, r.settings.strictResponseLimitHours)]),
  };
}

function findingsSection(r: MonthlyReport, t: ReportText, n: SiteName): Section {
  return {
    key: 'findings',
    title: t.sections.findings,
    columns: [
      col(t.col.site, 'text', 1.6), col(t.col.finding, 'text', 2.8), col(t.col.direction, 'text', 0.6), col(t.col.observed, 'dec2', 0.9), col(t.col.pctNominal, 'dec1', 0.9),
      col(t.col.occurrences, 'int', 0.6), col(t.col.hours, 'dec1', 0.8), col(t.col.first, 'text', 1.3), col(t.col.last, 'text', 1.3),
    ],
    rows: r.findings.map((f) => [n(f.siteId, f.siteName), t.finding[f.kind], t.direction[f.direction], f.observedMbps, f.pctOfNominal, f.occurrences, f.hours, time(f.first), time(f.last)]),
  };
}
