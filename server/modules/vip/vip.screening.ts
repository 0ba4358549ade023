import { type SQL, sql } from 'drizzle-orm';
import { type Db, type DbOrTx, rows } from '../../db/client.js';
import { intArray, textArray } from '../../db/arrays.js';
import { inPaths } from '../../db/org-paths.js';
import { type AuthContext, scopePaths } from '../access/context.js';
import { appendAudit } from '../audit/audit.service.js';
import { getSetting } from '../settings/settings.routes.js';
import { reachedPeople } from './vip.access.js';
import { closenessBp, nearTier, qualifyingTier, rankNear, tiersInForce } from './vip.rules.js';
import { actorOf, allTierVersions, type TierRow } from './vip.tiers.js';

/** A person's facts on a day: AUM (分, the recorded 金融资产) and the product codes held then. */
export interface Facts {
  personId: number;
  name: string;
  nodeName: string;
  aumFen: number;
  /** Distinct products held on the day. */
  productCount: number;
  /** Of the codes held, those some tier requires. */
  products: string[];
}

/**
 * AUM is the person's 金融资产 as the bank records it (individuals.aum_fen, kept by the individuals
 * import from core banking); the holdings give the products held on the day (since ≤ day) for the
 * tiers' other criteria (产品覆盖度, a required product). Decision 0031. One set-based query over the
 * people `where` selects (alias i): the count of distinct products and, of the codes, only those a
 * tier requires — what the rules read, no more (bench: the 临界 list at province scale).
 */
export async function factsWhere(db: DbOrTx, where: SQL, day: string, required: readonly string[], extra: SQL = sql`NULL::text`): Promise<(Facts & { extra: string | null })[]> {
  return rows<Facts & { extra: string | null }>(
    db,
    sql`SELECT i.id AS "personId", i.name, n.name AS "nodeName", i.aum_fen::float8 AS "aumFen", count(DISTINCT h.product_code)::int AS "productCount",
               coalesce(array_agg(DISTINCT upper(h.product_code)) FILTER (WHERE upper(h.product_code) = ANY(${textArray([...required])}::text[])), '{}') AS products, ${extra} AS extra
          FROM individuals i JOIN org_nodes n ON n.id = i.node_id
          LEFT JOIN holdings h ON h.person_id = i.id AND (h.since IS NULL OR h.since <= ${day}::date)
         WHERE ${where} GROUP BY i.id, n.name`,
  );
}

/** The facts of the given people on the day, by id. */
export async function factsOf(db: DbOrTx, personIds: readonly number[], day: string, required: readonly string[]): Promise<Map<number, Facts>> {
  const out = new Map<number, Facts>();
  for (let i = 0; i < personIds.length; i += 5000) {
    const got = await factsWhere(db, sql`i.id = ANY(${intArray(personIds.slice(i, i + 5000))}::int[])`, day, required);
    for (const f of got) out.set(f.personId, f);
  }
  return out;
}

/** The product codes the tiers require (what factsWhere must report by code). */
export const requiredCodes = (tiers: readonly { requiredProductCode: string | null }[]): string[] => [...new Set(tiers.flatMap((t) => (t.requiredProductCode ? [t.requiredProductCode] : [])))];

interface Reached {
  personId: number;
  projectId: number;
  projectName: string;
  projectNodeId: number;
  registered: boolean;
}

/** Everyone reached by the projects in scope, once per person (the first project that reached them). */
async function reached(db: DbOrTx, auth: AuthContext, perm: 'vip.read' | 'vip.manage', projectId?: number): Promise<Reached[]> {
  return rows<Reached>(
    db,
    sql`SELECT DISTINCT ON (r.person_id) r.person_id AS "personId", r.project_id AS "projectId", p.name AS "projectName", p.node_id AS "projectNodeId",
               EXISTS (SELECT 1 FROM vip_registrations g WHERE g.person_id = r.person_id AND g.status = 'active') AS registered
          FROM (${reachedPeople(auth, perm, projectId)}) r JOIN projects p ON p.id = r.project_id
         ORDER BY r.person_id, r.project_id`,
  );
}

/** Screens the people reached against the tiers in force on the day (rules, not SQL: one place). */
export async function screen(db: DbOrTx, auth: AuthContext, perm: 'vip.read' | 'vip.manage', day: string, projectId?: number) {
  const tiers = tiersInForce(await allTierVersions(db), day);
  const people = await reached(db, auth, perm, projectId);
  const facts = await factsOf(
    db,
    people.map((p) => p.personId),
    day,
    requiredCodes(tiers),
  );
  return people.flatMap((p) => {
    const f = facts.get(p.personId);
    if (!f) return [];
    const tier: TierRow | null = qualifyingTier(tiers, f);
    return [{ ...p, ...f, products: f.productCount, tier }];
  });
}

