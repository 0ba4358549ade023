import { useMemo } from 'react';
import { useAllDepartments, useOrgNodes } from '../../../api/org';
import { TARGET_DEPT_KINDS, type TargetDeptKind } from '../../../api/targets';

export interface TargetDepartment {
  id: number;
  nodeId: number;
  nodeName: string;
  name: string;
  kind: TargetDeptKind;
  label: string;
}

/** The departments that keep a target list (公司业务部 / 机构业务部 / 房地产信贷部) in the caller's scope. */
export function useTargetDepartments() {
  const nodes = useOrgNodes();
  const departments = useAllDepartments();
  const items = useMemo(() => {
    const byId = new Map((nodes.data ?? []).map((n) => [n.id, n]));
    return (departments.data ?? [])
      .filter((d) => d.active && TARGET_DEPT_KINDS.includes(d.kind as TargetDeptKind))
      .map((d): TargetDepartment => {
        const nodeName = byId.get(d.nodeId)?.name ?? '';
        return { id: d.id, nodeId: d.nodeId, nodeName, name: d.name, kind: d.kind as TargetDeptKind, label: `${nodeName} · ${d.name}` };
      })
      .sort((a, b) => a.nodeId - b.nodeId || a.id - b.id);
  }, [nodes.data, departments.data]);
  return { items, isLoading: nodes.isLoading || departments.isLoading };
}
