import type { Dayjs } from 'dayjs';
import type { Sale } from '../../../api/sales';
import type { CorrectionPreviewBody, PickDepartment, SaleFormBody } from '../../../api/salesForm';

/**
 * The one-sale form's values and what they become (issue 12), pure: the request bodies of
 * POST /api/sales, /preview and /:id/correction-preview, and the live 100 % check.
 */
export interface DeptRow {
  departmentId?: number;
  ratio?: string;
}
export interface PersonRow {
  staffNo?: string;
  /** The department the person is credited to on this sale (host or a participant). */
  departmentId?: number;
  role?: string;
  contribution?: string;
}
/** How the form's ratios are written (decision 0026): 百分比 (totalling 100) or 权重 (integers, 1:2). */
export type RatioKind = 'percent' | 'weight';

export interface SaleFormValues {
  sourceId?: string;
  productCode?: string;
  /** `individual:12` or `company:3`, from the client picker. */
  client?: string;
  saleDate?: Dayjs;
  quantity?: string;
  nodeId?: number;
  developmentCode?: string;
  departments?: DeptRow[];
  people?: PersonRow[];
  /** How the departments' ratios are written; default 百分比. */
  ratioKind?: RatioKind;
  /** How the people's contributions are written; default 百分比. */
  contributionKind?: RatioKind;
  /** Where the server's errors about the lists as a whole are shown (ratios, people not on the sale). */
  departmentsCheck?: never;
  peopleCheck?: never;
}

const filled = (s: string | undefined) => s !== undefined && s.trim() !== '';

/** A weight as typed: an integer 1–10,000. */
export const WEIGHT_PATTERN = /^[1-9]\d{0,4}$/;

/**
 * Σ of the ratios in hundredths of a percent (exact), and whether the set is all-or-none and 100 %.
 * Weights (kind 'weight'): each an integer ≥ 1, all or none, totalling at most 10,000; sum = Σ weights.
 */
export function ratioCheck(rows: readonly { ratio?: string }[] | undefined, kind: RatioKind = 'percent'): { sum: number; given: number; ok: boolean } {
  const list = (rows ?? []).filter(Boolean);
  const given = list.filter((r) => filled(r.ratio));
  let sum = 0;
  if (kind === 'weight') {
    for (const r of given) {
      if (!WEIGHT_PATTERN.test(r.ratio!.trim())) return { sum: NaN, given: given.length, ok: false };
      sum += Number(r.ratio!.trim());
    }
    return { sum, given: given.length, ok: given.length === 0 || (given.length === list.length && sum <= 10_000) };
  }
  for (const r of given) {
    const m = /^(\d{1,3})(?:\.(\d{1,2}))?$/.exec(r.ratio!.trim());
    if (!m) return { sum: NaN, given: given.length, ok: false };
    sum += Number(m[1]) * 100 + Number((m[2] ?? '').padEnd(2, '0'));
  }
  return { sum, given: given.length, ok: given.length === 0 || (given.length === list.length && sum === 10_000) };
}

function deptCode(depts: Map<number, PickDepartment>, id: number | undefined): string | undefined {
  return id === undefined ? undefined : depts.get(id)?.code;
}

/** A typed share as the API takes it: `ratio`/`contribution` in %, or `weight` as an integer. */
const share = (value: string | undefined, kind: RatioKind | undefined, pctKey: 'ratio' | 'contribution') =>
  !filled(value) ? {} : kind === 'weight' ? { weight: Number(value!.trim()) } : { [pctKey]: value!.trim() };

function participants(v: SaleFormValues, depts: Map<number, PickDepartment>) {
  return (v.departments ?? []).filter((d) => d?.departmentId !== undefined).map((d) => ({ code: deptCode(depts, d.departmentId)!, ...share(d.ratio, v.ratioKind, 'ratio') }));
}

