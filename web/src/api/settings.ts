import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api } from './client';
import { queryKeys } from './keys';
import type { SplitRule } from './contract';
import type { Setting } from './types';

export function useSettings(enabled = true) {
  return useQuery({
    queryKey: queryKeys.settings,
    queryFn: () => api<{ items: Setting[] }>('/settings').then((r) => r.items),
    enabled,
  });
}

export function useUpdateSetting() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: ({ key, value }: { key: string; value: unknown }) => api<Setting>(`/settings/${encodeURIComponent(key)}`, { method: 'PUT', body: { value }, silent: true }),
    onSuccess: () => qc.invalidateQueries({ queryKey: queryKeys.settings }),
  });
}

/** The effective-dated split rules (SPEC §7), oldest first: the only split scoring uses. */
export function useSplitRules(enabled = true) {
  return useQuery({
    queryKey: queryKeys.splitRules,
    queryFn: () => api<{ items: SplitRule[] }>('/scoring/split-rules').then((r) => r.items),
    enabled,
  });
}

/** Adds a rule from a date (today or later); shares in basis points (20 % = 2000). */
export function useAddSplitRule() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (body: { effectiveFrom: string; hostBp: number; participantsBp: number }) => api<SplitRule>('/scoring/split-rules', { method: 'POST', body }),
    onSuccess: () => qc.invalidateQueries({ queryKey: queryKeys.splitRules }),
  });
}
