import { sql } from 'drizzle-orm';
import { type DbOrTx, rows } from '../../db/client.js';
import { intArray, textArray } from '../../db/arrays.js';
import { clock } from '../../calendar/index.js';
import { appendAudit, type AuditEntryInput, SYSTEM_ACTOR } from '../audit/audit.service.js';
import { assignLeads, type LeadSource } from './leads.rules.js';
import { assigneesOf } from './leads.service.js';
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
 * Many system leads at once, set-based (the survey's group commit, decision 0030): each product and
 * each (host department, branch) looked up once, the assignees of each department read once and
 * shared out by the capacity rule in the list's order — as if made one after the other — and every
 * insert one statement. Ids in the list's order (null: key used already, or no such product or
 * department in the branch). The audit entries go to `audit` when given, else are appended here.
 */
export async function createSystemLeads(tx: DbOrTx, list: (SystemLeadIn & { now: Date })[], audit?: AuditEntryInput[]): Promise<(number | null)[]> {
  const out: (number | null)[] = list.map(() => null);
  if (list.length === 0) return out;
  const codes = [...new Set(list.map((b) => b.productCode.toUpperCase()))];
  const products = new Map<string, { id: number; hostCode: string }>();
  for (const p of await rows<{ code: string; id: number; hostCode: string }>(
    tx,
    sql`SELECT upper(code) AS code, id, host_department_code AS "hostCode" FROM products WHERE upper(code) = ANY(${textArray(codes)}::text[]) ORDER BY id`,
  ))
    if (!products.has(p.code)) products.set(p.code, p);
  // The host department nearest above the branch, for each (host code, branch) of the list.
  const pairKey = (host: string, nodeId: number) => `${host.toUpperCase()}@${nodeId}`;
  const pairs = new Map<string, { host: string; nodeId: number }>();
  for (const b of list) {
    const p = products.get(b.productCode.toUpperCase());
    if (p) pairs.set(pairKey(p.hostCode, b.nodeId), { host: p.hostCode, nodeId: b.nodeId });
  }
  const wanted = [...pairs.values()];
  const depts = new Map<string, { id: number; nodeId: number }>();
  if (wanted.length)
    for (const d of await rows<{ host: string; node: number; id: number; nodeId: number }>(
      tx,
      sql`SELECT q.host, q.node, d.id, d.node_id AS "nodeId"
            FROM unnest(${textArray(wanted.map((w) => w.host))}::text[], ${intArray(wanted.map((w) => w.nodeId))}::int[]) AS q(host, node)
            CROSS JOIN LATERAL (SELECT d.id, d.node_id FROM departments d JOIN org_nodes n ON n.id = d.node_id
                                 WHERE d.active AND upper(d.code) = upper(q.host) AND (SELECT path FROM org_nodes WHERE id = q.node) LIKE n.path || '%'
                                 ORDER BY length(n.path) DESC LIMIT 1) d`,
    ))
      depts.set(pairKey(d.host, d.node), { id: d.id, nodeId: d.nodeId });
  const ready = list.flatMap((b, i) => {
    const product = products.get(b.productCode.toUpperCase());
    const dept = product ? depts.get(pairKey(product.hostCode, b.nodeId)) : undefined;
    return product && dept ? [{ i, b, product, dept, at: b.now.toISOString() }] : [];
  });
  if (ready.length === 0) return out;
  const made = await rows<{ id: number; key: string }>(
    tx,
    sql`INSERT INTO leads (node_id, department_id, product_id, person_id, company_id, contact_name, source, source_key, note, project_id, activity_id, created_by, created_at, touched_at)
        SELECT node, dept, product, person, company, name, source, key, note, project, activity, NULL, at, at
          FROM unnest(${intArray(ready.map((r) => r.dept.nodeId))}::int[], ${intArray(ready.map((r) => r.dept.id))}::int[], ${intArray(ready.map((r) => r.product.id))}::int[],
                      ${intArray(ready.map((r) => r.b.personId))}::int[], ${intArray(ready.map((r) => r.b.companyId))}::int[], ${textArray(ready.map((r) => r.b.contactName))}::text[],
                      ${textArray(ready.map((r) => r.b.source))}::text[], ${textArray(ready.map((r) => r.b.sourceKey))}::text[], ${textArray(ready.map((r) => r.b.note))}::text[],
                      ${intArray(ready.map((r) => r.b.projectId))}::int[], ${intArray(ready.map((r) => r.b.activityId))}::int[], ${textArray(ready.map((r) => r.at))}::timestamptz[])
               WITH ORDINALITY AS v(node, dept, product, person, company, name, source, key, note, project, activity, at, k)
         ORDER BY k
        ON CONFLICT (source_key) DO NOTHING RETURNING id, source_key AS key`,
  );
  const idOf = new Map(made.map((m) => [m.key, m.id]));
  // A key twice in the list: its first row made the lead.
  const fresh = ready.filter((r) => {
    const id = idOf.get(r.b.sourceKey);
    if (id === undefined) return false;
    idOf.delete(r.b.sourceKey);
    out[r.i] = id;
    return true;
  });
  if (fresh.length === 0) return out;
  await tx.execute(
    sql`INSERT INTO lead_events (lead_id, at, actor_staff_id, kind, detail)
        SELECT id, at, NULL, 'created', detail::jsonb FROM unnest(${intArray(fresh.map((r) => out[r.i]))}::int[], ${textArray(fresh.map((r) => r.at))}::timestamptz[],
                                                                 ${textArray(fresh.map((r) => JSON.stringify({ source: r.b.source, sourceKey: r.b.sourceKey })))}::text[])
                                                          WITH ORDINALITY AS v(id, at, detail, k) ORDER BY k`,
  );
  // The capacity rule per department, over the department's new leads in the list's order.
  const owner = new Map<number, number | null>();
  for (const deptId of new Set(fresh.map((r) => r.dept.id))) {
    const mine = fresh.filter((r) => r.dept.id === deptId);
    const to = assignLeads(mine.length, await assigneesOf(tx, deptId));
    mine.forEach((r, k) => owner.set(r.i, to[k]));
  }
  const held = fresh.filter((r) => owner.get(r.i) != null);
  if (held.length) {
    const ids = intArray(held.map((r) => out[r.i]));
    const staff = intArray(held.map((r) => owner.get(r.i)));
    const ats = textArray(held.map((r) => r.at));
    await tx.execute(
      sql`UPDATE leads l SET owner_staff_id = v.staff, touched_at = v.at, escalation_level = 0 FROM unnest(${ids}::int[], ${staff}::int[], ${ats}::timestamptz[]) AS v(id, staff, at) WHERE l.id = v.id`,
    );
    await tx.execute(
      sql`INSERT INTO lead_events (lead_id, at, actor_staff_id, kind, detail)
          SELECT id, at, NULL, 'assigned', json_build_object('staffId', staff, 'why', 'rule')::jsonb
            FROM unnest(${ids}::int[], ${staff}::int[], ${ats}::timestamptz[]) WITH ORDINALITY AS v(id, staff, at, k) ORDER BY k`,
    );
    // The holder's notification, one per lead (as notifications.notify writes it).
    await tx.execute(
      sql`INSERT INTO notifications (staff_id, kind, title_zh, title_en, link, node_id, created_at)
          SELECT staff, 'lead.assigned', zh, en, link, node, ${clock.now().toISOString()}::timestamptz
            FROM unnest(${staff}::int[], ${textArray(held.map((r) => `新商机：${r.b.contactName}（请在3天内跟进）`))}::text[],
                        ${textArray(held.map((r) => `New lead: ${r.b.contactName} (follow up within 3 days)`))}::text[], ${textArray(held.map((r) => `/leads/${out[r.i]}`))}::text[],
                        ${intArray(held.map((r) => r.dept.nodeId))}::int[]) WITH ORDINALITY AS v(staff, zh, en, link, node, k) ORDER BY k`,
    );
  }
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
