import { addDays, addWorkingDays, beijingMidnight, isoWeekOf, monthEnd, monthOf, quarterOf, tenDayPeriodOf, type WorkCalendar } from '../../calendar/index.js';

/**
 * When a report (通报) is due (SPEC §13, seed 004 section 三; issue 16). Pure: no clock, no database.
 *
 * A cadence cuts the calendar into periods; an issue covers one period and is due a number of
 * working days after the period ends, at a Beijing time of day. Periods, by cadence:
 * - daily: one calendar day (a daily report covers every day, weekends included — sales happen on
 *   Saturdays — but is due on working days: the day's issue is due at the due time of the first
 *   working day after it, so Friday, Saturday and Sunday are all due Monday 10:00);
 * - weekly: ISO week, Monday to Sunday; ten_day: 旬 (days 1–10, 11–20, 21 to the month's end);
 * - monthly; quarterly;
 * - twice_quarterly (两次/季): the quarter's first half is its first month and the first 15 days of
 *   its second; the second half is the rest;
 * - ad_hoc (不定期): no periods; an issue is made by hand for a stated span.
 */
export const CADENCES = ['daily', 'weekly', 'ten_day', 'monthly', 'quarterly', 'twice_quarterly', 'ad_hoc'] as const;
export type Cadence = (typeof CADENCES)[number];

export const CADENCE_LABELS: Record<Cadence, { zh: string; en: string }> = {
  daily: { zh: '日', en: 'Daily' },
  weekly: { zh: '周', en: 'Weekly' },
  ten_day: { zh: '旬', en: 'Ten-day' },
  monthly: { zh: '月', en: 'Monthly' },
  quarterly: { zh: '季', en: 'Quarterly' },
  twice_quarterly: { zh: '两次/季', en: 'Twice a quarter' },
  ad_hoc: { zh: '不定期', en: 'Ad hoc' },
};

export interface ReportPeriod {
  cadence: Exclude<Cadence, 'ad_hoc'>;
  /** A stable key: '2026-12-04', '2026-W49', '2026-12-T1', '2026-12', '2026-Q4', '2026-Q4-H1'. */
  key: string;
  from: string;
  to: string;
  /** As a Chinese bank writes it: '2026年12月4日', '2026年第49周', '2026年12月上旬', '2026年4季度上半季' … */
  label: string;
}

/** When an issue is due: `afterWorkingDays` working days after the period's last day, at `time` (Beijing). */
export interface DueRule {
  afterWorkingDays: number;
  time: string;
}

const [Y, M, D] = [0, 1, 2];
const num = (day: string, i: number) => Number(day.split('-')[i]);

/** The period of a cadence that holds a day. */
export function periodOf(cadence: Exclude<Cadence, 'ad_hoc'>, day: string): ReportPeriod {
  switch (cadence) {
    case 'daily':
      return { cadence, key: day, from: day, to: day, label: `${num(day, Y)}年${num(day, M)}月${num(day, D)}日` };
    case 'weekly': {
      const w = isoWeekOf(day);
      return { cadence, key: w.label, from: w.from, to: w.to, label: `${w.year}年第${w.week}周` };
    }
    case 'ten_day': {
      const t = tenDayPeriodOf(day);
      return { cadence, key: `${t.month}-T${t.index}`, from: t.from, to: t.to, label: t.label };
    }
    case 'monthly': {
      const m = monthOf(day);
      return { cadence, key: m, from: `${m}-01`, to: monthEnd(m), label: `${num(m, Y)}年${num(m, M)}月` };
    }
    case 'quarterly': {
      const q = quarterOf(day);
      return { cadence, key: q.label, from: q.from, to: q.to, label: `${q.year}年${q.quarter}季度` };
    }
    case 'twice_quarterly': {
      const q = quarterOf(day);
      const split = `${q.months[1]}-15`;
      const first = day <= split;
      return {
        cadence,
        key: `${q.label}-H${first ? 1 : 2}`,
        from: first ? q.from : addDays(split, 1),
        to: first ? split : q.to,
        label: `${q.year}年${q.quarter}季度${first ? '上半季' : '下半季'}`,
      };
    }
  }
}

/** The period before one (the one an issue produced today usually covers). */
export const previousPeriod = (p: ReportPeriod): ReportPeriod => periodOf(p.cadence, addDays(p.from, -1));

/** The period after one. */
export const nextPeriod = (p: ReportPeriod): ReportPeriod => periodOf(p.cadence, addDays(p.to, 1));

/** The Beijing day an issue of the period is due: N working days after its last day (0: the last day itself if it is a working day, else the next). */
export const dueDay = (p: ReportPeriod, rule: DueRule, cal: WorkCalendar): string => addWorkingDays(p.to, rule.afterWorkingDays, cal);

/** The instant an issue of the period is due. */
export function dueAt(p: ReportPeriod, rule: DueRule, cal: WorkCalendar): Date {
  const [h, m] = rule.time.split(':').map(Number);
  return new Date(beijingMidnight(dueDay(p, rule, cal)).getTime() + (h * 60 + m) * 60_000);
}

/** 按时 / 逾期 / 缺报 — on time, late, or (nothing produced and the due time passed) missing; pending before it. */
export type IssueTimeliness = 'on_time' | 'late' | 'missing' | 'pending';

export function timeliness(due: Date, producedAt: Date | null, now: Date): IssueTimeliness {
  if (producedAt) return producedAt.getTime() <= due.getTime() ? 'on_time' : 'late';
  return now.getTime() > due.getTime() ? 'missing' : 'pending';
}

/**
 * The periods whose issues should exist by `now`: every period that has ended (its last day is
 * before today, Beijing) from the one holding `since` on, oldest first. The scheduler produces
 * each one that has no issue yet; it does not wait for the due time (an issue is ready as soon as
 * the period's data are — the due time only says when it is late).
 */
export function endedPeriods(cadence: Exclude<Cadence, 'ad_hoc'>, since: string, today: string, limit = 400): ReportPeriod[] {
  const out: ReportPeriod[] = [];
  for (let p = periodOf(cadence, since); p.to < today && out.length < limit; p = nextPeriod(p)) out.push(p);
  return out;
}
