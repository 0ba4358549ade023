import type { Permission } from '../../../shared/access.js';
import type { ErrorCode } from '../../../shared/errors.js';
import type { PeriodState } from '../../db/schema/periods.js';
import { addDays, beijingDay, beijingMidnight, monthEnded, NO_HOLIDAYS, nextMonth, nthWorkingDay, previousMonth, type WorkCalendar } from '../../calendar/index.js';

/**
 * The life of a branch's month (SPEC §9, Art. 21), pure: which step follows which, who may take
 * it, and what must be true first. No database, no clock — `now` is always passed in.
 *
 *   draft ──publish──▶ published ──submit──▶ submitted ──audit──▶ audited ──approve──▶ locked
 *          committee office         committee office     compliance          chair / vice-chair
 *
 * Approval locks the month (SPEC §9.5 "after committee approval nothing in the period changes"),
 * so approved and locked are one state.
 */
export type PeriodAction = 'publish' | 'submit' | 'audit' | 'approve';

export const PERIOD_ACTIONS: readonly PeriodAction[] = ['publish', 'submit', 'audit', 'approve'];

export const TRANSITIONS: Record<PeriodAction, { from: PeriodState; to: PeriodState; permission: Permission }> = {
  publish: { from: 'draft', to: 'published', permission: 'period.publish' },
  submit: { from: 'published', to: 'submitted', permission: 'period.publish' },
  audit: { from: 'submitted', to: 'audited', permission: 'period.audit' },
  approve: { from: 'audited', to: 'locked', permission: 'period.approve' },
};

/** How the bank names the states and steps (console and messages). */
export const STATE_LABELS: Record<PeriodState, { zh: string; en: string }> = {
  draft: { zh: '草稿', en: 'draft' },
  published: { zh: '公示中', en: 'published' },
  submitted: { zh: '已提交委员会', en: 'submitted' },
  audited: { zh: '已审核', en: 'audited' },
  locked: { zh: '已审批锁定', en: 'approved and locked' },
};
export const ACTION_LABELS: Record<PeriodAction, { zh: string; en: string }> = {
  publish: { zh: '公示', en: 'publish' },
  submit: { zh: '提交委员会', en: 'submit' },
  audit: { zh: '完成审核', en: 'complete the audit' },
  approve: { zh: '审批锁定', en: 'approve' },
};

/** What a transition's preconditions read, gathered by the service. */
export interface TransitionFacts {
  state: PeriodState;
  /** First day of the month, 'YYYY-MM-01'. */
  period: string;
  now: Date;
  windowClosesAt: Date | null;
  /** Objections still unanswered. */
  openObjections: number;
  /** Live (not struck) sales of the month: a month without any needs no spot check. */
  sales: number;
  /** The spot check's counts, or null when none has been drawn. */
  spotCheck: { sampled: number; pending: number } | null;
}

export type TransitionVerdict = { ok: true; to: PeriodState } | { ok: false; code: ErrorCode };

/** Whether `action` may happen now, and the state it leads to. */
export function checkTransition(action: PeriodAction, f: TransitionFacts): TransitionVerdict {
  const t = TRANSITIONS[action];
  if (f.state !== t.from) return { ok: false, code: f.state === 'locked' ? 'PERIOD.LOCKED' : 'PERIOD.BAD_TRANSITION' };
  switch (action) {
    case 'publish':
      // 月初公示: the month must be over (in Beijing) before its statement is published.
      if (!monthEnded(monthOfPeriod(f.period), f.now)) return { ok: false, code: 'PERIOD.NOT_ENDED' };
      break;
    case 'submit':
      if (!windowClosed(f.windowClosesAt, f.now)) return { ok: false, code: 'PERIOD.WINDOW_OPEN' };
      if (f.openObjections > 0) return { ok: false, code: 'PERIOD.OPEN_OBJECTIONS' };
      break;
    case 'audit':
      if (f.sales > 0 && !f.spotCheck) return { ok: false, code: 'PERIOD.NO_SPOT_CHECK' };
      if (f.spotCheck && f.spotCheck.pending > 0) return { ok: false, code: 'PERIOD.SPOT_CHECK_PENDING' };
      break;
    case 'approve':
      break;
  }
  return { ok: true, to: t.to };
}

/** The actions the state allows next (whatever the caller's permissions). */
export function nextActions(state: PeriodState): PeriodAction[] {
  return PERIOD_ACTIONS.filter((a) => TRANSITIONS[a].from === state);
}

/** Objections are taken while published and until the window closes: `now > closesAt` refuses. */
export function objectionWindowOpen(state: PeriodState, windowClosesAt: Date | null, now: Date): boolean {
  return state === 'published' && windowClosesAt !== null && now.getTime() <= windowClosesAt.getTime();
}

export function windowClosed(windowClosesAt: Date | null, now: Date): boolean {
  return windowClosesAt !== null && now.getTime() > windowClosesAt.getTime();
}

// Days, months and working days come from server/calendar: one calendar for every module.

export const monthOfPeriod = (period: string): string => period.slice(0, 7);
export const periodOfMonth = (month: string): string => `${month}-01`;

/**
 * The day a month's statement is published (SPEC §9.2 "at the start of the next month"): the
 * `openDay`-th working day of the following month (1 = the first working day).
 */
export function publicationDay(month: string, openDay: number, cal: WorkCalendar = NO_HOLIDAYS): string {
  return nthWorkingDay(nextMonth(month), openDay, cal);
}

/**
 * The last instant objections are taken (SPEC §9.2 "for one week"): the end (23:59:59, Beijing)
 * of the `windowDays`-th day counting the publication day as the first.
 */
export function windowClosesAt(publishedAt: Date, windowDays: number): Date {
  const first = beijingDay(publishedAt);
  return new Date(beijingMidnight(addDays(first, Math.max(1, windowDays))).getTime() - 1000);
}

/**
 * Which month the publication job looks at on `now`, and whether its day has come: the previous
 * month, due on or after its publication day (a server that was down on the day catches up).
 */
export function publicationDue(now: Date, openDay: number, cal: WorkCalendar = NO_HOLIDAYS): { month: string; day: string; due: boolean } {
  const today = beijingDay(now);
  const month = previousMonth(today.slice(0, 7));
  const day = publicationDay(month, openDay, cal);
  return { month, day, due: today >= day };
}
