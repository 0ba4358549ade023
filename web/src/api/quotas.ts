import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api, download } from './client';
import { queryKeys } from './keys';

/**
 * Shapes of /api/quotas (营销任务, SPEC §10); the source of truth is
 * server/modules/quotas/quotas.schemas.ts. Quantities travel as a decimal string ("120.5") plus
 * the integer × 10⁴: the console shows and sends the string, never a float.
 */

export interface Who {
  id: number;
  name: string;
}

export type QuotaSource = 'manual' | 'proposal' | 'import';

export interface Quota {
  id: number;
  nodeId: number;
  year: number;
  departmentId: number;
  departmentCode: string;
  departmentName: string;
  productId: number;
  productCode: string;
  productName: string;
  lineCode: string;
  unit: string;
  staffId: number | null;
  staffNo: string | null;
  staffName: string | null;
  outletNodeId: number | null;
  outletCode: string | null;
  outletName: string | null;
  quantity: string;
  quantity1e4: number;
  source: QuotaSource;
  note: string | null;
  updatedBy: Who | null;
  updatedAt: string;
}

export interface QuotaPlan {
  nodeId: number;
  year: number;
  state: 'draft' | 'approved';
  approvedVersion: number;
  lastEditedBy: Who | null;
  lastEditedAt: string | null;
  approvedBy: Who | null;
  approvedAt: string | null;
  quotas: number;
  versions: { versionNo: number; approvedBy: Who | null; approvedAt: string; quotas: number }[];
}

export interface LineTarget {
  nodeId: number;
  year: number;
  lineCode: string;
  lineName: string;
  retail: boolean;
  quantity: string;
  quantity1e4: number;
  unit: string;
  note: string | null;
  updatedAt: string;
}

export interface Text2 {
  zh: string;
  en: string;
}

export interface Proposal {
  nodeId: number;
  year: number;
  lineCode: string;
  lineTarget: { quantity: string; quantity1e4: number; unit: string };
  percentBp: number;
  quantity: string;
  quantity1e4: number;
  rule: Text2;
  lines: {
    departmentId: number;
    departmentCode: string;
    departmentName: string;
    productId: number;
    productCode: string;
    productName: string;
    unit: string;
    quantity: string;
    quantity1e4: number;
    existing1e4: number | null;
  }[];
  skipped: { productId: number; productCode: string; productName: string; reason: Text2 }[];
  applied?: number;
}

export interface PlanVersion {
  nodeId: number;
  year: number;
  versionNo: number;
  approvedBy: Who | null;
  approvedAt: string;
  lastEditedBy: Who | null;
  quotas: { departmentId: number; productId: number; staffId: number | null; outletNodeId: number | null; quantity: string; quantity1e4: number }[];
  changes: {
    departmentId: number;
    productId: number;
    staffId: number | null;
    outletNodeId: number | null;
    change: 'added' | 'removed' | 'changed';
    before1e4: number | null;
    after1e4: number | null;
  }[];
}

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

export const useCreateQuota = () => useQuotaMutation((body: QuotaInput) => api<Quota>('/quotas', { method: 'POST', body }));
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
