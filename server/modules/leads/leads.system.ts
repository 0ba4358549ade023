import { sql } from 'drizzle-orm';
import { type DbOrTx, rows } from '../../db/client.js';
import { intArray, textArray } from '../../db/arrays.js';
import { clock } from '../../calendar/index.js';
import { appendAudit, type AuditEntryInput, SYSTEM_ACTOR } from '../audit/audit.service.js';
import { assignLeads, type LeadSource } from './leads.rules.js';
import { assigneesForAssignment } from './leads.service.js';
import { pushAll } from '../../../shared/numbers.js';

/** What the system needs to make a lead nobody typed (a survey's answers). */
export interface SystemLeadIn {
  /** The branch the lead belongs to (the project's); the product's host department there works it. */
  nodeId: number;
  productCode: string;
  personId: number | null;
  companyId: number | null;
  contactName: string;
  source: LeadSource;
  /** Makes the lead once: the same key never makes a second lead. */
  sourceKey: string;
  note: string | null;
  projectId: number | null;
  activityId: number | null;
}

/**
 * A lead the system makes, inside the caller's transaction: routed like a hand-made one — product
 * line → the product's host department in the branch (or above it) → an account manager by the
 * capacity rule, else the department's pool — and audited as the system. Returns the lead's id, or
 * null when the key was used already or the branch has no such department. With `audit`, the entry
 * is handed back there for the caller to append with its own.
 */
export async function createSystemLead(tx: DbOrTx, b: SystemLeadIn, now: Date, audit?: AuditEntryInput[]): Promise<number | null> {
  const [id] = await createSystemLeads(tx, [{ ...b, now }], audit);
  return id;
}

/**
 * Many system leads at once, set-based (the survey's group commit, decision 0030): each (product,
 * branch) routed once — the product, its host department — the account managers of each department
 * read once and shared out by the capacity rule in the list's order, as if the leads were made one
 * after the other; then one statement writes the leads with their holders, their history and the
 * holders' notifications. Ids in the list's order (null: key used already, or no such product or
 * department in the branch; a key already used still took its turn in the sharing out — a
 * survey's keys are new). The audit entries go to `audit` when given, else are appended here.
 */
