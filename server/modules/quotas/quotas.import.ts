import { sql } from 'drizzle-orm';
import { z } from 'zod';
import { rows, type Tx } from '../../db/client.js';
import { quotas } from '../../db/schema/index.js';
import { appendAudit, type AuditEntryInput } from '../audit/audit.service.js';
import { canAtBranch } from './quotas.policy.js';
import { quotaQuantity1e4 } from './quotas.rules.js';
import { ensurePlan, fmtQty, markEdited } from './quotas.service.js';
import { codeCell, intCell, textCell } from '../imports/cells.js';
import { type ImportColumn, type ImportSpec, parseCells, type RowError } from '../imports/import-spec.js';
import { normCode } from '../imports/normalize.js';
import { clock } from '../../calendar/index.js';

/** A quota row of the sheet; the ids are filled by prepare(). */
export interface QuotaValue {
  branchCode: string;
  year: number;
  departmentCode: string;
  productCode: string;
  staffNo: string | null;
  outletCode: string | null;
  quantity1e4: number;
  note: string | null;
  nodeId?: number;
  departmentId?: number;
  productId?: number;
  staffId?: number | null;
  outletNodeId?: number | null;
  /** The quota on file with the same key, if any. */
  existing?: { id: number; quantity1e4: number; note: string | null } | null;
}

/** The columns of the quota template — and of the quota export, so an export can be edited and re-imported. */
export const QUOTA_COLUMNS: ImportColumn[] = [
  {
    key: 'branchCode',
    header: '机构号',
    headerEn: 'Branch code',
    aliases: ['分行机构号'],
    required: true,
    example: '4406',
    text: true,
    width: 10,
    schema: codeCell(),
    invalid: { zh: '应为分行机构号', en: 'a branch code' },
    note: { zh: '省分行或二级分行的机构号，须在您的管理范围内', en: 'A province or tier-2 branch in your scope' },
  },
  {
    key: 'year',
    header: '年度',
    headerEn: 'Year',
    aliases: ['考核年度'],
    required: true,
    example: 2027,
    width: 8,
    schema: intCell(2000, 2100),
    invalid: { zh: '应为年度（如 2027）', en: 'a year such as 2027' },
  },
  {
    key: 'departmentCode',
    header: '部门代码',
    headerEn: 'Dept code',
    required: true,
    example: 'CORP',
    text: true,
    width: 10,
    schema: codeCell(),
    invalid: { zh: '应为部门代码', en: 'a department code' },
    note: { zh: '该分行的部门代码', en: 'A department of the branch' },
  },
  {
    key: 'productCode',
    header: '产品代码',
    headerEn: 'Product code',
    required: true,
    example: 'CREDIT',
    text: true,
    width: 12,
    schema: codeCell(),
    invalid: { zh: '应为产品目录中的产品代码', en: 'a product code' },
  },
  {
    key: 'staffNo',
    header: '员工号',
    headerEn: 'Staff No.',
    aliases: ['工号'],
    required: false,
    example: '',
    text: true,
    width: 12,
    schema: codeCell(),
    invalid: { zh: '应为工号', en: 'a staff number' },
    note: { zh: '选填：任务细分到个人时填写（与网点机构号二选一）', en: 'Optional: a quota for one person (or an outlet, not both)' },
  },
  {
    key: 'outletCode',
    header: '网点机构号',
    headerEn: 'Outlet code',
    aliases: ['网点代码'],
    required: false,
    example: '',
    text: true,
    width: 12,
    schema: codeCell(),
    invalid: { zh: '应为支行或网点机构号', en: 'a sub-branch or outlet code' },
    note: { zh: '选填：任务细分到支行或网点时填写', en: 'Optional: a quota for one sub-branch or outlet' },
  },
  {
    key: 'quantity',
    header: '任务数量',
    headerEn: 'Quota',
    aliases: ['目标数量', '考核目标'],
    required: true,
    example: '120',
    width: 10,
    schema: z.preprocess((v) => {
      const t = normCode(v as never);
      return t === null ? undefined : quotaQuantity1e4(t);
    }, z.number().int().min(0)),
    invalid: { zh: '应为不小于0的数，最多四位小数', en: 'a number ≥ 0, four decimals at most' },
    note: { zh: '按产品计量单位（件、户、万元等）', en: 'In the product’s unit' },
  },
  { key: 'note', header: '备注', headerEn: 'Note', required: false, example: '', width: 20, schema: textCell(200), invalid: { zh: '不能超过200个字', en: 'at most 200 characters' } },
];

const upper = (v: unknown) => (v as string).toUpperCase();

