import { z } from 'zod';
import { ORG_LEVELS } from '../../db/schema/org.js';

/** Response schemas of /api/auth, apart from the routes so the console can derive its types from them (web/src/api/contract.ts). */
export const Me = z.object({
  staffId: z.number(),
  staffNo: z.string(),
  name: z.string(),
  nodeId: z.number(),
  nodeName: z.string(),
  mustChangePassword: z.boolean(),
  /** Send this back in the `x-csrf-token` header of every state-changing request. */
  csrfToken: z.string(),
  permissions: z.array(z.string()),
  /** The permissions held at province level or above: bank-wide configuration needs these (issue 10). */
  bankWide: z.array(z.string()),
  grants: z.array(z.object({ role: z.string(), roleZh: z.string(), roleEn: z.string(), scopeNodeId: z.number(), scopeName: z.string(), scopeLevel: z.enum(ORG_LEVELS) })),
});
