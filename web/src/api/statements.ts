import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api, download } from './client';
import { queryKeys } from './keys';
import { hundredthsText } from '../format';
import type { Points, SaleSplit, Statement, DevelopmentLine, AdjustmentLine, RecomputeResult, LedgerEntry, SaleSplitWithTrace, StatementMonth, BranchLine } from './contract';

/**
 * Shapes of /api/statements and /api/scoring (SPEC §7–§9); the types are derived (contract.ts) from
 * server/modules/statements/statement.schemas.ts. Points are a two-decimal string plus integer
 * hundredths: the console shows the string and never does arithmetic on points.
 */

export type { Points, SaleSplit, Statement, DevelopmentLine, AdjustmentLine, RecomputeResult, LedgerEntry, SaleSplitWithTrace, StatementMonth, BranchLine };

export type LedgerKind = 'allocation' | 'reversal' | 'void';

export type Verdict = 'pass' | 'void';

export type StatementDepartment = Statement['departments'][number];
export type StatementPerson = Statement['people'][number];

const base = (nodeId: number, month: string) => `/statements/${nodeId}/${month}`;

/** The draft statement of a branch and month (SPEC §9 step 1). */
export function useStatement(nodeId: number | undefined, month: string | undefined) {
  return useQuery({
    queryKey: queryKeys.statements.one(nodeId ?? 0, month ?? ''),
    // The page shows a refusal in its body (an archived year, a month out of scope), not as a toast.
    queryFn: () => api<Statement>(base(nodeId!, month!), { silent: true }),
    enabled: !!nodeId && !!month,
  });
}

/** The months with scored sales in a branch's (or a province's and its branches') statements, newest first. */
export function useStatementMonths(nodeId: number | undefined) {
  return useQuery({
    queryKey: queryKeys.statements.months(nodeId ?? 0),
    queryFn: () => api<{ items: StatementMonth[] }>(`/statements/${nodeId}/months`).then((r) => r.items),
    enabled: !!nodeId,
  });
}

/** A province's month by branch (its own line first). */
export function useBranchRollup(nodeId: number | undefined, month: string | undefined, enabled = true) {
  return useQuery({
    queryKey: queryKeys.statements.branches(nodeId ?? 0, month ?? ''),
    queryFn: () => api<{ items: BranchLine[] }>(`${base(nodeId!, month!)}/branches`).then((r) => r.items),
    enabled: !!nodeId && !!month && enabled,
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
