import { inArray } from 'drizzle-orm';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { Me } from './auth.schemas.js';
import { orgNodes, roles } from '../../db/schema/index.js';
import { SESSION_COOKIE } from './auth.plugin.js';
import { type AuthContext, isBankWideLevel } from '../access/context.js';
import { changePassword, resolveSession, signIn, signOut } from './auth.service.js';

/** Sign-in, sign-out, who am I, change password. */
export const authRoutes: FastifyPluginAsyncZod = async (app) => {
  const db = app.database.db;

  async function present(auth: AuthContext): Promise<z.infer<typeof Me>> {
    const nodeIds = [...new Set([auth.nodeId, ...auth.grants.map((g) => g.scopeNodeId)])];
    const nodes = await db.select({ id: orgNodes.id, name: orgNodes.name }).from(orgNodes).where(inArray(orgNodes.id, nodeIds));
    const roleRows = await db.select().from(roles);
    const nodeName = new Map(nodes.map((n) => [n.id, n.name]));
    const role = new Map(roleRows.map((r) => [r.code, r]));
    return {
      staffId: auth.staffId,
      staffNo: auth.staffNo,
      name: auth.name,
      nodeId: auth.nodeId,
      nodeName: nodeName.get(auth.nodeId) ?? '',
      mustChangePassword: auth.mustChangePassword,
      csrfToken: auth.csrfToken,
      permissions: [...new Set(auth.grants.flatMap((g) => [...g.permissions]))].sort(),
      bankWide: [...new Set(auth.grants.filter((g) => isBankWideLevel(g.scopeLevel)).flatMap((g) => [...g.permissions]))].sort(),
      grants: auth.grants.map((g) => ({
        role: g.role,
        roleZh: role.get(g.role)?.nameZh ?? g.role,
        roleEn: role.get(g.role)?.nameEn ?? g.role,
        scopeNodeId: g.scopeNodeId,
        scopeName: nodeName.get(g.scopeNodeId) ?? '',
        scopeLevel: g.scopeLevel,
      })),
    };
  }

  app.post(
    '/login',
    {
      config: { access: 'public', rateLimit: { max: 30, timeWindow: '1 minute' } },
      schema: {
        tags: ['auth'],
        summary: '登录 / sign in with 工号 and password',
        body: z.strictObject({ staffNo: z.string().min(1).max(64), password: z.string().min(1).max(256) }),
        response: { 200: Me },
      },
    },
    async (req, reply) => {
      const { token } = await signIn(db, app.config, { ...req.body, ip: req.ip, userAgent: req.headers['user-agent'] });
      reply.setCookie(SESSION_COOKIE, token, {
        path: '/',
        httpOnly: true,
        sameSite: 'strict',
        secure: app.config.COOKIE_SECURE,
      });
      const auth = await resolveSession(db, app.config, token);
      return present(auth as AuthContext);
    },
  );

  app.post(
    '/logout',
    { config: { access: 'authenticated', whileTemporaryPassword: true }, schema: { tags: ['auth'], summary: '退出登录 / sign out', response: { 204: z.null() } } },
    async (req, reply) => {
      const token = req.cookies[SESSION_COOKIE];
      if (token) await signOut(db, token);
      reply.clearCookie(SESSION_COOKIE, { path: '/' });
      return reply.status(204).send(null);
    },
  );

  app.get('/me', { config: { access: 'authenticated', whileTemporaryPassword: true }, schema: { tags: ['auth'], summary: '当前用户 / the signed-in person', response: { 200: Me } } }, async (req) =>
    present(req.auth!),
  );

  app.post(
    '/password',
    {
      config: { access: 'authenticated', whileTemporaryPassword: true },
      schema: {
        tags: ['auth'],
        summary: '修改密码 / change own password',
        body: z.strictObject({ current: z.string().min(1).max(256), next: z.string().min(1).max(256) }),
        response: { 204: z.null() },
      },
    },
    async (req, reply) => {
      await changePassword(db, app.config, req.auth!, req.body.current, req.body.next);
      return reply.status(204).send(null);
    },
  );

  app.put(
    '/language',
    {
      config: { access: 'public' },
      schema: { tags: ['auth'], summary: '界面语言 / set UI language cookie', body: z.strictObject({ lang: z.enum(['zh-CN', 'en']) }), response: { 204: z.null() } },
    },
    async (req, reply) => {
      reply.setCookie('lang', req.body.lang, { path: '/', sameSite: 'strict', maxAge: 365 * 86400 });
      return reply.status(204).send(null);
    },
  );
};
