import { hash } from 'node:crypto';
import { sql } from 'drizzle-orm';
import { type DbOrTx, rows } from '../../db/client.js';
import { normaliseRole, type SaleInput } from './sales.rules.js';

/**
 * What a sale says, for telling a re-send from a correction (issue 12, rule 3; decision 0012).
 * The content is every field that makes the sale — product, client, project, development, date,
 * quantity, branch, host department, participants with ratios, people with departments, roles and
 * contributions — in its normalised form: codes NFKC and upper-cased where they are matched without
 * case, dates ISO, quantities and percentages exact integers, roles in their long form, lists sorted.
 * Two sends that differ only in formatting (全角 digits, spaces, 2026/11/5) have the same content.
 */
export interface SaleContent {
  productCode: string;
  idNumber: string | null;
  uscc: string | null;
  projectId: number | null;
  developmentCode: string | null;
  saleDate: string;
  quantity1e4: number;
  branchCode: string | null;
  hostDepartmentCode: string | null;
  departments: { code: string; ratioBp: number | null; weight: number | null }[];
  people: { staffNo: string; departmentCode: string | null; role: string; contributionBp: number | null; weight: number | null }[];
}

/** The fields a conflict names (the sale's own names; an import maps them to its columns). */
export type ContentField = 'productCode' | 'client' | 'projectId' | 'developmentCode' | 'saleDate' | 'quantity' | 'branchCode' | 'hostDepartmentCode' | 'departments' | 'people';

const text = (s: string | null | undefined): string | null => {
  const t = s?.normalize('NFKC').trim();
  return t ? t : null;
};
const upper = (s: string | null | undefined) => text(s)?.toUpperCase() ?? null;
const cmp = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

/** The normalised content of an input (whichever way it arrived). */
export function contentOf(s: SaleInput): SaleContent {
  return {
    productCode: upper(s.productCode)!,
    idNumber: upper(s.idNumber),
    uscc: upper(s.uscc),
    projectId: s.projectId ?? null,
    // Development and branch codes and staff numbers are matched as written (sales.resolve.ts).
    developmentCode: text(s.developmentCode),
    saleDate: s.saleDate,
    quantity1e4: Number(s.quantity1e4),
    branchCode: text(s.branchCode),
    hostDepartmentCode: upper(s.hostDepartmentCode),
    departments: s.departments.map((d) => ({ code: upper(d.code)!, ratioBp: d.ratioBp ?? null, weight: d.weight ?? null })).sort((a, b) => cmp(a.code, b.code)),
    people: s.people
      .map((p) => ({ staffNo: text(p.staffNo)!, departmentCode: upper(p.departmentCode), role: normaliseRole(text(p.role)), contributionBp: p.contributionBp ?? null, weight: p.weight ?? null }))
      .sort((a, b) => cmp(a.staffNo, b.staffNo) || cmp(a.departmentCode ?? '', b.departmentCode ?? '') || cmp(a.role, b.role)),
  };
}

/**
 * One element of a JSON array as JSON.stringify writes it inside the array: a string without
 * quotes, backslashes, control characters or surrogates is written as is between quotes (the
 * common case, no escaping to look for twice); anything else goes through JSON.stringify, and
 * what it cannot write (undefined) is null, as in an array.
 */
export function jsonItem(v: unknown): string {
  if (typeof v === 'string') {
    let plain = true;
    for (let i = 0; i < v.length; i++) {
      const c = v.charCodeAt(i);
      if (c < 0x20 || c === 0x22 || c === 0x5c || (c >= 0xd800 && c <= 0xdfff)) {
        plain = false;
        break;
      }
    }
    if (plain) return `"${v}"`;
  } else if (v === null) return 'null';
  return JSON.stringify(v) ?? 'null';
}

/**
 * The canonical JSON of the content (fixed key order), written straight out: the same text as
 * JSON.stringify of the array below, without building the array per sale (a bulk load fingerprints
 * millions). content.test.ts holds the two to the same text.
 *
 *   [productCode, idNumber, uscc, projectId, developmentCode, saleDate, quantity1e4, branchCode,
 *    hostDepartmentCode, [[code, ratioBp(, weight)]…], [[staffNo, departmentCode, role, contributionBp(, weight)]…]]
 *
 * A weight is appended only when there is one, so a sale without weights keeps the fingerprint it
 * had before weights existed.
 */
export function canonicalOf(c: SaleContent): string {
  let out = `[${jsonItem(c.productCode)},${jsonItem(c.idNumber)},${jsonItem(c.uscc)},${jsonItem(c.projectId)},${jsonItem(c.developmentCode)},${jsonItem(c.saleDate)},${jsonItem(c.quantity1e4)},${jsonItem(c.branchCode)},${jsonItem(c.hostDepartmentCode)},[`;
  for (let i = 0; i < c.departments.length; i++) {
    const d = c.departments[i];
    out += `${i ? ',' : ''}[${jsonItem(d.code)},${jsonItem(d.ratioBp)}${d.weight === null ? '' : `,${jsonItem(d.weight)}`}]`;
  }
  out += '],[';
  for (let i = 0; i < c.people.length; i++) {
    const p = c.people[i];
    out += `${i ? ',' : ''}[${jsonItem(p.staffNo)},${jsonItem(p.departmentCode)},${jsonItem(p.role)},${jsonItem(p.contributionBp)}${p.weight === null ? '' : `,${jsonItem(p.weight)}`}]`;
  }
  return `${out}]]`;
}

