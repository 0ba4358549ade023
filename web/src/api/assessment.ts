import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api, download } from './client';
import { queryKeys } from './keys';
import type { Money, AssessmentResult, RunSummary, Run, WhatIf, RuleSet, RulesView, GateLine, DepartmentResult, PersonResult, YearStatus } from './contract';

/**
 * Shapes of /api/assessment (年终考核与奖励兑现, SPEC §10, Art. 17, 22, 23); the types are derived (contract.ts) from
 * server/modules/assessment/assessment.schemas.ts. Money is a string of 元 plus integer 分, points a
 * two-decimal string plus hundredths: the console formats the integers and never adds floats.
 */

export type { Money, AssessmentResult, RunSummary, Run, WhatIf, RuleSet, RulesView, GateLine, DepartmentResult, PersonResult, YearStatus };

export type RunState = RunSummary['state'];

/** The award rules of a rule set (also what the console sends back when editing them). */
export type AwardRules = RuleSet['rules'];

export function useRuns(nodeId: number | undefined, year?: number) {
  return useQuery({
    queryKey: queryKeys.assessment.runs(nodeId ?? 0, year),
    queryFn: () => api<{ items: RunSummary[] }>('/assessment/runs', { query: { nodeId, year } }).then((r) => r.items),
    enabled: !!nodeId,
  });
}

/** Art. 22: whether the assessment period is over (every month locked in the branches covered). */
export function useYearStatus(nodeId: number | undefined, year: number | undefined) {
  return useQuery({
    queryKey: [...queryKeys.assessment.all, 'year', nodeId ?? 0, year ?? 0],
    queryFn: () => api<YearStatus>('/assessment/year', { query: { nodeId, year } }),
    enabled: !!nodeId && !!year,
  });
}

export function useRun(id: number | undefined) {
  return useQuery({
    queryKey: queryKeys.assessment.run(id ?? 0),
    queryFn: () => api<Run>(`/assessment/runs/${id}`),
    enabled: !!id,
  });
}

export function useAwardRules(nodeId: number | undefined, year: number | undefined) {
  return useQuery({
    queryKey: queryKeys.assessment.rules(nodeId ?? 0, year ?? 0),
    queryFn: () => api<RulesView>('/assessment/rules', { query: { nodeId, year } }),
    enabled: !!nodeId && !!year,
  });
}

function useAssessmentMutation<V, R = unknown>(fn: (v: V) => Promise<R>) {
  const qc = useQueryClient();
  return useMutation({ mutationFn: fn, onSuccess: () => qc.invalidateQueries({ queryKey: queryKeys.assessment.all }) });
}

/** Art. 17 award rules of a branch from a year on (committee: assessment.approve). */
export const useSaveAwardRules = () => useAssessmentMutation((body: { nodeId: number; effectiveYear: number; rules: AwardRules }) => api<RuleSet>('/assessment/rules', { method: 'PUT', body }));

/** The pool goes as integer 分 (typed in 元 with two decimals, converted exactly). */
export const useRunAssessment = () => useAssessmentMutation((body: { nodeId: number; year: number; poolFen: number; gateBp?: number }) => api<Run>('/assessment/runs', { method: 'POST', body }));
/** Four-eyes and stale-input errors are shown in place (silent), in the person's language. */
export const useApproveRun = () => useAssessmentMutation((id: number) => api<Run>(`/assessment/runs/${id}/approve`, { method: 'POST', silent: true }));
/** The committee reopens a finally assessed year (reason required): the run is superseded. */
export const useReopenRun = () =>
  useAssessmentMutation((v: { id: number; reason: string }) => api<Run>(`/assessment/runs/${v.id}/reopen`, { method: 'POST', body: { reason: v.reason }, silent: true }));
export const useLockRun = () => useAssessmentMutation((id: number) => api<Run>(`/assessment/runs/${id}/lock`, { method: 'POST', silent: true }));

/** What-if: computed in a read-only transaction, nothing is written (no cache to invalidate). */
export const useWhatIf = () =>
  useMutation({
    mutationFn: (body: { nodeId: number; year: number; runId?: number; poolFen?: number; gateBp?: number; quotas?: { departmentId: number; productId: number; quantity: string | null }[] }) =>
      api<WhatIf>('/assessment/what-if', { method: 'POST', body, silent: true }),
  });

export const downloadPayout = (id: number) => download(`/assessment/runs/${id}/payout.xlsx`, undefined, `payout-${id}.xlsx`);
