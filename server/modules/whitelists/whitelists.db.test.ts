import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Database, rows } from '../../db/client.js';
import { DEMO_NODES } from '../../seed/demo-ids.js';
import type { AuthContext } from '../access/context.js';
import { loadGrants } from '../auth/auth.service.js';
import { createTestDatabase } from '../../test/harness.js';
import { runImport } from '../imports/import.service.js';
import { recordContact } from './contacts.service.js';
import { applyDistribution, previewDistribution, setOutletRule } from './distribution.service.js';
import { addWhitelistEntries } from './entries.service.js';
import { entryDetail, listBatches, listEntries, listMine } from './entries.read.js';
import { fakeIdNo, fakeUscc } from './whitelists.fixtures.js';

/**
 * 经营快贷白名单 on a real database (both legs): validation, routing to outlets, idempotent re-adds
 * and imports, preview = apply, the outlet rules, re-balance after a departure, contacts and their
 * transitions, and the org scope.
 */
let database: Database;
let fsAdmin: AuthContext;
let hyAdmin: AuthContext;
const q = <T>(query: ReturnType<typeof sql>) => rows<T>(database.db, query);
let sub: { id: number; code: string };
let outlets: { id: number; code: string }[];
let staffOf: Map<number, { id: number; staffNo: string }[]>;

async function actAs(staffNo: string): Promise<AuthContext> {
  const [s] = await q<{ id: number; name: string; nodeId: number }>(sql`SELECT id, name, node_id AS "nodeId" FROM staff WHERE staff_no = ${staffNo}`);
  return { staffId: s.id, staffNo, name: s.name, nodeId: s.nodeId, sessionId: 't', csrfToken: 't', mustChangePassword: false, grants: await loadGrants(database.db, s.id) };
}

const entry = (n: number, over: Partial<{ settlementCode: string | null; amountFen: number; idNo: string; expiresOn: string }> = {}) => ({
  clientName: `测试商户${n}`,
  idNo: n % 2 ? fakeUscc(900_000 + n) : fakeIdNo(n),
  phone: `1380000${String(n).padStart(4, '0')}`,
  amountFen: (n + 1) * 10_000_00,
  product: '经营快贷',
  expiresOn: '2099-12-31',
  settlementCode: outlets[n % 2].code,
  ...over,
});

beforeAll(async () => {
  database = await createTestDatabase();
  [fsAdmin, hyAdmin] = [await actAs('fs_admin'), await actAs('hy_admin')];
  [sub] = await q<{ id: number; code: string }>(
    sql`SELECT s.id, s.code FROM org_nodes s WHERE s.level = 'subbranch' AND s.parent_id = ${DEMO_NODES.foshan}
         AND (SELECT count(*) FROM org_nodes o WHERE o.parent_id = s.id AND o.level = 'outlet') >= 2 ORDER BY s.id LIMIT 1`,
  );
  outlets = await q(sql`SELECT id, code FROM org_nodes WHERE parent_id = ${sub.id} AND level = 'outlet' ORDER BY id LIMIT 2`);
  const st = await q<{ id: number; staffNo: string; nodeId: number }>(
    sql`SELECT id, staff_no AS "staffNo", node_id AS "nodeId" FROM staff WHERE active AND node_id IN (${outlets[0].id}, ${outlets[1].id}) ORDER BY id`,
  );
  staffOf = new Map(outlets.map((o) => [o.id, st.filter((s) => s.nodeId === o.id)]));
});

afterAll(async () => {
  await database?.close();
});