function people(v: SaleFormValues, depts: Map<number, PickDepartment>) {
  return (v.people ?? [])
    .filter((p) => filled(p?.staffNo))
    .map((p) => ({
      staffNo: p.staffNo!.trim(),
      ...(p.departmentId !== undefined ? { departmentCode: deptCode(depts, p.departmentId) } : {}),
      ...(filled(p.role) ? { role: p.role!.trim() } : {}),
      ...share(p.contribution, v.contributionKind, 'contribution'),
    }));
}

/** The body of POST /api/sales and /preview; null while the form lacks what the server needs at all. */
export function saleBodyOf(v: SaleFormValues, depts: Map<number, PickDepartment>): SaleFormBody | null {
  if (!filled(v.sourceId) || !v.productCode || !v.saleDate || !filled(v.quantity) || !v.client) return null;
  const [kind, id] = v.client.split(':');
  const branch = v.nodeId === undefined ? undefined : [...depts.values()].find((d) => d.nodeId === v.nodeId)?.nodeCode;
  return {
    sourceId: v.sourceId!.trim(),
    productCode: v.productCode,
    ...(kind === 'company' ? { companyId: Number(id) } : { personId: Number(id) }),
    saleDate: v.saleDate.format('YYYY-MM-DD'),
    quantity: v.quantity!.trim(),
    ...(branch ? { branchCode: branch } : {}),
    ...(filled(v.developmentCode) ? { developmentCode: v.developmentCode } : {}),
    departments: participants(v, depts),
    people: people(v, depts),
  };
}

const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);

/** A recorded sale as the form's values (correction mode). */
export function valuesOfSale(s: Sale): SaleFormValues {
  return {
    sourceId: s.sourceId,
    productCode: s.productCode,
    client: s.personId ? `individual:${s.personId}` : s.companyId ? `company:${s.companyId}` : undefined,
    quantity: s.quantity,
    nodeId: s.nodeId,
    developmentCode: s.developmentCode ?? undefined,
    ratioKind: s.departments.some((d) => d.weight !== null) ? 'weight' : 'percent',
    contributionKind: s.people.some((p) => p.weight !== null) ? 'weight' : 'percent',
    departments: s.departments.map((d) => ({ departmentId: d.departmentId, ratio: d.weight !== null ? String(d.weight) : d.ratio === null ? undefined : trimPct(d.ratio) })),
    people: s.people.map((p) => ({
      staffNo: p.staffNo,
      departmentId: p.departmentId,
      role: p.role,
      contribution: p.weight !== null ? String(p.weight) : p.contribution === null ? undefined : trimPct(p.contribution),
    })),
  };
}

/** "60.00" → "60", "62.50" → "62.5". */
const trimPct = (s: string) => s.replace(/\.?0+$/, '');

/** What a correction changes against the recorded sale (only the changed parts); null = nothing. */
export function correctionOf(v: SaleFormValues, s: Sale, depts: Map<number, PickDepartment>): CorrectionPreviewBody | null {
  const was = valuesOfSale(s);
  const out: CorrectionPreviewBody = {};
  if (filled(v.quantity) && v.quantity!.trim() !== s.quantity) out.quantity = v.quantity!.trim();
  const dNow = participants(v, depts);
  if (!same(dNow, participants(was, depts))) out.departments = dNow;
  const pNow = people(v, depts);
  if (!same(pNow, people(was, depts))) out.people = pNow;
  return Object.keys(out).length ? out : null;
}

/**
 * Above 0 and at most 100,000,000 (the server's MAX_QUANTITY), read from the digits so no float
 * decides it; a value the pattern refuses is left to the pattern's message.
 */
export function quantityInRange(v: string): boolean {
  const m = /^(\d{1,9})(?:\.(\d{1,4}))?$/.exec(v);
  if (!m) return true;
  const whole = Number(m[1]);
  const frac = (m[2] ?? '').replace(/0+$/, '');
  if (whole === 0 && frac === '') return false;
  return whole < 100_000_000 || (whole === 100_000_000 && frac === '');
}