/** SPEC §10, §14: quotas (营销任务) by Excel; a row whose key is on file updates it, unchanged rows write nothing. */
export const quotasSpec: ImportSpec<QuotaValue> = {
  kind: 'quotas',
  labelZh: '营销任务',
  labelEn: 'Sales quotas',
  permission: 'quota.write',
  columns: QUOTA_COLUMNS,

  parseRow(cells) {
    const { values, errors } = parseCells(QUOTA_COLUMNS, cells);
    if (!errors.length && values.staffNo && values.outletCode) errors.push({ column: 'outletCode', zh: '员工号与网点机构号只能填写一项', en: 'give a staff number or an outlet, not both' });
    if (errors.length) return { errors };
    return {
      value: {
        branchCode: values.branchCode as string,
        year: values.year as number,
        departmentCode: upper(values.departmentCode),
        productCode: upper(values.productCode),
        staffNo: (values.staffNo as string | null) ?? null,
        outletCode: (values.outletCode as string | null) ?? null,
        quantity1e4: values.quantity as number,
        note: (values.note as string | null) ?? null,
      },
    };
  },

  naturalKey: (v) => [v.branchCode, v.year, v.departmentCode, v.productCode, v.staffNo ?? '', v.outletCode ?? ''].join('|'),

  async prepare(db, list, ctx) {
    const errors = new Map<number, RowError[]>();
    const codes = (f: (v: QuotaValue) => string | null) => `{${[...new Set(list.map((r) => f(r.value)).filter((c): c is string => !!c))].map((c) => `"${c.replace(/"/g, '')}"`).join(',')}}`;
    // One query after another: prepare() also runs inside the write transaction (one connection).
    const nodes = await rows<{ id: number; code: string; level: string; path: string; name: string }>(
      db,
      sql`SELECT id, code, level, path, name FROM org_nodes WHERE code = ANY(${codes((v) => v.branchCode)}::text[])`,
    );
    const depts = await rows<{ id: number; node_id: number; code: string }>(
      db,
      sql`SELECT d.id, d.node_id, d.code FROM departments d JOIN org_nodes n ON n.id = d.node_id WHERE n.code = ANY(${codes((v) => v.branchCode)}::text[])`,
    );
    const prods = await rows<{ id: number; code: string; active: boolean }>(
      db,
      sql`SELECT id, upper(code) AS code, active FROM products WHERE upper(code) = ANY(${codes((v) => v.productCode)}::text[])`,
    );
    const people = await rows<{ id: number; staff_no: string; active: boolean; path: string }>(
      db,
      sql`SELECT s.id, s.staff_no, s.active, n.path FROM staff s JOIN org_nodes n ON n.id = s.node_id WHERE s.staff_no = ANY(${codes((v) => v.staffNo)}::text[])`,
    );
    const outlets = await rows<{ id: number; code: string; level: string; path: string }>(db, sql`SELECT id, code, level, path FROM org_nodes WHERE code = ANY(${codes((v) => v.outletCode)}::text[])`);
    const nodeOf = new Map(nodes.map((n) => [n.code, n]));
    const deptOf = new Map(depts.map((d) => [`${d.node_id}/${d.code.toUpperCase()}`, d.id]));
    const prodOf = new Map(prods.map((p) => [p.code, p]));
    const staffOf = new Map(people.map((p) => [p.staff_no, p]));
    const outletOf = new Map(outlets.map((o) => [o.code, o]));
    for (const { rowNumber, value: v } of list) {
      const errs: RowError[] = [];
      const node = nodeOf.get(v.branchCode);
      if (!node || (node.level !== 'province' && node.level !== 'branch')) errs.push({ column: 'branchCode', zh: `机构号 ${v.branchCode} 不存在或不是分行`, en: `${v.branchCode} is not a branch` });
      else if (!canAtBranch(ctx.auth, 'quota.write', node.path)) errs.push({ column: 'branchCode', zh: `机构 ${v.branchCode} 不在您的管理范围内`, en: `${v.branchCode} is outside your organisation` });
      else {
        v.nodeId = node.id;
        v.departmentId = deptOf.get(`${node.id}/${v.departmentCode}`);
        if (v.departmentId === undefined)
          errs.push({ column: 'departmentCode', zh: `部门代码 ${v.departmentCode} 不是${node.name}的部门`, en: `${v.departmentCode} is not a department of ${node.name}` });
        v.staffId = null;
        if (v.staffNo) {
          const p = staffOf.get(v.staffNo);
          if (!p || !p.active || !p.path.startsWith(node.path))
            errs.push({ column: 'staffNo', zh: `工号 ${v.staffNo} 不存在、已停用或不属于该分行`, en: `unknown, inactive or other-branch staff ${v.staffNo}` });
          else v.staffId = p.id;
        }
        v.outletNodeId = null;
        if (v.outletCode) {
          const o = outletOf.get(v.outletCode);
          if (!o || (o.level !== 'subbranch' && o.level !== 'outlet') || !o.path.startsWith(node.path))
            errs.push({ column: 'outletCode', zh: `${v.outletCode} 不是该分行辖内的支行或网点`, en: `${v.outletCode} is not a sub-branch or outlet of the branch` });
          else v.outletNodeId = o.id;
        }
      }
      const p = prodOf.get(v.productCode);
      if (!p || !p.active) errs.push({ column: 'productCode', zh: `产品代码 ${v.productCode} 不存在或已停用`, en: `unknown or inactive product ${v.productCode}` });
      else v.productId = p.id;
      if (errs.length) errors.set(rowNumber, errs);
    }
    // The quotas on file with the same keys (one query).
    const ok = list.filter((r) => !errors.has(r.rowNumber));
    if (ok.length) {
      const keys = ok.map((r) => `${r.value.nodeId}/${r.value.year}/${r.value.departmentId}/${r.value.productId}/${r.value.staffId ?? 0}/${r.value.outletNodeId ?? 0}`);
      const onFile = await rows<{ k: string; id: number; quantity_1e4: number | string; note: string | null }>(
        db,
        sql`SELECT node_id || '/' || year || '/' || department_id || '/' || product_id || '/' || coalesce(staff_id, 0) || '/' || coalesce(outlet_node_id, 0) AS k, id, quantity_1e4, note
            FROM quotas WHERE node_id = ANY(${`{${[...new Set(ok.map((r) => r.value.nodeId))].join(',')}}`}::int[])`,
      );
      const byKey = new Map(onFile.map((q) => [q.k, q]));
      ok.forEach((r, i) => {
        const q = byKey.get(keys[i]);
        r.value.existing = q ? { id: q.id, quantity1e4: Number(q.quantity_1e4), note: q.note } : null;
      });
    }
    return errors;
  },

  async write(tx: Tx, list, ctx, onRows) {
    const counts = { inserted: 0, updated: 0, unchanged: 0 };
    const audit: AuditEntryInput[] = [];
    const plans = new Map<string, number>();
    const planOf = async (nodeId: number, year: number) => {
      const k = `${nodeId}/${year}`;
      if (!plans.has(k)) plans.set(k, (await ensurePlan(tx, nodeId, year)).id);
      return plans.get(k)!;
    };
    const edited = new Set<number>();
    for (const { value: v } of list) {
      const ex = v.existing;
      if (ex && ex.quantity1e4 === v.quantity1e4 && (v.note === null || v.note === ex.note)) {
        counts.unchanged++;
        continue;
      }
      const planId = await planOf(v.nodeId!, v.year);
      edited.add(planId);
      const keyView = { nodeId: v.nodeId, year: v.year, departmentId: v.departmentId, productId: v.productId, staffId: v.staffId, outletNodeId: v.outletNodeId };
      if (ex) {
        const note = v.note ?? ex.note;
        await tx
          .update(quotas)
          .set({ quantity1e4: v.quantity1e4, note, source: 'import', updatedBy: ctx.actor.id, updatedAt: clock.now() })
          .where(sql`id = ${ex.id}`);
        audit.push({
          action: 'quota.update',
          entity: 'quota',
          entityId: ex.id,
          nodeId: v.nodeId!,
          before: { ...keyView, quantity: fmtQty(ex.quantity1e4), note: ex.note },
          after: { ...keyView, quantity: fmtQty(v.quantity1e4), note, source: 'import' },
        });
        counts.updated++;
      } else {
        const [row] = await tx
          .insert(quotas)
          .values({
            planId,
            nodeId: v.nodeId!,
            year: v.year,
            departmentId: v.departmentId!,
            productId: v.productId!,
            staffId: v.staffId ?? null,
            outletNodeId: v.outletNodeId ?? null,
            quantity1e4: v.quantity1e4,
            source: 'import',
            note: v.note,
            updatedBy: ctx.actor.id,
          })
          .returning({ id: quotas.id });
        audit.push({ action: 'quota.create', entity: 'quota', entityId: row.id, nodeId: v.nodeId!, after: { ...keyView, quantity: fmtQty(v.quantity1e4), note: v.note, source: 'import' } });
        counts.inserted++;
      }
    }
    for (const planId of edited) await markEdited(tx, planId, ctx.actor);
    await appendAudit(tx, ctx.actor, audit);
    onRows?.(list.length);
    return counts;
  },
};
