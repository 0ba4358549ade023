import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api, download, upload } from './client';
import { queryKeys } from './keys';
import type { ImportError, ImportKindOut, Paged } from './contract';
import type { ImportJob, ImportKind, ImportMode } from './types';

/**
 * Import endpoints (server/modules/imports/imports.routes.ts). The URLs live here only, so a
 * change on the server is a change in this file.
 */
export const importUrls = {
  kinds: '/imports/kinds',
  template: (kind: string) => `/imports/templates/${encodeURIComponent(kind)}`,
  upload: (kind: string) => `/imports/${encodeURIComponent(kind)}`,
  job: (id: string | number) => `/imports/jobs/${id}`,
  errors: (id: string | number) => `/imports/jobs/${id}/errors.xlsx`,
  errorList: (id: string | number) => `/imports/jobs/${id}/errors`,
  mine: '/imports',
};

/** One request answers both: the kinds the caller may import and the server's upload limit. */
const kindsQuery = {
  queryKey: queryKeys.imports.kinds,
  queryFn: async (): Promise<{ kinds: ImportKind[]; maxMb: number }> => {
    const r = await api<{ items: ImportKindOut[]; maxMb: number }>(importUrls.kinds);
    return {
      kinds: r.items.map((k) => ({
        kind: k.kind,
        nameZh: k.labelZh,
        nameEn: k.labelEn,
        permission: k.permission,
      })),
      maxMb: r.maxMb,
    };
  },
  staleTime: 5 * 60_000,
};

export function useImportKinds() {
  return useQuery({ ...kindsQuery, select: (d) => d.kinds });
}

/** The largest file the server takes, in MB (IMPORT_MAX_MB), stated in the upload control. */
export function useUploadLimit() {
  return useQuery({ ...kindsQuery, select: (d) => d.maxMb });
}

/** Whether a file is over the limit, said before it is sent: the same words as the server's refusal. */
export const overLimit = (file: { size: number }, maxMb: number | undefined) => maxMb !== undefined && file.size > maxMb * 1024 * 1024;

const running = (j: ImportJob | undefined) => !!j && (j.status === 'validating' || j.status === 'writing');

/** One job, polled every 500 ms while it validates or writes. */
export function useImportJob(id: string | number | null) {
  const qc = useQueryClient();
  return useQuery({
    queryKey: queryKeys.imports.job(id ?? ''),
    queryFn: async () => {
      const job = await api<ImportJob>(importUrls.job(id!));
      if (!running(job)) {
        void qc.invalidateQueries({ queryKey: queryKeys.imports.mine });
        if (job.status === 'done') {
          void qc.invalidateQueries({ queryKey: queryKeys.org.all });
          void qc.invalidateQueries({ queryKey: queryKeys.staff.all });
          // A sales import changes the sales lists and the month's statement.
          void qc.invalidateQueries({ queryKey: queryKeys.sales.all });
          void qc.invalidateQueries({ queryKey: queryKeys.statements.all });
        }
      }
      return job;
    },
    enabled: id !== null,
    refetchInterval: (q) => (running(q.state.data) || !q.state.data ? 500 : false),
  });
}

/** One page of a finished job's errors (row, the sheet's column name, code, words), from the JSON API. */
export function useImportErrors(id: string | number, page: number, pageSize: number, enabled: boolean) {
  return useQuery({
    queryKey: queryKeys.imports.errors(id, page, pageSize),
    queryFn: () => api<Paged<ImportError>>(importUrls.errorList(id), { query: { page, pageSize } }),
    enabled,
    // The table stays while the next page loads.
    placeholderData: keepPreviousData,
  });
}

export function useMyImports() {
  return useQuery({
    queryKey: queryKeys.imports.mine,
    queryFn: () => api<{ items: ImportJob[] }>(importUrls.mine).then((r) => r.items),
  });
}

export function useStartImport() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: ({ kind, file, mode }: { kind: string; file: File; mode: ImportMode }) => {
      const form = new FormData();
      // Fields before the file: the server reads the stream in order.
      form.append('mode', mode);
      form.append('file', file, file.name);
      return upload<{ id: number | string }>(importUrls.upload(kind), form);
    },
    onSuccess: () => qc.invalidateQueries({ queryKey: queryKeys.imports.mine }),
  });
}

export const downloadTemplate = (kind: string) => download(importUrls.template(kind), undefined, `${kind}-template.xlsx`);
export const downloadErrorReport = (id: string | number) => download(importUrls.errors(id), undefined, `import-${id}-errors.xlsx`);
