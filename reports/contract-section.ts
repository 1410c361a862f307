import type { Site } from '../core/inventory.js';
import { CONTRACT_STATUS_TERMS, RENEWAL_DECISION_TERMS, wordsIn } from '../core/terms.js';
import { contractOf, contractStanding, type ContractStatus, type ContractTerms } from '../inventory/circuit-register.js';
import type { Cell, Column, ColumnKind, Section } from './report-sections.js';
import { REPORT_LOCALE, type ReportLang } from './report-text.js';

/**
 * The monthly report's contract section: the circuit register (inventory/circuit-register.ts,
 * as of the period's last day) turned into report data and tables: terms ending within the
 * period or the 90 days after it with their renewal decision, late activations with their
 * 10.2 credits, and circuits not in service for the whole period. Money in yuan for people.
 */
export interface ContractReport {
  asOf: string;
  termEndsDue: { siteId: string; siteName: string; circuitId: string; termEnd: string; daysToTermEnd: number; noticeDeadline: string; daysToDeadline: number; decision: 'renews-unless-notice' | 'renews' | 'ends' }[];
  lateActivations: { siteId: string; siteName: string; circuitId: string; requiredDate: string; activationDate: string | null; workingDaysLate: number; creditYuan: number | null; capped: boolean; customerMayTerminate: boolean }[];
  outOfService: { siteId: string; siteName: string; circuitId: string; status: ContractStatus; activationDate: string | null; serviceEndDate: string | null; serviceDays: number }[];
  creditsYuan: number;
}

const yuan = (fen: number | null) => (fen === null ? null : fen / 100);

/** Pure: the register's standing for the period, with site names. */
export function contractReport(sites: readonly Site[], period: { firstDay: string; lastDay: string }, terms: ContractTerms): ContractReport {
  const st = contractStanding(sites.map(contractOf), period, terms);
  const name = new Map(sites.map((s) => [s.id, s.name]));
  const who = (e: { siteId: string; circuitId: string }) => ({ siteId: e.siteId, siteName: name.get(e.siteId) ?? e.siteId, circuitId: e.circuitId });
  return {
    asOf: period.lastDay,
    termEndsDue: st.termEndsDue.map((e) => ({ ...who(e), termEnd: e.renewal!.termEnd, daysToTermEnd: e.renewal!.daysToTermEnd, noticeDeadline: e.renewal!.noticeDeadline, daysToDeadline: e.renewal!.daysToDeadline, decision: e.renewal!.decision })),
    lateActivations: st.lateActivations.map((e) => ({
      ...who(e), requiredDate: e.late!.requiredDate, activationDate: e.activationDate, workingDaysLate: e.late!.workingDaysLate, creditYuan: yuan(e.late!.creditFen), capped: e.late!.capped, customerMayTerminate: e.late!.customerMayTerminate,
    })),
    outOfService: st.outOfService.map((x) => ({ ...who(x.entry), status: x.entry.status, activationDate: x.entry.activationDate, serviceEndDate: x.entry.serviceEndDate, serviceDays: x.serviceDays })),
    creditsYuan: st.creditsFen / 100,
  };
}

const TEXT = {
  zh: {
    termEnds: '合同期满与续期（本期及其后 90 天）', late: '延迟开通与违约金（10.2）', outOfService: '本期未全程在网的电路',
    site: '站点', circuit: '电路编号', termEnd: '服务期至', daysToEnd: '距期满 天', deadline: '不续期通知截止', daysToDeadline: '距截止 天', decision: '续期',
    required: '应开通日期', activated: '实际开通', lateDays: '延迟工作日', credit: '违约金 元', capped: '已封顶', mayTerminate: '可解除合同',
    status: '状态', serviceEnd: '服务终止', serviceDays: '本期在网天数', total: '合计', yes: '是', notYet: '未开通',
  },
  en: {
    termEnds: 'Terms ending (this period and the 90 days after)', late: 'Late activations and credits (10.2)', outOfService: 'Circuits not in service for the whole period',
    site: 'Site', circuit: 'Circuit', termEnd: 'Term ends', daysToEnd: 'Days to end', deadline: 'Notice deadline', daysToDeadline: 'Days to deadline', decision: 'Renewal',
    required: 'Required by', activated: 'Activated', lateDays: 'Working days late', credit: 'Credit CNY', capped: 'Capped', mayTerminate: 'May terminate',
    status: 'Status', serviceEnd: 'Service ends', serviceDays: 'Days in service', total: 'Total', yes: 'yes', notYet: 'not yet',
  },
} as const;

const col = (header: string, kind: ColumnKind, width: number): Column => ({ header, kind, width });

/** The three tables of the contract section, for CSV, XLSX and PDF alike. */
export function contractSections(c: ContractReport, lang: ReportLang): Section[] {
  const t = TEXT[lang];
  const status = wordsIn(CONTRACT_STATUS_TERMS, REPORT_LOCALE[lang]);
  const decision = wordsIn(RENEWAL_DECISION_TERMS, REPORT_LOCALE[lang]);
  const late: Cell[][] = c.lateActivations.map((x) => [x.siteName, x.circuitId, x.requiredDate, x.activationDate ?? t.notYet, x.workingDaysLate, x.creditYuan, x.capped ? t.yes : '', x.customerMayTerminate ? t.yes : '']);
  if (late.length) late.push([t.total, '', '', '', null, c.creditsYuan, '', '']);
  return [
    {
      key: 'termEnds',
      title: t.termEnds,
      columns: [col(t.site, 'text', 1.6), col(t.circuit, 'text', 1.8), col(t.termEnd, 'text', 1.1), col(t.daysToEnd, 'int', 0.8), col(t.deadline, 'text', 1.1), col(t.daysToDeadline, 'int', 0.8), col(t.decision, 'text', 2.2)],
      rows: c.termEndsDue.map((x) => [x.siteName, x.circuitId, x.termEnd, x.daysToTermEnd, x.noticeDeadline, x.daysToDeadline, decision[x.decision]]),
    },
    {
      key: 'lateActivations',
      title: t.late,
      columns: [col(t.site, 'text', 1.6), col(t.circuit, 'text', 1.8), col(t.required, 'text', 1.1), col(t.activated, 'text', 1.1), col(t.lateDays, 'int', 0.8), col(t.credit, 'dec2', 1), col(t.capped, 'text', 0.7), col(t.mayTerminate, 'text', 0.8)],
      rows: late,
    },
    {
      key: 'outOfService',
      title: t.outOfService,
      columns: [col(t.site, 'text', 1.6), col(t.circuit, 'text', 1.8), col(t.status, 'text', 1.2), col(t.activated, 'text', 1.1), col(t.serviceEnd, 'text', 1.1), col(t.serviceDays, 'int', 0.9)],
      rows: c.outOfService.map((x) => [x.siteName, x.circuitId, status[x.status], x.activationDate ?? t.notYet, x.serviceEndDate, x.serviceDays]),
    },
  ];
}
