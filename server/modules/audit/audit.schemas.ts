import { z } from 'zod';

/** Response schemas of /api/audit, apart from the routes so the console can derive its types from them (web/src/api/contract.ts). */
export const AuditOut = z.object({
  id: z.number(),
  at: z.date(),
  actorId: z.number().nullable(),
  actorName: z.string(),
  action: z.string(),
  entity: z.string(),
  entityId: z.string(),
  nodeId: z.number().nullable(),
  nodeName: z.string().nullable(),
  before: z.unknown(),
  after: z.unknown(),
  hash: z.string(),
});

const Position = z.object({ seq: z.number(), hash: z.string() });

export const ChainReportOut = z.object({
  ok: z.boolean(),
  checked: z.number(),
  /** The last entry verified (seq + hash): what a printed notice can anchor. */
  head: Position.nullable(),
  anchors: z.number(),
  /**
   * The first problem: seq_gap (an entry missing), prev_hash_mismatch / hash_mismatch (edited),
   * anchor_mismatch (rewritten since an anchor), behind_anchor (entries deleted from the end).
   */
  broken: z
    .object({
      id: z.number().nullable(),
      seq: z.number(),
      reason: z.enum(['seq_gap', 'prev_hash_mismatch', 'hash_mismatch', 'anchor_mismatch', 'behind_anchor']),
      anchor: Position.extend({ source: z.string() }).optional(),
    })
    .nullable(),
});

const Figures = z.object({ points: z.number(), voided: z.number(), sales: z.number() });

export const LedgerReportOut = z.object({
  ok: z.boolean(),
  sales: z.number(),
  /** Ledger lines whose net differs from a fresh allocation, by sale and level (hundredths). */
  lines: z.array(
    z.object({
      saleId: z.number(),
      sourceId: z.string(),
      nodeId: z.number(),
      period: z.string(),
      level: z.enum(['department', 'person']),
      departmentId: z.number(),
      staffId: z.number().nullable(),
      role: z.string().nullable(),
      kind: z.enum(['points', 'void']),
      ledger: z.number(),
      expected: z.number(),
      stale: z.boolean(),
    }),
  ),
  /** statement_totals rows that differ from the ledger summed per grain. */
  totals: z.array(z.object({ nodeId: z.number(), period: z.string(), grain: z.string(), k1: z.number(), k2: z.number(), role: z.string(), kept: Figures, ledger: Figures, locked: z.boolean() })),
});
