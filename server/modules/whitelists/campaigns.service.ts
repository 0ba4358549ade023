import { sql } from 'drizzle-orm';
import { clock } from '../../calendar/index.js';
import { intArray, textArray } from '../../db/arrays.js';
import { type Db, type DbOrTx, rows } from '../../db/client.js';
import { AppError } from '../../errors.js';
import { branchPathOf } from '../../../shared/org-path.js';
import { type AuthContext, canAt } from '../access/context.js';
import { appendAudit } from '../audit/audit.service.js';
import { campaignKindOf, type MatchFacts, matchReason } from './match.rules.js';
import { actorOf, assertBatch, inScope } from './whitelists.access.js';
import { maskIdNo } from './whitelists.rules.js';

/**
 * 部门比对名单: a department (private banking, cards, a corporate department for settlement
 * clients) matches a batch's entries inside its branch against its own clients; the matches become
 * a campaign list owned by the department. Re-running replaces the members (audited with counts).
 */
export async function matchDepartment(db: Db, auth: AuthContext, batchId: number, departmentId: number) {
  return db.transaction(async (tx) => {
    await assertBatch(tx, auth, 'whitelist.manage', batchId);
    const [d] = await rows<{ id: number; name: string; kind: string; nodeId: number; path: string }>(
      tx,
      sql`SELECT d.id, d.name, d.kind, n.id AS "nodeId", n.path FROM departments d JOIN org_nodes n ON n.id = d.node_id WHERE d.id = ${departmentId} AND d.active`,
    );
    if (!d || !canAt(auth, 'whitelist.manage', d.path)) throw new AppError('WL.NODE_NOT_FOUND', { id: departmentId });
    const kind = campaignKindOf(d.kind);
    if (!kind) throw new AppError('WL.DEPARTMENT_KIND', { id: departmentId });
    // The department's branch: the entries of its subtree that the caller may manage.
    const facts = await loadFacts(tx, auth, batchId, branchPathOf(d.path));
    const members = facts.map((f) => ({ entryId: f.entryId, reason: matchReason(kind, f) })).filter((m): m is { entryId: number; reason: string } => !!m.reason);
    const now = clock.now().toISOString();
    const [b] = await rows<{ code: string }>(tx, sql`SELECT code FROM whitelist_batches WHERE id = ${batchId}`);
    const [c] = await rows<{ id: number }>(
      tx,
      sql`INSERT INTO whitelist_campaigns (batch_id, department_id, kind, name, created_by, created_at) VALUES (${batchId}, ${departmentId}, ${kind}, ${`${d.name} × ${b.code}`}, ${auth.staffId}, ${now})
          ON CONFLICT (batch_id, department_id, kind) DO UPDATE SET created_by = excluded.created_by, created_at = excluded.created_at RETURNING id`,
    );
    await tx.execute(sql`DELETE FROM whitelist_campaign_members WHERE campaign_id = ${c.id}`);
    if (members.length)
      await tx.execute(sql`INSERT INTO whitelist_campaign_members (campaign_id, entry_id, reason)
                           SELECT ${c.id}, * FROM unnest(${intArray(members.map((m) => m.entryId))}::int[], ${textArray(members.map((m) => m.reason))}::text[])`);
    await appendAudit(tx, actorOf(auth), {
      action: 'whitelist.campaign.match',
      entity: 'whitelist_campaign',
      entityId: c.id,
      nodeId: d.nodeId,
      after: { batchId, departmentId, kind, checked: facts.length, matched: members.length },
    });
    return { id: c.id, kind, checked: facts.length, matched: members.length };
  });
}