/** The canonical JSON as it was first written (JSON.stringify of an array): canonicalOf must equal it. */
export function canonicalArrayOf(c: SaleContent): string {
  return JSON.stringify([
    c.productCode,
    c.idNumber,
    c.uscc,
    c.projectId,
    c.developmentCode,
    c.saleDate,
    c.quantity1e4,
    c.branchCode,
    c.hostDepartmentCode,
    c.departments.map((d) => (d.weight === null ? [d.code, d.ratioBp] : [d.code, d.ratioBp, d.weight])),
    c.people.map((p) => (p.weight === null ? [p.staffNo, p.departmentCode, p.role, p.contributionBp] : [p.staffNo, p.departmentCode, p.role, p.contributionBp, p.weight])),
  ]);
}

/** sha256 of the canonical JSON of the content (fixed key order): stored with the sale at insert. */
export function fingerprintOf(s: SaleInput): string {
  // One-shot hash: the same digest as createHash().update().digest('hex'), without a Hash object per sale.
  return hash('sha256', canonicalOf(contentOf(s)), 'hex');
}

/** A recorded sale as it stands, for the field-by-field comparison. */
export interface StoredSale {
  id: number;
  content: SaleContent;
}

interface StoredRow {
  id: number;
  sourceId: string;
  productCode: string;
  idNumber: string | null;
  uscc: string | null;
  projectId: number | null;
  developmentCode: string | null;
  saleDate: string;
  quantity1e4: number | string;
  branchCode: string;
  hostDepartmentCode: string;
  departments: { code: string; ratioBp: number | null; weight: number | null }[] | string;
  people: { staffNo: string; departmentCode: string; role: string; contributionBp: number | null; weight: number | null }[] | string;
}

const json = <T>(v: T | string): T => (typeof v === 'string' ? (JSON.parse(v) as T) : v);

/** The recorded content of these sales, in one statement whatever their number. */
export async function loadStoredSales(db: DbOrTx, ids: readonly number[]): Promise<Map<number, StoredSale>> {
  if (ids.length === 0) return new Map();
  const list = await rows<StoredRow>(
    db,
    sql`SELECT s.id, s.source_id AS "sourceId", p.code AS "productCode", i.id_number AS "idNumber", c.uscc, s.project_id AS "projectId",
               dv.code AS "developmentCode", s.sale_date::text AS "saleDate", s.quantity_1e4 AS "quantity1e4", n.code AS "branchCode",
               h.code AS "hostDepartmentCode",
               COALESCE((SELECT json_agg(json_build_object('code', d.code, 'ratioBp', sd.ratio_bp, 'weight', sd.weight))
                         FROM sale_departments sd JOIN departments d ON d.id = sd.department_id WHERE sd.sale_id = s.id), '[]'::json) AS departments,
               COALESCE((SELECT json_agg(json_build_object('staffNo', st.staff_no, 'departmentCode', d.code, 'role', sp.role, 'contributionBp', sp.contribution_bp, 'weight', sp.weight))
                         FROM sale_people sp JOIN staff st ON st.id = sp.staff_id JOIN departments d ON d.id = sp.department_id
                         WHERE sp.sale_id = s.id), '[]'::json) AS people
        FROM sales s JOIN products p ON p.id = s.product_id JOIN org_nodes n ON n.id = s.node_id JOIN departments h ON h.id = s.host_department_id
        LEFT JOIN individuals i ON i.id = s.person_id LEFT JOIN corporate_clients c ON c.id = s.company_id
        LEFT JOIN developments dv ON dv.id = s.development_id
        WHERE s.id = ANY(${`{${ids.join(',')}}`}::int[])`,
  );
  return new Map(
    list.map((r) => [
      Number(r.id),
      {
        id: Number(r.id),
        content: contentOf({
          sourceId: r.sourceId,
          productCode: r.productCode,
          idNumber: r.idNumber,
          uscc: r.uscc,
          projectId: r.projectId,
          developmentCode: r.developmentCode,
          saleDate: r.saleDate,
          quantity1e4: Number(r.quantity1e4),
          branchCode: r.branchCode,
          hostDepartmentCode: r.hostDepartmentCode,
          departments: json(r.departments),
          people: json(r.people),
        }),
      },
    ]),
  );
}

/**
 * The fields in which a re-send differs from the recorded sale, in a fixed order; [] = the same
 * sale. A field the server fills in when it is left out — the branch, the host department, a
 * person's department — is compared only when the re-send states it: what it was filled with then
 * (the first person's branch, the product's host, the person's department) may differ from today.
 */
