import { sql } from 'drizzle-orm';
import { z } from 'zod';
import { rows } from '../../db/client.js';
import { productScores } from '../../db/schema/index.js';
import { isBankWide } from '../access/context.js';
import { BANK_WIDE, appendAudit, type AuditEntryInput } from '../audit/audit.service.js';
import { formatHundredths, parseScore } from './products.rules.js';
import { scoreSales } from '../scoring/ledger.service.js';
import { codeCell, dateCell, textCell } from '../imports/cells.js';
import { chunks, type ImportColumn, type ImportSpec, parseCells, type RowError } from '../imports/import-spec.js';
import { normCode } from '../imports/normalize.js';

/** A score version row; `productId` is filled by prepare(), `same` when it is already on file. */
export interface ProductScoreValue {
  code: string;
  scoreHundredths: number;
  effectiveFrom: string;
  note: string | null;
  productId?: number;
  same?: boolean;
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
    invalid: { zh: '应为产品目录中的产品代码', en: 'a product code' },
  },
  {
    key: 'score',
    header: '单位分值',
    headerEn: 'Unit score',
    required: true,
    example: '12.50',
    width: 10,
    schema: z.preprocess((v) => {
      const t = normCode(v as never);
      return t === null ? undefined : parseScore(t);
    }, z.number().int().min(0)),
    invalid: { zh: '应为不小于0的数，最多两位小数', en: 'a number ≥ 0, two decimals at most' },
    note: { zh: '每单位业务量的积分', en: 'Points per unit of business volume' },
  },
  {
    key: 'effectiveFrom',
    header: '生效日期',
    headerEn: 'Effective from',
    required: true,
    example: '2026-01-01',
    width: 12,
    schema: dateCell(),
    invalid: { zh: '日期格式不正确（如 2026-01-01）', en: 'not a date' },
    note: { zh: '自该日起生效；历史版本不能修改，只能新增', en: 'In force from this day; versions are added, never edited' },
  },
  { key: 'note', header: '备注', headerEn: 'Note', required: false, example: '', width: 20, schema: textCell(200), invalid: { zh: '不能超过200个字', en: 'at most 200 characters' } },
];

/** SPEC §6 unit score versions by Excel: new versions are added; a version on file is never edited. */
export const productScoresSpec: ImportSpec<ProductScoreValue> = {
  kind: 'product-scores',
  labelZh: '产品单位分值',
  labelEn: 'Unit scores',
  permission: 'product.write',
  columns: COLUMNS,

  parseRow(cells) {
    const { values, errors } = parseCells(COLUMNS, cells);
    if (errors.length) return { errors };
    return { value: { code: (values.code as string).toUpperCase(), scoreHundredths: values.score as number, effectiveFrom: values.effectiveFrom as string, note: values.note as string | null } };
  },

  naturalKey: (v) => `${v.code}@${v.effectiveFrom}`,

  async prepare(db, list, ctx) {
    const errors = new Map<number, RowError[]>();
    // The catalogue is bank-wide: the same check as the API's (PRODUCT.WRITE_SCOPE), row by row.
    const writer = isBankWide(ctx.auth, 'product.write');
    const products = new Map((await rows<{ id: number; code: string }>(db, sql`SELECT id, code FROM products`)).map((p) => [p.code.toUpperCase(), p.id]));
    const versions = new Map(
      (
        await rows<{ productId: number; effectiveFrom: string; h: number }>(
          db,
          sql`SELECT product_id AS "productId", effective_from::text AS "effectiveFrom", score_hundredths AS h FROM product_scores`,
        )
      ).map((v) => [`${v.productId}@${v.effectiveFrom}`, Number(v.h)]),
    );
    for (const { rowNumber, value: v } of list) {
      const errs: RowError[] = [];
      if (!writer) errs.push({ column: 'code', zh: '产品目录为全行配置，须由省分行及以上的管理人员维护', en: 'the catalogue is bank-wide: province-level managers only' });
      const id = products.get(v.code);
      if (id === undefined) errs.push({ column: 'code', zh: `产品代码 ${v.code} 不存在`, en: `unknown product ${v.code}` });
      else {
        v.productId = id;
        const onFile = versions.get(`${id}@${v.effectiveFrom}`);
        v.same = onFile === v.scoreHundredths;
        if (onFile !== undefined && !v.same)
          errs.push({
            column: 'score',
            zh: `该产品 ${v.effectiveFrom} 起已有分值 ${formatHundredths(onFile)}，历史版本不能修改，请使用其他生效日期`,
            en: `a version from ${v.effectiveFrom} exists (${formatHundredths(onFile)}); versions are never edited`,
          });
      }
      if (errs.length) errors.set(rowNumber, errs);
    }
    return errors;
  },

  async write(tx, list, ctx, onRows) {
    const fresh = list.filter((r) => !r.value.same).map((r) => r.value);
    const audit: AuditEntryInput[] = [];
    for (const c of chunks(fresh, 1000)) {
      const ins = await tx
        .insert(productScores)
        .values(c.map((v) => ({ productId: v.productId!, scoreHundredths: v.scoreHundredths, effectiveFrom: v.effectiveFrom, note: v.note, createdBy: ctx.actor.id })))
        .returning();
      for (const v of ins)
        audit.push({
          action: 'product.score',
          entity: 'product_score',
          nodeId: BANK_WIDE,
          entityId: v.id,
          after: { productId: v.productId, score: formatHundredths(v.scoreHundredths), effectiveFrom: v.effectiveFrom },
        });
    }
    // Versions starting in the past change the points of sales already recorded (SPEC §6).
    const earliest = new Map<number, string>();
    for (const v of fresh) if (!earliest.has(v.productId!) || v.effectiveFrom < earliest.get(v.productId!)!) earliest.set(v.productId!, v.effectiveFrom);
    for (const [productId, from] of earliest) {
      const ids = (await rows<{ id: number }>(tx, sql`SELECT id FROM sales WHERE product_id = ${productId} AND sale_date >= ${from}::date ORDER BY id`)).map((r) => r.id);
      for (const c of chunks(ids, 5000)) await scoreSales(tx, c);
    }
    await appendAudit(tx, ctx.actor, audit);
    onRows?.(list.length);
    return { inserted: fresh.length, updated: 0, unchanged: list.length - fresh.length };
  },
};
