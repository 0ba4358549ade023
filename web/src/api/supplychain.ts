import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api } from './client';
import { queryKeys } from './keys';

/** /api/supplychain (供应链金融，核心企业推荐; SPEC §12). Money in integer 分, ratios in basis points. */

export type LimitRule = 'recommended' | 'orders' | 'household_cap' | 'programme_remaining';

export interface ScProgramme {
  id: number;
  code: string;
  name: string;
  enterpriseName: string;
  nodeId: number;
  nodeName: string;
  ownerName: string | null;
  agreementNo: string;
  guaranteeNo: string;
  signedOn: string;
  totalCapFen: number;
  householdCapFen: number;
  orderRatioBp: number;
  marginBp: number;
  warnBp: number;
  suspendBp: number;
  toleranceBp: number;
  maxTermMonths: number;
  nplOverdueDays: number;
  grantedFen: number;
  remainingFen: number;
  status: 'active' | 'suspended';
  reopenedAtBp: number | null;
  clients: number;
  admitted: number;
  balanceFen: number;
  drawnFen: number;
  marginHeldFen: number;
  overdueFen: number;
  nplFen: number;
  nplRatioBp: number | null;
}

export interface ScProgrammeDetail extends ScProgramme {
  nplDays: { day: string; balanceFen: number; nplFen: number; ratioBp: number | null; level: 'normal' | 'warn' | 'suspend' }[];
  compensations: { month: string; amountFen: number; draws: number }[];
  reassessments: {
    id: number;
    reason: string;
    ratioBp: number | null;
    requestedBy: string;
    requestedAt: string;
    status: 'pending' | 'approved' | 'rejected';
    decidedBy: string | null;
    decidedAt: string | null;
    decisionNote: string | null;
  }[];
}

export interface ScLimitInputs {
  recommendedFen: number;
  orders12mFen: number;
  orderRatioBp: number;
  householdCapFen: number;
  householdUsedFen: number;
  programmeRemainingFen: number;
  candidates: Record<LimitRule, number>;
}

export interface ScClient {
  id: number;
  clientCode: string;
  clientName: string;
  clientKind: 'farmer' | 'small_business';
  householdNo: string;
  score: number;
  recommendedFen: number;
  letterNo: string | null;
  appliedOn: string;
  status: 'recommended' | 'admitted' | 'rejected';
  limitFen: number | null;
  limitRule: LimitRule | null;
  limitInputs: ScLimitInputs | null;
  decisionNote: string | null;
  providerOrdersFen: number;
  enterpriseOrdersFen: number;
  beyondMonths: number;
  hasOrders: boolean;
  drawnBalanceFen: number;
}

export interface ScMonthCheck {
  month: string;
  enterpriseFen: number;
  providerFen: number;
  diffFen: number;
  beyond: boolean;
}

export interface ScClientDetail extends Omit<ScClient, 'providerOrdersFen' | 'enterpriseOrdersFen' | 'beyondMonths' | 'hasOrders' | 'drawnBalanceFen'> {
  crossCheck: { window: { from: string; to: string }; months: ScMonthCheck[]; beyond: number; enterpriseFen: number; providerFen: number };
}

export interface ScDraw {
  id: number;
  clientName: string;
  clientCode: string;
  loanNo: string;
  amountFen: number;
  drawnOn: string;
  maturityOn: string;
  marginFen: number;
  marginReleasedFen: number;
  balanceFen: number;
  repaidFen: number;
  overdueFen: number;
  overdueDays: number;
  nonPerforming: boolean;
  compensatedFen: number;
  asOf: string;
}

export const useScProgrammes = () => useQuery({ queryKey: queryKeys.supplychain.list('programmes'), queryFn: () => api<{ items: ScProgramme[] }>('/supplychain/programmes') });
export const useScProgramme = (id: number) => useQuery({ queryKey: queryKeys.supplychain.list(`programme-${id}`), queryFn: () => api<ScProgrammeDetail>(`/supplychain/programmes/${id}`) });
export const useScClients = (id: number) => useQuery({ queryKey: queryKeys.supplychain.list(`clients-${id}`), queryFn: () => api<{ items: ScClient[] }>(`/supplychain/programmes/${id}/clients`) });
export const useScDraws = (id: number) => useQuery({ queryKey: queryKeys.supplychain.list(`draws-${id}`), queryFn: () => api<{ items: ScDraw[] }>(`/supplychain/programmes/${id}/draws`) });
export const useScClient = (id: number | undefined) =>
  useQuery({ queryKey: queryKeys.supplychain.list(`client-${id}`), queryFn: () => api<ScClientDetail>(`/supplychain/clients/${id}`), enabled: !!id });

/** Every supply-chain write refreshes every supply-chain view. */
function useScMutation<V, R>(fn: (v: V) => Promise<R>) {
  const qc = useQueryClient();
  return useMutation({ mutationFn: fn, onSuccess: () => void qc.invalidateQueries({ queryKey: queryKeys.supplychain.all }) });
}

export const useCreateScProgramme = () => useScMutation((body: Record<string, unknown>) => api<ScProgrammeDetail>('/supplychain/programmes', { method: 'POST', body }));
export const useAdmitClient = () => useScMutation(({ id, note }: { id: number; note: string | null }) => api<ScClient>(`/supplychain/clients/${id}/admit`, { method: 'POST', body: { note } }));
export const useRejectClient = () => useScMutation(({ id, note }: { id: number; note: string }) => api<ScClient>(`/supplychain/clients/${id}/reject`, { method: 'POST', body: { note } }));
export const useScDraw = () =>
  useScMutation(({ id, ...body }: { id: number; loanNo: string; amountFen: number; drawnOn: string; maturityOn: string }) => api<ScDraw>(`/supplychain/clients/${id}/draws`, { method: 'POST', body }));
export const useRecomputeNpl = () => useScMutation((id: number) => api<{ level: string }>(`/supplychain/programmes/${id}/npl`, { method: 'POST', body: {} }));
export const useRequestReassessment = () =>
  useScMutation(({ id, reason }: { id: number; reason: string }) => api<{ id: number }>(`/supplychain/programmes/${id}/reassessments`, { method: 'POST', body: { reason } }));
export const useDecideReassessment = () =>
  useScMutation(({ id, approve, note }: { id: number; approve: boolean; note: string }) =>
    api<{ status: string }>(`/supplychain/reassessments/${id}/decide`, { method: 'POST', body: { approve, note } }),
  );
