import { and, eq, inArray, sql } from 'drizzle-orm';
import { z } from 'zod';
import { type Db, type DbOrTx, rows } from '../../db/client.js';
import { type PeriodState, periods, settings, staff } from '../../db/schema/index.js';
import { AppError } from '../../errors.js';
import { beijingDay, beijingTime, type WorkCalendar } from '../../calendar/index.js';
import { type AuthContext, canAt } from '../access/context.js';
import { auditHead, recordAnchor } from '../audit/audit.anchors.js';
import { type Actor, appendAudit } from '../audit/audit.service.js';
import { type NotificationInput, notify, recipients } from '../notifications/notifications.service.js';
import type { OrgNode } from '../org/org.queries.js';
import { getSetting } from '../settings/settings.routes.js';
import {
  ACTION_LABELS,
  checkTransition,
  monthOfPeriod,
  nextActions,
  objectionWindowOpen,
  type PeriodAction,
  periodOfMonth,
  publicationDay,
  STATE_LABELS,
  TRANSITIONS,
  windowClosesAt,
} from './periods.rules.js';
import { recordFirstVersion } from './notice.versions.js';

export type PeriodRow = typeof periods.$inferSelect;

/** A month with no row is a draft. */
export function draftRow(nodeId: number, period: string): PeriodRow {
  return {
    nodeId,
    period,
    state: 'draft',
    publishedAt: null,
    publishedBy: null,
    windowClosesAt: null,
    windowClosedAt: null,
    submittedAt: null,
    submittedBy: null,
    auditedAt: null,
    auditedBy: null,
    approvedAt: null,
    approvedBy: null,
    lockedAt: null,
    lockedBy: null,
    updatedAt: new Date(0),
    auditSeq: null,
    auditHash: null,
  };
}

/** The month's row, or a draft when it has none. `forUpdate` locks it for a transition. */
export async function findPeriod(db: DbOrTx, nodeId: number, period: string, opts: { forUpdate?: boolean } = {}): Promise<PeriodRow> {
  const q = db
    .select()
    .from(periods)
    .where(and(eq(periods.nodeId, nodeId), eq(periods.period, period)))
    .limit(1);
  const [row] = opts.forUpdate ? await q.for('update') : await q;
  return row ?? draftRow(nodeId, period);
}

const Days = z.array(z.string().regex(/^\d{4}-\d{2}-\d{2}$/)).max(400);

/** Publication settings: window length, the working day it opens on, the holiday calendar. */
export interface PublicationSettings {
  windowDays: number;
  openDay: number;
  calendar: WorkCalendar;
}

export async function publicationSettings(db: DbOrTx): Promise<PublicationSettings> {
  // Sequential: `db` may be a transaction (one connection).
  const windowDays = await getSetting(db, 'publication.windowDays');
  const openDay = await getSetting(db, 'publication.openDay');
  const cal = await db
    .select()
    .from(settings)
    .where(inArray(settings.key, ['publication.holidays', 'publication.workdays']));
  // Holidays (法定节假日) and make-up working days (调休) are optional settings: absent → Mon–Fri.
  const list = (key: string) => {
    const parsed = Days.safeParse(cal.find((r) => r.key === key)?.value);
    return new Set(parsed.success ? parsed.data : []);
  };
  return { windowDays, openDay, calendar: { holidays: list('publication.holidays'), workdays: list('publication.workdays') } };
}

// ---- facts ----------------------------------------------------------------------------------------

export async function openObjectionCount(db: DbOrTx, nodeId: number, period: string): Promise<number> {
  const [r] = await rows<{ n: number }>(db, sql`SELECT count(*)::int AS n FROM objections WHERE node_id = ${nodeId} AND period = ${period}::date AND status = 'open'`);
  return Number(r.n);
}

/** Live (not struck) sales of a branch's month. */
export async function liveSaleCount(db: DbOrTx, nodeId: number, period: string): Promise<number> {
  const [r] = await rows<{ n: number }>(
    db,
    sql`SELECT count(*)::int AS n FROM sales WHERE node_id = ${nodeId} AND struck_at IS NULL
        AND sale_date >= ${period}::date AND sale_date < (${period}::date + interval '1 month')::date`,
  );
  return Number(r.n);
}

