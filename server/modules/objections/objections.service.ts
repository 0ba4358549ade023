import { and, eq, sql, type SQL } from 'drizzle-orm';
import { type Db, type DbOrTx, rows } from '../../db/client.js';
import { objections } from '../../db/schema/index.js';
import { AppError } from '../../errors.js';
import { beijingDay } from '../../calendar/index.js';
import { type AuthContext, assertCanAt } from '../access/context.js';
import { appendAudit } from '../audit/audit.service.js';
import { notify, recipients } from '../notifications/notifications.service.js';
import { inPaths } from '../org/org.queries.js';
import { assertCanReadNotice, readerScopePaths } from '../periods/periods.policy.js';
import { monthOfPeriod, objectionWindowOpen, periodOfMonth } from '../periods/periods.rules.js';
import { findPeriod } from '../periods/periods.service.js';
import { type NoticeChange, recordCorrectionVersion, saleFigures } from '../periods/notice.versions.js';
import { actorOf } from '../products/products.service.js';
import { correctSale } from '../sales/sales.correct.js';
import { statementNode } from '../statements/statement.service.js';
import { type AnswerBodyT, type ObjectionFilter, type ObjectionOutT, type RaiseBodyT, toCorrection } from './objections.schemas.js';

const zhMonth = (month: string) => `${month.slice(0, 4)}年${Number(month.slice(5, 7))}月`;

/** Is the objected line on the month's statement? (SPEC §9.2 "an objection on a line") */
async function targetOnStatement(tx: DbOrTx, nodeId: number, period: string, t: RaiseBodyT['target']): Promise<boolean> {
  const inMonth = sql`e.node_id = ${nodeId} AND e.period = ${period}::date`;
  let q: SQL;
  if (t.kind === 'department') q = sql`SELECT 1 FROM ledger_entries e WHERE ${inMonth} AND e.department_id = ${t.departmentId} LIMIT 1`;
  else if (t.kind === 'person') q = sql`SELECT 1 FROM ledger_entries e WHERE ${inMonth} AND e.staff_id = ${t.staffId} ${t.departmentId ? sql`AND e.department_id = ${t.departmentId}` : sql``} LIMIT 1`;
  else
    q = sql`SELECT 1 FROM sales s WHERE s.id = ${t.saleId} AND s.node_id = ${nodeId}
            AND s.sale_date >= ${period}::date AND s.sale_date < (${period}::date + interval '1 month')::date`;
  return (await rows(tx, q)).length > 0;
}

/**
 * Raises an objection on a line of a published statement (SPEC §9.2), during the window only:
 * `now` after window_closes_at is refused with OBJECTION.WINDOW_CLOSED. Assigned to the branch's
 * committee office, which is notified.
 */
export async function raiseObjection(db: Db, auth: AuthContext, body: RaiseBodyT, now: Date): Promise<ObjectionOutT> {
  const node = await statementNode(db, body.nodeId);
  await assertCanReadNotice(db, auth, node);
  const reason = body.reason.trim();
  if (!reason) throw new AppError('OBJECTION.REASON_REQUIRED');
  const period = periodOfMonth(body.month);
  const id = await db.transaction(async (tx) => {
    // Shares the row lock with the transitions: no objection slips in beside a submit.
    const p = await findPeriod(tx, node.id, period, { forUpdate: true });
    if (p.state === 'draft') throw new AppError('PERIOD.NOT_PUBLISHED');
    if (!objectionWindowOpen(p.state, p.windowClosesAt, now)) throw new AppError('OBJECTION.WINDOW_CLOSED', { windowClosesAt: p.windowClosesAt?.toISOString() ?? null });
    if (!(await targetOnStatement(tx, node.id, period, body.target))) throw new AppError('OBJECTION.BAD_TARGET');
    const [office] = await rows<{ id: number }>(tx, sql`SELECT id FROM departments WHERE node_id = ${node.id} AND committee_office AND active ORDER BY id LIMIT 1`);
    const t = body.target;
    const [row] = await tx
      .insert(objections)
      .values({
        nodeId: node.id,
        period,
        targetKind: t.kind,
        departmentId: t.kind === 'department' ? t.departmentId : t.kind === 'person' ? (t.departmentId ?? null) : null,
        staffId: t.kind === 'person' ? t.staffId : null,
        saleId: t.kind === 'sale' ? t.saleId : null,
        reason,
        raisedBy: auth.staffId,
        raisedAt: now,
        assignedDepartmentId: office?.id ?? null,
      })
      .returning();
    await appendAudit(tx, actorOf(auth), { action: 'objection.raise', entity: 'objection', entityId: row.id, nodeId: node.id, after: row });
    await notify(tx, recipients.committeeOffice(node.id), {
      kind: 'objection.raised',
      nodeId: node.id,
      link: `/objections/${row.id}`,
      titleZh: `${node.name}${zhMonth(body.month)}积分公示收到新的异议，请及时答复`,
      titleEn: `A new objection to ${node.name} ${body.month} statement awaits an answer`,
    });
    return row.id;
  });
  return getObjection(db, auth, id);
}

