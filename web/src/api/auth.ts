import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api, setCsrfToken } from './client';
import { queryKeys } from './keys';
import type { Lang, Me } from './types';

/** Who is signed in; `null` when nobody is (the first /me answers 401 quietly). */
export function useMe() {
  return useQuery({
    queryKey: queryKeys.me,
    queryFn: async (): Promise<Me | null> => {
      try {
        const me = await api<Me>('/auth/me', { silent: true, noRedirect: true });
        setCsrfToken(me.csrfToken);
        return me;
      } catch (e) {
        if ((e as { status?: number }).status === 401) return null;
        throw e;
      }
    },
    staleTime: 60_000,
    retry: false,
  });
}

export function useLogin() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (body: { staffNo: string; password: string }) => api<Me>('/auth/login', { method: 'POST', body, silent: true, noRedirect: true }),
    onSuccess: (me) => {
      setCsrfToken(me.csrfToken);
      qc.clear();
      qc.setQueryData(queryKeys.me, me);
    },
  });
}

export function useLogout() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: () => api<void>('/auth/logout', { method: 'POST', silent: true, noRedirect: true }).catch(() => undefined),
    onSettled: () => {
      setCsrfToken('');
      qc.clear();
      qc.setQueryData(queryKeys.me, null);
    },
  });
}

export function useChangePassword() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (body: { current: string; next: string }) => api<void>('/auth/password', { method: 'POST', body, silent: true }),
    onSuccess: () => qc.invalidateQueries({ queryKey: queryKeys.me }),
  });
}

/** Tells the server which language its error messages should use (a cookie). */
export function putLanguage(lang: Lang) {
  return api<void>('/auth/language', { method: 'PUT', body: { lang }, silent: true, noRedirect: true }).catch(() => undefined);
}
