import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api } from './client';
import { queryKeys } from './keys';
import type { CriterionResult, Evaluation, Preview, TargetList, Version, Entry, Versions, VersionEntries, Diff, Nomination, DiffEntry, CriterionName, FactUsed } from './contract';
import type * as C from './contract';

/** Shapes of /api/targets (SPEC §3, Art. 7–9); the types are derived (contract.ts) from server/modules/targets/*.schemas.ts. */

export type { CriterionResult, Evaluation, Preview, TargetList, Version, Entry, Versions, VersionEntries, Diff, Nomination, DiffEntry, CriterionName, FactUsed };

export type TargetDeptKind = 'corporate' | 'institutional' | 'real_estate';
export const TARGET_DEPT_KINDS: TargetDeptKind[] = ['corporate', 'institutional', 'real_estate'];
export type NominationStatus = 'nominated' | 'approved' | 'rejected' | 'withdrawn';
export const NOMINATION_STATUSES: NominationStatus[] = ['nominated', 'approved', 'rejected', 'withdrawn'];

/** A stored rule: { kind: gt|gte|lt|lte|eq|in|truthy|typeIs|all|any|other, … } */
/** A criterion row; the server sends `rule` as unknown JSON, the console reads it as a Rule. */
export type CriterionRow = Omit<C.CriterionRow, 'rule'> & { rule: Rule };
export type Criterion = Omit<C.Criterion, 'current' | 'history'> & { current: CriterionRow | null; history: CriterionRow[] };

export type Rule =
  | { kind: 'gt' | 'gte' | 'lt' | 'lte'; fact: string; value: number }
  | { kind: 'eq'; fact: string; value: string | number | boolean }
  | { kind: 'in'; fact: string; values: (string | number)[] }
  | { kind: 'truthy'; fact: string }
  | { kind: 'typeIs'; types: string[] }
  | { kind: 'all' | 'any'; rules: Rule[] }
  | { kind: 'other' };

export interface NominationFilters {
  page?: number;
  pageSize?: number;
  nodeId?: number;
  departmentId?: number;
  status?: NominationStatus;
  companyId?: number;
}

/** Criteria in force on a day (today by default), each with its history. */
export function useCriteria(departmentKind?: TargetDeptKind, on?: string) {
  return useQuery({
    queryKey: queryKeys.targets.criteria(departmentKind, on),
    queryFn: () => api<{ on: string; items: Criterion[] }>('/targets/criteria', { query: { departmentKind, on } }),
  });
}

/** Which criteria of the department a client meets, with the facts read ("other" is met by a reason). */
export function useEvaluation(companyId: number | undefined, departmentId: number | undefined, reason?: string, silent = false) {
  return useQuery({
    queryKey: queryKeys.targets.evaluation(companyId ?? 0, departmentId ?? 0, reason ?? ''),
    queryFn: () => api<Preview>('/targets/evaluation', { query: { companyId, departmentId, reason: reason || undefined }, silent }),
    enabled: !!companyId && !!departmentId,
    retry: false,
    placeholderData: (prev) => prev,
  });
}

export function fetchNominations(filters: NominationFilters) {
  return api<C.Counted<Nomination>>('/targets/nominations', { query: { ...filters } });
}

export function useNominations(filters: NominationFilters, enabled = true) {
  return useQuery({ queryKey: queryKeys.targets.nominations(filters), queryFn: () => fetchNominations(filters), enabled });
}

/** Branch × department target lists in scope, with their latest version and review status. */
export function useTargetLists(nodeId?: number) {
  return useQuery({
    queryKey: queryKeys.targets.lists(nodeId),
    queryFn: () => api<{ items: TargetList[] }>('/targets/lists', { query: { nodeId } }).then((r) => r.items),
  });
}

export function useVersions(nodeId: number | undefined, departmentId: number | undefined) {
  return useQuery({
    queryKey: queryKeys.targets.versions(nodeId ?? 0, departmentId ?? 0),
    queryFn: () => api<Versions>(`/targets/lists/${nodeId}/${departmentId}/versions`),
    enabled: !!nodeId && !!departmentId,
  });
}

export function useVersionEntries(nodeId: number | undefined, departmentId: number | undefined, versionNo: number | undefined) {
  return useQuery({
    queryKey: queryKeys.targets.entries(nodeId ?? 0, departmentId ?? 0, versionNo ?? 0),
    queryFn: () => api<VersionEntries>(`/targets/lists/${nodeId}/${departmentId}/versions/${versionNo}`),
    enabled: !!nodeId && !!departmentId && !!versionNo,
  });
}

/** Compare two versions; 0 is the empty list before version 1. */
export function useDiff(nodeId: number | undefined, departmentId: number | undefined, from: number | undefined, to: number | undefined) {
  return useQuery({
    queryKey: queryKeys.targets.diff(nodeId ?? 0, departmentId ?? 0, from ?? -1, to ?? -1),
    queryFn: () => api<Diff>(`/targets/lists/${nodeId}/${departmentId}/diff`, { query: { from, to } }),
    enabled: !!nodeId && !!departmentId && from !== undefined && to !== undefined,
  });
}

/** Lists due for their periodic review (within the window or overdue). */
export function useReminders(enabled = true) {
  return useQuery({
    queryKey: queryKeys.targets.reminders,
    queryFn: () => api<{ today: string; windowDays: number; items: TargetList[] }>('/targets/reminders'),
    enabled,
    staleTime: 60_000,
  });
}

function useTargetMutation<V, R = unknown>(fn: (v: V) => Promise<R>) {
  const qc = useQueryClient();
  return useMutation({ mutationFn: fn, onSuccess: () => qc.invalidateQueries({ queryKey: queryKeys.targets.all }) });
}

export const useNominate = () =>
  useTargetMutation((body: { companyId: number; departmentId: number; action: 'add' | 'remove'; reason?: string | null }) => api<Nomination>('/targets/nominations', { method: 'POST', body }));
export const useDecide = () =>
  useTargetMutation(({ id, decision, reason }: { id: number; decision: 'approve' | 'reject'; reason?: string | null }) =>
    api<Nomination>(`/targets/nominations/${id}/${decision}`, { method: 'POST', body: { reason: reason || null } }),
  );
export const useWithdraw = () =>
  useTargetMutation(({ id, reason }: { id: number; reason?: string | null }) => api<Nomination>(`/targets/nominations/${id}/withdraw`, { method: 'POST', body: { reason: reason || null } }));
export const useCutVersion = () =>
  useTargetMutation(({ nodeId, departmentId, note }: { nodeId: number; departmentId: number; note?: string | null }) =>
    api<Version>(`/targets/lists/${nodeId}/${departmentId}/versions`, { method: 'POST', body: { note: note || null } }),
  );
/** A change is a new row effective from the given day; the old row stays as history. */
export const useChangeCriterion = () =>
  useTargetMutation(({ code, ...body }: { code: string; effectiveFrom: string; nameZh?: string; nameEn?: string; rule?: Rule; active?: boolean }) =>
    api<CriterionRow>(`/targets/criteria/${encodeURIComponent(code)}`, { method: 'PUT', body }),
  );
