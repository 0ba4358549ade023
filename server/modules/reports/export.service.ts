import { sql } from 'drizzle-orm';
import { type DbOrTx, rows } from '../../db/client.js';
import { type AuthContext, scopePaths } from '../access/context.js';
import type { XlsxColumn, XlsxSheet } from './export.xlsx.js';
import { issueTable, type IssueTable } from './export.columns.js';
import { getIssue } from './reports.service.js';

/**
 * What an export holds (issue 16 part B): the issue as the reader may read it (its lines filtered
 * to the reader's subtree by getIssue), as a table; and, for the sales and points reports, the
 * period's detail — every scoring ledger line of the standing sales, placed at the person's node
 * or the sale's branch (as drill-down places them) and kept to the reader's scope — read in
 * batches by ledger id so a million lines stream without being held.
 */
export async function exportIssue(db: DbOrTx, auth: AuthContext, id: number, now: Date) {
  const issue = await getIssue(db, auth, id, now);
  return { issue, table: issueTable(issue.data) as IssueTable | null };
}

/** The reader's report.read scope nodes by name ('广东省分行', '佛山分行、河源分行'). */
export async function scopeName(db: DbOrTx, auth: AuthContext): Promise<string> {
  const paths = scopePaths(auth, 'report.read');
  if (!paths.length) return '—';
  const r = await rows<{ name: string }>(db, sql`SELECT name FROM org_nodes WHERE path = ANY(${`{${paths.map((p) => `"${p}"`).join(',')}}`}::text[]) ORDER BY path`);
  return r.map((x) => x.name).join('、');
}

export const DETAIL_COLUMNS: XlsxColumn[] = [
  { key: 'lineId', header: '流水号', unit: 'text', width: 10 },
  { key: 'saleId', header: '销售编号', unit: 'text', width: 10 },
  { key: 'sourceId', header: '业务流水', unit: 'text', width: 18 },
  { key: 'saleDate', header: '销售日期', unit: 'text', width: 12 },
  { key: 'branch', header: '销售机构', unit: 'text' },
  { key: 'placedAt', header: '积分归属机构', unit: 'text' },
  { key: 'product', header: '产品', unit: 'text' },
  { key: 'quantity1e4', header: '数量', unit: 'e4' },
  { key: 'department', header: '部门', unit: 'text' },
  { key: 'staffNo', header: '工号', unit: 'text', width: 12 },
  { key: 'staffName', header: '姓名', unit: 'text', width: 10 },
  { key: 'kind', header: '类型', unit: 'text', width: 10 },
  { key: 'pointsHundredths', header: '积分', unit: 'hundredths' },
];

const KIND_ZH: Record<string, string> = { allocation: '分配', reversal: '冲销', void: '作废', adjustment: '调整' };

/** The period's ledger lines inside the reader's scope, oldest first, `batch` at a time. */
export async function* detailRows(db: DbOrTx, auth: AuthContext, from: string, to: string, batch = 2_000): AsyncGenerator<Record<string, unknown>> {
  const paths = scopePaths(auth, 'report.read');
  if (!paths.length) return;
  const scope = sql.join(
    paths.map((p) => sql`an.path LIKE ${`${p}%`}`),
    sql` OR `,
  );
  let after = 0;
  for (;;) {
    const r = await rows<{
      id: string;
      sale_id: number;
      source_id: string;
      sale_date: string;
      branch: string;
      placed: string;
      product: string;
      qty: string;
      dept: string;
      staff_no: string | null;
      staff_name: string | null;
      kind: string;
      pts: string;
    }>(
      db,
      sql`SELECT e.id, s.id AS sale_id, s.source_id, s.sale_date::text, n.name AS branch, an.name AS placed, p.name AS product, s.quantity_1e4 AS qty,
                 d.name AS dept, st.staff_no, st.name AS staff_name, e.kind, e.points_hundredths AS pts
            FROM ledger_entries e JOIN sales s ON s.id = e.sale_id JOIN org_nodes n ON n.id = s.node_id JOIN products p ON p.id = s.product_id
            JOIN departments d ON d.id = e.department_id LEFT JOIN staff st ON st.id = e.staff_id
            JOIN org_nodes an ON an.id = coalesce(st.node_id, s.node_id)
           WHERE e.id > ${after} AND s.sale_date BETWEEN ${from}::date AND ${to}::date AND s.struck_at IS NULL AND (${scope})
           ORDER BY e.id LIMIT ${batch}`,
    );
    for (const x of r)
      yield {
        lineId: String(x.id),
        saleId: String(x.sale_id),
        sourceId: x.source_id,
        saleDate: x.sale_date,
        branch: x.branch,
        placedAt: x.placed,
        product: x.product,
        quantity1e4: Number(x.qty),
        department: x.dept,
        staffNo: x.staff_no,
        staffName: x.staff_name,
        kind: KIND_ZH[x.kind] ?? x.kind,
        pointsHundredths: Number(x.pts),
      };
    if (r.length < batch) return;
    after = Number(r[r.length - 1].id);
  }
}

/** The workbook's sheets: 通报 (the figures with a caption) and, for sales and points, 明细. */
export function exportSheets(db: DbOrTx, auth: AuthContext, e: Awaited<ReturnType<typeof exportIssue>>, caption: string[]): XlsxSheet[] {
  const t = e.table;
  const sheets: XlsxSheet[] = [
    {
      name: '通报',
      caption,
      columns: t ? t.columns.map((c) => ({ key: c.key, header: c.zh, unit: c.unit })) : [{ key: 'none', header: '本期无数据', unit: 'text' }],
      rows: t ? t.rows : [],
    },
  ];
  if (t && (t.view === 'sales' || t.view === 'points')) sheets.push({ name: '明细', columns: DETAIL_COLUMNS, rows: detailRows(db, auth, e.issue.periodFrom, e.issue.periodTo) });
  return sheets;
}
