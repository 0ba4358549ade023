import { hash } from 'node:crypto';

/** What an audit entry says; the hash covers all of it plus the previous entry's hash. */
export interface AuditFields {
  at: string; // ISO-8601 with milliseconds, UTC
  actorId: number | null;
  actorName: string;
  action: string;
  entity: string;
  entityId: string;
  nodeId: number | null;
  before: unknown;
  after: unknown;
}

/** The hash before the first entry. */
export const GENESIS_HASH = '0'.repeat(64);

/**
 * JSON with object keys sorted at every level, so the same value always gives the same text
 * (PostgreSQL's jsonb reorders keys; the hash must not depend on that).
 */
export function canonicalJson(value: unknown): string {
  if (value === undefined) return 'null';
  if (value === null || typeof value !== 'object') return JSON.stringify(value);
  // Loops and one string rather than map/filter/join: an import of 100,000 rows hashes 100,000 entries.
  if (Array.isArray(value)) {
    let out = '[';
    for (let i = 0; i < value.length; i++) out += (i === 0 ? '' : ',') + canonicalJson(value[i]);
    return `${out}]`;
  }
  const obj = value as Record<string, unknown>;
  const keys = Object.keys(obj).sort();
  let out = '{';
  let first = true;
  for (const k of keys) {
    const v = obj[k];
    if (v === undefined) continue;
    out += `${first ? '' : ','}${JSON.stringify(k)}:${canonicalJson(v)}`;
    first = false;
  }
  return `${out}}`;
}

/** The keys of an entry's hashed body, in canonicalJson's (sorted) order. */
const BODY_KEYS = ['action', 'actorId', 'actorName', 'after', 'at', 'before', 'entity', 'entityId', 'nodeId'] as const;

/**
 * SHA-256 over the previous hash and the entry's canonical form: canonicalJson of the entry's nine
 * fields (before/after null when absent), written out key by key in sorted order — the same text
 * as canonicalJson of the object, without building and sorting it for every entry.
 */
export function entryHash(prevHash: string, e: AuditFields): string {
  let body = '{';
  let first = true;
  for (const k of BODY_KEYS) {
    const v = k === 'before' || k === 'after' ? (e[k] ?? null) : e[k];
    if (v === undefined) continue;
    body += `${first ? '' : ','}"${k}":${canonicalJson(v)}`;
    first = false;
  }
  body += '}';
  // One-shot hash of the same bytes as update(prev).update('\n').update(body).
  return hash('sha256', `${prevHash}\n${body}`, 'hex');
}

export interface ChainRow extends AuditFields {
  id: number;
  /** Position in the chain (1, 2, 3 …): not hashed — prev_hash already binds the order (decision 0016). */
  seq: number;
  prevHash: string;
  hash: string;
}

/** Where the walk starts: before the first entry, or after the last entry of the previous batch. */
export interface ChainPosition {
  seq: number;
  hash: string;
}
export const GENESIS: ChainPosition = { seq: 0, hash: GENESIS_HASH };

/** The head (seq + hash) some milestone saw: a locked month, an approved run, a finished import. */
export interface Anchor {
  seq: number;
  hash: string;
  /** What recorded it, for the report: `period.lock 44100/2026-10`. */
  source: string;
}

export type ChainBreakReason = 'seq_gap' | 'prev_hash_mismatch' | 'hash_mismatch' | 'anchor_mismatch' | 'behind_anchor';

/**
 * The first thing wrong. `id`/`seq` name the entry where it shows (for `behind_anchor`: the seq
 * the anchor expected, and no id — the entry is gone); `anchor` the anchor contradicted.
 */
export type ChainBreak = { id: number | null; seq: number; reason: ChainBreakReason; anchor?: Anchor };

/**
 * Walks entries in seq order from `from`; returns the first entry whose position, link or content
 * no longer matches — or that differs from an anchor recorded at its seq — or null when the chain
 * holds. Pure: the caller streams rows in batches and passes the anchors by seq.
 */
export function verifyChain(entries: ChainRow[], from: ChainPosition, anchors: ReadonlyMap<number, Anchor[]> = new Map()): { broken: ChainBreak | null; last: ChainPosition } {
  let last = from;
  for (const e of entries) {
    // A missing seq is a deleted entry (or one slipped in): ids may skip, seq may not.
    if (e.seq !== last.seq + 1) return { broken: { id: e.id, seq: e.seq, reason: 'seq_gap' }, last };
    if (e.prevHash !== last.hash) return { broken: { id: e.id, seq: e.seq, reason: 'prev_hash_mismatch' }, last };
    if (entryHash(last.hash, e) !== e.hash) return { broken: { id: e.id, seq: e.seq, reason: 'hash_mismatch' }, last };
    // A chain re-hashed from an edit onwards is self-consistent; only what was recorded outside it differs.
    const differs = anchors.get(e.seq)?.find((a) => a.hash !== e.hash);
    if (differs) return { broken: { id: e.id, seq: e.seq, reason: 'anchor_mismatch', anchor: differs }, last };
    last = { seq: e.seq, hash: e.hash };
  }
  return { broken: null, last };
}

/**
 * After the walk: an anchor beyond the chain's head means entries were deleted from the end (or
 * the whole log truncated). Returns the earliest such anchor's break, or null.
 */
export function anchorsReached(anchors: Iterable<Anchor>, head: ChainPosition): ChainBreak | null {
  let first: Anchor | null = null;
  for (const a of anchors) if (a.seq > head.seq && (first === null || a.seq < first.seq)) first = a;
  return first ? { id: null, seq: first.seq, reason: 'behind_anchor', anchor: first } : null;
}
