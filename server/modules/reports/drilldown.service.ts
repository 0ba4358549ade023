import { sql } from 'drizzle-orm';
import { type DbOrTx, rows } from '../../db/client.js';
import { AppError } from '../../errors.js';
import { type AuthContext, canAt, scopePaths } from '../access/context.js';

/**
 * Drill-down (issue 16 part B): from a report's figure to the level below — province → tier-2
 * branch → sub-branch → outlet → person — and, for own data, to the single sale and its scoring
 * ledger lines. The figures are the ledger's live lines (not void) of the standing sales of the
 * sale days `from`…`to` (the `sales` and `points` views' figures), each line placed at the node of
 * the person it names — an outlet's account manager's points are the outlet's — or, for a
 * department's own line, at the sale's branch. A node's figure is the sum of the lines placed in
 * its subtree; its own (本级) lines are those placed at it. Scope: the caller's report.read grants;
 * a node, person or sale outside them answers 403 and shows nothing of another branch.
 */
export interface DrillQuery {
  from: string;
  to: string;
  nodeId?: number;
  productCode?: string;
}

export interface NodeRef {
  id: number;
  code: string;
  name: string;
  level: string;
  path: string;
}
export interface Figure {
  sales: number;
  pointsHundredths: number;
}

async function nodeById(db: DbOrTx, id: number): Promise<NodeRef | undefined> {
  const [n] = await rows<NodeRef>(db, sql`SELECT id, code, name, level, path FROM org_nodes WHERE id = ${id}`);
  return n ? { ...n, id: Number(n.id) } : undefined;
}

/** The node to start from: the asked one, inside the caller's scope, or the caller's widest scope node. */
async function startNode(db: DbOrTx, auth: AuthContext, nodeId: number | undefined): Promise<NodeRef> {
  if (nodeId !== undefined) {
    const n = await nodeById(db, nodeId);
    if (!n || !canAt(auth, 'report.read', n.path)) throw new AppError('AUTH.OUT_OF_SCOPE');
    return n;
  }
  const top = scopePaths(auth, 'report.read')[0];
  if (!top) throw new AppError('AUTH.OUT_OF_SCOPE');
  const [n] = await rows<NodeRef>(db, sql`SELECT id, code, name, level, path FROM org_nodes WHERE path = ${top}`);
  if (!n) throw new AppError('AUTH.OUT_OF_SCOPE');
  return { ...n, id: Number(n.id) };
}

/** The ancestors of a path the caller may read, top first, ending with the node itself. */
async function crumbs(db: DbOrTx, auth: AuthContext, path: string): Promise<Omit<NodeRef, 'path'>[]> {
  const ids = path.split('/').filter(Boolean).map(Number);
  const r = await rows<NodeRef>(db, sql`SELECT id, code, name, level, path FROM org_nodes WHERE id = ANY(${`{${ids.join(',')}}`}::int[]) ORDER BY length(path)`);
  return r.filter((n) => canAt(auth, 'report.read', n.path)).map((n) => ({ id: Number(n.id), code: n.code, name: n.name, level: n.level }));
}

/** The live ledger lines of the period (optionally one product) with the node each is placed at. */
export const placedLines = (q: DrillQuery) => sql`
  SELECT e.id, e.sale_id, e.points_hundredths AS pts, e.staff_id, an.id AS at_id, an.path AS at_path
    FROM ledger_entries e JOIN sales s ON s.id = e.sale_id
    LEFT JOIN staff st ON st.id = e.staff_id
    JOIN org_nodes an ON an.id = coalesce(st.node_id, s.node_id)
    ${q.productCode ? sql`JOIN products p ON p.id = s.product_id AND p.code = ${q.productCode}` : sql``}
   WHERE s.sale_date BETWEEN ${q.from}::date AND ${q.to}::date AND s.struck_at IS NULL AND e.kind <> 'void'`;

export interface DrillChild extends Figure {
  nodeId: number;
  code: string;
  name: string;
  level: string;
}
export interface DrillPerson extends Figure {
  staffId: number;
  staffNo: string;
  name: string;
}
export interface DrillOut {
  from: string;
  to: string;
  productCode: string | null;
  node: Omit<NodeRef, 'path'>;
  crumbs: Omit<NodeRef, 'path'>[];
  total: Figure;
  /** Lines placed at the node itself: its departments' own lines (a branch) and its people's. */
  own: Figure;
  children: DrillChild[];
  people: DrillPerson[];
}

