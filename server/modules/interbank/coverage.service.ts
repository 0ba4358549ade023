import { sql } from 'drizzle-orm';
import { type DbOrTx, rows } from '../../db/client.js';
import { getSetting } from '../settings/settings.routes.js';
import { type AuthContext, canAt, isBankWide } from '../access/context.js';
import { caliberOn, effectivePlans, stepsOn } from './caliber.service.js';
import { type Caliber, coverageBp, type Step, stepScoreBp, underThreshold, weightedScoreBp } from './coverage.rules.js';

/**
 * 覆盖率 as of any day (SPEC §11; decision 0034). An institution belongs, on day D, to the tier-2
 * branch of its jurisdiction row covering D (valid_from ≤ D ≤ valid_to, open-ended when valid_to is
 * null); a jurisdiction held by a sub-branch counts for its tier-2 branch. It is signed on D when it
 * has an active signing (not superseded, not void) with signed_on ≤ D — corrections therefore change
 * the live figure, never a stored snapshot. A closed or merged institution leaves the denominator
 * when its jurisdiction row ends (the registry closes it); its status alone does not rewrite history.
 */

export interface Counts {
  institutions: number;
  signed: number;
  framework: number;
  productOnly: number;
  /** Institutions with an active product agreement, alone or beside a framework one. */
  product: number;
  /** Signed institutions whose every active agreement is unilateral (单方签约). */
  unilateral: number;
  coverageBp: number | null;
}

export interface CoverageLine extends Counts {
  nodeId: number;
  nodeCode: string;
  nodeName: string;
  flagged: boolean;
  planCount: number | null;
  /** 'plan': weighted caliber against the plan; 'steps': no plan, completion by steps. */
  scoreBasis: 'plan' | 'steps';
  scoreBp: number | null;
}

export interface CoverageFigures {
  asOf: string;
  thresholdBp: number;
  caliber: Caliber;
  steps: Step[];
  province: Counts;
  association: Counts & { unsigned: number; names: string[] };
  lines: CoverageLine[];
}

interface RawLine {
  nodeId: number;
  nodeCode: string;
  nodeName: string;
  path: string;
  institutions: number;
  signed: number;
  framework: number;
  productOnly: number;
  product: number;
  unilateral: number;
}

/** The institutions in jurisdiction on `day` with their signing state (SQL, alias columns below). */
export function institutionsOn(day: string) {
  return sql`
    WITH j AS (
      SELECT DISTINCT ON (institution_id) institution_id, node_id FROM fi_jurisdictions
       WHERE valid_from <= ${day}::date AND (valid_to IS NULL OR valid_to >= ${day}::date)
       ORDER BY institution_id, valid_from DESC
    ), s AS (
      SELECT institution_id, bool_or(kind = 'framework') AS fw, bool_or(kind = 'product') AS pr, bool_and(sidedness = 'unilateral') AS uni
        FROM fi_signings WHERE status = 'active' AND signed_on <= ${day}::date GROUP BY institution_id
    )
    SELECT COALESCE(b.id, n.id) AS node_id, i.id, i.name, (i.kind = 'association' OR p.kind = 'association') AS assoc,
           (i.kind = 'association') AS is_assoc, s.institution_id IS NOT NULL AS signed,
           COALESCE(s.fw, false) AS fw, COALESCE(s.pr, false) AS pr, COALESCE(s.uni, false) AS uni
      FROM j JOIN fi_institutions i ON i.id = j.institution_id
      LEFT JOIN fi_institutions p ON p.id = i.parent_id
      LEFT JOIN s ON s.institution_id = i.id
      JOIN org_nodes n ON n.id = j.node_id
      LEFT JOIN LATERAL (SELECT t2.id FROM org_nodes t2 WHERE t2.level = 'branch' AND n.path LIKE t2.path || '%' ORDER BY length(t2.path) LIMIT 1) b ON true`;
}

const COUNTS = sql`count(*)::int AS institutions, count(*) FILTER (WHERE signed)::int AS signed, count(*) FILTER (WHERE fw)::int AS framework,
  count(*) FILTER (WHERE pr AND NOT fw)::int AS "productOnly", count(*) FILTER (WHERE pr)::int AS product, count(*) FILTER (WHERE signed AND uni)::int AS unilateral`;

