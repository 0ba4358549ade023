import { z } from 'zod';

/** Response schemas of /api/notifications, apart from the routes so the console can derive its types from them (web/src/api/contract.ts). */
export const NotificationOut = z.object({
  id: z.number(),
  kind: z.string(),
  /** In the caller's language; both are kept for the console's language switch. */
  title: z.string(),
  titleZh: z.string(),
  titleEn: z.string(),
  link: z.string().nullable(),
  nodeId: z.number().nullable(),
  createdAt: z.string(),
  readAt: z.string().nullable(),
});
