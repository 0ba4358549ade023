import { createHash } from 'node:crypto';
import { sql } from 'drizzle-orm';
import { clock } from '../../calendar/index.js';
import { rows } from '../../db/client.js';
import { codeCell, dateCell, enumCell, textCell } from '../imports/cells.js';
import { type ImportColumn, type ImportSpec, parseCells, type RowError } from '../imports/import-spec.js';
import { institutionsByCode, manages } from './import-refs.js';
import { jurisdictionOn } from './interbank.access.js';
import { signingKey } from './interbank.rules.js';
import { insertSigning } from './signings.service.js';

interface SigningRow {
  agreementNo: string | null;
  institutionCode: string;
  kind: 'framework' | 'product';
  productName: string | null;
  sidedness: 'bilateral' | 'unilateral';
  signedOn: string;
  note: string | null;
  sourceKey: string;
  institutionId?: number;
}

const COLUMNS: ImportColumn[] = [
  {
    key: 'agreementNo',
    header: '协议编号',
    headerEn: 'Agreement no.',
    required: false,
    example: 'KJ-2026-001',
    text: true,
    width: 16,
    schema: codeCell(40),
    invalid: { zh: '应为字母、数字组成的编号', en: 'letters and digits' },
    note: { zh: '空时按机构编码、协议类型、产品名称、签约日期识别同一协议', en: 'Empty: the same code, kind, product and date are one agreement' },
  },
  {
    key: 'institutionCode',
    header: '机构编码',
    headerEn: 'Institution code',
    required: true,
    example: 'FI-FS-001',
    text: true,
    width: 14,
    schema: codeCell(32),
    invalid: { zh: '应为机构编码', en: 'an institution code' },
  },
  {
    key: 'kind',
    header: '协议类型',
    headerEn: 'Kind',
    required: true,
    example: '框架协议',
    width: 10,
    schema: enumCell({ 框架协议: 'framework', 框架: 'framework', 产品协议: 'product', 产品: 'product', framework: 'framework', product: 'product' }),
    invalid: { zh: '应为：框架协议、产品协议', en: 'framework or product' },
  },
  { key: 'productName', header: '产品名称', headerEn: 'Product', required: false, example: '', width: 18, schema: textCell(80), invalid: { zh: '不能超过80个字', en: 'at most 80 characters' } },
  {
    key: 'sidedness',
    header: '签约方式',
    headerEn: 'Sides',
    required: false,
    example: '双边',
    width: 8,
    schema: enumCell({ 双边: 'bilateral', 双边签约: 'bilateral', 单边: 'unilateral', 单边签约: 'unilateral', bilateral: 'bilateral', unilateral: 'unilateral' }),
    invalid: { zh: '应为：双边、单边', en: 'bilateral or unilateral' },
  },
  { key: 'signedOn', header: '签约日期', headerEn: 'Signed on', required: true, example: '2026-11-20', width: 12, schema: dateCell(), invalid: { zh: '应为日期', en: 'a date' } },
  { key: 'note', header: '备注', headerEn: 'Note', required: false, example: '', width: 20, schema: textCell(200), invalid: { zh: '不能超过200个字', en: 'at most 200 characters' } },
];

/**
 * 签约登记 by Excel (SPEC §11): append-only, idempotent by source key — the 协议编号 when given, else
 * a hash of the institution, kind, product and date. A known key with the same content is
 * unchanged; with other content it is refused (a correction is made in the console, with a reason).
 * Each new row goes through the same path as the API (pool lock, then the signing time).
 */