const withBp = (c: Omit<Counts, 'coverageBp'>): Counts => ({ ...c, coverageBp: coverageBp(c.signed, c.institutions) });

/** The flag threshold in basis points (setting `interbank.flagBelowPercent`, default 60 %). */
export async function thresholdBp(db: DbOrTx): Promise<number> {
  return (await getSetting(db, 'interbank.flagBelowPercent')) * 100;
}

/** Every figure of the coverage page and the briefing, as of a day, for the whole province. */
export async function coverageAsOf(db: DbOrTx, day: string): Promise<CoverageFigures> {
  const [threshold, caliber, steps, plans] = [await thresholdBp(db), await caliberOn(db, day), await stepsOn(db, day), await effectivePlans(db, Number(day.slice(0, 4)))];
  const raw = await rows<RawLine>(
    db,
    sql`WITH i AS (${institutionsOn(day)}), g AS (SELECT node_id, ${COUNTS} FROM i GROUP BY node_id)
        SELECT n.id AS "nodeId", n.code AS "nodeCode", n.name AS "nodeName", n.path,
               COALESCE(g.institutions, 0) AS institutions, COALESCE(g.signed, 0) AS signed, COALESCE(g.framework, 0) AS framework,
               COALESCE(g."productOnly", 0) AS "productOnly", COALESCE(g.product, 0) AS product, COALESCE(g.unilateral, 0) AS unilateral
          FROM org_nodes n LEFT JOIN g ON g.node_id = n.id
         WHERE (n.level = 'branch' AND n.active) OR g.node_id IS NOT NULL
         ORDER BY n.path`,
  );
  const [prov] = await rows<Omit<Counts, 'coverageBp'>>(db, sql`WITH i AS (${institutionsOn(day)}) SELECT ${COUNTS} FROM i`);
  const [assoc] = await rows<Omit<Counts, 'coverageBp'> & { names: string[] | null }>(
    db,
    sql`WITH i AS (${institutionsOn(day)}) SELECT ${COUNTS}, array_agg(name ORDER BY id) FILTER (WHERE is_assoc) AS names FROM i WHERE assoc`,
  );
  const lines: CoverageLine[] = raw.map(({ path: _path, ...r }) => {
    const plan = plans.get(r.nodeId) ?? null;
    const base = withBp(r);
    return {
      ...r,
      coverageBp: base.coverageBp,
      flagged: underThreshold(r.signed, r.institutions, threshold),
      planCount: plan,
      scoreBasis: plan === null ? 'steps' : 'plan',
      // A branch with no plan, no institution and no signing has nothing to be assessed on.
      scoreBp: plan !== null ? weightedScoreBp(r.framework, r.product, plan, caliber) : r.institutions === 0 && r.signed === 0 ? null : stepScoreBp(r.signed, steps),
    };
  });
  const a = withBp(assoc);
  return { asOf: day, thresholdBp: threshold, caliber, steps, province: withBp(prov), association: { ...a, unsigned: a.institutions - a.signed, names: assoc.names ?? [] }, lines };
}

/** The nodes whose lines a reader sees: all for a province-level reader, else those in scope. */
export async function lineFilter(db: DbOrTx, auth: AuthContext): Promise<(nodeId: number) => boolean> {
  if (isBankWide(auth, 'interbank.read')) return () => true;
  const nodes = await rows<{ id: number; path: string }>(db, sql`SELECT id, path FROM org_nodes`);
  const visible = new Set(nodes.filter((n) => canAt(auth, 'interbank.read', n.path)).map((n) => n.id));
  return (id) => visible.has(id);
}

/** GET /api/interbank/coverage: the province's figures; a tier-2 branch reads its own lines only. */
export async function coverageFor(db: DbOrTx, auth: AuthContext, day: string) {
  const figures = await coverageAsOf(db, day);
  const sees = await lineFilter(db, auth);
  return { ...figures, provinceLevel: isBankWide(auth, 'interbank.read'), lines: figures.lines.filter((l) => sees(l.nodeId)) };
}
