import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api } from './client';
import type * as C from './contract';

/** /api/interbank coverage, briefings, rankings, supervision, caliber and plans (SPEC §11, issue 14). */
export type IbCoverage = C.IbCoverage;
export type IbCoverageLine = C.IbCoverageLine;
export type IbBriefing = C.IbBriefing;
export type IbRankings = C.IbRankings;
export type IbSubmission = C.IbSubmission;
export type IbCaliber = C.IbCaliber;
export type IbSteps = C.IbSteps;
export type IbPlan = C.IbPlan;
export type IbAdjustment = C.IbAdjustment;
export type IbAdjustmentPreview = C.IbAdjustmentPreview;

const ROOT = ['interbank-coverage'] as const;
const keys = {
  coverage: (asOf: string) => [...ROOT, 'coverage', asOf] as const,
  briefings: [...ROOT, 'briefings'] as const,
  briefing: (weekEnd: string) => [...ROOT, 'briefing', weekEnd] as const,
  rankings: (weeks: number) => [...ROOT, 'rankings', weeks] as const,
  supervision: (f: object) => [...ROOT, 'supervision', f] as const,
  calibers: [...ROOT, 'calibers'] as const,
  steps: [...ROOT, 'steps'] as const,
  plans: (year: number) => [...ROOT, 'plans', year] as const,
  adjustments: (year: number) => [...ROOT, 'adjustments', year] as const,
};

export const useIbCoverage = (asOf: string) => useQuery({ queryKey: keys.coverage(asOf), queryFn: () => api<IbCoverage>('/interbank/coverage', { query: { asOf } }) });
export const useIbBriefings = () => useQuery({ queryKey: keys.briefings, queryFn: () => api<C.IbSnapshotList>('/interbank/briefings') });
/** A stored week's briefing; `stored` false (no snapshot yet) asks nothing. */
export const useIbBriefing = (weekEnd: string | undefined, stored: boolean) =>
  useQuery({ queryKey: keys.briefing(weekEnd ?? ''), queryFn: () => api<IbBriefing>(`/interbank/briefings/${weekEnd}`), enabled: !!weekEnd && stored, retry: false });
export const useIbRankings = (weeks: number) => useQuery({ queryKey: keys.rankings(weeks), queryFn: () => api<IbRankings>('/interbank/rankings', { query: { weeks } }) });
export const useIbSupervision = (f: { weekEnd?: string; status?: string }) =>
  useQuery({ queryKey: keys.supervision(f), queryFn: () => api<C.IbSubmissionList>('/interbank/supervision', { query: { ...f } }) });
export const useIbCalibers = () => useQuery({ queryKey: keys.calibers, queryFn: () => api<{ items: IbCaliber[] }>('/interbank/calibers').then((r) => r.items) });
export const useIbSteps = () => useQuery({ queryKey: keys.steps, queryFn: () => api<{ items: IbSteps[] }>('/interbank/steps').then((r) => r.items) });
export const useIbPlans = (year: number) => useQuery({ queryKey: keys.plans(year), queryFn: () => api<{ items: IbPlan[] }>('/interbank/plans', { query: { year } }).then((r) => r.items) });
export const useIbAdjustments = (year: number) =>
  useQuery({ queryKey: keys.adjustments(year), queryFn: () => api<{ items: IbAdjustment[] }>('/interbank/plan-adjustments', { query: { year } }).then((r) => r.items) });

/** Every write refreshes every view of this half (figures depend on caliber, plans and snapshots). */
function useIbMutation<V, R>(fn: (v: V) => Promise<R>) {
  const qc = useQueryClient();
  return useMutation({ mutationFn: fn, onSuccess: () => void qc.invalidateQueries({ queryKey: ROOT }) });
}

export const useTakeSnapshot = () => useIbMutation((weekEnd: string) => api<IbBriefing>('/interbank/briefings', { method: 'POST', body: { weekEnd } }));
export const useSetRequirements = () =>
  useIbMutation(({ weekEnd, requirements }: { weekEnd: string; requirements: string }) => api<IbBriefing>(`/interbank/briefings/${weekEnd}/requirements`, { method: 'PUT', body: { requirements } }));
export const useSubmitSupervision = () =>
  useIbMutation(({ id, content }: { id: number; content: string }) => api<IbSubmission>(`/interbank/supervision/${id}/submit`, { method: 'POST', body: { content } }));
export const useAddCaliber = () => useIbMutation((body: { frameworkBp: number; productBp: number; validFrom: string }) => api<IbCaliber>('/interbank/calibers', { method: 'POST', body }));
export const useAddSteps = () => useIbMutation((body: { steps: { signings: number; bp: number }[]; validFrom: string }) => api<IbSteps>('/interbank/steps', { method: 'POST', body }));
export const useSetPlan = () => useIbMutation((body: { year: number; nodeId: number; planCount: number; reason: string }) => api<unknown>('/interbank/plans', { method: 'POST', body }));
export const usePreviewAdjustment = () => useMutation({ mutationFn: (body: C.IbAdjustmentBody) => api<IbAdjustmentPreview>('/interbank/plan-adjustments/preview', { method: 'POST', body }) });
export const useSaveAdjustment = () => useIbMutation((body: C.IbAdjustmentBody) => api<IbAdjustmentPreview & { id: number }>('/interbank/plan-adjustments', { method: 'POST', body }));

/** Basis points as the page prints them: 6667 → '66.67%' (integers only, no float arithmetic). */
export function bpText(bp: number | null | undefined): string {
  if (bp === null || bp === undefined) return '—';
  const a = Math.abs(bp);
  return `${bp < 0 ? '-' : ''}${Math.trunc(a / 100)}.${String(a % 100).padStart(2, '0')}%`;
}
