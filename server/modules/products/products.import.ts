import { eq, sql } from 'drizzle-orm';
import { rows } from '../../db/client.js';
import { products } from '../../db/schema/index.js';
import { isBankWide } from '../access/context.js';
import { BANK_WIDE, appendAudit, type AuditEntryInput } from '../audit/audit.service.js';
import { boolCell, codeCell, textCell } from '../imports/cells.js';
import { type ImportColumn, type ImportSpec, parseCells, type RowError } from '../imports/import-spec.js';
import { normHeader } from '../imports/normalize.js';
import { clock } from '../../calendar/index.js';

/** A catalogue row; `lineCode` is resolved from a code or a Chinese name by prepare(). */
export interface ProductValue {
  code: string;
  name: string;
  line: string;
  hostDepartmentCode: string;
  unit: string;
  mortgage: boolean | null;
  lineCode?: string;
}

const COLUMNS: ImportColumn[] = [
  {
    key: 'code',
    header: '产品代码',
    headerEn: 'Product code',
    required: true,
    example: 'WMP',
    text: true,
    width: 12,
    schema: codeCell(),
    invalid: { zh: '应为字母、数字组成的产品代码', en: 'letters and digits' },
    note: { zh: '产品唯一代码；已存在的代码将更新该产品', en: 'Unique; an existing code updates the product' },
  },
  { key: 'name', header: '产品名称', headerEn: 'Name', required: true, example: '理财', width: 16, schema: textCell(50), invalid: { zh: '不能超过50个字', en: 'at most 50 characters' } },
  {
    key: 'line',
    header: '产品线',
    headerEn: 'Product line',
    required: true,
    example: '理财',
    width: 12,
    schema: textCell(50),
    invalid: { zh: '应为产品线代码或名称', en: 'a product line code or name' },
  },
  {
    key: 'hostDepartmentCode',
    header: '主办部门代码',
    headerEn: 'Host department code',
    required: true,
    example: 'PF',
    text: true,
    width: 12,
    schema: codeCell(),
    invalid: { zh: '应为部门代码（如 PF）', en: 'a department code (e.g. PF)' },
    note: { zh: '各分行中同代码的部门为该产品的主办部门', en: 'Resolved in each branch to its department with this code' },
  },
  {
    key: 'unit',
    header: '计量单位',
    headerEn: 'Unit',
    required: true,
    example: '万元',
    width: 10,
    schema: textCell(10),
    invalid: { zh: '不能超过10个字', en: 'at most 10 characters' },
    note: { zh: '件、户、万元、张、笔等', en: 'e.g. 件, 户, 万元' },
  },
  {
    key: 'mortgage',
    header: '是否按揭',
    headerEn: 'Mortgage',
    required: false,
    example: '否',
    width: 10,
    schema: boolCell(),
    invalid: { zh: '应为“是”或“否”', en: 'yes or no' },
    note: { zh: '个人住房贷款填“是”（适用楼盘按揭户数规则）；不填为否', en: 'Yes for housing mortgages (development rule)' },
  },
];

const auditable = (p: { code: string; name: string; lineCode: string; hostDepartmentCode: string; unit: string; mortgage: boolean }) => ({
  code: p.code,
  name: p.name,
  lineCode: p.lineCode,
  hostDepartmentCode: p.hostDepartmentCode,
  unit: p.unit,
  mortgage: p.mortgage,
});

/** SPEC §6 product catalogue by Excel, upserted by 产品代码 (bank-wide: province scope needed). */
export const productsSpec: ImportSpec<ProductValue> = {
  kind: 'products',
  labelZh: '产品',
  labelEn: 'Products',
  permission: 'product.write',
  columns: COLUMNS,

  parseRow(cells) {
    const { values, errors } = parseCells(COLUMNS, cells);
    if (errors.length) return { errors };
    return {
      value: {
        code: (values.code as string).toUpperCase(),
        name: values.name as string,
        line: values.line as string,
        hostDepartmentCode: (values.hostDepartmentCode as string).toUpperCase(),
        unit: values.unit as string,
        mortgage: values.mortgage as boolean | null,
      },
    };
  },

  naturalKey: (v) => v.code,

  async prepare(db, list, ctx) {
    const errors = new Map<number, RowError[]>();
    // The catalogue is bank-wide: the same check as the API's (PRODUCT.WRITE_SCOPE), row by row.
    const writer = isBankWide(ctx.auth, 'product.write');
    const lines = await rows<{ code: string; nameZh: string; nameEn: string }>(db, sql`SELECT code, name_zh AS "nameZh", name_en AS "nameEn" FROM product_lines`);
    const lineBy = new Map<string, string>();
    for (const l of lines) for (const w of [l.code, l.nameZh, l.nameEn]) lineBy.set(normHeader(w), l.code);
    const codes = new Set((await rows<{ code: string }>(db, sql`SELECT DISTINCT code FROM departments`)).map((d) => d.code));
    for (const { rowNumber, value: v } of list) {
      const errs: RowError[] = [];
      if (!writer) errs.push({ column: 'code', zh: '产品目录为全行配置，须由省分行及以上的管理人员维护', en: 'the catalogue is bank-wide: province-level managers only' });
      const line = lineBy.get(normHeader(v.line));
      if (!line) errs.push({ column: 'line', zh: `产品线 ${v.line} 不存在`, en: `unknown product line ${v.line}` });
      else v.lineCode = line;
      if (!codes.has(v.hostDepartmentCode)) errs.push({ column: 'hostDepartmentCode', zh: `部门代码 ${v.hostDepartmentCode} 不是任何分行的部门`, en: `${v.hostDepartmentCode} is no department code` });
      if (errs.length) errors.set(rowNumber, errs);
    }
    return errors;
  },

  async write(tx, list, ctx, onRows) {
    const counts = { inserted: 0, updated: 0, unchanged: 0 };
    const audit: AuditEntryInput[] = [];
    for (const { value: v } of list) {
      const [before] = await tx.select().from(products).where(eq(products.code, v.code));
      const fields = { code: v.code, name: v.name, lineCode: v.lineCode!, hostDepartmentCode: v.hostDepartmentCode, unit: v.unit, mortgage: v.mortgage ?? before?.mortgage ?? false };
      if (!before) {
        const [p] = await tx.insert(products).values(fields).returning({ id: products.id });
        audit.push({ action: 'product.create', entity: 'product', nodeId: BANK_WIDE, entityId: p.id, after: auditable(fields) });
        counts.inserted++;
      } else if (JSON.stringify(auditable(before)) === JSON.stringify(auditable(fields))) {
        counts.unchanged++;
      } else {
        await tx
          .update(products)
          .set({ ...fields, updatedAt: clock.now() })
          .where(eq(products.id, before.id));
        audit.push({ action: 'product.update', entity: 'product', nodeId: BANK_WIDE, entityId: before.id, before: auditable(before), after: auditable(fields) });
        counts.updated++;
      }
    }
    onRows?.(list.length);
    await appendAudit(tx, ctx.actor, audit);
    return counts;
  },
};
