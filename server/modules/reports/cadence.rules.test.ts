import { describe, expect, it } from 'vitest';
import { workCalendar } from '../../calendar/index.js';
import { REPORT_CATALOGUE } from './catalogue.js';
import { dueAt, dueDay, endedPeriods, nextPeriod, periodOf, previousPeriod, timeliness } from './cadence.rules.js';

// A National Day week as the holiday setting would hold it: 10-01..10-07 off, Saturday 10-10 worked.
const cal = workCalendar(['2026-10-01', '2026-10-02', '2026-10-05', '2026-10-06', '2026-10-07'], ['2026-10-10']);

describe('seed 004’s catalogue', () => {
  it('holds the 41 briefings with the seed’s cadences: 8 daily, 5 weekly, 2 旬, 12 monthly, 11 quarterly, 1 twice a quarter, 2 ad hoc', () => {
    expect(REPORT_CATALOGUE).toHaveLength(41);
    const by = (c: string) => REPORT_CATALOGUE.filter((r) => r.cadence === c).length;
    expect([by('daily'), by('weekly'), by('ten_day'), by('monthly'), by('quarterly'), by('twice_quarterly'), by('ad_hoc')]).toEqual([8, 5, 2, 12, 11, 1, 2]);
    expect(new Set(REPORT_CATALOGUE.map((r) => r.code)).size).toBe(41);
    expect(new Set(REPORT_CATALOGUE.map((r) => r.nameZh)).size).toBe(41);
    expect(REPORT_CATALOGUE.filter((r) => r.cadence !== 'ad_hoc' && !r.due)).toEqual([]);
    expect(REPORT_CATALOGUE.find((r) => r.nameZh === '地区同业四行个人存款通报表')).toMatchObject({ cadence: 'ten_day', source: { kind: 'feed' } });
  });
});

describe('periods', () => {
  it('cuts days, ISO weeks, 旬, months, quarters and half-quarters as a Chinese bank writes them', () => {
    expect(periodOf('daily', '2026-12-04')).toMatchObject({ key: '2026-12-04', label: '2026年12月4日' });
    expect(periodOf('weekly', '2026-12-04')).toMatchObject({ key: '2026-W49', from: '2026-11-30', to: '2026-12-06', label: '2026年第49周' });
    expect(periodOf('ten_day', '2026-02-25')).toMatchObject({ key: '2026-02-T3', from: '2026-02-21', to: '2026-02-28', label: '2026年2月下旬' });
    expect(periodOf('ten_day', '2026-12-10')).toMatchObject({ key: '2026-12-T1', to: '2026-12-10' });
    expect(periodOf('monthly', '2026-12-31')).toMatchObject({ key: '2026-12', from: '2026-12-01', to: '2026-12-31', label: '2026年12月' });
    expect(periodOf('quarterly', '2026-11-15')).toMatchObject({ key: '2026-Q4', from: '2026-10-01', to: '2026-12-31', label: '2026年4季度' });
    expect(periodOf('twice_quarterly', '2026-11-15')).toMatchObject({ key: '2026-Q4-H1', from: '2026-10-01', to: '2026-11-15', label: '2026年4季度上半季' });
    expect(periodOf('twice_quarterly', '2026-11-16')).toMatchObject({ key: '2026-Q4-H2', from: '2026-11-16', to: '2026-12-31' });
  });

  it('steps back and forward across year ends', () => {
    expect(previousPeriod(periodOf('weekly', '2027-01-01')).key).toBe('2026-W52');
    expect(nextPeriod(periodOf('quarterly', '2026-12-01')).key).toBe('2027-Q1');
    expect(nextPeriod(periodOf('twice_quarterly', '2026-12-01')).key).toBe('2027-Q1-H1');
    expect(previousPeriod(periodOf('ten_day', '2027-01-05')).key).toBe('2026-12-T3');
  });

  it('lists the ended periods to produce, oldest first, not the running one', () => {
    expect(endedPeriods('ten_day', '2026-11-01', '2026-12-04').map((p) => p.key)).toEqual(['2026-11-T1', '2026-11-T2', '2026-11-T3']);
    expect(endedPeriods('daily', '2026-12-01', '2026-12-04').map((p) => p.key)).toEqual(['2026-12-01', '2026-12-02', '2026-12-03']);
    expect(endedPeriods('monthly', '2026-12-01', '2026-12-31')).toEqual([]);
  });
});

describe('due times on the working-day calendar', () => {
  it('a daily issue is due 10:00 Beijing on the next working day: Friday, Saturday and Sunday all on Monday', () => {
    const rule = { afterWorkingDays: 1, time: '10:00' };
    expect(dueDay(periodOf('daily', '2026-12-04'), rule, cal)).toBe('2026-12-07');
    expect(dueDay(periodOf('daily', '2026-12-05'), rule, cal)).toBe('2026-12-07');
    expect(dueAt(periodOf('daily', '2026-12-06'), rule, cal).toISOString()).toBe('2026-12-07T02:00:00.000Z');
  });

  it('skips the holiday and counts the worked Saturday', () => {
    const rule = { afterWorkingDays: 1, time: '10:00' };
    expect(dueDay(periodOf('daily', '2026-09-30'), rule, cal)).toBe('2026-10-08');
    expect(dueDay(periodOf('daily', '2026-10-09'), rule, cal)).toBe('2026-10-10');
    // September's monthly issue, three working days after the 30th: 10-08, 10-09, 10-10.
    expect(dueDay(periodOf('monthly', '2026-09-15'), { afterWorkingDays: 3, time: '17:00' }, cal)).toBe('2026-10-10');
  });

  it('says on time, late, missing or pending', () => {
    const due = new Date('2026-12-07T02:00:00Z');
    expect(timeliness(due, new Date('2026-12-07T02:00:00Z'), new Date('2026-12-08T00:00:00Z'))).toBe('on_time');
    expect(timeliness(due, new Date('2026-12-07T02:00:01Z'), new Date('2026-12-08T00:00:00Z'))).toBe('late');
    expect(timeliness(due, null, new Date('2026-12-07T02:00:01Z'))).toBe('missing');
    expect(timeliness(due, null, new Date('2026-12-07T01:59:59Z'))).toBe('pending');
  });
});
