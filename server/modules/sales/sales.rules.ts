import { formatHundredths } from '../scoring/allocation.js';
import { salePoints as scoringSalePoints } from '../scoring/scoring.rules.js';

/**
 * Cross-sale input rules (SPEC §7), pure: the one-cell forms of participants and people that
 * Excel sheets use, percentages as exact basis points, the 100 % checks. No database, no clock.
 */
import { parseFixed } from '../products/products.rules.js';

export interface ParticipantInput {
  code: string;
  /** Negotiated share of the participants' 80 %, in basis points; null = equal split. */
  ratioBp: number | null;
}

export interface PersonInput {
  staffNo: string;
  /** The department the person is credited to; null = the person's own. */
  departmentCode: string | null;
  role: string;
  /** Share within the department in basis points; null = equal. */
  contributionBp: number | null;
}

/** What one cross-sale says, whichever way it arrived (API, batch, Excel). */
export interface SaleInput {
  sourceId: string;
  productCode: string;
  /** 居民身份证号码 of the buyer and/or 统一社会信用代码 of the company; at least one. */
  idNumber: string | null;
  uscc: string | null;
  projectId: number | null;
  developmentCode: string | null;
  saleDate: string;
  /** Quantity in the product's unit × 10^4 (1.5 万元 → 15000). */
  quantity1e4: number;
  /** The branch (机构号) whose statement the sale belongs to; null = inferred. */
  branchCode: string | null;
  /** null = the product's host department. */
  hostDepartmentCode: string | null;
  departments: ParticipantInput[];
  people: PersonInput[];
}

export const DEFAULT_ROLE = '营销人员';
const ROLE_WORDS: Record<string, string> = { 营销: '营销人员', 介绍: '介绍人', 推荐: '介绍人', 产品: '产品经理', 客户经理: '客户经理' };

/** A role as written, with the short forms sheets use (营销 → 营销人员, 介绍 → 介绍人). */
export function normaliseRole(word: string | null | undefined): string {
  const w = (word ?? '').trim();
  if (!w) return DEFAULT_ROLE;
  return ROLE_WORDS[w] ?? w;
}

/** A percentage ("60", "62.5", "62.5%") → basis points, two decimals at most; undefined if not. */
export function percentBp(v: string | number): number | undefined {
  const bp = parseFixed(v, 2);
  return bp === undefined || bp > 10_000 ? undefined : bp;
}

/**
 * The largest quantity one sale may carry (1 亿 units: 1 万亿元 in 万元, a hundred million cards). Far
 * above any real sale; the form and the error messages state it so that a typo of extra zeros is
 * refused with the allowed range instead of being scored.
 */
export const MAX_QUANTITY = 100_000_000;

/** A quantity ("1.5", 2) → ten-thousandths; > 0 and ≤ MAX_QUANTITY, four decimals at most. */
export function quantity1e4(v: string | number): number | undefined {
  const s = typeof v === 'string' ? v.replace(/[,，\s]/g, '') : v;
  const q = parseFixed(s, 4);
  return q === undefined || q <= 0 || q > MAX_QUANTITY * 10_000 ? undefined : q;
}

const LIST_SEP = /[,，、;；\s]+/;
const CODE = /^[A-Za-z0-9][A-Za-z0-9_.-]*$/;

/** `CORP:60,INST:40` or `CORP、INST` → participants; undefined when the cell cannot be read. */
export function parseParticipants(cell: string): ParticipantInput[] | undefined {
  const parts = cell.normalize('NFKC').split(LIST_SEP).filter(Boolean);
  if (parts.length === 0) return undefined;
  const out: ParticipantInput[] = [];
  for (const p of parts) {
    const [code, ratio, ...rest] = p.split(/[:：]/);
    if (rest.length || !CODE.test(code)) return undefined;
    if (ratio === undefined || ratio === '') {
      out.push({ code: code.toUpperCase(), ratioBp: null });
      continue;
    }
    const bp = percentBp(ratio);
    if (bp === undefined) return undefined;
    out.push({ code: code.toUpperCase(), ratioBp: bp });
  }
  return out;
}

/**
 * `44110023@PF:营销:50,44110031@CORP:介绍` → people: 工号, optional @部门代码, then role and
 * contribution in either order (a number is the contribution). Undefined when unreadable.
 */
export function parsePeople(cell: string): PersonInput[] | undefined {
  const parts = cell
    .normalize('NFKC')
    .split(/[,，、;；\n]+/)
    .map((s) => s.trim())
    .filter(Boolean);
  if (parts.length === 0) return undefined;
  const out: PersonInput[] = [];
  for (const p of parts) {
    const [who, ...attrs] = p.split(/[:：]/).map((s) => s.trim());
    const [staffNo, dept, ...extra] = who.split(/[@＠]/).map((s) => s.trim());
    if (extra.length || !CODE.test(staffNo) || (dept !== undefined && !CODE.test(dept)) || attrs.length > 2) return undefined;
    let role: string | null = null;
    let contributionBp: number | null = null;
    for (const a of attrs) {
      if (a === '') continue;
      if (/^[\d.]+%?$/.test(a)) {
        const bp = percentBp(a);
        if (bp === undefined || contributionBp !== null) return undefined;
        contributionBp = bp;
      } else {
        if (role !== null || a.length > 20) return undefined;
        role = a;
      }
    }
    out.push({ staffNo, departmentCode: dept ? dept.toUpperCase() : null, role: normaliseRole(role), contributionBp });
  }
  return out;
}

/** Writes participants back in the cell form (exports): `CORP:60,INST:40`. */
export function formatParticipants(list: { code: string; ratioBp: number | null }[]): string {
  return list.map((d) => (d.ratioBp === null ? d.code : `${d.code}:${trimPercent(d.ratioBp)}`)).join(',');
}

/** Writes people back in the cell form: `44110023@PF:营销人员:50`. */
export function formatPeople(list: { staffNo: string; departmentCode: string; role: string; contributionBp: number | null }[]): string {
  return list.map((p) => `${p.staffNo}@${p.departmentCode}:${p.role}${p.contributionBp === null ? '' : `:${trimPercent(p.contributionBp)}`}`).join(',');
}

function trimPercent(bp: number): string {
  const s = `${Math.floor(bp / 100)}.${String(bp % 100).padStart(2, '0')}`;
  return s.replace(/\.?0+$/, '');
}

/** Ratios are all given or none, and when given sum to exactly 100 % (10,000 bp), each above 0. */
export function ratiosOk(list: { bp: number | null }[]): boolean {
  const given = list.filter((x) => x.bp !== null);
  if (given.length === 0) return true;
  if (given.length !== list.length) return false;
  return given.every((x) => x.bp! > 0) && given.reduce((s, x) => s + x.bp!, 0) === 10_000;
}

/**
 * Points of a sale as the statement shows them: quantity × unit score, rounded once to 0.01 the
 * way the scoring engine does (scoring.rules.ts, decision 0008), as a two-decimal string.
 */
export function salePoints(quantity1e4: number, scoreHundredths: number): string {
  return formatHundredths(scoringSalePoints(quantity1e4, scoreHundredths));
}

export { branchPathOf } from '../../../shared/org-path.js';

/** 'YYYY-MM' → [first day, first day of next month). */
export function monthRange(month: string): [string, string] {
  const [y, m] = month.split('-').map(Number);
  const next = m === 12 ? `${y + 1}-01` : `${y}-${String(m + 1).padStart(2, '0')}`;
  return [`${month}-01`, `${next}-01`];
}
