import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Database, rows } from '../../db/client.js';
import { DEMO_NODES } from '../../seed/demo-ids.js';
import type { AuthContext } from '../access/context.js';
import { loadGrants } from '../auth/auth.service.js';
import { createTestDatabase } from '../../test/harness.js';
import { campaignMembers, matchDepartment } from './campaigns.service.js';
import { addWhitelistEntries } from './entries.service.js';
import { campaignList, letterLayout, toCsv, LIST_COLUMNS } from './exports.service.js';
import { fakeUscc } from './whitelists.fixtures.js';

/** Department matching, the masked remote-campaign lists and the introduction letter, on both legs. */
let database: Database;
let fsAdmin: AuthContext;
let hyAdmin: AuthContext;
let batchId: number;
const q = <T>(query: ReturnType<typeof sql>) => rows<T>(database.db, query);
let rich: { idNumber: string; name: string };
let merchant: { uscc: string; name: string };

async function actAs(staffNo: string): Promise<AuthContext> {
  const [s] = await q<{ id: number; name: string; nodeId: number }>(sql`SELECT id, name, node_id AS "nodeId" FROM staff WHERE staff_no = ${staffNo}`);
  return { staffId: s.id, staffNo, name: s.name, nodeId: s.nodeId, sessionId: 't', csrfToken: 't', mustChangePassword: false, grants: await loadGrants(database.db, s.id) };
}

beforeAll(async () => {
  database = await createTestDatabase();
  [fsAdmin, hyAdmin] = [await actAs('fs_admin'), await actAs('hy_admin')];
  const [outlet] = await q<{ code: string }>(sql`SELECT code FROM org_nodes WHERE level = 'outlet' AND path LIKE ${`/1/2/${DEMO_NODES.foshan}/%`} ORDER BY id LIMIT 1`);
  [rich] = await q<{ idNumber: string; name: string }>(sql`SELECT id_number AS "idNumber", name FROM individuals ORDER BY aum_fen DESC LIMIT 1`);
  await q(sql`UPDATE individuals SET aum_fen = 900000000 WHERE id_number = ${rich.idNumber}`);
  [merchant] = await q<{ uscc: string; name: string }>(sql`SELECT uscc, name FROM corporate_clients ORDER BY id LIMIT 1`);
  await q(sql`UPDATE corporate_clients SET industry_code = 'F', facts = facts || '{"businessDistrict": "祖庙商圈"}'::jsonb WHERE uscc = ${merchant.uscc}`);
  const r = await database.db.transaction((tx) =>
    addWhitelistEntries(tx, fsAdmin, {
      code: 'T-MATCH',
      ownerNodeId: DEMO_NODES.foshan,
      source: 'manual',
      entries: [
        { clientName: rich.name, idNo: rich.idNumber, phone: '13812345678', amountFen: 50_000_000, product: '经营快贷', expiresOn: '2099-01-01', settlementCode: outlet.code },
        { clientName: merchant.name, idNo: merchant.uscc, phone: '13912345678', amountFen: 80_000_000, product: '经营快贷', expiresOn: '2099-01-01', settlementCode: outlet.code },
        { clientName: '佛山市无关商行', idNo: fakeUscc(123_456), phone: null, amountFen: 10_000_000, product: '经营快贷', expiresOn: '2099-01-01', settlementCode: outlet.code },
      ],
    }),
  );
  batchId = r.batchId;
});

afterAll(async () => {
  await database?.close();
});

describe('department matching', () => {
  it('private banking finds the rich client, cards the merchant; each list owned by its department', async () => {
    const depts = await q<{ id: number; kind: string }>(sql`SELECT id, kind FROM departments WHERE node_id = ${DEMO_NODES.foshan} AND kind IN ('private_banking', 'credit_card', 'hr') ORDER BY id`);
    const pb = depts.find((d) => d.kind === 'private_banking')!;
    const cc = depts.find((d) => d.kind === 'credit_card')!;
    const a = await matchDepartment(database.db, fsAdmin, batchId, pb.id);
    expect(a).toMatchObject({ kind: 'private_banking', checked: 3, matched: 1 });
    const members = await campaignMembers(database.db, fsAdmin, a.id);
    expect(members.items.map((m) => m.clientName)).toEqual([rich.name]);
    expect(members.items[0].reason).toContain('900.00万元');
    expect(members.items[0].idNo).toContain('*');
    const b = await matchDepartment(database.db, fsAdmin, batchId, cc.id);
    expect(b).toMatchObject({ kind: 'card_merchant', matched: 1 });
    expect((await campaignMembers(database.db, fsAdmin, b.id)).items[0].reason).toBe('商圈商户（祖庙商圈）');
    await expect(matchDepartment(database.db, fsAdmin, batchId, depts.find((d) => d.kind === 'hr')!.id)).rejects.toMatchObject({ code: 'WL.DEPARTMENT_KIND' });
    await expect(campaignMembers(database.db, hyAdmin, a.id)).rejects.toMatchObject({ code: 'WL.CAMPAIGN_NOT_FOUND' });
  });
});

describe('remote-campaign lists and the letter', () => {
  it('masks by receiver, skips entries without a phone, audits each export', async () => {
    const sms = await campaignList(database.db, fsAdmin, batchId, 'sms');
    expect(sms.rows).toHaveLength(2);
    expect(sms.rows.map((r) => r.phone).sort()).toEqual(['138****5678', '139****5678']);
    expect(sms.rows.every((r) => r.name.includes('*') && r.hotline === '95588')).toBe(true);
    const call = await campaignList(database.db, fsAdmin, batchId, 'call');
    expect(call.rows.map((r) => r.phone).sort()).toEqual(['13812345678', '13912345678']);
    expect(call.rows.every((r) => r.idNo.includes('*'))).toBe(true);
    const csv = toCsv(LIST_COLUMNS.sms, sms.rows);
    expect(csv.startsWith('\ufeff编号,客户称呼,手机号（脱敏）')).toBe(true);
    expect(csv).not.toContain('13812345678');
    const audit = await q<{ after: { list: string; rows: number } }>(sql`SELECT after FROM audit_log WHERE action = 'whitelist.export' AND entity_id = ${String(batchId)} ORDER BY id`);
    expect(audit.map((a) => [a.after.list, a.after.rows])).toEqual([
      ['sms', 2],
      ['call', 2],
    ]);
    await expect(campaignList(database.db, hyAdmin, batchId, 'call')).rejects.toMatchObject({ code: 'WL.BATCH_NOT_FOUND' });
  });

  it('the letter names the amount, the outlet and the official hotline from the settings', async () => {
    await q(sql`INSERT INTO settings (key, value, updated_at) VALUES ('whitelist.hotline', '"95588-8"'::jsonb, now()) ON CONFLICT (key) DO UPDATE SET value = excluded.value`);
    const [e] = await q<{ id: number }>(sql`SELECT id FROM whitelist_entries WHERE batch_id = ${batchId} AND id_no = ${merchant.uscc}`);
    const layout = await letterLayout(database.db, fsAdmin, e.id);
    const text = [layout.title, ...layout.lines, ...layout.tables.flatMap((t) => t.rows.flat())].join('\n');
    expect(text).toContain('80.00 万元');
    expect(text).toContain('95588-8');
    expect(text).toContain(merchant.name);
    await expect(letterLayout(database.db, hyAdmin, e.id)).rejects.toMatchObject({ code: 'WL.ENTRY_NOT_FOUND' });
  });
});
