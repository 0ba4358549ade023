import { useQuery } from '@tanstack/react-query';
import { api, download } from './client';
import { queryKeys } from './keys';
import { hundredthsText } from '../format';
import type { CompletionRow, CompletionBoard, Rankings, Trend, Drill } from './contract';

/**
 * Shapes of /api/dashboards (看板, SPEC §10, §13); the types are derived (contract.ts) from
 * server/modules/dashboards/dashboards.schemas.ts. Percentages are integer basis points (floored),
 * points the server's two-decimal strings: the console draws and prints them, nothing more.
 */

export type { CompletionRow, CompletionBoard, Rankings, Trend, Drill };

export interface BoardFilters {
  nodeId?: number;
  /** A whole year … */
  year?: number;
  /** … or a month range (both included), 'YYYY-MM'. */
  from?: string;
  to?: string;
  lineCode?: string;
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
