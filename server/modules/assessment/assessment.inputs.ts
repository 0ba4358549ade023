import { createHash } from 'node:crypto';
import { sql } from 'drizzle-orm';
import { type DbOrTx, rows } from '../../db/client.js';
import type { OrgNode } from '../org/org.queries.js';
import { pathIds } from '../org/org.rules.js';
import { completionFacts, yearRange } from '../quotas/completion.js';
import { approvedQuotas } from '../quotas/quotas.service.js';
import { type AssessmentInput, type AwardRules, DEFAULT_AWARD_RULES, type Labels } from './assessment.rules.js';
import { AwardRulesSchema } from './assessment.schemas.js';
import { assertOnline } from '../../db/partitions.js';

/** The award rules in force for a year: the latest set with effective_year ≤ year, nearest node first. */
export async function ruleSetFor(db: DbOrTx, node: OrgNode, year: number): Promise<{ id: number; nodeId: number; effectiveYear: number; rules: AwardRules } | null> {
  const ids = pathIds(node.path);
  const [r] = await rows<{ id: number; node_id: number; effective_year: number; rules: unknown; depth: number }>(
    db,
    sql`SELECT s.id, s.node_id, s.effective_year, s.rules, length(n.path) AS depth
        FROM award_rule_sets s JOIN org_nodes n ON n.id = s.node_id
        WHERE s.node_id = ANY(${`{${ids.join(',')}}`}::int[]) AND s.effective_year <= ${year}
        ORDER BY length(n.path) DESC, s.effective_year DESC LIMIT 1`,
  );
  if (!r) return null;
  return { id: r.id, nodeId: r.node_id, effectiveYear: r.effective_year, rules: AwardRulesSchema.parse(r.rules) };
}

/**
 * Ledger lines that belong to the year: entries of the branch for sales of the year, wherever
 * they were written (an adjustment belongs to the month it corrects — coalesce(adjusts_period,
 * period) — which for every entry is its sale's month). ledger_node_period_idx bounds the scan.
 */
const yearLines = (nodeId: number, from: string, to: string) =>
  sql`e.node_id = ${nodeId} AND e.period >= ${from}::date AND coalesce(e.adjusts_period, e.period) >= ${from}::date
      AND coalesce(e.adjusts_period, e.period) < ${to}::date AND e.kind <> 'void'`;

export interface LoadedInputs {
  input: AssessmentInput;
  labels: Labels;
  quotaVersion: number | null;
  ruleSetId: number | null;
}

/**
 * Everything the assessment of a branch's year reads (Art. 22): the approved department quotas
 * (latest approved version; none → no gate), completion (quotas/completion.ts), the year's net
 * ledger points per department × product × person, the key projects' points, the outlets'
 * points, the award rules in force, the department codes and staff numbers that break ties — and
 * names for the explanations.
 */