/** A node's figure, its children's (every active child, zero or not) and its own people's. */
export async function drillNode(db: DbOrTx, auth: AuthContext, q: DrillQuery): Promise<DrillOut> {
  const n = await startNode(db, auth, q.nodeId);
  const like = `${n.path}%`;
  const fig = (x: { sales: number | string | null; pts: number | string | null }): Figure => ({ sales: Number(x.sales ?? 0), pointsHundredths: Number(x.pts ?? 0) });
  const [total] = await rows<{ sales: number; pts: string | null; own_sales: number; own_pts: string | null }>(
    db,
    sql`WITH l AS (${placedLines(q)} AND an.path LIKE ${like})
        SELECT count(DISTINCT sale_id)::int AS sales, sum(pts)::bigint AS pts,
               count(DISTINCT sale_id) FILTER (WHERE at_id = ${n.id})::int AS own_sales, sum(pts) FILTER (WHERE at_id = ${n.id})::bigint AS own_pts FROM l`,
  );
  const children = await rows<{ id: number; code: string; name: string; level: string; sales: number; pts: string | null }>(
    db,
    sql`WITH l AS (${placedLines(q)} AND an.path LIKE ${like})
        SELECT c.id, c.code, c.name, c.level, count(DISTINCT l.sale_id)::int AS sales, sum(l.pts)::bigint AS pts
          FROM org_nodes c LEFT JOIN l ON l.at_path LIKE c.path || '%'
         WHERE c.parent_id = ${n.id} AND c.active
         GROUP BY c.id, c.code, c.name, c.level, c.sort ORDER BY sum(l.pts) DESC NULLS LAST, c.sort, c.code`,
  );
  const people = await rows<{ staff_id: number; staff_no: string; name: string; sales: number; pts: string }>(
    db,
    sql`WITH l AS (${placedLines(q)} AND an.id = ${n.id} AND e.staff_id IS NOT NULL)
        SELECT st.id AS staff_id, st.staff_no, st.name, count(DISTINCT l.sale_id)::int AS sales, sum(l.pts)::bigint AS pts
          FROM l JOIN staff st ON st.id = l.staff_id
         GROUP BY st.id, st.staff_no, st.name ORDER BY sum(l.pts) DESC, st.staff_no`,
  );
  return {
    from: q.from,
    to: q.to,
    productCode: q.productCode ?? null,
    node: { id: n.id, code: n.code, name: n.name, level: n.level },
    crumbs: await crumbs(db, auth, n.path),
    total: fig(total),
    own: fig({ sales: total.own_sales, pts: total.own_pts }),
    children: children.map((c) => ({ nodeId: Number(c.id), code: c.code, name: c.name, level: c.level, ...fig(c) })),
    people: people.map((p) => ({ staffId: Number(p.staff_id), staffNo: p.staff_no, name: p.name, ...fig(p) })),
  };
}

export interface PersonSale {
  saleId: number;
  saleDate: string;
  productCode: string;
  productName: string;
  unit: string;
  quantity1e4: number;
  /** The person's points on the sale, and the sale's points in all. */
  pointsHundredths: number;
  salePointsHundredths: number;
}
export interface DrillPersonOut {
  from: string;
  to: string;
  person: { staffId: number; staffNo: string; name: string; nodeId: number };
  crumbs: Omit<NodeRef, 'path'>[];
  total: Figure;
  sales: PersonSale[];
}

/** A person's sales of the period with their points on each. */
export async function drillPerson(db: DbOrTx, auth: AuthContext, staffId: number, q: DrillQuery): Promise<DrillPersonOut> {
  const [p] = await rows<{ id: number; staff_no: string; name: string; node_id: number; path: string }>(
    db,
    sql`SELECT st.id, st.staff_no, st.name, st.node_id, n.path FROM staff st JOIN org_nodes n ON n.id = st.node_id WHERE st.id = ${staffId}`,
  );
  if (!p || !canAt(auth, 'report.read', p.path)) throw new AppError('AUTH.OUT_OF_SCOPE');
  const r = await rows<{ sale_id: number; sale_date: string; code: string; pname: string; unit: string; qty: string; pts: string; sale_pts: string }>(
    db,
    sql`WITH mine AS (SELECT l.sale_id, sum(l.pts) AS pts FROM (${placedLines(q)} AND e.staff_id = ${staffId}) l GROUP BY l.sale_id)
        SELECT s.id AS sale_id, s.sale_date::text, pr.code, pr.name AS pname, pr.unit, s.quantity_1e4 AS qty, mine.pts,
               (SELECT sum(x.points_hundredths) FROM ledger_entries x WHERE x.sale_id = s.id AND x.kind <> 'void') AS sale_pts
          FROM mine JOIN sales s ON s.id = mine.sale_id JOIN products pr ON pr.id = s.product_id
         ORDER BY s.sale_date, s.id`,
  );
  const sales = r.map((x) => ({
    saleId: Number(x.sale_id),
    saleDate: x.sale_date,
    productCode: x.code,
    productName: x.pname,
    unit: x.unit,
    quantity1e4: Number(x.qty),
    pointsHundredths: Number(x.pts),
    salePointsHundredths: Number(x.sale_pts ?? 0),
  }));
  return {
    from: q.from,
    to: q.to,
    person: { staffId: Number(p.id), staffNo: p.staff_no, name: p.name, nodeId: Number(p.node_id) },
    crumbs: await crumbs(db, auth, p.path),
    total: { sales: sales.length, pointsHundredths: sales.reduce((s, x) => s + x.pointsHundredths, 0) },
    sales,
  };
}

