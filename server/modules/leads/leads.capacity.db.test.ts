import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Database, rows } from '../../db/client.js';
import { DEMO_NODES } from '../../seed/demo-ids.js';
import { createTestDatabase } from '../../test/harness.js';
import { assigneesOf } from './leads.service.js';
import { createSystemLead } from './leads.system.js';

/**
 * The capacity rule holds under concurrency (found by the survey bench): twelve leads made at once,
 * each in its own transaction on a real pool of connections, for a department whose one free
 * account manager has room for three — exactly three reach them, the other nine wait in the
 * department's pool. Without the assigners' lock each transaction counted the manager's load
 * without the others' uncommitted leads and all twelve went to them.
 */
let database: Database;
const q = <T>(query: ReturnType<typeof sql>) => rows<T>(database.db, query);
let deptId = 0;
let free = 0;
let openBefore = 0;

beforeAll(async () => {
  database = await createTestDatabase({ poolSize: 12 });
  [{ deptId }] = await q<{ deptId: number }>(
    sql`SELECT d.id AS "deptId" FROM departments d JOIN products p ON upper(p.host_department_code) = upper(d.code)
         WHERE upper(p.code) = 'WMP' AND d.active AND (SELECT path FROM org_nodes WHERE id = ${DEMO_NODES.foshan}) LIKE (SELECT path FROM org_nodes WHERE id = d.node_id) || '%'
         ORDER BY (SELECT length(path) FROM org_nodes WHERE id = d.node_id) DESC LIMIT 1`,
  );
  const people = await assigneesOf(database.db, deptId);
  expect(people.length).toBeGreaterThan(0);
  free = people[0].staffId;
  openBefore = people[0].open;
  for (const p of people)
    await q(
      sql`INSERT INTO lead_capacities (staff_id, capacity) VALUES (${p.staffId}, ${p.staffId === free ? p.open + 3 : p.open})
          ON CONFLICT (staff_id) DO UPDATE SET capacity = EXCLUDED.capacity RETURNING staff_id`,
    );
});

afterAll(async () => {
  await database?.close();
});

describe('lead capacity under concurrent assignment', () => {
  it('gives the one manager with room exactly three of twelve simultaneous leads; nine wait in the pool', async () => {
    const now = new Date('2026-12-01T02:00:00Z');
    const made = await Promise.all(
      Array.from({ length: 12 }, (_, k) =>
        database.db.transaction((tx) =>
          createSystemLead(
            tx,
            {
              nodeId: DEMO_NODES.foshan,
              productCode: 'WMP',
              personId: null,
              companyId: null,
              contactName: `并发客户${k}`,
              source: 'survey',
              sourceKey: `capacity-race-${k}`,
              note: null,
              projectId: null,
              activityId: null,
            },
            now,
          ),
        ),
      ),
    );
    expect(made.every((id) => typeof id === 'number')).toBe(true);
    const got = await q<{ owner: number | null; n: number }>(
      sql`SELECT owner_staff_id AS owner, count(*)::int AS n FROM leads WHERE source_key LIKE 'capacity-race-%' GROUP BY 1 ORDER BY 1 NULLS LAST`,
    );
    expect(got).toEqual([
      { owner: free, n: 3 },
      { owner: null, n: 9 },
    ]);
    const [{ open }] = await q<{ open: number }>(sql`SELECT count(*)::int AS open FROM leads WHERE owner_staff_id = ${free} AND stage IN ('new', 'contacted', 'proposal')`);
    expect(open).toBe(openBefore + 3);
  });
});
