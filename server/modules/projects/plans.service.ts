import { sql } from 'drizzle-orm';
import type { z } from 'zod';
import { beijingDay } from '../../calendar/index.js';
import { type Db, type DbOrTx, rows } from '../../db/client.js';
import { AppError } from '../../errors.js';
import type { AuthContext } from '../access/context.js';
import { appendAudit } from '../audit/audit.service.js';
import { notify, recipients } from '../notifications/notifications.service.js';
import { assertMayWork, loadProject, visibleProjects } from './projects.access.js';
import { allocationProblem, PLAN_TEMPLATES } from './projects.rules.js';
import type { FeedbackBody, HandoverBody, HandoverQuery, PlanBody } from './projects.schemas.js';
import { actorOf } from './projects.service.js';

const iso = (v: Date | string) => new Date(v).toISOString();

// ---- 营销方案 ------------------------------------------------------------------------------------

export const planTemplates = () => ({ items: PLAN_TEMPLATES.map((t) => ({ ...t, bundle: [...t.bundle], allocation: { ...t.allocation } as Record<string, number> })) });

async function productsByCode(tx: DbOrTx, codes: string[]) {
  const found = await rows<{ id: number; code: string; name: string }>(
    tx,
    sql`SELECT id, code, name FROM products WHERE active AND code = ANY(${`{${codes.map((c) => `"${c.replace(/"/g, '')}"`).join(',')}}`}::text[])`,
  );
  const by = new Map(found.map((p) => [p.code, p]));
  for (const c of codes) if (!by.has(c)) throw new AppError('PLAN.BAD_PRODUCT', { code: c });
  return by;
}

/**
 * Writes a plan for one of the unit's people from a template (Art. 12). A plan is never edited: a
 * change is the next version, so what was proposed to a client on a date stays on record.
 */
export async function writePlan(db: Db, auth: AuthContext, projectId: number, b: z.infer<typeof PlanBody>, now: Date) {
  if (!PLAN_TEMPLATES.some((t) => t.code === b.templateCode)) throw new AppError('PLAN.BAD_TEMPLATE');
  const problem = allocationProblem(b.allocation);
  if (problem) throw new AppError(problem);
  return db.transaction(async (tx) => {
    const p = await loadProject(tx, auth, projectId, true);
    assertMayWork(auth, p);
    const [linked] = await rows<{ ok: number }>(tx, sql`SELECT 1 AS ok FROM company_people WHERE company_id = ${p.companyId} AND person_id = ${b.personId} LIMIT 1`);
    if (!linked) throw new AppError('ACTIVITY.NOT_UNIT_PERSON', { missing: [b.personId] });
    const codes = [...new Set([b.anchorProductCode, ...b.bundleProductCodes])];
    const by = await productsByCode(tx, codes);
    const [{ next }] = await rows<{ next: number }>(tx, sql`SELECT coalesce(max(version), 0)::int + 1 AS next FROM marketing_plans WHERE project_id = ${projectId} AND person_id = ${b.personId}`);
    const bundle = b.bundleProductCodes.filter((c) => c !== b.anchorProductCode).map((c) => by.get(c)!.id);
    const [r] = await rows<{ id: number }>(
      tx,
      sql`INSERT INTO marketing_plans (project_id, person_id, segment, template_code, anchor_product_id, bundle_product_ids, allocation, advice, version, created_by, created_at)
          VALUES (${projectId}, ${b.personId}, ${b.segment}, ${b.templateCode}, ${by.get(b.anchorProductCode)!.id}, ${`{${bundle.join(',')}}`}::int[],
                  ${JSON.stringify(b.allocation)}::jsonb, ${b.advice}, ${next}, ${auth.staffId}, ${now.toISOString()}) RETURNING id`,
    );
    await appendAudit(tx, actorOf(auth), { action: 'plan.write', entity: 'marketing_plan', entityId: r.id, nodeId: p.nodeId, after: { ...b, version: next } });
    const [out] = await plansOf(tx, projectId, r.id);
    return out;
  });
}

