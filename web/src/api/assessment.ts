import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api, download } from './client';
import { queryKeys } from './keys';
import type { Text2, Who } from './quotas';
import type { Points } from './statements';

/**
 * Shapes of /api/assessment (年终考核与奖励兑现, SPEC §10, Art. 17, 22, 23); the source of truth is
 * server/modules/assessment/assessment.schemas.ts. Money is a string of 元 plus integer 分, points a
 * two-decimal string plus hundredths: the console formats the integers and never adds floats.
 */

export interface Money {
  /** "33333.34" (元) */
  amount: string;
  /** 3333334 (分) */
  amountFen: number;
}

export interface GateLine {
  departmentId: number;
  departmentName: string;
  productId: number;
  productName: string;
  unit: string;
  quota: string;
  quota1e4: number;
  completion: string;
  completion1e4: number;
  completionBp: number | null;
  passed: boolean;
  points: Points;
  reason: Text2;
}

export interface DepartmentResult {
  departmentId: number;
  code: string;
  name: string;
  points: Points;
  counted: Points;
  gated: Points;
  completionBp: number | null;
  reward: Money;
  special: Money;
  kpiDeduction: Points;
  notes: Text2[];
}

export interface PersonResult {
  departmentId: number;
  departmentName: string;
  /** null: the department's own part (points no person was named for). */
  staffId: number | null;
  staffNo: string | null;
  name: string;
  points: Points;
  counted: Points;
  reward: Money;
  special: Money;
}

export interface AssessmentResult {
  pool: Money;
  gateBp: number;
  totals: { points: Points; counted: Points; gated: Points; reward: Money; special: Money };
  notes: Text2[];
  gate: GateLine[];
  departments: DepartmentResult[];
  people: PersonResult[];
  outlets: { outletNodeId: number; name: string; points: Points; sales: number; note: Text2 }[];
}

export type RunState = 'draft' | 'approved' | 'locked' | 'superseded';

export interface RunSummary {
  id: number;
  nodeId: number;
  nodeCode: string;
  nodeName: string;
  year: number;
  state: RunState;
  pool: Money;
  gateBp: number;
  quotaVersion: number | null;
  ruleSetId: number | null;
  inputsHash: string;
  createdBy: Who | null;
  createdAt: string;
  approvedBy: Who | null;
  approvedAt: string | null;
  lockedBy: Who | null;
  lockedAt: string | null;
  /** Set when the committee reopened the year (the run is superseded). */
  supersededBy: Who | null;
  supersededAt: string | null;
  supersedeReason: string | null;
}

export interface Run extends RunSummary {
  result: AssessmentResult;
}

export interface WhatIf {
  nodeId: number;
  year: number;
  base: { source: 'run' | 'computed'; runId: number | null; result: AssessmentResult };
  whatIf: AssessmentResult;
  departments: { departmentId: number; name: string; baseCounted: Points; whatIfCounted: Points; baseReward: Money; whatIfReward: Money; delta: Money }[];
  written: false;
  /** Always true: a what-if is a trial (试算), never a final result. */
  trial: true;
  label: Text2;
  /** Why a final run is not yet possible (months still open); null when the year is over. */
  yearOpen: Text2 | null;
}

/** Art. 22: whether the assessment period is over (every month locked in the branches covered). */
export interface YearStatus {
  nodeId: number;
  year: number;
  closed: boolean;
  openMonths: { nodeId: number; nodeName: string; month: string; state: string }[];
  reason: Text2 | null;
  finalRun: { id: number; state: RunState } | null;
}

export interface AwardRules {
  kpiDeductions: { belowBp: number; deductHundredths: number; label?: string }[];
  specialAwards: { atLeastBp: number; amountFen: number; label?: string }[];
  keyProjects: { projectId: number; amountFen: number; label: string }[];
  outletAttribution: boolean;
}

export interface RuleSet {
  id: number;
  nodeId: number;
  nodeName: string;
  effectiveYear: number;
  rules: AwardRules;
  updatedAt: string;
}

export interface RulesView {
  inForce: RuleSet | null;
  defaults: AwardRules;
  history: RuleSet[];
}

export function useRuns(nodeId: number | undefined, year?: number) {
  return useQuery({
    queryKey: queryKeys.assessment.runs(nodeId ?? 0, year),
    queryFn: () => api<{ items: RunSummary[] }>('/assessment/runs', { query: { nodeId, year } }).then((r) => r.items),
    enabled: !!nodeId,
  });
}

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