/** The spot check's counts (sampled / verified / false / pending), or null when none was drawn. */
export async function spotCheckCounts(db: DbOrTx, nodeId: number, period: string) {
  const [r] = await rows<{ id: number | null; sampled: number; verified: number; falsified: number; pending: number }>(
    db,
    sql`SELECT c.id, count(i.sale_id)::int AS sampled,
               count(*) FILTER (WHERE i.result = 'verified')::int AS verified,
               count(*) FILTER (WHERE i.result = 'false')::int AS falsified,
               count(*) FILTER (WHERE i.result = 'pending')::int AS pending
        FROM spot_checks c LEFT JOIN spot_check_items i ON i.spot_check_id = c.id
        WHERE c.node_id = ${nodeId} AND c.period = ${period}::date
        GROUP BY c.id`,
  );
  if (!r) return null;
  return { id: Number(r.id), sampled: Number(r.sampled), verified: Number(r.verified), false: Number(r.falsified), pending: Number(r.pending) };
}

// ---- transitions ------------------------------------------------------------------------------------

const zhMonth = (month: string) => `${month.slice(0, 4)}年${Number(month.slice(5, 7))}月`;
const beijingText = (d: Date) => beijingTime(d, 'second');
export const periodLink = (nodeId: number, month: string) => `/periods/${nodeId}/${month}`;

/** The audit trail's picture of a month (what before/after show). */
const auditable = (r: PeriodRow) => ({
  state: r.state,
  publishedAt: r.publishedAt,
  publishedBy: r.publishedBy,
  windowClosesAt: r.windowClosesAt,
  windowClosedAt: r.windowClosedAt,
  submittedAt: r.submittedAt,
  submittedBy: r.submittedBy,
  auditedAt: r.auditedAt,
  auditedBy: r.auditedBy,
  approvedAt: r.approvedAt,
  approvedBy: r.approvedBy,
  lockedAt: r.lockedAt,
  lockedBy: r.lockedBy,
});

/**
 * Moves a branch's month one step (SPEC §9) inside the caller's transaction: locks the row, checks
 * the rule, writes with `WHERE state = <expected>` (a concurrent second approver changes nothing
 * and gets PERIOD.CONFLICT or PERIOD.LOCKED), audits before/after and notifies whose turn it is.
 * Authorisation is the caller's business (routes check the permission over the branch).
 */
export async function applyTransition(tx: DbOrTx, actor: Actor, node: OrgNode, month: string, action: PeriodAction, now: Date): Promise<PeriodRow> {
  const period = periodOfMonth(month);
  const before = await findPeriod(tx, node.id, period, { forUpdate: true });
  const t = TRANSITIONS[action];
  const openObjections = action === 'submit' ? await openObjectionCount(tx, node.id, period) : 0;
  const sales = action === 'audit' ? await liveSaleCount(tx, node.id, period) : 0;
  const spot = action === 'audit' ? await spotCheckCounts(tx, node.id, period) : null;
  const verdict = checkTransition(action, { state: before.state, period, now, windowClosesAt: before.windowClosesAt, openObjections, sales, spotCheck: spot });
  if (!verdict.ok) {
    const text =
      verdict.code === 'PERIOD.BAD_TRANSITION'
        ? {
            zh: `该月份当前为「${STATE_LABELS[before.state].zh}」，不能执行「${ACTION_LABELS[action].zh}」`,
            en: `The month is ${STATE_LABELS[before.state].en}: it cannot ${ACTION_LABELS[action].en} now`,
          }
        : verdict.code === 'PERIOD.SPOT_CHECK_PENDING' && spot
          ? {
              zh: `还有 ${spot.pending} 笔抽查样本未给出结论，不能完成审核`,
              en: `${spot.pending} sampled sale(s) still have no verdict; the audit cannot be completed`,
            }
          : undefined;
    throw new AppError(verdict.code, { state: before.state, action, ...(spot ? { pending: spot.pending } : {}) }, text);
  }

  let after: PeriodRow | undefined;
  if (action === 'publish') {
    const { windowDays } = await publicationSettings(tx);
    const values = { state: 'published' as const, publishedAt: now, publishedBy: actor.id, windowClosesAt: windowClosesAt(now, windowDays), updatedAt: now };
    [after] = await tx
      .insert(periods)
      .values({ nodeId: node.id, period, ...values })
      .onConflictDoUpdate({ target: [periods.nodeId, periods.period], set: values, setWhere: sql.raw(`"periods"."state" = 'draft'`) })
      .returning();
  } else {
    const stamp =
      action === 'submit'
        ? { submittedAt: now, submittedBy: actor.id, windowClosedAt: before.windowClosedAt ?? now }
        : action === 'audit'
          ? { auditedAt: now, auditedBy: actor.id }
          : { approvedAt: now, approvedBy: actor.id, lockedAt: now, lockedBy: actor.id };
    [after] = await tx
      .update(periods)
      .set({ state: verdict.to, ...stamp, updatedAt: now })
      .where(and(eq(periods.nodeId, node.id), eq(periods.period, period), eq(periods.state, t.from)))
      .returning();
  }
  if (!after) throw new AppError('PERIOD.CONFLICT', { action });
  // The notice's version 1 (issue 12 rule 2); upheld objections with a correction add the next ones.
  if (action === 'publish') await recordFirstVersion(tx, actor, node.id, period, now);

  await appendAudit(tx, actor, {
    action: `period.${action}`,
    entity: 'period',
    entityId: `${node.code}/${month}`,
    nodeId: node.id,
    before: auditable(before),
    after: auditable(after),
  });
  if (action === 'approve') {
    // The lock anchors the audit head, its own entry included (decision 0016): kept on the month's
    // row and printed on its notice, so entries deleted later cannot go unnoticed.
    const head = await recordAnchor(tx, { kind: 'period.lock', ref: `${node.code}/${month}`, nodeId: node.id });
    if (head) {
      [after] = await tx
        .update(periods)
        .set({ auditSeq: head.seq, auditHash: head.hash })
        .where(and(eq(periods.nodeId, node.id), eq(periods.period, period)))
        .returning();
    }
  }
  await notifyTransition(tx, node, month, action, after!, spot);
  return after!;
}

