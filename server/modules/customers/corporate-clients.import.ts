import { eq, sql } from 'drizzle-orm';
import { rows } from '../../db/client.js';
import { corporateClients } from '../../db/schema/index.js';
import { canAt } from '../access/context.js';
import { appendAudit, type AuditEntryInput } from '../audit/audit.service.js';
import { auditableCompany } from './companies.service.js';
import { FACTS_CATALOGUE, type FactKey, parseFacts } from './facts.js';
import { addError, companiesByUscc, E, nodesByCode, staffByNo, USCC_INVALID, usccCell, usccProblem, wanFenCell } from './import-cells.js';
import { boolCell, codeCell, enumCell, intCell, textCell } from '../imports/cells.js';
import { chunks, type ImportColumn, type ImportSpec, parseCells, type RowError, type WriteCounts } from '../imports/import-spec.js';
import { normHeader } from '../imports/normalize.js';
import { clock } from '../../calendar/index.js';
import { insertRecords } from '../imports/bulk-insert.js';

/** A corporate client row; ids are filled by prepare(). */
export interface CorporateValue {
  uscc: string;
  name: string;
  typeWord: string;
  industryWord: string | null;
  orgCode: string;
  deptCode: string | null;
  amNo: string | null;
  legalRepresentative: string | null;
  creditLineFen: number | null;
  loanBalanceFen: number | null;
  annualSalesFen: number | null;
  provincialTaxRank: number | null;
  listed: boolean | null;
  /** Only the fact cells that were filled in (an empty cell keeps the stored fact). */
  facts: Record<string, unknown>;
  typeCode?: string;
  industryCode?: string | null;
  nodeId?: number;
  departmentId?: number | null;
  amId?: number | null;
}

const wan = { zh: '应为金额（万元），最多六位小数', en: 'must be an amount in 万元 (10,000 yuan)' };

/** One column per catalogued fact (SPEC §3), so the Article 9 criteria can be fed from Excel. */
const FACT_COLUMNS: ImportColumn[] = FACTS_CATALOGUE.map((f) => {
  const base = { key: `fact.${f.key}`, header: f.zh, headerEn: f.en, required: false, width: 14 };
  if (f.kind === 'boolean') return { ...base, example: '否', schema: boolCell(), invalid: { zh: '应为“是”或“否”', en: 'must be yes or no' } };
  if (f.kind === 'integer') return { ...base, example: '', schema: intCell(1, 1_000_000), invalid: { zh: '应为正整数', en: 'must be a positive whole number' } };
  const words: Record<string, string> = {};
  for (const o of f.options ?? []) {
    words[o.zh] = o.value;
    words[o.value] = o.value;
  }
  return {
    ...base,
    example: '',
    schema: enumCell(words),
    invalid: { zh: `应为：${(f.options ?? []).map((o) => o.zh).join('、')}`, en: `must be one of ${(f.options ?? []).map((o) => o.value).join(', ')}` },
  };
});

