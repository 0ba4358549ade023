import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api } from './client';
import { queryKeys } from './keys';
import type * as C from './contract';

/** /api/vip (贵宾客户识别, SPEC §5); the types come from server/modules/vip/vip.schemas.ts. */
export type VipTier = C.VipTier;
export type AmGrade = C.AmGrade;
export type VipScreeningRow = C.VipScreeningRow;
export type VipRegistration = C.VipRegistration;
export type VipNearRow = C.VipNearRow;

export const useVipTiers = (history: boolean) => useQuery({ queryKey: queryKeys.vip.tiers(history), queryFn: () => api<{ items: VipTier[] }>('/vip/tiers', { query: { history: String(history) } }) });

export const useAmGrades = (f: { q?: string; page: number; pageSize: number }) =>
  useQuery({ queryKey: queryKeys.vip.grades(f), queryFn: () => api<C.Paged<AmGrade>>('/vip/grades', { query: { ...f } }) });

export const useVipScreening = (f: { projectId?: number; show: 'qualifying' | 'all'; page: number; pageSize: number }) =>
  useQuery({ queryKey: queryKeys.vip.screening(f), queryFn: () => api<C.VipScreening>('/vip/screening', { query: { ...f } }) });

export const useVipRegistrations = (f: { status?: 'active' | 'ended' | 'all'; page: number; pageSize: number }) =>
  useQuery({ queryKey: queryKeys.vip.registrations(f), queryFn: () => api<C.Paged<VipRegistration>>('/vip/registrations', { query: { ...f } }) });

export const useAmCandidates = (id: number | undefined) =>
  useQuery({ queryKey: queryKeys.vip.candidates(id ?? 0), queryFn: () => api<{ items: C.VipAmCandidate[] }>(`/vip/registrations/${id}/am-candidates`).then((r) => r.items), enabled: !!id });

export const useVipNear = (f: { tierCode?: string; page: number; pageSize: number }) => useQuery({ queryKey: queryKeys.vip.near(f), queryFn: () => api<C.VipNear>('/vip/near', { query: { ...f } }) });

/** Every VIP write refreshes every VIP list (screening, registrations, grades, tiers). */
function useVipMutation<V, R>(fn: (v: V) => Promise<R>) {
  const qc = useQueryClient();
  return useMutation({ mutationFn: fn, onSuccess: () => void qc.invalidateQueries({ queryKey: queryKeys.vip.all }) });
}

export const useSaveTier = () => useVipMutation((body: C.VipTierBody) => api<VipTier>('/vip/tiers', { method: 'POST', body }));
export const useSetGrade = () => useVipMutation(({ staffId, ...body }: { staffId: number; grade: number; validFrom: string }) => api<unknown>(`/vip/grades/${staffId}`, { method: 'PUT', body }));
export const useRunScreening = () => useVipMutation((body: { projectId?: number }) => api<C.VipScreenRun>('/vip/screening', { method: 'POST', body }));
export const useRegisterVips = () => useVipMutation((items: { personId: number; projectId: number }[]) => api<{ items: VipRegistration[] }>('/vip/registrations', { method: 'POST', body: { items } }));
export const useSignVip = () => useVipMutation((id: number) => api<VipRegistration>(`/vip/registrations/${id}/sign`, { method: 'POST' }));
export const useEndVip = () => useVipMutation(({ id, reason }: { id: number; reason: string }) => api<VipRegistration>(`/vip/registrations/${id}/end`, { method: 'POST', body: { reason } }));
export const useAssignVipAm = () => useVipMutation(({ id, staffId }: { id: number; staffId: number }) => api<VipRegistration>(`/vip/registrations/${id}/am`, { method: 'POST', body: { staffId } }));

/** The locale key of an AM grade (1 见习 … 5 资深). */
export const gradeKey = (g: number) => `vip.grade.${g}` as `vip.grade.${1 | 2 | 3 | 4 | 5}`;
