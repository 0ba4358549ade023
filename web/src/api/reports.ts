import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api } from './client';
import { queryKeys } from './keys';
import type * as C from './contract';

/** /api/reports (报表与通报, SPEC §13); the types come from server/modules/reports/reports.schemas.ts. */
export type ReportCatalogueItem = C.ReportCatalogueItem;
export type ReportIssueSummary = C.ReportIssueSummary;
export type ReportIssue = C.ReportIssue;
export type ReportSalesData = C.ReportSalesData;
export type ReportCompletionData = C.ReportCompletionData;
export type ReportFeedData = C.ReportFeedData;

export const useReportCatalogue = () => useQuery({ queryKey: queryKeys.reports.catalogue, queryFn: () => api<{ items: ReportCatalogueItem[] }>('/reports/catalogue').then((r) => r.items) });

export const useReportIssues = (code: string) =>
  useQuery({
    queryKey: queryKeys.reports.issues(code),
    queryFn: () => api<{ items: ReportIssueSummary[] }>(`/reports/definitions/${encodeURIComponent(code)}/issues`, { query: { limit: 200 } }).then((r) => r.items),
  });

export const useReportIssue = (id: number) => useQuery({ queryKey: queryKeys.reports.issue(id), queryFn: () => api<ReportIssue>(`/reports/issues/${id}`), enabled: id > 0 });

export function useRerunIssue() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: ({ id, reason }: { id: number; reason: string }) => api<{ id: number; version: number }>(`/reports/issues/${id}/rerun`, { method: 'POST', body: { reason } }),
    onSuccess: () => void qc.invalidateQueries({ queryKey: queryKeys.reports.all }),
  });
}
