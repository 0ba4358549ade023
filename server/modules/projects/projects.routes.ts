import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { clock } from '../../calendar/index.js';
import { Id } from '../../http/ids.js';
import { projectActivities, createActivity } from './activities.service.js';
import { projectBoard } from './board.service.js';
import { handOver, handovers, listPlans, planTemplates, receivers, recordFeedback, writePlan } from './plans.service.js';
import { loadProject } from './projects.access.js';
import {
  ActivityBody,
  ActivityListOut,
  ActivityOut,
  BoardOut,
  CandidatesOut,
  CreateProjectBody,
  FeedbackBody,
  GoalBody,
  GoalListOut,
  GoalOut,
  HandoverBody,
  HandoverListOut,
  HandoverOut,
  HandoverQuery,
  PlanBody,
  PlanListOut,
  PlanOut,
  ProjectDetailOut,
  ProjectListOut,
  ProjectQuery,
  ReceiversOut,
  TeamBody,
  TemplateListOut,
  UnitPeopleOut,
  UnitPeopleQuery,
} from './projects.schemas.js';
import { candidates, changeTeam, closeProject, createGoal, createProject, listGoals, listProjects, projectDetail, unitPeople } from './projects.service.js';

const tags = ['projects'];
const IdParams = z.strictObject({ id: Id });

/**
 * 营销项目 (SPEC §4, Art. 10–14; issue 13): phase goals, project teams on approved target units, the
 * board, 营销方案 and 售后移交. Activities, invitations and check-in are in activities.routes.ts.
 * Reading needs project.read (or being on the team); the team works with project.work; forming
 * and changing a team, and goals, need project.manage over the branch.
 */
export const projectRoutes: FastifyPluginAsyncZod = async (app) => {
  const db = app.database.db;

  app.get('/', { config: { access: 'project.read' }, schema: { tags, summary: '营销项目列表 / marketing projects', querystring: ProjectQuery, response: { 200: ProjectListOut } } }, async (req) =>
    listProjects(db, req.auth!, req.query),
  );
  app.post(
    '/',
    { config: { access: 'project.manage' }, schema: { tags, summary: '为目标客户组建项目团队 / form a project team for a target unit', body: CreateProjectBody, response: { 201: ProjectDetailOut } } },
    async (req, reply) => reply.status(201).send(await createProject(db, req.auth!, req.body, clock.now())),
  );

  app.get(
    '/candidates',
    { config: { access: 'project.manage' }, schema: { tags, summary: '可立项的目标客户（最新版名单）/ target units a project may be formed for', response: { 200: CandidatesOut } } },
    async (req) => candidates(db, req.auth!),
  );
  app.get('/goals', { config: { access: 'project.read' }, schema: { tags, summary: '阶段目标与进度 / phase goals and progress', response: { 200: GoalListOut } } }, async (req) => ({
    items: await listGoals(db, req.auth!, clock.now()),
  }));
  app.post('/goals', { config: { access: 'project.manage' }, schema: { tags, summary: '设定阶段目标 / set a phase goal', body: GoalBody, response: { 201: GoalOut } } }, async (req, reply) =>
    reply.status(201).send(await createGoal(db, req.auth!, req.body, clock.now())),
  );

  app.get('/plan-templates', { config: { access: 'project.read' }, schema: { tags, summary: '营销方案模板 / plan templates', response: { 200: TemplateListOut } } }, async () => planTemplates());

  app.get(
    '/handovers',
    { config: { access: 'authenticated' }, schema: { tags, summary: '售后移交任务（我的 / 全部）/ hand-overs', querystring: HandoverQuery, response: { 200: HandoverListOut } } },
    async (req) => ({ items: await handovers(db, req.auth!, req.query, clock.now()) }),
  );
  app.post(
    '/handovers',
    { config: { access: 'project.work' }, schema: { tags, summary: '成交客户移交网点客户经理 / hand a won client to an outlet AM', body: HandoverBody, response: { 201: HandoverOut } } },
    async (req, reply) => reply.status(201).send(await handOver(db, req.auth!, req.body, clock.now())),
  );
  app.post(
    '/handovers/:id/feedback',
    { config: { access: 'authenticated' }, schema: { tags, summary: '移交任务反馈 / the receiver’s feedback', params: IdParams, body: FeedbackBody, response: { 200: HandoverOut } } },
    async (req) => recordFeedback(db, req.auth!, req.params.id, req.body, clock.now()),
  );

  app.get('/:id', { config: { access: 'project.read' }, schema: { tags, summary: '项目与团队 / a project and its team', params: IdParams, response: { 200: ProjectDetailOut } } }, async (req) =>
    projectDetail(db, req.auth!, req.params.id),
  );
  app.get('/:id/board', { config: { access: 'project.read' }, schema: { tags, summary: '项目看板 / the project board', params: IdParams, response: { 200: BoardOut } } }, async (req) =>
    projectBoard(db, req.auth!, req.params.id),
  );
  app.put(
    '/:id/team',
    { config: { access: 'project.manage' }, schema: { tags, summary: '调整项目团队 / change the team', params: IdParams, body: TeamBody, response: { 200: ProjectDetailOut } } },
    async (req) => changeTeam(db, req.auth!, req.params.id, req.body, clock.now()),
  );
  app.post('/:id/close', { config: { access: 'project.manage' }, schema: { tags, summary: '结束项目 / close the project', params: IdParams, response: { 200: ProjectDetailOut } } }, async (req) =>
    closeProject(db, req.auth!, req.params.id, clock.now()),
  );
  app.get(
    '/:id/people',
    { config: { access: 'project.read' }, schema: { tags, summary: '单位员工（可邀请）/ the unit’s people', params: IdParams, querystring: UnitPeopleQuery, response: { 200: UnitPeopleOut } } },
    async (req) => unitPeople(db, req.auth!, req.params.id, req.query),
  );
  app.get(
    '/:id/activities',
    { config: { access: 'project.read' }, schema: { tags, summary: '项目活动 / the project’s activities', params: IdParams, response: { 200: ActivityListOut } } },
    async (req) => {
      await loadProject(db, req.auth!, req.params.id);
      return { items: await projectActivities(db, req.params.id) };
    },
  );
  app.post(
    '/:id/activities',
    { config: { access: 'project.work' }, schema: { tags, summary: '策划营销活动 / plan an activity', params: IdParams, body: ActivityBody, response: { 201: ActivityOut } } },
    async (req, reply) => reply.status(201).send(await createActivity(db, req.auth!, req.params.id, req.body, clock.now())),
  );
  app.get('/:id/plans', { config: { access: 'project.read' }, schema: { tags, summary: '营销方案 / the project’s plans', params: IdParams, response: { 200: PlanListOut } } }, async (req) =>
    listPlans(db, req.auth!, req.params.id),
  );
  app.post(
    '/:id/plans',
    { config: { access: 'project.work' }, schema: { tags, summary: '制定营销方案（新版本）/ write a plan', params: IdParams, body: PlanBody, response: { 201: PlanOut } } },
    async (req, reply) => reply.status(201).send(await writePlan(db, req.auth!, req.params.id, req.body, clock.now())),
  );
  app.get(
    '/:id/receivers',
    { config: { access: 'project.read' }, schema: { tags, summary: '协办网点可接收移交的客户经理 / who may receive a hand-over', params: IdParams, response: { 200: ReceiversOut } } },
    async (req) => receivers(db, req.auth!, req.params.id),
  );
};
