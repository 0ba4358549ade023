import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { z } from 'zod';
import type * as wl from '@server/modules/whitelists/whitelists.schemas.js';
import { api, apiUrl } from './client';
import { queryKeys } from './keys';

/** /api/whitelists (经营快贷白名单, SPEC §12); types from server/modules/whitelists/whitelists.schemas.ts. */
type Out<T extends z.ZodType> = z.output<T>;
export type WlBatch = Out<typeof wl.BatchOut>;
export type WlEntry = Out<typeof wl.EntryOut>;
export type WlEntryDetail = Out<typeof wl.EntryDetailOut>;
export type WlMine = Out<typeof wl.MineOut>;
export type WlPreview = Out<typeof wl.PreviewOut>;
export type WlApply = Out<typeof wl.ApplyOut>;
export type WlOutletRow = Out<typeof wl.BatchOutletsOut>['items'][number];
export type WlOptions = Out<typeof wl.OptionsOut>;
export type WlCampaign = Out<typeof wl.CampaignListOut>['items'][number];
export type WlContactBody = z.input<typeof wl.ContactBody>;
export type WlRule = z.input<typeof wl.RuleBody>['rule'];
export type WlStatus = WlEntry['status'];

type Filters = Record<string, string | number | boolean | undefined>;
const useList = <T>(what: string, path: string, f: Filters, enabled = true) => useQuery({ queryKey: queryKeys.whitelists.list(what, f), queryFn: () => api<T>(path, { query: f }), enabled });

export const useWlOptions = () => useList<WlOptions>('options', '/whitelists/options', {});
export const useWlBatches = () => useList<{ items: WlBatch[] }>('batches', '/whitelists/batches', {});
export const useWlBatchOutlets = (id: number | undefined) => useList<{ items: WlOutletRow[] }>(`outlets-${id}`, `/whitelists/batches/${id}/outlets`, {}, !!id);
export const useWlEntries = (f: Filters, enabled = true) => useList<{ items: WlEntry[]; total: number; page: number; pageSize: number }>('entries', '/whitelists/entries', f, enabled);
export const useWlMine = (f: Filters) => useList<WlMine>('mine', '/whitelists/mine', f);
export const useWlEntry = (id: number | undefined) => useList<WlEntryDetail>(`entry-${id}`, `/whitelists/entries/${id}`, {}, !!id);
export const useWlCampaigns = () => useList<{ items: WlCampaign[] }>('campaigns', '/whitelists/campaigns', {});

function useWlMutation<V, R>(fn: (v: V) => Promise<R>) {
  const qc = useQueryClient();
  return useMutation({ mutationFn: fn, onSuccess: () => void qc.invalidateQueries({ queryKey: queryKeys.whitelists.all }) });
}

export const previewDistribution = (batchId: number, body: { nodeId?: number; rule?: WlRule }) => api<WlPreview>(`/whitelists/batches/${batchId}/distribution/preview`, { method: 'POST', body });
export const useApplyDistribution = () =>
  useWlMutation(({ batchId, ...body }: { batchId: number; nodeId?: number; rule?: WlRule }) => api<WlApply>(`/whitelists/batches/${batchId}/distribution/apply`, { method: 'POST', body }));
export const useRecordContact = () => useWlMutation(({ id, ...body }: WlContactBody & { id: number }) => api<WlEntryDetail>(`/whitelists/entries/${id}/contacts`, { method: 'POST', body }));
export const useMatchDepartment = () =>
  useWlMutation(({ batchId, departmentId }: { batchId: number; departmentId: number }) =>
    api<{ id: number; matched: number; checked: number }>(`/whitelists/batches/${batchId}/match`, { method: 'POST', body: { departmentId } }),
  );

export const exportUrl = (batchId: number, list: 'sms' | 'call', format: 'xlsx' | 'csv') => apiUrl(`/whitelists/batches/${batchId}/export`, { list, format });
export const letterUrl = (entryId: number) => apiUrl(`/whitelists/entries/${entryId}/letter.pdf`);

/** 分 → "30.00" 万元 with integer arithmetic (money is never a float). */
export function wan(fen: number): string {
  const h = Math.floor((Math.abs(fen) + 5000) / 10000);
  return `${fen < 0 ? '-' : ''}${Math.floor(h / 100)}.${String(h % 100).padStart(2, '0')}`;
}

export type WlOutletRule = Out<typeof wl.RuleOut>;
export const useWlOutletRule = (nodeId: number | undefined) => useList<WlOutletRule>(`rule-${nodeId}`, `/whitelists/outlets/${nodeId}/rule`, {}, !!nodeId);
export const useSetOutletRule = () =>
  useWlMutation(({ nodeId, ...body }: z.input<typeof wl.RuleBody> & { nodeId: number }) => api<WlOutletRule>(`/whitelists/outlets/${nodeId}/rule`, { method: 'PUT', body }));
export const previewRebalance = (nodeId: number) => api<WlPreview>('/whitelists/rebalance/preview', { method: 'POST', body: { nodeId } });
export const useApplyRebalance = () => useWlMutation((nodeId: number) => api<WlApply>('/whitelists/rebalance/apply', { method: 'POST', body: { nodeId } }));
