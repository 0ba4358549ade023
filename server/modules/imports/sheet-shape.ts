import type { RowError } from './import-spec.js';
import { type CellRaw, cellText } from './normalize.js';

/**
 * What office sheets carry besides data rows (issue 18): totals rows (合计/小计/总计) and merged
 * cells. Pure: the reader (sheet-reader.ts) asks these as the rows stream by.
 */

/** A merged range: rows 1-based as Excel numbers them, columns 0-based as the reader's cells. */
export interface CellRange {
  ref: string;
  top: number;
  left: number;
  bottom: number;
  right: number;
}

function columnIndex(letters: string): number {
  let n = 0;
  for (const ch of letters) n = n * 26 + (ch.charCodeAt(0) - 64);
  return n - 1;
}

/** `B5:B7` → its range; null for anything else. */
export function parseRange(ref: string): CellRange | null {
  const m = /^([A-Z]{1,3})(\d{1,7}):([A-Z]{1,3})(\d{1,7})$/.exec(ref);
  if (!m) return null;
  const [a, b] = [columnIndex(m[1]), columnIndex(m[3])];
  const [r1, r2] = [Number(m[2]), Number(m[4])];
  return { ref, top: Math.min(r1, r2), left: Math.min(a, b), bottom: Math.max(r1, r2), right: Math.max(a, b) };
}

const TOTAL_WORD = /^(合计|小计|总计)[:：]?$/;

/** 合计, 小 计, 总计：— the words a totals row starts with, blanks (full-width ones too) ignored. */
export function isTotalWord(v: CellRaw | undefined): boolean {
  if (typeof v !== 'string') return false;
  const t = cellText(v);
  return t !== null && TOTAL_WORD.test(t.replace(/\s+/g, ''));
}

/**
 * A totals row: one of its text cells says 合计/小计/总计 and it lacks a key field (a required
 * column of the spec is empty, the cell holding the word not counting). Such a row sums the rows
 * above it; it is no record, so it is skipped and counted, never refused as empty required cells.
 */
export function isTotalsRow(values: readonly CellRaw[], required: readonly { index: number }[]): boolean {
  if (!values.some((v) => isTotalWord(v))) return false;
  return required.some((h) => {
    const v = values[h.index];
    return cellText(v ?? null) === null || isTotalWord(v);
  });
}

/** A column of the uploaded sheet the merge plan needs: its position, header and spec key. */
interface PlanHeader {
  index: number;
  header: string;
  key: string | null;
}

/** A vertical merge of one mapped column: rows top+1 … bottom take the value of row top. */
export interface MergeFill {
  index: number;
  header: string;
  top: number;
  bottom: number;
}

/** A merge over two or more mapped columns: each of its rows is refused. */
export interface MergeBlock {
  range: CellRange;
  key: string;
  headers: string[];
}

/**
 * What to do with the sheet's merged cells below the header row (merges in and above it — titles,
 * grouped headers — are the layout's business and ignored).
 *
 * Why a vertical merge of one column is applied rather than refused: it is how a bank's sheet says
 * "these rows share this value" (one 机构号 or 销售日期 for a block of rows); Excel keeps the value
 * in the top cell only, so refusing would make the clerk unmerge and copy by hand what the sheet
 * already states unambiguously. Each such merge is named in the job's summary, so nothing is
 * filled silently. A merge across two or more columns has no such reading (which column owns the
 * value?), so those rows are refused with IMPORT.MERGED_CELL asking to unmerge.
 */
export function planMerges(refs: readonly string[], headerRow: number, headers: readonly PlanHeader[]): { fills: MergeFill[]; blocks: MergeBlock[] } {
  const fills: MergeFill[] = [];
  const blocks: MergeBlock[] = [];
  for (const ref of refs) {
    const r = parseRange(ref);
    if (!r || r.top <= headerRow) continue;
    const mapped = headers.filter((h) => h.key !== null && h.index >= r.left && h.index <= r.right);
    if (mapped.length >= 2) blocks.push({ range: r, key: mapped[0].key!, headers: mapped.map((h) => h.header) });
    else if (mapped.length === 1 && r.bottom > r.top && mapped[0].index === r.left) fills.push({ index: r.left, header: mapped[0].header, top: r.top, bottom: r.bottom });
  }
  fills.sort((a, b) => a.top - b.top);
  blocks.sort((a, b) => a.range.top - b.range.top);
  return { fills, blocks };
}

/** The row error of a row inside a merge across columns. */
export function mergedBlockError(b: MergeBlock): RowError {
  return {
    column: b.key,
    code: 'IMPORT.MERGED_CELL',
    zh: `${b.range.ref} 是跨列合并的单元格（合并自第${b.range.top}行，涉及 ${b.headers.join('、')}），请取消合并后每列分别填写`,
    en: `${b.range.ref} is merged across columns (from row ${b.range.top}: ${b.headers.join(', ')}); unmerge it and fill each column`,
  };
}

/** Walks merges sorted by their top row as rows stream by in ascending order: the ones covering a row. */
export function activeWindow<T>(list: readonly T[], span: (t: T) => { top: number; bottom: number }) {
  let next = 0;
  let active: T[] = [];
  return (row: number): T[] => {
    while (next < list.length && span(list[next]).top <= row) active.push(list[next++]);
    active = active.filter((t) => span(t).bottom >= row);
    return active;
  };
}
