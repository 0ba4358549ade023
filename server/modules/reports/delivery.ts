import { sql } from 'drizzle-orm';
import { type Db, type DbOrTx, rows } from '../../db/client.js';
import { loadGrants } from '../auth/auth.service.js';
import { notify, recipients } from '../notifications/notifications.service.js';
import { type AnyData, type Condition, crosses, describeCondition, isData, linesWithin, measuresOf, measureValue } from './subscriptions.rules.js';

/**
 * Delivering produced issues to their subscribers (issue 16, decision 0040). Every produced issue
 * version made at or after a subscription began is delivered to it exactly once: the delivery row
 * (unique per subscription and issue) is inserted with ON CONFLICT DO NOTHING in the transaction
 * that writes the notification, so two servers — or the job's hook and its retry pass — never
 * notify twice. A conditional subscription is measured on the subscriber's own lines (the issue
 * filtered to their report.read subtrees) and is sent only when the figure crosses the threshold;
 * otherwise the delivery is recorded as held, so the decision is made once and can be seen.
 */

export interface DeliveryOutcome {
  job: 'report-delivery';
  done: { nodeId: number; period: string }[];
  failed: { nodeId: number; period: string; error: string }[];
}

interface PendingRow {
  subscription_id: number;
  staff_id: number;
  node_id: number;
  measure: string | null;
  comparator: 'lt' | 'gt' | null;
  threshold: string | number | null;
  issue_id: number;
  code: string;
  period_label: string;
  version: number;
  name_zh: string;
  name_en: string;
}

/** The subtrees in which a member of staff may read reports (their report.read grants). */
export async function readScopes(db: DbOrTx, staffId: number): Promise<string[]> {
  const grants = await loadGrants(db, staffId);
  return [...new Set(grants.filter((g) => g.permissions.has('report.read')).map((g) => g.scopePath))];
}

/** Delivers every pending (subscription, issue) pair — of one issue when `issueId` is given. */
export async function deliverPending(db: Db, now: Date, issueId?: number): Promise<DeliveryOutcome> {
  const out: DeliveryOutcome = { job: 'report-delivery', done: [], failed: [] };
  const pending = await rows<PendingRow>(
    db,
    sql`SELECT s.id AS subscription_id, s.staff_id, st.node_id, s.measure, s.comparator, s.threshold,
               i.id AS issue_id, i.definition_code AS code, i.period_label, i.version, d.name_zh, d.name_en
          FROM report_subscriptions s
          JOIN staff st ON st.id = s.staff_id AND st.active
          JOIN report_issues i ON i.definition_code = s.definition_code AND i.status = 'produced' AND i.produced_at >= s.created_at
          JOIN report_definitions d ON d.code = i.definition_code AND d.version = i.definition_version
         WHERE s.active ${issueId === undefined ? sql`` : sql`AND i.id = ${issueId}`}
           AND NOT EXISTS (SELECT 1 FROM report_deliveries x WHERE x.subscription_id = s.id AND x.issue_id = i.id)
         ORDER BY i.id, s.id`,
  );
  const data = new Map<number, AnyData | null>();
  for (const p of pending) {
    const label = `${p.code}/${p.period_label}/v${p.version}→${p.staff_id}`;
    try {
      if (!data.has(p.issue_id)) {
        const [r] = await rows<{ data: unknown }>(db, sql`SELECT data FROM report_issues WHERE id = ${p.issue_id}`);
        data.set(p.issue_id, isData(r?.data) ? r.data : null);
      }
      const sent = await db.transaction(async (tx) => deliverOne(tx, p, data.get(p.issue_id) ?? null, now));
      if (sent !== null) out.done.push({ nodeId: Number(p.node_id), period: `${label}${sent ? '' : ' (held)'}` });
    } catch (e) {
      out.failed.push({ nodeId: Number(p.node_id), period: label, error: e instanceof Error ? e.message : String(e) });
    }
  }
  return out;
}

/** One delivery: claimed by its row; returns whether it was sent (null: another process had it). */
async function deliverOne(tx: DbOrTx, p: PendingRow, data: AnyData | null, now: Date): Promise<boolean | null> {
  const scopes = await readScopes(tx, Number(p.staff_id));
  const mine = data ? linesWithin(data.lines, scopes) : [];
  const condition: Condition | null = p.measure && p.comparator && p.threshold !== null ? { measure: p.measure, comparator: p.comparator, threshold: Number(p.threshold) } : null;
  const measured = condition && data ? measureValue(data.view, mine, condition.measure, data.measures) : null;
  const sent = scopes.length > 0 && (condition === null || crosses(condition, measured));
  const [row] = await rows<{ id: number }>(
    tx,
    sql`INSERT INTO report_deliveries (subscription_id, issue_id, staff_id, sent, measured, lines, delivered_at)
        VALUES (${p.subscription_id}, ${p.issue_id}, ${p.staff_id}, ${sent}, ${measured}, ${mine.length}, ${now.toISOString()}::timestamptz)
        ON CONFLICT DO NOTHING RETURNING id`,
  );
  if (!row) return null;
  if (!sent) return false;
  const m = condition && data ? measuresOf(data.view, data.measures).find((x) => x.key === condition.measure) : undefined;
  const why = condition ? { zh: `（触发条件：${describeCondition(condition, m, 'zh')}）`, en: ` (condition: ${describeCondition(condition, m, 'en')})` } : { zh: '', en: '' };
  const v = Number(p.version) > 1 ? { zh: `第${p.version}版`, en: ` v${p.version}` } : { zh: '', en: '' };
  await notify(tx, recipients.one(Number(p.staff_id)), {
    kind: 'report.delivered',
    nodeId: Number(p.node_id),
    link: `/reports/deliveries/${row.id}`,
    titleZh: `《${p.name_zh}》${p.period_label}${v.zh}已推送${why.zh}`,
    titleEn: `${p.name_en} ${p.period_label}${v.en} delivered${why.en}`,
  });
  return true;
}
