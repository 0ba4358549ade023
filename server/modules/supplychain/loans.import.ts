import { sql } from 'drizzle-orm';
import { rows } from '../../db/client.js';
import { messageOf } from '../../errors.js';
import { amountFenCell, codeCell, dateCell, intCell } from '../imports/cells.js';
import { type ImportColumn, type ImportSpec, parseCells, type RowError } from '../imports/import-spec.js';
import { applyFeed, drawRefusal, insertDraw } from './draws.service.js';
import { PROGRAMME_COLUMN, programmeOrError, programmesByCode } from './import-refs.js';
import { lockProgramme } from './npl.service.js';

interface LoanRow {
  programmeCode: string;
  loanNo: string;
  clientCode: string;
  drawnOn: string;
  maturityOn: string;
  amountFen: number;
  balanceFen: number;
  repaidFen: number;
  overdueFen: number;
  overdueDays: number;
  compensatedFen: number;
  asOf: string;
  programmeId?: number;
  nodeId?: number;
  clientId?: number;
  drawId?: number;
}

const fenCol = (key: string, header: string, headerEn: string, required: boolean, example: string): ImportColumn => ({
  key,
  header,
  headerEn,
  required,
  example,
  width: 14,
  schema: amountFenCell().refine((n) => n >= 0),
  invalid: { zh: '应为不小于0的金额', en: 'an amount of at least 0' },
});

const COLUMNS: ImportColumn[] = [
  { ...PROGRAMME_COLUMN, schema: codeCell(32) },
  { key: 'loanNo', header: '借据号', headerEn: 'Loan no.', required: true, example: 'JJ-2026-0001', text: true, width: 16, schema: codeCell(40), invalid: { zh: '应为借据号', en: 'a loan number' } },
  {
    key: 'clientCode',
    header: '客户编号',
    headerEn: 'Client code',
    required: true,
    example: 'YZH-001',
    text: true,
    width: 14,
    schema: codeCell(40),
    invalid: { zh: '应为客户编号', en: 'a client code' },
  },
  { key: 'drawnOn', header: '放款日期', headerEn: 'Drawn on', required: true, example: '2026-12-01', width: 12, schema: dateCell(), invalid: { zh: '应为日期', en: 'a date' } },
  { key: 'maturityOn', header: '到期日期', headerEn: 'Maturity', required: true, example: '2027-11-30', width: 12, schema: dateCell(), invalid: { zh: '应为日期', en: 'a date' } },
  { ...fenCol('amountFen', '放款金额（元）', 'Drawn (yuan)', true, '300000.00'), schema: amountFenCell().refine((n) => n > 0), invalid: { zh: '应为大于0的金额', en: 'an amount above 0' } },
  fenCol('balanceFen', '贷款余额（元）', 'Balance (yuan)', true, '300000.00'),
  fenCol('repaidFen', '累计还本（元）', 'Principal repaid (yuan)', false, '0'),
  fenCol('overdueFen', '逾期金额（元）', 'Overdue (yuan)', false, '0'),
  {
    key: 'overdueDays',
    header: '逾期天数',
    headerEn: 'Days overdue',
    required: false,
    example: 0,
    width: 10,
    schema: intCell(0, 36500),
    invalid: { zh: '应为不小于0的整数', en: 'a whole number of at least 0' },
  },
  fenCol('compensatedFen', '当月核心企业代偿（元）', 'Enterprise compensation this month (yuan)', false, '0'),
  { key: 'asOf', header: '数据日期', headerEn: 'As of', required: true, example: '2026-12-06', width: 12, schema: dateCell(), invalid: { zh: '应为日期', en: 'a date' } },
];

/**
 * 贷款台账 (the loan feed from core banking): one row per 借据 as of a day. A new 借据 is a draw and
 * passes the same checks as one made in the console (admitted client, within the limit, term, the
 * programme not suspended) and carries its 5 % margin; a known one updates balance, repayments,
 * overdue and the enterprise's compensation of the month, and releases margin in proportion to
 * principal repaid. The same figures again change nothing; a known 借据 with another client, amount
 * or date is refused.
 */
