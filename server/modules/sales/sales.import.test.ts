import { describe, expect, it } from 'vitest';
import { CELL_INVALID, type CheckedCell } from '../imports/cells.js';
import type { CellRaw } from '../imports/normalize.js';
import { clock, useTestClock } from '../../calendar/index.js';
import { salesSpec, todayInBeijing } from './sales.import.js';

/** Cells a sales sheet hands over, good and bad for every column: text as typed, Excel numbers, dates. */
const RAWS: CellRaw[] = [
  'FS202611010001',
  ' ＦＳ２０２６ ',
  'fs-2026_11.01:7/3',
  '-FS1',
  '流水1',
  'A'.repeat(64),
  'A'.repeat(65),
  'FS 2026 0001',
  'CREDIT',
  'credit',
  'B-WM',
  '440604199001011234',
  '44060419900101123x',
  '4406041990010112345',
  '91350100M000100Y43',
  '91350100m000100y43',
  '9135-0100',
  'x'.repeat(18),
  'x'.repeat(19),
  '1',
  '0',
  '-1',
  '1.5',
  '1.23456',
  '0.0001',
  '0.00001',
  '1,000',
  '１２．５',
  '100000000',
  '100000000.0001',
  '1e3',
  'abc',
  '2026-11-02',
  '2026/11/2',
  '2026-02-30',
  'CORP:60,INST:40',
  '44110023@PF:营销:50',
  '   ',
  '\u3000',
  '',
  1,
  0,
  -3,
  2.5,
  0.00001,
  1e9,
  2 ** 53,
  44060419900101,
  new Date(Date.UTC(2026, 10, 2)),
];

describe('sales template cells without zod', () => {
  const columns = salesSpec.columns.map((c) => [c.key, c.schema as CheckedCell] as const);

  it('every column of the sales template has its plain check (parseCells never falls back to zod)', () => {
    for (const [key, schema] of columns) expect({ key, twin: typeof schema.cellCheck }).toEqual({ key, twin: 'function' });
  });

  it.each(columns.map(([key]) => key))('%s: the plain check gives what safeParse gives, for every kind of cell', (key) => {
    const schema = columns.find(([k]) => k === key)![1];
    let accepted = 0;
    for (const raw of RAWS) {
      const res = schema.safeParse(raw);
      const got = schema.cellCheck!(raw);
      expect({ raw, ok: got !== CELL_INVALID, value: got === CELL_INVALID ? undefined : got }).toEqual({ raw, ok: res.success, value: res.success ? res.data : undefined });
      if (res.success) accepted++;
    }
    expect(accepted).toBeGreaterThan(0);
    expect(accepted).toBeLessThan(RAWS.length);
  });
});

describe('today for the ID number check, memoised per Beijing day', () => {
  it('is clock.today() at every instant, across Beijing midnight (16:00 UTC), backwards and across years', () => {
    const { clock: test, restore } = useTestClock('2026-11-30T15:59:59.999Z');
    try {
      const at = ['2026-11-30T15:59:59.999Z', '2026-11-30T16:00:00.000Z', '2026-11-30T16:00:00.001Z', '2026-11-30T15:00:00Z', '2026-12-31T16:00:00Z', '1969-12-31T23:59:59Z', '2026-12-31T15:59:59Z'];
      for (const t of at) {
        test.set(t);
        expect({ t, today: todayInBeijing() }).toEqual({ t, today: clock.today() });
      }
      for (let ms = Date.UTC(2026, 0, 1); ms < Date.UTC(2026, 0, 4); ms += 3_600_000 - 1) {
        test.set(new Date(ms));
        expect(todayInBeijing()).toBe(clock.today());
      }
    } finally {
      restore();
    }
  });
});
