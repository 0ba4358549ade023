import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api } from './client';
import { queryKeys } from './keys';
import { hundredthsText } from '../format';
import type * as C from './contract';

/**
 * Shapes of /api/objections (SPEC §9.2, 异议); the types are derived (contract.ts) from
 * server/modules/objections/objections.schemas.ts.
 */

export type ObjectionStatus = 'open' | 'upheld' | 'dismissed';
export const OBJECTION_STATUSES: ObjectionStatus[] = ['open', 'upheld', 'dismissed'];
export const OBJECTION_STATUS_COLORS: Record<ObjectionStatus, string> = { open: 'orange', upheld: 'green', dismissed: 'default' };
export type ObjectionTargetKind = 'department' | 'person' | 'sale';

/** The line objected to. */
export type ObjectionTarget = { kind: 'department'; departmentId: number } | { kind: 'person'; staffId: number; departmentId?: number } | { kind: 'sale'; saleId: number };

/** A sale's correctable content as the server keeps it in the objection's trace. */
export interface SaleContent {
  quantity1e4: number;
  /** weight: a ratio written as a weight (1:2), absent in traces written before weights existed. */
  departments: { code: string; departmentId: number; ratioBp: number | null; weight?: number | null }[];
  people: { staffNo: string; staffId: number; departmentCode: string; departmentId: number; role: string; contributionBp: number | null; weight?: number | null }[];
}

export interface ObjectionCorrection {
  saleId: number;
  before: SaleContent;
  after: SaleContent;
  ledger?: { entries?: number; reversed?: number; written?: number; sales?: number } & Record<string, unknown>;
}

/** An objection; the server sends `correction` as unknown JSON, the console reads its known shape. */
export type Objection = Omit<C.Objection, 'correction'> & { correction: ObjectionCorrection | null };

export interface ObjectionFilters {
  page?: number;
  pageSize?: number;
  nodeId?: number;
  month?: string;
  status?: ObjectionStatus;
  targetKind?: ObjectionTargetKind;
  mine?: boolean;
}

/** A correction in the recording API's terms: codes, staff numbers, percentages as decimal strings. */
export interface CorrectionBody {
  saleId?: number;
  quantity?: string;
  departments?: { code: string; ratio?: string | null }[];
  people?: { staffNo: string; departmentCode?: string | null; role?: string; contribution?: string | null }[];
}

export interface AnswerBody {
  decision: 'upheld' | 'dismissed';
  answer: string;
  correction?: CorrectionBody;
}

export function useObjections(filters: ObjectionFilters) {
  return useQuery({
    queryKey: queryKeys.objections.list(filters),
    queryFn: () =>
      api<C.Paged<Objection>>('/objections', {
        query: { ...filters, mine: filters.mine ? 'true' : undefined },
      }),
  });
}

export function useObjection(id: number | undefined) {
  return useQuery({
    queryKey: queryKeys.objections.one(id ?? 0),
    queryFn: () => api<Objection>(`/objections/${id}`, { silent: true }),
    enabled: !!id,
    retry: false,
  });
}

/** Raises an objection on a line of a published statement (during the window only). */
export function useRaiseObjection() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (body: { nodeId: number; month: string; target: ObjectionTarget; reason: string }) => api<Objection>('/objections', { method: 'POST', body }),
    onSuccess: () => {
      void qc.invalidateQueries({ queryKey: queryKeys.objections.all });
      void qc.invalidateQueries({ queryKey: queryKeys.periods.all });
    },
  });
}

/** Answers an objection; an upheld one may carry a correction of a sale (reversal + new ledger entries). */
export function useAnswerObjection() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: ({ id, body }: { id: number; body: AnswerBody }) => api<Objection>(`/objections/${id}/answer`, { method: 'POST', body }),
    onSuccess: (o) => {
      qc.setQueryData(queryKeys.objections.one(o.id), o);
      void qc.invalidateQueries({ queryKey: queryKeys.objections.all });
      void qc.invalidateQueries({ queryKey: queryKeys.periods.all });
      void qc.invalidateQueries({ queryKey: queryKeys.statements.all });
      void qc.invalidateQueries({ queryKey: queryKeys.sales.all });
    },
  });
}

// ---- the one-cell syntax of the sales import (参与部门 / 营销人员) --------------------------------

