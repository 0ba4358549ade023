import { sql } from 'drizzle-orm';
import { type Db, rows } from '../db/client.js';
import type { AuthContext } from '../modules/access/context.js';
import { createLead, moveLead, winLead } from '../modules/leads/leads.service.js';
import { WinBody } from '../modules/leads/leads.schemas.js';
import { DEMO_NODES } from './demo-ids.js';

/**
 * When the demo's leads happen (Beijing time): the last steps of the demo autumn, after December's
 * first sales (the audit chain's times only move forward). From there the server's job runner,
 * on the real clock, escalates whatever nobody touches: three days on, the holders are reminded.
 */
export const DEMO_LEADS = {
  referrals: '2026-12-04T17:10:00+08:00',
  followUp: '2026-12-04T17:20:00+08:00',
  won: '2026-12-04T17:30:00+08:00',
} as const;

/**
 * 商机 in 佛山 for the demo (issue 13): 陈雨君 records referrals — some routed by the capacity rule
 * to 信用卡中心 and 个人金融部, one he keeps and works to a won sale, one lost with its reason.
 */
export async function seedDemoLeads(db: Db, am: AuthContext, at: (instant: string) => Date): Promise<{ leads: number; won: number }> {
  const people = await rows<{ id: number; name: string }>(
    db,
    sql`SELECT i.id, i.name FROM individuals i JOIN org_nodes n ON n.id = i.node_id WHERE n.path LIKE ${`%/${DEMO_NODES.foshan}/%`} ORDER BY i.id LIMIT 5`,
  );
  if (people.length < 5) return { leads: 0, won: 0 };
  const [cc] = await rows<{ id: number }>(db, sql`SELECT department_id AS id FROM staff WHERE id = ${am.staffId}`);
  let now = at(DEMO_LEADS.referrals);
  const byRule = [
    await createLead(db, am, { productCode: 'CREDIT', personId: people[0].id, contactName: people[0].name, source: 'referral', note: '同事转介绍，想办一张白金信用卡', keepMine: false }, now),
    await createLead(db, am, { productCode: 'INS', personId: people[1].id, contactName: people[1].name, source: 'activity', note: '理财沙龙上咨询重疾险', keepMine: false }, now),
    await createLead(db, am, { productCode: 'FUND', personId: people[2].id, contactName: people[2].name, source: 'referral', note: '有定投意向', keepMine: false }, now),
  ];
  const kept = await createLead(
    db,
    am,
    { productCode: 'FUND', departmentId: cc?.id, personId: people[3].id, contactName: people[3].name, source: 'referral', note: '企业高管，关注基金配置', keepMine: true },
    now,
  );
  const lost = await createLead(db, am, { productCode: 'CREDIT', personId: people[4].id, contactName: people[4].name, source: 'manual', keepMine: true }, now);

  now = at(DEMO_LEADS.followUp);
  await moveLead(db, am, kept.id, { stage: 'contacted', note: '电话沟通，约下周面谈' }, now);
  await moveLead(db, am, kept.id, { stage: 'proposal', note: '已提供基金组合方案' }, now);
  await moveLead(db, am, lost.id, { stage: 'lost', lostReason: '客户已在他行办理同类信用卡' }, now);

  now = at(DEMO_LEADS.won);
  const win = await winLead(db, am, kept.id, WinBody.parse({ sourceId: 'DEMO-FS-LEAD-0001', saleDate: '2026-12-04', quantity: '20' }), now);
  return { leads: byRule.length + 2, won: win.sale.status === 'created' ? 1 : 0 };
}
