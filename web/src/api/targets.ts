import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api } from './client';
import { queryKeys } from './keys';

/** Shapes of /api/targets (SPEC §3, Art. 7–9); the source of truth is server/modules/targets/*.schemas.ts. */

export type TargetDeptKind = 'corporate' | 'institutional' | 'real_estate';
export const TARGET_DEPT_KINDS: TargetDeptKind[] = ['corporate', 'institutional', 'real_estate'];
export type NominationStatus = 'nominated' | 'approved' | 'rejected' | 'withdrawn';
export const NOMINATION_STATUSES: NominationStatus[] = ['nominated', 'approved', 'rejected', 'withdrawn'];

/** A stored rule: { kind: gt|gte|lt|lte|eq|in|truthy|typeIs|all|any|other, … } */
export type Rule =
  | { kind: 'gt' | 'gte' | 'lt' | 'lte'; fact: string; value: number }
  | { kind: 'eq'; fact: string; value: string | number | boolean }
  | { kind: 'in'; fact: string; values: (string | number)[] }
  | { kind: 'truthy'; fact: string }
  | { kind: 'typeIs'; types: string[] }
  | { kind: 'all' | 'any'; rules: Rule[] }
  | { kind: 'other' };

export interface CriterionRow {
  id: number;
  code: string;
  departmentKind: TargetDeptKind;
  nameZh: string;
  nameEn: string;
  rule: Rule;
  sort: number;
  active: boolean;
  effectiveFrom: string;
  createdBy: number | null;
  createdAt: string;
}

export interface Criterion {
  code: string;
  departmentKind: TargetDeptKind;
  inForce: boolean;
  current: CriterionRow | null;
  /** Every row of the code, newest first. */
  history: CriterionRow[];
}

export interface FactUsed {
  key: string;
  labelZh: string;
  labelEn: string;
  value: string | number | boolean | null;
}

export interface CriterionResult {
  code: string;
  nameZh: string;
  nameEn: string;
  met: boolean;
  facts: FactUsed[];
  explanation: { zh: string; en: string };
}

export interface Evaluation {
  on: string;
  departmentKind: TargetDeptKind;
  met: string[];
  results: CriterionResult[];
}

export interface Preview extends Evaluation {
  company: { id: number; name: string; uscc: string };
  departmentId: number;
}

export interface Nomination {
  id: number;
  nodeId: number;
  nodeName: string;
  departmentId: number;
  departmentName: string;
  departmentKind: string;
  companyId: number;
  companyName: string;
  uscc: string;
  action: 'add' | 'remove';
  status: NominationStatus;
  reason: string | null;
  met: string[];
  evaluation: Evaluation;
  nominatedById: number;
  nominatedByName: string;
  nominatedAt: string;
  decidedById: number | null;
  decidedByName: string | null;
  decidedAt: string | null;
  decisionReason: string | null;
  versionId: number | null;
  versionNo: number | null;
}

export interface TargetList {
  nodeId: number;
  nodeName: string;
  departmentId: number;
  departmentName: string;
  departmentKind: string;
  versionId: number | null;
  versionNo: number | null;
  reviewDueOn: string | null;
  entryCount: number;
  pendingCount: number;
  approvedWaiting: number;
  due: boolean;
  daysLeft: number | null;
  overdue: boolean;
}

export interface Version {
  id: number;
  versionNo: number;
  note: string | null;
  createdById: number;
  createdByName: string;
  createdAt: string;
  reviewDueOn: string | null;
  entryCount: number;
  addedCount: number;
  removedCount: number;
}

export interface CriterionName {
  code: string;
  nameZh: string;
  nameEn: string;
}

export interface Entry {
  companyId: number;
  name: string;
  uscc: string;
  criteria: string[];
  criteriaNames: CriterionName[];
  reason: string | null;
  nominationId: number | null;
}

export interface Versions {
  nodeId: number;
  nodeName: string;
  departmentId: number;
  departmentName: string;
  departmentKind: TargetDeptKind;
  items: Version[];
}

export interface VersionEntries extends Version {
  nodeId: number;
  nodeName: string;
  departmentId: number;
  departmentName: string;
  items: Entry[];
}

export interface DiffEntry {
  companyId: number;
  name: string;
  uscc: string;
  criteria: string[];
  criteriaNames: CriterionName[];
}

export interface Diff {
  from: number;
  to: number;
  added: DiffEntry[];
  removed: DiffEntry[];
  changed: { companyId: number; name: string; uscc: string; criteria: string[]; before: string[]; criteriaAdded: string[]; criteriaRemoved: string[] }[];
}

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
  return api<{ total: number; items: Nomination[] }>('/targets/nominations', { query: { ...filters } });
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
