import { sql } from 'drizzle-orm';
import { type Db, rows } from '../db/client.js';
import type { AuthContext } from '../modules/access/context.js';
import { createLead, winLead } from '../modules/leads/leads.service.js';
import { WinBody } from '../modules/leads/leads.schemas.js';
import { checkIn, createActivity, invite, updateActivity } from '../modules/projects/activities.service.js';
import { handOver, writePlan } from '../modules/projects/plans.service.js';
import { createGoal, createProject } from '../modules/projects/projects.service.js';
import { submitSurvey } from '../modules/surveys/surveys.public.js';
import { signToken } from '../modules/surveys/surveys.rules.js';
import { issueTokens } from '../modules/surveys/surveys.service.js';
import { surveySecret } from '../modules/surveys/surveys.tokens.js';
import { DEMO_NODES } from './demo-ids.js';

/** When the demo project's steps happen (Beijing time): after the demo leads (audit times only move forward). */
export const DEMO_PROJECT = {
  formed: '2026-12-04T17:40:00+08:00',
  salonDoor: '2026-12-04T18:25:00+08:00',
  salonStarts: '2026-12-04T18:30:00+08:00',
  surveyed: '2026-12-04T19:10:00+08:00',
  won: '2026-12-04T20:00:00+08:00',
} as const;

/**
 * 营销项目 in 佛山 for the demo (issue 13): the committee office's phase goal, a team on a unit of
 * 佛山's target list, a salon with three invitees (two checked in: one by QR, one by hand), a lead
 * from the salon won into a sale the team fills in, the hand-over to the outlet, and a 营销方案.
 */
