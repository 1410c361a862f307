import { addDays, addMonths, termLastDay, type CalendarDay } from '../reports/report-period.js';
import { isWorkingDay, workingDaysLate } from '../reports/working-days.js';

/**
 * The circuit register: each circuit's place in its contract's lifecycle, derived from a few
 * dates by pure functions (no clock inside: `today` is an argument). Clauses are those of
 * /work/shared/contract-excerpt.md. Money is in fen (1/100 yuan), so 2 % is exact.
 */

/** The contract's numbers; the bracketed ones ([30], [三十]) are negotiable, so configurable. */
export interface ContractTerms {
  /** 3.2.3: delivery within this many working days after the order. */
  activationWorkingDays: number;
  /** 13.1: the term, from the activation date. */
  termMonths: number;
  /** 13.2: notice not to renew, at least this many days before the term ends. */
  renewalNoticeDays: number;
  /** 5.1: written notice to terminate, at least this many days ahead. */
  terminationNoticeDays: number;
  /** 10.2: credit per working day late, percent of the one-time fee. */
  lateCreditPctPerWorkingDay: number;
  /** 10.2: days (calendar, 1.10) late after which the customer may terminate. */
  terminateAfterDaysLate: number;
  /** Warn this many days before the renewal-notice deadline (e.g. 30 and 7). */
  renewalWarnDays: readonly number[];
}

export const DEFAULT_TERMS: ContractTerms = {
  activationWorkingDays: 30, termMonths: 12, renewalNoticeDays: 90, terminationNoticeDays: 30,
  lateCreditPctPerWorkingDay: 2, terminateAfterDaysLate: 30, renewalWarnDays: [30, 7],
};

/** What the inventory records of one circuit's contract (sites.csv optional columns). */
export interface CircuitContract {
  circuitId: string;
  siteId: string;
  orderDate: CalendarDay | null;
  /** Overrides order date + 30 working days when the order says otherwise. */
  requiredActivationDate: CalendarDay | null;
  /** 4.1/4.2: the signed acceptance date; null while only ordered. */
  activationDate: CalendarDay | null;
  terminationNoticeDate: CalendarDay | null;
  /** The last day of service asked for in the notice; at least 30 days after it (5.1). */
  serviceEndDate: CalendarDay | null;
  termMonths: number | null;
  oneTimeFeeFen: number | null;
  monthlyFeeFen: number | null;
}

export type ContractStatus = 'ordered' | 'active' | 'notice-given' | 'ended';

export interface LateActivation {
  requiredDate: CalendarDay;
  workingDaysLate: number;
  /** 10.2 credit: 2 % of the one-time fee per working day late, capped at the first month's fee; null without fees. */
  creditFen: number | null;
  capped: boolean;
  /** 10.2: activation (or today, while still not activated) more than 30 days after the required date. */
  customerMayTerminate: boolean;
}

export interface RenewalStanding {
  /** The last day of the current term (terms renew one after another unless notice was given). */
  termEnd: CalendarDay;
  daysToTermEnd: number;
  /** Last day on which notice not to renew can still be given (13.2). */
  noticeDeadline: CalendarDay;
  daysToDeadline: number;
  decision: 'renews-unless-notice' | 'renews' | 'ends';
  /** The configured warning reached (e.g. 30 or 7 days before the deadline), or null. */
  warning: number | null;
}

export interface RegisterEntry {
  circuitId: string;
  siteId: string;
  status: ContractStatus;
  orderDate: CalendarDay | null;
  requiredActivationDate: CalendarDay | null;
  activationDate: CalendarDay | null;
  terminationNoticeDate: CalendarDay | null;
  /** Last day of service: from the notice (5.1), null while none. */
  serviceEndDate: CalendarDay | null;
  /** The notice is shorter than 5.1 allows (the end date was moved to notice + 30 days). */
  noticeTooShort: boolean;
  renewal: RenewalStanding | null;
  late: LateActivation | null;
}

