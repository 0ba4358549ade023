import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { anchorsReached, type AuditFields, canonicalJson, type ChainRow, entryHash, GENESIS, GENESIS_HASH, verifyChain } from './audit.chain.js';

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
    const row = { ...e, id: i + 1, seq: i + 1, prevHash: prev, hash };
    prev = hash;
    return row;
  });
}

describe('audit hash chain', () => {
  it('canonical JSON ignores key order at every depth', () => {
    expect(canonicalJson({ b: 1, a: { d: [1, { z: 1, y: 2 }], c: '中' } })).toBe(canonicalJson({ a: { c: '中', d: [1, { y: 2, z: 1 }] }, b: 1 }));
    expect(canonicalJson({ a: undefined, b: null })).toBe('{"b":null}');
  });

  it('hashes exactly as sha256(prev + "\\n" + canonicalJson(entry)) — the form stored chains were hashed with', () => {
    const reference = (prev: string, e: AuditFields) =>
      createHash('sha256')
        .update(prev)
        .update('\n')
        .update(
          canonicalJson({
            at: e.at,
            actorId: e.actorId,
            actorName: e.actorName,
            action: e.action,
            entity: e.entity,
            entityId: e.entityId,
            nodeId: e.nodeId,
            before: e.before ?? null,
            after: e.after ?? null,
          }),
        )
        .digest('hex');
    const cases: AuditFields[] = [
      entry(1),
      entry(2, { before: undefined, after: { roles: ['staff', '对公'], n: -3.5, nested: { b: [null, true], a: 'x"\\' } } }),
      entry(3, { actorId: null, nodeId: null, before: null, after: null }),
      { ...entry(4), actorId: undefined as unknown as null },
    ];
    for (const e of cases) expect(entryHash(GENESIS_HASH, e)).toBe(reference(GENESIS_HASH, e));
  });

  it('an intact chain verifies', () => {
    const rows = chain(5);
    expect(verifyChain(rows, GENESIS)).toEqual({ broken: null, last: { seq: 5, hash: rows[4].hash } });
  });

  it('an edited entry is named', () => {
    const rows = chain(5);
    rows[2] = { ...rows[2], after: { name: '李娜', title: '行长' } };
    expect(verifyChain(rows, GENESIS).broken).toEqual({ id: 3, seq: 3, reason: 'hash_mismatch' });
  });

  it('a deleted entry is a gap in the sequence; renumbered to hide it, it still breaks the next link', () => {
    const rows = chain(5);
    rows.splice(1, 1);
    expect(verifyChain(rows, GENESIS).broken).toEqual({ id: 3, seq: 3, reason: 'seq_gap' });
    const renumbered = rows.map((r, i) => ({ ...r, seq: i + 1 }));
    expect(verifyChain(renumbered, GENESIS).broken).toEqual({ id: 3, seq: 2, reason: 'prev_hash_mismatch' });
  });

  it('a chain that does not start at seq 1 lost its first entries', () => {
    expect(verifyChain(chain(3).slice(1), GENESIS).broken).toMatchObject({ seq: 2, reason: 'seq_gap' });
  });

  it('anchors: the entry at an anchor must carry its hash, and the chain must reach every anchor', () => {
    const rows = chain(5);
    const at3 = { seq: 3, hash: rows[2].hash, source: 'period.lock 44100/2026-10' };
    expect(verifyChain(rows, GENESIS, new Map([[3, [at3]]])).broken).toBeNull();
    const wrong = { ...at3, hash: 'f'.repeat(64) };
    expect(verifyChain(rows, GENESIS, new Map([[3, [at3, wrong]]])).broken).toEqual({ id: 3, seq: 3, reason: 'anchor_mismatch', anchor: wrong });
    // The newest two entries deleted: the chain ends at seq 3, an anchor saw seq 5.
    const at5 = { seq: 5, hash: rows[4].hash, source: 'import x' };
    const { last } = verifyChain(rows.slice(0, 3), GENESIS);
    expect(anchorsReached([at3, at5], last)).toEqual({ id: null, seq: 5, reason: 'behind_anchor', anchor: at5 });
    expect(anchorsReached([at3, at5], { seq: 5, hash: rows[4].hash })).toBeNull();
    // Everything gone: the head is the genesis.
    expect(anchorsReached([at5, at3], GENESIS)).toMatchObject({ seq: 3, reason: 'behind_anchor' });
  });

  it('a re-hashed edit is still caught by the following entry', () => {
    const rows = chain(4);
    const forged = { ...rows[1], actorName: '王芳' };
    forged.hash = entryHash(forged.prevHash, forged);
    rows[1] = forged;
    expect(verifyChain(rows, GENESIS).broken).toEqual({ id: 3, seq: 3, reason: 'prev_hash_mismatch' });
  });
});
