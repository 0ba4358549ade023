import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api, download } from './client';
import { queryKeys } from './keys';
import type { Page } from './types';

/**
 * Shapes of /api/sales and /api/developments (SPEC §7, §8); the sources of truth are
 * server/modules/sales/sales.schemas.ts and server/modules/developments/developments.schemas.ts.
 */

export interface Sale {
  id: number;
  sourceId: string;
  saleDate: string;
  productId: number;
  productCode: string;
  productName: string;
  unit: string;
  mortgage: boolean;
  quantity: string;
  quantity1e4: number;
  personId: number | null;
  personName: string | null;
  /** Masked: 4406**********1234. */
  personIdNumber: string | null;
  companyId: number | null;
  companyName: string | null;
  companyUscc: string | null;
  projectId: number | null;
  developmentId: number | null;
  developmentCode: string | null;
  developmentName: string | null;
  hostDepartmentId: number;
  hostDepartmentCode: string;
  hostDepartmentName: string;
  nodeId: number;
  nodeCode: string;
  nodeName: string;
  /** Unit score in force on the sale date and the sale's points (decimal strings). */
  unitScore: string | null;
  points: string | null;
  departments: { departmentId: number; code: string; name: string; ratioBp: number | null; ratio: string | null }[];
  people: {
    staffId: number;
    staffNo: string;
    name: string;
    departmentId: number;
    departmentCode: string;
    departmentName: string;
    role: string;
    contributionBp: number | null;
    contribution: string | null;
  }[];
  createdBy: number | null;
  createdAt: string;
}

export interface SaleFilters {
  page?: number;
  pageSize?: number;
  /** 2026-10 */
  month?: string;
  nodeId?: number;
  productId?: number;
  departmentId?: number;
  staffId?: number;
  developmentId?: number;
  /** Source transaction id, partial. */
  q?: string;
}

/** One page of cross-sales (server-side paging). */
export function fetchSales(filters: SaleFilters) {
  return api<Page<Sale>>('/sales', { query: { ...filters } });
}

export function useSale(id: number | undefined) {
  return useQuery({
    queryKey: queryKeys.sales.one(id ?? 0),
    queryFn: () => api<Sale>(`/sales/${id}`),
    enabled: !!id,
  });
}

/** The filtered list as Excel (without paging). */
export function downloadSales(filters: SaleFilters) {
  const { page: _p, pageSize: _s, ...rest } = filters;
  return download('/sales/export.xlsx', { ...rest }, '交叉销售清单.xlsx');
}

// ---- 楼盘 (SPEC §8) ----

export interface Figures {
  id: number;
  asOf: string;
  totalHouseholds: number;
  bankHouseholds: number;
  /** bank / total, "85.00" (%), truncated; null with no households. */
  ratio: string | null;
  /** Exactly at the threshold counts. */
  meetsThreshold: boolean;
  createdBy: number | null;
  createdAt: string;
}

export interface Development {
  id: number;
  code: string;
  name: string;
  developerId: number;
  developerName: string;
  nodeId: number;
  nodeName: string;
  lenderMode: 'sole' | 'partial';
  /** The bank's share of the development loan, "60.00" (%); null for a sole lender. */
  loanShare: string | null;
  loanShareBp: number | null;
  /** "85.00" for a sole lender, the loan share otherwise. */
  threshold: string;
  thresholdBp: number;
  latest: Figures | null;
  createdAt: string;
}

export interface DevelopmentFilters {
  page?: number;
  pageSize?: number;
  q?: string;
  nodeId?: number;
}

export function fetchDevelopments(filters: DevelopmentFilters) {
  return api<Page<Development>>('/developments', { query: { ...filters } });
}

/** Developments for pickers (a branch finances tens, not thousands). */
export function useDevelopmentOptions(nodeId?: number) {
  return useQuery({
    queryKey: queryKeys.sales.developments({ nodeId, pageSize: 200 }),
    queryFn: () => fetchDevelopments({ nodeId, pageSize: 200 }).then((r) => r.items),
    staleTime: 60_000,
  });
}

/** Cumulative figures, newest first. */
export function useFigures(id: number | undefined) {
  return useQuery({
    queryKey: queryKeys.sales.figures(id ?? 0),
    queryFn: () => api<{ items: Figures[] }>(`/developments/${id}/figures`).then((r) => r.items),
    enabled: !!id,
  });
}

/** Adds the cumulative households as of a day (errors shown on the form, hence silent). */
export function useAddFigures() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: ({ id, ...body }: { id: number; asOf: string; totalHouseholds: number; bankHouseholds: number }) => api<Figures>(`/developments/${id}/figures`, { method: 'POST', body, silent: true }),
    onSuccess: () => {
      void qc.invalidateQueries({ queryKey: queryKeys.sales.all });
      void qc.invalidateQueries({ queryKey: queryKeys.statements.all });
    },
  });
}
