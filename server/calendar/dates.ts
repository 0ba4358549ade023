/**
 * The bank's calendar (SPEC §9, §3 Art. 8; 旬 and week reports in the reporting calendar). The bank's
 * day is Beijing's (UTC+8, no daylight saving): a sale at 23:30 on the 31st in Beijing belongs to that
 * month even though it is 15:30 UTC. Everything here is pure and works on the strings a Chinese bank
 * writes: days 'YYYY-MM-DD', months 'YYYY-MM'. Instants (Date) only enter through `beijingDay` and
 * leave through `beijingMidnight`; "now" comes from the clock (./clock.ts), never from here.
 */

const BEIJING_MS = 8 * 3600_000;
const DAY_MS = 86_400_000;

const pad2 = (n: number): string => String(n).padStart(2, '0');
const ymd = (y: number, m: number, d: number): string => `${String(y).padStart(4, '0')}-${pad2(m)}-${pad2(d)}`;
const parts = (day: string): [number, number, number] => {
  const [y, m, d] = day.split('-').map(Number);
  return [y, m, d ?? 1];
};
/** UTC midnight of a calendar day, as a number: only for day arithmetic, never shown. */
const epochDay = (day: string): number => Date.parse(`${day}T00:00:00Z`) / DAY_MS;
// Day arithmetic runs on UTC midnights (no zone, no DST): the result is a calendar day, not an instant.
const fromEpochDay = (n: number): string => new Date(n * DAY_MS).toISOString().slice(0, 10);

// ---- instants ↔ days ---------------------------------------------------------------------------

/** 'YYYY-MM-DD' of an instant in Beijing. */
export function beijingDay(at: Date): string {
  // Shifted by +8 h first, so the UTC date read off is Beijing's day.
  return new Date(at.getTime() + BEIJING_MS).toISOString().slice(0, 10);
}

/** 'YYYY-MM' of an instant in Beijing. */
export const beijingMonth = (at: Date): string => beijingDay(at).slice(0, 7);

/** An instant as a Chinese bank prints it, in Beijing time: '2026-11-26 09:00' (or with seconds). */
export function beijingTime(at: Date, precision: 'minute' | 'second' = 'minute'): string {
  return new Date(at.getTime() + BEIJING_MS)
    .toISOString()
    .slice(0, precision === 'minute' ? 16 : 19)
    .replace('T', ' ');
}

/** The instant a Beijing day starts (00:00 Beijing = 16:00 UTC the day before). */
export function beijingMidnight(day: string): Date {
  return new Date(Date.parse(`${day}T00:00:00Z`) - BEIJING_MS);
}

// ---- days --------------------------------------------------------------------------------------

export function addDays(day: string, n: number): string {
  return fromEpochDay(epochDay(day) + n);
}

/** Whole days from `from` to `to`; negative when `to` is earlier. */
export function daysBetween(from: string, to: string): number {
  return epochDay(to) - epochDay(from);
}

/** ISO day of the week: 1 = Monday … 7 = Sunday. */
export function weekday(day: string): number {
  const d = new Date(`${day}T00:00:00Z`).getUTCDay();
  return d === 0 ? 7 : d;
}

/** Adds calendar months, clamping to the month's last day (2026-08-31 + 6 → 2027-02-28). */
export function addMonths(day: string, months: number): string {
  const [y, m, d] = parts(day);
  const total = y * 12 + (m - 1) + months;
  const ny = Math.floor(total / 12);
  const nm = total - ny * 12 + 1;
  return ymd(ny, nm, Math.min(d, daysInMonth(`${ny}-${pad2(nm)}`)));
}

// ---- months ------------------------------------------------------------------------------------

export const monthOf = (day: string): string => day.slice(0, 7);

/** '2026-10' → '2026-11'. */
export function nextMonth(month: string): string {
  const [y, m] = parts(month);
  return m === 12 ? `${y + 1}-01` : `${y}-${pad2(m + 1)}`;
}

/** '2026-01' → '2025-12'. */
export function previousMonth(month: string): string {
  const [y, m] = parts(month);
  return m === 1 ? `${y - 1}-12` : `${y}-${pad2(m - 1)}`;
}

export const monthStart = (month: string): string => `${month}-01`;
/** First day of the following month: the exclusive end of a month's date range. */
export const nextMonthStart = (month: string): string => `${nextMonth(month)}-01`;

export function daysInMonth(month: string): number {
  const [y, m] = parts(month);
  return new Date(Date.UTC(y, m, 0)).getUTCDate();
}

export const monthEnd = (month: string): string => `${month}-${pad2(daysInMonth(month))}`;

/** True once the month is over in Beijing. */
export function monthEnded(month: string, now: Date): boolean {
  return beijingDay(now) >= nextMonthStart(month);
}

/** The months from `from` to `to`, both 'YYYY-MM' and included. */
export function monthsBetween(from: string, to: string): string[] {
  const out: string[] = [];
  for (let m = from; m <= to; m = nextMonth(m)) out.push(m);
  return out;
}

// ---- 旬 (ten-day periods) -------------------------------------------------------------------------

/** 上旬 days 1–10, 中旬 11–20, 下旬 21 to the month's end (8–11 days). */
export interface TenDayPeriod {
  month: string;
  index: 1 | 2 | 3;
  from: string;
  to: string;
  /** '2026年11月上旬' */
  label: string;
}

const TEN_DAY_NAMES = ['上旬', '中旬', '下旬'] as const;

export function tenDayPeriodOf(day: string): TenDayPeriod {
  const d = parts(day)[2];
  return tenDayPeriod(monthOf(day), d <= 10 ? 1 : d <= 20 ? 2 : 3);
}

export function tenDayPeriod(month: string, index: 1 | 2 | 3): TenDayPeriod {
  const [y, m] = parts(month);
  const from = `${month}-${pad2((index - 1) * 10 + 1)}`;
  const to = index === 3 ? monthEnd(month) : `${month}-${pad2(index * 10)}`;
  return { month, index, from, to, label: `${y}年${m}月${TEN_DAY_NAMES[index - 1]}` };
}

// ---- ISO weeks ---------------------------------------------------------------------------------

/** An ISO 8601 week: Monday to Sunday; week 1 holds the year's first Thursday. */
export interface IsoWeek {
  year: number;
  week: number;
  /** '2026-W49' */
  label: string;
  from: string;
  to: string;
}

export function isoWeekOf(day: string): IsoWeek {
  const monday = addDays(day, 1 - weekday(day));
  const thursday = addDays(monday, 3);
  const year = parts(thursday)[0];
  const week = Math.floor(daysBetween(`${year}-01-01`, thursday) / 7) + 1;
  return { year, week, label: `${year}-W${pad2(week)}`, from: monday, to: addDays(monday, 6) };
}

// ---- quarters ----------------------------------------------------------------------------------

export interface Quarter {
  year: number;
  quarter: 1 | 2 | 3 | 4;
  /** '2026-Q4' */
  label: string;
  from: string;
  to: string;
  months: [string, string, string];
}

/** The quarter of a day or a month. */
export function quarterOf(dayOrMonth: string): Quarter {
  const [y, m] = parts(dayOrMonth);
  const q = (Math.floor((m - 1) / 3) + 1) as 1 | 2 | 3 | 4;
  const first = `${y}-${pad2((q - 1) * 3 + 1)}`;
  const months: [string, string, string] = [first, nextMonth(first), nextMonth(nextMonth(first))];
  return { year: y, quarter: q, label: `${y}-Q${q}`, from: monthStart(first), to: monthEnd(months[2]), months };
}
