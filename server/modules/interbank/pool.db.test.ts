import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { useTestClock } from '../../calendar/index.js';
import { type Database, rows } from '../../db/client.js';
import { DEMO_NODES } from '../../seed/demo-ids.js';
import type { AuthContext } from '../access/context.js';
import { loadGrants } from '../auth/auth.service.js';
import { createTestDatabase } from '../../test/harness.js';
import { createPool, listGrants, listPools } from './pools.service.js';
import { correctSigning, recordSigning, voidSigning } from './signings.service.js';

/**
 * 激励资源池, first come first served (decision 0033), on a real pool of connections: 100 signings
 * recorded at once against a pool that covers 10 — exactly 10 granted, to the 10 smallest
 * (recorded_at, id), 10 × the grant in total, never over. A correction keeps its grant; a void
 * returns it, and the next signing recorded draws it.
 */
let database: Database;
let admin: AuthContext;
let fsAdmin: AuthContext;
const q = <T>(query: ReturnType<typeof sql>) => rows<T>(database.db, query);
const ids: number[] = [];

async function actAs(staffNo: string): Promise<AuthContext> {
  const [s] = await q<{ id: number; name: string; nodeId: number }>(sql`SELECT id, name, node_id AS "nodeId" FROM staff WHERE staff_no = ${staffNo}`);
  return { staffId: s.id, staffNo, name: s.name, nodeId: s.nodeId, sessionId: 't', csrfToken: 't', mustChangePassword: false, grants: await loadGrants(database.db, s.id) };
}

beforeAll(async () => {
  database = await createTestDatabase({ poolSize: 10 });
  [admin, fsAdmin] = [await actAs('admin'), await actAs('fs_admin')];
  for (let i = 0; i < 101; i++) {
    const [{ id }] = await q<{ id: number }>(
      sql`INSERT INTO fi_institutions (code, name, kind, created_at, updated_at) VALUES (${`POOL-${i}`}, ${`测试村镇银行${i}`}, 'village_bank', now(), now()) RETURNING id`,
    );
    const node = i % 2 ? DEMO_NODES.foshan : DEMO_NODES.heyuan;
    await q(sql`INSERT INTO fi_jurisdictions (institution_id, node_id, valid_from, set_at) VALUES (${id}, ${node}, '2024-01-01', now()) RETURNING id`);
    ids.push(id);
  }
});

afterAll(async () => {
  await database?.close();
});