/**
 * Answers an objection (upheld / dismissed, with the reason). An upheld one may carry a sale
 * correction, applied in the same transaction (sales.correct.ts: reversal + new ledger entries).
 * The objector is notified.
 */
export async function answerObjection(db: Db, auth: AuthContext, id: number, body: AnswerBodyT, now: Date): Promise<ObjectionOutT> {
  const answer = body.answer.trim();
  if (!answer) throw new AppError('OBJECTION.REASON_REQUIRED', undefined, { zh: '请填写答复理由', en: 'Give the reason for the answer' });
  if (body.correction && body.decision !== 'upheld') throw new AppError('OBJECTION.CORRECTION_NOT_ALLOWED');
  await db.transaction(async (tx) => {
    const [before] = await tx.select().from(objections).where(eq(objections.id, id)).for('update');
    if (!before) throw new AppError('OBJECTION.NOT_FOUND');
    const node = await statementNode(tx, before.nodeId);
    assertCanAt(auth, 'objection.answer', node.path);
    if (before.status !== 'open') throw new AppError('OBJECTION.ALREADY_ANSWERED');
    if (before.raisedBy === auth.staffId) throw new AppError('OBJECTION.SELF_ANSWER');
    const p = await findPeriod(tx, node.id, before.period, { forUpdate: true });
    if (p.state !== 'published') throw new AppError(p.state === 'locked' ? 'PERIOD.LOCKED' : 'PERIOD.BAD_TRANSITION', { state: p.state });

    let correction: unknown = null;
    let change: NoticeChange | null = null;
    if (body.correction) {
      const saleId = body.correction.saleId ?? before.saleId;
      if (!saleId) throw new AppError('OBJECTION.CORRECTION_SALE');
      const [sale] = await rows<{ id: number; source_id: string }>(
        tx,
        sql`SELECT id, source_id FROM sales WHERE id = ${saleId} AND node_id = ${node.id}
            AND sale_date >= ${before.period}::date AND sale_date < (${before.period}::date + interval '1 month')::date`,
      );
      if (!sale) throw new AppError('OBJECTION.CORRECTION_SALE');
      const figuresBefore = await saleFigures(tx, saleId, before.period);
      const r = await correctSale(tx, actorOf(auth), saleId, toCorrection(body.correction), { today: beijingDay(now), reason: `异议 #${id}：${answer}`, upheldObjection: true });
      correction = { saleId, before: r.before, after: r.after, ledger: r.score };
      change = { saleId, sourceId: sale.source_id, before: figuresBefore, after: await saleFigures(tx, saleId, before.period), reason: answer };
    }
    const [after] = await tx
      .update(objections)
      .set({ status: body.decision, answer, answeredBy: auth.staffId, answeredAt: now, correction })
      .where(and(eq(objections.id, id), eq(objections.status, 'open')))
      .returning();
    if (!after) throw new AppError('OBJECTION.ALREADY_ANSWERED');
    await appendAudit(tx, actorOf(auth), { action: 'objection.answer', entity: 'objection', entityId: id, nodeId: node.id, before, after });
    // The published notice changed: its next version, with the change list (issue 12 rule 2).
    if (change) await recordCorrectionVersion(tx, actorOf(auth), node, before.period, { objectionId: id, reason: answer, changes: [change], now });
    const month = monthOfPeriod(before.period);
    const verdict = body.decision === 'upheld' ? { zh: '成立', en: 'upheld' } : { zh: '不成立', en: 'dismissed' };
    await notify(tx, recipients.one(before.raisedBy), {
      kind: 'objection.answered',
      nodeId: node.id,
      link: `/objections/${id}`,
      titleZh: `您对${node.name}${zhMonth(month)}积分公示提出的异议已答复：${verdict.zh}${correction ? '，相关销售已更正' : ''}`,
      titleEn: `Your objection to ${node.name} ${month} statement was ${verdict.en}${correction ? '; the sale was corrected' : ''}`,
    });
  });
  return getObjection(db, auth, id);
}

