import { sql } from 'drizzle-orm';
import { type Db, rows } from '../../db/client.js';
import { appendAudit, SYSTEM_ACTOR } from '../audit/audit.service.js';
import { notify, recipients } from '../notifications/notifications.service.js';
import { ESCALATION_DAYS, escalationLevel } from './leads.rules.js';

export interface EscalationOutcome {
  job: 'lead-escalation';
  done: { nodeId: number; period: string }[];
  failed: { nodeId: number; period: string; error: string }[];
}

/**
 * The escalation ladder (issue 13), run by the job runner: an open, held lead untouched for 3 days
 * reminds its holder; 5 days, the branch's lead managers too; 7 days, it is flagged and returned to
 * its department's pool. Each lead climbs one rung per step it has reached, once (escalation_level
 * remembers), so a round that runs twice — or on two servers — notifies nobody twice: rows are
 * claimed with SKIP LOCKED and re-checked under the lock.
 */
export async function runLeadEscalationJob(db: Db, now: Date): Promise<EscalationOutcome> {
  const out: EscalationOutcome = { job: 'lead-escalation', done: [], failed: [] };
  const due = new Date(now.getTime() - ESCALATION_DAYS.remindOwner * 86_400_000).toISOString();
  const candidates = await rows<{ id: number }>(
    db,
    sql`SELECT id FROM leads WHERE owner_staff_id IS NOT NULL AND stage IN ('new', 'contacted', 'proposal') AND touched_at <= ${due} AND escalation_level < 3 ORDER BY id`,
  );
  for (const { id } of candidates) {
    try {
      await db.transaction(async (tx) => {
        const [l] = await rows<{
          id: number;
          nodeId: number;
          path: string;
          level: string;
          ownerStaffId: number | null;
          contactName: string;
          touchedAt: Date | string;
          escalationLevel: number;
          stage: string;
        }>(
          tx,
          sql`SELECT l.id, l.node_id AS "nodeId", n.path, n.level, l.owner_staff_id AS "ownerStaffId", l.contact_name AS "contactName", l.touched_at AS "touchedAt",
                     l.escalation_level AS "escalationLevel", l.stage
                FROM leads l JOIN org_nodes n ON n.id = l.node_id WHERE l.id = ${id} FOR UPDATE OF l SKIP LOCKED`,
        );
        if (!l || l.ownerStaffId === null || !['new', 'contacted', 'proposal'].includes(l.stage)) return;
        const level = escalationLevel(new Date(l.touchedAt), now);
        if (level <= Number(l.escalationLevel)) return;
        const at = now.toISOString();
        const branch = { id: l.nodeId, path: l.path, level: l.level };
        const link = `/leads/${l.id}`;
        if (level === 3) {
          await tx.execute(sql`UPDATE leads SET escalation_level = 3, flagged_at = ${at}, owner_staff_id = NULL WHERE id = ${l.id}`);
          await tx.execute(
            sql`INSERT INTO lead_events (lead_id, at, actor_staff_id, kind, detail) VALUES (${l.id}, ${at}, NULL, 'returned', ${JSON.stringify({ from: l.ownerStaffId, days: ESCALATION_DAYS.returnToPool })}::jsonb)`,
          );
          await notify(tx, recipients.union(recipients.one(l.ownerStaffId), recipients.holders('lead.manage', branch)), {
            kind: 'lead.returned',
            titleZh: `商机「${l.contactName}」超过${ESCALATION_DAYS.returnToPool}天未跟进，已退回部门商机池`,
            titleEn: `Lead "${l.contactName}" untouched for ${ESCALATION_DAYS.returnToPool} days: returned to the department's pool`,
            link,
            nodeId: l.nodeId,
          });
          await appendAudit(tx, SYSTEM_ACTOR, {
            action: 'lead.return',
            entity: 'lead',
            entityId: l.id,
            nodeId: l.nodeId,
            before: { ownerStaffId: l.ownerStaffId },
            after: { ownerStaffId: null, flaggedAt: at },
          });
        } else {
          await tx.execute(sql`UPDATE leads SET escalation_level = ${level} WHERE id = ${l.id}`);
          const days = level === 1 ? ESCALATION_DAYS.remindOwner : ESCALATION_DAYS.remindManager;
          await tx.execute(sql`INSERT INTO lead_events (lead_id, at, actor_staff_id, kind, detail) VALUES (${l.id}, ${at}, NULL, 'escalated', ${JSON.stringify({ level, days })}::jsonb)`);
          const who = level === 1 ? recipients.one(l.ownerStaffId) : recipients.union(recipients.one(l.ownerStaffId), recipients.holders('lead.manage', branch));
          await notify(tx, who, {
            kind: 'lead.escalated',
            titleZh: `商机「${l.contactName}」已${days}天未跟进${level === 2 ? '（已提醒管理人员）' : ''}`,
            titleEn: `Lead "${l.contactName}" untouched for ${days} days${level === 2 ? ' (managers reminded)' : ''}`,
            link,
            nodeId: l.nodeId,
          });
        }
        out.done.push({ nodeId: l.nodeId, period: `lead ${l.id} → ${level}` });
      });
    } catch (e) {
      out.failed.push({ nodeId: 0, period: `lead ${id}`, error: e instanceof Error ? e.message : String(e) });
    }
  }
  return out;
}
