import { useQuery } from '@tanstack/react-query';
import { api, download } from './client';
import { queryKeys } from './keys';
import type { Points } from './statements';
import { hundredthsText } from '../format';

/**
 * Shapes of /api/dashboards (看板, SPEC §10, §13); the source of truth is
 * server/modules/dashboards/dashboards.schemas.ts. Percentages are integer basis points (floored),
 * points the server's two-decimal strings: the console draws and prints them, nothing more.
 */

export interface BoardFilters {
  nodeId?: number;
  /** A whole year … */
  year?: number;
  /** … or a month range (both included), 'YYYY-MM'. */
  from?: string;
  to?: string;
  lineCode?: string;
}

interface NodeRef {
  id: number;
  code: string;
  name: string;
}
interface Period {
  from: string;
  to: string;
  months: string[];
}

export interface CompletionRow {
  quotaId: number | null;
  departmentId: number;
  departmentCode: string;
  departmentName: string;
  productId: number;
  productCode: string;
  productName: string;
  lineCode: string;
  unit: string;
  staffId: number | null;
  staffNo: string | null;
  staffName: string | null;
  outletNodeId: number | null;
  outletName: string | null;
  quota: string | null;
  quota1e4: number | null;
  completion: string;
  completion1e4: number;
  sales: number;
  completionBp: number | null;
  reached50: boolean | null;
  reached100: boolean | null;
}

export interface CompletionBoard {
  node: NodeRef;
  year: number;
  period: Period;
  lineCode: string | null;
  plan: { state: 'draft' | 'approved'; approvedVersion: number };
  rows: CompletionRow[];
  departments: { departmentId: number; departmentCode: string; departmentName: string; quotas: number; reached50: number; reached100: number }[];
}

export interface Rankings {
  node: NodeRef;
  period: Period;
  lineCode: string | null;
  source: 'statement_totals' | 'ledger';
  total: Points;
  departments: (Points & { rank: number; departmentId: number; code: string; name: string })[];
  people: (Points & { rank: number; staffId: number; staffNo: string; name: string; departmentName: string | null; nodeName: string })[];
}

export interface Trend {
  node: NodeRef;
  period: Period;
  lineCode: string | null;
  months: (Points & { month: string; voided: Points; sales: number })[];
  total: Points;
}

export interface Drill {
  level: 'branches' | 'departments' | 'people';
  period: Period;
  lineCode: string | null;
  node: NodeRef | null;
  department: NodeRef | null;
  total: Points;
  departmentLevel: Points | null;
  items: (Points & { id: number; code: string; name: string; shareBp: number })[];
}

const query = (f: BoardFilters) => ({ nodeId: f.nodeId, year: f.year, from: f.from, to: f.to, lineCode: f.lineCode });

function useBoard<T>(board: 'completion' | 'rankings' | 'trend', f: BoardFilters) {
  return useQuery({
    queryKey: queryKeys.dashboards.board(board, query(f)),
    queryFn: () => api<T>(`/dashboards/${board}`, { query: query(f), silent: true }),
    retry: false,
    enabled: !!f.nodeId && (!!f.year || (!!f.from && !!f.to)),
  });
}

export const useCompletion = (f: BoardFilters) => useBoard<CompletionBoard>('completion', f);
export const useRankings = (f: BoardFilters) => useBoard<Rankings>('rankings', f);
export const useTrend = (f: BoardFilters) => useBoard<Trend>('trend', f);

/** No nodeId: the branches in scope; nodeId: its departments; + departmentId: its people. */
export function useDrill(f: BoardFilters & { departmentId?: number }) {
  const q = { ...query(f), departmentId: f.departmentId };
  return useQuery({
    queryKey: queryKeys.dashboards.board('drill', q),
    queryFn: () => api<Drill>('/dashboards/drill', { query: q, silent: true }),
    retry: false,
    enabled: !!f.year || (!!f.from && !!f.to),
  });
}

export const downloadBoard = (board: 'completion' | 'rankings' | 'trend' | 'drill', f: BoardFilters & { departmentId?: number }) =>
  download(`/dashboards/${board}/export.xlsx`, { ...query(f), departmentId: f.departmentId }, `${board}.xlsx`);

/** Basis points → "62.50%" (exact: integer digits, no float). */
export function pctOfBp(bp: number | null | undefined): string {
  return bp === null || bp === undefined ? '-' : `${hundredthsText(bp)}%`;
}