export async function createSystemLeads(tx: DbOrTx, list: (SystemLeadIn & { now: Date })[], audit?: AuditEntryInput[]): Promise<(number | null)[]> {
  const out: (number | null)[] = list.map(() => null);
  if (list.length === 0) return out;
  // Each (product, branch) of the list once: the product, and its host department nearest above the branch.
  const pairKey = (code: string, nodeId: number) => `${code.toUpperCase()}@${nodeId}`;
  const pairs = new Map(list.map((b) => [pairKey(b.productCode, b.nodeId), { code: b.productCode.toUpperCase(), nodeId: b.nodeId }]));
  const wanted = [...pairs.values()];
  const routes = new Map<string, { productId: number; deptId: number; deptNodeId: number }>();
  for (const r of await rows<{ code: string; node: number; productId: number; deptId: number; deptNodeId: number }>(
    tx,
    sql`SELECT q.code, q.node, p.id AS "productId", d.id AS "deptId", d.node_id AS "deptNodeId"
          FROM unnest(${textArray(wanted.map((w) => w.code))}::text[], ${intArray(wanted.map((w) => w.nodeId))}::int[]) AS q(code, node)
          CROSS JOIN LATERAL (SELECT id, host_department_code FROM products WHERE upper(code) = q.code ORDER BY id LIMIT 1) p
          CROSS JOIN LATERAL (SELECT d.id, d.node_id FROM departments d JOIN org_nodes n ON n.id = d.node_id
                               WHERE d.active AND upper(d.code) = upper(p.host_department_code) AND (SELECT path FROM org_nodes WHERE id = q.node) LIKE n.path || '%'
                               ORDER BY length(n.path) DESC LIMIT 1) d`,
  ))
    routes.set(pairKey(r.code, r.node), r);
  // A key twice in the list: its first row makes the lead.
  const keys = new Set<string>();
  const ready = list.flatMap((b, i) => {
    const route = routes.get(pairKey(b.productCode, b.nodeId));
    if (!route || keys.has(b.sourceKey)) return [];
    keys.add(b.sourceKey);
    return [{ i, b, dept: { id: route.deptId, nodeId: route.deptNodeId }, productId: route.productId, at: b.now.toISOString() }];
  });
  if (ready.length === 0) return out;
  // The capacity rule per department, over the department's new leads in the list's order.
  const owner = new Map<number, number | null>();
  for (const deptId of new Set(ready.map((r) => r.dept.id))) {
    const mine = ready.filter((r) => r.dept.id === deptId);
    const to = assignLeads(mine.length, await assigneesForAssignment(tx, deptId));
    mine.forEach((r, k) => owner.set(r.i, to[k]));
  }
  // One statement: the leads, their history (created, then assigned) and each holder's notification (as notifications.notify writes it).
  const made = await rows<{ id: number; key: string }>(
    tx,
    sql`WITH ins AS (
          INSERT INTO leads (node_id, department_id, owner_staff_id, product_id, person_id, company_id, contact_name, source, source_key, note, project_id, activity_id, created_by, created_at, touched_at)
          SELECT node, dept, owner, product, person, company, name, source, key, note, project, activity, NULL, at, at
            FROM unnest(${intArray(ready.map((r) => r.dept.nodeId))}::int[], ${intArray(ready.map((r) => r.dept.id))}::int[], ${intArray(ready.map((r) => owner.get(r.i)))}::int[],
                        ${intArray(ready.map((r) => r.productId))}::int[], ${intArray(ready.map((r) => r.b.personId))}::int[], ${intArray(ready.map((r) => r.b.companyId))}::int[],
                        ${textArray(ready.map((r) => r.b.contactName))}::text[], ${textArray(ready.map((r) => r.b.source))}::text[], ${textArray(ready.map((r) => r.b.sourceKey))}::text[],
                        ${textArray(ready.map((r) => r.b.note))}::text[], ${intArray(ready.map((r) => r.b.projectId))}::int[], ${intArray(ready.map((r) => r.b.activityId))}::int[],
                        ${textArray(ready.map((r) => r.at))}::timestamptz[])
                 WITH ORDINALITY AS v(node, dept, owner, product, person, company, name, source, key, note, project, activity, at, k)
           ORDER BY k
          ON CONFLICT (source_key) DO NOTHING
          RETURNING id, node_id, owner_staff_id, contact_name, source, source_key, created_at),
        ev AS (
          INSERT INTO lead_events (lead_id, at, actor_staff_id, kind, detail)
          SELECT ins.id, ins.created_at, NULL, e.kind, e.detail
            FROM ins CROSS JOIN LATERAL (VALUES (1, 'created', jsonb_build_object('source', ins.source, 'sourceKey', ins.source_key)),
                                                (2, 'assigned', jsonb_build_object('staffId', ins.owner_staff_id, 'why', 'rule'))) AS e(o, kind, detail)
           WHERE e.o = 1 OR ins.owner_staff_id IS NOT NULL
           ORDER BY ins.id, e.o),
        told AS (
          INSERT INTO notifications (staff_id, kind, title_zh, title_en, link, node_id, created_at)
          SELECT owner_staff_id, 'lead.assigned', '新商机：' || contact_name || '（请在3天内跟进）', 'New lead: ' || contact_name || ' (follow up within 3 days)', '/leads/' || id, node_id,
                 ${clock.now().toISOString()}::timestamptz
            FROM ins WHERE owner_staff_id IS NOT NULL ORDER BY id)
        SELECT id, source_key AS key FROM ins`,
  );
  const idOf = new Map(made.map((m) => [m.key, m.id]));
  const fresh = ready.filter((r) => idOf.has(r.b.sourceKey));
  for (const r of fresh) out[r.i] = idOf.get(r.b.sourceKey)!;
  const entries: AuditEntryInput[] = fresh.map((r) => ({
    action: 'lead.create',
    entity: 'lead',
    entityId: out[r.i]!,
    nodeId: r.dept.nodeId,
    after: {
      source: r.b.source,
      sourceKey: r.b.sourceKey,
      productCode: r.b.productCode.toUpperCase(),
      departmentId: r.dept.id,
      ownerStaffId: owner.get(r.i) ?? null,
      projectId: r.b.projectId,
      activityId: r.b.activityId,
    },
  }));
  if (audit) pushAll(audit, entries);
  else await appendAudit(tx, SYSTEM_ACTOR, entries);
  return out;
}
