import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { z } from 'zod';
import type * as W from '@server/modules/warnings/warnings.schemas.js';
import { api } from './client';
import type { Out } from './contract';

/** /api/warnings (贷后监测预警, SPEC §12); the types are derived from server/modules/warnings/warnings.schemas.ts. */
export type WarningList = Out<typeof W.WarningListOut>;
export type Warning = WarningList['items'][number];
export type WarningDetail = Out<typeof W.WarningOut>;
export type WarningStatusRow = Out<typeof W.StatusOut>['items'][number];
export type CoverageRow = Out<typeof W.CoverageOut>['items'][number];
export type Indicator = Out<typeof W.IndicatorListOut>['items'][number];
export type WarningQuery = { [K in keyof z.input<typeof W.WarningQuery>]?: string | number };
export type StatusBy = 'branch' | 'subbranch' | 'outlet' | 'am';

export const SEVERITY_COLORS: Record<Warning['severity'], string> = { high: 'red', medium: 'orange', low: 'gold' };
export const STATUS_COLORS: Record<Warning['status'], string> = { open: 'red', acknowledged: 'blue', visited: 'cyan', closed: 'default' };

const KEY = ['warnings'] as const;

export function useWarnings(q: WarningQuery) {
  return useQuery({ queryKey: [...KEY, 'list', q], queryFn: () => api<WarningList>('/warnings', { query: { ...q } }) });
}

export function useWarning(id: number | undefined) {
  return useQuery({ queryKey: [...KEY, 'one', id], queryFn: () => api<WarningDetail>(`/warnings/${id}`, { silent: true }), enabled: !!id, retry: false });
}

export function useWarningStatus(by: StatusBy) {
  return useQuery({ queryKey: [...KEY, 'status', by], queryFn: () => api<{ by: string; items: WarningStatusRow[] }>('/warnings/status', { query: { by } }) });
}

export function useWarningCoverage(page: number) {
  return useQuery({ queryKey: [...KEY, 'coverage', page], queryFn: () => api<Out<typeof W.CoverageOut>>('/warnings/coverage', { query: { page, pageSize: 10 } }) });
}

export function useIndicators() {
  return useQuery({ queryKey: [...KEY, 'indicators'], queryFn: () => api<{ items: Indicator[] }>('/warnings/indicators').then((r) => r.items) });
}

export function useWarningAction() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: ({ id, action, body }: { id: number; action: 'acknowledge' | 'visits' | 'close' | 'escalate'; body: { note?: string | null; visitedOn?: string } }) =>
      api<WarningDetail>(`/warnings/${id}/${action}`, { method: 'POST', body }),
    onSuccess: () => void qc.invalidateQueries({ queryKey: KEY }),
  });
}
