import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { clientFacts, parseFacts } from './facts.js';
import { idCheckChar, isValidUscc, makeIdNumber, maskIdNumber, maskPhoneNumber, parseIdNumber, usccCheckChar } from './ids.rules.js';

const TODAY = '2026-11-22';

describe('统一社会信用代码 GB 32100-2015', () => {
  it('accepts the standard’s sample and correctly computed codes', () => {
    expect(isValidUscc('91350100M000100Y43')).toBe(true);
    expect(usccCheckChar('91350100M000100Y4')).toBe('3');
    // Lower case and blanks are normalised.
    expect(isValidUscc(' 91350100m000100y43 ')).toBe(true);
    const body = '91440606MA4UJ5X8A';
    expect(isValidUscc(body + usccCheckChar(body))).toBe(true);
  });

  it('refuses a wrong check character, a wrong length and letters outside the charset', () => {
    expect(isValidUscc('91350100M000100Y44')).toBe(false);
    expect(isValidUscc('91350100M000100Y4')).toBe(false);
    expect(isValidUscc('91350100M000100Y433')).toBe(false);
    // I, O, S, V, Z are not in the charset.
    expect(isValidUscc('91350100I000100Y43')).toBe(false);
    expect(isValidUscc('91350100O000100Y43')).toBe(false);
  });

  it('a check character of 31 maps to 0, and changing any one character breaks the code', () => {
    const charset = '0123456789ABCDEFGHJKLMNPQRTUWXY';
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 0, max: 30 }), { minLength: 17, maxLength: 17 }), fc.integer({ min: 0, max: 16 }), fc.integer({ min: 1, max: 30 }), (vals, pos, delta) => {
        const body = vals.map((v) => charset[v]).join('');
        const code = body + usccCheckChar(body)!;
        expect(isValidUscc(code)).toBe(true);
        const changed = body.slice(0, pos) + charset[(vals[pos] + delta) % 31] + body.slice(pos + 1);
        expect(isValidUscc(changed + code[17])).toBe(false);
      }),
    );
  });
});

describe('居民身份证号码 GB 11643-1999', () => {
  it('accepts the standard’s sample and derives gender and birth date', () => {
    // The example of GB 11643-1999 §8: 11010519491231002X.
    const r = parseIdNumber('11010519491231002X', TODAY);
    expect(r).toEqual({ ok: true, info: { idNumber: '11010519491231002X', birthDate: '1949-12-31', gender: 'F', regionCode: '110105' } });
    const m = parseIdNumber('440524188001010014', TODAY);
    expect(m.ok && m.info.gender).toBe('M');
    expect(idCheckChar('44052418800101001')).toBe('4');
  });

  it('accepts a lower-case x and normalises it', () => {
    const r = parseIdNumber('11010519491231002x', TODAY);
    expect(r.ok && r.info.idNumber).toBe('11010519491231002X');
  });

  it('names the problem: checksum, birth date (impossible or future), region, format', () => {
    expect(parseIdNumber('110105194912310021', TODAY)).toEqual({ ok: false, problem: 'checksum' });
    expect(parseIdNumber(makeIdNumber('440606', '1990-02-30', 12), TODAY)).toEqual({ ok: false, problem: 'birth_date' });
    expect(parseIdNumber(makeIdNumber('440606', '2027-01-01', 12), TODAY)).toEqual({ ok: false, problem: 'birth_date' });
    expect(parseIdNumber(makeIdNumber('000606', '1990-01-01', 12), TODAY)).toEqual({ ok: false, problem: 'region' });
    expect(parseIdNumber('44060619900101', TODAY)).toEqual({ ok: false, problem: 'format' });
    expect(parseIdNumber('4406061990010101AX', TODAY)).toEqual({ ok: false, problem: 'format' });
    // 29 February only in leap years.
    expect(parseIdNumber(makeIdNumber('440606', '2000-02-29', 1), TODAY).ok).toBe(true);
    expect(parseIdNumber(makeIdNumber('440606', '1900-02-29', 1), TODAY).ok).toBe(false);
  });

  it('every generated number is valid and any single-digit change is caught', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 999 }), fc.integer({ min: 0, max: 16 }), fc.integer({ min: 1, max: 9 }), (seq, pos, delta) => {
        const id = makeIdNumber('440606', '1985-06-15', seq);
        expect(parseIdNumber(id, TODAY).ok).toBe(true);
        const digit = (Number(id[pos]) + delta) % 10;
        const changed = id.slice(0, pos) + digit + id.slice(pos + 1);
        const r = parseIdNumber(changed, TODAY);
        expect(r.ok).toBe(false);
      }),
    );
  });
});

describe('masking', () => {
  it('shows the first and last four of an ID number and 3+4 of a phone', () => {
    expect(maskIdNumber('440106199001011234')).toBe('4401**********1234');
    expect(maskPhoneNumber('13812345678')).toBe('138****5678');
    expect(maskIdNumber(null)).toBeNull();
    expect(maskPhoneNumber('123')).toBe('***');
  });
});

describe('facts catalogue', () => {
  it('validates facts and flattens a client for the criteria', () => {
    expect(parseFacts({ listedQuality: true, adminLevel: 'city', hotelStars: 4 }).ok).toBe(true);
    expect(parseFacts({ hotelStars: 6 }).ok).toBe(false);
    expect(parseFacts({ noSuchFact: 1 }).ok).toBe(false);
    const flat = clientFacts({
      id: 1,
      uscc: 'x',
      name: 'n',
      typeCode: 'enterprise',
      industryCode: 'C',
      nodeId: 11,
      departmentId: null,
      creditLineFen: 10_000_000_000,
      loanBalanceFen: null,
      annualSalesFen: null,
      provincialTaxRank: 12,
      listed: true,
      facts: { listedQuality: true, hotelStars: 'bad' },
    });
    expect(flat.listedQuality).toBe(true);
    expect(flat.hotelStars).toBeNull();
    expect(flat.scenicRating).toBeNull();
    expect(flat.creditLineFen).toBe(10_000_000_000);
  });
});
