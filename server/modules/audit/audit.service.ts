import { asc, gt, sql } from 'drizzle-orm';
import type { DbOrTx } from '../../db/client.js';
import { auditLog } from '../../db/schema/index.js';
import { type ChainBreak, type ChainRow, entryHash, GENESIS_HASH, verifyChain } from './audit.chain.js';

/** Who did something: a signed-in person, or the system (seed, scheduler, CLI). */
export interface Actor {
  id: number | null;
  name: string;
}
export const SYSTEM_ACTOR: Actor = { id: null, name: 'system' };

export interface AuditEntryInput {
  action: string; // e.g. staff.update
  entity: string; // e.g. staff
  entityId: string | number;
  nodeId?: number | null;
  before?: unknown;
  after?: unknown;
}

// One fixed advisory-lock key serialises appends so the chain never forks, even across processes.
const CHAIN_LOCK = 7_301_001;

/**
 * Appends entries to the hash chain inside the caller's transaction: the change and its audit
 * entry commit together or not at all.
 */
export async function appendAudit(tx: DbOrTx, actor: Actor, entries: AuditEntryInput | AuditEntryInput[]): Promise<void> {
  const list = Array.isArray(entries) ? entries : [entries];
  if (list.length === 0) return;
  await tx.execute(sql`SELECT pg_advisory_xact_lock(${CHAIN_LOCK})`);
  const last = await tx
    .select({ hash: auditLog.hash })
    .from(auditLog)
    .orderBy(sql`${auditLog.id} DESC`)
    .limit(1);
  let prev = last[0]?.hash ?? GENESIS_HASH;
  const at = new Date().toISOString();
  const values = list.map((e) => {
    const fields = {
      at,
      actorId: actor.id,
      actorName: actor.name,
      action: e.action,
      entity: e.entity,
      entityId: String(e.entityId),
      nodeId: e.nodeId ?? null,
      before: normalise(e.before),
      after: normalise(e.after),
    };
    const hash = entryHash(prev, fields);
    const row = { ...fields, at: new Date(at), prevHash: prev, hash };
    prev = hash;
    return row;
  });
  // Insert in slices: one statement's parameters are limited.
  for (let i = 0; i < values.length; i += 500) {
    await tx.insert(auditLog).values(values.slice(i, i + 500));
  }
}

/** Round-trips through JSON so what is hashed is exactly what jsonb stores (dates become strings). */
function normalise(v: unknown): unknown {
  return v === undefined ? null : JSON.parse(JSON.stringify(v));
}

/** Verifies the whole chain in batches; returns the first broken entry, or null. */
export async function verifyAuditChain(db: DbOrTx, batch = 5000): Promise<{ checked: number; broken: ChainBreak | null }> {
  let prev = GENESIS_HASH;
  let lastId = 0;
  let checked = 0;
  for (;;) {
    const page = await db.select().from(auditLog).where(gt(auditLog.id, lastId)).orderBy(asc(auditLog.id)).limit(batch);
    if (page.length === 0) return { checked, broken: null };
    const entries: ChainRow[] = page.map((r) => ({ ...r, at: r.at.toISOString() }));
    const res = verifyChain(entries, prev);
    if (res.broken) return { checked: checked + entries.findIndex((e) => e.id === res.broken!.id), broken: res.broken };
    checked += entries.length;
    prev = res.lastHash;
    lastId = page[page.length - 1].id;
  }
}
