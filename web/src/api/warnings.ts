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

/** The indicators in force today, or with `history` every version (the scheduled ones too). */
export function useIndicators(history = false) {
  return useQuery({
    queryKey: [...KEY, 'indicators', history],
    queryFn: () => api<{ items: Indicator[] }>('/warnings/indicators', { query: history ? { history: 'true' } : {} }).then((r) => r.items),
  });
}

export type IndicatorVersionBody = z.input<typeof W.IndicatorBody>;
export type WarningSource = Out<typeof W.SourcesOut>['items'][number];
export type EscalationStep = Out<typeof W.StepsOut>['items'][number];

/** 数据项: what a feed may carry, each with its unit (分, days, a count, a yes/no flag). */
export function useWarningSources() {
  return useQuery({ queryKey: [...KEY, 'sources'], queryFn: () => api<Out<typeof W.SourcesOut>>('/warnings/sources').then((r) => r.items), staleTime: Infinity });
}

/** 指标新版本: a changed rule never rewrites the old one; it starts on its own date (SPEC §12). */
export function useAddIndicatorVersion() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: ({ code, body }: { code: string; body: IndicatorVersionBody }) => api<Indicator>(`/warnings/indicators/${code}/versions`, { method: 'POST', body }),
    onSuccess: () => void qc.invalidateQueries({ queryKey: KEY }),
  });
}

export function useEscalationSteps() {
  return useQuery({ queryKey: [...KEY, 'escalation'], queryFn: () => api<{ items: EscalationStep[] }>('/warnings/escalation').then((r) => r.items) });
}

export function useSetEscalationSteps() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (items: EscalationStep[]) => api<{ items: EscalationStep[] }>('/warnings/escalation', { method: 'PUT', body: { items } }),
    onSuccess: () => void qc.invalidateQueries({ queryKey: KEY }),
  });
}

export function useWarningAction() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: ({ id, action, body }: { id: number; action: 'acknowledge' | 'visits' | 'close' | 'escalate'; body: { note?: string | null; visitedOn?: string } }) =>
      api<WarningDetail>(`/warnings/${id}/${action}`, { method: 'POST', body }),
    onSuccess: () => void qc.invalidateQueries({ queryKey: KEY }),
  });
}