export async function loadInputs(db: DbOrTx, node: OrgNode, year: number, pool: { poolFen: number; gateBp: number }): Promise<LoadedInputs> {
  const { from, to } = yearRange(year);
  // An archived year's ledger is out of the tables: refused, not assessed as zeros.
  await assertOnline(db, year);
  // One query after another: `db` may be a transaction, i.e. one connection.
  const approved = await approvedQuotas(db, node.id, year);
  const ruleSet = await ruleSetFor(db, node, year);
  const completion = await completionFacts(db, { nodeId: node.id, from, to });
  const points = await rows<{ department_id: number; product_id: number; staff_id: number | null; pts: number | string }>(
    db,
    sql`SELECT e.department_id, s.product_id, e.staff_id, sum(e.points_hundredths)::bigint AS pts
        FROM ledger_entries e JOIN sales s ON s.id = e.sale_id
        WHERE ${yearLines(node.id, from, to)}
        GROUP BY e.department_id, s.product_id, e.staff_id HAVING sum(e.points_hundredths) <> 0
        ORDER BY e.department_id, s.product_id, e.staff_id NULLS LAST`,
  );
  const rules = ruleSet?.rules ?? DEFAULT_AWARD_RULES;
  const projectIds = rules.keyProjects.map((k) => k.projectId);
  const projectPoints = projectIds.length
    ? await rows<{ project_id: number; department_id: number; pts: number | string }>(
        db,
        sql`SELECT s.project_id, e.department_id, sum(e.points_hundredths)::bigint AS pts
            FROM ledger_entries e JOIN sales s ON s.id = e.sale_id
            WHERE ${yearLines(node.id, from, to)} AND s.project_id = ANY(${`{${projectIds.join(',')}}`}::int[])
            GROUP BY s.project_id, e.department_id HAVING sum(e.points_hundredths) <> 0 ORDER BY 1, 2`,
      )
    : [];
  const outlets = rules.outletAttribution
    ? await rows<{ outlet_id: number; pts: number | string; sales: number }>(
        db,
        sql`WITH per_sale AS (
              SELECT st.node_id AS outlet_id, e.sale_id, sum(e.points_hundredths) AS pts
              FROM ledger_entries e JOIN staff st ON st.id = e.staff_id JOIN org_nodes o ON o.id = st.node_id
              WHERE ${yearLines(node.id, from, to)} AND e.staff_id IS NOT NULL AND o.level IN ('subbranch', 'outlet')
              GROUP BY st.node_id, e.sale_id HAVING sum(e.points_hundredths) <> 0
            )
            SELECT outlet_id, sum(pts)::bigint AS pts, count(*)::int AS sales FROM per_sale GROUP BY outlet_id ORDER BY outlet_id`,
      )
    : [];
  const quotas = (approved?.quotas ?? [])
    .filter((q) => q.staffId === null && q.outletNodeId === null)
    .map((q) => ({ departmentId: q.departmentId, productId: q.productId, quantity1e4: q.quantity1e4 }))
    .sort((a, b) => a.departmentId - b.departmentId || a.productId - b.productId);
  const input: AssessmentInput = {
    poolFen: pool.poolFen,
    gateBp: pool.gateBp,
    quotas,
    completion: completion
      .filter((c) => c.grain === 'D')
      .map((c) => ({ departmentId: c.departmentId, productId: c.productId, quantity1e4: c.quantity1e4 }))
      .sort((a, b) => a.departmentId - b.departmentId || a.productId - b.productId),
    points: points.map((p) => ({ departmentId: Number(p.department_id), productId: Number(p.product_id), staffId: p.staff_id === null ? null : Number(p.staff_id), pointsHundredths: Number(p.pts) })),
    projectPoints: projectPoints.map((p) => ({ projectId: Number(p.project_id), departmentId: Number(p.department_id), pointsHundredths: Number(p.pts) })),
    outlets: outlets.map((o) => ({ outletNodeId: Number(o.outlet_id), pointsHundredths: Number(o.pts), sales: Number(o.sales) })),
    rules,
  };
  const labels = await labelsFor(db, input);
  // The tie-break of the money splits (SPEC §7): department codes and staff numbers, hashed with the facts.
  input.codes = {
    departments: { ...labels.departmentCodes },
    staff: Object.fromEntries(Object.entries(labels.staff ?? {}).map(([id, x]) => [id, x.staffNo])),
  };
  return { input, labels, quotaVersion: approved?.versionNo ?? null, ruleSetId: ruleSet?.id ?? null };
}