export async function plansOf(db: DbOrTx, projectId: number, id?: number) {
  const list = await rows<{
    id: number;
    projectId: number;
    personId: number;
    personName: string;
    segment: 'executive' | 'middle_manager' | 'high_end';
    templateCode: string;
    anchorCode: string;
    anchorName: string;
    bundle: { code: string; name: string }[] | null;
    allocation: Record<string, number>;
    advice: string;
    version: number;
    createdBy: string | null;
    createdAt: Date | string;
  }>(
    db,
    sql`SELECT m.id, m.project_id AS "projectId", m.person_id AS "personId", i.name AS "personName", m.segment, m.template_code AS "templateCode",
               a.code AS "anchorCode", a.name AS "anchorName",
               (SELECT json_agg(json_build_object('code', b.code, 'name', b.name) ORDER BY array_position(m.bundle_product_ids, b.id)) FROM products b WHERE b.id = ANY(m.bundle_product_ids)) AS bundle,
               m.allocation, m.advice, m.version, s.name AS "createdBy", m.created_at AS "createdAt"
          FROM marketing_plans m JOIN individuals i ON i.id = m.person_id JOIN products a ON a.id = m.anchor_product_id LEFT JOIN staff s ON s.id = m.created_by
         WHERE m.project_id = ${projectId} ${id ? sql`AND m.id = ${id}` : sql``}
         ORDER BY m.person_id, m.version DESC`,
  );
  return list.map(({ anchorCode, anchorName, bundle, ...m }) => ({ ...m, anchorProduct: { code: anchorCode, name: anchorName }, bundle: bundle ?? [], createdAt: iso(m.createdAt) }));
}

export async function listPlans(db: DbOrTx, auth: AuthContext, projectId: number) {
  await loadProject(db, auth, projectId);
  return { items: await plansOf(db, projectId) };
}

// ---- 售后移交 (Art. 14) ----------------------------------------------------------------------------

/** Who may receive a hand-over: active account managers of the project's co-organising outlet. */
export async function receivers(db: DbOrTx, auth: AuthContext, projectId: number) {
  const p = await loadProject(db, auth, projectId);
  const items = await rows<{ staffId: number; staffNo: string; name: string; nodeName: string }>(
    db,
    sql`SELECT s.id AS "staffId", s.staff_no AS "staffNo", s.name, n.name AS "nodeName" FROM staff s JOIN org_nodes n ON n.id = s.node_id
         WHERE s.active AND n.path LIKE ${`${p.coOutletPath}%`}
           AND EXISTS (SELECT 1 FROM staff_roles sr JOIN roles r ON r.code = sr.role_code WHERE sr.staff_id = s.id AND r.code <> 'admin' AND r.permissions @> '["project.work"]'::jsonb)
         ORDER BY s.staff_no`,
  );
  return { items };
}

/**
 * A won client is handed to an outlet account manager with a follow-up task (Art. 14). One
 * hand-over per lead; the receiver is notified; the feedback closes it.
 */
export async function handOver(db: Db, auth: AuthContext, b: z.infer<typeof HandoverBody>, now: Date) {
  return db.transaction(async (tx) => {
    const [l] = await rows<{
      id: number;
      projectId: number | null;
      stage: string;
      saleId: number | null;
      personId: number | null;
      companyId: number | null;
      ownerStaffId: number | null;
      contactName: string;
    }>(
      tx,
      sql`SELECT id, project_id AS "projectId", stage, sale_id AS "saleId", person_id AS "personId", company_id AS "companyId", owner_staff_id AS "ownerStaffId", contact_name AS "contactName"
            FROM leads WHERE id = ${b.leadId} FOR UPDATE`,
    );
    if (!l || !l.projectId) throw new AppError('HANDOVER.NOT_WON');
    const p = await loadProject(tx, auth, l.projectId);
    assertMayWork(auth, p, false);
    if (l.stage !== 'won') throw new AppError('HANDOVER.NOT_WON');
    const ok = (await receivers(tx, auth, p.id)).items.some((r) => r.staffId === b.toStaffId);
    if (!ok) throw new AppError('HANDOVER.BAD_RECEIVER');
    if (b.dueOn < beijingDay(now)) throw new AppError('REQUEST.INVALID', { field: 'dueOn' });
    const r = await rows<{ id: number }>(
      tx,
      sql`INSERT INTO handovers (project_id, lead_id, sale_id, person_id, company_id, node_id, outlet_node_id, from_staff_id, to_staff_id, task, due_on, created_by, created_at)
          VALUES (${p.id}, ${l.id}, ${l.saleId}, ${l.personId}, ${l.companyId}, ${p.nodeId}, ${p.coOutletNodeId}, ${l.ownerStaffId ?? auth.staffId}, ${b.toStaffId}, ${b.task}, ${b.dueOn},
                  ${auth.staffId}, ${now.toISOString()})
          ON CONFLICT (lead_id) WHERE lead_id IS NOT NULL DO NOTHING RETURNING id`,
    );
    if (!r.length) throw new AppError('HANDOVER.DONE');
    await appendAudit(tx, actorOf(auth), { action: 'handover.create', entity: 'handover', entityId: r[0].id, nodeId: p.nodeId, after: b });
    await notify(tx, recipients.one(b.toStaffId), {
      kind: 'handover.assigned',
      titleZh: `售后移交：${l.contactName}（${b.task}，请于${b.dueOn}前反馈）`,
      titleEn: `Hand-over: ${l.contactName} (${b.task}, feedback by ${b.dueOn})`,
      link: '/handovers',
      nodeId: p.nodeId,
    });
    const [out] = await handovers(tx, auth, { view: 'all', projectId: p.id }, now, r[0].id);
    return out;
  });
}

