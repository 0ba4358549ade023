import { sql } from 'drizzle-orm';
import { z } from 'zod';
import { type DbOrTx, rows } from '../../db/client.js';
import { textArray } from '../../db/arrays.js';
import { corporateClients, individuals } from '../../db/schema/index.js';
import { chunks, type RowError } from '../imports/import-spec.js';
import { cellSchema } from '../imports/cells.js';
import { type CellRaw, cellText, halfWidth, normCode, parseAmountFen } from '../imports/normalize.js';
import { ID_PROBLEM_TEXT, type IdNumberProblem, isValidUscc, normaliseUscc, usccCheckChar } from './ids.rules.js';
import { isoDate } from './customers.presenter.js';

/** Import helpers shared by the customer specs (SPEC §14): cells, look-ups, messages. */

const pre = cellSchema;

/** 统一社会信用代码 with its GB 32100 check. */
export const usccCell = () =>
  pre(
    (v) => (normCode(v) ? normaliseUscc(normCode(v)!) : undefined),
    z.string().refine(isValidUscc),
    (v) => typeof v === 'string' && isValidUscc(v),
  );
export const USCC_INVALID = { zh: '统一社会信用代码不正确（应为18位且校验位正确）', en: 'is not a valid unified social credit code (18 characters, correct check character)' };

/** A cell as the clerk typed it (trimmed): the typist's own cell is no secret to them, so never masked. */
const typedText = (raw: CellRaw | undefined) => cellText(raw ?? null) ?? '';

/**
 * What is wrong with a 统一社会信用代码 cell, named (issue 18): a wrong GB 32100 check character
 * is IMPORT.CHECK_DIGIT `统一社会信用代码 91350100M000100Y44 校验位不正确`, with the code as typed;
 * null when the code is valid. The check itself is ids.rules.ts's, never a copy.
 */
export function usccProblem(raw: CellRaw | undefined): { code: string; zh: string; en: string } | null {
  const typed = typedText(raw);
  const code = normaliseUscc(halfWidth(typed));
  if (isValidUscc(code)) return null;
  if (/^[0-9A-HJ-NP-RT-UW-Y]{18}$/.test(code) && usccCheckChar(code.slice(0, 17)) !== undefined) {
    return { code: 'IMPORT.CHECK_DIGIT', zh: `统一社会信用代码 ${typed} 校验位不正确`, en: `credit code ${typed} has a wrong check character` };
  }
  return {
    code: 'IMPORT.INVALID',
    zh: `统一社会信用代码 ${typed} 格式不正确（应为18位数字或大写字母，不含 I、O、S、V、Z）`,
    en: `credit code ${typed} is malformed (18 digits or capitals, no I, O, S, V, Z)`,
  };
}

/**
 * What is wrong with a 居民身份证号码 cell (GB 11643, ids.rules.ts's parseIdNumber decides), with
 * the number as typed: a wrong check digit is IMPORT.CHECK_DIGIT `身份证号码 … 校验位不正确`.
 */
export function idNumberProblem(raw: CellRaw | undefined, problem: IdNumberProblem): { code: string; zh: string; en: string } {
  const typed = typedText(raw);
  if (problem === 'checksum') return { code: 'IMPORT.CHECK_DIGIT', zh: `身份证号码 ${typed} 校验位不正确`, en: `ID number ${typed} has a wrong check digit` };
  return { code: 'IMPORT.INVALID', zh: `${ID_PROBLEM_TEXT[problem].zh}（填写为 ${typed}）`, en: `ID number ${typed} ${ID_PROBLEM_TEXT[problem].en}` };
}

/** An ID number cell as text (checked by the spec so the error names the problem). */
export const idTextCell = () =>
  pre(
    (v) => (cellText(v) === null ? undefined : halfWidth(cellText(v)!).replace(/\s+/g, '').toUpperCase()),
    z.string().min(1).max(30),
    (v) => typeof v === 'string' && v.length >= 1 && v.length <= 30,
  );

/** An amount in 万元 (the unit banks report credit lines in) → integer 分, exactly: 1.5 → 1500000. */
export function parseWanFen(raw: CellRaw | undefined): number | null | undefined {
  if (raw === null || raw === undefined) return null;
  let text: string | null;
  if (typeof raw === 'number') {
    if (!Number.isFinite(raw)) return undefined;
    text = String(raw);
    if (/e/i.test(text)) return undefined;
  } else {
    text = cellText(raw);
  }
  if (text === null) return null;
  const t = halfWidth(text).trim();
  // An explicit unit wins (元, 万元, 亿元); a bare number is 万元.
  return parseAmountFen(/[元万亿]$/.test(t) ? t : `${t}万`);
}
export const wanFenCell = () => pre(parseWanFen, z.number().int().min(0), (v) => typeof v === 'number' && Number.isSafeInteger(v) && v >= 0);

export const E = {
  orgUnknown: (c: string) => ({ zh: `机构号 ${c} 不存在`, en: `org code ${c} does not exist` }),
  orgOutOfScope: (c: string) => ({ zh: `机构 ${c} 不在您的管理范围内`, en: `node ${c} is outside your organisation` }),
  deptUnknown: (c: string) => ({ zh: `部门代码 ${c} 不是该机构所属分行的部门`, en: `${c} is not a department of the node’s branch` }),
  amUnknown: (c: string) => ({ zh: `客户经理工号 ${c} 不存在或不属于该分行`, en: `staff number ${c} does not exist or is not in the branch` }),
  clientOutOfScope: { zh: '该客户已由您管理范围以外的机构管户', en: 'this client is managed outside your organisation' },
  typeUnknown: (c: string) => ({ zh: `未知的客户类型“${c}”`, en: `unknown client type “${c}”` }),
  industryUnknown: (c: string) => ({ zh: `未知的行业“${c}”`, en: `unknown industry “${c}”` }),
  employerUnknown: (c: string) => ({ zh: `统一社会信用代码 ${c} 的企业客户不存在，请先导入对公客户`, en: `no corporate client has the code ${c}; import the client first` }),
  personUnknown: { zh: '该身份证号码的个人客户不存在，请先导入个人客户', en: 'no individual has this ID number; import the person first' },
  dates: { zh: '终止日期不能早于起始日期', en: 'the end date is before the start date' },
};