const CODE = /^[A-Za-z0-9][A-Za-z0-9_.-]*$/;
const PERCENT = /^\d{1,3}(\.\d{1,2})?%?$/;
const LIST_SEP = /[,，、;；\n]+/;

/** Full-width letters, digits and colons (ＣＯＲＰ：60) as ASCII, as the import reads them. */
const norm = (s: string) => s.normalize('NFKC').trim();

/**
 * `CORP:60,INST:40` (or `CORP、INST` for an equal split) → participants; undefined when unreadable.
 * Ratios stay decimal strings: the server turns them into basis points.
 */
export function parseParticipantsCell(cell: string): CorrectionBody['departments'] | undefined {
  const parts = norm(cell)
    .split(LIST_SEP)
    .map((s) => s.trim())
    .filter(Boolean);
  if (parts.length === 0) return undefined;
  const out: NonNullable<CorrectionBody['departments']> = [];
  for (const p of parts) {
    const [code, ratio, ...rest] = p.split(/[:：]/).map((s) => s.trim());
    if (rest.length || !CODE.test(code)) return undefined;
    if (ratio === undefined || ratio === '') {
      out.push({ code: code.toUpperCase(), ratio: null });
      continue;
    }
    if (!PERCENT.test(ratio)) return undefined;
    out.push({ code: code.toUpperCase(), ratio: ratio.replace('%', '') });
  }
  return out;
}

/**
 * `44110023@PF:营销:50,44110031@CORP:介绍` → people: 工号, optional @部门代码, then role and
 * contribution (a number) in either order; undefined when unreadable.
 */
export function parsePeopleCell(cell: string): CorrectionBody['people'] | undefined {
  const parts = norm(cell)
    .split(LIST_SEP)
    .map((s) => s.trim())
    .filter(Boolean);
  if (parts.length === 0) return undefined;
  const out: NonNullable<CorrectionBody['people']> = [];
  for (const p of parts) {
    const [who, ...attrs] = p.split(/[:：]/).map((s) => s.trim());
    const [staffNo, dept, ...extra] = who.split(/[@＠]/).map((s) => s.trim());
    if (extra.length || !CODE.test(staffNo) || (dept !== undefined && !CODE.test(dept)) || attrs.length > 2) return undefined;
    let role: string | undefined;
    let contribution: string | null = null;
    for (const a of attrs) {
      if (a === '') continue;
      if (/^[\d.]+%?$/.test(a)) {
        if (!PERCENT.test(a) || contribution !== null) return undefined;
        contribution = a.replace('%', '');
      } else {
        if (role !== undefined || a.length > 20) return undefined;
        role = a;
      }
    }
    out.push({ staffNo, departmentCode: dept ? dept.toUpperCase() : null, ...(role ? { role } : {}), contribution });
  }
  return out;
}

/** Basis points → "60" / "33.34" (integer arithmetic). */
export function trimPercentBp(bp: number): string {
  return hundredthsText(bp).replace(/\.?0+$/, '');
}

/** Participants back in the cell form: `CORP:60,INST:40`; weights as `CORP,INST（1:2）`. */
export function formatParticipantsCell(list: { code: string; ratioBp: number | null; weight?: number | null }[]): string {
  if (list.length > 0 && list.every((d) => d.weight != null)) return `${list.map((d) => d.code).join(',')}（${list.map((d) => d.weight).join(':')}）`;
  return list.map((d) => (d.ratioBp === null ? d.code : `${d.code}:${trimPercentBp(d.ratioBp)}`)).join(',');
}

/** People back in the cell form: `44110023@PF:营销:50`, a weight as `w2`. */
export function formatPeopleCell(list: { staffNo: string; departmentCode: string; role: string; contributionBp: number | null; weight?: number | null }[]): string {
  const share = (p: (typeof list)[number]) => (p.weight != null ? `:w${p.weight}` : p.contributionBp === null ? '' : `:${trimPercentBp(p.contributionBp)}`);
  return list.map((p) => `${p.staffNo}@${p.departmentCode}:${p.role}${share(p)}`).join(',');
}

/** Quantity in 1/10,000 units → "12.5" (integer arithmetic). */
export function formatQuantity1e4(q: number): string {
  const whole = Math.trunc(q / 10000);
  const frac = String(Math.abs(q) % 10000)
    .padStart(4, '0')
    .replace(/0+$/, '');
  return frac ? `${whole}.${frac}` : String(whole);
}
