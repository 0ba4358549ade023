import { and, eq, sql } from 'drizzle-orm';
import { companyPeople, type PersonRole } from '../../db/schema/index.js';
import { canAt } from '../access/context.js';
import { canReach, READS } from '../access/references.js';
import { appendAudit, type AuditEntryInput } from '../audit/audit.service.js';
import { ID_PROBLEM_TEXT, parseIdNumber } from './ids.rules.js';
import { addError, idNumberProblem, companyRefsByUscc, dateText, E, idTextCell, nodesByCode, personRefsById, USCC_INVALID, usccCell, usccProblem } from './import-cells.js';
import { dateCell, enumCell, textCell } from '../imports/cells.js';
import { chunks, type ImportColumn, type ImportSpec, parseCells, type RowError, type WriteCounts } from '../imports/import-spec.js';
import { clock } from '../../calendar/index.js';
import { insertRecords } from '../imports/bulk-insert.js';
import { intArray } from '../../db/arrays.js';

/** A company↔person relationship row; ids are filled by prepare(). */
export interface CompanyPersonValue {
  uscc: string;
  idNumber: string;
  role: PersonRole;
  title: string | null;
  since: string | null;
  until: string | null;
  companyId?: number;
  personId?: number;
  nodeId?: number;
}

const ROLE_WORDS: Record<string, PersonRole> = {
  法定代表人: 'legal_rep',
  法人代表: 'legal_rep',
  高管: 'executive',
  高级管理人员: 'executive',
  中层: 'middle',
  中层管理人员: 'middle',
  员工: 'staff',
  职工: 'staff',
  股东: 'shareholder',
  legal_rep: 'legal_rep',
  executive: 'executive',
  middle: 'middle',
  staff: 'staff',
  shareholder: 'shareholder',
};

const COLUMNS: ImportColumn[] = [
  {
    key: 'uscc',
    header: '统一社会信用代码',
    headerEn: 'Unified social credit code',
    aliases: ['企业信用代码'],
    required: true,
    example: '91350100M000100Y43',
    text: true,
    width: 22,
    schema: usccCell(),
    invalid: USCC_INVALID,
    explain: usccProblem,
    note: { zh: '已导入的对公客户的统一社会信用代码', en: 'Code of an existing corporate client' },
  },
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
    note: { zh: '已导入的个人客户的身份证号码', en: 'ID number of an existing individual' },
  },
  {
    key: 'role',
    header: '关系',
    headerEn: 'Role',
    aliases: ['关系类型', '人员类别'],
    required: true,
    example: '高管',
    width: 10,
    schema: enumCell(ROLE_WORDS),
    invalid: { zh: '应为法定代表人、高管、中层、员工或股东', en: 'must be legal_rep, executive, middle, staff or shareholder' },
  },
  {
    key: 'title',
    header: '职务',
    headerEn: 'Title',
    aliases: ['岗位'],
    required: false,
    example: '财务总监',
    width: 12,
    schema: textCell(50),
    invalid: { zh: '不能超过50个字', en: 'at most 50 characters' },
  },
  {
    key: 'since',
    header: '起始日期',
    headerEn: 'Since',
    aliases: ['入职日期'],
    required: false,
    example: '2020-01-01',
    width: 12,
    schema: dateCell(),
    invalid: { zh: '日期格式不正确', en: 'invalid date' },
  },
  { key: 'until', header: '终止日期', headerEn: 'Until', aliases: ['离职日期'], required: false, example: '', width: 12, schema: dateCell(), invalid: { zh: '日期格式不正确', en: 'invalid date' } },
];

