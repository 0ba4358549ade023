import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { hundredthsText } from '../format';
import { api } from './client';
import type * as C from './contract';

/** /api/inclusive (普惠金融, SPEC §12): outlet performance, sub-branch groups, quarterly results, 蹲点 visits. */
export type PerfOutletLine = C.PerfOutletLine;
export type PerfPersonLine = C.PerfPersonLine;
export type PerfGroups = C.PerfGroups;
export type PerfMeasure = C.PerfMeasure;
export type PerfResults = C.PerfResults;
export type PerfResult = C.PerfResult;
export type PerfResultLine = PerfResult['items'][number];
export type PerfVisit = C.PerfVisit;
export type PerfTally = C.PerfTally;
export type PerfSuggestions = C.PerfSuggestions;
export type PerfStaff = C.PerfStaff;

const ROOT = ['inclusive-performance'] as const;
type Range = { from: string; to: string; nodeId?: number };

export const useOutletPerformance = (r: Range) =>
  useQuery({ queryKey: [...ROOT, 'outlets', r], queryFn: () => api<{ items: PerfOutletLine[] }>('/inclusive/performance/outlets', { query: { ...r } }).then((x) => x.items) });
export const usePersonPerformance = (r: Range) =>
  useQuery({ queryKey: [...ROOT, 'people', r], queryFn: () => api<{ items: PerfPersonLine[] }>('/inclusive/performance/people', { query: { ...r } }).then((x) => x.items) });
export const usePerfGroups = () => useQuery({ queryKey: [...ROOT, 'groups'], queryFn: () => api<PerfGroups>('/inclusive/groups') });
export const usePerfMeasures = () => useQuery({ queryKey: [...ROOT, 'measures'], queryFn: () => api<{ items: PerfMeasure[] }>('/inclusive/measures').then((x) => x.items) });
export const usePerfResults = () => useQuery({ queryKey: [...ROOT, 'quarters'], queryFn: () => api<PerfResults>('/inclusive/quarters') });
export const usePerfResult = (id: number | undefined) => useQuery({ queryKey: [...ROOT, 'quarter', id], queryFn: () => api<PerfResult>(`/inclusive/quarters/${id}`), enabled: id !== undefined });
export const usePerfVisits = (month: string | undefined) =>
  useQuery({ queryKey: [...ROOT, 'visits', month], queryFn: () => api<{ items: PerfVisit[] }>('/inclusive/visits', { query: { month } }).then((x) => x.items) });
export const usePerfTally = () => useQuery({ queryKey: [...ROOT, 'tally'], queryFn: () => api<{ items: PerfTally[] }>('/inclusive/visits/tally').then((x) => x.items) });
export const usePerfSuggestions = (month: string) =>
  useQuery({ queryKey: [...ROOT, 'suggestions', month], queryFn: () => api<PerfSuggestions>('/inclusive/visits/suggestions', { query: { month } }) });
export const usePerfStaff = (enabled: boolean) => useQuery({ queryKey: [...ROOT, 'staff'], queryFn: () => api<{ items: PerfStaff[] }>('/inclusive/visits/staff').then((x) => x.items), enabled });

/** Every write refreshes every view of the module (groups feed results, visits feed the tally). */
function usePerfMutation<V, R>(fn: (v: V) => Promise<R>) {
  const qc = useQueryClient();
  return useMutation({ mutationFn: fn, onSuccess: () => void qc.invalidateQueries({ queryKey: ROOT }) });
}

export const useSetGroup = () => usePerfMutation((body: C.PerfGroupBody) => api<PerfGroups>('/inclusive/groups', { method: 'PUT', body }));
export const useSetMeasure = () => usePerfMutation((body: { measure: string; validFrom: string; reason: string }) => api<unknown>('/inclusive/measures', { method: 'POST', body }));
export const useTakeQuarter = () => usePerfMutation((body: { quarter: string; reason?: string }) => api<PerfResult>('/inclusive/quarters', { method: 'POST', body }));
export const usePlanVisit = () => usePerfMutation((body: C.PerfPlanBody) => api<PerfVisit>('/inclusive/visits', { method: 'POST', body }));
export const useRecordVisit = () => usePerfMutation(({ id, ...body }: C.PerfRecordBody & { id: number }) => api<PerfVisit>(`/inclusive/visits/${id}/record`, { method: 'POST', body }));
export const useCancelVisit = () => usePerfMutation(({ id, reason }: { id: number; reason: string }) => api<PerfVisit>(`/inclusive/visits/${id}/cancel`, { method: 'POST', body: { reason } }));
export const useCloseAction = () =>
  usePerfMutation(({ id, closingNote }: { id: number; closingNote: string }) => api<PerfVisit>(`/inclusive/actions/${id}/close`, { method: 'POST', body: { closingNote } }));

/** Basis points → "42.86%" (integer digits, never a float); "—" for none. */
export const bpText = (bp: number | null | undefined): string => (bp === null || bp === undefined ? '—' : `${hundredthsText(bp)}%`);