/** Names of every department, product, person and outlet the input mentions. */
export async function labelsFor(db: DbOrTx, input: AssessmentInput): Promise<Labels> {
  const arr = (xs: number[]) => `{${[...new Set(xs)].join(',')}}`;
  const deptIds = [...input.quotas, ...input.completion, ...input.points, ...input.projectPoints].map((x) => x.departmentId);
  const productIds = [...input.quotas, ...input.completion, ...input.points].map((x) => x.productId);
  const staffIds = input.points.filter((p) => p.staffId !== null).map((p) => p.staffId!);
  const d = await rows<{ id: number; code: string; name: string }>(db, sql`SELECT id, code, name FROM departments WHERE id = ANY(${arr(deptIds)}::int[])`);
  const p = await rows<{ id: number; code: string; name: string; unit: string }>(db, sql`SELECT id, code, name, unit FROM products WHERE id = ANY(${arr(productIds)}::int[])`);
  const s = await rows<{ id: number; staff_no: string; name: string }>(db, sql`SELECT id, staff_no, name FROM staff WHERE id = ANY(${arr(staffIds)}::int[])`);
  const o = await rows<{ id: number; code: string; name: string }>(db, sql`SELECT id, code, name FROM org_nodes WHERE id = ANY(${arr(input.outlets.map((x) => x.outletNodeId))}::int[])`);
  return {
    departments: Object.fromEntries(d.map((x) => [x.id, x.name])),
    departmentCodes: Object.fromEntries(d.map((x) => [x.id, x.code])),
    products: Object.fromEntries(p.map((x) => [x.id, { name: x.name, unit: x.unit, code: x.code }])),
    staff: Object.fromEntries(s.map((x) => [x.id, { staffNo: x.staff_no, name: x.name }])),
    outlets: Object.fromEntries(o.map((x) => [x.id, x.name])),
    outletCodes: Object.fromEntries(o.map((x) => [x.id, x.code])),
  };
}

/**
 * Labels stored with a run before every line carried its codes (issue 18 part 5): the department
 * codes, product codes and outlets' 机构号 they lack, read by id. Names stay as stored.
 */
export async function withCodes(db: DbOrTx, labels: Labels): Promise<Labels> {
  const arr = (xs: string[]) => `{${xs.join(',')}}`;
  const deptIds = Object.keys(labels.departments).filter((id) => labels.departmentCodes?.[Number(id)] === undefined);
  const productIds = Object.keys(labels.products).filter((id) => labels.products[Number(id)].code === undefined);
  const outletIds = Object.keys(labels.outlets ?? {}).filter((id) => labels.outletCodes?.[Number(id)] === undefined);
  if (deptIds.length + productIds.length + outletIds.length === 0) return labels;
  const d = await rows<{ id: number; code: string }>(db, sql`SELECT id, code FROM departments WHERE id = ANY(${arr(deptIds)}::int[])`);
  const p = await rows<{ id: number; code: string }>(db, sql`SELECT id, code FROM products WHERE id = ANY(${arr(productIds)}::int[])`);
  const o = await rows<{ id: number; code: string }>(db, sql`SELECT id, code FROM org_nodes WHERE id = ANY(${arr(outletIds)}::int[])`);
  const products = { ...labels.products };
  for (const x of p) products[x.id] = { ...products[x.id], code: x.code };
  return {
    ...labels,
    departmentCodes: { ...Object.fromEntries(d.map((x) => [x.id, x.code])), ...labels.departmentCodes },
    products,
    outletCodes: { ...Object.fromEntries(o.map((x) => [x.id, x.code])), ...labels.outletCodes },
  };
}

/** Canonical JSON: object keys sorted, so the same facts always hash alike. */
function canonical(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(canonical).join(',')}]`;
  if (v && typeof v === 'object') {
    return `{${Object.keys(v)
      .sort()
      .filter((k) => (v as Record<string, unknown>)[k] !== undefined)
      .map((k) => `${JSON.stringify(k)}:${canonical((v as Record<string, unknown>)[k])}`)
      .join(',')}}`;
  }
  return JSON.stringify(v);
}

/** sha256 of the input facts (names excluded: a renamed department changes no figure). */
export function inputsHash(input: AssessmentInput): string {
  return createHash('sha256').update(canonical(input)).digest('hex');
}
