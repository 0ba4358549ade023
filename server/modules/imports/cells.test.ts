import { describe, expect, it } from 'vitest';
import type { z } from 'zod';
import { idTextCell, usccCell, wanFenCell } from '../customers/import-cells.js';
import { amountFenCell, boolCell, CELL_INVALID, type CheckedCell, codeCell, dateCell, emailCell, enumCell, intCell, listCell, phoneCell, textCell } from './cells.js';
import type { CellRaw } from './normalize.js';

/** Cells of every shape a sheet hands over: text as typed, Excel numbers, booleans, dates. */
const RAWS: CellRaw[] = [
  'FS0101',
  ' ＦＳ０１０１ ',
  'a-b_c.d',
  '-ab',
  'x'.repeat(32),
  'x'.repeat(33),
  '张三',
  '佛山分行（营业部）',
  '中'.repeat(50),
  '中'.repeat(51),
  '13800138000',
  '+86 138-0013-8000',
  '12800138000',
  'Zhang.San@Example.COM',
  'no-at-sign',
  `${'a'.repeat(115)}@b.cn`,
  '1,234',
  '１２３',
  '1.5',
  '-7',
  '2147483648',
  '0',
  '1234.56',
  '1234.5万',
  '(12.30)',
  '¥12元',
  '1.234',
  '是',
  '否',
  'Y',
  'maybe',
  '在职',
  '停用',
  'active',
  '对公客户经理、普通员工',
  '，、',
  '2026年10月12日',
  '2026-02-30',
  '20261012',
  '91350100M000100Y43',
  '91350100M000100Y44',
  '440604199001011234',
  '   ',
  '\u3000',
  13800138000,
  0,
  -0,
  1,
  -5,
  1.5,
  1234.56,
  2 ** 53,
  1e21,
  46000,
  true,
  false,
  new Date(Date.UTC(2026, 9, 12)),
  new Date(Number.NaN),
];

const SCHEMAS: Record<string, CheckedCell<z.ZodType>> = {
  code: codeCell(),
  code8: codeCell(8),
  text50: textCell(50),
  phone: phoneCell(),
  email: emailCell(),
  int: intCell(),
  intPositive: intCell(1, 1_000_000),
  date: dateCell(),
  amount: amountFenCell(),
  bool: boolCell(),
  status: enumCell({ 在职: 'active', 停用: 'inactive', active: 'active' }),
  list: listCell(),
  uscc: usccCell(),
  idText: idTextCell(),
  wanFen: wanFenCell(),
};

describe('cell checks without zod', () => {
  it.each(Object.keys(SCHEMAS))('%s: the plain check gives what safeParse gives, for every kind of cell', (name) => {
    const schema = SCHEMAS[name];
    expect(schema.cellCheck).toBeTypeOf('function');
    let accepted = 0;
    for (const raw of RAWS) {
      const res = schema.safeParse(raw);
      const got = schema.cellCheck!(raw);
      expect({ raw, ok: got !== CELL_INVALID, value: got === CELL_INVALID ? undefined : got }).toEqual({ raw, ok: res.success, value: res.success ? res.data : undefined });
      if (res.success) accepted++;
    }
    // Each schema accepts some cells and refuses others: the comparison covers both answers.
    expect(accepted).toBeGreaterThan(0);
    expect(accepted).toBeLessThan(RAWS.length);
  });
});