describe('the pool under 100 concurrent signings', () => {
  it('grants exactly 10, to the 10 first by (recorded_at, id), and never over', async () => {
    const pool = await createPool(database.db, admin, {
      quarter: '2025Q1',
      resource: 'intermediate_income',
      name: '并发测试池',
      unit: '万元',
      totalAmount: 1000,
      grantAmount: 100,
      signingKinds: ['framework'],
    });
    expect(pool).toMatchObject({ totalAmount: 1000, grantedAmount: 0, remainingAmount: 1000 });
    const results = await Promise.allSettled(
      ids
        .slice(0, 100)
        .map((id, k) =>
          recordSigning(database.db, admin, { institutionId: id, kind: 'framework', productName: null, sidedness: 'bilateral', signedOn: `2025-0${1 + (k % 3)}-15`, note: null }, '2026-12-01'),
        ),
    );
    expect(results.filter((r) => r.status === 'rejected')).toEqual([]);
    const all = await q<{ id: number; recordedAt: Date; granted: boolean; seq: number | null }>(
      sql`SELECT s.id, s.recorded_at AS "recordedAt", g.id IS NOT NULL AS granted, g.seq FROM fi_signings s LEFT JOIN fi_grants g ON g.signing_id = s.id AND g.pool_id = ${pool.id}
           WHERE s.institution_id IN (${sql.join(ids, sql`, `)}) ORDER BY s.recorded_at, s.id`,
    );
    expect(all).toHaveLength(100);
    // The first ten by signing time (ties to the lower id) are the granted ones, in seq order.
    expect(all.slice(0, 10).every((s) => s.granted)).toBe(true);
    expect(all.slice(10).some((s) => s.granted)).toBe(false);
    expect(all.slice(0, 10).map((s) => s.seq)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
    const [p] = (await listPools(database.db, admin)).items.filter((x) => x.id === pool.id);
    expect(p).toMatchObject({ grantedAmount: 1000, remainingAmount: 0, grants: 10 });
    const [{ sum }] = await q<{ sum: number }>(sql`SELECT sum(amount)::int AS sum FROM fi_grants WHERE pool_id = ${pool.id}`);
    expect(sum).toBe(10 * 100);
    // Audited: one grant entry per grant.
    const [{ n }] = await q<{ n: number }>(sql`SELECT count(*)::int AS n FROM audit_log WHERE action = 'interbank.grant.create' AND after->>'poolId' = ${String(pool.id)}`);
    expect(n).toBe(10);
  });

  it('a correction keeps the grant; a void returns it and the next signing recorded draws it', async () => {
    const [pool] = (await listPools(database.db, admin)).items.filter((x) => x.name === '并发测试池');
    const granted = (await listGrants(database.db, admin, pool.id)).items.filter((g) => !g.returnedAt);
    const fsGrant = granted.find((g) => g.nodeId === DEMO_NODES.foshan)!;
    // 佛山 corrects its own signing (the date within the quarter): the grant follows the new row.
    const corrected = await correctSigning(
      database.db,
      fsAdmin,
      fsGrant.signingId,
      { kind: 'framework', productName: null, sidedness: 'unilateral', signedOn: '2025-03-31', note: null, reason: '签约日期录入错误' },
      '2026-12-01',
    );
    expect(corrected).toMatchObject({ supersedesId: fsGrant.signingId, grantAmount: 100, status: 'active' });
    const [old] = await q<{ status: string }>(sql`SELECT status FROM fi_signings WHERE id = ${fsGrant.signingId}`);
    expect(old.status).toBe('superseded');
    expect((await listPools(database.db, admin)).items.find((x) => x.id === pool.id)!.grantedAmount).toBe(1000);
    // 佛山 cannot void 河源's granted signing.
    const hyGrant = granted.find((g) => g.nodeId === DEMO_NODES.heyuan)!;
    await expect(voidSigning(database.db, fsAdmin, hyGrant.signingId, '误录', '2026-12-01')).rejects.toMatchObject({ code: 'FI.SIGNING_NOT_FOUND' });
    // The void returns the grant: the pool has room for exactly one more.
    const voided = await voidSigning(database.db, admin, corrected.id, '协议未生效', '2026-12-01');
    expect(voided).toMatchObject({ status: 'void', reason: '协议未生效', grantAmount: null });
    const after = (await listPools(database.db, admin)).items.find((x) => x.id === pool.id)!;
    expect(after).toMatchObject({ grantedAmount: 900, remainingAmount: 100, grants: 9 });
    const returned = (await listGrants(database.db, admin, pool.id)).items.find((g) => g.returnedAt);
    expect(returned).toMatchObject({ signingId: corrected.id, returnReason: '协议未生效' });
    const next = await recordSigning(database.db, admin, { institutionId: ids[100], kind: 'framework', productName: null, sidedness: 'bilateral', signedOn: '2025-02-01', note: null }, '2026-12-01');
    expect(next.grantAmount).toBe(100);
    const [{ seq }] = await q<{ seq: number }>(sql`SELECT seq FROM fi_grants WHERE signing_id = ${next.id}`);
    expect(seq).toBe(11);
    // A product signing is not in this pool's kinds: nothing granted, nothing left anyway.
    const product = await recordSigning(
      database.db,
      admin,
      { institutionId: ids[100], kind: 'product', productName: '同业招标APP', sidedness: 'bilateral', signedOn: '2025-02-02', note: null },
      '2026-12-01',
    );
    expect(product.grantAmount).toBeNull();
    const [{ over }] = await q<{ over: number }>(sql`SELECT count(*)::int AS over FROM fi_pools WHERE granted_amount > total_amount`);
    expect(over).toBe(0);
  });

  it('ties at the same instant go to the lower signing id (a stopped clock, 20 at once, a pool of 5)', async () => {
    const { restore } = useTestClock('2026-12-01T02:00:00Z');
    try {
      const pool = await createPool(database.db, admin, {
        quarter: '2025Q2',
        resource: 'net_interest_margin',
        name: '同刻测试池',
        unit: 'BP',
        totalAmount: 50,
        grantAmount: 10,
        signingKinds: ['product'],
      });
      await Promise.all(
        ids
          .slice(0, 20)
          .map((id) => recordSigning(database.db, admin, { institutionId: id, kind: 'product', productName: '同业招标APP', sidedness: 'bilateral', signedOn: '2025-05-05', note: null }, '2026-12-01')),
      );
      const all = await q<{ id: number; granted: boolean; at: string }>(
        sql`SELECT s.id, g.id IS NOT NULL AS granted, s.recorded_at::text AS at FROM fi_signings s LEFT JOIN fi_grants g ON g.signing_id = s.id AND g.pool_id = ${pool.id}
             WHERE s.signed_on = '2025-05-05' ORDER BY s.id`,
      );
      expect(new Set(all.map((s) => s.at)).size).toBe(1);
      expect(all.map((s) => s.granted)).toEqual([...Array(5).fill(true), ...Array(15).fill(false)]);
    } finally {
      restore();
    }
  });

  it('pools are bank-wide: a tier-2 branch cannot create one', async () => {
    await expect(
      createPool(database.db, fsAdmin, { quarter: '2025Q2', resource: 'other', name: 'x', unit: '万元', totalAmount: 10, grantAmount: 1, signingKinds: ['framework'] }),
    ).rejects.toMatchObject({ code: 'AUTH.BANK_WIDE_REQUIRED' });
  });
});
