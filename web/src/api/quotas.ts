import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api, download } from './client';
import { queryKeys } from './keys';
import type { Quota, QuotaPlan, PlanVersion, LineTarget, Proposal, Who, Text2 } from './contract';

/**
 * Shapes of /api/quotas (营销任务, SPEC §10); the types are derived (contract.ts) from
 * server/modules/quotas/quotas.schemas.ts. Quantities travel as a decimal string ("120.5") plus
 * the integer × 10⁴: the console shows and sends the string, never a float.
 */

export type { Quota, QuotaPlan, PlanVersion, LineTarget, Proposal, Who, Text2 };

export type QuotaSource = 'manual' | 'proposal' | 'import';

/** 10⁻⁴ units → "120.5" (exact: integer arithmetic on the digits). */
export function qtyOf1e4(q: number | null | undefined): string {
  if (q === null || q === undefined) return '-';
  const neg = q < 0;
  const a = BigInt(Math.abs(q));
  const frac = (a % 10_000n).toString().padStart(4, '0').replace(/0+$/, '');
  const int = (a / 10_000n).toString().replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  return `${neg ? '-' : ''}${int}${frac ? `.${frac}` : ''}`;
}

/** The API's "1234.5" grouped by thousands for reading: "1,234.5". */
export function groupQty(s: string | null | undefined): string {
  if (s === null || s === undefined) return '-';
  const [i, f] = s.split('.');
  return `${i.replace(/\B(?=(\d{3})+(?!\d))/g, ',')}${f ? `.${f}` : ''}`;
}

/** Whether a typed quantity is what the API takes: ≥ 0, four decimals at most. */
export const QUANTITY_PATTERN = /^\d{1,14}(\.\d{1,4})?$/;

export function useQuotas(nodeId: number | undefined, year: number) {
  return useQuery({
    queryKey: queryKeys.quotas.list(nodeId ?? 0, year),
    queryFn: () => api<{ plan: QuotaPlan; items: Quota[] }>('/quotas', { query: { nodeId, year } }),
    enabled: !!nodeId,
  });
}

export function useLineTargets(nodeId: number | undefined, year: number) {
  return useQuery({
    queryKey: queryKeys.quotas.lineTargets(nodeId ?? 0, year),
    queryFn: () => api<{ items: LineTarget[] }>('/quotas/line-targets', { query: { nodeId, year } }).then((r) => r.items),
    enabled: !!nodeId,
  });
}

/** The 10 % preview (writes nothing); errors (no line target) are shown in place. */
export function useProposal(nodeId: number | undefined, year: number, lineCode: string | undefined, percentBp: number) {
  return useQuery({
    queryKey: queryKeys.quotas.proposal(nodeId ?? 0, year, lineCode ?? '', percentBp),
    queryFn: () => api<Proposal>('/quotas/proposal', { query: { nodeId, year, lineCode, percentBp }, silent: true }),
    enabled: !!nodeId && !!lineCode,
    retry: false,
  });
}

export function usePlanVersion(nodeId: number | undefined, year: number, versionNo: number | undefined) {
  return useQuery({
    queryKey: queryKeys.quotas.version(nodeId ?? 0, year, versionNo ?? 0),
    queryFn: () => api<PlanVersion>(`/quotas/plans/${nodeId}/${year}/versions/${versionNo}`),
    enabled: !!nodeId && !!versionNo,
  });
}

function useQuotaMutation<V, R = unknown>(fn: (v: V) => Promise<R>) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: fn,
    onSuccess: () => {
      void qc.invalidateQueries({ queryKey: queryKeys.quotas.all });
      void qc.invalidateQueries({ queryKey: queryKeys.dashboards.all });
    },
  });
}

export interface QuotaInput {
  nodeId: number;
  year: number;
  departmentId: number;
  productId: number;
  staffId?: number | null;
  outletNodeId?: number | null;
  /** "120.5": the string form, never a float. */
  quantity: string;
  note?: string | null;
}

export const useCreateQuota = () => useQuotaMutation((body: QuotaInput) => api<Quota>('/quotas', { method: 'POST', body, silent: true }));
export const useUpdateQuota = () => useQuotaMutation(({ id, ...body }: { id: number; quantity?: string; note?: string | null }) => api<Quota>(`/quotas/${id}`, { method: 'PATCH', body }));
export const useDeleteQuota = () => useQuotaMutation((id: number) => api<void>(`/quotas/${id}`, { method: 'DELETE' }));
export const usePutLineTarget = () =>
  useQuotaMutation((body: { nodeId: number; year: number; lineCode: string; quantity: string; unit?: string; note?: string | null }) =>
    api<LineTarget>('/quotas/line-targets', { method: 'PUT', body }),
  );
export const useApplyProposal = () =>
  useQuotaMutation((body: { nodeId: number; year: number; lineCode: string; percentBp?: number; departmentIds?: number[] }) => api<Proposal>('/quotas/proposal', { method: 'POST', body }));
/** Four-eyes errors come back to the page (shown in place, in the person's language). */
export const useApprovePlan = () =>
  useQuotaMutation(({ nodeId, year }: { nodeId: number; year: number }) => api<QuotaPlan>(`/quotas/plans/${nodeId}/${year}/approve`, { method: 'POST', silent: true }));

export const downloadQuotas = (nodeId: number, year: number) => download('/quotas/export.xlsx', { nodeId, year }, `quotas-${year}.xlsx`);