export interface NodeInfo {
  id: number;
  code: string;
  path: string;
  /** The branch (二级分行/省分行) above or at the node. */
  branchId: number;
  branchPath: string;
}

/** Every org node by code, with the branch that holds its departments. */
export async function nodesByCode(db: DbOrTx): Promise<{ byCode: Map<string, NodeInfo>; pathById: Map<number, string> }> {
  const list = await rows<{ id: number; code: string; path: string; level: string }>(db, sql`SELECT id, code, path, level FROM org_nodes`);
  const byId = new Map(list.map((n) => [n.id, n]));
  const byCode = new Map<string, NodeInfo>();
  for (const n of list) {
    const ids = n.path.split('/').filter(Boolean).map(Number).reverse();
    const branch = ids.map((i) => byId.get(i)).find((a) => a && ['branch', 'province', 'head'].includes(a.level)) ?? n;
    byCode.set(n.code, { id: n.id, code: n.code, path: n.path, branchId: branch.id, branchPath: branch.path });
  }
  return { byCode, pathById: new Map(list.map((n) => [n.id, n.path])) };
}

/**
 * Keys per look-up: one text[] parameter each (`= ANY`), so a 100,000-row file takes a handful of
 * statements, not a hundred of a thousand parameters each (decision 0046).
 */
const LOOKUP_SLICE = 20_000;

/** Staff by 工号 with their node path (AM checks). */
export async function staffByNo(db: DbOrTx, nos: string[]): Promise<Map<string, { id: number; path: string }>> {
  const out = new Map<string, { id: number; path: string }>();
  for (const slice of chunks([...new Set(nos)], LOOKUP_SLICE)) {
    if (!slice.length) continue;
    const got = await rows<{ staffNo: string; id: number; path: string }>(
      db,
      sql`SELECT s.staff_no AS "staffNo", s.id, n.path FROM staff s JOIN org_nodes n ON n.id = s.node_id WHERE s.staff_no = ANY(${textArray(slice)}::text[])`,
    );
    for (const g of got) out.set(g.staffNo, { id: g.id, path: g.path });
  }
  return out;
}

/** Existing corporate clients by USCC with their node path. */
export async function companiesByUscc(db: DbOrTx, codes: string[]) {
  const out = new Map<string, typeof corporateClients.$inferSelect>();
  for (const slice of chunks([...new Set(codes)], LOOKUP_SLICE)) {
    if (!slice.length) continue;
    for (const c of await db
      .select()
      .from(corporateClients)
      .where(sql`${corporateClients.uscc} = ANY(${textArray(slice)}::text[])`))
      out.set(c.uscc, c);
  }
  return out;
}

/** Existing individuals by ID number. */
export async function peopleById(db: DbOrTx, ids: string[]) {
  const out = new Map<string, typeof individuals.$inferSelect>();
  for (const slice of chunks([...new Set(ids)], LOOKUP_SLICE)) {
    if (!slice.length) continue;
    for (const p of await db
      .select()
      .from(individuals)
      .where(sql`${individuals.idNumber} = ANY(${textArray(slice)}::text[])`))
      out.set(p.idNumber, p);
  }
  return out;
}

/**
 * Id and managing node of existing corporate clients by USCC: what the link import's reference
 * check needs (decision 0052) — two integers a row instead of every column through drizzle's mapping.
 */
export async function companyRefsByUscc(db: DbOrTx, codes: string[]): Promise<Map<string, { id: number; nodeId: number }>> {
  const out = new Map<string, { id: number; nodeId: number }>();
  for (const slice of chunks([...new Set(codes)], LOOKUP_SLICE)) {
    if (!slice.length) continue;
    const got = await rows<{ uscc: string; id: number; nodeId: number }>(db, sql`SELECT uscc, id, node_id AS "nodeId" FROM corporate_clients WHERE uscc = ANY(${textArray(slice)}::text[])`);
    for (const g of got) out.set(g.uscc, { id: Number(g.id), nodeId: Number(g.nodeId) });
  }
  return out;
}

/** Id and managing node of existing individuals by ID number (the link and holding imports' reference check). */
export async function personRefsById(db: DbOrTx, ids: string[]): Promise<Map<string, { id: number; nodeId: number }>> {
  const out = new Map<string, { id: number; nodeId: number }>();
  for (const slice of chunks([...new Set(ids)], LOOKUP_SLICE)) {
    if (!slice.length) continue;
    const got = await rows<{ idNumber: string; id: number; nodeId: number }>(
      db,
      sql`SELECT id_number AS "idNumber", id, node_id AS "nodeId" FROM individuals WHERE id_number = ANY(${textArray(slice)}::text[])`,
    );
    for (const g of got) out.set(g.idNumber, { id: Number(g.id), nodeId: Number(g.nodeId) });
  }
  return out;
}

export const addError = (errors: Map<number, RowError[]>, row: number, e: RowError) => errors.set(row, [...(errors.get(row) ?? []), e]);

/** A date column value as 'YYYY-MM-DD': the presenter's isoDate, one rule for every date read. */
export const dateText = (v: unknown): string | null => isoDate(v as string | Date | null | undefined);
