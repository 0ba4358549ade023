import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api } from './client';
import { queryKeys } from './keys';
import type { CommitteeMember, CommitteePosition, Department, DepartmentKind, OrgLevel, OrgNode, OrgNodeDetail } from './types';

/** Every node in the caller's scope (flat). */
export function useOrgNodes(enabled = true) {
  return useQuery({
    queryKey: queryKeys.org.nodes(),
    queryFn: () => api<{ items: OrgNode[] }>('/org/nodes').then((r) => r.items),
    enabled,
    staleTime: 30_000,
  });
}

export function useOrgNode(id: number | undefined) {
  return useQuery({
    queryKey: queryKeys.org.node(id ?? 0),
    queryFn: () => api<OrgNodeDetail>(`/org/nodes/${id}`),
    enabled: !!id,
  });
}

export function useDepartments(nodeId: number | undefined) {
  return useQuery({
    queryKey: queryKeys.org.departments(nodeId),
    queryFn: () => api<{ items: Department[] }>('/org/departments', { query: { nodeId } }).then((r) => r.items),
    enabled: !!nodeId,
  });
}

/** Every department in the caller's scope (all branches). */
export function useAllDepartments(enabled = true) {
  return useQuery({
    queryKey: queryKeys.org.departments(undefined),
    queryFn: () => api<{ items: Department[] }>('/org/departments').then((r) => r.items),
    enabled,
    staleTime: 30_000,
  });
}

export interface NodeInput {
  code: string;
  name: string;
  level: OrgLevel;
  parentId: number;
  address?: string;
  sort?: number;
}

function useOrgMutation<V, R = unknown>(fn: (v: V) => Promise<R>) {
  const qc = useQueryClient();
  return useMutation({ mutationFn: fn, onSuccess: () => qc.invalidateQueries({ queryKey: queryKeys.org.all }) });
}

export const useCreateNode = () => useOrgMutation((body: NodeInput) => api<OrgNode>('/org/nodes', { method: 'POST', body, silent: true }));
export const useUpdateNode = () =>
  useOrgMutation(({ id, ...body }: { id: number } & Partial<Omit<NodeInput, 'level' | 'parentId'>> & { active?: boolean }) =>
    api<OrgNode>(`/org/nodes/${id}`, { method: 'PATCH', body, silent: true }),
  );
export const useDeleteNode = () => useOrgMutation((id: number) => api<void>(`/org/nodes/${id}`, { method: 'DELETE' }));

export interface DepartmentInput {
  nodeId: number;
  code: string;
  name: string;
  kind: DepartmentKind;
  committeeOffice?: boolean;
  active?: boolean;
}
export const useCreateDepartment = () => useOrgMutation((body: DepartmentInput) => api<Department>('/org/departments', { method: 'POST', body, silent: true }));
export const useUpdateDepartment = () =>
  useOrgMutation(({ id, nodeId: _nodeId, ...body }: { id: number } & Partial<DepartmentInput>) => api<Department>(`/org/departments/${id}`, { method: 'PATCH', body, silent: true }));
export const useDeleteDepartment = () => useOrgMutation((id: number) => api<void>(`/org/departments/${id}`, { method: 'DELETE' }));

export const useSaveCommittee = () =>
  useOrgMutation(({ nodeId, members }: { nodeId: number; members: { staffId: number; position: CommitteePosition }[] }) =>
    api<{ items: CommitteeMember[] }>(`/org/nodes/${nodeId}/committee`, { method: 'PUT', body: { members } }),
  );

/** Nodes arranged as a tree: roots are the nodes whose parent is outside the list. */
export interface OrgTreeNode extends OrgNode {
  children: OrgTreeNode[];
}

export function buildOrgTree(nodes: OrgNode[]): OrgTreeNode[] {
  const byId = new Map<number, OrgTreeNode>(nodes.map((n) => [n.id, { ...n, children: [] }]));
  const roots: OrgTreeNode[] = [];
  for (const n of byId.values()) {
    const parent = n.parentId == null ? undefined : byId.get(n.parentId);
    if (parent) parent.children.push(n);
    else roots.push(n);
  }
  const sort = (list: OrgTreeNode[]) => {
    list.sort((a, b) => a.sort - b.sort || a.code.localeCompare(b.code));
    list.forEach((c) => sort(c.children));
  };
  sort(roots);
  return roots;
}
