import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { clock } from '../../calendar/index.js';
import { groupHistory, groupsOn, listMeasures, setGroup, setMeasure } from './groups.service.js';
import {
  CancelBody,
  CloseActionBody,
  GroupBody,
  GroupsOut,
  GroupsQuery,
  IdParams,
  MeasureBody,
  MeasuresOut,
  OutletsOut,
  PeopleOut,
  PlanBody,
  RangeQuery,
  RecordBody,
  ResultOut,
  ResultsOut,
  StaffOut,
  StaffQuery,
  SuggestOut,
  SuggestQuery,
  TakeBody,
  TallyOut,
  VisitOut,
  VisitsOut,
  VisitsQuery,
} from './inclusive.schemas.js';
import { outletPerformance, personPerformance } from './performance.service.js';
import { listResults, readResult, takeQuarterOnDemand } from './quarter.service.js';
import { cancelVisit, closeAction, getVisit, listVisits, pickableStaff, planVisit, recordVisit, suggestFor, visitOfAction, visitTally } from './visits.service.js';

const tags = ['inclusive'];

/**
 * 普惠金融网点业绩、分组考核与蹲点调研 (SPEC §12, seed 002; decision 0037), under /api/inclusive.
 * Reading needs performance.read (lines of the caller's subtree), visits performance.manage,
 * groups performance.configure in scope, the measure and the quarterly run performance.configure
 * held at province level or the root (checked in the services).
 */