const COLUMNS: ImportColumn[] = [
  {
    key: 'uscc',
    header: '统一社会信用代码',
    headerEn: 'Unified social credit code',
    aliases: ['信用代码', '社会信用代码'],
    required: true,
    example: '91350100M000100Y43',
    text: true,
    width: 22,
    schema: usccCell(),
    invalid: USCC_INVALID,
    explain: usccProblem,
    note: { zh: '18位统一社会信用代码（校验位须正确）；已存在的代码将更新该客户', en: '18 characters, check character verified; an existing code updates that client' },
  },
  {
    key: 'name',
    header: '客户名称',
    headerEn: 'Client name',
    aliases: ['企业名称', '单位名称'],
    required: true,
    example: '佛山市顺德区某某电器有限公司',
    width: 36,
    schema: textCell(100),
    invalid: { zh: '不能超过100个字', en: 'at most 100 characters' },
  },
  {
    key: 'typeWord',
    header: '客户类型',
    headerEn: 'Client type',
    required: true,
    example: '企业',
    width: 12,
    schema: textCell(40),
    invalid: { zh: '客户类型不正确', en: 'invalid client type' },
    note: { zh: '企业、机关事业单位、政府/军队/公共机构、金融机构、学校、医院、景区、酒店、房地产开发商、政府融资平台', en: 'One of the client types' },
  },
  {
    key: 'industryWord',
    header: '所属行业',
    headerEn: 'Industry',
    aliases: ['行业'],
    required: false,
    example: '制造业',
    width: 16,
    schema: textCell(60),
    invalid: { zh: '行业不正确', en: 'invalid industry' },
    note: { zh: 'GB/T 4754 门类名称或字母代码，如“制造业”或“C”', en: 'GB/T 4754 section name or letter' },
  },
  {
    key: 'orgCode',
    header: '管户机构号',
    headerEn: 'Managing org code',
    aliases: ['机构号'],
    required: true,
    example: '44100',
    text: true,
    width: 12,
    schema: codeCell(),
    invalid: { zh: '应为字母、数字组成的机构号', en: 'must be letters and digits' },
  },
  {
    key: 'deptCode',
    header: '管户部门代码',
    headerEn: 'Managing dept code',
    aliases: ['部门代码'],
    required: false,
    example: 'CORP',
    text: true,
    width: 12,
    schema: codeCell(),
    invalid: { zh: '应为字母、数字组成的部门代码', en: 'must be letters and digits' },
  },
  {
    key: 'amNo',
    header: '客户经理工号',
    headerEn: 'AM staff No.',
    aliases: ['管户客户经理工号'],
    required: false,
    example: '44110001',
    text: true,
    width: 14,
    schema: codeCell(),
    invalid: { zh: '应为字母、数字组成的工号', en: 'must be letters and digits' },
  },
  {
    key: 'legalRepresentative',
    header: '法定代表人',
    headerEn: 'Legal representative',
    required: false,
    example: '张三',
    width: 10,
    schema: textCell(50),
    invalid: { zh: '不能超过50个字', en: 'at most 50 characters' },
  },
  { key: 'creditLineFen', header: '授信额度(万元)', headerEn: 'Credit line (10k yuan)', aliases: ['授信额度'], required: false, example: 10000, width: 14, schema: wanFenCell(), invalid: wan },
  { key: 'loanBalanceFen', header: '贷款余额(万元)', headerEn: 'Loan balance (10k yuan)', aliases: ['贷款余额'], required: false, example: 5000, width: 14, schema: wanFenCell(), invalid: wan },
  {
    key: 'annualSalesFen',
    header: '年销售额(万元)',
    headerEn: 'Annual sales (10k yuan)',
    aliases: ['年销售额', '营业收入(万元)'],
    required: false,
    example: 20000,
    width: 14,
    schema: wanFenCell(),
    invalid: wan,
  },
  {
    key: 'provincialTaxRank',
    header: '全省纳税排名',
    headerEn: 'Provincial tax ranking',
    aliases: ['纳税排名'],
    required: false,
    example: 150,
    width: 12,
    schema: intCell(1, 1_000_000),
    invalid: { zh: '应为正整数', en: 'must be a positive whole number' },
  },
  {
    key: 'listed',
    header: '是否上市',
    headerEn: 'Listed',
    aliases: ['上市公司'],
    required: false,
    example: '否',
    width: 8,
    schema: boolCell(),
    invalid: { zh: '应为“是”或“否”', en: 'must be yes or no' },
  },
  ...FACT_COLUMNS,
];

type ClientRow = typeof corporateClients.$inferSelect;
/** Key-order-independent JSON (jsonb reorders keys). */
const stable = (v: unknown): string =>
  v !== null && typeof v === 'object' && !Array.isArray(v)
    ? `{${Object.keys(v as object)
        .sort()
        .map((k) => `${JSON.stringify(k)}:${stable((v as Record<string, unknown>)[k])}`)
        .join(',')}}`
    : JSON.stringify(v ?? null);
const sameJson = (a: unknown, b: unknown) => stable(a) === stable(b);

