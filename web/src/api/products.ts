import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api } from './client';
import { queryKeys } from './keys';
import type { Paged } from './types';
import type { ProductLine, Product, ScoreVersion } from './contract';

/** Shapes of /api/products (SPEC §6); the types are derived (contract.ts) from server/modules/products/products.schemas.ts. */

export type { ProductLine, Product, ScoreVersion };

export interface ProductFilters {
  page?: number;
  pageSize?: number;
  q?: string;
  lineCode?: string;
  active?: boolean;
  date?: string;
}

export interface ProductInput {
  code?: string;
  name?: string;
  lineCode?: string;
  hostDepartmentCode?: string;
  unit?: string;
  mortgage?: boolean;
  active?: boolean;
  /** The first score version (create only). */
  score?: { score: string; effectiveFrom: string; note?: string | null };
}

/** One page of the catalogue, with the scores in force today (server-side paging). */
export function fetchProducts(filters: ProductFilters) {
  return api<Paged<Product>>('/products', { query: { ...filters } });
}

export function useProductLines() {
  return useQuery({
    queryKey: queryKeys.products.lines,
    queryFn: () => api<{ items: ProductLine[] }>('/products/lines').then((r) => r.items),
    staleTime: 5 * 60_000,
  });
}

/** The whole catalogue for pickers (a bank has tens of products, well under one page of 500). */
export function useProductOptions(enabled = true) {
  return useQuery({
    queryKey: queryKeys.products.options,
    queryFn: () => fetchProducts({ pageSize: 500 }).then((r) => r.items),
    enabled,
    staleTime: 60_000,
  });
}

export function useProduct(id: number | undefined) {
  return useQuery({
    queryKey: queryKeys.products.one(id ?? 0),
    queryFn: () => api<Product>(`/products/${id}`),
    enabled: !!id,
  });
}

/** Score versions, newest first. */
export function useScoreHistory(id: number | undefined) {
  return useQuery({
    queryKey: queryKeys.products.scores(id ?? 0),
    queryFn: () => api<{ items: ScoreVersion[] }>(`/products/${id}/scores`).then((r) => r.items),
    enabled: !!id,
  });
}

function useProductMutation<V, R = unknown>(fn: (v: V) => Promise<R>) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: fn,
    onSuccess: () => {
      void qc.invalidateQueries({ queryKey: queryKeys.products.all });
      // A new score version re-scores sales already recorded in its days.
      void qc.invalidateQueries({ queryKey: queryKeys.sales.all });
      void qc.invalidateQueries({ queryKey: queryKeys.statements.all });
    },
  });
}

/** Errors come back to the form (a taken code on its field), so these are silent. */
export const useCreateProduct = () => useProductMutation((body: ProductInput) => api<Product>('/products', { method: 'POST', body, silent: true }));
export const useUpdateProduct = () => useProductMutation(({ id, ...body }: { id: number } & ProductInput) => api<Product>(`/products/${id}`, { method: 'PATCH', body, silent: true }));

/** Adds a score version (old versions are never edited); answers how many sales were re-scored. */
export const useAddScore = () =>
  useProductMutation(({ id, ...body }: { id: number; score: string; effectiveFrom: string; note?: string | null }) =>
    api<ScoreVersion & { rescoredSales: number }>(`/products/${id}/scores`, { method: 'POST', body, silent: true }),
  );
