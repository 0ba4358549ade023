import { useQuery } from '@tanstack/react-query';
import { api } from './client';
import type { Workbench, WorkbenchTodo } from './contract';

/** 首页 workbench (/api/workbench): the signed-in person's own figures and to-dos; the type is derived from server/modules/workbench/workbench.schemas.ts. */
export type { Workbench, WorkbenchTodo };

export const workbenchKey = ['workbench'] as const;

export function useWorkbench() {
  return useQuery({ queryKey: workbenchKey, queryFn: () => api<Workbench>('/workbench'), staleTime: 30_000 });
}
