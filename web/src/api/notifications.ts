import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api } from './client';
import { queryKeys } from './keys';
import type { Paged, Notification } from './contract';

/** Shapes of /api/notifications (站内通知); the types are derived (contract.ts) from server/modules/notifications/notifications.schemas.ts. */
export type { Notification };

export interface NotificationPage extends Paged<Notification> {
  unread: number;
}

/** How often the bell asks for the unread count. */
export const UNREAD_POLL_MS = 60_000;

/** The bell's badge: polled every minute. */
export function useUnreadCount() {
  return useQuery({
    queryKey: queryKeys.notifications.unread,
    queryFn: () => api<{ unread: number }>('/notifications/unread-count', { silent: true }).then((r) => r.unread),
    refetchInterval: UNREAD_POLL_MS,
    refetchIntervalInBackground: false,
  });
}

export function useNotifications(filters: { page?: number; pageSize?: number; unread?: boolean }, enabled = true) {
  return useQuery({
    queryKey: queryKeys.notifications.list(filters),
    queryFn: () => api<NotificationPage>('/notifications', { query: { ...filters, unread: filters.unread ? 'true' : undefined } }),
    enabled,
  });
}

export function useMarkRead() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (id: number) => api<Notification>(`/notifications/${id}/read`, { method: 'POST' }),
    onSuccess: () => void qc.invalidateQueries({ queryKey: queryKeys.notifications.all }),
  });
}

export function useMarkAllRead() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: () => api<{ marked: number; unread: number }>('/notifications/read-all', { method: 'POST' }),
    onSuccess: () => void qc.invalidateQueries({ queryKey: queryKeys.notifications.all }),
  });
}
