import { describe, expect, it } from 'vitest';
import {
  describeRule,
  digestTitle,
  escalationLevel,
  evaluate,
  explainHit,
  formatBp,
  formatValue,
  isOverdue,
  mergeKey,
  nextEscalationDay,
  ruleProblems,
  stepsProblems,
  transition,
} from './warnings.rules.js';

const STEPS = [
  { level: 1, afterDays: 3, target: 'subbranch' as const },
  { level: 2, afterDays: 7, target: 'branch' as const },
];

describe('rule evaluation', () => {
  it('threshold: the operator decides whether exactly-at hits', () => {
    expect(evaluate({ kind: 'threshold', op: 'gte', threshold: 1, windowDays: null }, 1)).toBe(true);
    expect(evaluate({ kind: 'threshold', op: 'gte', threshold: 1, windowDays: null }, 0)).toBe(false);
    expect(evaluate({ kind: 'threshold', op: 'gt', threshold: 30, windowDays: null }, 30)).toBe(false);
    expect(evaluate({ kind: 'threshold', op: 'gt', threshold: 30, windowDays: null }, 31)).toBe(true);
    expect(evaluate({ kind: 'threshold', op: 'lt', threshold: 100, windowDays: null }, 99)).toBe(true);
    expect(evaluate({ kind: 'threshold', op: 'lte', threshold: 100, windowDays: null }, 101)).toBe(false);
  });

  it('change: basis points of the base, judged by cross-multiplication, exactly-at included for lte', () => {
    const drop50 = { kind: 'change' as const, op: 'lte' as const, threshold: -5000, windowDays: 30 };
    expect(evaluate(drop50, 50_000_00, 100_000_00)).toBe(true); // exactly −50 %
    expect(evaluate(drop50, 50_000_01, 100_000_00)).toBe(false); // −49.99999 %
    expect(evaluate(drop50, 10, 100)).toBe(true);
    expect(evaluate(drop50, 0, 1)).toBe(true);
    // no base, or a base of nothing: not a percentage
    expect(evaluate(drop50, 10, null)).toBeNull();
    expect(evaluate(drop50, 10, 0)).toBeNull();
    const up50 = { kind: 'change' as const, op: 'gte' as const, threshold: 5000, windowDays: 30 };
    expect(evaluate(up50, 150, 100)).toBe(true);
    expect(evaluate(up50, 149, 100)).toBe(false);
    // big money stays exact
    expect(evaluate(up50, 9_000_000_000_000_001n, 6_000_000_000_000_000n)).toBe(true);
  });

  it('boolean: any non-zero flag', () => {
    const b = { kind: 'boolean' as const, op: null, threshold: null, windowDays: null };
    expect(evaluate(b, 1)).toBe(true);
    expect(evaluate(b, 0)).toBe(false);
  });

  it('checks a configuration per kind', () => {
    expect(ruleProblems({ source: 'overdue_days', kind: 'threshold', op: 'gte', threshold: 1, windowDays: null })).toEqual([]);
    expect(ruleProblems({ source: 'overdue_days', kind: 'threshold', op: null, threshold: null, windowDays: null })).toEqual(['op', 'threshold']);
    expect(ruleProblems({ source: 'inflow_fen', kind: 'change', op: 'lte', threshold: -5000, windowDays: null })).toEqual(['windowDays']);
    expect(ruleProblems({ source: 'nope', kind: 'boolean', op: null, threshold: null, windowDays: null })).toEqual(['source']);
    expect(ruleProblems({ source: 'inflow_fen', kind: 'boolean', op: null, threshold: null, windowDays: null })).toEqual(['source']);
  });
});