export function differingFields(sent: SaleContent, stored: SaleContent): ContentField[] {
  const out: ContentField[] = [];
  if (sent.productCode !== stored.productCode) out.push('productCode');
  if (sent.idNumber !== stored.idNumber || sent.uscc !== stored.uscc) out.push('client');
  if (sent.projectId !== stored.projectId) out.push('projectId');
  if (sent.developmentCode !== stored.developmentCode) out.push('developmentCode');
  if (sent.saleDate !== stored.saleDate) out.push('saleDate');
  if (sent.quantity1e4 !== stored.quantity1e4) out.push('quantity');
  if (sent.branchCode !== null && sent.branchCode !== stored.branchCode) out.push('branchCode');
  if (sent.hostDepartmentCode !== null && sent.hostDepartmentCode !== stored.hostDepartmentCode) out.push('hostDepartmentCode');
  if (JSON.stringify(sent.departments) !== JSON.stringify(stored.departments)) out.push('departments');
  if (!samePeople(sent.people, stored.people)) out.push('people');
  return out;
}

function samePeople(sent: SaleContent['people'], stored: SaleContent['people']): boolean {
  if (sent.length !== stored.length) return false;
  const left = [...stored];
  for (const p of sent) {
    const i = left.findIndex(
      (q) => q.staffNo === p.staffNo && q.role === p.role && q.contributionBp === p.contributionBp && q.weight === p.weight && (p.departmentCode === null || q.departmentCode === p.departmentCode),
    );
    if (i < 0) return false;
    left.splice(i, 1);
  }
  return true;
}

const LABEL: Record<ContentField, { zh: string; en: string }> = {
  productCode: { zh: '产品代码', en: 'product code' },
  client: { zh: '客户', en: 'client' },
  projectId: { zh: '项目编号', en: 'project' },
  developmentCode: { zh: '楼盘编号', en: 'development code' },
  saleDate: { zh: '销售日期', en: 'sale date' },
  quantity: { zh: '数量', en: 'quantity' },
  branchCode: { zh: '机构号', en: 'branch code' },
  hostDepartmentCode: { zh: '主办部门', en: 'host department' },
  departments: { zh: '参与部门', en: 'participating departments' },
  people: { zh: '营销人员', en: 'people' },
};

const maskId = (id: string) => (id.length > 8 ? `${id.slice(0, 4)}${'*'.repeat(id.length - 8)}${id.slice(-4)}` : id);
const pct = (bp: number | null, weight: number | null = null) => (weight !== null ? `:w${weight}` : bp === null ? '' : `:${bp / 100}`);

/** A field's value as a person reads it (ID numbers masked). */
export function shownValue(c: SaleContent, f: ContentField): string {
  switch (f) {
    case 'client':
      return [c.idNumber && maskId(c.idNumber), c.uscc].filter(Boolean).join(' / ') || '—';
    case 'quantity':
      return String(c.quantity1e4 / 10_000);
    case 'departments':
      return c.departments.map((d) => `${d.code}${pct(d.ratioBp, d.weight)}`).join(',') || '—';
    case 'people':
      return c.people.map((p) => `${p.staffNo}${p.departmentCode ? `@${p.departmentCode}` : ''}:${p.role}${pct(p.contributionBp, p.weight)}`).join(',') || '—';
    default: {
      const v = c[f];
      return v === null ? '—' : String(v);
    }
  }
}

/** The sentence for one differing field: what is on file, what was sent, where corrections go. */
export function conflictText(sourceId: string, saleId: number, f: ContentField, sent: SaleContent, stored: SaleContent): { zh: string; en: string } {
  const was = shownValue(stored, f);
  const now = shownValue(sent, f);
  return {
    zh: `交易流水号 ${sourceId} 已登记过（销售 #${saleId}），但${LABEL[f].zh}不同：已登记 ${was}，本次 ${now}；更正请走更正流程`,
    en: `source id ${sourceId} is already recorded (sale #${saleId}) with a different ${LABEL[f].en}: recorded ${was}, sent ${now}; corrections go through the correction path`,
  };
}

/** A source id on file at a branch the caller may not write at (or in an archived year): that it is taken, nothing more. */
export function takenElsewhereText(sourceId: string): { zh: string; en: string } {
  return {
    zh: `交易流水号 ${sourceId} 已由您管理范围以外的机构登记（或所属年度已归档），不能重复登记`,
    en: `source id ${sourceId} is already recorded outside your organisation (or in an archived year)`,
  };
}

/** The whole conflict in one sentence (the API's message). */
export function conflictSummary(sourceId: string, fields: ContentField[]): { zh: string; en: string } {
  return {
    zh: `该交易流水号 ${sourceId} 已登记过，但内容不同：${fields.map((f) => LABEL[f].zh).join('、')}；更正请走更正流程`,
    en: `source id ${sourceId} is already recorded with different content: ${fields.map((f) => LABEL[f].en).join(', ')}; corrections go through the correction path`,
  };
}