/** Who hears of each step: whoever acts next, or everybody at publication. */
async function notifyTransition(tx: DbOrTx, node: OrgNode, month: string, action: PeriodAction, row: PeriodRow, spot: Awaited<ReturnType<typeof spotCheckCounts>>) {
  const link = periodLink(node.id, month);
  const m = zhMonth(month);
  const base = { nodeId: node.id, link };
  const messages: Record<PeriodAction, { who: ReturnType<typeof recipients.one>; n: NotificationInput }> = {
    publish: {
      who: recipients.branchStaff(node),
      n: {
        ...base,
        kind: 'period.published',
        link: `${link}/notice`,
        titleZh: `${node.name}${m}交叉营销积分统计结果已公示，公示期至${beijingText(row.windowClosesAt!)}，如有异议请在公示期内提出`,
        titleEn: `${node.name} ${month} cross-marketing points are published; objections until ${beijingText(row.windowClosesAt!)} (Beijing)`,
      },
    },
    submit: {
      who: recipients.holders('period.audit', node),
      n: {
        ...base,
        kind: 'period.submitted',
        titleZh: `${node.name}${m}积分统计结果已提交委员会，请进行月度审核与真实性抽查`,
        titleEn: `${node.name} ${month} statement was submitted: audit and spot check it`,
      },
    },
    audit: {
      who: recipients.union(recipients.committeeOffice(node.id), recipients.holders('period.approve', node)),
      n: {
        ...base,
        kind: 'period.audited',
        titleZh: `${node.name}${m}积分审核完成：抽查 ${spot?.sampled ?? 0} 笔，核实 ${spot?.verified ?? 0} 笔，虚假 ${spot?.false ?? 0} 笔`,
        titleEn: `${node.name} ${month} audit done: ${spot?.sampled ?? 0} sampled, ${spot?.verified ?? 0} verified, ${spot?.false ?? 0} false`,
      },
    },
    approve: {
      who: recipients.union(recipients.committee(node.id), recipients.holders('period.publish', node)),
      n: { ...base, kind: 'period.locked', titleZh: `${node.name}${m}积分统计结果已经委员会审批并锁定`, titleEn: `${node.name} ${month} statement was approved and locked` },
    },
  };
  const { who, n } = messages[action];
  await notify(tx, who, n);
}

/**
 * The audit head a notice prints (decision 0016): a locked month's own anchor, otherwise the head
 * at the moment of printing — either way a paper copy that can later be held against the chain.
 */
export async function noticeAnchor(db: DbOrTx, row: PeriodRow): Promise<{ seq: number; hash: string; locked: boolean } | null> {
  if (row.auditSeq !== null && row.auditHash !== null) return { seq: Number(row.auditSeq), hash: row.auditHash, locked: true };
  const head = await auditHead(db);
  return head && { ...head, locked: false };
}

/** One transition in its own transaction (the HTTP path). */
export async function transitionPeriod(db: Db, actor: Actor, node: OrgNode, month: string, action: PeriodAction, now: Date): Promise<PeriodRow> {
  return db.transaction((tx) => applyTransition(tx, actor, node, month, action, now));
}

// ---- presenting ------------------------------------------------------------------------------------

