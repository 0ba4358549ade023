import { asc, gt, sql } from 'drizzle-orm';
import { type DbOrTx, rows } from '../../db/client.js';
import { COPY_NULL, copyChunks, copyClient, copyText } from '../../db/copy.js';
import { intArray, textArray } from '../../db/arrays.js';
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
  const at = clock.now().toISOString();
  const link = (e: AuditEntryInput, prev: string, seq: number): AuditRow => {
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
    return { ...fields, seq, at: new Date(at), prevHash: prev, hash: entryHash(prev, fields) };
  };
  const chain = (from: ChainPosition) => {
    let prev = from.hash;
    let seq = from.seq;
    return list.map((e) => {
      const row = link(e, prev, ++seq);
      prev = row.hash;
      return row;
    });
  };
  // The head this process left: the insert checks it is still the head (one round trip less while
  // the lock is held — the survey's batches queue on it). Another writer since: read the head.
  const known = knownHead;
  if (known && list.length <= 500) {
    const values = chain(known);
    if ((await insertAfter(tx, known, values)) === values.length) {
      knownHead = { seq: values[values.length - 1].seq, hash: values[values.length - 1].hash };
      return;
    }
  }
  const last = await tx
    .select({ seq: auditLog.seq, hash: auditLog.hash })
    .from(auditLog)
    .orderBy(sql`${auditLog.seq} DESC`)
    .limit(1);
  // The next position, under the lock: contiguous whatever the identity column does on rollback.
  const from = last[0] ? { seq: Number(last[0].seq), hash: last[0].hash } : GENESIS;
  const client = copyClient(tx);
  if (client && list.length > 500) {
    // On PostgreSQL in a transaction: ONE COPY on its connection (decision 0050), the entries
    // linked and hashed as the stream asks for them, so PostgreSQL writes while Node hashes.
    let head = from;
    const lines = function* () {
      for (let i = 0; i < list.length; i += 2000) {
        let text = '';
        for (let j = i; j < Math.min(i + 2000, list.length); j++) {
          const row = link(list[j], head.hash, head.seq + 1);
          head = { seq: row.seq, hash: row.hash };
          text += copyLine(row);
        }
        yield text;
      }
    };
    await copyChunks(client, COPY_AUDIT, lines());
    knownHead = head;
    return;
  }
  const values = chain(from);
  // Insert in slices of arrays (unnest: a dozen parameters whatever the count; an import of
  // 100,000 rows appends 100,000 entries, which row-by-row parameters made a third of its time).
  for (let i = 0; i < values.length; i += BULK_SLICE) await insertRows(tx, values.slice(i, i + BULK_SLICE), null);
  knownHead = { seq: values[values.length - 1].seq, hash: values[values.length - 1].hash };
}

/**
 * The chain's head as this process last appended it (any database: the check below compares the
 * hash). A rolled-back append leaves it wrong, and the next append reads the head instead.
 */
let knownHead: ChainPosition | null = null;

type AuditRow = {
  seq: number;
  at: Date;
  actorId: number | null;
  actorName: string;
  action: string;
  entity: string;
  entityId: string;
  nodeId: number | null;
  before: unknown;
  after: unknown;
  prevHash: string;
  hash: string;
};

const BULK_SLICE = 5000;

/** Inserts the entries only if `head` is still the chain's last entry (read after the lock was taken); returns how many went in. */
function insertAfter(tx: DbOrTx, head: ChainPosition, values: AuditRow[]): Promise<number> {
  return insertRows(tx, values, head);
}

/** Inserts the entries in order; with `head`, only if it is still the chain's last entry. Returns how many went in. */
async function insertRows(tx: DbOrTx, values: AuditRow[], head: ChainPosition | null): Promise<number> {
  const stillHead = head ? sql`WHERE EXISTS (SELECT 1 FROM (SELECT seq, hash FROM audit_log ORDER BY seq DESC LIMIT 1) h WHERE h.seq = ${head.seq} AND h.hash = ${head.hash})` : sql``;
  const json = (v: unknown) => (v === null || v === undefined ? null : JSON.stringify(v));
  const inserted = await rows<{ seq: number }>(
    tx,
    sql`INSERT INTO audit_log (seq, at, actor_id, actor_name, action, entity, entity_id, node_id, before, after, prev_hash, hash)
        SELECT seq, at, actor, actor_name, action, entity, entity_id, node, before::jsonb, after::jsonb, prev, hash
          FROM unnest(${intArray(values.map((v) => v.seq))}::bigint[], ${textArray(values.map((v) => v.at.toISOString()))}::timestamptz[], ${intArray(values.map((v) => v.actorId))}::int[],
                      ${textArray(values.map((v) => v.actorName))}::text[], ${textArray(values.map((v) => v.action))}::text[], ${textArray(values.map((v) => v.entity))}::text[],
                      ${textArray(values.map((v) => v.entityId))}::text[], ${intArray(values.map((v) => v.nodeId))}::int[], ${textArray(values.map((v) => json(v.before)))}::text[],
                      ${textArray(values.map((v) => json(v.after)))}::text[], ${textArray(values.map((v) => v.prevHash))}::text[], ${textArray(values.map((v) => v.hash))}::text[])
               WITH ORDINALITY AS v(seq, at, actor, actor_name, action, entity, entity_id, node, before, after, prev, hash, k)
         ${stillHead}
         ORDER BY k
        RETURNING seq`,
  );
  return inserted.length;
}

const COPY_AUDIT = 'COPY audit_log (seq, at, actor_id, actor_name, action, entity, entity_id, node_id, before, after, prev_hash, hash) FROM STDIN';

/** One entry as a line of COPY text (the id is the column's own identity). */
function copyLine(v: AuditRow): string {
  const json = (x: unknown) => (x === null || x === undefined ? COPY_NULL : copyText(JSON.stringify(x)));
  const int = (x: number | null) => (x === null ? COPY_NULL : String(x));
  return `${v.seq}\t${v.at.toISOString()}\t${int(v.actorId)}\t${copyText(v.actorName)}\t${copyText(v.action)}\t${copyText(v.entity)}\t${copyText(v.entityId)}\t${int(v.nodeId)}\t${json(v.before)}\t${json(v.after)}\t${v.prevHash}\t${v.hash}\n`;
}

/** Round-trips through JSON so what is hashed is exactly what jsonb stores (dates become strings). */
function normalise(v: unknown): unknown {
  if (v === undefined) return null;
  // Already what the round trip would give (plain objects, arrays, strings, finite numbers, no
  // undefined, no Date): kept as it is — the round trip was a fifth of an import's audit cost.
  return plainJson(v, 0) ? v : JSON.parse(JSON.stringify(v));
}

/** True when JSON.parse(JSON.stringify(v)) would give an equal value with the same key order. */
function plainJson(v: unknown, depth: number): boolean {
  if (v === null) return true;
  switch (typeof v) {
    case 'string':
    case 'boolean':
      return true;
    case 'number':
      return Number.isFinite(v) && !Object.is(v, -0);
    case 'object': {
      if (depth > 32) return false;
      if (Array.isArray(v)) {
        for (let i = 0; i < v.length; i++) if (!(i in v) || !plainJson(v[i], depth + 1)) return false;
        return true;
      }
      if (Object.getPrototypeOf(v) !== Object.prototype) return false;
      for (const k of Object.keys(v)) if (!plainJson((v as Record<string, unknown>)[k], depth + 1)) return false;
      return true;
    }
    default:
      return false;
  }
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