export const inclusiveRoutes: FastifyPluginAsyncZod = async (app) => {
  const db = app.database.db;

  app.get(
    '/performance/outlets',
    { config: { access: 'performance.read' }, schema: { tags, summary: '网点白名单转化业绩 / outlet conversion', querystring: RangeQuery, response: { 200: OutletsOut } } },
    async (req) => ({ items: await outletPerformance(db, req.auth!, req.query) }),
  );
  app.get(
    '/performance/people',
    { config: { access: 'performance.read' }, schema: { tags, summary: '人员白名单转化业绩 / conversion by person', querystring: RangeQuery, response: { 200: PeopleOut } } },
    async (req) => ({ items: await personPerformance(db, req.auth!, req.query) }),
  );

  // ---- groups, measure, quarterly results ----
  app.get(
    '/groups',
    { config: { access: 'performance.read' }, schema: { tags, summary: '支行分组（任意日期）/ sub-branch groups on a day', querystring: GroupsQuery, response: { 200: GroupsOut } } },
    async (req) => ({ ...(await groupsOn(db, req.auth!, req.query.day ?? clock.today())), history: await groupHistory(db, req.auth!) }),
  );
  app.put(
    '/groups',
    { config: { access: 'performance.configure' }, schema: { tags, summary: '调整支行分组 / set a sub-branch’s group', body: GroupBody, response: { 200: GroupsOut } } },
    async (req) => {
      await setGroup(db, req.auth!, req.body, clock.today(), clock.now());
      return { ...(await groupsOn(db, req.auth!, clock.today())), history: await groupHistory(db, req.auth!) };
    },
  );
  app.get('/measures', { config: { access: 'performance.read' }, schema: { tags, summary: '分组考核指标版本 / measure versions', response: { 200: MeasuresOut } } }, async () => ({
    items: await listMeasures(db),
  }));
  app.post(
    '/measures',
    { config: { access: 'performance.configure' }, schema: { tags, summary: '设置分组考核指标 / set the measure', body: MeasureBody, response: { 201: MeasuresOut } } },
    async (req, reply) => {
      await setMeasure(db, req.auth!, req.body, clock.today(), clock.now());
      return reply.status(201).send({ items: await listMeasures(db) });
    },
  );
  app.get('/quarters', { config: { access: 'performance.read' }, schema: { tags, summary: '季度分组考核结果 / quarterly results', response: { 200: ResultsOut } } }, async (req) =>
    listResults(db, req.auth!, clock.today()),
  );
  app.post(
    '/quarters',
    { config: { access: 'performance.configure' }, schema: { tags, summary: '生成或重算季度结果 / take or re-run a quarter', body: TakeBody, response: { 201: ResultOut } } },
    async (req, reply) => {
      const id = await takeQuarterOnDemand(db, req.auth!, req.body.quarter, req.body.reason, clock.now());
      return reply.status(201).send(await readResult(db, req.auth!, id, clock.today()));
    },
  );
  app.get(
    '/quarters/:id',
    { config: { access: 'performance.read' }, schema: { tags, summary: '季度结果及其输入 / a result with its inputs', params: IdParams, response: { 200: ResultOut } } },
    async (req) => readResult(db, req.auth!, req.params.id, clock.today()),
  );

  // ---- 蹲点 visits ----
  app.get('/visits', { config: { access: 'performance.read' }, schema: { tags, summary: '蹲点调研 / visits', querystring: VisitsQuery, response: { 200: VisitsOut } } }, async (req) => ({
    items: await listVisits(db, req.auth!, req.query, clock.today()),
  }));
  app.get('/visits/tally', { config: { access: 'performance.read' }, schema: { tags, summary: '按月计划与完成 / planned vs done per month', response: { 200: TallyOut } } }, async (req) => ({
    items: await visitTally(db, req.auth!, clock.today()),
  }));
  app.get(
    '/visits/suggestions',
    { config: { access: 'performance.read' }, schema: { tags, summary: '蹲点网点建议（好/中/差）/ suggested outlets', querystring: SuggestQuery, response: { 200: SuggestOut } } },
    async (req) => suggestFor(db, req.auth!, req.query.month, req.query.nodeId),
  );
  app.get(
    '/visits/staff',
    { config: { access: 'performance.manage' }, schema: { tags, summary: '可选带队人/责任人 / people to pick', querystring: StaffQuery, response: { 200: StaffOut } } },
    async (req) => ({ items: await pickableStaff(db, req.auth!, req.query.q) }),
  );
  app.get('/visits/:id', { config: { access: 'performance.read' }, schema: { tags, summary: '一次蹲点调研 / one visit', params: IdParams, response: { 200: VisitOut } } }, async (req) =>
    getVisit(db, req.auth!, req.params.id, clock.today()),
  );
  app.post('/visits', { config: { access: 'performance.manage' }, schema: { tags, summary: '安排蹲点调研 / plan a visit', body: PlanBody, response: { 201: VisitOut } } }, async (req, reply) => {
    const id = await planVisit(db, req.auth!, req.body, clock.now());
    return reply.status(201).send(await getVisit(db, req.auth!, id, clock.today()));
  });
  app.post(
    '/visits/:id/record',
    { config: { access: 'performance.manage' }, schema: { tags, summary: '登记调研情况 / record a visit', params: IdParams, body: RecordBody, response: { 200: VisitOut } } },
    async (req) => {
      await recordVisit(db, req.auth!, req.params.id, req.body, clock.today(), clock.now());
      return getVisit(db, req.auth!, req.params.id, clock.today());
    },
  );
  app.post(
    '/visits/:id/cancel',
    { config: { access: 'performance.manage' }, schema: { tags, summary: '取消调研 / cancel a visit', params: IdParams, body: CancelBody, response: { 200: VisitOut } } },
    async (req) => {
      await cancelVisit(db, req.auth!, req.params.id, req.body.reason, clock.now());
      return getVisit(db, req.auth!, req.params.id, clock.today());
    },
  );
  app.post(
    '/actions/:id/close',
    { config: { access: 'performance.manage' }, schema: { tags, summary: '整改事项办结 / close a follow-up', params: IdParams, body: CloseActionBody, response: { 200: VisitOut } } },
    async (req) => {
      await closeAction(db, req.auth!, req.params.id, req.body.closingNote, clock.today(), clock.now());
      return getVisit(db, req.auth!, await visitOfAction(db, req.params.id), clock.today());
    },
  );
};
