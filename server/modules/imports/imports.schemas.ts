import { z } from 'zod';

/** Response schemas of /api/imports, apart from the routes so the console can derive its types from them (web/src/api/contract.ts). */
export const ImportOut = z.object({
  id: z.string(),
  kind: z.string(),
  fileName: z.string(),
  mode: z.enum(['all', 'valid_only']),
  /** validating → writing → done, or failed (nothing written when mode is 'all'). */
  status: z.enum(['validating', 'writing', 'done', 'failed']),
  totalRows: z.number(),
  processedRows: z.number(),
  errorRows: z.number(),
  inserted: z.number(),
  updated: z.number(),
  unchanged: z.number(),
  /** A sentence for people, in the caller's language. */
  message: z.string().nullable(),
  /** A stable code for programs (IMPORT.ROW_ERRORS, IMPORT.NO_HEADER …) when it failed. */
  messageCode: z.string().nullable(),
  hasErrorReport: z.boolean(),
  createdAt: z.string(),
  finishedAt: z.string().nullable(),
});

/** A kind of list the caller may import. */
export const ImportKindOut = z.object({ kind: z.string(), labelZh: z.string(), labelEn: z.string(), permission: z.string() });
