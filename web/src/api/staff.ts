import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api } from './client';
import { queryKeys } from './keys';
import type { Paged, Role, Staff } from './types';

export interface StaffFilters {
  page?: number;
  pageSize?: number;
  q?: string;
  nodeId?: number;
  departmentId?: number;
  role?: string;
  active?: boolean;
}

/** One page of staff (server-side paging); `nodeId` means that node's whole subtree. */
export function fetchStaff(filters: StaffFilters) {
  return api<Paged<Staff>>('/staff', { query: { ...filters } });
}

export function useStaffPage(filters: StaffFilters, enabled = true) {
  return useQuery({ queryKey: queryKeys.staff.list(filters), queryFn: () => fetchStaff(filters), enabled });
}

export function useRoles() {
  return useQuery({
    queryKey: queryKeys.staff.roles,
    queryFn: () => api<{ items: Role[] }>('/roles').then((r) => r.items),
    staleTime: 60_000,
  });
}

export interface StaffInput {
  staffNo: string;
  name: string;
  nodeId: number;
  departmentId?: number | null;
  title?: string;
  phone?: string;
  email?: string;
  active?: boolean;
}

function useStaffMutation<V, R = unknown>(fn: (v: V) => Promise<R>) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: fn,
    onSuccess: () => {
      qc.invalidateQueries({ queryKey: queryKeys.staff.all });
      qc.invalidateQueries({ queryKey: queryKeys.org.all });
    },
  });
}

export const useCreateStaff = () => useStaffMutation((body: StaffInput) => api<Staff>('/staff', { method: 'POST', body, silent: true }));
export const useUpdateStaff = () => useStaffMutation(({ id, staffNo: _no, ...body }: { id: number } & Partial<StaffInput>) => api<Staff>(`/staff/${id}`, { method: 'PATCH', body, silent: true }));
export const useAssignRoles = () =>
  useStaffMutation(({ id, roles }: { id: number; roles: { role: string; scopeNodeId: number }[] }) => api<Staff>(`/staff/${id}/roles`, { method: 'PUT', body: { roles } }));
export const useResetPassword = () => useStaffMutation(({ id, temporary }: { id: number; temporary: string }) => api<void>(`/staff/${id}/reset-password`, { method: 'POST', body: { temporary } }));
export const useUnlockStaff = () => useStaffMutation((id: number) => api<void>(`/staff/${id}/unlock`, { method: 'POST' }));

export function useUpdateRole() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: ({ code, permissions }: { code: string; permissions: string[] }) => api<Role>(`/roles/${code}`, { method: 'PUT', body: { permissions } }),
    onSuccess: () => {
      qc.invalidateQueries({ queryKey: queryKeys.staff.roles });
      qc.invalidateQueries({ queryKey: queryKeys.me });
    },
  });
}