export const scLoansSpec: ImportSpec<LoanRow> = {
  kind: 'supplychain-loans',
  labelZh: '供应链贷款台账（提款、余额、逾期、还款）',
  labelEn: 'Supply-chain loan feed',
  permission: 'supplychain.manage',
  columns: COLUMNS,
  parseRow(cells) {
    const { values, errors } = parseCells(COLUMNS, cells);
    if (!errors.length && (values.balanceFen as number) > (values.amountFen as number))
      errors.push({ column: 'balanceFen', zh: '贷款余额不能大于放款金额', en: 'the balance exceeds the amount drawn' });
    if (errors.length) return { errors };
    return {
      value: {
        programmeCode: (values.programmeCode as string).toUpperCase(),
        loanNo: (values.loanNo as string).toUpperCase(),
        clientCode: (values.clientCode as string).toUpperCase(),
        drawnOn: values.drawnOn as string,
        maturityOn: values.maturityOn as string,
        amountFen: values.amountFen as number,
        balanceFen: values.balanceFen as number,
        repaidFen: (values.repaidFen as number | null) ?? 0,
        overdueFen: (values.overdueFen as number | null) ?? 0,
        overdueDays: (values.overdueDays as number | null) ?? 0,
        compensatedFen: (values.compensatedFen as number | null) ?? 0,
        asOf: values.asOf as string,
      },
    };
  },
  naturalKey: (v) => v.loanNo,
  async prepare(db, list, ctx) {
    const errors = new Map<number, RowError[]>();
    const known = await programmesByCode(
      db,
      list.map((r) => r.value.programmeCode),
    );
    for (const { rowNumber, value: v } of list) {
      const p = programmeOrError(known, v.programmeCode, ctx.auth);
      if ('column' in p) {
        errors.set(rowNumber, [p]);
        continue;
      }
      [v.programmeId, v.nodeId] = [p.id, p.nodeId];
      const [c] = await rows<{ id: number }>(db, sql`SELECT id FROM sc_clients WHERE programme_id = ${p.id} AND client_code = ${v.clientCode}`);
      if (!c) {
        errors.set(rowNumber, [{ column: 'clientCode', zh: `客户 ${v.clientCode} 不在该方案的推荐客户中`, en: `${v.clientCode} is not a client of the programme`, code: 'SC.CLIENT_NOT_FOUND' }]);
        continue;
      }
      v.clientId = c.id;
      const [d] = await rows<{ id: number; same: boolean }>(
        db,
        sql`SELECT id, (programme_id = ${p.id} AND client_id = ${c.id} AND amount_fen = ${v.amountFen} AND drawn_on = ${v.drawnOn}::date AND maturity_on = ${v.maturityOn}::date) AS same FROM sc_draws WHERE loan_no = ${v.loanNo}`,
      );
      if (d && !d.same)
        errors.set(rowNumber, [{ column: 'loanNo', zh: `借据 ${v.loanNo} 已登记，客户、金额或日期不同`, en: `${v.loanNo} is recorded with another client, amount or date`, code: 'SC.LOAN_EXISTS' }]);
      else if (d) v.drawId = d.id;
      else {
        const refusal = await drawRefusal(db, p, c.id, v);
        if (refusal) errors.set(rowNumber, [{ column: refusal === 'SC.TERM_TOO_LONG' ? 'maturityOn' : 'amountFen', zh: messageOf(refusal, 'zh-CN'), en: messageOf(refusal, 'en'), code: refusal }]);
      }
    }
    return errors;
  },
  async write(tx, list, ctx, onRows) {
    const counts = { inserted: 0, updated: 0, unchanged: 0 };
    for (const { value: v } of list) {
      // The programme's lock, as a draw in the console takes it: a suspension and a draw never cross.
      const p = await lockProgramme(tx, v.programmeId!);
      let changed = false;
      let drawId = v.drawId;
      if (drawId === undefined) {
        const refusal = await drawRefusal(tx, p, v.clientId!, v);
        if (refusal) throw new Error(`${v.loanNo}: ${refusal}`);
        drawId = await insertDraw(tx, ctx.actor, p, v.clientId!, v);
        counts.inserted++;
        changed = true;
      }
      const [d] = await rows<{ marginFen: number }>(tx, sql`SELECT margin_fen::float8 AS "marginFen" FROM sc_draws WHERE id = ${drawId}`);
      const fed = await applyFeed(tx, ctx.actor, v.nodeId!, { id: drawId, programmeId: v.programmeId!, amountFen: v.amountFen, marginFen: d.marginFen }, v);
      if (!changed) {
        if (fed) counts.updated++;
        else counts.unchanged++;
      }
    }
    onRows?.(list.length);
    return counts;
  },
};
