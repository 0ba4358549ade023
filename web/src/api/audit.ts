import { useMutation } from '@tanstack/react-query';
import { api } from './client';
import type { AuditEntry, AuditVerify, Page } from './types';

export interface AuditFilters {
  page?: number;
  pageSize?: number;
  action?: string;
  entity?: string;
  actor?: string;
  from?: string;
  to?: string;
}

export function fetchAudit(filters: AuditFilters) {
  return api<Page<AuditEntry>>('/audit', { query: { ...filters } });
}

/** Walks the hash chain on the server. */
export function useVerifyAudit() {
  return useMutation({ mutationFn: () => api<AuditVerify>('/audit/verify') });
}
