import { z } from 'zod';

/** Response schemas of /api/settings, apart from the routes so the console can derive its types from them (web/src/api/contract.ts). */
export const SettingControlOut = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('number'), min: z.number().nullable(), max: z.number().nullable() }),
  z.object({ kind: z.literal('text'), maxLength: z.number().nullable() }),
  z.object({ kind: z.literal('dates') }),
]);

export const SettingOut = z.object({ key: z.string(), value: z.unknown(), labelZh: z.string(), labelEn: z.string(), control: SettingControlOut, updatedAt: z.date().nullable() });

export const RoleOut = z.object({ code: z.string(), nameZh: z.string(), nameEn: z.string(), permissions: z.array(z.string()) });
