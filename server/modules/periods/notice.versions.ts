import { and, asc, eq, inArray, sql } from 'drizzle-orm';
import { type DbOrTx, rows } from '../../db/client.js';
import { noticeVersions, staff } from '../../db/schema/index.js';
import { type Actor } from '../audit/audit.service.js';
import { notify, recipients } from '../notifications/notifications.service.js';
import type { OrgNode } from '../org/org.queries.js';
import { type Points, pts } from '../scoring/split.service.js';
import { monthOfPeriod } from './periods.rules.js';

/** One line of a sale on the notice: a department's retained points (staffId null) or a person's. */
export interface NoticeLine extends Points {
  departmentId: number;
  departmentName: string;
  staffId: number | null;
  staffNo: string | null;
  staffName: string | null;
}

/** A sale's figures on the month's notice: its points total and its lines (the ledger's net). */
export interface SaleFigures extends Points {
  lines: NoticeLine[];
}

/** One changed sale of a notice version. */
export interface NoticeChange {
  saleId: number;
  sourceId: string;
  before: SaleFigures;
  after: SaleFigures;
  reason: string;
}

export interface NoticeVersion {
  version: number;
  createdAt: string;
  createdBy: { id: number; name: string } | null;
  objectionId: number | null;
  reason: string;
  changes: NoticeChange[];
}

const zhMonth = (month: string) => `${month.slice(0, 4)}年${Number(month.slice(5, 7))}月`;

/**
 * A sale's net on the month's notice, from the ledger: the month's own entries of the sale (not
 * adjustments written into another month), voided points left out as the statement does.
 */
export async function saleFigures(tx: DbOrTx, saleId: number, period: string): Promise<SaleFigures> {
  const lines = await rows<{ department_id: number; department_name: string; staff_id: number | null; staff_no: string | null; staff_name: string | null; pts: string | number }>(
    tx,
    sql`SELECT e.department_id, d.name AS department_name, e.staff_id, st.staff_no, st.name AS staff_name, sum(e.points_hundredths)::bigint AS pts
        FROM ledger_entries e JOIN departments d ON d.id = e.department_id LEFT JOIN staff st ON st.id = e.staff_id
        WHERE e.sale_id = ${saleId} AND e.period = ${period}::date AND e.adjusts_period IS NULL AND e.kind <> 'void'
        GROUP BY e.department_id, d.name, d.code, e.staff_id, st.staff_no, st.name
        HAVING sum(e.points_hundredths) <> 0
        ORDER BY d.code, e.staff_id NULLS FIRST`,
  );
  const out = lines.map((l) => ({
    departmentId: Number(l.department_id),
    departmentName: l.department_name,
    staffId: l.staff_id === null ? null : Number(l.staff_id),
    staffNo: l.staff_no,
    staffName: l.staff_name,
    ...pts(BigInt(l.pts)),
  }));
  return { ...pts(out.reduce((a, l) => a + BigInt(l.pointsHundredths), 0n)), lines: out };
}

/** Version 1 of a notice, written when the month is published (by hand or by the scheduler). */
export async function recordFirstVersion(tx: DbOrTx, actor: Actor, nodeId: number, period: string, now: Date): Promise<void> {
  await tx.insert(noticeVersions).values({ nodeId, period, version: 1, createdAt: now, createdBy: actor.id, objectionId: null, reason: '公示', changes: [] }).onConflictDoNothing();
}

/**
 * The next version of a published notice, made by an objection upheld with a correction (issue 12
 * rule 2), in the caller's transaction (which holds the month's row lock): numbered after the
 * last one (a month published before versions existed counts as version 1), with its change list.
 * Everyone on a changed line (before or after) and the committee office are told.
 */
export async function recordCorrectionVersion(
  tx: DbOrTx,
  actor: Actor,
  node: OrgNode,
  period: string,
  v: { objectionId: number; reason: string; changes: NoticeChange[]; now: Date },
): Promise<number> {
  const [last] = await rows<{ n: number | null }>(tx, sql`SELECT max(version)::int AS n FROM notice_versions WHERE node_id = ${node.id} AND period = ${period}::date`);
  const version = Math.max(Number(last?.n ?? 1), 1) + 1;
  await tx.insert(noticeVersions).values({ nodeId: node.id, period, version, createdAt: v.now, createdBy: actor.id, objectionId: v.objectionId, reason: v.reason, changes: v.changes });
  const month = monthOfPeriod(period);
  const people = new Set<number>();
  for (const c of v.changes) for (const l of [...c.before.lines, ...c.after.lines]) if (l.staffId !== null) people.add(l.staffId);
  await notify(tx, recipients.union(recipients.staffIds([...people]), recipients.committeeOffice(node.id)), {
    kind: 'notice.version',
    nodeId: node.id,
    link: `/periods/${node.id}/${month}/notice`,
    titleZh: `${node.name}${zhMonth(month)}积分公示已更新为第 ${version} 版：异议 #${v.objectionId} 成立，更正 ${v.changes.length} 笔`,
    titleEn: `${node.name} ${month} notice is now version ${version}: objection #${v.objectionId} upheld, ${v.changes.length} sale(s) corrected`,
  });
  return version;
}

/**
 * The versions of a published notice, oldest first. A month published before versions were kept
 * has no row for version 1: it is version 1 at its publication.
 */
export async function listNoticeVersions(db: DbOrTx, row: { nodeId: number; period: string; publishedAt: Date | null; publishedBy: number | null }): Promise<NoticeVersion[]> {
  const list = await db
    .select()
    .from(noticeVersions)
    .where(and(eq(noticeVersions.nodeId, row.nodeId), eq(noticeVersions.period, row.period)))
    .orderBy(asc(noticeVersions.version));
  const ids = [...new Set([...list.map((v) => v.createdBy), row.publishedBy].filter((x): x is number => x !== null))];
  const names = new Map(ids.length ? (await db.select({ id: staff.id, name: staff.name }).from(staff).where(inArray(staff.id, ids))).map((s) => [s.id, s.name]) : []);
  const who = (id: number | null) => (id === null ? null : { id, name: names.get(id) ?? '' });
  const out: NoticeVersion[] = list.map((v) => ({
    version: v.version,
    createdAt: v.createdAt.toISOString(),
    createdBy: who(v.createdBy),
    objectionId: v.objectionId,
    reason: v.reason,
    changes: (typeof v.changes === 'string' ? JSON.parse(v.changes) : v.changes) as NoticeChange[],
  }));
  if (!out.some((v) => v.version === 1) && row.publishedAt) {
    out.unshift({ version: 1, createdAt: row.publishedAt.toISOString(), createdBy: who(row.publishedBy), objectionId: null, reason: '公示', changes: [] });
  }
  return out;
}