/** SPEC §2 company↔person relationships by Excel, upserted by (USCC, ID number, role). */
export const companyPeopleSpec: ImportSpec<CompanyPersonValue> = {
  kind: 'company-people',
  labelZh: '企业人员关系',
  labelEn: 'Company–person relationships',
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
    const since = values.since as string | null;
    const until = values.until as string | null;
    if (since && until && until < since) errors.push({ column: 'until', ...E.dates });
    if (errors.length || !idNumber) return { errors };
    return { value: { uscc: values.uscc as string, idNumber, role: values.role as PersonRole, title: values.title as string | null, since, until } };
  },

  naturalKey: (v) => `${v.uscc} / ${v.idNumber.slice(0, 4)}…${v.idNumber.slice(-4)} / ${v.role}`,

  async prepare(db, list, ctx) {
    const errors = new Map<number, RowError[]>();
    const { pathById } = await nodesByCode(db);
    const companies = await companyRefsByUscc(
      db,
      list.map((r) => r.value.uscc),
    );
    const people = await personRefsById(
      db,
      list.map((r) => r.value.idNumber),
    );
    for (const { rowNumber, value: v } of list) {
      const c = companies.get(v.uscc);
      const p = people.get(v.idNumber);
      if (!c) addError(errors, rowNumber, { column: 'uscc', ...E.employerUnknown(v.uscc) });
      else if (!canAt(ctx.auth, 'customer.write', pathById.get(c.nodeId) ?? '')) addError(errors, rowNumber, { column: 'uscc', ...E.clientOutOfScope });
      if (!p) addError(errors, rowNumber, { column: 'idNumber', ...E.personUnknown });
      // The person is named, not written: one the caller reads (the one reference check, finding 11).
      else if (!canReach(ctx.auth, READS.individual, pathById.get(p.nodeId) ?? '')) addError(errors, rowNumber, { column: 'idNumber', ...E.clientOutOfScope });
      if (c && p) {
        v.companyId = c.id;
        v.personId = p.id;
        v.nodeId = c.nodeId;
      }
    }
    return errors;
  },

  async write(tx, list, ctx, onRows): Promise<WriteCounts> {
    const counts: WriteCounts = { inserted: 0, updated: 0, unchanged: 0 };
    const audit: AuditEntryInput[] = [];
    let done = 0;
    for (const slice of chunks(list, 5000)) {
      const companyIds = [...new Set(slice.map((r) => r.value.companyId!))];
      const existing = await tx
        .select()
        .from(companyPeople)
        .where(sql`${companyPeople.companyId} = ANY(${intArray(companyIds)}::int[])`);
      const byKey = new Map(existing.map((l) => [`${l.companyId}:${l.personId}:${l.role}`, l]));
      const inserts: (typeof companyPeople.$inferInsert & { nodeId: number })[] = [];
      for (const { value: v } of slice) {
        const l = byKey.get(`${v.companyId}:${v.personId}:${v.role}`);
        const fields = { title: v.title, since: v.since, until: v.until };
        if (!l) {
          inserts.push({ companyId: v.companyId!, personId: v.personId!, role: v.role, ...fields, nodeId: v.nodeId! });
          continue;
        }
        const before = { title: l.title, since: dateText(l.since), until: dateText(l.until) };
        if (before.title === fields.title && before.since === fields.since && before.until === fields.until) {
          counts.unchanged++;
          continue;
        }
        await tx
          .update(companyPeople)
          .set(fields)
          .where(and(eq(companyPeople.id, l.id)));
        audit.push({ action: 'customer.link.update', entity: 'company_person', entityId: l.id, nodeId: v.nodeId!, before, after: fields });
        counts.updated++;
      }
      if (inserts.length) {
        const createdIds = await insertRecords(
          tx,
          companyPeople,
          inserts.map(({ nodeId: _n, ...r }) => r),
        );
        inserts.forEach((c, i) =>
          audit.push({
            action: 'customer.link.create',
            entity: 'company_person',
            entityId: createdIds[i],
            nodeId: c.nodeId,
            after: { companyId: c.companyId, personId: c.personId, role: c.role, title: c.title ?? null, since: dateText(c.since ?? null), until: dateText(c.until ?? null) },
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
