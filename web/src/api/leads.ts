import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api } from './client';
import { queryKeys } from './keys';
import type * as C from './contract';

/** /api/leads (商机, SPEC §4, issue 13); the types are derived from server/modules/leads/leads.schemas.ts. */
export type Lead = C.Lead;
export type LeadDetail = C.LeadDetail;
export type LeadStage = Lead['stage'];
export const LEAD_STAGES: LeadStage[] = ['new', 'contacted', 'proposal', 'won', 'lost'];
export const OPEN_LEAD_STAGES: LeadStage[] = ['new', 'contacted', 'proposal'];
export const LEAD_STAGE_COLORS: Record<LeadStage, string> = { new: 'blue', contacted: 'cyan', proposal: 'purple', won: 'green', lost: 'default' };

export interface LeadFilters {
  view?: 'mine' | 'pool' | 'all';
  stage?: LeadStage;
  open?: 'true' | 'false';
  q?: string;
  projectId?: number;
  page?: number;
  pageSize?: number;
}

export function useLeads(f: LeadFilters, enabled = true) {
  return useQuery({ queryKey: queryKeys.leads.list(f), queryFn: () => api<C.Paged<Lead>>('/leads', { query: { ...f } }), enabled });
}

export function useLead(id: number | undefined) {
  return useQuery({ queryKey: queryKeys.leads.one(id ?? 0), queryFn: () => api<LeadDetail>(`/leads/${id}`, { silent: true }), enabled: !!id, retry: false });
}

export function useLeadRate(from: string, to: string, enabled = true) {
  return useQuery({ queryKey: queryKeys.leads.rate(from, to), queryFn: () => api<C.LeadRate>('/leads/handling-rate', { query: { from, to } }), enabled });
}

export function useLeadAssignees(id: number | undefined, enabled: boolean) {
  return useQuery({
    queryKey: [...queryKeys.leads.one(id ?? 0), 'assignees'],
    queryFn: () => api<{ items: C.LeadAssignee[] }>(`/leads/${id}/assignees`).then((r) => r.items),
    enabled: !!id && enabled,
  });
}

/** Every lead mutation refreshes the lists and the one lead (and the sales, for a win). */
function useLeadMutation<V, R>(fn: (v: V) => Promise<R>) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: fn,
    onSuccess: () => {
      void qc.invalidateQueries({ queryKey: queryKeys.leads.all });
      void qc.invalidateQueries({ queryKey: queryKeys.sales.all });
    },
  });
}

export const useCreateLead = () => useLeadMutation((body: C.CreateLeadBody) => api<Lead>('/leads', { method: 'POST', body }));
export const useMoveLead = () => useLeadMutation(({ id, ...body }: { id: number; stage: LeadStage; lostReason?: string; note?: string }) => api<Lead>(`/leads/${id}/stage`, { method: 'POST', body }));
export const useClaimLead = () => useLeadMutation((id: number) => api<Lead>(`/leads/${id}/claim`, { method: 'POST' }));
export const useAssignLead = () => useLeadMutation(({ id, ...body }: { id: number; staffId: number; reason?: string }) => api<Lead>(`/leads/${id}/assign`, { method: 'POST', body }));
export const useWinLead = () => useLeadMutation(({ id, body }: { id: number; body: C.WinLeadBody }) => api<C.LeadWin>(`/leads/${id}/win`, { method: 'POST', body, silent: true }));

/** What is left before the next escalation step, in whole days and hours; negative when overdue. */
export function slaLeft(nextAt: string | null, now: number = Date.now()): { ms: number; days: number; hours: number } | null {
  if (!nextAt) return null;
  const ms = new Date(nextAt).getTime() - now;
  const abs = Math.abs(ms);
  return { ms, days: Math.floor(abs / 86_400_000), hours: Math.floor((abs % 86_400_000) / 3_600_000) };
}
