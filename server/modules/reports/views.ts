import { sql } from 'drizzle-orm';
import { type DbOrTx, rows } from '../../db/client.js';
import { MORE_OWN_VIEWS, type MoreOwnData } from './views-own.js';

/**
 * The named views of the system's own data (issue 16): each turns a period into the lines an issue
 * freezes. Every line names its tier-2 branch (id, 机构号, name, org path) so an issue can be
 * filtered to a reader's subtree. Integers only: quantities × 10⁴, points in hundredths, ratios in
 * basis points (floored).
 */

/** A line of the `sales` view: one branch × product. */
export interface SalesLine {
  nodeId: number;
  nodeCode: string;
  nodeName: string;
  path: string;
  productCode: string;
  productName: string;
  unit: string;
  /** Sales of the period that stand (not struck). */
  sales: number;
  quantity1e4: number;
  /** Points allocated for those sales (the ledger's allocations and reversals, not void lines), in hundredths. */
  pointsHundredths: number;
}

export interface SalesData {
  view: 'sales';
  from: string;
  to: string;
  lines: SalesLine[];
}

/**
 * `sales` — 个人金融业务产品销售 per tier-2 branch (and the province's own sales) and product for the
 * sale days `from`…`to`: the number of sales, the quantity and the points, from the sales and the
 * ledger's live lines (a department's points are on its line or on its people's, never both).
 */
export async function salesView(db: DbOrTx, from: string, to: string): Promise<SalesData> {
  const r = await rows<{
    node_id: number;
    code: string;
    name: string;
    path: string;
    product_code: string;
    product_name: string;
    unit: string;
    sales: number;
    qty: string | number;
    pts: string | number;
  }>(
    db,
    sql`WITH ps AS (
          SELECT s.id, s.node_id, s.product_id, s.quantity_1e4 FROM sales s
           WHERE s.sale_date BETWEEN ${from}::date AND ${to}::date AND s.struck_at IS NULL
        ), pts AS (
          SELECT e.sale_id, sum(e.points_hundredths) AS pts FROM ledger_entries e
           WHERE e.sale_id IN (SELECT id FROM ps) AND e.kind <> 'void'
           GROUP BY e.sale_id
        )
        SELECT n.id AS node_id, n.code, n.name, n.path, p.code AS product_code, p.name AS product_name, p.unit,
               count(*)::int AS sales, sum(ps.quantity_1e4)::bigint AS qty, coalesce(sum(pts.pts), 0)::bigint AS pts
          FROM ps JOIN org_nodes n ON n.id = ps.node_id JOIN products p ON p.id = ps.product_id
          LEFT JOIN pts ON pts.sale_id = ps.id
         GROUP BY n.id, n.code, n.name, n.path, n.sort, p.code, p.name, p.unit
         ORDER BY n.path, p.code`,
  );
  return {
    view: 'sales',
    from,
    to,
    lines: r.map((x) => ({
      nodeId: Number(x.node_id),
      nodeCode: x.code,
      nodeName: x.name,
      path: x.path,
      productCode: x.product_code,
      productName: x.product_name,
      unit: x.unit,
      sales: Number(x.sales),
      quantity1e4: Number(x.qty),
      pointsHundredths: Number(x.pts),
    })),
  };
}

/** A line of the `completion` view: one branch × product with a quota for the year. */
export interface CompletionLine {
  nodeId: number;
  nodeCode: string;
  nodeName: string;
  path: string;
  productCode: string;
  productName: string;
  unit: string;
  /** The departments' quotas of the year summed (the approved plan's department-level rows). */
  quota1e4: number;
  /** Quantity credited to those departments by counted sales from 1 January to the period's last day. */
  done1e4: number;
  /** done / quota in basis points, floored. */
  completionBp: number;
}

export interface CompletionData {
  view: 'completion';
  year: number;
  asOf: string;
  lines: CompletionLine[];
}

/**
 * `completion` — 目标完成进度 per branch and product as of a day: the year's department quotas of an
 * approved plan against what counted sales (not struck, not voided by the mortgage rule:
 * sale_scoring.counted) credited to those departments — host or participant, once a department —
 * from 1 January to `asOf`. Products without a quota are left out (nothing to complete).
 */
export async function completionView(db: DbOrTx, asOf: string): Promise<CompletionData> {
  const year = Number(asOf.slice(0, 4));
  const r = await rows<{ node_id: number; code: string; name: string; path: string; product_code: string; product_name: string; unit: string; quota: string | number; done: string | number }>(
    db,
    sql`WITH q AS (
          SELECT qu.node_id, qu.department_id, qu.product_id, sum(qu.quantity_1e4) AS quota
            FROM quotas qu JOIN quota_plans pl ON pl.id = qu.plan_id AND pl.approved_version > 0
           WHERE qu.year = ${year} AND qu.staff_id IS NULL AND qu.outlet_node_id IS NULL
           GROUP BY qu.node_id, qu.department_id, qu.product_id
        ), live AS (
          SELECT s.id, s.node_id, s.product_id, s.quantity_1e4, s.host_department_id FROM sales s
            JOIN sale_scoring sc ON sc.sale_id = s.id AND sc.counted
           WHERE s.sale_date BETWEEN ${`${year}-01-01`}::date AND ${asOf}::date AND s.struck_at IS NULL
        ), credited AS (
          SELECT id, node_id, product_id, quantity_1e4, host_department_id AS department_id FROM live
          UNION
          SELECT l.id, l.node_id, l.product_id, l.quantity_1e4, d.department_id FROM live l JOIN sale_departments d ON d.sale_id = l.id
        ), done AS (
          SELECT node_id, department_id, product_id, sum(quantity_1e4) AS done FROM credited GROUP BY node_id, department_id, product_id
        )
        SELECT n.id AS node_id, n.code, n.name, n.path, p.code AS product_code, p.name AS product_name, p.unit,
               sum(q.quota)::bigint AS quota, coalesce(sum(done.done), 0)::bigint AS done
          FROM q JOIN org_nodes n ON n.id = q.node_id JOIN products p ON p.id = q.product_id
          LEFT JOIN done ON done.node_id = q.node_id AND done.department_id = q.department_id AND done.product_id = q.product_id
         GROUP BY n.id, n.code, n.name, n.path, p.code, p.name, p.unit
         ORDER BY n.path, p.code`,
  );
  return {
    view: 'completion',
    year,
    asOf,
    lines: r.map((x) => {
      const quota1e4 = Number(x.quota);
      const done1e4 = Number(x.done);
      return {
        nodeId: Number(x.node_id),
        nodeCode: x.code,
        nodeName: x.name,
        path: x.path,
        productCode: x.product_code,
        productName: x.product_name,
        unit: x.unit,
        quota1e4,
        done1e4,
        completionBp: quota1e4 > 0 ? Number((BigInt(done1e4) * 10000n) / BigInt(quota1e4)) : 0,
      };
    }),
  };
}

export type OwnData = SalesData | CompletionData | MoreOwnData;

/** The views built so far, by the catalogue's own source name; a report whose source has none is not produced yet. */
export const OWN_VIEWS: Partial<Record<string, (db: DbOrTx, from: string, to: string) => Promise<OwnData>>> = {
  sales: salesView,
  completion: (db, _from, to) => completionView(db, to),
  ...MORE_OWN_VIEWS,
};
