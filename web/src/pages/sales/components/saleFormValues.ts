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
  /** Where the server's errors about the lists as a whole are shown (ratios, people not on the sale). */
  departmentsCheck?: never;
  peopleCheck?: never;
}

const filled = (s: string | undefined) => s !== undefined && s.trim() !== '';

/** Σ of the ratios in hundredths of a percent (exact), and whether the set is all-or-none and 100 %. */
export function ratioCheck(rows: readonly { ratio?: string }[] | undefined): { sum: number; given: number; ok: boolean } {
  const list = (rows ?? []).filter(Boolean);
  const given = list.filter((r) => filled(r.ratio));
  let sum = 0;
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

function participants(v: SaleFormValues, depts: Map<number, PickDepartment>) {
  return (v.departments ?? []).filter((d) => d?.departmentId !== undefined).map((d) => ({ code: deptCode(depts, d.departmentId)!, ...(filled(d.ratio) ? { ratio: d.ratio!.trim() } : {}) }));
}

function people(v: SaleFormValues, depts: Map<number, PickDepartment>) {
  return (v.people ?? [])
    .filter((p) => filled(p?.staffNo))
    .map((p) => ({
      staffNo: p.staffNo!.trim(),
      ...(p.departmentId !== undefined ? { departmentCode: deptCode(depts, p.departmentId) } : {}),
      ...(filled(p.role) ? { role: p.role!.trim() } : {}),
      ...(filled(p.contribution) ? { contribution: p.contribution!.trim() } : {}),
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
    departments: s.departments.map((d) => ({ departmentId: d.departmentId, ratio: d.ratio === null ? undefined : trimPct(d.ratio) })),
    people: s.people.map((p) => ({ staffNo: p.staffNo, departmentId: p.departmentId, role: p.role, contribution: p.contribution === null ? undefined : trimPct(p.contribution) })),
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
