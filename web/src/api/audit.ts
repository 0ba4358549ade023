import { useMutation } from '@tanstack/react-query';
import { api } from './client';
import type { AuditEntry, AuditVerify, Counted, LedgerReport } from './types';

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
  return api<Counted<AuditEntry>>('/audit', { query: { ...filters } });
}

/** Walks the hash chain on the server. */
export function useVerifyAudit() {
  return useMutation({ mutationFn: () => api<AuditVerify>('/audit/verify') });
}

/** Verifies a branch month's points ledger on the server (read only). */
export function useVerifyLedger() {
  return useMutation({ mutationFn: (q: { nodeId: number; month: string }) => api<LedgerReport>('/audit/ledger', { query: q }) });
}
