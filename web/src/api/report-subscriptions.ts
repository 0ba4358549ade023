import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { z } from 'zod';
import type * as rs from '@server/modules/reports/subscriptions.schemas.js';
import type { ReportIssue } from './reports';
import { api } from './client';

/**
 * /api/reports subscriptions, deliveries, receipts, rankings, job runs (issue 16, decision 0040);
 * the types come from server/modules/reports/subscriptions.schemas.ts (type-only).
 */
type Item<T extends z.ZodType> = z.infer<T> extends { items: (infer I)[] } ? I : never;
export type ReportSubscription = z.infer<typeof rs.SubscriptionItem>;
export type ReportDelivery = z.infer<typeof rs.DeliveryItem>;
export type ReportReceipt = Item<typeof rs.ReceiptListOut>;
export type ReportMeasure = Item<typeof rs.MeasureListOut>;
export type ReportRanking = z.infer<typeof rs.RankingOut>;
export type ReportJobRun = Item<typeof rs.JobRunListOut>;
export type SubscriptionInput = z.input<typeof rs.SubscriptionBody>;

const KEY = ['report-subscriptions'] as const;

export const useReportSubscriptions = () => useQuery({ queryKey: [...KEY, 'subs'], queryFn: () => api<{ items: ReportSubscription[] }>('/reports/subscriptions').then((r) => r.items) });
export const useMyDeliveries = () => useQuery({ queryKey: [...KEY, 'deliveries'], queryFn: () => api<{ items: ReportDelivery[] }>('/reports/deliveries').then((r) => r.items) });
export const useOpenDelivery = (id: number) =>
  useQuery({ queryKey: [...KEY, 'delivery', id], queryFn: () => api<{ delivery: ReportDelivery; issue: ReportIssue }>(`/reports/deliveries/${id}`), enabled: id > 0 });
export const useReceipts = (issueId: number, enabled: boolean) =>
  useQuery({ queryKey: [...KEY, 'receipts', issueId], queryFn: () => api<{ items: ReportReceipt[] }>(`/reports/issues/${issueId}/receipts`).then((r) => r.items), enabled: enabled && issueId > 0 });
export const useMeasures = (code: string | undefined) =>
  useQuery({
    queryKey: [...KEY, 'measures', code],
    queryFn: () => api<{ items: ReportMeasure[] }>(`/reports/definitions/${encodeURIComponent(code!)}/measures`).then((r) => r.items),
    enabled: !!code,
  });
export type RankLevel = ReportRanking['level'];
export const useRankings = (code: string, measure: string | undefined, n: number, level: RankLevel = 'branch') =>
  useQuery({
    queryKey: [...KEY, 'rankings', code, measure, n, level],
    queryFn: () => api<ReportRanking>(`/reports/definitions/${encodeURIComponent(code)}/rankings`, { query: { measure, n, level } }),
    enabled: !!code,
  });
export const useJobRuns = () => useQuery({ queryKey: [...KEY, 'runs'], queryFn: () => api<{ items: ReportJobRun[] }>('/reports/job-runs', { query: { limit: 20 } }).then((r) => r.items) });

export function useSubscribe() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (body: SubscriptionInput) => api<ReportSubscription>('/reports/subscriptions', { method: 'POST', body }),
    onSuccess: () => void qc.invalidateQueries({ queryKey: KEY }),
  });
}
export function useUnsubscribe() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (id: number) => api<void>(`/reports/subscriptions/${id}`, { method: 'DELETE' }),
    onSuccess: () => void qc.invalidateQueries({ queryKey: KEY }),
  });
}

/** An integer measure as people read it (the server's rules: basis points as %, 分 as yuan, ×10⁴ and hundredths as decimals). */
export function fmtMeasure(v: number | null | undefined, unit: ReportMeasure['unit'] | undefined): string {
  if (v === null || v === undefined) return '—';
  const dec = (n: number, d: number, digits: number) => `${n < 0 ? '-' : ''}${Math.floor(Math.abs(n) / d).toLocaleString('zh-CN')}.${String(Math.abs(n) % d).padStart(digits, '0')}`;
  if (unit === 'bp') return `${dec(v, 100, 2)}%`;
  if (unit === 'fen' || unit === 'points') return dec(v, 100, 2);
  if (unit === 'qty1e4') return dec(v, 10_000, 4);
  return v.toLocaleString('zh-CN');
}

/** Parses what people type into the threshold (80% → 8000 bp, 1234.56 元 → 123456 分) as an integer of the unit, without floats. */
export function parseThreshold(text: string, unit: ReportMeasure['unit']): number | null {
  const m = /^\s*(-?)(\d+)(?:\.(\d+))?\s*%?\s*$/.exec(text);
  if (!m) return null;
  const digits = unit === 'bp' || unit === 'fen' || unit === 'points' ? 2 : unit === 'qty1e4' ? 4 : 0;
  const frac = (m[3] ?? '').padEnd(digits, '0');
  if (frac.length > digits) return null;
  const n = Number(`${m[2]}${frac}`);
  return Number.isSafeInteger(n) ? (m[1] ? -n : n) : null;
}
