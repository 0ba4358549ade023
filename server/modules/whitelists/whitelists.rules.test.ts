import { describe, expect, it } from 'vitest';
import { checkEntry, checkTransition, fenToWanYuan, idKindOf, maskIdNo, maskName, maskPhone, statusAfter } from './whitelists.rules.js';

describe('status transitions', () => {
  it('moves forward, may skip steps, never backwards', () => {
    expect(checkTransition('not_contacted', 'contacted', null)).toBeNull();
    expect(checkTransition('not_contacted', 'drawn', null)).toBeNull();
    expect(checkTransition('applied', 'interested', null)).toBe('backwards');
    expect(checkTransition('contacted', 'not_contacted', null)).toBe('not_contacted_target');
    expect(checkTransition('contacted', 'contacted', null)).toBeNull();
  });
  it('drawn is final; refusal needs a reason and may be reopened', () => {
    expect(checkTransition('drawn', 'refused', 'x')).toBe('drawn_is_final');
    expect(checkTransition('drawn', 'drawn', null)).toBeNull();
    expect(checkTransition('interested', 'refused', '  ')).toBe('reason_required');
    expect(checkTransition('interested', 'refused', '暂无资金需求')).toBeNull();
    expect(checkTransition('refused', 'interested', null)).toBeNull();
  });
  it('an outcome implies a status, never moving back', () => {
    expect(statusAfter('not_contacted', 'no_answer')).toBe('contacted');
    expect(statusAfter('interested', 'suspected_fraud')).toBe('interested');
    expect(statusAfter('contacted', 'not_interested')).toBe('refused');
    expect(statusAfter('interested', 'applied')).toBe('applied');
  });
});

describe('masking', () => {
  it('masks names, phones and identifiers', () => {
    expect(maskName('张三', 'id_card')).toBe('张*');
    expect(maskName('欧阳小明', 'id_card')).toBe('欧***');
    expect(maskName('佛山市禅城区顺达五金商行', 'uscc')).toBe('佛山******五金商行');
    expect(maskPhone('13812345678')).toBe('138****5678');
    expect(maskIdNo('440604199001011234')).toBe('4406**********1234');
  });
  it('formats fen as 万元 with integer arithmetic', () => {
    expect(fenToWanYuan(30_000_000)).toBe('30.00');
    expect(fenToWanYuan(12_345_600)).toBe('12.35');
    expect(fenToWanYuan(4_999)).toBe('0.00');
  });
});

describe('checkEntry', () => {
  const ok = { clientName: '顺达五金', idNo: 'X', amountFen: 100, expiresOn: '2027-01-01' };
  it('names each bad field', () => {
    expect(checkEntry(ok, '2026-12-07', 'uscc')).toEqual([]);
    const p = checkEntry({ ...ok, amountFen: 0, expiresOn: '2026-12-06' }, '2026-12-07', null).map((x) => x.field);
    expect(p).toEqual(['idNo', 'amountFen', 'expiresOn']);
    expect(checkEntry({ ...ok, amountFen: 1_000_000_001 }, '2026-12-07', 'uscc')[0].field).toBe('amountFen');
  });
  it('tells a person from a company by the valid check', () => {
    expect(
      idKindOf(
        'A',
        (s) => s === 'A',
        () => true,
      ),
    ).toBe('id_card');
    expect(
      idKindOf(
        'B',
        () => false,
        () => true,
      ),
    ).toBe('uscc');
    expect(
      idKindOf(
        'C',
        () => false,
        () => false,
      ),
    ).toBeNull();
  });
});