describe('explanations', () => {
  it('formats money in 元, percentages from basis points', () => {
    expect(formatValue('fen', 123456789)).toBe('1,234,567.89元');
    expect(formatValue('fen', -5)).toBe('-0.05元');
    expect(formatValue('days', 31)).toBe('31天');
    expect(formatValue('flag', 1, 'en')).toBe('yes');
    expect(formatBp(-5000)).toBe('-50%');
    expect(formatBp(1250)).toBe('12.5%');
  });

  it('says the rule and why a hit fired', () => {
    expect(describeRule({ source: 'overdue_days', kind: 'threshold', op: 'gte', threshold: 1, windowDays: null }).zh).toBe('逾期天数大于等于1天');
    const rule = { source: 'inflow_fen', kind: 'change' as const, op: 'lte' as const, threshold: -5000, windowDays: 30 };
    expect(describeRule(rule).zh).toBe('账户资金流入（近30日）较30天前变动小于等于-50%');
    expect(explainHit(rule, { value: 40_000_00, baseValue: 100_000_00, baseDay: '2026-11-01' }).zh).toBe(
      '账户资金流入（近30日）由100,000.00元（2026-11-01）变为40,000.00元，变动-60%；规则：账户资金流入（近30日）较30天前变动小于等于-50%',
    );
  });
});

describe('merge, escalation and handling', () => {
  it('merges by client and indicator code', () => {
    expect(mergeKey(7, 'EW01')).toBe(mergeKey(7, 'EW01'));
    expect(mergeKey(7, 'EW01')).not.toBe(mergeKey(7, 'EW02'));
    expect(mergeKey(7, 'EW01')).not.toBe(mergeKey(8, 'EW01'));
  });

  it('escalates by days since first seen: 3 → sub-branch, 7 → branch', () => {
    expect(escalationLevel('2026-12-01', '2026-12-03', STEPS)).toBe(0);
    expect(escalationLevel('2026-12-01', '2026-12-04', STEPS)).toBe(1);
    expect(escalationLevel('2026-12-01', '2026-12-07', STEPS)).toBe(1);
    expect(escalationLevel('2026-12-01', '2026-12-08', STEPS)).toBe(2);
    expect(escalationLevel('2026-11-28', '2026-12-01', STEPS)).toBe(1); // across a month end
    expect(nextEscalationDay('2026-12-01', 0, STEPS)).toBe('2026-12-04');
    expect(nextEscalationDay('2026-12-01', 1, STEPS)).toBe('2026-12-08');
    expect(nextEscalationDay('2026-12-01', 2, STEPS)).toBeNull();
    expect(isOverdue('acknowledged', '2026-12-01', '2026-12-04', STEPS)).toBe(true);
    expect(isOverdue('closed', '2026-12-01', '2026-12-20', STEPS)).toBe(false);
    expect(isOverdue('open', '2026-12-01', '2026-12-03', STEPS)).toBe(false);
    expect(stepsProblems(STEPS)).toEqual([]);
    expect(stepsProblems([STEPS[0], { ...STEPS[1], afterDays: 3 }])).toEqual(['level 2']);
  });

  it('walks open → acknowledged → visited → closed', () => {
    const ctx = { escalationLevel: 0 };
    expect(transition('open', 'acknowledge', ctx)).toEqual({ status: 'acknowledged' });
    expect(transition('acknowledged', 'acknowledge', ctx)).toEqual({ error: 'WARNING.ALREADY' });
    expect(transition('acknowledged', 'close', ctx)).toEqual({ error: 'WARNING.NEEDS_VISIT' });
    expect(transition('acknowledged', 'visit', ctx)).toEqual({ status: 'visited' });
    expect(transition('visited', 'close', ctx)).toEqual({ status: 'closed' });
    expect(transition('closed', 'visit', ctx)).toEqual({ error: 'WARNING.CLOSED' });
    expect(transition('open', 'close', { escalationLevel: 1 })).toEqual({ status: 'closed' });
    expect(transition('open', 'escalate', { escalationLevel: 2 })).toEqual({ error: 'WARNING.TOP_LEVEL' });
    expect(transition('open', 'escalate', { escalationLevel: 1 })).toEqual({ status: 'open' });
  });

  it('writes one digest line', () => {
    expect(digestTitle({ fresh: 2, repeated: 1, open: 5 }).zh).toBe('贷后预警日报：新增2条，重复触发1条，待处理共5条');
  });
});