interface ObjectionRowView {
  id: number;
  node_id: number;
  node_name: string;
  period: string;
  target_kind: 'department' | 'person' | 'sale';
  department_id: number | null;
  department_code: string | null;
  department_name: string | null;
  staff_id: number | null;
  staff_no: string | null;
  staff_name: string | null;
  sale_id: number | null;
  source_id: string | null;
  sale_date: string | null;
  reason: string;
  raised_by: number;
  raised_by_name: string | null;
  raised_at: string | Date;
  assigned_department_id: number | null;
  assigned_department_name: string | null;
  status: 'open' | 'upheld' | 'dismissed';
  answer: string | null;
  answered_by: number | null;
  answered_by_name: string | null;
  answered_at: string | Date | null;
  correction: unknown;
}

const SELECT = sql`SELECT o.id, o.node_id, n.name AS node_name, o.period::text AS period, o.target_kind,
    o.department_id, d.code AS department_code, d.name AS department_name,
    o.staff_id, st.staff_no, st.name AS staff_name, o.sale_id, s.source_id, s.sale_date::text AS sale_date,
    o.reason, o.raised_by, rb.name AS raised_by_name, o.raised_at, o.assigned_department_id, ad.name AS assigned_department_name,
    o.status, o.answer, o.answered_by, ab.name AS answered_by_name, o.answered_at, o.correction
  FROM objections o JOIN org_nodes n ON n.id = o.node_id
  LEFT JOIN departments d ON d.id = o.department_id LEFT JOIN staff st ON st.id = o.staff_id
  LEFT JOIN sales s ON s.id = o.sale_id LEFT JOIN staff rb ON rb.id = o.raised_by
  LEFT JOIN departments ad ON ad.id = o.assigned_department_id LEFT JOIN staff ab ON ab.id = o.answered_by`;

function present(r: ObjectionRowView): ObjectionOutT {
  const iso = (v: string | Date | null) => (v === null ? null : new Date(v).toISOString());
  return {
    id: r.id,
    nodeId: r.node_id,
    nodeName: r.node_name,
    month: monthOfPeriod(r.period),
    targetKind: r.target_kind,
    department: r.department_id === null ? null : { id: r.department_id, code: r.department_code ?? '', name: r.department_name ?? '' },
    person: r.staff_id === null ? null : { id: r.staff_id, staffNo: r.staff_no ?? '', name: r.staff_name ?? '' },
    sale: r.sale_id === null ? null : { id: r.sale_id, sourceId: r.source_id ?? '', saleDate: r.sale_date ?? '' },
    reason: r.reason,
    raisedBy: { id: r.raised_by, name: r.raised_by_name ?? '' },
    raisedAt: iso(r.raised_at)!,
    assignedDepartment: r.assigned_department_id === null ? null : { id: r.assigned_department_id, name: r.assigned_department_name ?? '' },
    status: r.status,
    answer: r.answer,
    answeredBy: r.answered_by === null ? null : { id: r.answered_by, name: r.answered_by_name ?? '' },
    answeredAt: iso(r.answered_at),
    correction: typeof r.correction === 'string' ? JSON.parse(r.correction) : (r.correction ?? null),
  };
}

/** What the caller may see: their own objections, and every objection of a branch in their scope. */
function visible(auth: AuthContext): SQL {
  return sql`(o.raised_by = ${auth.staffId} OR ${inPaths(sql`n.path`, readerScopePaths(auth))})`;
}

export async function getObjection(db: DbOrTx, auth: AuthContext, id: number): Promise<ObjectionOutT> {
  const [r] = await rows<ObjectionRowView>(db, sql`${SELECT} WHERE o.id = ${id} AND ${visible(auth)}`);
  if (!r) throw new AppError('OBJECTION.NOT_FOUND');
  return present(r);
}

/** A page of objections with filters, newest first. */
export async function listObjections(db: DbOrTx, auth: AuthContext, f: ObjectionFilter) {
  const conds: SQL[] = [visible(auth)];
  if (f.nodeId) conds.push(sql`o.node_id = ${f.nodeId}`);
  if (f.month) conds.push(sql`o.period = ${periodOfMonth(f.month)}::date`);
  if (f.status) conds.push(sql`o.status = ${f.status}`);
  if (f.targetKind) conds.push(sql`o.target_kind = ${f.targetKind}`);
  if (f.mine) conds.push(sql`o.raised_by = ${auth.staffId}`);
  const where = sql.join(conds, sql` AND `);
  const items = await rows<ObjectionRowView>(db, sql`${SELECT} WHERE ${where} ORDER BY o.id DESC LIMIT ${f.pageSize} OFFSET ${(f.page - 1) * f.pageSize}`);
  const [{ total }] = await rows<{ total: number }>(db, sql`SELECT count(*)::int AS total FROM objections o JOIN org_nodes n ON n.id = o.node_id WHERE ${where}`);
  return { items: items.map(present), total: Number(total), page: f.page, pageSize: f.pageSize };
}