/** Days from a to b (b - a), calendar days. */
export function daysBetween(a: CalendarDay, b: CalendarDay): number {
  return Math.round((Date.parse(`${b}T00:00:00Z`) - Date.parse(`${a}T00:00:00Z`)) / 86_400_000);
}

/** The n-th working day after `day` (PRC calendar: weekends, statutory holidays and make-up working days). */
export function addWorkingDays(day: CalendarDay, n: number): CalendarDay {
  let d = day;
  for (let k = 0; k < n; ) {
    d = addDays(d, 1);
    if (isWorkingDay(d)) k++;
  }
  return d;
}

/** 3.2.3: the required activation date: the order date plus 30 working days, unless recorded. */
export function requiredActivation(c: CircuitContract, terms: ContractTerms): CalendarDay | null {
  return c.requiredActivationDate ?? (c.orderDate ? addWorkingDays(c.orderDate, terms.activationWorkingDays) : null);
}

/**
 * 1.9 and 10.2: working days late and the credit. Counted to the activation date, or to today
 * while the circuit is still not activated (the credit then is what is owed so far).
 */
export function lateActivation(c: CircuitContract, terms: ContractTerms, today: CalendarDay): LateActivation | null {
  const required = requiredActivation(c, terms);
  if (!required) return null;
  const until = c.activationDate ?? today;
  if (until <= required) return { requiredDate: required, workingDaysLate: 0, creditFen: c.oneTimeFeeFen === null ? null : 0, capped: false, customerMayTerminate: false };
  // Working days after the required date up to and including the activation day.
  const late = workingDaysLate(required, until, 0);
  let creditFen: number | null = null;
  let capped = false;
  if (c.oneTimeFeeFen !== null) {
    const raw = Math.round((c.oneTimeFeeFen * terms.lateCreditPctPerWorkingDay * late) / 100);
    capped = c.monthlyFeeFen !== null && raw > c.monthlyFeeFen;
    creditFen = capped ? c.monthlyFeeFen! : raw;
  }
  return { requiredDate: required, workingDaysLate: late, creditFen, capped, customerMayTerminate: daysBetween(required, until) > terms.terminateAfterDaysLate };
}

/** The register line of one circuit at `today`. */
export function registerEntry(c: CircuitContract, terms: ContractTerms, today: CalendarDay): RegisterEntry {
  const termMonths = c.termMonths ?? terms.termMonths;
  const earliestEnd = c.terminationNoticeDate ? addDays(c.terminationNoticeDate, terms.terminationNoticeDays) : null;
  const asked = c.serviceEndDate ?? earliestEnd;
  const noticeTooShort = asked !== null && earliestEnd !== null && asked < earliestEnd;
  const serviceEndDate = asked === null ? null : noticeTooShort ? earliestEnd : asked;
  const status: ContractStatus = !c.activationDate || c.activationDate > today
    ? 'ordered'
    : serviceEndDate !== null && today > serviceEndDate
      ? 'ended'
      : c.terminationNoticeDate !== null && c.terminationNoticeDate <= today
        ? 'notice-given'
        : 'active';
  return {
    circuitId: c.circuitId,
    siteId: c.siteId,
    status,
    orderDate: c.orderDate,
    requiredActivationDate: requiredActivation(c, terms),
    activationDate: c.activationDate,
    terminationNoticeDate: c.terminationNoticeDate,
    serviceEndDate,
    noticeTooShort,
    renewal: c.activationDate && status !== 'ordered' && status !== 'ended' ? renewal(c.activationDate, termMonths, c.terminationNoticeDate, terms, today) : null,
    late: lateActivation(c, terms, today),
  };
}