export async function seedDemoProjects(db: Db, who: { manager: AuthContext; am: AuthContext }, at: (instant: string) => Date): Promise<{ projects: number }> {
  const FS = DEMO_NODES.foshan;
  const [unit] = await rows<{ companyId: number }>(
    db,
    sql`SELECT e.company_id AS "companyId" FROM target_list_versions v JOIN target_list_entries e ON e.version_id = v.id
         WHERE v.node_id = ${FS} AND v.version_no = (SELECT max(version_no) FROM target_list_versions w WHERE w.node_id = v.node_id AND w.department_id = v.department_id)
           AND (SELECT count(DISTINCT person_id) FROM company_people cp WHERE cp.company_id = e.company_id) >= 3
         ORDER BY e.company_id LIMIT 1`,
  );
  const [corp] = await rows<{ id: number }>(
    db,
    sql`SELECT s.id FROM staff s JOIN staff_roles sr ON sr.staff_id = s.id JOIN org_nodes n ON n.id = s.node_id
         WHERE sr.role_code = 'corporate_am' AND s.active AND s.department_id IS NOT NULL AND n.path LIKE ${`/1/2/${FS}/%`} ORDER BY s.id LIMIT 1`,
  );
  const [outlet] = await rows<{ nodeId: number; staffId: number }>(
    db,
    sql`SELECT n.id AS "nodeId", s.id AS "staffId" FROM org_nodes n JOIN staff s ON s.node_id = n.id JOIN staff_roles sr ON sr.staff_id = s.id
         WHERE n.level = 'outlet' AND n.path LIKE ${`/1/2/${FS}/%`} AND sr.role_code = 'personal_am' AND s.active ORDER BY n.id, s.id LIMIT 1`,
  );
  if (!unit || !corp || !outlet) return { projects: 0 };

  let now = at(DEMO_PROJECT.formed);
  const goal = await createGoal(db, who.manager, { nodeId: FS, title: '四季度公私联动：目标单位成交', measure: 'won', targetValue: 10, startsOn: '2026-10-01', endsOn: '2026-12-31' }, now);
  const project = await createProject(
    db,
    who.manager,
    {
      companyId: unit.companyId,
      name: null,
      phaseGoalId: goal.id,
      coOutletNodeId: outlet.nodeId,
      members: [
        { staffId: corp.id, role: 'corporate_am' },
        { staffId: who.am.staffId, role: 'personal_am' },
        { staffId: outlet.staffId, role: 'outlet_am' },
      ],
    },
    now,
  );
  const salon = await createActivity(
    db,
    who.am,
    project.id,
    { kind: 'salon', title: '年末资产配置理财沙龙', startsAt: at(DEMO_PROJECT.salonStarts).toISOString(), place: '企业行政楼三楼会议室' },
    now,
  );
  const people = await rows<{ id: number; name: string }>(
    db,
    sql`SELECT DISTINCT i.id, i.name FROM company_people cp JOIN individuals i ON i.id = cp.person_id WHERE cp.company_id = ${unit.companyId} ORDER BY i.id LIMIT 3`,
  );
  await invite(db, who.am, salon.id, { personIds: people.map((p) => p.id) }, now);
  const invitees = await rows<{ id: number; code: string }>(db, sql`SELECT id, checkin_code AS code FROM activity_invitees WHERE activity_id = ${salon.id} ORDER BY id`);

  now = at(DEMO_PROJECT.salonDoor);
  await checkIn(db, who.am, { code: invitees[0].code }, now);
  await checkIn(db, who.am, { activityId: salon.id, inviteeId: invitees[1].id }, now);
  // 金融需求调查表: the codes issued at the door, two guests answer during the salon.
  await issueTokens(db, who.am, salon.id, now);
  now = at(DEMO_PROJECT.surveyed);
  const secret = await surveySecret(db, now);
  const tokens = await rows<{ id: number; expiresAt: Date | string }>(
    db,
    sql`SELECT id, expires_at AS "expiresAt" FROM survey_tokens WHERE activity_id = ${salon.id} AND kind = 'personal' ORDER BY id LIMIT 2`,
  );
  const answer = (i: number, body: Parameters<typeof submitSurvey>[2]) => submitSurvey(db, signToken(secret, tokens[i].id, new Date(tokens[i].expiresAt)), body, now);
  await answer(0, {
    answers: { interests: ['FUND', 'INS'], loanIntent: 'mortgage', loanHorizon: '6m', investBand: '50to100', contactTime: 'weekend', note: '想了解子女教育金规划' },
    consent: true,
  });
  await answer(1, { answers: { interests: ['MBANK'], loanIntent: 'none', loanHorizon: null, investBand: 'lt10', contactTime: 'weekday_evening', note: null }, consent: false });

  now = at(DEMO_PROJECT.won);
  await updateActivity(db, who.am, salon.id, { status: 'held', outcome: '到场2人，1人当场咨询基金定投，1人预约面谈' });
  const lead = await createLead(
    db,
    who.am,
    { productCode: 'FUND', personId: people[0].id, contactName: people[0].name, source: 'activity', projectId: project.id, activityId: salon.id, note: '沙龙上咨询基金定投', keepMine: true },
    now,
  );
  await winLead(db, who.am, lead.id, WinBody.parse({ sourceId: 'DEMO-FS-PRJ-0001', saleDate: '2026-12-04', quantity: '10' }), now);
  await handOver(db, who.am, { leadId: lead.id, toStaffId: outlet.staffId, task: '一周内电话回访，了解定投执行情况', dueOn: '2026-12-11' }, now);
  await writePlan(
    db,
    who.am,
    project.id,
    {
      personId: people[0].id,
      segment: 'executive',
      templateCode: 'EXEC',
      anchorProductCode: 'PBWMP',
      bundleProductCodes: ['INS', 'GOLD'],
      allocation: { deposit: 1000, wealth: 4000, fund: 2000, insurance: 2000, gold: 1000 },
      advice: '以私人银行理财为核心，配置保障型保险与少量贵金属，兼顾流动性与传承。',
    },
    now,
  );
  return { projects: 1 };
}
