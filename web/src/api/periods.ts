import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api, download } from './client';
import { queryKeys } from './keys';
import type { PeriodView, PeriodListItem, Notice, NoticeListItem, Who } from './contract';

/**
 * Shapes of /api/periods (SPEC §9: the month's life of a branch); the types are derived (contract.ts) from
 * server/modules/periods/periods.schemas.ts. The server decides every rule (who may take which
 * step, whether the objection window is open): the console shows its answers.
 */

export type { PeriodView, PeriodListItem, Notice, NoticeListItem, Who };

/** draft → published → submitted → audited → locked (approval locks). */
export type PeriodState = 'draft' | 'published' | 'submitted' | 'audited' | 'locked';
export const PERIOD_STATES: PeriodState[] = ['draft', 'published', 'submitted', 'audited', 'locked'];
export type PeriodAction = 'publish' | 'submit' | 'audit' | 'approve';

export const STATE_COLORS: Record<PeriodState, string> = {
  draft: 'default',
  published: 'processing',
  submitted: 'gold',
  audited: 'cyan',
  locked: 'green',
};

/** The month's state of every branch in the caller's scope. */
export function usePeriods(month: string, enabled = true) {
  return useQuery({
    queryKey: queryKeys.periods.list(month),
    queryFn: () => api<{ items: PeriodListItem[] }>('/periods', { query: { month } }).then((r) => r.items),
    enabled,
  });
}

/** One branch's month; a 403 is handled by the page (silent). */
export function usePeriod(nodeId: number | undefined, month: string | undefined) {
  return useQuery({
    queryKey: queryKeys.periods.one(nodeId ?? 0, month ?? ''),
    queryFn: () => api<PeriodView>(`/periods/${nodeId}/${month}`, { silent: true }),
    enabled: !!nodeId && !!month,
    retry: false,
  });
}

/** Publish / submit / audit / approve (the server checks the rule and the caller's permission). */
export function usePeriodAction() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: ({ nodeId, month, action }: { nodeId: number; month: string; action: PeriodAction }) => api<PeriodView>(`/periods/${nodeId}/${month}/${action}`, { method: 'POST' }),
    onSuccess: (p) => {
      qc.setQueryData(queryKeys.periods.one(p.nodeId, p.month), p);
      void qc.invalidateQueries({ queryKey: queryKeys.periods.all });
      void qc.invalidateQueries({ queryKey: queryKeys.spotChecks.all });
      void qc.invalidateQueries({ queryKey: queryKeys.notifications.all });
    },
  });
}

/** The published statement (公示); 403 / 409 are shown in place by the page. */
export function useNotice(nodeId: number | undefined, month: string | undefined) {
  return useQuery({
    queryKey: queryKeys.periods.notice(nodeId ?? 0, month ?? ''),
    queryFn: () => api<Notice>(`/periods/${nodeId}/${month}/notice`, { silent: true }),
    enabled: !!nodeId && !!month,
    retry: false,
  });
}

/** Published notices the caller may read, newest first. */
export function useNotices(limit = 24) {
  return useQuery({
    queryKey: queryKeys.periods.notices(limit),
    queryFn: () => api<{ items: NoticeListItem[] }>('/periods/notices', { query: { limit } }).then((r) => r.items),
  });
}

export const downloadNoticePdf = (nodeId: number, month: string) => download(`/periods/${nodeId}/${month}/notice.pdf`, undefined, `notice-${month}.pdf`);