/** 13.2: which term we are in, when it ends, and whether it renews. */
function renewal(activation: CalendarDay, termMonths: number, notice: CalendarDay | null, terms: ContractTerms, today: CalendarDay): RenewalStanding {
  // Renewed terms follow one another: the current term is the first whose last day is not past.
  let k = 1;
  while (termLastDay(activation, termMonths * k) < today) k++;
  const termEnd = termLastDay(activation, termMonths * k);
  const noticeDeadline = addDays(termEnd, -terms.renewalNoticeDays);
  const daysToDeadline = daysBetween(today, noticeDeadline);
  const noticeInTime = notice !== null && notice <= noticeDeadline && notice > addDays(termLastDay(activation, termMonths * (k - 1)), -terms.renewalNoticeDays);
  const decision = noticeInTime ? 'ends' : daysToDeadline < 0 ? 'renews' : 'renews-unless-notice';
  const warning = decision === 'renews-unless-notice' ? ([...terms.renewalWarnDays].sort((a, b) => a - b).find((w) => daysToDeadline <= w) ?? null) : null;
  return { termEnd, daysToTermEnd: daysBetween(today, termEnd), noticeDeadline, daysToDeadline, decision, warning };
}

/** 4.3 and 6.2: days of service in [firstDay, lastDay], from activation to the last day of service. */
export function serviceDays(e: Pick<RegisterEntry, 'activationDate' | 'serviceEndDate'>, firstDay: CalendarDay, lastDay: CalendarDay): number {
  if (!e.activationDate) return 0;
  const from = e.activationDate > firstDay ? e.activationDate : firstDay;
  const to = e.serviceEndDate !== null && e.serviceEndDate < lastDay ? e.serviceEndDate : lastDay;
  return to < from ? 0 : daysBetween(from, to) + 1;
}

/** The contract section of a monthly report, for the report to call (reports/ renders it). */
export interface ContractStanding {
  firstDay: CalendarDay;
  lastDay: CalendarDay;
  /** Terms ending within the period or the 90 days after it, with their renewal decision. */
  termEndsDue: RegisterEntry[];
  /** Circuits activated late (activation in the period, or still not activated past the required date), with credits. */
  lateActivations: RegisterEntry[];
  /** Circuits not in service for the whole period (ordered, ended, or ending inside it), with their service days. */
  outOfService: { entry: RegisterEntry; serviceDays: number }[];
  /** Sum of the credits due for activations late in the period. */
  creditsFen: number;
}

export function contractStanding(register: readonly CircuitContract[], period: { firstDay: CalendarDay; lastDay: CalendarDay }, terms: ContractTerms = DEFAULT_TERMS): ContractStanding {
  const { firstDay, lastDay } = period;
  const entries = register.map((c) => registerEntry(c, terms, lastDay));
  const horizon = addDays(lastDay, terms.renewalNoticeDays);
  const termEndsDue = entries.filter((e) => e.renewal && e.renewal.termEnd >= firstDay && e.renewal.termEnd <= horizon);
  const lateActivations = entries.filter((e) => e.late && e.late.workingDaysLate > 0 && (e.activationDate === null || (e.activationDate >= firstDay && e.activationDate <= lastDay)));
  const days = daysBetween(firstDay, lastDay) + 1;
  const outOfService = entries.map((entry) => ({ entry, serviceDays: serviceDays(entry, firstDay, lastDay) })).filter((x) => x.serviceDays < days);
  return { firstDay, lastDay, termEndsDue, lateActivations, outOfService, creditsFen: lateActivations.reduce((n, e) => n + (e.late?.creditFen ?? 0), 0) };
}

/** The register's input from the inventory: activation from the circuit, the rest from its contract columns. */
export function contractOf(site: { id: string; circuit: { id: string; activationDate: string; contract?: import('../core/inventory.js').ContractDates } }): CircuitContract {
  const c = site.circuit.contract;
  return {
    circuitId: site.circuit.id, siteId: site.id, activationDate: site.circuit.activationDate,
    orderDate: c?.orderDate ?? null, requiredActivationDate: c?.requiredActivationDate ?? null, terminationNoticeDate: c?.terminationNoticeDate ?? null,
    serviceEndDate: c?.serviceEndDate ?? null, termMonths: c?.termMonths ?? null, oneTimeFeeFen: c?.oneTimeFeeFen ?? null, monthlyFeeFen: c?.monthlyFeeFen ?? null,
  };
}
