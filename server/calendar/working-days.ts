/**
 * Working days (工作日) as the bank counts them: Monday to Friday, less the public holidays
 * (法定节假日), plus the weekend days worked in their place (调休). Both lists are settings
 * (`publication.holidays`, `publication.workdays`) because the State Council publishes them each
 * December; nothing here knows a year's holidays by itself.
 */
import { addDays, nextMonthStart, weekday } from './dates.js';

export interface WorkCalendar {
  holidays: ReadonlySet<string>;
  workdays: ReadonlySet<string>;
}

export const NO_HOLIDAYS: WorkCalendar = { holidays: new Set(), workdays: new Set() };

export function workCalendar(holidays: readonly string[], workdays: readonly string[]): WorkCalendar {
  return { holidays: new Set(holidays), workdays: new Set(workdays) };
}

export function isWorkingDay(day: string, cal: WorkCalendar = NO_HOLIDAYS): boolean {
  if (cal.workdays.has(day)) return true;
  if (cal.holidays.has(day)) return false;
  return weekday(day) <= 5;
}

// A run of days off is at most a few weeks (the longest holiday plus weekends); a year bounds any
// loop even for a pathological holiday list, so a bad setting cannot hang a request.
const MAX_SCAN = 366;

/** The working day `n` working days after `day` (n ≥ 1), or before it (n ≤ -1); n = 0 is `day` itself if it works, else the next. */
export function addWorkingDays(day: string, n: number, cal: WorkCalendar = NO_HOLIDAYS): string {
  const step = n < 0 ? -1 : 1;
  let left = Math.abs(n);
  let d = day;
  if (left === 0) {
    for (let i = 0; i < MAX_SCAN && !isWorkingDay(d, cal); i++) d = addDays(d, 1);
    return d;
  }
  const limit = MAX_SCAN * left;
  for (let i = 0; i < limit && left > 0; i++) {
    d = addDays(d, step);
    if (isWorkingDay(d, cal)) left--;
  }
  return d;
}

/** The n-th working day of a month (1 = the first); past the month's end if it has fewer. */
export function nthWorkingDay(month: string, n: number, cal: WorkCalendar = NO_HOLIDAYS): string {
  const first = `${month}-01`;
  const start = isWorkingDay(first, cal) ? first : addWorkingDays(first, 1, cal);
  return Math.max(1, n) === 1 ? start : addWorkingDays(start, Math.max(1, n) - 1, cal);
}

/** Working days from `from` to `to`, both included. */
export function workingDaysBetween(from: string, to: string, cal: WorkCalendar = NO_HOLIDAYS): number {
  let n = 0;
  for (let d = from; d <= to; d = addDays(d, 1)) if (isWorkingDay(d, cal)) n++;
  return n;
}

/** Working days in a month. */
export const workingDaysInMonth = (month: string, cal: WorkCalendar = NO_HOLIDAYS): number => workingDaysBetween(`${month}-01`, addDays(nextMonthStart(month), -1), cal);
