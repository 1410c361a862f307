import chineseDays from 'chinese-days';

/**
 * Who is on call at an instant: shifts by time of day and kind of day in Asia/Shanghai, with
 * the PRC statutory calendar (chinese-days), including make-up working days (调休补班) that
 * fall on a weekend. Pure: instant and config in, contact ids out.
 */

export const DAY_TOKENS = ['all', 'workday', 'restday', 'holiday', 'makeup', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'] as const;
export type DayToken = (typeof DAY_TOKENS)[number];

// China has kept UTC+8 without daylight saving since 1991, so local time is a fixed shift.
const SHANGHAI_OFFSET_MS = 8 * 3_600_000;
const DAY_MS = 86_400_000;
const WEEKDAYS: readonly DayToken[] = ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'];

export interface LocalTime {
  /** YYYY-MM-DD in Asia/Shanghai. */
  date: string;
  /** Minutes since local midnight. */
  minutes: number;
  weekday: DayToken;
}

export function shanghaiTime(at: number): LocalTime {
  const d = new Date(at + SHANGHAI_OFFSET_MS);
  return { date: d.toISOString().slice(0, 10), minutes: d.getUTCHours() * 60 + d.getUTCMinutes(), weekday: WEEKDAYS[d.getUTCDay()]! };
}

/** "2026-03-07 14:05" (or with seconds), Asia/Shanghai, as people read it. */
export function formatShanghai(at: number, withSeconds = false): string {
  const iso = new Date(at + SHANGHAI_OFFSET_MS).toISOString();
  return `${iso.slice(0, 10)} ${iso.slice(11, withSeconds ? 19 : 16)}`;
}

/** The kinds of day a calendar date is, per the PRC calendar. */
export function dayKinds(date: string): Set<DayToken> {
  const weekday = WEEKDAYS[new Date(`${date}T00:00:00Z`).getUTCDay()]!;
  const kinds = new Set<DayToken>(['all', weekday]);
  const work = chineseDays.isWorkday(date);
  kinds.add(work ? 'workday' : 'restday');
  const weekend = weekday === 'sat' || weekday === 'sun';
  if (work && weekend) kinds.add('makeup');
  // A statutory holiday is a rest day the calendar names (a plain weekend is named by its weekday).
  if (!work && chineseDays.getDayDetail(date).name.includes(',')) kinds.add('holiday');
  return kinds;
}

function minutesOf(hhmm: string): number {
  const [h, m] = hhmm.split(':').map(Number);
  return h! * 60 + m!;
}

function previousDate(date: string): string {
  return new Date(Date.parse(`${date}T00:00:00Z`) - DAY_MS).toISOString().slice(0, 10);
}

export interface TimeSpan {
  days: readonly DayToken[];
  from: string;
  to: string;
}

/**
 * Whether an instant falls in a span. A span running past midnight belongs to the day it
 * starts on: Friday's 17:30–08:30 shift covers Saturday 03:00, whatever Saturday is.
 */
export function inSpan(span: TimeSpan, at: number, kinds: (date: string) => Set<DayToken> = dayKinds): boolean {
  const t = shanghaiTime(at);
  const from = minutesOf(span.from);
  const to = minutesOf(span.to);
  const dayOk = (date: string) => {
    const k = kinds(date);
    return span.days.some((d) => k.has(d));
  };
  if (from === to) return dayOk(t.date);
  if (from < to) return t.minutes >= from && t.minutes < to && dayOk(t.date);
  if (t.minutes >= from) return dayOk(t.date);
  if (t.minutes < to) return dayOk(previousDate(t.date));
  return false;
}

export interface RotationLike {
  id: string;
  shifts: readonly (TimeSpan & { chain: readonly string[] })[];
  fallback: readonly string[];
}

/** The escalation chain on call at `at`: the first matching shift wins, else the fallback. */
export function onCallChain(rotation: RotationLike, at: number): readonly string[] {
  return rotation.shifts.find((s) => inSpan(s, at))?.chain ?? rotation.fallback;
}
