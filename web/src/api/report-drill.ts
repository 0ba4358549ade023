import { useQuery } from '@tanstack/react-query';
import type { z } from 'zod';
import type * as S from '@server/modules/reports/drilldown.schemas.js';
import { api } from './client';

/** /api/reports drill-down and export (issue 16 part B); types from server/modules/reports/drilldown.schemas.ts. */
export type DrillNode = z.infer<typeof S.DrillOut>;
export type DrillPerson = z.infer<typeof S.DrillPersonOut>;
export type DrillSale = z.infer<typeof S.DrillSaleOut>;
export type IssueTableData = z.infer<typeof S.IssueTableOut>;

export interface DrillParams {
  from: string;
  to: string;
  nodeId?: number;
  product?: string;
}

const key = ['reports', 'drill'] as const;
const query = (p: DrillParams) => ({ from: p.from, to: p.to, ...(p.nodeId ? { nodeId: p.nodeId } : {}), ...(p.product ? { product: p.product } : {}) });

export const useDrillNode = (p: DrillParams) => useQuery({ queryKey: [...key, 'node', p], queryFn: () => api<DrillNode>('/reports/drill', { query: query(p) }), enabled: Boolean(p.from && p.to) });

export const useDrillPerson = (id: number, p: DrillParams) =>
  useQuery({ queryKey: [...key, 'person', id, p], queryFn: () => api<DrillPerson>(`/reports/drill/people/${id}`, { query: query(p) }), enabled: id > 0 && Boolean(p.from && p.to) });

export const useDrillSale = (id: number) => useQuery({ queryKey: [...key, 'sale', id], queryFn: () => api<DrillSale>(`/reports/drill/sales/${id}`), enabled: id > 0 });

export const useIssueTable = (id: number) => useQuery({ queryKey: ['reports', 'issue-table', id], queryFn: () => api<IssueTableData>(`/reports/issues/${id}/table`), enabled: id > 0 });
