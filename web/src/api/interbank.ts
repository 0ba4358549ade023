import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api, apiUrl, upload } from './client';
import { queryKeys } from './keys';
import type * as C from './contract';

/** /api/interbank (同业合作平台, SPEC §11), registry half; types from server/modules/interbank/interbank.schemas.ts. */
export type FiInstitution = C.FiInstitution;
export type FiInstitutionDetail = C.FiInstitutionDetail;
export type FiSigning = C.FiSigning;
export type FiPool = C.FiPool;
export type FiGrant = C.FiGrant;
export type FiProspect = C.FiProspect;
export type FiVisit = C.FiVisit;
export type FiLanding = C.FiLanding;
export type FiGap = C.FiGap;
export type FiBranch = C.FiBranch;
export type FiFile = C.FiFile;

type Filters = Record<string, string | number | boolean | undefined>;
const useList = <T>(what: string, path: string, f: Filters, enabled = true) => useQuery({ queryKey: queryKeys.interbank.list(what, f), queryFn: () => api<T>(path, { query: f }), enabled });

export const useFiBranches = () => useList<{ items: FiBranch[] }>('branches', '/interbank/branches', {});
export const useInstitutions = (f: Filters) => useList<C.Paged<FiInstitution>>('institutions', '/interbank/institutions', f);
export const useInstitution = (id: number | undefined) => useList<FiInstitutionDetail>(`institution-${id}`, `/interbank/institutions/${id}`, {}, !!id);
export const useSignings = (f: Filters) => useList<C.Paged<FiSigning>>('signings', '/interbank/signings', f);
export const useSigningDocuments = (id: number | undefined) => useList<{ items: FiFile[] }>(`documents-${id}`, `/interbank/signings/${id}/documents`, {}, !!id);
export const usePools = () => useList<{ items: FiPool[] }>('pools', '/interbank/pools', {});
export const useGrants = (id: number | undefined) => useList<{ items: FiGrant[] }>(`grants-${id}`, `/interbank/pools/${id}/grants`, {}, !!id);
export const useProspects = (f: Filters) => useList<C.Paged<FiProspect>>('prospects', '/interbank/prospects', f);
export const useVisits = (f: Filters) => useList<C.Paged<FiVisit>>('visits', '/interbank/visits', f);
export const useLandings = (f: Filters) => useList<C.Paged<FiLanding>>('landings', '/interbank/landings', f);
export const useLandingGaps = () => useList<{ items: FiGap[] }>('gaps', '/interbank/landings/gaps', {});

/** Every inter-bank write refreshes every inter-bank list. */
function useFiMutation<V, R>(fn: (v: V) => Promise<R>) {
  const qc = useQueryClient();
  return useMutation({ mutationFn: fn, onSuccess: () => void qc.invalidateQueries({ queryKey: queryKeys.interbank.all }) });
}

export const useCreateInstitution = () => useFiMutation((body: C.FiInstitutionBody) => api<FiInstitutionDetail>('/interbank/institutions', { method: 'POST', body }));
export const useMoveInstitution = () => useFiMutation(({ id, ...body }: C.FiMoveBody & { id: number }) => api<FiInstitutionDetail>(`/interbank/institutions/${id}/move`, { method: 'POST', body }));
export const useRecordSigning = () => useFiMutation((body: C.FiSigningBody) => api<FiSigning>('/interbank/signings', { method: 'POST', body }));
export const useCorrectSigning = () => useFiMutation(({ id, ...body }: C.FiCorrectBody & { id: number }) => api<FiSigning>(`/interbank/signings/${id}/correct`, { method: 'POST', body }));
export const useVoidSigning = () => useFiMutation(({ id, reason }: { id: number; reason: string }) => api<FiSigning>(`/interbank/signings/${id}/void`, { method: 'POST', body: { reason } }));
export const useCreatePool = () => useFiMutation((body: C.FiPoolBody) => api<FiPool>('/interbank/pools', { method: 'POST', body }));
export const useSaveProspect = () => useFiMutation(({ id, ...body }: C.FiProspectBody & { id: number }) => api<FiProspect>(`/interbank/prospects/${id}`, { method: 'PUT', body }));
export const useRecordVisit = () => useFiMutation((body: C.FiVisitBody) => api<FiVisit>('/interbank/visits', { method: 'POST', body }));
export const useCreateLanding = () => useFiMutation((body: C.FiLandingCreate) => api<FiLanding>('/interbank/landings', { method: 'POST', body }));
export const useUpdateLanding = () => useFiMutation(({ id, ...body }: C.FiLandingBody & { id: number }) => api<FiLanding>(`/interbank/landings/${id}`, { method: 'PATCH', body }));

/** One file to a signing (documents) or a visit (photos). */
export const useUploadFi = () =>
  useFiMutation(({ to, id, file }: { to: 'signing' | 'visit'; id: number; file: File }) => {
    const form = new FormData();
    form.append('file', file);
    return upload<FiFile>(to === 'signing' ? `/interbank/signings/${id}/documents` : `/interbank/visits/${id}/photos`, form);
  });

/** The URL of a stored file or photo (same-origin: the session cookie goes with it). */
export const fileUrl = (id: number) => apiUrl(`/interbank/files/${id}`);