export const interbankSigningsSpec: ImportSpec<SigningRow> = {
  kind: 'interbank-signings',
  labelZh: '同业签约登记',
  labelEn: 'Inter-bank signings',
  permission: 'interbank.manage',
  columns: COLUMNS,

  parseRow(cells) {
    const { values, errors } = parseCells(COLUMNS, cells);
    if (!errors.length && values.kind === 'product' && !values.productName) errors.push({ column: 'productName', zh: '产品协议须填写产品名称', en: 'a product agreement names its product' });
    if (errors.length) return { errors };
    const v = {
      agreementNo: (values.agreementNo as string | null)?.toUpperCase() ?? null,
      institutionCode: (values.institutionCode as string).toUpperCase(),
      kind: values.kind as 'framework' | 'product',
      productName: values.kind === 'product' ? (values.productName as string) : null,
      sidedness: ((values.sidedness as string | null) ?? 'bilateral') as 'bilateral' | 'unilateral',
      signedOn: values.signedOn as string,
      note: (values.note as string | null) ?? null,
    };
    const sourceKey = v.agreementNo ? `no:${v.agreementNo}` : `auto:${createHash('sha256').update(signingKey(v)).digest('hex').slice(0, 32)}`;
    return { value: { ...v, sourceKey } };
  },

  naturalKey: (v) => v.sourceKey,

  async prepare(db, list, ctx) {
    const errors = new Map<number, RowError[]>();
    const today = clock.today();
    const known = await institutionsByCode(
      db,
      list.map((r) => r.value.institutionCode),
      today,
    );
    const keys = list.map((r) => r.value.sourceKey);
    const existing = keys.length
      ? await rows<{ sourceKey: string; institutionId: number; kind: string; productName: string | null; signedOn: string; sidedness: string }>(
          db,
          sql`SELECT source_key AS "sourceKey", institution_id AS "institutionId", kind, product_name AS "productName", signed_on::text AS "signedOn", sidedness FROM fi_signings WHERE source_key IN (${sql.join(keys, sql`, `)})`,
        )
      : [];
    for (const { rowNumber, value: v } of list) {
      const errs: RowError[] = [];
      const inst = known.get(v.institutionCode);
      if (!inst) errs.push({ column: 'institutionCode', zh: `机构编码 ${v.institutionCode} 不在机构名录中`, en: `${v.institutionCode} is not in the registry`, code: 'FI.INSTITUTION_NOT_FOUND' });
      else if (!manages(ctx.auth, inst))
        errs.push({ column: 'institutionCode', zh: `机构 ${v.institutionCode} 不在您的管辖范围内`, en: `${v.institutionCode} is outside your scope`, code: 'AUTH.OUT_OF_SCOPE' });
      else {
        v.institutionId = inst.id;
        const [j] = await rows<{ nodeId: number }>(db, sql`SELECT node_id AS "nodeId" FROM (${jurisdictionOn(v.signedOn)}) j WHERE institution_id = ${inst.id}`);
        if (!j) errs.push({ column: 'signedOn', zh: `机构在 ${v.signedOn} 没有所属二级分行`, en: `no branch on ${v.signedOn}`, code: 'FI.NO_JURISDICTION' });
      }
      const old = existing.find((e) => e.sourceKey === v.sourceKey);
      if (old && inst && (old.institutionId !== inst.id || old.kind !== v.kind || old.productName !== v.productName || old.signedOn !== v.signedOn || old.sidedness !== v.sidedness))
        errs.push({
          column: 'agreementNo',
          zh: '该协议已登记且内容不同：请在签约登记中更正并填写原因',
          en: 'already recorded with other content: correct it in the console',
          code: 'FI.SIGNING_CONFLICT',
        });
      if (errs.length) errors.set(rowNumber, errs);
    }
    return errors;
  },

  async write(tx, list, ctx, onRows) {
    const counts = { inserted: 0, updated: 0, unchanged: 0 };
    for (const { value: v } of list) {
      const [dup] = await rows<{ id: number }>(tx, sql`SELECT id FROM fi_signings WHERE source_key = ${v.sourceKey}`);
      if (dup) {
        counts.unchanged++;
        continue;
      }
      await insertSigning(tx, ctx.actor, v.institutionId!, v);
      counts.inserted++;
    }
    onRows?.(list.length);
    return counts;
  },
};