/** The receiver records the follow-up's feedback; the hand-over is done. */
export async function recordFeedback(db: Db, auth: AuthContext, id: number, b: z.infer<typeof FeedbackBody>, now: Date) {
  return db.transaction(async (tx) => {
    const [h] = await rows<{ toStaffId: number; status: string; nodeId: number }>(tx, sql`SELECT to_staff_id AS "toStaffId", status, node_id AS "nodeId" FROM handovers WHERE id = ${id} FOR UPDATE`);
    if (!h || h.toStaffId !== auth.staffId) throw new AppError(h ? 'HANDOVER.NOT_RECEIVER' : 'HANDOVER.NOT_FOUND');
    if (h.status === 'done') throw new AppError('HANDOVER.DONE');
    await tx.execute(sql`UPDATE handovers SET status = 'done', feedback = ${b.feedback}, done_at = ${now.toISOString()} WHERE id = ${id}`);
    await appendAudit(tx, actorOf(auth), {
      action: 'handover.feedback',
      entity: 'handover',
      entityId: id,
      nodeId: h.nodeId,
      before: { status: 'open' },
      after: { status: 'done', feedback: b.feedback },
    });
    const [out] = await handovers(tx, auth, { view: 'mine' }, now, id);
    return out;
  });
}

/** Mine (received), or all of the projects the caller reads; overdue = open past its due day. */
export async function handovers(db: DbOrTx, auth: AuthContext, q: z.infer<typeof HandoverQuery>, now: Date, id?: number) {
  const today = beijingDay(now);
  const scope =
    q.view === 'mine'
      ? sql`h.to_staff_id = ${auth.staffId}`
      : sql`(h.to_staff_id = ${auth.staffId} OR h.project_id IN (SELECT p.id FROM projects p JOIN org_nodes n ON n.id = p.node_id JOIN org_nodes o ON o.id = p.co_outlet_node_id WHERE ${visibleProjects(auth)}))`;
  const list = await rows<{
    id: number;
    projectId: number | null;
    projectName: string | null;
    leadId: number | null;
    saleId: number | null;
    clientName: string;
    outletName: string;
    fromName: string | null;
    toStaffId: number;
    toName: string;
    task: string;
    dueOn: string;
    status: 'open' | 'done';
    feedback: string | null;
    doneAt: Date | string | null;
    createdAt: Date | string;
  }>(
    db,
    sql`SELECT h.id, h.project_id AS "projectId", p.name AS "projectName", h.lead_id AS "leadId", h.sale_id AS "saleId", coalesce(i.name, c.name) AS "clientName",
               o.name AS "outletName", f.name AS "fromName", h.to_staff_id AS "toStaffId", t.name AS "toName", h.task, h.due_on::text AS "dueOn", h.status, h.feedback,
               h.done_at AS "doneAt", h.created_at AS "createdAt"
          FROM handovers h LEFT JOIN projects p ON p.id = h.project_id LEFT JOIN individuals i ON i.id = h.person_id LEFT JOIN corporate_clients c ON c.id = h.company_id
          JOIN org_nodes o ON o.id = h.outlet_node_id LEFT JOIN staff f ON f.id = h.from_staff_id JOIN staff t ON t.id = h.to_staff_id
         WHERE ${scope} ${q.projectId ? sql`AND h.project_id = ${q.projectId}` : sql``} ${id ? sql`AND h.id = ${id}` : sql``}
         ORDER BY h.status, h.due_on, h.id`,
  );
  return list.map((h) => ({ ...h, overdue: h.status === 'open' && h.dueOn < today, doneAt: h.doneAt === null ? null : iso(h.doneAt), createdAt: iso(h.createdAt) }));
}
