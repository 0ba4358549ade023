import { sql } from 'drizzle-orm';
import { type Db, rows } from '../../db/client.js';
import { beijingTime } from '../../calendar/index.js';
import { notify, recipients } from '../notifications/notifications.service.js';
import { getSetting } from '../settings/settings.routes.js';
import type { InterbankJobOutcome } from './snapshots.job.js';

const KIND_ZH: Record<string, string> = { targets: '目标客户名单', visits: '客户拜访记录', progress: '营销进度' };
const KIND_EN: Record<string, string> = { targets: 'target list', visits: 'visit records', progress: 'progress' };

/**
 * Reminders of the weekly supervision (seed 000 三(一)), through the notifications inbox of the
 * branch's interbank.manage holders: once per branch-week within `interbank.reminderHours` before
 * the due time while something is unsent, and once when the due time has passed with something
 * still missing (the province's configure-holders are told too). Each is claimed in job_runs
 * ('interbank_remind' / 'interbank_missing', branch, week end), so two servers send it once.
 */
export async function runSupervisionJob(db: Db, now: Date): Promise<InterbankJobOutcome> {
  const out: InterbankJobOutcome = { job: 'interbank-supervision', done: [], failed: [] };
  const hours = await getSetting(db, 'interbank.reminderHours');
  const soon = new Date(now.getTime() + hours * 3_600_000).toISOString();
  const open = await rows<{ nodeId: number; weekEnd: string; dueAt: Date | string; kinds: string[]; path: string; level: string; name: string }>(
    db,
    sql`SELECT f.node_id AS "nodeId", f.week_end::text AS "weekEnd", min(f.due_at) AS "dueAt", array_agg(f.kind ORDER BY f.kind) AS kinds, n.path, n.level, n.name
          FROM fi_submissions f JOIN org_nodes n ON n.id = f.node_id
         WHERE f.submitted_at IS NULL AND f.due_at <= ${soon}::timestamptz
         GROUP BY f.node_id, f.week_end, n.path, n.level, n.name ORDER BY f.week_end, n.path`,
  );
  for (const o of open) {
    const missing = new Date(o.dueAt).getTime() < now.getTime();
    const job = missing ? 'interbank_missing' : 'interbank_remind';
    try {
      const sent = await db.transaction(async (tx) => {
        const claimed = await rows(tx, sql`INSERT INTO job_runs (job, node_id, period) VALUES (${job}, ${o.nodeId}, ${o.weekEnd}::date) ON CONFLICT DO NOTHING RETURNING 1`);
        if (claimed.length === 0) return false;
        const branch = { id: o.nodeId, path: o.path, level: o.level };
        const due = beijingTime(new Date(o.dueAt));
        const zh = o.kinds.map((k) => KIND_ZH[k]).join('、');
        const en = o.kinds.map((k) => KIND_EN[k]).join(', ');
        const who = missing
          ? recipients.union(
              recipients.holders('interbank.manage', branch),
              sql`SELECT sr.staff_id FROM staff_roles sr JOIN roles r ON r.code = sr.role_code JOIN org_nodes sn ON sn.id = sr.scope_node_id JOIN staff s ON s.id = sr.staff_id
                WHERE s.active AND r.code <> 'admin' AND r.permissions @> '["interbank.configure"]'::jsonb AND sn.level IN ('head', 'province')`,
            )
          : recipients.holders('interbank.manage', branch);
        await notify(tx, who, {
          kind: missing ? 'interbank.submission_missing' : 'interbank.submission_due',
          nodeId: o.nodeId,
          link: `/interbank/supervision?weekEnd=${o.weekEnd}`,
          titleZh: missing ? `${o.name}同业合作平台督导报送逾期未报：${zh}（截止 ${due}）` : `请于 ${due} 前报送同业合作平台督导材料：${zh}`,
          titleEn: missing ? `${o.name} inter-bank supervision overdue: ${en} (due ${due})` : `Inter-bank supervision due ${due}: ${en}`,
        });
        if (!missing)
          await tx.execute(sql`UPDATE fi_submissions SET reminded_at = ${now.toISOString()}::timestamptz WHERE node_id = ${o.nodeId} AND week_end = ${o.weekEnd}::date AND submitted_at IS NULL`);
        return true;
      });
      if (sent) out.done.push({ nodeId: o.nodeId, period: o.weekEnd });
    } catch (e) {
      out.failed.push({ nodeId: o.nodeId, period: o.weekEnd, error: e instanceof Error ? e.message : String(e) });
    }
  }
  return out;
}
