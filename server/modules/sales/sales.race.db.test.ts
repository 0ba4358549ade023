import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rows } from '../../db/client.js';
import { demoDepartmentId } from '../../seed/demo-bank.js';
import { DEMO_NODES } from '../../seed/demo-ids.js';
import { type Client, createTestApp, type TestApp } from '../../test/harness.js';

/**
 * Two requests recording the same source id at once (migration 0049): the key lives in sale_keys,
 * written by trigger, so the single path reads the keys first and writes in a savepoint. The request
 * that loses the race meets 23505 on the key and must answer as a re-send does — 200 duplicate of
 * the winner's sale — never a 500 and never a second sale.
 *
 * On PostgreSQL the race is staged, not hoped for: a third connection holds sale_keys locked against
 * writes until both requests have read the keys (none) and wait to write theirs. PGlite has one
 * connection, so there the two requests run one after the other; the answer must be the same.
 */
let t: TestApp;
let fsAdmin: Client;
const q = <T>(query: ReturnType<typeof sql>) => rows<T>(t.database.db, query);

let person = '';
let pf = '';

beforeAll(async () => {
  t = await createTestApp();
  fsAdmin = await t.login('fs_admin');
  [{ person }] = await q<{ person: string }>(
    sql`SELECT i.id_number AS person FROM individuals i JOIN org_nodes n ON n.id = i.node_id WHERE n.path LIKE ${`/1/2/${DEMO_NODES.foshan}/%`} ORDER BY i.id LIMIT 1`,
  );
  [{ pf }] = await q<{ pf: string }>(sql`SELECT staff_no AS pf FROM staff WHERE department_id = ${demoDepartmentId(DEMO_NODES.foshan, 'PF')} AND active ORDER BY id LIMIT 1`);
});
afterAll(() => t?.close());

/** Waits until `n` statements of this database wait for a lock. */
async function lockWaiters(n: number): Promise<void> {
  for (let i = 0; i < 200; i++) {
    const [r] = await q<{ n: number }>(sql`SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock'`);
    if (r.n >= n) return;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`fewer than ${n} statements waiting for a lock`);
}

describe('the same source id sent twice at once', () => {
  it('records one sale; the other request answers 200 duplicate of it', async () => {
    const body = {
      sourceId: `RACE-${Date.now().toString(36)}`,
      productCode: 'DEBIT',
      idNumber: person,
      saleDate: '2026-10-12',
      quantity: 1,
      departments: [{ code: 'CORP' }],
      people: [{ staffNo: pf, departmentCode: 'PF' }],
    };
    const pool = t.database.pool;
    const holder = pool ? await pool.connect() : null;
    try {
      if (holder) {
        await holder.query('BEGIN');
        // SELECT still reads (ACCESS SHARE); any INSERT into the keys waits (ROW EXCLUSIVE).
        await holder.query('LOCK TABLE sale_keys IN SHARE ROW EXCLUSIVE MODE');
      }
      const sent = [fsAdmin.post('/api/sales', body), fsAdmin.post('/api/sales', body)];
      if (holder) {
        await lockWaiters(2);
        await holder.query('COMMIT');
      }
      const answers = await Promise.all(sent);
      const statuses = answers.map((a) => a.statusCode).sort();
      expect(statuses, answers.map((a) => a.body).join('\n')).toEqual([200, 201]);
      const created = answers.find((a) => a.statusCode === 201)!.json();
      const duplicate = answers.find((a) => a.statusCode === 200)!.json();
      expect(duplicate).toEqual({ status: 'duplicate', saleId: created.saleId, sourceId: body.sourceId });
      const [n] = await q<{ sales: number; keys: number }>(
        sql`SELECT (SELECT count(*)::int FROM sales WHERE source_id = ${body.sourceId}) AS sales, (SELECT count(*)::int FROM sale_keys WHERE source_id = ${body.sourceId}) AS keys`,
      );
      expect(n).toEqual({ sales: 1, keys: 1 });
    } finally {
      if (holder) {
        await holder.query('ROLLBACK').catch(() => undefined);
        holder.release();
      }
    }
  });
});
