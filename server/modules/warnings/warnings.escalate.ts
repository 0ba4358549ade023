import { type SQL, sql } from 'drizzle-orm';
import { type DbOrTx, rows } from '../../db/client.js';
import { clock } from '../../calendar/index.js';
import { type Actor, appendAudit } from '../audit/audit.service.js';

/**
 * The leaders a warning goes up to at `level` (alias w for the warning): active staff holding
 * warning.lead through a role scoped exactly at the client's sub-branch (level 1) or tier-2 branch
 * (level 2) — the ancestor of the client's node at that org level. A client kept directly by a
 * tier-2 branch has no sub-branch: level 1 goes to the branch's leaders.
 */
export function leadersOf(levelTarget: SQL, which: SQL): SQL {
  return sql`SELECT DISTINCT w.id AS warning_id, sr.staff_id FROM ew_warnings w
      JOIN org_nodes cn ON cn.id = w.node_id
      JOIN org_nodes sn ON cn.path LIKE sn.path || '%'
      JOIN staff_roles sr ON sr.scope_node_id = sn.id
      JOIN roles r ON r.code = sr.role_code AND r.code <> 'admin' AND r.permissions @> '["warning.lead"]'::jsonb
      JOIN staff s ON s.id = sr.staff_id AND s.active
     WHERE (${which})
       AND (sn.level = (${levelTarget})
        OR (sn.level = 'branch' AND (${levelTarget}) = 'subbranch'
            AND NOT EXISTS (SELECT 1 FROM org_nodes x WHERE x.level = 'subbranch' AND cn.path LIKE x.path || '%')))`;
}

export interface EscalationOutcome {
  escalated: { id: number; level: number; nodeId: number }[];
  leaders: number;
}

/**
 * Escalates every warning not closed whose age on `today` reached a higher step (set-based: one
 * UPDATE … RETURNING), records the scheduler's action and audits each, adds the leaders of the
 * new level as recipients and sends each leader one notification for the day.
 */
export async function escalateDue(tx: DbOrTx, today: string, actor: Actor): Promise<EscalationOutcome> {
  const now = clock.now().toISOString();
  const escalated = await rows<{ id: number; level: number; nodeId: number; from: number }>(
    tx,
    sql`WITH due AS (
          SELECT w.id, w.escalation_level AS from_level, max(s.level) AS level FROM ew_warnings w JOIN ew_escalation_steps s ON ${today}::date - w.first_day >= s.after_days
           WHERE w.status <> 'closed' GROUP BY w.id, w.escalation_level HAVING max(s.level) > w.escalation_level)
        UPDATE ew_warnings w SET escalation_level = due.level, updated_at = ${now}::timestamptz FROM due WHERE w.id = due.id
        RETURNING w.id, w.escalation_level AS level, w.node_id AS "nodeId", due.from_level AS "from"`,
  );
  if (escalated.length === 0) return { escalated: [], leaders: 0 };
  const ids = sql`(SELECT unnest(${`{${escalated.map((e) => e.id).join(',')}}`}::int[]))`;
  await tx.execute(sql`INSERT INTO ew_actions (warning_id, kind, level, note, at)
    SELECT w.id, 'auto_escalate', w.escalation_level, '逾期未处理，自动升级', ${now}::timestamptz FROM ew_warnings w WHERE w.id IN ${ids}`);
  const leaders = await addLeaders(tx, ids, today);
  await notifyLeaders(tx, ids, now);
  // One audit entry per org node and level reached (the warnings' ids listed): a busy morning is a few hundred entries, not one per warning.
  const groups = new Map<string, { nodeId: number; level: number; ids: number[] }>();
  for (const e of escalated) {
    const k = `${e.nodeId}:${e.level}`;
    const g = groups.get(k) ?? { nodeId: e.nodeId, level: e.level, ids: [] };
    g.ids.push(e.id);
    groups.set(k, g);
  }
  await appendAudit(
    tx,
    actor,
    [...groups.values()].map((g) => ({
      action: 'warning.escalate',
      entity: 'ew_warning',
      entityId: `${today}:${g.nodeId}:${g.level}`,
      nodeId: g.nodeId,
      after: { escalationLevel: g.level, by: 'schedule', warnings: g.ids },
    })),
  );
  return { escalated: escalated.map(({ id, level, nodeId }) => ({ id, level, nodeId })), leaders };
}

/** Adds the leaders of each listed warning's current level as recipients ('escalation'). */
export async function addLeaders(tx: DbOrTx, ids: SQL, today: string): Promise<number> {
  const [r] = await rows<{ n: number }>(
    tx,
    sql`WITH lv AS (SELECT l.warning_id, l.staff_id FROM ew_warnings w0
           JOIN ew_escalation_steps st ON st.level = w0.escalation_level
           JOIN LATERAL (${leadersOf(sql`st.target`, sql`w.id = w0.id`)}) l ON true
          WHERE w0.id IN ${ids}),
        ins AS (INSERT INTO ew_recipients (warning_id, staff_id, reason, via, added_on)
          SELECT lv.warning_id, lv.staff_id, 'escalation', NULL, ${today}::date FROM lv ON CONFLICT DO NOTHING RETURNING 1)
        SELECT count(*)::int AS n FROM ins`,
  );
  return Number(r?.n ?? 0);
}

/** One notification per leader for the warnings escalated to them now. */
async function notifyLeaders(tx: DbOrTx, ids: SQL, now: string): Promise<void> {
  await tx.execute(sql`INSERT INTO notifications (staff_id, kind, title_zh, title_en, link, created_at)
    SELECT r.staff_id, 'warning.escalated', '预警升级：' || count(*) || '条预警逾期未处理，请督办', 'Escalated: ' || count(*) || ' warnings overdue for handling', '/warnings/status', ${now}::timestamptz
      FROM ew_recipients r WHERE r.reason = 'escalation' AND r.warning_id IN ${ids} GROUP BY r.staff_id`);
}
