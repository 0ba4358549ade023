import { createHash } from 'node:crypto';

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
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  const obj = value as Record<string, unknown>;
  const keys = Object.keys(obj)
    .filter((k) => obj[k] !== undefined)
    .sort();
  return `{${keys.map((k) => `${JSON.stringify(k)}:${canonicalJson(obj[k])}`).join(',')}}`;
}

/** SHA-256 over the previous hash and the entry's canonical form. */
export function entryHash(prevHash: string, e: AuditFields): string {
  const body = canonicalJson({
    at: e.at,
    actorId: e.actorId,
    actorName: e.actorName,
    action: e.action,
    entity: e.entity,
    entityId: e.entityId,
    nodeId: e.nodeId,
    before: e.before ?? null,
    after: e.after ?? null,
  });
  return createHash('sha256').update(prevHash).update('\n').update(body).digest('hex');
}

export interface ChainRow extends AuditFields {
  id: number;
  prevHash: string;
  hash: string;
}

export type ChainBreak = { id: number; reason: 'prev_hash_mismatch' | 'hash_mismatch' };

/**
 * Walks entries in id order from `prevHash`; returns the first entry whose link or content no
 * longer matches, or null when the chain holds. Pure: the caller streams rows in batches.
 */
export function verifyChain(entries: ChainRow[], prevHash: string): { broken: ChainBreak | null; lastHash: string } {
  let prev = prevHash;
  for (const e of entries) {
    if (e.prevHash !== prev) return { broken: { id: e.id, reason: 'prev_hash_mismatch' }, lastHash: prev };
    if (entryHash(prev, e) !== e.hash) return { broken: { id: e.id, reason: 'hash_mismatch' }, lastHash: prev };
    prev = e.hash;
  }
  return { broken: null, lastHash: prev };
}
