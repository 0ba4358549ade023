import { describe, expect, it } from 'vitest';
import {
  adjustPlan,
  coverageBp,
  DEFAULT_STEPS,
  divide,
  formatBp,
  formatPercent,
  lastEndedWeek,
  stepScoreBp,
  stepsProblem,
  submissionDue,
  submissionStatus,
  underThreshold,
  weekEndOf,
  weightedScoreBp,
} from './coverage.rules.js';

describe('integer division with a stated rounding', () => {
  it('half up, up and down', () => {
    expect(divide(5, 2)).toBe(3);
    expect(divide(7, 3)).toBe(2);
    expect(divide(7, 3, 'up')).toBe(3);
    expect(divide(8, 3, 'down')).toBe(2);
    expect(divide(9, 3, 'up')).toBe(3);
    expect(() => divide(1, 0)).toThrow(RangeError);
  });
  it('stays exact beyond 2^53 (BigInt)', () => {
    expect(divide(2n ** 60n + 1n, 2n ** 60n)).toBe(1);
  });
});

describe('coverage (覆盖率) in basis points', () => {
  it('signed ÷ institutions, half up to a whole basis point', () => {
    expect(coverageBp(2, 3)).toBe(6667);
    expect(coverageBp(1, 3)).toBe(3333);
    expect(coverageBp(115, 172)).toBe(6686);
    expect(coverageBp(0, 5)).toBe(0);
    expect(coverageBp(0, 0)).toBeNull();
  });
  it('the briefing prints whole percents (67 %), the tables two decimals', () => {
    expect(formatPercent(6686)).toBe('67%');
    expect(formatBp(6686)).toBe('66.86%');
    expect(formatBp(6000)).toBe('60.00%');
    expect(formatBp(5)).toBe('0.05%');
    expect(formatBp(null)).toBe('—');
  });
});

describe('the supervision flag: strictly under the threshold', () => {
  it('exactly 60 % is not flagged; just under is', () => {
    expect(underThreshold(3, 5, 6000)).toBe(false);
    expect(underThreshold(6, 10, 6000)).toBe(false);
    expect(underThreshold(2, 5, 6000)).toBe(true);
    expect(underThreshold(5, 9, 6000)).toBe(true);
  });
  it('compares the exact ratio, not the rounded figure: 59.995 % shows 60.00 % and is flagged', () => {
    expect(coverageBp(11999, 20000)).toBe(6000);
    expect(underThreshold(11999, 20000, 6000)).toBe(true);
  });
  it('no institutions, no flag; the threshold is a parameter', () => {
    expect(underThreshold(0, 0, 6000)).toBe(false);
    expect(underThreshold(7, 10, 8000)).toBe(true);
  });
});

describe('assessment caliber (框架 70 % / 产品 30 %)', () => {
  const c = { frameworkBp: 7000, productBp: 3000 };
  it('(framework × 7000 + product × 3000) ÷ plan', () => {
    expect(weightedScoreBp(10, 10, 10, c)).toBe(10000);
    expect(weightedScoreBp(6, 2, 10, c)).toBe(4800);
    expect(weightedScoreBp(1, 0, 3, c)).toBe(2333);
    expect(weightedScoreBp(0, 1, 3, c)).toBe(1000);
    expect(weightedScoreBp(12, 12, 10, c)).toBe(12000);
    expect(weightedScoreBp(1, 1, 0, c)).toBeNull();
  });
});

describe('steps for branches without a coverage plan', () => {
  it('default: one signing = 60 %, two = 100 %', () => {
    expect(stepScoreBp(0, DEFAULT_STEPS)).toBe(0);
    expect(stepScoreBp(1, DEFAULT_STEPS)).toBe(6000);
    expect(stepScoreBp(2, DEFAULT_STEPS)).toBe(10000);
    expect(stepScoreBp(5, DEFAULT_STEPS)).toBe(10000);
  });
  it('steps must rise', () => {
    expect(stepsProblem(DEFAULT_STEPS)).toBeNull();
    expect(stepsProblem([])).not.toBeNull();
    expect(
      stepsProblem([
        { signings: 2, bp: 6000 },
        { signings: 1, bp: 10000 },
      ]),
    ).not.toBeNull();
    expect(stepsProblem([{ signings: 1, bp: 12000 }])).not.toBeNull();
  });
});

describe('plan adjustment (计划调整)', () => {
  it('150 ÷ 100 × 10 = 15', () => {
    expect(adjustPlan(150, 100, 10)).toBe(15);
  });
  it('rounds once, as chosen: 150 ÷ 100 × 7 = 10.5', () => {
    expect(adjustPlan(150, 100, 7)).toBe(11);
    expect(adjustPlan(150, 100, 7, 'down')).toBe(10);
    expect(adjustPlan(149, 100, 7, 'up')).toBe(11);
    expect(adjustPlan(149, 100, 7, 'half_up')).toBe(10);
    expect(() => adjustPlan(150, 0, 7)).toThrow(RangeError);
  });
});

describe('weeks end on Sunday (Beijing days)', () => {
  it('the week of a day, and the last one ended', () => {
    expect(weekEndOf('2026-12-02')).toBe('2026-12-06');
    expect(weekEndOf('2026-12-06')).toBe('2026-12-06');
    expect(lastEndedWeek('2026-12-07')).toBe('2026-12-06');
    expect(lastEndedWeek('2026-12-06')).toBe('2026-11-29');
  });
  it('a flagged branch submits for the next week, due Friday 17:00 by default', () => {
    expect(submissionDue('2026-11-29', 5, 17)).toEqual({ day: '2026-12-04', hour: 17, weekEnd: '2026-12-06' });
  });
  it('on time up to the due instant, then late; missing once past due unsent', () => {
    const due = new Date('2026-12-04T09:00:00Z');
    expect(submissionStatus(due, new Date('2026-12-04T09:00:00Z'), due)).toBe('on_time');
    expect(submissionStatus(due, new Date('2026-12-04T09:00:01Z'), due)).toBe('late');
    expect(submissionStatus(due, null, new Date('2026-12-04T08:00:00Z'))).toBe('pending');
    expect(submissionStatus(due, null, new Date('2026-12-04T09:00:01Z'))).toBe('missing');
  });
});