/** SPEC §2 corporate clients by Excel, upserted by 统一社会信用代码. */
export const corporateClientsSpec: ImportSpec<CorporateValue> = {
  kind: 'corporate-clients',
  labelZh: '对公客户',
  labelEn: 'Corporate clients',
  permission: 'customer.write',
  columns: COLUMNS,

  parseRow(cells) {
    const { values, errors } = parseCells(COLUMNS, cells);
    if (errors.length) return { errors };
    const facts: Record<string, unknown> = {};
    for (const f of FACTS_CATALOGUE) {
      const v = values[`fact.${f.key}`];
      if (v !== null && v !== undefined) facts[f.key as FactKey] = v;
    }
    const checked = parseFacts(facts);
    if (!checked.ok) return { errors: [{ column: null, zh: `客户要素不正确：${checked.message}`, en: `invalid facts: ${checked.message}` }] };
    return {
      value: {
        uscc: values.uscc as string,
        name: values.name as string,
        typeWord: values.typeWord as string,
        industryWord: values.industryWord as string | null,
        orgCode: values.orgCode as string,
        deptCode: values.deptCode as string | null,
        amNo: values.amNo as string | null,
        legalRepresentative: values.legalRepresentative as string | null,
        creditLineFen: values.creditLineFen as number | null,
        loanBalanceFen: values.loanBalanceFen as number | null,
        annualSalesFen: values.annualSalesFen as number | null,
        provincialTaxRank: values.provincialTaxRank as number | null,
        listed: values.listed as boolean | null,
        facts: checked.facts,
      },
    };
  },

  naturalKey: (v) => v.uscc,

  async prepare(db, list, ctx) {
    const errors = new Map<number, RowError[]>();
    const { byCode, pathById } = await nodesByCode(db);
    const typeRows = await rows<{ code: string; nameZh: string; nameEn: string }>(db, sql`SELECT code, name_zh AS "nameZh", name_en AS "nameEn" FROM client_types`);
    const types = new Map<string, string>();
    for (const t of typeRows) for (const w of [t.code, t.nameZh, t.nameEn]) types.set(normHeader(w), t.code);
    const indRows = await rows<{ code: string; nameZh: string; nameEn: string }>(db, sql`SELECT code, name_zh AS "nameZh", name_en AS "nameEn" FROM industries`);
    const inds = new Map<string, string>();
    for (const t of indRows) for (const w of [t.code, t.nameZh, t.nameEn]) inds.set(normHeader(w), t.code);
    const depts = await rows<{ id: number; nodeId: number; code: string }>(db, sql`SELECT id, node_id AS "nodeId", code FROM departments`);
    const deptKey = new Map(depts.map((d) => [`${d.nodeId}:${d.code}`, d.id]));
    const ams = await staffByNo(
      db,
      list.flatMap((r) => (r.value.amNo ? [r.value.amNo] : [])),
    );
    const current = await companiesByUscc(
      db,
      list.map((r) => r.value.uscc),
    );
    for (const { rowNumber, value: v } of list) {
      const existing = current.get(v.uscc);
      if (existing && !canAt(ctx.auth, 'customer.write', pathById.get(existing.nodeId) ?? '')) addError(errors, rowNumber, { column: 'uscc', ...E.clientOutOfScope });
      v.typeCode = types.get(normHeader(v.typeWord));
      if (!v.typeCode) addError(errors, rowNumber, { column: 'typeWord', ...E.typeUnknown(v.typeWord) });
      v.industryCode = null;
      if (v.industryWord) {
        v.industryCode = inds.get(normHeader(v.industryWord)) ?? null;
        if (!v.industryCode) addError(errors, rowNumber, { column: 'industryWord', ...E.industryUnknown(v.industryWord) });
      }
      const node = byCode.get(v.orgCode);
      if (!node) {
        addError(errors, rowNumber, { column: 'orgCode', ...E.orgUnknown(v.orgCode) });
        continue;
      }
      if (!canAt(ctx.auth, 'customer.write', node.path)) {
        addError(errors, rowNumber, { column: 'orgCode', ...E.orgOutOfScope(v.orgCode) });
        continue;
      }
      v.nodeId = node.id;
      v.departmentId = null;
      if (v.deptCode) {
        const id = deptKey.get(`${node.branchId}:${v.deptCode}`);
        if (id === undefined) addError(errors, rowNumber, { column: 'deptCode', ...E.deptUnknown(v.deptCode) });
        else v.departmentId = id;
      }
      v.amId = null;
      if (v.amNo) {
        const am = ams.get(v.amNo);
        if (!am || !am.path.startsWith(node.branchPath)) addError(errors, rowNumber, { column: 'amNo', ...E.amUnknown(v.amNo) });
        else v.amId = am.id;
      }
    }
    return errors;
  },

  async write(tx, list, ctx, onRows): Promise<WriteCounts> {
    const counts: WriteCounts = { inserted: 0, updated: 0, unchanged: 0 };
    const audit: AuditEntryInput[] = [];
    const now = clock.now();
    let done = 0;
    for (const slice of chunks(list, 5000)) {
      const current = await companiesByUscc(
        tx,
        slice.map((r) => r.value.uscc),
      );
      const inserts: (typeof corporateClients.$inferInsert)[] = [];
      for (const { value: v } of slice) {
        const c = current.get(v.uscc);
        const fields = {
          uscc: v.uscc,
          name: v.name,
          typeCode: v.typeCode!,
          industryCode: v.industryCode ?? null,
          nodeId: v.nodeId!,
          departmentId: v.departmentId ?? null,
          accountManagerId: v.amId ?? null,
          legalRepresentative: v.legalRepresentative,
          creditLineFen: v.creditLineFen,
          loanBalanceFen: v.loanBalanceFen,
          annualSalesFen: v.annualSalesFen,
          provincialTaxRank: v.provincialTaxRank,
          listed: v.listed ?? c?.listed ?? false,
          facts: { ...(c?.facts ?? {}), ...v.facts },
        };
        if (!c) {
          inserts.push(fields);
          continue;
        }
        const before = auditableCompany(c);
        const after = auditableCompany({ ...c, ...fields } as ClientRow);
        if (sameJson(before, after)) {
          counts.unchanged++;
          continue;
        }
        await tx
          .update(corporateClients)
          .set({ ...fields, updatedAt: now })
          .where(eq(corporateClients.id, c.id));
        audit.push({ action: 'customer.company.update', entity: 'corporate_client', entityId: c.id, nodeId: fields.nodeId, before, after });
        counts.updated++;
      }
      if (inserts.length) {
        const createdIds = await insertRecords(tx, corporateClients, inserts);
        // The entry says what the row holds: the fields written, the address (not imported) empty.
        inserts.forEach((c, i) =>
          audit.push({
            action: 'customer.company.create',
            entity: 'corporate_client',
            entityId: createdIds[i],
            nodeId: c.nodeId,
            after: auditableCompany({ ...c, id: createdIds[i], address: null } as ClientRow),
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
