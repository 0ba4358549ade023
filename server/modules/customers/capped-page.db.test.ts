import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Database, rows } from '../../db/client.js';
import { staff } from '../../db/schema/index.js';
import { DEMO_NODES } from '../../seed/demo-ids.js';
import { createTestDatabase } from '../../test/harness.js';
import type { AuthContext } from '../access/context.js';
import { loadGrants } from '../auth/auth.service.js';
import { eq } from 'drizzle-orm';
import { companyPageQuery, listCompanies } from './companies.service.js';
import { cappedPageSql, COUNT_CAP } from './customers.policy.js';
import { CompanyQuery } from './customers.schemas.js';

/**
 * Decision 0051: a company list's page and its count capped at COUNT_CAP come from one statement; a
 * common fragment's page is walked in key order, a rarer one is cut from the capped matches. Both
 * must give the rows a full, uncapped query gives, in id order, within the caller's scope.
 */
let database: Database;
const FRAGMENT = '琰珂'; // two characters no demo name has
const COMMON = COUNT_CAP + 30; // in 佛山分行: more than the cap
const RARE = 7; // in 河源分行, also named with RARE_FRAGMENT
const RARE_FRAGMENT = '瑀璟';

async function authOf(staffNo: string): Promise<AuthContext> {
  const [s] = await database.db.select().from(staff).where(eq(staff.staffNo, staffNo));
  return { staffId: s.id, staffNo, name: s.name, nodeId: s.nodeId, sessionId: 't', csrfToken: 't', mustChangePassword: false, grants: await loadGrants(database.db, s.id) };
}

/** The ids a full query returns: every match in scope, in id order. */
async function allIds(nodePath: string, q: string): Promise<number[]> {
  const r = await rows<{ id: number }>(
    database.db,
    sql`SELECT c.id FROM corporate_clients c JOIN org_nodes n ON n.id = c.node_id
        WHERE n.path LIKE ${`${nodePath}%`} AND c.name LIKE ${`%${q}%`} ORDER BY c.id`,
  );
  return r.map((x) => x.id);
}

beforeAll(async () => {
  database = await createTestDatabase();
  // Interleaved with ids of other companies' names so that a page is not simply a range of ids.
  await database.db.execute(sql`
    INSERT INTO corporate_clients (uscc, name, type_code, node_id)
    SELECT 'TEST' || lpad(g::text, 14, '0'),
           CASE WHEN g % 3 = 0 THEN '无关名称公司' || g
                WHEN g <= ${COMMON * 3 + 3}::int THEN '佛山' || ${FRAGMENT}::text || '电器' || g || '号'
                ELSE '河源' || ${FRAGMENT}::text || ${RARE_FRAGMENT}::text || g END,
           (SELECT code FROM client_types ORDER BY code LIMIT 1),
           CASE WHEN g <= ${COMMON * 3 + 3}::int THEN ${DEMO_NODES.foshan}::int ELSE ${DEMO_NODES.heyuan}::int END
    FROM generate_series(1, ${COMMON * 3 + 3 + RARE * 3}) g`);
  await database.db.execute(sql`ANALYZE corporate_clients`);
});
afterAll(() => database.close());

describe('company list: page and capped count in one statement (decision 0051)', () => {
  it('caps the count of a common fragment and pages it in id order, past the cap too', async () => {
    const auth = await authOf('fs_admin');
    const [fs] = await rows<{ path: string }>(database.db, sql`SELECT path FROM org_nodes WHERE id = ${DEMO_NODES.foshan}`);
    const expected = await allIds(fs.path, FRAGMENT);
    expect(expected.length).toBeGreaterThan(COUNT_CAP);
    const first = await listCompanies(database.db, auth, CompanyQuery.parse({ q: FRAGMENT, pageSize: '20' }));
    expect(first).toMatchObject({ total: COUNT_CAP, totalCapped: true, page: 1, pageSize: 20 });
    expect(first.items.map((c) => c.id)).toEqual(expected.slice(0, 20));
    expect(first.items[0]).toMatchObject({ nodeId: DEMO_NODES.foshan, nodeName: expect.any(String), typeName: expect.any(String) });
    // Page 51 of 20 starts at row 1,001: beyond what the count visited.
    const late = await listCompanies(database.db, auth, CompanyQuery.parse({ q: FRAGMENT, page: '51', pageSize: '20' }));
    expect(late.items.map((c) => c.id)).toEqual(expected.slice(1000, 1020));
    expect(late.totalCapped).toBe(true);
    const last = await listCompanies(database.db, auth, CompanyQuery.parse({ q: FRAGMENT, page: String(Math.ceil(expected.length / 20)), pageSize: '20' }));
    expect(last.items.map((c) => c.id)).toEqual(expected.slice(Math.floor((expected.length - 1) / 20) * 20));
  });

  it('counts exactly under the cap, in scope only, and answers an empty page with the count', async () => {
    const auth = await authOf('hy_admin');
    const [hy] = await rows<{ path: string }>(database.db, sql`SELECT path FROM org_nodes WHERE id = ${DEMO_NODES.heyuan}`);
    const expected = await allIds(hy.path, FRAGMENT);
    expect(expected.length).toBe(RARE * 2);
    const page = await listCompanies(database.db, auth, CompanyQuery.parse({ q: FRAGMENT, pageSize: '10' }));
    expect(page).toMatchObject({ total: expected.length, totalCapped: false });
    expect(page.items.map((c) => c.id)).toEqual(expected.slice(0, 10));
    expect(page.items.every((c) => c.name.startsWith('河源'))).toBe(true);
    const second = await listCompanies(database.db, auth, CompanyQuery.parse({ q: FRAGMENT, page: '2', pageSize: '10' }));
    expect(second.items.map((c) => c.id)).toEqual(expected.slice(10));
    const beyond = await listCompanies(database.db, auth, CompanyQuery.parse({ q: FRAGMENT, page: '9', pageSize: '10' }));
    expect(beyond).toMatchObject({ items: [], total: expected.length, totalCapped: false });
  });

  it('serves the matches from the bigram index and runs only one of the two page branches', async () => {
    // The province's administrator (no org node narrows the search) and a rare fragment: the name index must.
    const auth = await authOf('admin');
    const plan = await database.db.transaction(async (tx) => {
      // What is asked is whether the name index CAN serve the matches: on a table this small a
      // walk over the org nodes' client index can cost the same, so those plans are priced out.
      await tx.execute(sql`SET LOCAL enable_seqscan = off`);
      await tx.execute(sql`SET LOCAL enable_nestloop = off`);
      const statement = cappedPageSql(companyPageQuery(auth, CompanyQuery.parse({ q: RARE_FRAGMENT, pageSize: '20' })));
      return rows<Record<string, string>>(tx, sql`EXPLAIN (ANALYZE, COSTS OFF, TIMING OFF, SUMMARY OFF) ${statement}`);
    });
    const text = plan.map((r) => Object.values(r)[0]).join('\n');
    expect(text).toContain('corporate_clients_name_bigrams');
    // Under the cap the page is cut from the matches: the key walk is never executed.
    expect(text).toMatch(/One-Time Filter: .*> 1000[\s\S]*never executed/);
    expect(text).not.toMatch(/Filter: .*name_bigrams/);
  });
});
