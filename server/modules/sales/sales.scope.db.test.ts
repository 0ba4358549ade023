import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rows } from '../../db/client.js';
import { demoDepartmentId } from '../../seed/demo-bank.js';
import { DEMO_NODES } from '../../seed/demo-ids.js';
import { type Client, createTestApp, type TestApp } from '../../test/harness.js';

/**
 * A source id recorded at another branch is taken, and that is all its sender learns: not the sale's
 * id, not a field of it. Before, re-sending 河源's source id from 佛山 answered "duplicate of sale #n",
 * or SALE.CONFLICT quoting 河源's recorded client, product, quantity and people — another branch's
 * data to anyone who could guess a core-banking transaction number.
 */
let t: TestApp;
let fsAdmin: Client;
let hyAdmin: Client;
const q = <T>(query: ReturnType<typeof sql>) => rows<T>(t.database.db, query);

const fx = { fsPerson: '', hyPerson: '', fsPf: '', hyPf: '', hyCode: '', fsCode: '' };

beforeAll(async () => {
  t = await createTestApp();
  fsAdmin = await t.login('fs_admin');
  hyAdmin = await t.login('hy_admin');
  const personIn = async (nodeId: number) =>
    (await q<{ id: string }>(sql`SELECT i.id_number AS id FROM individuals i JOIN org_nodes n ON n.id = i.node_id WHERE n.path LIKE ${`/1/2/${nodeId}/%`} ORDER BY i.id LIMIT 1`))[0].id;
  const pfOf = async (nodeId: number) => (await q<{ no: string }>(sql`SELECT staff_no AS no FROM staff WHERE department_id = ${demoDepartmentId(nodeId, 'PF')} AND active ORDER BY id LIMIT 1`))[0].no;
  const codeOf = async (id: number) => (await q<{ code: string }>(sql`SELECT code FROM org_nodes WHERE id = ${id}`))[0].code;
  fx.fsPerson = await personIn(DEMO_NODES.foshan);
  fx.hyPerson = await personIn(DEMO_NODES.heyuan);
  fx.fsPf = await pfOf(DEMO_NODES.foshan);
  fx.hyPf = await pfOf(DEMO_NODES.heyuan);
  fx.fsCode = await codeOf(DEMO_NODES.foshan);
  fx.hyCode = await codeOf(DEMO_NODES.heyuan);
});
afterAll(() => t?.close());

const count = async (sourceId: string) => (await q<{ n: number }>(sql`SELECT count(*)::int AS n FROM sales WHERE source_id = ${sourceId}`))[0].n;

describe('a source id recorded at another branch', () => {
  it('is refused from outside that branch with nothing of the sale in the answer; its own branch still gets 200 duplicate', async () => {
    const sourceId = `SCOPE-${Date.now().toString(36)}`;
    const hySale = {
      sourceId,
      productCode: 'DEBIT',
      idNumber: fx.hyPerson,
      saleDate: '2026-10-12',
      quantity: 3,
      branchCode: fx.hyCode,
      departments: [{ code: 'CORP' }],
      people: [{ staffNo: fx.hyPf, departmentCode: 'PF' }],
    };
    const recorded = await hyAdmin.post('/api/sales', hySale);
    expect(recorded.statusCode, recorded.body).toBe(201);
    const saleId = String(recorded.json().saleId);

    // 佛山 sends the same number for a sale of its own (other client, quantity, person).
    const fsSale = { ...hySale, idNumber: fx.fsPerson, quantity: 7, branchCode: fx.fsCode, people: [{ staffNo: fx.fsPf, departmentCode: 'PF' }] };
    const res = await fsAdmin.post('/api/sales', fsSale);
    expect(res.statusCode, res.body).toBe(403);
    expect(res.json().error.code).toBe('AUTH.OUT_OF_SCOPE');
    expect(res.json().error.message).toMatch(/已由您管理范围以外的机构登记/);
    // Nothing of 河源's sale: its id, its person, its client.
    for (const secret of [`#${saleId}`, `"saleId"`, fx.hyPf, fx.hyPerson.slice(-4)]) expect(res.body).not.toContain(secret);
    // The same content sent from 佛山 (a copy of 河源's sale) is not "a duplicate of sale #n" either.
    const copy = await fsAdmin.post('/api/sales', hySale);
    expect(copy.statusCode, copy.body).toBe(403);
    expect(copy.body).not.toContain(saleId);
    // The batch path answers the same, per sale.
    const batch = await fsAdmin.post('/api/sales/batch', { sales: [fsSale] });
    expect(batch.statusCode, batch.body).toBe(400);
    expect(JSON.stringify(batch.json().error.details)).toMatch(/AUTH.OUT_OF_SCOPE/);
    expect(batch.body).not.toContain(`#${saleId}`);
    expect(await count(sourceId)).toBe(1);

    // Its own branch re-sending it is a duplicate, as before.
    const again = await hyAdmin.post('/api/sales', hySale);
    expect(again.statusCode, again.body).toBe(200);
    expect(again.json()).toEqual({ status: 'duplicate', saleId: Number(saleId), sourceId });
  });
});
