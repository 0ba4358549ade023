import { sql } from 'drizzle-orm';
import { type Db, rows } from '../db/client.js';
import type { AuthContext } from '../modules/access/context.js';
import { createActivity, invite } from '../modules/projects/activities.service.js';
import { assignAm, register, sign } from '../modules/vip/vip.registrations.js';
import { runScreening, screen } from '../modules/vip/vip.screening.js';
import { actorOf, applyTierVersion, setGrade } from '../modules/vip/vip.tiers.js';
import type { TierInput } from '../modules/vip/vip.schemas.js';

/** When the demo's VIP steps happen (Beijing time): after the demo project's salon and sale. */
export const DEMO_VIP = {
  configured: '2026-12-04T20:30:00+08:00',
  thanks: '2026-12-04T21:00:00+08:00',
  registered: '2026-12-04T21:30:00+08:00',
} as const;

/**
 * The bank's admission tiers (SPEC §5) in force since 1 January — the same thresholds as the demo
 * customers' recorded 贵宾等级 — and 金卡's raised threshold from 2027 (a version in the future).
 */
const TIERS: TierInput[] = [
  {
    code: 'GOLD',
    nameZh: '金卡客户',
    nameEn: 'Gold',
    rank: 1,
    aumThresholdFen: 5_000_000,
    minProducts: 0,
    requiredProductCode: 'DEBIT',
    requiredGrade: 2,
    validFrom: '2026-01-01',
    validTo: null,
    note: null,
  },
  {
    code: 'PLATINUM',
    nameZh: '白金客户',
    nameEn: 'Platinum',
    rank: 2,
    aumThresholdFen: 50_000_000,
    minProducts: 2,
    requiredProductCode: null,
    requiredGrade: 3,
    validFrom: '2026-01-01',
    validTo: null,
    note: null,
  },
  {
    code: 'DIAMOND',
    nameZh: '钻石客户',
    nameEn: 'Diamond',
    rank: 3,
    aumThresholdFen: 100_000_000,
    minProducts: 3,
    requiredProductCode: null,
    requiredGrade: 4,
    validFrom: '2026-01-01',
    validTo: null,
    note: null,
  },
  {
    code: 'PRIVATE',
    nameZh: '私人银行客户',
    nameEn: 'Private banking',
    rank: 4,
    aumThresholdFen: 600_000_000,
    minProducts: 3,
    requiredProductCode: null,
    requiredGrade: 5,
    validFrom: '2026-01-01',
    validTo: null,
    note: null,
  },
  {
    code: 'GOLD',
    nameZh: '金卡客户',
    nameEn: 'Gold',
    rank: 1,
    aumThresholdFen: 8_000_000,
    minProducts: 0,
    requiredProductCode: 'DEBIT',
    requiredGrade: 2,
    validFrom: '2027-01-01',
    validTo: null,
    note: '2027年起金卡门槛上调至8万元',
  },
];

/**
 * 贵宾客户识别 in 佛山 for the demo: the province sets the tiers; 佛山's personal AMs get grades; the
 * demo project invites the rest of its unit to a 贵宾答谢会; the people reached are screened and the
 * best two qualifying ones registered, signed and given an AM whose grade matches. The 临界 list
 * comes from the demo customers' AUM as it is.
 */
export async function seedDemoVip(db: Db, who: { root: AuthContext; manager: AuthContext; am: AuthContext }, at: (instant: string) => Date): Promise<{ registered: number }> {
  let now = at(DEMO_VIP.configured);
  await db.transaction(async (tx) => {
    // Configuration recorded as of its start (the bank's standards since January).
    for (const t of TIERS) await applyTierVersion(tx, actorOf(who.root), t, t.validFrom, now);
  });
  const today = '2026-12-04';
  const ams = await rows<{ id: number; staffNo: string }>(
    db,
    sql`SELECT s.id, s.staff_no AS "staffNo" FROM staff s JOIN staff_roles sr ON sr.staff_id = s.id JOIN org_nodes n ON n.id = s.node_id
         WHERE sr.role_code = 'personal_am' AND s.active AND n.path LIKE ${`/1/2/${11}/%`} ORDER BY s.id`,
  );
  for (const [i, a] of ams.entries()) await setGrade(db, who.manager, a.id, { grade: a.id === who.am.staffId ? 5 : 2 + (i % 3), validFrom: today, note: null }, today, now);

  const [project] = await rows<{ id: number; companyId: number }>(db, sql`SELECT id, company_id AS "companyId" FROM projects ORDER BY id LIMIT 1`);
  if (!project) return { registered: 0 };
  now = at(DEMO_VIP.thanks);
  const thanks = await createActivity(db, who.am, project.id, { kind: 'wealth_report', title: '年度财富报告会暨贵宾答谢会', startsAt: now.toISOString(), place: '分行贵宾理财中心' }, now);
  const people = await rows<{ id: number }>(
    db,
    sql`SELECT DISTINCT cp.person_id AS id FROM company_people cp WHERE cp.company_id = ${project.companyId}
         AND cp.person_id NOT IN (SELECT v.person_id FROM activity_invitees v JOIN activities a ON a.id = v.activity_id WHERE a.project_id = ${project.id}) ORDER BY 1 LIMIT 40`,
  );
  if (people.length) await invite(db, who.am, thanks.id, { personIds: people.map((p) => p.id) }, now);

  now = at(DEMO_VIP.registered);
  await runScreening(db, who.manager, project.id, today, now);
  const best = (await screen(db, who.manager, 'vip.manage', today, project.id))
    .filter((r) => r.tier && !r.registered && r.tier.requiredGrade <= 5)
    .sort((a, b) => b.aumFen - a.aumFen || a.personId - b.personId)
    .slice(0, 2);
  if (!best.length) return { registered: 0 };
  const out = await register(db, who.manager, { items: best.map((r) => ({ personId: r.personId, projectId: r.projectId })) }, today, now);
  for (const r of out.items) await sign(db, who.manager, r.id, now);
  // The first is served by 陈雨君 (资深); the second waits for an AM of its grade (a to-do in the console).
  await assignAm(db, who.manager, out.items[0].id, who.am.staffId, today, now);
  return { registered: out.items.length };
}
