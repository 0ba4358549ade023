import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api } from './client';
import { queryKeys } from './keys';
import type { Paged } from './types';
import type { Company, CompanyPerson, Company360, Person, Holding, PersonCompany, Person360, Graph, GraphNode, RefItem, LinkedCompany } from './contract';

/** Shapes of /api/customers (SPEC §2); the types are derived (contract.ts) from server/modules/customers/customers.schemas.ts. */

export type { Company, CompanyPerson, Company360, Person, Holding, PersonCompany, Person360, Graph, GraphNode, RefItem, LinkedCompany };

export type PersonRole = 'legal_rep' | 'executive' | 'middle' | 'staff' | 'shareholder';
export const PERSON_ROLES: PersonRole[] = ['legal_rep', 'executive', 'middle', 'staff', 'shareholder'];

export interface FactDefinition {
  key: string;
  kind: 'boolean' | 'integer' | 'enum';
  zh: string;
  en: string;
  options?: { value: string; zh: string; en: string }[];
}

export interface CompanyFilters {
  page?: number;
  pageSize?: number;
  q?: string;
  typeCode?: string;
  industryCode?: string;
  nodeId?: number;
  accountManagerId?: number;
  departmentId?: number;
}

export interface PersonFilters {
  page?: number;
  pageSize?: number;
  q?: string;
  idSuffix?: string;
  phoneSuffix?: string;
  nodeId?: number;
  vipTier?: string;
}

export interface CompanyInput {
  uscc?: string;
  name?: string;
  typeCode?: string;
  industryCode?: string | null;
  nodeId?: number;
  departmentId?: number | null;
  accountManagerId?: number | null;
  legalRepresentative?: string | null;
  address?: string | null;
  creditLineFen?: number | null;
  loanBalanceFen?: number | null;
  annualSalesFen?: number | null;
  provincialTaxRank?: number | null;
  listed?: boolean;
  facts?: Record<string, unknown>;
}

/** A page of clients; on very large scopes the server stops counting (`total` is then a lower bound). */
export interface ClientPage<T> extends Paged<T> {
  totalCapped: boolean;
}

/** One page of corporate clients (server-side paging); `nodeId` means that node's whole subtree. */
export function fetchCompanies(filters: CompanyFilters) {
  return api<ClientPage<Company>>('/customers/companies', { query: { ...filters } });
}

export function fetchPeople(filters: PersonFilters) {
  return api<ClientPage<Person>>('/customers/individuals', { query: { ...filters } });
}

export function useCompany(id: number | undefined) {
  return useQuery({
    queryKey: queryKeys.customers.company(id ?? 0),
    queryFn: () => api<Company360>(`/customers/companies/${id}`),
    enabled: !!id,
  });
}

export function usePerson(id: number | undefined) {
  return useQuery({
    queryKey: queryKeys.customers.person(id ?? 0),
    queryFn: () => api<Person360>(`/customers/individuals/${id}`),
    enabled: !!id,
  });
}

/** The company↔people graph around one company or one person. */
export function useGraph(of: { companyId?: number; personId?: number }, enabled = true) {
  return useQuery({
    queryKey: queryKeys.customers.graph(of),
    queryFn: () => api<Graph>('/customers/graph', { query: { ...of, depth: 1 } }),
    enabled,
  });
}

const refQuery = (key: readonly string[], path: string) => ({
  queryKey: key,
  queryFn: () => api<RefItem[]>(path),
  staleTime: 5 * 60_000,
});
export const useClientTypes = () => useQuery(refQuery(queryKeys.customers.types, '/customers/types'));
export const useIndustries = () => useQuery(refQuery(queryKeys.customers.industries, '/customers/industries'));

/** The facts catalogue: labels and options of `facts`, in display order. */
export function useFactsCatalogue() {
  return useQuery({
    queryKey: queryKeys.customers.facts,
    queryFn: () => api<FactDefinition[]>('/customers/facts'),
    staleTime: 5 * 60_000,
  });
}

function useCustomerMutation<V, R = unknown>(fn: (v: V) => Promise<R>) {
  const qc = useQueryClient();
  return useMutation({ mutationFn: fn, onSuccess: () => qc.invalidateQueries({ queryKey: queryKeys.customers.all }) });
}

/** Errors come back to the form (USCC checksum on the field), so these are silent. */
export const useCreateCompany = () => useCustomerMutation((body: CompanyInput) => api<Company360>('/customers/companies', { method: 'POST', body, silent: true }));
export const useUpdateCompany = () => useCustomerMutation(({ id, ...body }: { id: number } & CompanyInput) => api<Company360>(`/customers/companies/${id}`, { method: 'PATCH', body, silent: true }));

/** The full ID or phone number, with the reason kept in the audit log. */
export function useReveal() {
  return useMutation({
    mutationFn: ({ id, field, reason }: { id: number; field: 'idNumber' | 'phone'; reason: string }) =>
      api<{ field: 'idNumber' | 'phone'; value: string }>(`/customers/individuals/${id}/reveal`, { method: 'POST', body: { field, reason } }),
  });
}
