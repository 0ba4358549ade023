import { sql } from 'drizzle-orm';
import { type Db, rows } from '../db/client.js';
import { DEMO_NODES } from './demo-ids.js';
import type { AuthContext } from '../modules/access/context.js';
import { loadGrants } from '../modules/auth/auth.service.js';
import { matchDepartment } from '../modules/whitelists/campaigns.service.js';
import { recordContact } from '../modules/whitelists/contacts.service.js';
import { applyDistribution, setOutletRule } from '../modules/whitelists/distribution.service.js';
import { addWhitelistEntries, type WhitelistEntryInput } from '../modules/whitelists/entries.service.js';
import { fakeIdNo, fakeUscc } from '../modules/whitelists/whitelists.fixtures.js';

/** When the demo's whitelist steps happen (Beijing time). */
export const DEMO_WHITELISTS = {
  imported: '2026-12-04T18:30:00+08:00',
  distributed: '2026-12-04T19:00:00+08:00',
  contacts: '2026-12-05T10:00:00+08:00',
  matched: '2026-12-05T16:00:00+08:00',
} as const;

const SHOPS = ['五金商行', '陶瓷经营部', '建材店', '餐饮店', '日用品超市', '汽车配件行', '家具城', '茶叶店', '服装批发部', '水产经营部', '电器商行', '印刷厂'];
const PLACES = ['祖庙', '张槎', '石湾', '南庄', '桂城', '大沥', '里水', '狮山', '西樵', '九江'];
const SURNAMES = ['陈', '黄', '梁', '何', '李', '林', '张', '罗', '冯', '邓', '伍', '卢'];
const GIVEN = ['志强', '丽华', '国雄', '秀英', '伟明', '惠珍', '建新', '少芬', '锦荣', '婉仪'];

async function actAs(db: Db, staffId: number): Promise<AuthContext> {
  const [s] = await rows<{ staffNo: string; name: string; nodeId: number }>(db, sql`SELECT staff_no AS "staffNo", name, node_id AS "nodeId" FROM staff WHERE id = ${staffId}`);
  return { staffId, staffNo: s.staffNo, name: s.name, nodeId: s.nodeId, sessionId: 'demo-wl', csrfToken: 'demo-wl', mustChangePassword: false, grants: await loadGrants(db, staffId) };
}

/**
 * 经营快贷白名单 in the demo (SPEC §12): the first two sub-branches of 佛山分行 each receive a batch
 * (about 30 clients, most with their settlement outlet, a few without — they stay at the
 * sub-branch), including three of the bank's own corporate clients; one outlet keeps existing
 * account managers, another weights its staff; the batches are applied, staff record contacts
 * (one client fears a scam call), and private banking and cards match the list.
 */