/** What the console shows of a month: state, dates, who, and which step the caller may take. */
export async function periodView(db: DbOrTx, auth: AuthContext | null, node: OrgNode, row: PeriodRow, now: Date, opts: { jobsEnabled?: boolean } = {}) {
  const month = monthOfPeriod(row.period);
  const ids = [row.publishedBy, row.submittedBy, row.auditedBy, row.approvedBy, row.lockedBy].filter((x): x is number => x !== null);
  const names = new Map(ids.length ? (await db.select({ id: staff.id, name: staff.name }).from(staff).where(inArray(staff.id, ids))).map((s) => [s.id, s.name]) : []);
  const who = (id: number | null) => (id === null ? null : { id, name: names.get(id) ?? '' });
  const { openDay, calendar } = await publicationSettings(db);
  const iso = (d: Date | null) => d?.toISOString() ?? null;
  const day = publicationDay(month, openDay, calendar);
  const overdue = row.state === 'draft' && beijingDay(now) > day;
  return {
    nodeId: node.id,
    nodeCode: node.code,
    nodeName: node.name,
    month,
    period: row.period,
    state: row.state,
    scheduledPublicationDay: day,
    /**
     * A draft past its publication day (issue 12 rule 5): the console never shows a planned date in
     * the past without saying so and why — the scheduler is off on this server, or has not run since
     * (it makes up missed months, oldest first, on its next round).
     */
    publicationOverdue: overdue ? (opts.jobsEnabled === false ? ('jobs_disabled' as const) : ('not_run_yet' as const)) : null,
    publishedAt: iso(row.publishedAt),
    publishedBy: who(row.publishedBy),
    windowClosesAt: iso(row.windowClosesAt),
    windowOpen: objectionWindowOpen(row.state, row.windowClosesAt, now),
    windowClosedAt: iso(row.windowClosedAt),
    submittedAt: iso(row.submittedAt),
    submittedBy: who(row.submittedBy),
    auditedAt: iso(row.auditedAt),
    auditedBy: who(row.auditedBy),
    approvedAt: iso(row.approvedAt),
    approvedBy: who(row.approvedBy),
    lockedAt: iso(row.lockedAt),
    lockedBy: who(row.lockedBy),
    openObjections: await openObjectionCount(db, node.id, row.period),
    /** The next steps, each with the permission it needs and whether the caller holds it here. */
    actions: nextActions(row.state).map((a) => ({
      action: a,
      permission: TRANSITIONS[a].permission,
      allowed: auth ? canAt(auth, TRANSITIONS[a].permission, node.path) : false,
    })),
  };
}
export type PeriodView = Awaited<ReturnType<typeof periodView>>;

/** Branches in the caller's scope with the state of their month (no row → draft). */
export async function listPeriods(db: DbOrTx, scope: string[], month: string, nodeId?: number) {
  if (scope.length === 0) return [];
  const period = periodOfMonth(month);
  const inScope = sql.join(
    scope.map((p) => sql`n.path LIKE ${`${p}%`}`),
    sql` OR `,
  );
  return rows<{
    node_id: number;
    code: string;
    name: string;
    level: string;
    state: PeriodState | null;
    published_at: string | null;
    window_closes_at: string | null;
    locked_at: string | null;
    open_objections: number;
  }>(
    db,
    sql`SELECT n.id AS node_id, n.code, n.name, n.level, p.state, p.published_at, p.window_closes_at, p.locked_at,
               (SELECT count(*)::int FROM objections o WHERE o.node_id = n.id AND o.period = ${period}::date AND o.status = 'open') AS open_objections
        FROM org_nodes n LEFT JOIN periods p ON p.node_id = n.id AND p.period = ${period}::date
        WHERE n.level IN ('province', 'branch') AND n.active AND (${inScope}) ${nodeId ? sql`AND n.id = ${nodeId}` : sql``}
        ORDER BY n.path`,
  );
}

/**
 * Published months (公示 and after) the caller may read: their own branch's, and those of the
 * branches in their scope — newest first. What an ordinary member of staff opens to read notices.
 */
export async function listNotices(db: DbOrTx, opts: { ownBranchPath: string | null; scope: string[]; limit: number }) {
  const conds = [...opts.scope.map((p) => sql`n.path LIKE ${`${p}%`}`), ...(opts.ownBranchPath ? [sql`n.path = ${opts.ownBranchPath}`] : [])];
  if (conds.length === 0) return [];
  return rows<{ node_id: number; code: string; name: string; period: string; state: PeriodState; published_at: string | Date; window_closes_at: string | Date }>(
    db,
    sql`SELECT n.id AS node_id, n.code, n.name, p.period::text AS period, p.state, p.published_at, p.window_closes_at
        FROM periods p JOIN org_nodes n ON n.id = p.node_id
        WHERE p.state <> 'draft' AND n.level IN ('province', 'branch') AND (${sql.join(conds, sql` OR `)})
        ORDER BY p.period DESC, n.path LIMIT ${opts.limit}`,
  );
}
