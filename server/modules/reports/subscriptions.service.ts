import { sql } from 'drizzle-orm';
import type { z } from 'zod';
import { type Db, type DbOrTx, rows } from '../../db/client.js';
import { AppError } from '../../errors.js';
import { assertBankWide, type AuthContext, canAt, isBankWide, scopePaths } from '../access/context.js';
import { type Actor, appendAudit } from '../audit/audit.service.js';
import { currentDefinition, type StoredDefinition } from './definitions.service.js';
import { FEEDS } from './feeds.js';
import { getIssue } from './reports.service.js';
import type { DeliveryItem, ReceiptItem, SubscriptionBody, SubscriptionItem } from './subscriptions.schemas.js';
import { describeCondition, type MeasureDef, measuresOf } from './subscriptions.rules.js';

/**
 * Subscriptions, the subscriber's deliveries and the province's read receipts (issue 16, decision
 * 0040). Anyone who reads reports subscribes themselves; a report.manage holder subscribes the
 * staff of its subtree. Opening a delivery is the read receipt; the issue is shown through the same
 * filter as every read (the subscriber's report.read subtrees), so a branch never receives
 * another branch's lines. Receipts are the province's (report.manage held bank-wide).
 */

const actorOf = (auth: AuthContext): Actor => ({ id: auth.staffId, name: auth.name });
const iso = (d: Date | string | null): string | null => (d === null ? null : new Date(d).toISOString());

/** The measures a report offers: its own view's or its feed's (none for a view not built yet). */
export function measuresForDefinition(d: Pick<StoredDefinition, 'sourceKind' | 'source'>): MeasureDef[] {
  if (d.sourceKind === 'feed') return measuresOf('feed', FEEDS[d.source]?.measures ?? []);
  return measuresOf(d.source);
}

interface SubRow {
  id: number;
  staff_id: number;
  staff_name: string;
  staff_no: string;
  node_name: string;
  code: string;
  name_zh: string;
  name_en: string;
  source_kind: 'own' | 'feed';
  source: string;
  measure: string | null;
  comparator: 'lt' | 'gt' | null;
  threshold: string | number | null;
  created_at: Date | string;
  created_by_name: string;
}

const SUB_SELECT = sql`SELECT s.id, s.staff_id, st.name AS staff_name, st.staff_no, n.name AS node_name, s.definition_code AS code,
         d.name_zh, d.name_en, d.source_kind, d.source, s.measure, s.comparator, s.threshold, s.created_at, cb.name AS created_by_name
    FROM report_subscriptions s JOIN staff st ON st.id = s.staff_id JOIN org_nodes n ON n.id = st.node_id JOIN staff cb ON cb.id = s.created_by
    JOIN LATERAL (SELECT name_zh, name_en, source_kind, source FROM report_definitions x WHERE x.code = s.definition_code ORDER BY x.version DESC LIMIT 1) d ON true`;

function conditionOf(r: Pick<SubRow, 'measure' | 'comparator' | 'threshold' | 'source_kind' | 'source'>) {
  if (!r.measure || !r.comparator || r.threshold === null) return { condition: null, conditionZh: null, conditionEn: null };
  const c = { measure: r.measure, comparator: r.comparator, threshold: Number(r.threshold) };
  const m = measuresForDefinition({ sourceKind: r.source_kind, source: r.source }).find((x) => x.key === c.measure);
  return { condition: c, conditionZh: describeCondition(c, m, 'zh'), conditionEn: describeCondition(c, m, 'en') };
}

const subOut = (r: SubRow): z.infer<typeof SubscriptionItem> => ({
  id: Number(r.id),
  staffId: Number(r.staff_id),
  staffName: r.staff_name,
  staffNo: r.staff_no,
  nodeName: r.node_name,
  code: r.code,
  nameZh: r.name_zh,
  nameEn: r.name_en,
  ...conditionOf(r),
  createdAt: iso(r.created_at)!,
  createdByName: r.created_by_name,
});

/** The caller's active subscriptions, and those of the staff in the subtrees where the caller holds report.manage. */
export async function listSubscriptions(db: DbOrTx, auth: AuthContext): Promise<z.infer<typeof SubscriptionItem>[]> {
  const manage = scopePaths(auth, 'report.manage');
  const inScope = manage.length
    ? sql` OR ${sql.join(
        manage.map((p) => sql`n.path LIKE ${`${p}%`}`),
        sql` OR `,
      )}`
    : sql``;
  const r = await rows<SubRow>(db, sql`${SUB_SELECT} WHERE s.active AND (s.staff_id = ${auth.staffId}${inScope}) ORDER BY s.definition_code, st.staff_no`);
  return r.map(subOut);
}

