import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { useTestClock } from '../../calendar/index.js';
import { type Database, rows } from '../../db/client.js';
import { DEMO_NODES } from '../../seed/demo-ids.js';
import type { AuthContext } from '../access/context.js';
import { loadGrants } from '../auth/auth.service.js';
import { createTestDatabase } from '../../test/harness.js';
import { makeIdNumber } from '../customers/ids.rules.js';
import { admitClient } from './clients.service.js';
import { createProgramme } from './programmes.service.js';

/**
 * The programme total under concurrent admissions, on a real pool of connections (PostgreSQL: ten
 * sessions at once; PGlite serialises them). Total 9,500 元 = 950,000 fen; 20 clients each
 * recommended 1,000 元 with orders of 12 × 1,000 元 (30 % = 3,600 元) → each would take 1,000 元.
 * By hand: nine take 100,000 fen (900,000), the tenth takes the 50,000 left (programme_remaining),
 * the other ten are refused SC.PROGRAMME_FULL — 950,000 granted, never a fen over.
 */
let database: Database;
let restore: () => void;
let fsAdmin: AuthContext;
const q = <T>(query: ReturnType<typeof sql>) => rows<T>(database.db, query);

beforeAll(async () => {
  restore = useTestClock('2026-12-07T02:00:00Z').restore;
  database = await createTestDatabase({ poolSize: 10 });
  const [s] = await q<{ id: number; name: string; nodeId: number }>(sql`SELECT id, name, node_id AS "nodeId" FROM staff WHERE staff_no = 'fs_admin'`);
  fsAdmin = { staffId: s.id, staffNo: 'fs_admin', name: s.name, nodeId: s.nodeId, sessionId: 't', csrfToken: 't', mustChangePassword: false, grants: await loadGrants(database.db, s.id) };
});

afterAll(async () => {
  restore();
  await database?.close();
});

describe('admissions at the edge of the programme total', () => {
  it('20 concurrent admissions against 9,500 元: exactly 950,000 fen granted, the last one cut to what was left', async () => {
    const p = await createProgramme(database.db, fsAdmin, {
      code: 'EDGE-1',
      name: '并发授信测试',
      enterpriseName: '测试核心企业',
      enterpriseUscc: null,
      nodeId: DEMO_NODES.foshan,
      ownerStaffId: null,
      agreementNo: 'HZ-1',
      guaranteeNo: 'DB-1',
      signedOn: '2026-11-01',
      totalCapFen: 950_000,
      householdCapFen: 200_000_000,
      orderRatioBp: 3000,
      marginBp: 500,
      warnBp: 200,
      suspendBp: 300,
      toleranceBp: 500,
      maxTermMonths: 12,
      nplOverdueDays: 90,
    });
    const ids: number[] = [];
    for (let i = 0; i < 20; i++) {
      const [{ id }] = await q<{ id: number }>(
        sql`INSERT INTO sc_clients (programme_id, client_code, client_name, client_kind, household_no, id_no, score, recommended_fen, applied_on, created_at)
            VALUES (${p.id}, ${`E${i}`}, ${`测试养殖户${i}`}, 'farmer', ${`HH${i}`}, ${makeIdNumber('440604', '1980-05-05', 100 + i)}, 80, 100000, '2026-11-20', now()) RETURNING id`,
      );
      for (let m = 0; m < 12; m++)
        for (const source of ['enterprise', 'provider'])
          await q(
            sql`INSERT INTO sc_orders (programme_id, client_code, month, source, amount_fen, updated_at) VALUES (${p.id}, ${`E${i}`}, ${`2026-${String(m + 1).padStart(2, '0')}-01`}::date - interval '2 months', ${source}, 100000, now())`,
          );
      ids.push(id);
    }
    const results = await Promise.allSettled(ids.map((id) => admitClient(database.db, fsAdmin, id, null)));
    const ok = results.filter((r): r is PromiseFulfilledResult<Awaited<ReturnType<typeof admitClient>>> => r.status === 'fulfilled').map((r) => r.value);
    const refused = results.filter((r): r is PromiseRejectedResult => r.status === 'rejected').map((r) => (r.reason as { code?: string }).code);
    expect(refused).toEqual(Array(10).fill('SC.PROGRAMME_FULL'));
    expect(ok).toHaveLength(10);
    expect(ok.map((c) => c.limitFen).sort((a, b) => b! - a!)).toEqual([...Array(9).fill(100_000), 50_000]);
    expect(ok.filter((c) => c.limitRule === 'programme_remaining')).toHaveLength(1);
    const [{ granted, total }] = await q<{ granted: number; total: number }>(sql`SELECT granted_fen::float8 AS granted, total_cap_fen::float8 AS total FROM sc_programmes WHERE id = ${p.id}`);
    expect(granted).toBe(950_000);
    expect(total).toBe(950_000);
    const [{ sum }] = await q<{ sum: number }>(sql`SELECT sum(limit_fen)::float8 AS sum FROM sc_clients WHERE programme_id = ${p.id} AND status = 'admitted'`);
    expect(sum).toBe(950_000);
  });
});