async function loadFacts(tx: DbOrTx, auth: AuthContext, batchId: number, branchPath: string): Promise<(MatchFacts & { entryId: number })[]> {
  const list = await rows<{
    entryId: number;
    idKind: 'uscc' | 'id_card';
    companyId: number | null;
    industryCode: string | null;
    district: string | null;
    people: { name: string; aumFen: number; vipTier: string | null; products: string[] | null }[] | null;
  }>(
    tx,
    sql`SELECT e.id AS "entryId", e.id_kind AS "idKind", c.id AS "companyId", c.industry_code AS "industryCode", c.facts->>'businessDistrict' AS district,
               (SELECT jsonb_agg(jsonb_build_object('name', p.name, 'aumFen', p.aum_fen, 'vipTier', p.vip_tier,
                        'products', (SELECT coalesce(jsonb_agg(h.product_code), '[]'::jsonb) FROM holdings h WHERE h.person_id = p.id)))
                  FROM individuals p
                 WHERE p.id = e.individual_id
                    OR p.id IN (SELECT cp.person_id FROM company_people cp WHERE cp.company_id = e.corporate_client_id AND cp.role IN ('legal_rep', 'shareholder', 'executive') AND cp.until IS NULL)) AS people
          FROM whitelist_entries e JOIN org_nodes n ON n.id = e.outlet_node_id LEFT JOIN corporate_clients c ON c.id = e.corporate_client_id
         WHERE e.batch_id = ${batchId} AND n.path LIKE ${`${branchPath}%`} AND ${inScope(auth, 'whitelist.manage', sql`n.path`)} ORDER BY e.id`,
  );
  return list.map((r) => ({
    entryId: r.entryId,
    idKind: r.idKind,
    company: r.companyId ? { industryCode: r.industryCode, businessDistrict: r.district } : null,
    people: (r.people ?? []).map((p) => ({ name: p.name, aumFen: Number(p.aumFen), vipTier: p.vipTier, products: p.products ?? [] })),
  }));
}

/** Campaign lists whose department's node is in the caller's read scope (the branch and above; an outlet does not read the branch's lists). */
export async function listCampaigns(db: DbOrTx, auth: AuthContext) {
  const list = await rows<{
    id: number;
    batchId: number;
    batchCode: string;
    departmentId: number;
    departmentName: string;
    kind: string;
    name: string;
    members: number;
    createdAt: string;
    path: string;
  }>(
    db,
    sql`SELECT c.id, c.batch_id AS "batchId", b.code AS "batchCode", c.department_id AS "departmentId", d.name AS "departmentName", c.kind, c.name,
               (SELECT count(*)::int FROM whitelist_campaign_members m WHERE m.campaign_id = c.id) AS members,
               to_char(c.created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS "createdAt", n.path
          FROM whitelist_campaigns c JOIN whitelist_batches b ON b.id = c.batch_id JOIN departments d ON d.id = c.department_id JOIN org_nodes n ON n.id = d.node_id
         ORDER BY c.created_at DESC, c.id DESC`,
  );
  return list.filter((c) => canAt(auth, 'whitelist.read', c.path)).map(({ path: _p, ...c }) => c);
}

/** The members of one campaign the caller reaches (masked identifiers). */
export async function campaignMembers(db: DbOrTx, auth: AuthContext, id: number) {
  const [c] = (await listCampaigns(db, auth)).filter((x) => x.id === id);
  if (!c) throw new AppError('WL.CAMPAIGN_NOT_FOUND', { id });
  const items = await rows<{
    entryId: number;
    clientName: string;
    idNo: string;
    amountFen: number;
    product: string;
    status: string;
    nodeName: string | null;
    staffName: string | null;
    reason: string;
  }>(
    db,
    sql`SELECT e.id AS "entryId", e.client_name AS "clientName", e.id_no AS "idNo", e.amount_fen AS "amountFen", e.product, e.status, n.name AS "nodeName", s.name AS "staffName", m.reason
          FROM whitelist_campaign_members m JOIN whitelist_entries e ON e.id = m.entry_id LEFT JOIN org_nodes n ON n.id = e.outlet_node_id LEFT JOIN staff s ON s.id = e.staff_id
         WHERE m.campaign_id = ${id} ORDER BY e.amount_fen DESC, e.id`,
  );
  return { ...c, items: items.map((r) => ({ ...r, amountFen: Number(r.amountFen), idNo: maskIdNo(r.idNo) })) };
}
