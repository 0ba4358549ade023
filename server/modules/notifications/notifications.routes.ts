import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { Id } from '../../http/ids.js';
import { z } from 'zod';
import { NotificationOut } from './notifications.schemas.js';
import { pagedList } from '../../http/lists.js';
import { listMine, markAllRead, markRead, type NotificationRow, unreadCount } from './notifications.service.js';
import { clock } from '../../calendar/index.js';

const tags = ['notifications'];

const present = (r: NotificationRow, lang: string): z.infer<typeof NotificationOut> => ({
  id: r.id,
  kind: r.kind,
  title: lang === 'en' ? r.titleEn : r.titleZh,
  titleZh: r.titleZh,
  titleEn: r.titleEn,
  link: r.link,
  nodeId: r.nodeId,
  createdAt: r.createdAt.toISOString(),
  readAt: r.readAt?.toISOString() ?? null,
});

const ListQuery = z.strictObject({
  page: z.coerce.number().int().min(1).default(1),
  pageSize: z.coerce.number().int().min(1).max(100).default(20),
  /** Only the unread ones. */
  unread: z
    .enum(['true', 'false'])
    .optional()
    .transform((v) => v === 'true'),
});

/** 站内通知: each person sees and marks only their own. */
export const notificationRoutes: FastifyPluginAsyncZod = async (app) => {
  const db = app.database.db;

  app.get(
    '/',
    {
      config: { access: 'authenticated' },
      schema: {
        tags,
        summary: '我的通知 / my notifications',
        querystring: ListQuery,
        response: { 200: pagedList(NotificationOut).extend({ unread: z.number() }) },
      },
    },
    async (req) => {
      const r = await listMine(db, req.auth!.staffId, req.query);
      return { ...r, items: r.items.map((n) => present(n, req.lang)) };
    },
  );

  app.get('/unread-count', { config: { access: 'authenticated' }, schema: { tags, summary: '未读通知数 / unread count', response: { 200: z.object({ unread: z.number() }) } } }, async (req) => ({
    unread: await unreadCount(db, req.auth!.staffId),
  }));

  app.post(
    '/:id/read',
    {
      config: { access: 'authenticated' },
      schema: { tags, summary: '标记已读 / mark read', params: z.strictObject({ id: Id }), response: { 200: NotificationOut } },
    },
    async (req) => present(await markRead(db, req.auth!.staffId, req.params.id, clock.now()), req.lang),
  );

  app.post(
    '/read-all',
    { config: { access: 'authenticated' }, schema: { tags, summary: '全部标记已读 / mark all read', response: { 200: z.object({ marked: z.number(), unread: z.number() }) } } },
    async (req) => ({ marked: await markAllRead(db, req.auth!.staffId, clock.now()), unread: 0 }),
  );
};
