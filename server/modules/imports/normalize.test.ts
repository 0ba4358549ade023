import { describe, expect, it } from 'vitest';
import { cellText, excelSerialToDate, normCode, normHeader, normPhone, normText, parseAmountFen, parseBool, parseDate, parseInteger, scaleDecimal } from './normalize.js';

describe('text cells', () => {
  it('trims ordinary, full-width (U+3000) and non-breaking spaces; empty is null', () => {
    expect(cellText('  张三\u3000\u3000')).toBe('张三');
    expect(cellText('\u00a0李四\u00a0')).toBe('李四');
    expect(cellText('\u3000 ')).toBeNull();
    expect(cellText('')).toBeNull();
    expect(cellText(null)).toBeNull();
    expect(cellText(undefined)).toBeNull();
  });

  it('prints Excel numbers without exponent', () => {
    expect(cellText(13800138000)).toBe('13800138000');
    expect(cellText(12.5)).toBe('12.5');
  });

  it('makes codes half-width (NFKC) and removes blanks', () => {
    expect(normCode('ＦＳ００１２　')).toBe('FS0012');
    expect(normCode(' 4406 01 ')).toBe('440601');
    expect(normCode('\u3000')).toBeNull();
  });

  it('keeps CJK punctuation in names but makes ASCII letters and digits half-width', () => {
    expect(normText(' 佛山分行（营业部）\u3000')).toBe('佛山分行（营业部）');
    expect(normText('第１支行  Ａ座')).toBe('第1支行 A座');
  });

  it('normalises phone numbers', () => {
    expect(normPhone('１３８００１３８０００')).toBe('13800138000');
    expect(normPhone('138-0013-8000')).toBe('13800138000');
    expect(normPhone('+86 138 0013 8000')).toBe('13800138000');
    expect(normPhone(13800138000)).toBe('13800138000');
  });

  it('compares headers loosely', () => {
    expect(normHeader(' 工号* ')).toBe('工号');
    expect(normHeader('手机号（必填）')).toBe('手机号');
    expect(normHeader('Staff No.')).toBe('staffno.');
  });
});

describe('dates', () => {
  it.each([
    ['2026年10月12日', '2026-10-12'],
    ['2026年1月5日', '2026-01-05'],
    ['2026/10/12', '2026-10-12'],
    ['2026/1/2', '2026-01-02'],
    ['2026-10-12', '2026-10-12'],
    ['2026.10.12', '2026-10-12'],
    ['20261012', '2026-10-12'],
    ['２０２６－１０－１２', '2026-10-12'],
    ['2026-10-12 00:00:00', '2026-10-12'],
    [' 2026年10月12日 ', '2026-10-12'],
  ])('%s → %s', (input, out) => {
    expect(parseDate(input)).toBe(out);
  });

  it('reads Excel serial numbers in the 1900 system', () => {
    expect(excelSerialToDate(1)).toBe('1900-01-01');
    expect(excelSerialToDate(59)).toBe('1900-02-28');
    expect(excelSerialToDate(60)).toBeUndefined(); // Excel's fictitious 1900-02-29
    expect(excelSerialToDate(61)).toBe('1900-03-01');
    expect(excelSerialToDate(45292)).toBe('2024-01-01');
    expect(parseDate(46307)).toBe('2026-10-12');
    expect(parseDate(46307.75)).toBe('2026-10-12'); // a time of day is dropped
    expect(parseDate('46307')).toBe('2026-10-12');
    expect(parseDate(20261012)).toBe('2026-10-12');
  });

  it('reads Date cells by their UTC fields (exceljs stores the wall clock as UTC)', () => {
    expect(parseDate(new Date(Date.UTC(2026, 9, 12)))).toBe('2026-10-12');
    expect(parseDate(new Date(Date.UTC(2026, 9, 12, 23, 30)))).toBe('2026-10-12');
  });

  it('refuses impossible dates and noise; empty is null', () => {
    expect(parseDate('2026-02-30')).toBeUndefined();
    expect(parseDate('2026-13-01')).toBeUndefined();
    expect(parseDate('2025年2月29日')).toBeUndefined();
    expect(parseDate('2024年2月29日')).toBe('2024-02-29');
    expect(parseDate('明天')).toBeUndefined();
    expect(parseDate(new Date(Number.NaN))).toBeUndefined();
    expect(parseDate('')).toBeNull();
    expect(parseDate(null)).toBeNull();
  });
});

describe('numbers and amounts', () => {
  it('parses integers', () => {
    expect(parseInteger('1,234')).toBe(1234);
    expect(parseInteger('１２３')).toBe(123);
    expect(parseInteger(' -7 ')).toBe(-7);
    expect(parseInteger(42)).toBe(42);
    expect(parseInteger(4.2)).toBeUndefined();
    expect(parseInteger('4.2')).toBeUndefined();
    expect(parseInteger('abc')).toBeUndefined();
    expect(parseInteger('')).toBeNull();
  });

  it('scales decimals with string arithmetic', () => {
    expect(scaleDecimal('1234.56', 2)).toBe(123456);
    expect(scaleDecimal('0.1', 2)).toBe(10);
    expect(scaleDecimal('.5', 2)).toBe(50);
    expect(scaleDecimal('1.234', 2)).toBeUndefined();
    expect(scaleDecimal('1.230', 2)).toBe(123);
    expect(scaleDecimal('-0.01', 2)).toBe(-1);
    expect(scaleDecimal('.', 2)).toBeUndefined();
  });

  it('turns amounts in 元 and 万元 into integer 分 without binary floats', () => {
    expect(parseAmountFen('1,234.56')).toBe(123456);
    expect(parseAmountFen('1234.5万')).toBe(1_234_500_000);
    expect(parseAmountFen('1234.5万元')).toBe(1_234_500_000);
    expect(parseAmountFen('0.000001万')).toBe(1);
    expect(parseAmountFen('1.5亿')).toBe(15_000_000_000);
    expect(parseAmountFen('¥12元')).toBe(1200);
    expect(parseAmountFen('￥１２.３０')).toBe(1230);
    expect(parseAmountFen('(12.30)')).toBe(-1230);
    expect(parseAmountFen('-0.07')).toBe(-7);
    expect(parseAmountFen(0.1 + 0.2)).toBeUndefined(); // 0.30000000000000004 is not an amount
    expect(parseAmountFen(1234.56)).toBe(123456);
    expect(parseAmountFen(19.99)).toBe(1999); // 19.99 * 100 = 1998.9999999999998 in floats
    expect(parseAmountFen('1.234')).toBeUndefined();
    expect(parseAmountFen('万')).toBeUndefined();
    expect(parseAmountFen('12abc')).toBeUndefined();
    expect(parseAmountFen('  ')).toBeNull();
  });
});

describe('booleans', () => {
  it.each([
    ['是', true],
    ['否', false],
    ['Y', true],
    ['n', false],
    ['TRUE', true],
    ['0', false],
    ['Ｙ', true],
  ] as const)('%s → %s', (input, out) => {
    expect(parseBool(input)).toBe(out);
  });

  it('refuses anything else; empty is null', () => {
    expect(parseBool('也许')).toBeUndefined();
    expect(parseBool(true)).toBe(true);
    expect(parseBool('')).toBeNull();
  });
});
