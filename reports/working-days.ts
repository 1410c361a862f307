import chineseDays from 'chinese-days';
import { addDays, type CalendarDay } from './report-period.js';

/**
 * Working days in the contract's sense (clause 1.9: not Saturday, Sunday or a statutory
 * holiday) follow the State Council's yearly holiday notice, including the make-up working
 * days (调休) that fall on weekends. chinese-days carries those notices; for a year it does not
 * know yet it can only answer by weekday, which `calendarKnown` lets the report say.
 */

export function isWorkingDay(day: CalendarDay): boolean {
  return chineseDays.isWorkday(day);
}

/** Working days from firstDay to lastDay, both included. */
export function countWorkingDays(firstDay: CalendarDay, lastDay: CalendarDay): number {
  let n = 0;
  for (let d = firstDay; d <= lastDay; d = addDays(d, 1)) if (isWorkingDay(d)) n++;
  return n;
}

/**
 * Working days late for a delivery due within `allowed` working days after `orderDay`
 * (clause 3.2.3: 30 working days; clause 10.2 charges 2% of the one-time fee per working day
 * late). The count starts the working day after the order and ends on the activation day.
 */
export function workingDaysLate(orderDay: CalendarDay, activationDay: CalendarDay, allowed: number): number {
  if (activationDay <= orderDay) return 0;
  const used = countWorkingDays(addDays(orderDay, 1), activationDay);
  return Math.max(0, used - allowed);
}

/** Years whose holiday notice chinese-days has (it names holidays in them); later years are weekday-only. */
export function calendarKnown(year: number): boolean {
  return chineseDays.getHolidaysInRange(`${year}-01-01`, `${year}-12-31`, false).length > 0;
}
