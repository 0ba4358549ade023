import { describe, expect, it } from 'vitest';
import { beijingDay, isWorkingDay, monthEnded } from '../../calendar/index.js';
import { checkTransition, nextActions, objectionWindowOpen, publicationDay, publicationDue, type TransitionFacts, TRANSITIONS, windowClosesAt } from './periods.rules.js';

const facts = (o: Partial<TransitionFacts>): TransitionFacts => ({
  state: 'draft',
  period: '2026-10-01',
  now: new Date('2026-11-02T02:00:00Z'),
  windowClosesAt: null,
  openObjections: 0,
  sales: 3,
  spotCheck: null,
  ...o,
});

describe('the month’s state machine (SPEC §9)', () => {
  it('moves draft → published → submitted → audited → locked, one step at a time', () => {
    expect(nextActions('draft')).toEqual(['publish']);
    expect(nextActions('published')).toEqual(['submit']);
    expect(nextActions('submitted')).toEqual(['audit']);
    expect(nextActions('audited')).toEqual(['approve']);
    expect(nextActions('locked')).toEqual([]);
    expect(TRANSITIONS.approve.to).toBe('locked');
  });

  it('says who takes each step (data-driven permissions)', () => {
    expect(TRANSITIONS.publish.permission).toBe('period.publish');
    expect(TRANSITIONS.submit.permission).toBe('period.publish');
    expect(TRANSITIONS.audit.permission).toBe('period.audit');
    expect(TRANSITIONS.approve.permission).toBe('period.approve');
  });

  it('refuses a step from the wrong state; a locked month says so', () => {
    expect(checkTransition('approve', facts({ state: 'submitted' }))).toEqual({ ok: false, code: 'PERIOD.BAD_TRANSITION' });
    expect(checkTransition('publish', facts({ state: 'published' }))).toEqual({ ok: false, code: 'PERIOD.BAD_TRANSITION' });
    expect(checkTransition('approve', facts({ state: 'locked' }))).toEqual({ ok: false, code: 'PERIOD.LOCKED' });
  });

  it('publishes only a month that has ended in Beijing', () => {
    // 2026-10-31 23:30 Beijing = 15:30 UTC: October is not over yet.
    expect(checkTransition('publish', facts({ now: new Date('2026-10-31T15:30:00Z') }))).toEqual({ ok: false, code: 'PERIOD.NOT_ENDED' });
    // 2026-11-01 00:00 Beijing = 2026-10-31 16:00 UTC.
    expect(checkTransition('publish', facts({ now: new Date('2026-10-31T16:00:00Z') }))).toEqual({ ok: true, to: 'published' });
  });

  it('submits only after the window and with every objection answered', () => {
    const closes = new Date('2026-11-08T15:59:59Z');
    const base = { state: 'published' as const, windowClosesAt: closes };
    expect(checkTransition('submit', facts({ ...base, now: closes }))).toEqual({ ok: false, code: 'PERIOD.WINDOW_OPEN' });
    const after = new Date(closes.getTime() + 1000);
    expect(checkTransition('submit', facts({ ...base, now: after, openObjections: 1 }))).toEqual({ ok: false, code: 'PERIOD.OPEN_OBJECTIONS' });
    expect(checkTransition('submit', facts({ ...base, now: after }))).toEqual({ ok: true, to: 'submitted' });
  });

  it('audits only with a spot check drawn and fully checked (none needed for a month without sales)', () => {
    const s = { state: 'submitted' as const };
    expect(checkTransition('audit', facts({ ...s }))).toEqual({ ok: false, code: 'PERIOD.NO_SPOT_CHECK' });
    expect(checkTransition('audit', facts({ ...s, spotCheck: { sampled: 3, pending: 1 } }))).toEqual({ ok: false, code: 'PERIOD.SPOT_CHECK_PENDING' });
    expect(checkTransition('audit', facts({ ...s, spotCheck: { sampled: 3, pending: 0 } }))).toEqual({ ok: true, to: 'audited' });
    expect(checkTransition('audit', facts({ ...s, sales: 0 }))).toEqual({ ok: true, to: 'audited' });
  });

  it('takes objections while published, up to and including the closing instant', () => {
    const closes = new Date('2026-11-08T15:59:59Z');
    expect(objectionWindowOpen('published', closes, closes)).toBe(true);
    expect(objectionWindowOpen('published', closes, new Date(closes.getTime() + 1000))).toBe(false);
    expect(objectionWindowOpen('submitted', closes, new Date(closes.getTime() - 1000))).toBe(false);
    expect(objectionWindowOpen('draft', null, closes)).toBe(false);
  });
});

describe('publication calendar (Beijing, working days)', () => {
  it('reads the day in Beijing', () => {
    expect(beijingDay(new Date('2026-10-31T16:00:00Z'))).toBe('2026-11-01');
    expect(beijingDay(new Date('2026-10-31T15:59:59Z'))).toBe('2026-10-31');
    expect(monthEnded('2026-10', new Date('2026-10-31T16:00:00Z'))).toBe(true);
  });

  it('Monday to Friday are working days, less holidays, plus make-up days', () => {
    expect(isWorkingDay('2026-11-02')).toBe(true); // Monday
    expect(isWorkingDay('2026-11-01')).toBe(false); // Sunday
    const cal = { holidays: new Set(['2026-10-01']), workdays: new Set(['2026-10-10']) };
    expect(isWorkingDay('2026-10-01', cal)).toBe(false); // 国庆, a Thursday
    expect(isWorkingDay('2026-10-10', cal)).toBe(true); // 调休, a Saturday
  });

  it('publishes on the configured working day of the next month', () => {
    // November 2026 starts on a Sunday: the first working day is Monday the 2nd.
    expect(publicationDay('2026-10', 1)).toBe('2026-11-02');
    expect(publicationDay('2026-10', 3)).toBe('2026-11-04');
    // October 2026 starts on Thursday; with the National Day holidays (1–7) the first working day is the 8th.
    const golden = { holidays: new Set(['2026-10-01', '2026-10-02', '2026-10-05', '2026-10-06', '2026-10-07']), workdays: new Set<string>() };
    expect(publicationDay('2026-09', 1, golden)).toBe('2026-10-08');
    expect(publicationDay('2026-12', 1)).toBe('2027-01-01');
  });

  it('is due on and after that day, for the previous month', () => {
    expect(publicationDue(new Date('2026-11-01T12:00:00Z'), 1)).toEqual({ month: '2026-10', day: '2026-11-02', due: false });
    expect(publicationDue(new Date('2026-11-01T16:00:00Z'), 1)).toEqual({ month: '2026-10', day: '2026-11-02', due: true });
    expect(publicationDue(new Date('2026-11-25T08:00:00Z'), 1).due).toBe(true);
    expect(publicationDue(new Date('2027-01-05T08:00:00Z'), 1).month).toBe('2026-12');
  });

  it('closes the window at the end of the last day of the week, Beijing time', () => {
    // Published Monday 2026-11-02 10:00 Beijing; seven days are 2–8 November.
    const closes = windowClosesAt(new Date('2026-11-02T02:00:00Z'), 7);
    expect(closes.toISOString()).toBe('2026-11-08T15:59:59.000Z');
    expect(beijingDay(closes)).toBe('2026-11-08');
    expect(windowClosesAt(new Date('2026-11-02T02:00:00Z'), 1).toISOString()).toBe('2026-11-02T15:59:59.000Z');
  });
});
