import { eq } from 'drizzle-orm';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { SettingOut, RoleOut } from './settings.schemas.js';
import { issueFacts } from '../../http/errors.plugin.js';
import { itemList } from '../../http/lists.js';
import { PERMISSIONS } from '../../../shared/access.js';
import type { DbOrTx } from '../../db/client.js';
import { roles, settings } from '../../db/schema/index.js';
import { AppError } from '../../errors.js';
import { BANK_WIDE, appendAudit } from '../audit/audit.service.js';
import { controlOf, isSettingKey, SETTINGS_CATALOG, type SettingKey } from './settings.catalog.js';
import { assertSettingsWriter } from './settings.policy.js';
import { clock } from '../../calendar/index.js';

/** Reads a setting, falling back to its catalogue default. */
export async function getSetting<K extends SettingKey>(db: DbOrTx, key: K): Promise<z.infer<(typeof SETTINGS_CATALOG)[K]['schema']>> {
  const [row] = await db.select().from(settings).where(eq(settings.key, key)).limit(1);
  const parsed = SETTINGS_CATALOG[key].schema.safeParse(row?.value);
  return (parsed.success ? parsed.data : SETTINGS_CATALOG[key].default) as never;
}

/**
 * 系统参数 and 角色权限: bank-wide configuration, every change audited on the tree's root. Holding
 * settings.write is not enough: a role or a setting changes every branch, so the permission must
 * be held at province level or above (issue 10, finding 1).
 */
export const settingsRoutes: FastifyPluginAsyncZod = async (app) => {
  const db = app.database.db;

  app.get('/', { config: { access: 'settings.read' }, schema: { tags: ['settings'], summary: '系统参数 / settings', response: { 200: itemList(SettingOut) } } }, async () => {
    const stored = new Map((await db.select().from(settings)).map((s) => [s.key, s]));
    return {
      items: Object.entries(SETTINGS_CATALOG).map(([key, c]) => ({
        key,
        value: stored.get(key)?.value ?? c.default,
        labelZh: c.zh,
        labelEn: c.en,
        control: controlOf(key as SettingKey),
        updatedAt: stored.get(key)?.updatedAt ?? null,
      })),
    };
  });

  app.put(
    '/:key',
    {
      config: { access: 'settings.write' },
      schema: {
        tags: ['settings'],
        summary: '修改参数 / change a setting',
        params: z.strictObject({ key: z.string().max(64) }),
        body: z.strictObject({ value: z.unknown() }),
        response: { 200: SettingOut },
      },
    },
    async (req) => {
      assertSettingsWriter(req.auth!);
      const { key } = req.params;
      if (!isSettingKey(key)) throw new AppError('SETTING.UNKNOWN', { key });
      const parsed = SETTINGS_CATALOG[key].schema.safeParse(req.body.value);
      if (!parsed.success)
        throw new AppError(
          'REQUEST.INVALID',
          // The bound broken, so the console says the allowed range (公示期 1–31 天).
          parsed.error.issues.map((i) => ({ path: `body.value`, message: i.message, ...issueFacts(i as Parameters<typeof issueFacts>[0]) })),
        );
      return db.transaction(async (tx) => {
        const [before] = await tx.select().from(settings).where(eq(settings.key, key));
        const now = clock.now();
        await tx
          .insert(settings)
          .values({ key, value: parsed.data, updatedAt: now, updatedBy: req.auth!.staffId })
          .onConflictDoUpdate({ target: settings.key, set: { value: parsed.data, updatedAt: now, updatedBy: req.auth!.staffId } });
        await appendAudit(
          tx,
          { id: req.auth!.staffId, name: req.auth!.name },
          {
            action: 'setting.update',
            entity: 'setting',
            nodeId: BANK_WIDE,
            entityId: key,
            before: before?.value ?? SETTINGS_CATALOG[key].default,
            after: parsed.data,
          },
        );
        const c = SETTINGS_CATALOG[key];
        return { key, value: parsed.data, labelZh: c.zh, labelEn: c.en, control: controlOf(key), updatedAt: now };
      });
    },
  );
};

/** 角色: list and edit permissions (registered under /api/roles). */
export const roleRoutes: FastifyPluginAsyncZod = async (app) => {
  const db = app.database.db;
  app.get('/', { config: { access: 'authenticated' }, schema: { tags: ['roles'], summary: '角色列表 / roles', response: { 200: itemList(RoleOut) } } }, async () => ({
    items: await db.select({ code: roles.code, nameZh: roles.nameZh, nameEn: roles.nameEn, permissions: roles.permissions }).from(roles).orderBy(roles.sort),
  }));
  app.put(
    '/:code',
    {
      config: { access: 'settings.write' },
      schema: {
        tags: ['roles'],
        summary: '修改角色权限 / change a role’s permissions',
        params: z.strictObject({ code: z.string().max(50) }),
        body: z.strictObject({ permissions: z.array(z.enum(PERMISSIONS)).max(PERMISSIONS.length) }),
        response: { 200: RoleOut },
      },
    },
    async (req) => {
      // A role is held in every branch: changing it is a bank-wide change.
      assertSettingsWriter(req.auth!);
      const [before] = await db.select().from(roles).where(eq(roles.code, req.params.code));
      if (!before) throw new AppError('ROLE.UNKNOWN', { role: req.params.code });
      // The administrator keeps every permission: otherwise a bank could lock itself out.
      if (before.code === 'admin') throw new AppError('AUTH.FORBIDDEN', { role: 'admin' });
      const permissions = [...new Set(req.body.permissions)].sort();
      return db.transaction(async (tx) => {
        const [after] = await tx.update(roles).set({ permissions }).where(eq(roles.code, before.code)).returning();
        await appendAudit(
          tx,
          { id: req.auth!.staffId, name: req.auth!.name },
          {
            action: 'role.update',
            entity: 'role',
            nodeId: BANK_WIDE,
            entityId: before.code,
            before: { permissions: before.permissions },
            after: { permissions },
          },
        );
        return { code: after.code, nameZh: after.nameZh, nameEn: after.nameEn, permissions: after.permissions };
      });
    },
  );
};