/** Subscribes the caller (or, holding report.manage over them, another member of staff) to a report. Audited. */
export async function subscribe(db: Db, auth: AuthContext, body: z.infer<typeof SubscriptionBody>, now: Date): Promise<z.infer<typeof SubscriptionItem>> {
  const staffId = body.staffId ?? auth.staffId;
  const [who] = await rows<{ id: number; path: string; node_id: number; active: boolean }>(
    db,
    sql`SELECT s.id, n.path, s.node_id, s.active FROM staff s JOIN org_nodes n ON n.id = s.node_id WHERE s.id = ${staffId}`,
  );
  // Someone else's subscription is the manager's to make, inside its subtree; nothing is revealed otherwise.
  if (!who || !who.active || (staffId !== auth.staffId && !canAt(auth, 'report.manage', who.path))) throw new AppError('AUTH.OUT_OF_SCOPE');
  const d = await currentDefinition(db, body.code);
  if (!d) throw new AppError('REPORT.NOT_FOUND');
  if (body.condition && !measuresForDefinition(d).some((m) => m.key === body.condition!.measure)) throw new AppError('REPORT.BAD_MEASURE');
  const [reads] = await rows<{ ok: boolean }>(
    db,
    sql`SELECT EXISTS (SELECT 1 FROM staff_roles sr JOIN roles r ON r.code = sr.role_code WHERE sr.staff_id = ${staffId} AND r.permissions @> '["report.read"]'::jsonb) AS ok`,
  );
  if (!reads?.ok) throw new AppError('REPORT.SUBSCRIBER_CANNOT_READ');
  return db.transaction(async (tx) => {
    const c = body.condition ?? null;
    const [row] = await rows<{ id: number }>(
      tx,
      sql`INSERT INTO report_subscriptions (staff_id, definition_code, measure, comparator, threshold, created_by, created_at)
          VALUES (${staffId}, ${d.code}, ${c?.measure ?? null}, ${c?.comparator ?? null}, ${c?.threshold ?? null}, ${auth.staffId}, ${now.toISOString()}::timestamptz)
          ON CONFLICT DO NOTHING RETURNING id`,
    );
    if (!row) throw new AppError('REPORT.ALREADY_SUBSCRIBED');
    await appendAudit(tx, actorOf(auth), {
      action: 'report.subscribe',
      entity: 'report_subscription',
      entityId: row.id,
      nodeId: Number(who.node_id),
      after: { staffId, code: d.code, condition: c },
    });
    const [r] = await rows<SubRow>(tx, sql`${SUB_SELECT} WHERE s.id = ${row.id}`);
    return subOut(r);
  });
}

/** Ends a subscription (the subscriber's own, or one in the caller's report.manage subtree). Audited. */
export async function unsubscribe(db: Db, auth: AuthContext, id: number, now: Date): Promise<void> {
  const [s] = await rows<{ staff_id: number; path: string; node_id: number; code: string }>(
    db,
    sql`SELECT s.staff_id, n.path, st.node_id, s.definition_code AS code FROM report_subscriptions s JOIN staff st ON st.id = s.staff_id JOIN org_nodes n ON n.id = st.node_id
         WHERE s.id = ${id} AND s.active`,
  );
  if (!s || (Number(s.staff_id) !== auth.staffId && !canAt(auth, 'report.manage', s.path))) throw new AppError('REPORT.SUBSCRIPTION_NOT_FOUND');
  await db.transaction(async (tx) => {
    await tx.execute(sql`UPDATE report_subscriptions SET active = false, ended_at = ${now.toISOString()}::timestamptz WHERE id = ${id} AND active`);
    await appendAudit(tx, actorOf(auth), {
      action: 'report.unsubscribe',
      entity: 'report_subscription',
      entityId: id,
      nodeId: Number(s.node_id),
      before: { staffId: Number(s.staff_id), code: s.code },
    });
  });
}

interface DeliveryRow {
  id: number;
  issue_id: number;
  code: string;
  name_zh: string;
  name_en: string;
  period_label: string;
  version: number;
  sent: boolean;
  measured: string | number | null;
  lines: number;
  delivered_at: Date | string;
  read_at: Date | string | null;
}

