import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api, download, upload } from './client';
import { queryKeys } from './keys';
import type { SpotCheck, VerifyResult, SpotSummaryLine, SpotSummary, SpotItem, Evidence } from './contract';

/**
 * Shapes of /api/spot-checks (SPEC §9.4, 真实性抽查); the types are derived (contract.ts) from
 * server/modules/spotchecks/spotchecks.schemas.ts.
 */

export type { SpotCheck, VerifyResult, SpotSummaryLine, SpotSummary, SpotItem, Evidence };

export type SpotResult = 'pending' | 'verified' | 'false';
export const SPOT_RESULT_COLORS: Record<SpotResult, string> = { pending: 'default', verified: 'green', false: 'red' };

/** count, or percent (a decimal string) with a minimum; seed optional (the server makes one). */
export interface DrawBody {
  count?: number;
  percent?: string;
  minimum?: number;
  seed?: string;
}

const base = (nodeId: number, month: string) => `/spot-checks/${nodeId}/${month}`;

/** The month's spot check, or null when none has been drawn (404). */
export function useSpotCheck(nodeId: number | undefined, month: string | undefined, enabled = true) {
  return useQuery({
    queryKey: queryKeys.spotChecks.one(nodeId ?? 0, month ?? ''),
    queryFn: async () => {
      try {
        return await api<SpotCheck>(base(nodeId!, month!), { silent: true });
      } catch (e) {
        if ((e as { status?: number }).status === 404) return null;
        throw e;
      }
    },
    enabled: !!nodeId && !!month && enabled,
    retry: false,
  });
}

/** The audit summary of every branch in scope for a month. */
export function useSpotSummaries(month: string, enabled = true) {
  return useQuery({
    queryKey: queryKeys.spotChecks.summaries(month),
    queryFn: () => api<{ items: SpotSummaryLine[] }>('/spot-checks', { query: { month }, silent: true }).then((r) => r.items),
    enabled,
  });
}

function useInvalidate() {
  const qc = useQueryClient();
  return (nodeId: number, month: string, data?: SpotCheck) => {
    if (data) qc.setQueryData(queryKeys.spotChecks.one(nodeId, month), data);
    void qc.invalidateQueries({ queryKey: queryKeys.spotChecks.all });
    void qc.invalidateQueries({ queryKey: queryKeys.periods.all });
    void qc.invalidateQueries({ queryKey: queryKeys.statements.all });
  };
}

export function useDrawSpotCheck() {
  const refresh = useInvalidate();
  return useMutation({
    mutationFn: ({ nodeId, month, body }: { nodeId: number; month: string; body: DrawBody }) => api<SpotCheck>(base(nodeId, month), { method: 'POST', body }),
    onSuccess: (data, v) => refresh(v.nodeId, v.month, data),
  });
}

export function useMarkSample() {
  const refresh = useInvalidate();
  return useMutation({
    mutationFn: ({ nodeId, month, saleId, result, note }: { nodeId: number; month: string; saleId: number; result: 'verified' | 'false'; note?: string }) =>
      api<SpotCheck>(`${base(nodeId, month)}/items/${saleId}`, { method: 'POST', body: { result, ...(note ? { note } : {}) } }),
    onSuccess: (data, v) => refresh(v.nodeId, v.month, data),
  });
}

export function useUploadEvidence() {
  const refresh = useInvalidate();
  return useMutation({
    mutationFn: ({ nodeId, month, saleId, file }: { nodeId: number; month: string; saleId: number; file: File }) => {
      const form = new FormData();
      form.append('file', file, file.name);
      return upload<Evidence>(`${base(nodeId, month)}/items/${saleId}/evidence`, form);
    },
    onSuccess: (_e, v) => refresh(v.nodeId, v.month),
  });
}

/** Re-draws with the recorded seed: the sample must come out the same. */
export const verifySpotCheck = (nodeId: number, month: string) => api<VerifyResult>(`${base(nodeId, month)}/verify`);

export const downloadEvidence = (nodeId: number, month: string, saleId: number, e: Evidence) => download(`${base(nodeId, month)}/items/${saleId}/evidence/${e.id}`, undefined, e.fileName);
