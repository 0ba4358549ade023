import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rows } from '../../db/client.js';
import { demoDepartmentId } from '../../seed/demo-bank.js';
import { DEMO_NODES } from '../../seed/demo-ids.js';
import { type Client, createTestApp, type TestApp } from '../../test/harness.js';
import { waitForImport } from '../imports/imports.routes.js';
import { uploadForm } from '../imports/testing.js';

/**
 * A sales import at the documented limit (import.maxRows, 200,000 rows) through the API
 * (issue 10, finding 6): past ~125 k rows it failed with "Maximum call stack size exceeded"
 * (`Math.min(...ids)` over the new sale ids in sales.service insertResolved's audit entry).
 *
 * Slow on purpose: ~3–4 min on PGlite under load, ~7 min on PostgreSQL. It is therefore NOT a
 * *.db.test.ts: it runs in the PGlite leg only (vitest project `pglite`), and there it always
 * runs — in CI too; it is never skipped. The PostgreSQL leg covers the same code with the
 * smaller files of sales.bulk.db.test.ts and imports.db.test.ts.
 */
const ROWS = 200_000;
const HEADER = '交易流水号,产品代码,客户身份证号码,统一社会信用代码,楼盘编号,销售日期,数量,参与部门,营销人员';

let t: TestApp;
let admin: Client;
const fx = { person: '', pf: '', corp: '' };
const q = <T>(query: ReturnType<typeof sql>) => rows<T>(t.database.db, query);

beforeAll(async () => {
  // A 200 k-row file is ~25 MB; the write holds PGlite's one connection for minutes, so the poll
  // waits for it rather than answering SYSTEM.BUSY.
  t = await createTestApp({ IMPORT_MAX_MB: '64', DB_POOL_ACQUIRE_TIMEOUT_MS: '0', DB_STATEMENT_TIMEOUT_MS: '0' });
  admin = await t.login('admin');
  fx.person = (
    await q<{ v: string }>(sql`SELECT i.id_number AS v FROM individuals i JOIN org_nodes n ON n.id = i.node_id WHERE n.path LIKE ${`/1/2/${DEMO_NODES.foshan}/%`} ORDER BY i.id LIMIT 1`)
  )[0].v;
  const staffOf = async (code: string) =>
    (await q<{ v: string }>(sql`SELECT staff_no AS v FROM staff WHERE department_id = ${demoDepartmentId(DEMO_NODES.foshan, code)} AND active ORDER BY id LIMIT 1`))[0].v;
  fx.pf = await staffOf('PF');
  fx.corp = await staffOf('CORP');
});
afterAll(() => t?.close());

describe(`a sales import of ${ROWS} rows through the API (issue 10, finding 6)`, () => {
  it('imports every row and audits per branch with the id range, no stack overflow', { timeout: 20 * 60_000 }, async () => {
    const lines = [HEADER];
    for (let i = 0; i < ROWS; i++) {
      const id = `K200-${String(i).padStart(6, '0')}`;
      lines.push(i % 2 === 0 ? `${id},WMP,${fx.person},,,2026-10-15,1,"CORP:60,INST:40","${fx.pf}@PF:营销:100,${fx.corp}@CORP:介绍"` : `${id},FUND,${fx.person},,,2026-10-16,2,CORP、INST,`);
    }
    const bytes = Buffer.from(`${lines.join('\r\n')}\r\n`, 'utf8');
    const [{ auditBefore }] = await q<{ auditBefore: number }>(sql`SELECT coalesce(max(id), 0)::int AS "auditBefore" FROM audit_log`);
    const res = await admin.request({ method: 'POST', url: '/api/imports/sales', payload: uploadForm(bytes, 'sales-200k.csv') });
    expect(res.statusCode, res.body).toBe(202);
    const { id } = res.json() as { id: string };
    const job = await waitForImport(t.database.db, id, 19 * 60_000);
    expect(job, job.message ?? '').toMatchObject({ status: 'done', totalRows: ROWS, errorRows: 0, inserted: ROWS });

    const [{ n }] = await q<{ n: number }>(sql`SELECT count(*)::int AS n FROM sales WHERE source_id LIKE 'K200-%'`);
    expect(n).toBe(ROWS);
    // One audit entry per branch, naming its node and the range of its new ids (no spread needed).
    const audit = await q<{ nodeId: number | null; entityId: string; count: number }>(
      sql`SELECT node_id AS "nodeId", entity_id AS "entityId", (after->>'count')::int AS count FROM audit_log
          WHERE action = 'sale.import' AND entity = 'sale' AND id > ${auditBefore} ORDER BY id`,
    );
    expect(audit.reduce((s, a) => s + a.count, 0)).toBe(ROWS);
    const [range] = await q<{ lo: number; hi: number }>(sql`SELECT min(id)::int AS lo, max(id)::int AS hi FROM sales WHERE source_id LIKE 'K200-%'`);
    for (const a of audit) {
      expect(a.nodeId).not.toBeNull();
      const [lo, hi] = a.entityId.split('..').map(Number);
      expect(lo).toBeGreaterThanOrEqual(range.lo);
      expect(hi).toBeLessThanOrEqual(range.hi);
    }
  });
});
