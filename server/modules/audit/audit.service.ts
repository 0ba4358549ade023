import { asc, gt, sql } from 'drizzle-orm';
import type { DbOrTx } from '../../db/client.js';
import { auditLog } from '../../db/schema/index.js';
import { rootNodeId } from '../../db/org-paths.js';
import { loadAnchors } from './audit.anchors.js';
import { anchorsReached, type ChainBreak, type ChainPosition, type ChainRow, entryHash, GENESIS, verifyChain } from './audit.chain.js';
import { clock } from '../../calendar/index.js';

/** Who did something: a signed-in person, or the system (seed, scheduler, CLI). */
export interface Actor {
  id: number | null;
  name: string;
}
export const SYSTEM_ACTOR: Actor = { id: null, name: 'system' };

/**
 * Where a change with no node of its own is audited: the root of the org tree (roles, settings,
 * the catalogue, the criteria, the split rule). Resolved when the entry is written.
 */
export const BANK_WIDE = 'root' as const;

/**
 * Entities whose entry on a node is configuration for everything below it: a branch's auditors
 * see these on the nodes above their scope too (a bank-wide change affects their branch). Not the
 * people, clients or org changes of those nodes — a name missing here stays hidden, the safe side.
 */
export const CONFIGURATION_ENTITIES = ['setting', 'role', 'product_line', 'product', 'product_score', 'split_rule', 'target_criterion', 'target_criteria', 'award_rule_set', 'system'] as const;

export interface AuditEntryInput {
  action: string; // e.g. staff.update
  entity: string; // e.g. staff
  entityId: string | number;
  /**
   * The org node the change affects — required, so that no entry is invisible to the auditors of
   * the branch it touches (issue 10, finding 1). BANK_WIDE for changes that affect every branch.
   */
  nodeId: number | typeof BANK_WIDE;
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
  // The type demands a node; this also stops a caller that casts its way around it.
  const nameless = list.find((e) => typeof e.nodeId !== 'number' && e.nodeId !== BANK_WIDE);
  if (nameless) throw new Error(`audit entry ${nameless.action} names no org node`);
  // An install whose org tree is still empty has no root: its bank-wide entries keep no node.
  const root = list.some((e) => e.nodeId === BANK_WIDE) ? await rootNodeId(tx) : null;
  await tx.execute(sql`SELECT pg_advisory_xact_lock(${CHAIN_LOCK})`);
  const last = await tx
    .select({ seq: auditLog.seq, hash: auditLog.hash })
    .from(auditLog)
    .orderBy(sql`${auditLog.seq} DESC`)
    .limit(1);
  let prev = last[0]?.hash ?? GENESIS.hash;
  // The next position, under the lock: contiguous whatever the identity column does on rollback.
  let seq = Number(last[0]?.seq ?? GENESIS.seq);
  const at = clock.now().toISOString();
  const values = list.map((e) => {
    const fields = {
      at,
      actorId: actor.id,
      actorName: actor.name,
      action: e.action,
      entity: e.entity,
      entityId: String(e.entityId),
      nodeId: e.nodeId === BANK_WIDE ? root : e.nodeId,
      before: normalise(e.before),
      after: normalise(e.after),
    };
    const hash = entryHash(prev, fields);
    const row = { ...fields, seq: ++seq, at: new Date(at), prevHash: prev, hash };
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

export interface ChainReport {
  /** Entries verified (before the first problem, if any). */
  checked: number;
  /** The last entry verified: what a printed notice or an external note can anchor. */
  head: ChainPosition | null;
  /** Anchors held against the chain (audit_anchors and their copies). */
  anchors: number;
  broken: ChainBreak | null;
}

/**
 * Verifies the whole chain in seq order, in batches: every link and hash, no gap in seq, every
 * anchor's entry carrying the anchor's hash, and the chain reaching every anchor. Returns the
 * first problem, or null.
 */
export async function verifyAuditChain(db: DbOrTx, batch = 5000): Promise<ChainReport> {
  const anchors = await loadAnchors(db);
  const bySeq = new Map<number, typeof anchors>();
  for (const a of anchors) bySeq.set(a.seq, [...(bySeq.get(a.seq) ?? []), a]);
  let last = GENESIS;
  let checked = 0;
  const report = (broken: ChainBreak | null): ChainReport => ({ checked, head: last.seq > 0 ? last : null, anchors: anchors.length, broken });
  for (;;) {
    const page = await db.select().from(auditLog).where(gt(auditLog.seq, last.seq)).orderBy(asc(auditLog.seq)).limit(batch);
    if (page.length === 0) return report(anchorsReached(anchors, last));
    const entries: ChainRow[] = page.map((r) => ({ ...r, at: r.at.toISOString() }));
    const res = verifyChain(entries, last, bySeq);
    checked += res.last.seq - last.seq;
    last = res.last;
    if (res.broken) return report(res.broken);
  }
}