describe('adding entries', () => {
  it('refuses the whole batch when one entry is wrong, naming each problem', async () => {
    const bad = [entry(1), entry(2, { idNo: '91440604MA4UJ8XX5A' }), entry(3, { amountFen: 0, expiresOn: '2020-01-01' }), entry(4, { settlementCode: 'NOPE-1' })];
    await expect(database.db.transaction((tx) => addWhitelistEntries(tx, fsAdmin, { code: 'T-BAD', ownerNodeId: sub.id, source: 'manual', entries: bad }))).rejects.toMatchObject({
      code: 'WL.INVALID_ENTRY',
      details: {
        errors: [
          expect.objectContaining({ index: 1, field: 'idNo' }),
          expect.objectContaining({ index: 2, field: 'amountFen' }),
          expect.objectContaining({ index: 2, field: 'expiresOn' }),
          expect.objectContaining({ index: 3, field: 'settlementCode' }),
        ],
      },
    });
    expect(await q(sql`SELECT id FROM whitelist_batches WHERE code = 'T-BAD'`)).toEqual([]);
  });

  it('routes to the settlement outlet, else to the owner; a re-add changes nothing', async () => {
    const list = [...Array.from({ length: 10 }, (_, i) => entry(i)), entry(10, { settlementCode: null }), entry(11, { settlementCode: sub.code })];
    const r = await database.db.transaction((tx) => addWhitelistEntries(tx, fsAdmin, { code: 'T-A', ownerNodeId: sub.id, source: 'supply_chain', sourceRef: 'SC-1', entries: list }));
    expect(r).toMatchObject({ inserted: 12, updated: 0, unchanged: 0 });
    const placed = await q<{ nodeId: number; n: number }>(sql`SELECT outlet_node_id AS "nodeId", count(*)::int AS n FROM whitelist_entries WHERE batch_id = ${r.batchId} GROUP BY 1 ORDER BY 1`);
    expect(Object.fromEntries(placed.map((p) => [p.nodeId, p.n]))).toEqual({ [outlets[0].id]: 5, [outlets[1].id]: 5, [sub.id]: 2 });
    const again = await database.db.transaction((tx) => addWhitelistEntries(tx, fsAdmin, { code: 'T-A', ownerNodeId: sub.id, source: 'supply_chain', entries: list }));
    expect(again).toMatchObject({ batchId: r.batchId, inserted: 0, updated: 0, unchanged: 12 });
    const [{ n }] = await q<{ n: number }>(sql`SELECT count(*)::int AS n FROM audit_log WHERE entity = 'whitelist_batch' AND entity_id = ${String(r.batchId)}`);
    expect(n).toBe(1);
  });

  it('another branch cannot add to this sub-branch, nor see the batch', async () => {
    await expect(database.db.transaction((tx) => addWhitelistEntries(tx, hyAdmin, { code: 'T-HY', ownerNodeId: sub.id, source: 'manual', entries: [entry(1)] }))).rejects.toMatchObject({
      code: 'WL.NODE_NOT_FOUND',
    });
    expect((await listBatches(database.db, hyAdmin)).some((b) => b.code === 'T-A')).toBe(false);
    expect((await listEntries(database.db, hyAdmin, { q: '测试商户', page: 1, pageSize: 50 })).total).toBe(0);
  });
});

describe('the import', () => {
  it('imports all or nothing, and the same file again changes nothing', async () => {
    const head = '批次编号,承办支行机构号,客户名称,统一社会信用代码/身份证号,联系电话,预授信额度(元),产品,到期日,结算网点机构号';
    const line = (n: number, idNo = fakeUscc(800_000 + n)) => `T-IMP,${sub.code},导入商户${n},${idNo},1390000${String(n).padStart(4, '0')},${(n + 1) * 50000},经营快贷,2099-06-30,${outlets[0].code}`;
    const bad = [head, line(1), line(2, '123'), line(3)].join('\n');
    const failed = await runImport({ db: database.db, auth: fsAdmin, kind: 'whitelists', fileName: 'wl.csv', bytes: Buffer.from(bad) });
    expect(failed.status).toBe('failed');
    expect(failed.errors.filter((e) => e.row !== null).map((e) => [e.row, e.columnKey])).toEqual([[3, 'idNo']]);
    expect(await q(sql`SELECT id FROM whitelist_batches WHERE code = 'T-IMP'`)).toEqual([]);
    const good = [head, line(1), line(2), line(3)].join('\n');
    const ok = await runImport({ db: database.db, auth: fsAdmin, kind: 'whitelists', fileName: 'wl.csv', bytes: Buffer.from(good) });
    expect(ok).toMatchObject({ status: 'done', inserted: 3 });
    const [{ sum }] = await q<{ sum: string }>(sql`SELECT sum(amount_fen)::text AS sum FROM whitelist_entries e JOIN whitelist_batches b ON b.id = e.batch_id WHERE b.code = 'T-IMP'`);
    expect(sum).toBe(String((2 + 3 + 4) * 50000 * 100));
    const again = await runImport({ db: database.db, auth: fsAdmin, kind: 'whitelists', fileName: 'wl.csv', bytes: Buffer.from(good) });
    expect(again).toMatchObject({ status: 'done', inserted: 0, updated: 0, unchanged: 3 });
  });
});

