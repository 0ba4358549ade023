import { sql } from 'drizzle-orm';
import { type DbOrTx, rows } from '../../db/client.js';
import { likeContains } from '../../db/like.js';
import { formatHundredths } from '../products/products.rules.js';
import type { AuthContext } from '../access/context.js';
import { beijingMidnight, addDays } from '../../calendar/dates.js';
import { handlingRateBp } from './leads.rules.js';
import type { LeadQueryT } from './leads.schemas.js';
import { type LeadRow, leadSelect, presentLead } from './leads.presenter.js';
import { visibleLeads } from './leads.service.js';

/** 我的商机 / 商机池 / all leads in scope, newest first, filtered. */
export async function listLeads(db: DbOrTx, auth: AuthContext, f: LeadQueryT) {
  const where = [visibleLeads(auth)];
  if (f.view === 'mine') where.push(sql`l.owner_staff_id = ${auth.staffId}`);
  if (f.view === 'pool') where.push(sql`l.owner_staff_id IS NULL AND l.stage IN ('new', 'contacted', 'proposal')`);
  if (f.stage) where.push(sql`l.stage = ${f.stage}`);
  if (f.open === 'true') where.push(sql`l.stage IN ('new', 'contacted', 'proposal')`);
  if (f.open === 'false') where.push(sql`l.stage IN ('won', 'lost')`);
  if (f.projectId) where.push(sql`l.project_id = ${f.projectId}`);
  if (f.departmentId) where.push(sql`l.department_id = ${f.departmentId}`);
  if (f.nodeId) where.push(sql`n.path LIKE (SELECT b.path FROM org_nodes b WHERE b.id = ${f.nodeId}) || '%'`);
  if (f.q) where.push(sql`(l.contact_name ILIKE ${likeContains(f.q)} OR p.name ILIKE ${likeContains(f.q)})`);
  const cond = sql.join(where, sql` AND `);
  const items = await rows<LeadRow>(db, sql`${leadSelect} WHERE ${cond} ORDER BY l.created_at DESC, l.id DESC LIMIT ${f.pageSize} OFFSET ${(f.page - 1) * f.pageSize}`);
  const [{ n }] = await rows<{ n: number }>(db, sql`SELECT count(*)::int AS n FROM leads l JOIN org_nodes n ON n.id = l.node_id LEFT JOIN products p ON p.id = l.product_id WHERE ${cond}`);
  return { items: items.map(presentLead), total: Number(n), page: f.page, pageSize: f.pageSize };
}

const rate = (r: { total: number; handled: number; won: number }) => {
  const bp = handlingRateBp(Number(r.handled), Number(r.total));
  return { total: Number(r.total), handled: Number(r.handled), won: Number(r.won), rateBp: bp, rate: bp === null ? null : formatHundredths(bp) };
};

/**
 * 商机处理率 of the leads received from … to (Beijing days): handled (left `new`) ÷ received, for the
 * whole scope, by department and by holder. Only leads the caller sees are counted.
 */
export async function handlingRate(db: DbOrTx, auth: AuthContext, f: { nodeId?: number; from: string; to: string }) {
  const cond = sql`${visibleLeads(auth)} AND l.created_at >= ${beijingMidnight(f.from).toISOString()} AND l.created_at < ${beijingMidnight(addDays(f.to, 1)).toISOString()}
    ${f.nodeId ? sql`AND n.path LIKE (SELECT b.path FROM org_nodes b WHERE b.id = ${f.nodeId}) || '%'` : sql``}`;
  const counts = sql`count(*)::int AS total, count(*) FILTER (WHERE l.stage <> 'new')::int AS handled, count(*) FILTER (WHERE l.stage = 'won')::int AS won`;
  const [all] = await rows<{ total: number; handled: number; won: number }>(db, sql`SELECT ${counts} FROM leads l JOIN org_nodes n ON n.id = l.node_id WHERE ${cond}`);
  const departments = await rows<{ total: number; handled: number; won: number; departmentId: number; departmentCode: string; departmentName: string; nodeCode: string; nodeName: string }>(
    db,
    sql`SELECT ${counts}, d.id AS "departmentId", d.code AS "departmentCode", d.name AS "departmentName", n.code AS "nodeCode", n.name AS "nodeName"
          FROM leads l JOIN org_nodes n ON n.id = l.node_id JOIN departments d ON d.id = l.department_id
         WHERE ${cond} GROUP BY d.id, d.code, d.name, n.code, n.name ORDER BY n.code, d.code`,
  );
  const people = await rows<{ total: number; handled: number; won: number; staffId: number; staffNo: string; name: string; departmentCode: string | null }>(
    db,
    sql`SELECT ${counts}, s.id AS "staffId", s.staff_no AS "staffNo", s.name, sd.code AS "departmentCode"
          FROM leads l JOIN org_nodes n ON n.id = l.node_id JOIN staff s ON s.id = l.owner_staff_id LEFT JOIN departments sd ON sd.id = s.department_id
         WHERE ${cond} GROUP BY s.id, s.staff_no, s.name, sd.code ORDER BY s.staff_no`,
  );
  return {
    all: rate(all),
    departments: departments.map((d) => ({ ...rate(d), departmentId: d.departmentId, departmentCode: d.departmentCode, departmentName: d.departmentName, nodeCode: d.nodeCode, nodeName: d.nodeName })),
    people: people.map((p) => ({ ...rate(p), staffId: p.staffId, staffNo: p.staffNo, name: p.name, departmentCode: p.departmentCode })),
  };
}
