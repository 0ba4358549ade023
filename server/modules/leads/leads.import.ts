import { sql } from 'drizzle-orm';
import { rows } from '../../db/client.js';
import { intArray, textArray } from '../../db/arrays.js';
import { canAt } from '../access/context.js';
import { canReach, READS } from '../access/references.js';
import { appendAudit, type AuditEntryInput } from '../audit/audit.service.js';
import { parseIdNumber } from '../customers/ids.rules.js';
import { addError, companiesByUscc, idNumberProblem, idTextCell, nodesByCode, peopleById, staffByNo, usccProblem } from '../customers/import-cells.js';
import { codeCell, enumCell, textCell } from '../imports/cells.js';
import { type ImportColumn, type ImportSpec, parseCells, type RowError } from '../imports/import-spec.js';
import { clock } from '../../calendar/index.js';
import { notify, recipients } from '../notifications/notifications.service.js';
import { assignLeads, type LeadSource } from './leads.rules.js';
import { assigneesForAssignment, assigneesOf } from './leads.service.js';

/** A lead row; ids are filled in by prepare(). */
export interface LeadValue {
  key: string;
  branchCode: string;
  departmentCode: string | null;
  productCode: string | null;
  contactName: string;
  idNumber: string | null;
  uscc: string | null;
  source: LeadSource;
  ownerNo: string | null;
  note: string | null;
  nodeId?: number;
  departmentId?: number;
  productId?: number | null;
  personId?: number | null;
  companyId?: number | null;
  ownerId?: number | null;
}

const SOURCES: Record<string, LeadSource> = {
  转介绍: 'referral',
  推荐: 'referral',
  营销活动: 'activity',
  活动: 'activity',
  需求调查: 'survey',
  调查表: 'survey',
  手工: 'manual',
  导入: 'import',
  referral: 'referral',
  activity: 'activity',
  survey: 'survey',
  manual: 'manual',
  import: 'import',
};

const COLUMNS: ImportColumn[] = [
  {
    key: 'key',
    header: '商机编号',
    headerEn: 'Lead No.',
    required: true,
    example: 'SJ-2026-000001',
    text: true,
    width: 18,
    schema: codeCell(64),
    invalid: { zh: '应为字母、数字组成的编号', en: 'letters and digits' },
    note: { zh: '来源系统中的唯一编号；重复导入同一编号不会重复登记', en: 'Unique in the source; importing it again adds nothing' },
  },
  { key: 'branchCode', header: '机构号', headerEn: 'Branch code', required: true, example: '44100', text: true, width: 10, schema: codeCell(), invalid: { zh: '应为机构号', en: 'an org code' } },
  {
    key: 'departmentCode',
    header: '承接部门代码',
    headerEn: 'Department code',
    required: false,
    example: '',
    text: true,
    width: 12,
    schema: codeCell(),
    invalid: { zh: '应为部门代码（如 PF）', en: 'a department code (e.g. PF)' },
    note: { zh: '不填则由意向产品的主办部门承接；与产品代码至少填一项', en: 'Empty: the product’s host department; this or the product' },
  },
  {
    key: 'productCode',
    header: '意向产品代码',
    headerEn: 'Product code',
    required: false,
    example: 'CREDIT',
    text: true,
    width: 12,
    schema: codeCell(),
    invalid: { zh: '应为产品代码', en: 'a product code' },
  },
  {
    key: 'contactName',
    header: '客户姓名',
    headerEn: 'Client name',
    aliases: ['联系人'],
    required: true,
    example: '王小明',
    width: 12,
    schema: textCell(60),
    invalid: { zh: '不能超过60个字', en: 'at most 60 characters' },
  },
  {
    key: 'idNumber',
    header: '客户身份证号码',
    headerEn: 'Client ID number',
    aliases: ['身份证号码', '证件号码'],
    required: false,
    example: '',
    text: true,
    width: 20,
    schema: idTextCell(),
    invalid: { zh: '身份证号码格式不正确', en: 'not an ID number' },
    note: { zh: '已建档个人客户的身份证号码（可不填）', en: 'ID number of a filed client (optional)' },
  },
  {
    key: 'uscc',
    header: '统一社会信用代码',
    headerEn: 'Credit code',
    required: false,
    example: '',
    text: true,
    width: 20,
    schema: codeCell(18),
    invalid: { zh: '统一社会信用代码格式不正确', en: 'not a credit code' },
    explain: usccProblem,
  },
  {
    key: 'source',
    header: '来源',
    headerEn: 'Source',
    required: false,
    example: '转介绍',
    width: 10,
    schema: enumCell(SOURCES),
    invalid: { zh: '应为 转介绍、营销活动、需求调查、手工 或 导入', en: 'referral, activity, survey, manual or import' },
  },
  {
    key: 'ownerNo',
    header: '承接人工号',
    headerEn: 'Holder staff No.',
    required: false,
    example: '',
    text: true,
    width: 12,
    schema: codeCell(),
    invalid: { zh: '应为员工工号', en: 'a staff number' },
    note: { zh: '不填则按容量轮转规则分配给承接部门的客户经理', en: 'Empty: assigned by the capacity rule' },
  },
  { key: 'note', header: '备注', headerEn: 'Note', required: false, example: '', width: 24, schema: textCell(500), invalid: { zh: '不能超过500个字', en: 'at most 500 characters' } },
];

