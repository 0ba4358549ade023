import { eq, sql } from 'drizzle-orm';
import { holdings } from '../../db/schema/index.js';
import { canAt } from '../access/context.js';
import { appendAudit, type AuditEntryInput } from '../audit/audit.service.js';
import { ID_PROBLEM_TEXT, parseIdNumber } from './ids.rules.js';
import { addError, idNumberProblem, dateText, E, idTextCell, nodesByCode, personRefsById } from './import-cells.js';
import { amountFenCell, codeCell, dateCell, intCell, textCell } from '../imports/cells.js';
import { chunks, type ImportColumn, type ImportSpec, parseCells, type RowError, type WriteCounts } from '../imports/import-spec.js';
import { clock } from '../../calendar/index.js';
import { insertRecords } from '../imports/bulk-insert.js';
import { intArray } from '../../db/arrays.js';

/** What a person holds at the bank; `personId` is filled by prepare(). */
export interface HoldingValue {
  idNumber: string;
  productCode: string;
  productName: string;
  amountFen: number | null;
  quantity: number | null;
  since: string | null;
  personId?: number;
  nodeId?: number;
}

const COLUMNS: ImportColumn[] = [
  {
    key: 'idNumber',
    header: '身份证号码',
    headerEn: 'ID number',
    aliases: ['证件号码'],
    required: true,
    example: '11010519491231002X',
    text: true,
    width: 22,
    schema: idTextCell(),
    invalid: ID_PROBLEM_TEXT.format,
  },
  {
    key: 'productCode',
    header: '产品代码',
    headerEn: 'Product code',
    required: true,
    example: 'WMP',
    text: true,
    width: 12,
    schema: codeCell(),
    invalid: { zh: '应为字母、数字组成的产品代码', en: 'must be letters and digits' },
  },
  {
    key: 'productName',
    header: '产品名称',
    headerEn: 'Product name',
    required: true,
    example: '理财',
    width: 16,
    schema: textCell(60),
    invalid: { zh: '不能超过60个字', en: 'at most 60 characters' },
  },
  {
    key: 'amountFen',
    header: '金额(元)',
    headerEn: 'Amount (yuan)',
    aliases: ['金额'],
    required: false,
    example: '100000.00',
    width: 14,
    schema: amountFenCell(),
    invalid: { zh: '应为金额（元），最多两位小数', en: 'must be an amount in yuan, at most 2 decimals' },
  },
  { key: 'quantity', header: '数量', headerEn: 'Quantity', required: false, example: 1, width: 8, schema: intCell(0, 1_000_000), invalid: { zh: '应为非负整数', en: 'must be a whole number ≥ 0' } },
  {
    key: 'since',
    header: '起始日期',
    headerEn: 'Since',
    aliases: ['开户日期', '签约日期'],
    required: false,
    example: '2024-03-01',
    width: 12,
    schema: dateCell(),
    invalid: { zh: '日期格式不正确', en: 'invalid date' },
  },
];

/** SPEC §2 product holdings by Excel, upserted by (ID number, product code). */
export const holdingsSpec: ImportSpec<HoldingValue> = {
  kind: 'holdings',
  labelZh: '产品持有',
  labelEn: 'Product holdings',
  permission: 'customer.write',
  columns: COLUMNS,

  parseRow(cells) {
    const { values, errors } = parseCells(COLUMNS, cells);
    let idNumber: string | null = null;
    if (typeof values.idNumber === 'string') {
      const r = parseIdNumber(values.idNumber, clock.today());
      if (!r.ok) errors.push({ column: 'idNumber', ...idNumberProblem(cells.idNumber, r.problem) });
      else idNumber = r.info.idNumber;
    }
    if (errors.length || !idNumber) return { errors };
    return {
      value: {
        idNumber,
        productCode: (values.productCode as string).toUpperCase(),
        productName: values.productName as string,
        amountFen: values.amountFen as number | null,
        quantity: values.quantity as number | null,
        since: values.since as string | null,
      },
    };
  },

  naturalKey: (v) => `${v.idNumber.slice(0, 4)}…${v.idNumber.slice(-4)} / ${v.productCode}`,

  async prepare(db, list, ctx) {
    const errors = new Map<number, RowError[]>();
    const { pathById } = await nodesByCode(db);
    const people = await personRefsById(
      db,
      list.map((r) => r.value.idNumber),
    );
    for (const { rowNumber, value: v } of list) {
      const p = people.get(v.idNumber);
      if (!p) addError(errors, rowNumber, { column: 'idNumber', ...E.personUnknown });
      else if (!canAt(ctx.auth, 'customer.write', pathById.get(p.nodeId) ?? '')) addError(errors, rowNumber, { column: 'idNumber', ...E.clientOutOfScope });
      else {
        v.personId = p.id;
        v.nodeId = p.nodeId;
      }
    }
    return errors;
  },

  async write(tx, list, ctx, onRows): Promise<WriteCounts> {
    const counts: WriteCounts = { inserted: 0, updated: 0, unchanged: 0 };
    const audit: AuditEntryInput[] = [];
    let done = 0;
    for (const slice of chunks(list, 5000)) {
      const ids = [...new Set(slice.map((r) => r.value.personId!))];
      const existing = await tx
        .select()
        .from(holdings)
        .where(sql`${holdings.personId} = ANY(${intArray(ids)}::int[])`);
      const byKey = new Map(existing.map((h) => [`${h.personId}:${h.productCode}`, h]));
      const inserts: { row: typeof holdings.$inferInsert; nodeId: number }[] = [];
      for (const { value: v } of slice) {
        const fields = { productName: v.productName, amountFen: v.amountFen, quantity: v.quantity, since: v.since };
        const h = byKey.get(`${v.personId}:${v.productCode}`);
        if (!h) {
          inserts.push({ row: { personId: v.personId!, productCode: v.productCode, ...fields }, nodeId: v.nodeId! });
          continue;
        }
        const before = { productName: h.productName, amountFen: h.amountFen === null ? null : Number(h.amountFen), quantity: h.quantity, since: dateText(h.since) };
        if (before.productName === fields.productName && before.amountFen === fields.amountFen && before.quantity === fields.quantity && before.since === fields.since) {
          counts.unchanged++;
          continue;
        }
        await tx.update(holdings).set(fields).where(eq(holdings.id, h.id));
        audit.push({
          action: 'customer.holding.update',
          entity: 'holding',
          entityId: h.id,
          nodeId: v.nodeId!,
          before: { personId: h.personId, productCode: h.productCode, ...before },
          after: { personId: h.personId, productCode: h.productCode, ...fields },
        });
        counts.updated++;
      }
      if (inserts.length) {
        const createdIds = await insertRecords(
          tx,
          holdings,
          inserts.map((i) => i.row),
        );
        inserts.forEach(({ row: h, nodeId }, i) =>
          audit.push({
            action: 'customer.holding.create',
            entity: 'holding',
            entityId: createdIds[i],
            nodeId,
            after: { personId: h.personId, productCode: h.productCode, productName: h.productName, amountFen: h.amountFen ?? null, quantity: h.quantity ?? null, since: dateText(h.since ?? null) },
          }),
        );
        counts.inserted += inserts.length;
      }
      done += slice.length;
      onRows?.(done);
    }
    await appendAudit(tx, ctx.actor, audit);
    return counts;
  },
};
