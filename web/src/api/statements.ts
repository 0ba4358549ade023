import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api, download } from './client';
import { queryKeys } from './keys';
import { hundredthsText } from '../format';

/**
 * Shapes of /api/statements and /api/scoring (SPEC §7–§9); the source of truth is
 * server/modules/statements/statement.schemas.ts. Points are a two-decimal string plus integer
 * hundredths: the console shows the string and never does arithmetic on points.
 */

export interface Points {
  /** "33.34" */
  points: string;
  /** 3334 */
  pointsHundredths: number;
}

export interface SaleSplit {
  id: number;
  sourceId: string;
  saleDate: string;
  nodeId: number;
  product: { id: number; code: string; name: string; unit: string; mortgage: boolean };
  quantity: string;
  projectId: number | null;
  developmentId: number | null;
  total: Points;
  voided: Points;
  ruleVersion: string | null;
  departments: (Points & { departmentId: number; code: string; name: string; host: boolean; ratioBp: number | null; voided: Points })[];
  people: (Points & { staffId: number; staffNo: string; name: string; departmentId: number; role: string; contributionBp: number | null; voided: Points })[];
}

export type LedgerKind = 'allocation' | 'reversal' | 'void';

export interface LedgerEntry extends Points {
  id: number;
  kind: LedgerKind;
  /** First day of the period, 2026-10-01. */
  period: string;
  departmentId: number;
  staffId: number | null;
  ruleVersion: string;
  reversesId: number | null;
  createdAt: string;
}

export interface SaleSplitWithTrace extends SaleSplit {
  entries: LedgerEntry[];
}

export type Verdict = 'pass' | 'void';

export interface DevelopmentLine {
  developmentId: number;
  code: string;
  name: string;
  lenderMode: 'sole' | 'partial';
  thresholdBp: number | null;
  ratioBp: number | null;
  totalHouseholds: number | null;
  bankHouseholds: number | null;
  asOf: string | null;
  verdict: Verdict;
  /** ok | below | no_figures | no_loan_share */
  reason: string;
  mortgageSales: number;
  points: Points;
  voided: Points;
}

/** A correction of a locked month written into a later open month (SPEC §9.5). */
export interface AdjustmentLine extends Points {
  saleId: number;
  sourceId: string;
  adjustsMonth: string;
  writtenMonth: string;
  departmentId: number;
  departmentName: string;
  staffId: number | null;
  staffName: string | null;
  voided: Points;
}

export interface Statement {
  node: { id: number; code: string; name: string };
  month: string;
  period: string;
  totals: { total: Points; voided: Points; departmentLevel: Points; people: Points; sales: number };
  departments: (Points & { departmentId: number; code: string; name: string; voided: Points; sales: number })[];
  people: (Points & { staffId: number; staffNo: string; name: string; departmentId: number; departmentName: string; roles: string[]; voided: Points; sales: number })[];
  projects: (Points & { projectId: number | null; voided: Points; sales: number })[];
  products: (Points & { productId: number; code: string; name: string; unit: string; voided: Points; sales: number })[];
  developments: DevelopmentLine[];
  /** Corrections of locked months written into this month. */
  adjustments: AdjustmentLine[];
  /** Corrections of this (locked) month written into later months. */
  laterAdjustments: AdjustmentLine[];
}

export type StatementDepartment = Statement['departments'][number];
export type StatementPerson = Statement['people'][number];

export interface RecomputeResult {
  entries: number;
  reversed: number;
  written: number;
  sales: number;
}

const base = (nodeId: number, month: string) => `/statements/${nodeId}/${month}`;

/** The draft statement of a branch and month (SPEC §9 step 1). */
export function useStatement(nodeId: number | undefined, month: string | undefined) {
  return useQuery({
    queryKey: queryKeys.statements.one(nodeId ?? 0, month ?? ''),
    queryFn: () => api<Statement>(base(nodeId!, month!)),
    enabled: !!nodeId && !!month,
  });
}

/** A department's or a person's sales of the month, each with its split. */
export function useDrillDown(nodeId: number, month: string, of: { departmentId?: number; staffId?: number }, source: 'statement' | 'notice' = 'statement') {
  // The public notice has its own line detail, open to every reader of the notice (SPEC §9).
  const root = source === 'notice' ? `/periods/${nodeId}/${month}/notice` : base(nodeId, month);
  return useQuery({
    queryKey: [...(of.departmentId ? queryKeys.statements.department(nodeId, month, of.departmentId) : queryKeys.statements.person(nodeId, month, of.staffId ?? 0)), source],
    queryFn: () => api<{ items: SaleSplit[] }>(of.departmentId ? `${root}/departments/${of.departmentId}` : `${root}/people/${of.staffId}`).then((r) => r.items),
    enabled: !!(of.departmentId || of.staffId),
  });
}

/** One sale's split with its ledger trace (allocations, reversals, voids). */
export function useSaleSplit(id: number | undefined, enabled = true) {
  return useQuery({
    queryKey: queryKeys.sales.split(id ?? 0),
    queryFn: () => api<SaleSplitWithTrace>(`/scoring/sales/${id}/split`),
    enabled: !!id && enabled,
  });
}

/** Re-scores the month: writes only reversals and new entries; nothing when nothing changed. */
export function useRecompute() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: ({ nodeId, month }: { nodeId: number; month: string }) => api<RecomputeResult>(`${base(nodeId, month)}/recompute`, { method: 'POST' }),
    onSuccess: () => {
      void qc.invalidateQueries({ queryKey: queryKeys.statements.all });
      void qc.invalidateQueries({ queryKey: queryKeys.sales.all });
    },
  });
}

export const downloadStatement = (nodeId: number, month: string) => download(`${base(nodeId, month)}/export.xlsx`, undefined, `statement-${month}.xlsx`);

/** Basis points → "85.00" (integer arithmetic: no float ever touches a ratio). */
export function percentOfBp(bp: number | null | undefined): string {
  return bp === null || bp === undefined ? '-' : hundredthsText(bp);
}