describe('distribution', () => {
  it('previews, then applies exactly the preview; weights follow the outlet rule', async () => {
    const [b] = await q<{ id: number }>(sql`SELECT id FROM whitelist_batches WHERE code = 'T-A'`);
    const people = staffOf.get(outlets[0].id)!;
    await setOutletRule(database.db, fsAdmin, outlets[0].id, { rule: 'weights', weights: [{ staffId: people[0].id, weight: 4 }, ...people.slice(1).map((p) => ({ staffId: p.id, weight: 0 }))] });
    const preview = await previewDistribution(database.db, fsAdmin, { batchId: b.id });
    const o0 = preview.outlets.find((o) => o.nodeId === outlets[0].id)!;
    expect(o0).toMatchObject({ rule: 'weights', entries: 5 });
    expect(o0.people.find((p) => p.staffId === people[0].id)?.count).toBe(5);
    const applied = await applyDistribution(database.db, fsAdmin, { batchId: b.id });
    expect(applied.outlets.map(({ people: ps, nodeId }) => ({ nodeId, ps }))).toEqual(preview.outlets.map(({ people: ps, nodeId }) => ({ nodeId, ps })));
    const held = await q<{ staffId: number; n: number }>(
      sql`SELECT staff_id AS "staffId", count(*)::int AS n FROM whitelist_entries WHERE batch_id = ${b.id} AND outlet_node_id = ${outlets[0].id} GROUP BY 1`,
    );
    expect(held).toEqual([{ staffId: people[0].id, n: 5 }]);
    // the sub-branch's own entries go to the sub-branch's staff; nothing is left for a second apply
    const [{ left }] = await q<{ left: number }>(
      sql`SELECT count(*)::int AS left FROM whitelist_entries e WHERE batch_id = ${b.id} AND staff_id IS NULL AND EXISTS (SELECT 1 FROM staff s WHERE s.node_id = e.outlet_node_id AND s.active)`,
    );
    expect(left).toBe(0);
    expect((await applyDistribution(database.db, fsAdmin, { batchId: b.id })).assigned).toBe(0);
    const audit = await q<{ nodeId: number }>(sql`SELECT node_id AS "nodeId" FROM audit_log WHERE action = 'whitelist.distribute' AND entity_id = ${String(b.id)}`);
    expect(audit.map((a) => a.nodeId)).toContain(outlets[0].id);
  });

  it('re-balances the entries of a departed staff member to those still there', async () => {
    const people = staffOf.get(outlets[0].id)!;
    expect(people.length).toBeGreaterThanOrEqual(2);
    await q(sql`UPDATE staff SET active = false WHERE id = ${people[0].id}`);
    await setOutletRule(database.db, fsAdmin, outlets[0].id, { rule: 'round_robin', weights: [] });
    const preview = await previewDistribution(database.db, fsAdmin, { nodeId: outlets[0].id }, 'rebalance');
    expect(preview.outlets).toHaveLength(1);
    expect(preview.outlets[0].entries).toBeGreaterThanOrEqual(5);
    const r = await applyDistribution(database.db, fsAdmin, { nodeId: outlets[0].id }, 'rebalance');
    expect(r.assigned).toBe(preview.outlets[0].entries);
    const [{ n }] = await q<{ n: number }>(sql`SELECT count(*)::int AS n FROM whitelist_entries WHERE staff_id = ${people[0].id}`);
    expect(n).toBe(0);
    const [a] = await q<{ after: { from: { staffId: number; count: number }[] } }>(sql`SELECT after FROM audit_log WHERE action = 'whitelist.rebalance' ORDER BY id DESC LIMIT 1`);
    expect(a.after.from).toEqual([{ staffId: people[0].id, count: r.assigned }]);
    await q(sql`UPDATE staff SET active = true WHERE id = ${people[0].id}`);
  });
});

describe('my clients and contacts', () => {
  it('the assigned staff member sees his clients with the whole phone, records contacts, transitions are checked', async () => {
    const [e] = await q<{ id: number; staffId: number; staffNo: string }>(
      sql`SELECT e.id, e.staff_id AS "staffId", s.staff_no AS "staffNo" FROM whitelist_entries e JOIN whitelist_batches b ON b.id = e.batch_id JOIN staff s ON s.id = e.staff_id
           WHERE b.code = 'T-A' AND e.outlet_node_id = ${outlets[1].id} ORDER BY e.id LIMIT 1`,
    );
    const me = await actAs(e.staffNo);
    const mine = await listMine(database.db, me, { page: 1, pageSize: 50 });
    const row = mine.items.find((i) => i.id === e.id)!;
    expect(row.phone).toMatch(/^1380000\d{4}$/);
    expect(row.idNo).toContain('*');
    let d = await recordContact(database.db, me, e.id, { channel: 'phone', outcome: 'suspected_fraud', note: '客户担心是诈骗电话，已告知拨打95588核实' });
    expect(d.status).toBe('contacted');
    d = await recordContact(database.db, me, e.id, { channel: 'visit', outcome: 'interested' });
    expect(d).toMatchObject({ status: 'interested', contacts: 2 });
    await expect(recordContact(database.db, me, e.id, { channel: 'phone', outcome: 'other', status: 'contacted' })).rejects.toMatchObject({ code: 'WL.BAD_TRANSITION' });
    await expect(recordContact(database.db, me, e.id, { channel: 'phone', outcome: 'refused' })).rejects.toMatchObject({ code: 'WL.BAD_TRANSITION' });
    d = await recordContact(database.db, me, e.id, { channel: 'phone', outcome: 'refused', refusalReason: '暂无资金需求' });
    expect(d).toMatchObject({ status: 'refused', refusalReason: '暂无资金需求' });
    expect(d.contactList.map((c) => c.statusAfter)).toEqual(['refused', 'interested', 'contacted']);
    const [{ n }] = await q<{ n: number }>(sql`SELECT count(*)::int AS n FROM audit_log WHERE action = 'whitelist.contact' AND entity_id = ${String(e.id)}`);
    expect(n).toBe(3);
    // someone of another outlet (not assigned, no scope there) gets 404
    const other = staffOf.get(outlets[0].id)![1];
    await expect(entryDetail(database.db, await actAs(other.staffNo), e.id)).rejects.toMatchObject({ code: 'WL.ENTRY_NOT_FOUND' });
    await expect(recordContact(database.db, hyAdmin, e.id, { channel: 'phone', outcome: 'interested' })).rejects.toMatchObject({ code: 'WL.ENTRY_NOT_FOUND' });
  });
});
