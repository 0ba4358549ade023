import { and, count, desc, eq, gte, ilike, lt, sql } from 'drizzle-orm';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { AuditOut, ChainReportOut } from './audit.schemas.js';
import { countedList } from '../../http/lists.js';
import { likeContains, likePrefix } from '../../db/like.js';
import { auditLog, orgNodes } from '../../db/schema/index.js';
import { auditScopeSql } from './audit.policy.js';
import { verifyAuditChain } from './audit.service.js';

const tags = ['audit'];
const day = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, '日期格式应为 2026-11-22');

const AuditQuery = z.strictObject({
  page: z.coerce.number().int().min(1).default(1),
  pageSize: z.coerce.number().int().min(1).max(200).default(20),
  action: z.string().max(64).optional(),
  entity: z.string().max(64).optional(),
  entityId: z.string().max(64).optional(),
  /** 操作人姓名（部分匹配） */
  actor: z.string().max(50).optional(),
  from: day.optional(),
  to: day.optional(),
});

// Dates are Beijing days (UTC+8), as the bank reads them.
const bjStart = (d: string) => new Date(`${d}T00:00:00+08:00`);

/** 审计日志: browse, filter and verify the hash chain. */
export const auditRoutes: FastifyPluginAsyncZod = async (app) => {
  const db = app.database.db;

  app.get(
    '/',
    {
      config: { access: 'audit.read' },
      schema: { tags, summary: '审计日志 / audit entries', querystring: AuditQuery, response: { 200: countedList(AuditOut) } },
    },
    async (req) => {
      const q = req.query;
      const where = and(
        auditScopeSql(req.auth!),
        q.action ? ilike(auditLog.action, likePrefix(q.action)) : undefined,
        q.entity ? eq(auditLog.entity, q.entity) : undefined,
        q.entityId ? eq(auditLog.entityId, q.entityId) : undefined,
        q.actor ? ilike(auditLog.actorName, likeContains(q.actor)) : undefined,
        q.from ? gte(auditLog.at, bjStart(q.from)) : undefined,
        q.to ? lt(auditLog.at, sql`${bjStart(q.to)}::timestamptz + interval '1 day'`) : undefined,
      );
      const [{ total }] = await db.select({ total: count() }).from(auditLog).leftJoin(orgNodes, eq(orgNodes.id, auditLog.nodeId)).where(where);
      const items = await db
        .select({
          id: auditLog.id,
          at: auditLog.at,
          actorId: auditLog.actorId,
          actorName: auditLog.actorName,
          action: auditLog.action,
          entity: auditLog.entity,
          entityId: auditLog.entityId,
          nodeId: auditLog.nodeId,
          nodeName: orgNodes.name,
          before: auditLog.before,
          after: auditLog.after,
          hash: auditLog.hash,
        })
        .from(auditLog)
        .leftJoin(orgNodes, eq(orgNodes.id, auditLog.nodeId))
        .where(where)
        .orderBy(desc(auditLog.id))
        .limit(q.pageSize)
        .offset((q.page - 1) * q.pageSize);
      return { items, total };
    },
  );

  app.get(
    '/verify',
    {
      config: { access: 'audit.read' },
      schema: {
        tags,
        summary: '校验哈希链与锚点 / verify the hash chain, its sequence and its anchors',
        response: { 200: ChainReportOut },
      },
    },
    async () => {
      const res = await verifyAuditChain(db);
      return { ok: res.broken === null, ...res };
    },
  );
};
