/**
 * Report periods in the Asia/Shanghai calendar. China has kept UTC+8 without daylight saving
 * since 1991, so a Shanghai calendar day is always [16:00 UTC the day before, 16:00 UTC) and
 * day arithmetic can be done on a fixed offset (fast enough for tables of thousands of rows).
 */

export const SHANGHAI_OFFSET_MS = 8 * 3_600_000;
export const DAY_MS = 86_400_000;

/** A validated YYYY-MM-DD calendar day. */
export type CalendarDay = string;

export interface ReportPeriod {
  kind: 'month' | 'range';
  /** '2026-10' for a month, '2026-01-01..2026-12-31' for a range (both ends included). */
  label: string;
  /** First calendar day and last calendar day (inclusive). */
  firstDay: CalendarDay;
  lastDay: CalendarDay;
  /** [from, to) in epoch ms UTC: Shanghai midnight of firstDay to Shanghai midnight after lastDay. */
  from: number;
  to: number;
}

/** Thrown for a period a person typed wrongly; the message names the parameter. */
/** Why a period was refused; api/ maps each reason to an HTTP status, the CLI prints the message. */
export type PeriodErrorReason = 'malformed' | 'reversed' | 'too-long' | 'not-started';

export class PeriodError extends Error {
  constructor(
    readonly parameter: string,
    message: string,
    readonly reason: PeriodErrorReason = 'malformed',
  ) {
    super(`${parameter}: ${message}`);
    this.name = 'PeriodError';
  }
}

function parseDay(d: string, parameter: string): { y: number; m: number; day: number } {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(d);
  if (!match) throw new PeriodError(parameter, `"${d}" is not a date of the form YYYY-MM-DD`);
  const [y, m, day] = [Number(match[1]), Number(match[2]), Number(match[3])];
  const t = new Date(Date.UTC(y, m - 1, day));
  if (t.getUTCFullYear() !== y || t.getUTCMonth() !== m - 1 || t.getUTCDate() !== day)
    throw new PeriodError(parameter, `"${d}" is not a calendar date`);
  return { y, m, day };
}

/** Shanghai midnight at the start of a calendar day, as epoch ms UTC. */
export function shanghaiMidnight(day: CalendarDay, parameter = 'date'): number {
  const { y, m, day: d } = parseDay(day, parameter);
  return Date.UTC(y, m - 1, d) - SHANGHAI_OFFSET_MS;
}

/** The Shanghai calendar day an instant falls on. */
export function shanghaiDay(at: number): CalendarDay {
  return new Date(at + SHANGHAI_OFFSET_MS).toISOString().slice(0, 10);
}

/** 'YYYY-MM-DD HH:mm' in Shanghai time, for tables. */
export function shanghaiMinute(at: number): string {
  return new Date(at + SHANGHAI_OFFSET_MS).toISOString().slice(0, 16).replace('T', ' ');
}

export function addDays(day: CalendarDay, n: number): CalendarDay {
  const { y, m, day: d } = parseDay(day, 'date');
  return new Date(Date.UTC(y, m - 1, d + n)).toISOString().slice(0, 10);
}

/** Same day n months later; a day that does not exist there (31st, 29 Feb) rolls to the next month's first. */
export function addMonths(day: CalendarDay, n: number): CalendarDay {
  const { y, m, day: d } = parseDay(day, 'date');
  const t = new Date(Date.UTC(y, m - 1 + n, 1));
  const last = new Date(Date.UTC(t.getUTCFullYear(), t.getUTCMonth() + 1, 0)).getUTCDate();
  if (d > last) return new Date(Date.UTC(t.getUTCFullYear(), t.getUTCMonth() + 1, 1)).toISOString().slice(0, 10);
  return new Date(Date.UTC(t.getUTCFullYear(), t.getUTCMonth(), d)).toISOString().slice(0, 10);
}

/** A calendar month 'YYYY-MM'. */
export function monthPeriod(month: string, parameter = 'month'): ReportPeriod {
  const match = /^(\d{4})-(\d{2})$/.exec(month);
  if (!match || Number(match[2]) < 1 || Number(match[2]) > 12)
    throw new PeriodError(parameter, `"${month}" is not a month of the form YYYY-MM (e.g. 2026-10)`);
  const firstDay = `${month}-01`;
  const next = addMonths(firstDay, 1);
  return { kind: 'month', label: month, firstDay, lastDay: addDays(next, -1), from: shanghaiMidnight(firstDay), to: shanghaiMidnight(next) };
}

/** At most this long, so a typo cannot ask for a century of rollups. */
export const MAX_RANGE_DAYS = 800;

/** Calendar days firstDay..lastDay, both included. */
export function rangePeriod(firstDay: string, lastDay: string, names: { from: string; to: string } = { from: 'from', to: 'to' }): ReportPeriod {
  const from = shanghaiMidnight(firstDay, names.from);
  const lastStart = shanghaiMidnight(lastDay, names.to);
  if (lastStart < from) throw new PeriodError(names.to, `${lastDay} is before ${names.from} ${firstDay}`, 'reversed');
  const to = lastStart + DAY_MS;
  if ((to - from) / DAY_MS > MAX_RANGE_DAYS) throw new PeriodError(names.to, `a range covers at most ${MAX_RANGE_DAYS} days`, 'too-long');
  return { kind: 'range', label: `${firstDay}..${lastDay}`, firstDay, lastDay, from, to };
}

export function previousMonth(p: ReportPeriod): ReportPeriod {
  return monthPeriod(addMonths(p.firstDay, -1).slice(0, 7));
}

/** The calendar month before the one `now` falls in (what the 1st-of-month job reports). */
export function monthBefore(now: number): ReportPeriod {
  return monthPeriod(addMonths(`${shanghaiDay(now).slice(0, 7)}-01`, -1).slice(0, 7));
}

/** Refuses a period that has not begun: there is nothing to report yet. */
export function assertStarted(p: ReportPeriod, now: number, parameter: string): void {
  if (p.from >= now) throw new PeriodError(parameter, `${p.label} has not started yet (it begins ${p.firstDay})`, 'not-started');
}

export interface InServiceWindow {
  from: number;
  to: number;
  seconds: number;
}

/**
 * The part of the period a circuit was in service: from its activation day (clause 4.2: the
 * signed activation date; billing starts then, clause 4.3) to the end of its term, cut at the
 * report's as-of instant. Null when it was not in service at all.
 */
export function inServiceWindow(period: { from: number; to: number }, asOf: number, activationDate: CalendarDay, termMonths: number): InServiceWindow | null {
  const start = shanghaiMidnight(activationDate, 'activationDate');
  const termEnd = shanghaiMidnight(addMonths(activationDate, termMonths));
  const from = Math.max(period.from, start);
  const to = Math.min(period.to, asOf, termEnd);
  return to > from ? { from, to, seconds: (to - from) / 1000 } : null;
}

/** The last day of a circuit's term (inclusive), for display. */
export function termLastDay(activationDate: CalendarDay, termMonths: number): CalendarDay {
  return addDays(addMonths(activationDate, termMonths), -1);
}
