import { formatHundredths } from '../scoring/allocation.js';
import { salePoints as scoringSalePoints } from '../scoring/scoring.rules.js';

/**
 * Cross-sale input rules (SPEC §7), pure: the one-cell forms of participants and people that
 * Excel sheets use, percentages as exact basis points, the 100 % checks. No database, no clock.
 */
import { parseFixed } from '../products/products.rules.js';

export interface ParticipantInput {
  code: string;
  /** Negotiated share of the participants' 80 % as a percentage, in basis points; null = a weight or equal split. */
  ratioBp: number | null;
  /** The share written as a weight (1:2 → 1, 2), an integer ≥ 1; null/absent = a percentage or equal (decision 0026). */
  weight?: number | null;
}

export interface PersonInput {
  staffNo: string;
  /** The department the person is credited to; null = the person's own. */
  departmentCode: string | null;
  role: string;
  /** Share within the department as a percentage, in basis points; null = a weight or equal. */
  contributionBp: number | null;
  /** The share written as a weight, an integer ≥ 1; null/absent = a percentage or equal (decision 0026). */
  weight?: number | null;
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

/** A weight's bounds: an integer 1–10,000, and a list's weights total at most 10,000 (decision 0026). */
export const MAX_WEIGHT_TOTAL = 10_000;

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
 * contribution in either order (a number is the contribution in %, `w2` / `权重2` a weight).
 * Undefined when unreadable.
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
    let weight: number | null = null;
    for (const a of attrs) {
      if (a === '') continue;
      const w = /^(?:w|权重)(\d{1,5})$/i.exec(a);
      if (w) {
        if (weight !== null || contributionBp !== null || Number(w[1]) < 1 || Number(w[1]) > MAX_WEIGHT_TOTAL) return undefined;
        weight = Number(w[1]);
      } else if (/^[\d.]+%?$/.test(a)) {
        const bp = percentBp(a);
        if (bp === undefined || contributionBp !== null || weight !== null) return undefined;
        contributionBp = bp;
      } else {
        if (role !== null || a.length > 20) return undefined;
        role = a;
      }
    }
    out.push({ staffNo, departmentCode: dept ? dept.toUpperCase() : null, role: normaliseRole(role), contributionBp, ...(weight !== null ? { weight } : {}) });
  }
  return out;
}

/** Writes participants back in the cell form (exports): `CORP:60,INST:40`; weights go to the 协商比例 cell (formatWeights). */
export function formatParticipants(list: { code: string; ratioBp: number | null }[]): string {
  return list.map((d) => (d.ratioBp === null ? d.code : `${d.code}:${trimPercent(d.ratioBp)}`)).join(',');
}

/** The 协商比例 cell of an export: `1:2` when the participants carry weights, else ''. */
export function formatWeights(list: { weight?: number | null }[]): string {
  return list.length > 0 && list.every((d) => d.weight != null) ? list.map((d) => d.weight).join(':') : '';
}

/** Writes people back in the cell form: `44110023@PF:营销人员:50` (a weight as `w2`). */
export function formatPeople(list: { staffNo: string; departmentCode: string; role: string; contributionBp: number | null; weight?: number | null }[]): string {
  const share = (p: (typeof list)[number]) => (p.weight != null ? `:w${p.weight}` : p.contributionBp === null ? '' : `:${trimPercent(p.contributionBp)}`);
  return list.map((p) => `${p.staffNo}@${p.departmentCode}:${p.role}${share(p)}`).join(',');
}

/** Ratios as a bank writes them (decision 0026): weights `1:2`, `3:1:1` or percentages `40%/60%` (bp). */
export type Ratios = { kind: 'weight'; values: number[] } | { kind: 'percent'; values: number[] };

/**
 * A 协商比例 cell → its ratios, in the order the departments are listed: `1:2`, `1：2` (full
 * width), `3:1:1`, `3/1` are weights (integers ≥ 1); `40%/60%`, `40%:60%` are percentages (every
 * part with %, two decimals at most). Undefined when the cell cannot be read.
 */
export function parseRatios(cell: string): Ratios | undefined {
  const parts = cell
    .normalize('NFKC')
    .replace(/\s+/g, '')
    .split(/[:/,、;]/);
  if (parts.length === 0 || parts.some((p) => p === '')) return undefined;
  const percent = parts.filter((p) => p.endsWith('%')).length;
  if (percent === parts.length) {
    const values = parts.map((p) => (/^\d+(\.\d{1,2})?%$/.test(p) ? percentBp(p.slice(0, -1)) : undefined));
    return values.every((v) => v !== undefined) ? { kind: 'percent', values: values as number[] } : undefined;
  }
  if (percent > 0 || !parts.every((p) => /^\d{1,5}$/.test(p))) return undefined;
  const values = parts.map(Number);
  return values.every((v) => v >= 1 && v <= MAX_WEIGHT_TOTAL) ? { kind: 'weight', values } : undefined;
}

/**
 * Puts a 协商比例 cell's ratios on the participants, in their order; undefined when the counts
 * differ or a participant already carries its own percentage (one place for a ratio).
 */
export function withRatios(departments: ParticipantInput[], ratios: Ratios): ParticipantInput[] | undefined {
  if (ratios.values.length !== departments.length || departments.some((d) => d.ratioBp !== null || d.weight != null)) return undefined;
  return departments.map((d, i) => (ratios.kind === 'weight' ? { ...d, ratioBp: null, weight: ratios.values[i] } : { ...d, ratioBp: ratios.values[i], weight: null }));
}

/**
 * Why a list of ratios cannot be used, or null when it can (SPEC §7, decision 0026): all or none
 * given; one kind (all percentages or all weights); percentages each above 0 and totalling exactly
 * 100 % (10,000 bp); weights integers ≥ 1 totalling at most 10,000.
 */
export function ratioProblem(list: { bp: number | null; weight?: number | null }[]): null | 'partial' | 'mixed' | 'sum' | 'weights' {
  const pct = list.filter((x) => x.bp !== null).length;
  const wts = list.filter((x) => x.weight != null).length;
  if (pct === 0 && wts === 0) return null;
  if (list.some((x) => x.bp !== null && x.weight != null) || (pct > 0 && wts > 0)) return pct + wts >= list.length ? 'mixed' : 'partial';
  if (pct + wts !== list.length) return 'partial';
  if (wts > 0) {
    const ok = list.every((x) => Number.isInteger(x.weight) && x.weight! >= 1) && list.reduce((s, x) => s + x.weight!, 0) <= MAX_WEIGHT_TOTAL;
    return ok ? null : 'weights';
  }
  return ratiosOk(list) ? null : 'sum';
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
