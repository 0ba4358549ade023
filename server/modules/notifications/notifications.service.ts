import { and, count, desc, eq, isNull, sql, type SQL } from 'drizzle-orm';
import type { Permission } from '../../../shared/access.js';
import { type DbOrTx, rows } from '../../db/client.js';
import { notifications } from '../../db/schema/index.js';
import { AppError } from '../../errors.js';
import { clock } from '../../calendar/index.js';

/** What a notification says; one row per recipient is written from it. */
export interface NotificationInput {
  /** e.g. period.published, objection.answered */
  kind: string;
  titleZh: string;
  titleEn: string;
  /** Console route to open. */
  link?: string | null;
  nodeId?: number | null;
}

/** A branch as the recipient queries need it. */
export interface BranchRef {
  id: number;
  path: string;
  level: string;
}

/**
 * Who receives a notification, as a SELECT of staff ids (one column). Set-based: a publication
 * to a few thousand staff is one INSERT … SELECT, never a loop.
 */
export const recipients = {
  /**
   * Every active member of staff of the branch (SPEC §9.2 "every staff member of the branch"):
   * for a tier-2 branch its whole subtree; for the province, the people of the province node
   * itself (those below it belong to their tier-2 branches' statements).
   */
  branchStaff(node: BranchRef): SQL {
    const inBranch = node.level === 'branch' ? sql`n.path LIKE ${`${node.path}%`}` : sql`n.path = ${node.path}`;
    return sql`SELECT s.id FROM staff s JOIN org_nodes n ON n.id = s.node_id WHERE s.active AND ${inBranch}`;
  },
  /**
   * Active staff holding `perm` through a role scoped over the branch — the people whose turn it
   * is. System administrators hold everything and are not business actors: left out.
   */
  holders(perm: Permission, node: BranchRef): SQL {
    return sql`SELECT sr.staff_id FROM staff_roles sr
      JOIN roles r ON r.code = sr.role_code
      JOIN org_nodes sn ON sn.id = sr.scope_node_id
      JOIN staff s ON s.id = sr.staff_id
      WHERE s.active AND r.code <> 'admin' AND r.permissions @> ${JSON.stringify([perm])}::jsonb
        AND ${node.path} LIKE sn.path || '%'`;
  },
  /** Active staff holding the role `code` through a scope over the branch (e.g. its compliance auditors). */
  role(code: string, node: BranchRef): SQL {
    return sql`SELECT sr.staff_id FROM staff_roles sr
      JOIN org_nodes sn ON sn.id = sr.scope_node_id
      JOIN staff s ON s.id = sr.staff_id
      WHERE s.active AND sr.role_code = ${code} AND ${node.path} LIKE sn.path || '%'`;
  },
  /** The branch's committee office (委员会办公室): its `office` members, else the whole committee. */
  committeeOffice(nodeId: number): SQL {
    return sql`SELECT cm.staff_id FROM committee_members cm JOIN staff s ON s.id = cm.staff_id
      WHERE s.active AND cm.node_id = ${nodeId}
        AND (cm.position = 'office' OR NOT EXISTS (SELECT 1 FROM committee_members o WHERE o.node_id = ${nodeId} AND o.position = 'office'))`;
  },
  /** The whole committee of the branch (chair, vice-chairs, members, office). */
  committee(nodeId: number): SQL {
    return sql`SELECT cm.staff_id FROM committee_members cm JOIN staff s ON s.id = cm.staff_id WHERE s.active AND cm.node_id = ${nodeId}`;
  },
  /** These members of staff, the active ones (e.g. everyone on a changed line of a notice). */
  staffIds(ids: number[]): SQL {
    if (ids.length === 0) return sql`SELECT NULL::int WHERE false`;
    return sql`SELECT s.id FROM staff s WHERE s.active AND s.id IN (${sql.join(
      ids.map((i) => sql`${i}::int`),
      sql`, `,
    )})`;
  },
  one(staffId: number): SQL {
    return sql`SELECT ${staffId}::int`;
  },
  union(...parts: SQL[]): SQL {
    return sql.join(parts, sql` UNION `);
  },
};

/** Writes one notification per distinct recipient in the caller's transaction; returns how many. */
export async function notify(tx: DbOrTx, who: SQL, n: NotificationInput): Promise<number> {
  const [r] = await rows<{ n: number }>(
    tx,
    sql`WITH ins AS (
          INSERT INTO notifications (staff_id, kind, title_zh, title_en, link, node_id, created_at)
          SELECT DISTINCT r.id, ${n.kind}::text, ${n.titleZh}::text, ${n.titleEn}::text, ${n.link ?? null}::text, ${n.nodeId ?? null}::int, ${clock.now().toISOString()}::timestamptz
          FROM (${who}) AS r(id)
          WHERE r.id IS NOT NULL
          RETURNING 1)
        SELECT count(*)::int AS n FROM ins`,
  );
  return Number(r?.n ?? 0);
}

export type NotificationRow = typeof notifications.$inferSelect;

/** One page of the caller's own notifications, newest first. */
export async function listMine(db: DbOrTx, staffId: number, q: { page: number; pageSize: number; unread?: boolean }) {
  const where = and(eq(notifications.staffId, staffId), q.unread ? isNull(notifications.readAt) : undefined);
  const items = await db
    .select()
    .from(notifications)
    .where(where)
    .orderBy(desc(notifications.id))
    .limit(q.pageSize)
    .offset((q.page - 1) * q.pageSize);
  const [{ total }] = await db.select({ total: count() }).from(notifications).where(where);
  return { items, total: Number(total), page: q.page, pageSize: q.pageSize, unread: await unreadCount(db, staffId) };
}

export async function unreadCount(db: DbOrTx, staffId: number): Promise<number> {
  const [{ n }] = await db
    .select({ n: count() })
    .from(notifications)
    .where(and(eq(notifications.staffId, staffId), isNull(notifications.readAt)));
  return Number(n);
}

/** Marks one of the caller's notifications read (404 for anyone else's: ids reveal nothing). */
export async function markRead(db: DbOrTx, staffId: number, id: number, now: Date): Promise<NotificationRow> {
  const [row] = await db
    .select()
    .from(notifications)
    .where(and(eq(notifications.id, id), eq(notifications.staffId, staffId)));
  if (!row) throw new AppError('NOTIFICATION.NOT_FOUND');
  if (row.readAt) return row;
  const [after] = await db
    .update(notifications)
    .set({ readAt: now })
    .where(and(eq(notifications.id, id), eq(notifications.staffId, staffId), isNull(notifications.readAt)))
    .returning();
  return after ?? row;
}

/** Marks all of the caller's unread notifications read; returns how many changed. */
export async function markAllRead(db: DbOrTx, staffId: number, now: Date): Promise<number> {
  const changed = await db
    .update(notifications)
    .set({ readAt: now })
    .where(and(eq(notifications.staffId, staffId), isNull(notifications.readAt)))
    .returning({ id: notifications.id });
  return changed.length;
}