const DELIVERY_SELECT = sql`SELECT x.id, x.issue_id, i.definition_code AS code, d.name_zh, d.name_en, i.period_label, i.version, x.sent, x.measured, x.lines, x.delivered_at, x.read_at
    FROM report_deliveries x JOIN report_issues i ON i.id = x.issue_id JOIN report_definitions d ON d.code = i.definition_code AND d.version = i.definition_version`;

const deliveryOut = (r: DeliveryRow): z.infer<typeof DeliveryItem> => ({
  id: Number(r.id),
  issueId: Number(r.issue_id),
  code: r.code,
  nameZh: r.name_zh,
  nameEn: r.name_en,
  periodLabel: r.period_label,
  version: Number(r.version),
  sent: r.sent,
  measured: r.measured === null ? null : Number(r.measured),
  lines: Number(r.lines),
  deliveredAt: iso(r.delivered_at)!,
  readAt: iso(r.read_at),
});

/** The caller's sent deliveries, newest first. */
export async function myDeliveries(db: DbOrTx, auth: AuthContext, limit: number): Promise<z.infer<typeof DeliveryItem>[]> {
  return (await rows<DeliveryRow>(db, sql`${DELIVERY_SELECT} WHERE x.staff_id = ${auth.staffId} AND x.sent ORDER BY x.id DESC LIMIT ${limit}`)).map(deliveryOut);
}

/** One of the caller's deliveries (404 for anyone else's). */
async function ownDelivery(db: DbOrTx, auth: AuthContext, id: number): Promise<DeliveryRow> {
  const [r] = await rows<DeliveryRow>(db, sql`${DELIVERY_SELECT} WHERE x.id = ${id} AND x.staff_id = ${auth.staffId} AND x.sent`);
  if (!r) throw new AppError('REPORT.DELIVERY_NOT_FOUND');
  return r;
}

/** Opens a delivery: the read receipt (first opening), and the issue filtered to the subscriber's subtree. */
export async function openDelivery(db: DbOrTx, auth: AuthContext, id: number, now: Date) {
  const r = await ownDelivery(db, auth, id);
  const [read] = await rows<{ read_at: Date | string }>(db, sql`UPDATE report_deliveries SET read_at = coalesce(read_at, ${now.toISOString()}::timestamptz) WHERE id = ${id} RETURNING read_at`);
  return { delivery: deliveryOut({ ...r, read_at: read.read_at }), issue: await getIssue(db, auth, Number(r.issue_id), now) };
}

/** The issue of one of the caller's deliveries, as its subscriber may see it (for the attachment). */
export async function deliveredIssue(db: DbOrTx, auth: AuthContext, id: number, now: Date) {
  const r = await ownDelivery(db, auth, id);
  return getIssue(db, auth, Number(r.issue_id), now);
}

/** Who received an issue and who has opened it (report.manage held bank-wide: the province). */
export async function receipts(db: DbOrTx, auth: AuthContext, issueId: number): Promise<z.infer<typeof ReceiptItem>[]> {
  assertBankWide(auth, 'report.manage');
  const r = await rows<{
    id: number;
    staff_name: string;
    staff_no: string;
    node_name: string;
    sent: boolean;
    measured: string | number | null;
    lines: number;
    delivered_at: Date | string;
    read_at: Date | string | null;
    measure: string | null;
    comparator: 'lt' | 'gt' | null;
    threshold: string | number | null;
  }>(
    db,
    sql`SELECT x.id, st.name AS staff_name, st.staff_no, n.name AS node_name, x.sent, x.measured, x.lines, x.delivered_at, x.read_at, s.measure, s.comparator, s.threshold
          FROM report_deliveries x JOIN report_subscriptions s ON s.id = x.subscription_id JOIN staff st ON st.id = x.staff_id JOIN org_nodes n ON n.id = st.node_id
         WHERE x.issue_id = ${issueId} ORDER BY n.path, st.staff_no`,
  );
  return r.map((x) => ({
    id: Number(x.id),
    staffName: x.staff_name,
    staffNo: x.staff_no,
    nodeName: x.node_name,
    sent: x.sent,
    measured: x.measured === null ? null : Number(x.measured),
    lines: Number(x.lines),
    deliveredAt: iso(x.delivered_at)!,
    readAt: iso(x.read_at),
    condition: x.measure && x.comparator && x.threshold !== null ? { measure: x.measure, comparator: x.comparator, threshold: Number(x.threshold) } : null,
  }));
}

/** Whether the caller sees receipts (the console shows the column only then). */
export const seesReceipts = (auth: AuthContext): boolean => isBankWide(auth, 'report.manage');