export async function seedDemoWhitelists(db: Db, manager: AuthContext, at: (instant: string) => Date): Promise<{ batches: number; entries: number }> {
  const subs = await rows<{ id: number; code: string; name: string }>(
    db,
    sql`SELECT id, code, name FROM org_nodes WHERE parent_id = ${DEMO_NODES.foshan} AND level = 'subbranch' AND active ORDER BY sort, id LIMIT 2`,
  );
  at(DEMO_WHITELISTS.imported);
  let n = 0;
  let entries = 0;
  const batchIds: number[] = [];
  for (const [si, sub] of subs.entries()) {
    const outlets = await rows<{ id: number; code: string }>(db, sql`SELECT id, code FROM org_nodes WHERE parent_id = ${sub.id} AND level = 'outlet' AND active ORDER BY sort, id`);
    const own = await rows<{ uscc: string; name: string }>(
      db,
      sql`SELECT c.uscc, c.name FROM corporate_clients c JOIN org_nodes o ON o.id = c.node_id WHERE o.path LIKE (SELECT path FROM org_nodes WHERE id = ${sub.id}) || '%' ORDER BY c.id LIMIT 3`,
    );
    const list: WhitelistEntryInput[] = [];
    for (let i = 0; i < 30; i++, n++) {
      const person = n % 3 === 2;
      const place = PLACES[n % PLACES.length];
      list.push({
        clientName: person ? `${SURNAMES[n % SURNAMES.length]}${GIVEN[(n * 7) % GIVEN.length]}` : `佛山市${place}${SHOPS[n % SHOPS.length]}`,
        idNo: person ? fakeIdNo(5_000 + n) : fakeUscc(5_000 + n),
        phone: `13${5 + (n % 5)}${String(20_260_000 + n * 37).slice(-8)}`,
        amountFen: (10 + ((n * 13) % 90)) * 1_000_000, // 10–99 万元
        product: n % 5 === 4 ? '经营快贷（税务贷）' : '经营快贷',
        expiresOn: n % 7 === 0 ? '2026-12-31' : '2027-06-30',
        settlementCode: i >= 27 || !outlets.length ? null : outlets[i % outlets.length].code,
      });
    }
    own.forEach((c, k) =>
      list.push({
        clientName: c.name,
        idNo: c.uscc,
        phone: `1360757${String(100 + k + si * 10)}`,
        amountFen: 200 * 1_000_000,
        product: '经营快贷',
        expiresOn: '2027-06-30',
        settlementCode: outlets[0]?.code ?? null,
      }),
    );
    const r = await db.transaction((tx) =>
      addWhitelistEntries(tx, manager, { code: `JYKD-2026-11-${sub.code}`, name: `2026年11月经营快贷白名单（${sub.name}）`, ownerNodeId: sub.id, source: 'import', entries: list }),
    );
    batchIds.push(r.batchId);
    entries += list.length;
    if (si === 0 && outlets.length >= 2) {
      await setOutletRule(db, manager, outlets[0].id, { rule: 'keep_am', weights: [] });
      const staff = await rows<{ id: number }>(db, sql`SELECT id FROM staff WHERE node_id = ${outlets[1].id} AND active ORDER BY id`);
      await setOutletRule(db, manager, outlets[1].id, { rule: 'weights', weights: staff.map((s, k) => ({ staffId: s.id, weight: k === 0 ? 1 : 2 })) });
    }
  }
  at(DEMO_WHITELISTS.distributed);
  for (const batchId of batchIds) await applyDistribution(db, manager, { batchId });

  // A few days of calls: each outlet's staff works its first clients.
  at(DEMO_WHITELISTS.contacts);
  const worked = await rows<{ id: number; staffId: number }>(
    db,
    sql`SELECT DISTINCT ON (staff_id) id, staff_id AS "staffId" FROM whitelist_entries WHERE batch_id = ANY(${`{${batchIds.join(',')}}`}::int[]) AND staff_id IS NOT NULL ORDER BY staff_id, amount_fen DESC, id`,
  );
  const script = [
    [
      { channel: 'phone', outcome: 'suspected_fraud', note: '客户以为是诈骗电话，已寄送联系函并请其拨打95588核实' } as const,
      { channel: 'visit', outcome: 'interested', note: '客户到网点面谈，计划春节前备货' } as const,
    ],
    [{ channel: 'phone', outcome: 'interested', note: '有资金需求，约下周提交申请' } as const, { channel: 'phone', outcome: 'applied', note: '已在手机银行提交申请' } as const],
    [{ channel: 'phone', outcome: 'no_answer' } as const],
    [{ channel: 'counter', outcome: 'not_interested', refusalReason: '暂无资金需求', note: '客户来网点办理结算时沟通' } as const],
    [{ channel: 'phone', outcome: 'interested' } as const, { channel: 'visit', outcome: 'applied' } as const, { channel: 'phone', outcome: 'drawn', note: '已提款30万元' } as const],
  ];
  for (const [k, e] of worked.entries()) {
    const who = await actAs(db, e.staffId);
    for (const step of script[k % script.length]) await recordContact(db, who, e.id, step);
  }

  at(DEMO_WHITELISTS.matched);
  const depts = await rows<{ id: number }>(db, sql`SELECT id FROM departments WHERE node_id = ${DEMO_NODES.foshan} AND kind IN ('private_banking', 'credit_card') AND active ORDER BY id`);
  for (const d of depts) await matchDepartment(db, manager, batchIds[0], d.id);
  return { batches: batchIds.length, entries };
}