/** GET /api/vip/screening: the live result, qualifying and not yet registered first by AUM. */
export async function screeningList(db: DbOrTx, auth: AuthContext, q: { projectId?: number; show: 'qualifying' | 'all'; page: number; pageSize: number }, day: string) {
  const all = await screen(db, auth, 'vip.read', day, q.projectId);
  const qualifying = all.filter((r) => r.tier && !r.registered);
  const list = (q.show === 'qualifying' ? qualifying : all).sort((a, b) => Number(!!b.tier) - Number(!!a.tier) || b.aumFen - a.aumFen || a.personId - b.personId);
  const page = list.slice((q.page - 1) * q.pageSize, q.page * q.pageSize);
  return {
    asOf: day,
    qualifying: qualifying.length,
    total: list.length,
    page: q.page,
    pageSize: q.pageSize,
    items: page.map((r) => ({
      personId: r.personId,
      name: r.name,
      projectId: r.projectId,
      projectName: r.projectName,
      nodeName: r.nodeName,
      aumFen: r.aumFen,
      products: r.products,
      tierCode: r.tier?.code ?? null,
      tierName: r.tier?.nameZh ?? null,
      requiredGrade: r.tier?.requiredGrade ?? null,
      registered: r.registered,
    })),
  };
}

/** POST /api/vip/screening: keeps the day's result per person and project (筛选结果); audited once. */
export async function runScreening(db: Db, auth: AuthContext, projectId: number | undefined, day: string, now: Date) {
  return db.transaction(async (tx) => {
    const list = await screen(tx, auth, 'vip.manage', day, projectId);
    let written = 0;
    for (let i = 0; i < list.length; i += 2000) {
      const s = list.slice(i, i + 2000);
      const out = await rows<{ id: number }>(
        tx,
        sql`INSERT INTO vip_screenings (person_id, project_id, node_id, screened_on, aum_fen, products, tier_id, tier_code, screened_by, screened_at)
            SELECT x.person, x.project, x.node, ${day}::date, x.aum, x.products, x.tier, t.code, ${auth.staffId}::int, ${now.toISOString()}::timestamptz
              FROM unnest(${intArray(s.map((r) => r.personId))}::int[], ${intArray(s.map((r) => r.projectId))}::int[], ${intArray(s.map((r) => r.projectNodeId))}::int[],
                          ${`{${s.map((r) => r.aumFen).join(',')}}`}::bigint[], ${intArray(s.map((r) => r.products))}::int[], ${intArray(s.map((r) => r.tier?.id ?? null))}::int[])
                   AS x(person, project, node, aum, products, tier)
              LEFT JOIN vip_tiers t ON t.id = x.tier
            ON CONFLICT (person_id, project_id, screened_on) DO UPDATE SET aum_fen = excluded.aum_fen, products = excluded.products, tier_id = excluded.tier_id,
               tier_code = excluded.tier_code, screened_by = excluded.screened_by, screened_at = excluded.screened_at
            RETURNING id`,
      );
      written += out.length;
    }
    const qualifying = list.filter((r) => r.tier && !r.registered).length;
    await appendAudit(tx, actorOf(auth), {
      action: 'vip.screen',
      entity: 'vip_screening',
      entityId: projectId ?? 0,
      nodeId: auth.nodeId,
      after: { day, projectId: projectId ?? null, screened: list.length, qualifying },
    });
    return { asOf: day, screened: list.length, qualifying, written };
  });
}

/**
 * 临界区间客户: individuals in the caller's scope whose AUM is within the band under a tier above
 * theirs, nearest first. SQL narrows to AUM inside some band (an index range per tier); the rules
 * decide the rest (current tier, which tier, the gap) so the list and the unit tests agree.
 */
export async function nearList(db: DbOrTx, auth: AuthContext, day: string, tierCode?: string) {
  const band = await getSetting(db, 'vip.nearBandPercent');
  const tiers = tiersInForce(await allTierVersions(db), day);
  if (!tiers.length) return { band, rows: [] };
  const ranges = tiers.map((t) => sql`(i.aum_fen >= ${Math.ceil((t.aumThresholdFen * band) / 100)} AND i.aum_fen < ${t.aumThresholdFen})`);
  const facts = await factsWhere(
    db,
    sql`(${sql.join(ranges, sql` OR `)}) AND ${inPaths(sql`n.path`, scopePaths(auth, 'vip.read'))}`,
    day,
    requiredCodes(tiers),
    sql`(SELECT s.name FROM staff s WHERE s.id = i.dedicated_am_id)`,
  );
  const out = [];
  for (const f of facts) {
    const current = qualifyingTier(tiers, f);
    const near = nearTier(tiers, f, band, current);
    if (!near || (tierCode && near.tier.code !== tierCode.toUpperCase())) continue;
    out.push({
      personId: f.personId,
      name: f.name,
      nodeName: f.nodeName,
      aumFen: f.aumFen,
      currentTierCode: current?.code ?? null,
      currentTierName: current?.nameZh ?? null,
      nearTierCode: near.tier.code,
      nearTierName: near.tier.nameZh,
      thresholdFen: near.tier.aumThresholdFen,
      gapFen: near.gapFen,
      closenessBp: closenessBp(f.aumFen, near.tier.aumThresholdFen),
      amName: f.extra,
    });
  }
  return { band, rows: rankNear(out).map((r, i) => ({ rank: i + 1, ...r })) };
}
