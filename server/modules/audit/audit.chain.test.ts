import { describe, expect, it } from 'vitest';
import { type AuditFields, canonicalJson, type ChainRow, entryHash, GENESIS_HASH, verifyChain } from './audit.chain.js';

const entry = (i: number, extra: Partial<AuditFields> = {}): AuditFields => ({
  at: `2026-11-2${i % 10}T08:00:00.000Z`,
  actorId: 7,
  actorName: '张伟',
  action: 'staff.update',
  entity: 'staff',
  entityId: String(i),
  nodeId: 11,
  before: { name: '李娜', phone: null },
  after: { name: '李娜', title: '对公客户经理' },
  ...extra,
});

function chain(n: number): ChainRow[] {
  let prev = GENESIS_HASH;
  return Array.from({ length: n }, (_, i) => {
    const e = entry(i);
    const hash = entryHash(prev, e);
    const row = { ...e, id: i + 1, prevHash: prev, hash };
    prev = hash;
    return row;
  });
}

describe('audit hash chain', () => {
  it('canonical JSON ignores key order at every depth', () => {
    expect(canonicalJson({ b: 1, a: { d: [1, { z: 1, y: 2 }], c: '中' } })).toBe(canonicalJson({ a: { c: '中', d: [1, { y: 2, z: 1 }] }, b: 1 }));
    expect(canonicalJson({ a: undefined, b: null })).toBe('{"b":null}');
  });

  it('an intact chain verifies', () => {
    const rows = chain(5);
    expect(verifyChain(rows, GENESIS_HASH)).toEqual({ broken: null, lastHash: rows[4].hash });
  });

  it('an edited entry is named', () => {
    const rows = chain(5);
    rows[2] = { ...rows[2], after: { name: '李娜', title: '行长' } };
    expect(verifyChain(rows, GENESIS_HASH).broken).toEqual({ id: 3, reason: 'hash_mismatch' });
  });

  it('a deleted entry breaks the next link', () => {
    const rows = chain(5);
    rows.splice(1, 1);
    expect(verifyChain(rows, GENESIS_HASH).broken).toEqual({ id: 3, reason: 'prev_hash_mismatch' });
  });

  it('a re-hashed edit is still caught by the following entry', () => {
    const rows = chain(4);
    const forged = { ...rows[1], actorName: '王芳' };
    forged.hash = entryHash(forged.prevHash, forged);
    rows[1] = forged;
    expect(verifyChain(rows, GENESIS_HASH).broken).toEqual({ id: 3, reason: 'prev_hash_mismatch' });
  });
});