/**
 * 商机 by Excel (issue 13): one row per lead, keyed by 商机编号 so a re-import adds nothing. Rows
 * without a holder are assigned in one pass per department by the capacity rule, after the rows
 * with one — so a file of 100,000 leads spreads evenly over the department's account managers.
 */
export const leadsSpec: ImportSpec<LeadValue> = {
  kind: 'leads',
  labelZh: '商机',
  labelEn: 'Leads',
  permission: 'lead.manage',
  columns: COLUMNS,

  parseRow(cells) {
    const { values, errors } = parseCells(COLUMNS, cells);
    if (typeof values.idNumber === 'string') {
      const id = parseIdNumber(values.idNumber, clock.today());
      if (!id.ok) errors.push({ column: 'idNumber', ...idNumberProblem(cells.idNumber, id.problem) });
    }
    if (!errors.length && !values.departmentCode && !values.productCode) errors.push({ column: 'productCode', zh: '意向产品代码与承接部门代码至少填写一项', en: 'give the product or the department' });
    if (errors.length) return { errors };
    return {
      value: {
        key: (values.key as string).toUpperCase(),
        branchCode: values.branchCode as string,
        departmentCode: (values.departmentCode as string | null)?.toUpperCase() ?? null,
        productCode: (values.productCode as string | null)?.toUpperCase() ?? null,
        contactName: values.contactName as string,
        idNumber: values.idNumber as string | null,
        uscc: (values.uscc as string | null)?.toUpperCase() ?? null,
        source: (values.source as LeadSource | null) ?? 'import',
        ownerNo: values.ownerNo as string | null,
        note: values.note as string | null,
      },
    };
  },

  naturalKey: (v) => v.key,

  async prepare(db, list, ctx) {
    const errors = new Map<number, RowError[]>();
    const { byCode } = await nodesByCode(db);
    const products = new Map(
      (await rows<{ code: string; id: number; host: string }>(db, sql`SELECT upper(code) AS code, id, upper(host_department_code) AS host FROM products`)).map((p) => [p.code, p]),
    );
    const depts = new Map(
      (await rows<{ nodeId: number; code: string; id: number }>(db, sql`SELECT node_id AS "nodeId", upper(code) AS code, id FROM departments WHERE active`)).map((d) => [
        `${d.nodeId}:${d.code}`,
        d.id,
      ]),
    );
    const people = await peopleById(
      db,
      list.flatMap((r) => (r.value.idNumber ? [r.value.idNumber] : [])),
    );
    const firms = await companiesByUscc(
      db,
      list.flatMap((r) => (r.value.uscc ? [r.value.uscc] : [])),
    );
    const owners = await staffByNo(
      db,
      list.flatMap((r) => (r.value.ownerNo ? [r.value.ownerNo] : [])),
    );
    const pathOf = new Map((await rows<{ id: number; path: string }>(db, sql`SELECT id, path FROM org_nodes`)).map((n) => [n.id, n.path]));
    const assignable = new Map<number, Set<number>>();
    for (const { rowNumber, value: v } of list) {
      const node = byCode.get(v.branchCode);
      // A lead is worked by a branch's departments; outside the caller's scope it is refused, without a word about it.
      if (!node || !canAt(ctx.auth, 'lead.manage', node.branchPath)) {
        addError(errors, rowNumber, {
          column: 'branchCode',
          code: 'IMPORT.REFERENCE',
          zh: `机构号 ${v.branchCode} 不存在或不在您的管理范围内`,
          en: `org ${v.branchCode} unknown or outside your scope`,
        });
        continue;
      }
      v.nodeId = node.branchId;
      const product = v.productCode ? products.get(v.productCode) : undefined;
      if (v.productCode && !product) addError(errors, rowNumber, { column: 'productCode', code: 'IMPORT.REFERENCE', zh: `产品代码 ${v.productCode} 不存在`, en: `unknown product ${v.productCode}` });
      v.productId = product?.id ?? null;
      const deptCode = v.departmentCode ?? product?.host ?? null;
      const deptId = deptCode ? depts.get(`${node.branchId}:${deptCode}`) : undefined;
      if (deptCode && !deptId)
        addError(errors, rowNumber, {
          column: v.departmentCode ? 'departmentCode' : 'productCode',
          code: 'IMPORT.REFERENCE',
          zh: `该分行没有代码为 ${deptCode} 的部门`,
          en: `the branch has no department ${deptCode}`,
        });
      v.departmentId = deptId;
      const person = v.idNumber ? people.get(v.idNumber) : undefined;
      if (v.idNumber && (!person || !canReach(ctx.auth, READS.individual, pathOf.get(person.nodeId) ?? '')))
        addError(errors, rowNumber, { column: 'idNumber', code: 'IMPORT.REFERENCE', zh: '该身份证号码不是您可查看的已建档客户', en: 'not a client on file you may read' });
      v.personId = person?.id ?? null;
      const firm = v.uscc ? firms.get(v.uscc) : undefined;
      if (v.uscc && (!firm || !canReach(ctx.auth, READS.company, pathOf.get(firm.nodeId) ?? '')))
        addError(errors, rowNumber, { column: 'uscc', code: 'IMPORT.REFERENCE', zh: '该统一社会信用代码不是您可查看的已建档对公客户', en: 'not a corporate client on file you may read' });
      v.companyId = firm?.id ?? null;
      if (v.ownerNo && deptId) {
        if (!assignable.has(deptId)) assignable.set(deptId, new Set((await assigneesOf(db, deptId)).map((a) => a.staffId)));
        const owner = owners.get(v.ownerNo);
        if (!owner || !assignable.get(deptId)!.has(owner.id))
          addError(errors, rowNumber, {
            column: 'ownerNo',
            code: 'LEAD.BAD_ASSIGNEE',
            zh: `工号 ${v.ownerNo} 不是承接部门可承接商机的在职员工`,
            en: `${v.ownerNo} cannot hold the department's leads`,
          });
        v.ownerId = owner?.id ?? null;
      }
    }
    return errors;
  },

  async write(tx, list, ctx, onRows) {
    const keys = list.map((r) => r.value.key);
    const existing = new Set<string>();
    for (let i = 0; i < keys.length; i += 5000) {
      const slice = keys.slice(i, i + 5000);
      const got = await rows<{ k: string }>(tx, sql`SELECT source_key AS k FROM leads WHERE source_key = ANY(${textArray(slice)}::text[])`);
      for (const g of got) existing.add(g.k);
    }
    const fresh = list.filter((r) => !existing.has(r.value.key)).map((r) => r.value);
    // Rows without a holder: by the capacity rule, per department, counting the file's own named holders first.
    const byDept = new Map<number, LeadValue[]>();
    const named = new Map<number, number>();
    for (const v of fresh) {
      if (v.ownerId) named.set(v.ownerId, (named.get(v.ownerId) ?? 0) + 1);
      else {
        const list = byDept.get(v.departmentId!);
        if (list) list.push(v);
        else byDept.set(v.departmentId!, [v]);
      }
    }
    for (const [dept, vs] of byDept) {
      const people = await assigneesForAssignment(tx, dept);
      for (const p of people) p.open += named.get(p.staffId) ?? 0;
      const to = assignLeads(vs.length, people);
      vs.forEach((v, i) => (v.ownerId = to[i]));
    }
    const at = clock.now().toISOString();
    const audit: AuditEntryInput[] = [];
    for (let i = 0; i < fresh.length; i += 2000) {
      const slice = fresh.slice(i, i + 2000);
      const ids = await rows<{ id: number; key: string }>(
        tx,
        sql`INSERT INTO leads (node_id, department_id, owner_staff_id, product_id, person_id, company_id, contact_name, source, source_key, note, created_by, created_at, touched_at)
            SELECT * FROM unnest(${intArray(slice.map((v) => v.nodeId))}::int[], ${intArray(slice.map((v) => v.departmentId))}::int[], ${intArray(slice.map((v) => v.ownerId))}::int[],
                                 ${intArray(slice.map((v) => v.productId))}::int[], ${intArray(slice.map((v) => v.personId))}::int[], ${intArray(slice.map((v) => v.companyId))}::int[],
                                 ${textArray(slice.map((v) => v.contactName))}::text[], ${textArray(slice.map((v) => v.source))}::text[], ${textArray(slice.map((v) => v.key))}::text[], ${textArray(slice.map((v) => v.note))}::text[],
                                 ${intArray(slice.map(() => ctx.auth.staffId))}::int[], ${textArray(slice.map(() => at))}::timestamptz[], ${textArray(slice.map(() => at))}::timestamptz[])
            RETURNING id, source_key AS key`,
      );
      const idOf = new Map(ids.map((r) => [r.key, r.id]));
      await tx.execute(
        sql`INSERT INTO lead_events (lead_id, at, actor_staff_id, kind, detail)
            SELECT l.id, ${at}::timestamptz, ${ctx.auth.staffId}::int, e.kind, e.detail::jsonb
              FROM leads l, LATERAL (VALUES ('created', ${JSON.stringify({ source: 'import' })}), ('assigned', json_build_object('staffId', l.owner_staff_id, 'why', 'import')::text)) AS e(kind, detail)
             WHERE l.id = ANY(${intArray(ids.map((r) => r.id))}::int[]) AND (e.kind = 'created' OR l.owner_staff_id IS NOT NULL)`,
      );
      for (const v of slice)
        audit.push({
          action: 'lead.create',
          entity: 'lead',
          entityId: idOf.get(v.key)!,
          nodeId: v.nodeId!,
          after: { key: v.key, departmentId: v.departmentId, ownerStaffId: v.ownerId ?? null, source: v.source },
        });
      onRows?.(Math.min(i + slice.length, fresh.length));
    }
    // One notification per holder, not one per lead: "N 条新商机".
    const perOwner = new Map<number, number>();
    for (const v of fresh) if (v.ownerId) perOwner.set(v.ownerId, (perOwner.get(v.ownerId) ?? 0) + 1);
    for (const [staffId, n] of perOwner)
      await notify(tx, recipients.one(staffId), {
        kind: 'lead.assigned',
        titleZh: `您有 ${n} 条新商机（批量导入），请在3天内跟进`,
        titleEn: `${n} new leads (import): follow up within 3 days`,
        link: '/leads?view=mine',
      });
    await appendAudit(tx, ctx.actor, audit);
    return { inserted: fresh.length, updated: 0, unchanged: list.length - fresh.length };
  },
};