export interface LedgerLineOut {
  id: number;
  kind: string;
  period: string;
  departmentCode: string;
  departmentName: string;
  staffId: number | null;
  staffNo: string | null;
  staffName: string | null;
  role: string | null;
  pointsHundredths: number;
  ruleVersion: string;
  reversesId: number | null;
  createdAt: string;
}
export interface DrillSaleOut {
  sale: {
    id: number;
    sourceId: string;
    saleDate: string;
    productCode: string;
    productName: string;
    unit: string;
    quantity1e4: number;
    nodeId: number;
    nodeName: string;
    hostDepartmentName: string;
    struck: boolean;
    struckReason: string | null;
  };
  crumbs: Omit<NodeRef, 'path'>[];
  /** Every ledger line of the sale the caller may see (all of them for a reader of the sale's branch). */
  lines: LedgerLineOut[];
  /** Lines of the sale placed outside the caller's scope, left out. */
  hiddenLines: number;
}

/** One sale and its scoring ledger lines — allocations, reversals, void lines — oldest first. */
export async function drillSale(db: DbOrTx, auth: AuthContext, saleId: number): Promise<DrillSaleOut> {
  const [s] = await rows<{
    id: number;
    source_id: string;
    sale_date: string;
    code: string;
    pname: string;
    unit: string;
    qty: string;
    node_id: number;
    node_name: string;
    path: string;
    host: string;
    struck_at: Date | null;
    struck_reason: string | null;
  }>(
    db,
    sql`SELECT s.id, s.source_id, s.sale_date::text, p.code, p.name AS pname, p.unit, s.quantity_1e4 AS qty, n.id AS node_id, n.name AS node_name, n.path,
               d.name AS host, s.struck_at, s.struck_reason
          FROM sales s JOIN products p ON p.id = s.product_id JOIN org_nodes n ON n.id = s.node_id JOIN departments d ON d.id = s.host_department_id
         WHERE s.id = ${saleId}`,
  );
  if (!s) throw new AppError('AUTH.OUT_OF_SCOPE');
  const lines = await rows<{
    id: string;
    kind: string;
    period: string;
    dcode: string;
    dname: string;
    staff_id: number | null;
    staff_no: string | null;
    staff_name: string | null;
    role: string | null;
    pts: string;
    rule_version: string;
    reverses_id: string | null;
    created_at: Date | string;
    at_path: string;
  }>(
    db,
    sql`SELECT e.id, e.kind, e.period::text, d.code AS dcode, d.name AS dname, e.staff_id, st.staff_no, st.name AS staff_name, e.role,
               e.points_hundredths AS pts, e.rule_version, e.reverses_id, e.created_at, an.path AS at_path
          FROM ledger_entries e JOIN departments d ON d.id = e.department_id LEFT JOIN staff st ON st.id = e.staff_id
          JOIN org_nodes an ON an.id = coalesce(st.node_id, ${s.node_id})
         WHERE e.sale_id = ${saleId} ORDER BY e.id`,
  );
  const whole = canAt(auth, 'report.read', s.path);
  const seen = lines.filter((l) => whole || canAt(auth, 'report.read', l.at_path));
  if (!seen.length) throw new AppError('AUTH.OUT_OF_SCOPE');
  return {
    sale: {
      id: Number(s.id),
      sourceId: s.source_id,
      saleDate: s.sale_date,
      productCode: s.code,
      productName: s.pname,
      unit: s.unit,
      quantity1e4: Number(s.qty),
      nodeId: Number(s.node_id),
      nodeName: s.node_name,
      hostDepartmentName: s.host,
      struck: s.struck_at !== null,
      struckReason: s.struck_reason,
    },
    crumbs: await crumbs(db, auth, s.path),
    lines: seen.map((l) => ({
      id: Number(l.id),
      kind: l.kind,
      period: l.period,
      departmentCode: l.dcode,
      departmentName: l.dname,
      staffId: l.staff_id === null ? null : Number(l.staff_id),
      staffNo: l.staff_no,
      staffName: l.staff_name,
      role: l.role,
      pointsHundredths: Number(l.pts),
      ruleVersion: l.rule_version,
      reversesId: l.reverses_id === null ? null : Number(l.reverses_id),
      createdAt: new Date(l.created_at).toISOString(),
    })),
    hiddenLines: lines.length - seen.length,
  };
}
