import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api, download } from './client';
import { queryKeys } from './keys';
import type { Paged } from './types';
import type { Sale, Development, Figures } from './contract';

/**
 * Shapes of /api/sales and /api/developments (SPEC §7, §8); the types are derived (contract.ts) from
 * server/modules/sales/sales.schemas.ts and server/modules/developments/developments.schemas.ts.
 */

export type { Sale, Development, Figures };

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
  /** Only the sales I took part in (readable without sale.read). */
  mine?: boolean;
}

/** One page of cross-sales (server-side paging). */
export function fetchSales(filters: SaleFilters) {
  return api<Paged<Sale>>('/sales', { query: { ...filters } });
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

export interface DevelopmentFilters {
  page?: number;
  pageSize?: number;
  q?: string;
  nodeId?: number;
}

export function fetchDevelopments(filters: DevelopmentFilters) {
  return api<Paged<Development>>('/developments', { query: { ...filters } });
}

/** Developments for pickers (a branch finances tens, not thousands). */
export function useDevelopmentOptions(nodeId?: number, enabled = true) {
  return useQuery({
    queryKey: queryKeys.sales.developments({ nodeId, pageSize: 200 }),
    queryFn: () => fetchDevelopments({ nodeId, pageSize: 200 }).then((r) => r.items),
    enabled,
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
