import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api } from './client';
import { queryKeys } from './keys';
import type { SetupResult, SetupState } from './contract';

export type { SetupResult, SetupState };

/** Whether the database has users yet (the first-run page is open only while it has none). */
export function useSetupState() {
  return useQuery({
    queryKey: queryKeys.setup,
    queryFn: () => api<SetupState>('/setup', { silent: true, noRedirect: true }),
    staleTime: 10_000,
    retry: false,
  });
}

export interface SetupBody {
  bankName: string;
  bankCode?: string;
  adminStaffNo: string;
  adminName?: string;
  password: string;
}

export function useSetup() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (body: SetupBody) => api<SetupResult>('/setup', { method: 'POST', body, silent: true, noRedirect: true }),
    // Installed from now on: the setup page sends people to the sign-in page.
    onSuccess: () => qc.setQueryData<SetupState>(queryKeys.setup, (prev) => ({ demo: prev?.demo ?? false, installed: true })),
  });
}
