import { z } from 'zod';

/** Response schemas of /api/settings, apart from the routes so the console can derive its types from them (web/src/api/contract.ts). */
export const SettingOut = z.object({ key: z.string(), value: z.unknown(), labelZh: z.string(), labelEn: z.string(), updatedAt: z.date().nullable() });

export const RoleOut = z.object({ code: z.string(), nameZh: z.string(), nameEn: z.string(), permissions: z.array(z.string()) });
