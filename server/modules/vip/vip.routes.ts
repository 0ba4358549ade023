import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { clock } from '../../calendar/index.js';
import { Id } from '../../http/ids.js';
import { sendXlsx } from '../../xlsx/xlsx.js';
import { amCandidates, assignAm, endRegistration, listRegistrations, register, sign } from './vip.registrations.js';
import {
  AmCandidatesOut,
  AssignBody,
  EndBody,
  GradeBody,
  GradeListOut,
  GradeQuery,
  NearOut,
  NearQuery,
  RegisterBody,
  RegisterOut,
  RegistrationListOut,
  RegistrationOut,
  RegistrationQuery,
  ScreeningOut,
  ScreeningQuery,
  ScreenRunBody,
  ScreenRunOut,
  TierBody,
  TierListOut,
  TierOut,
  TierQuery,
} from './vip.schemas.js';
import { nearList, runScreening, screeningList } from './vip.screening.js';
import { listGrades, listTiers, saveTier, setGrade } from './vip.tiers.js';
import { nearWorkbook } from './vip.xlsx.js';

const tags = ['vip'];
const IdParams = z.strictObject({ id: Id });

/**
 * 贵宾客户识别 (SPEC §5, Art. 15; issue 13): admission tiers (bank-wide, effective-dated), AM grades,
 * screening of the people projects reached, registration → one-to-one signing → an AM of matching
 * grade, and the 临界区间 list with its export. Reading needs vip.read; work vip.manage; tiers
 * vip.configure held at the root (vip.access.ts).
 */
export const vipRoutes: FastifyPluginAsyncZod = async (app) => {
  const db = app.database.db;

  app.get('/tiers', { config: { access: 'vip.read' }, schema: { tags, summary: '贵宾等级标准（在用 / 历史）/ VIP tiers', querystring: TierQuery, response: { 200: TierListOut } } }, async (req) => ({
    items: await listTiers(db, req.query.asOf ?? clock.today(), req.query.history === 'true'),
  }));
  app.post('/tiers', { config: { access: 'vip.configure' }, schema: { tags, summary: '新增等级标准版本 / add a tier version', body: TierBody, response: { 201: TierOut } } }, async (req, reply) =>
    reply.status(201).send(await saveTier(db, req.auth!, req.body, clock.today(), clock.now())),
  );

  app.get('/grades', { config: { access: 'vip.read' }, schema: { tags, summary: '客户经理等级 / AM grades', querystring: GradeQuery, response: { 200: GradeListOut } } }, async (req) =>
    listGrades(db, req.auth!, req.query, clock.today()),
  );
  app.put('/grades/:id', { config: { access: 'vip.manage' }, schema: { tags, summary: '评定客户经理等级 / set an AM grade', params: IdParams, body: GradeBody } }, async (req) =>
    setGrade(db, req.auth!, req.params.id, req.body, clock.today(), clock.now()),
  );

  app.get(
    '/screening',
    { config: { access: 'vip.read' }, schema: { tags, summary: '项目触达客户筛选结果 / screening of people reached', querystring: ScreeningQuery, response: { 200: ScreeningOut } } },
    async (req) => screeningList(db, req.auth!, req.query, clock.today()),
  );
  app.post(
    '/screening',
    { config: { access: 'vip.manage' }, schema: { tags, summary: '执行筛选并保存结果 / run and keep a screening', body: ScreenRunBody, response: { 200: ScreenRunOut } } },
    async (req) => runScreening(db, req.auth!, req.body.projectId, clock.today(), clock.now()),
  );

  app.get(
    '/registrations',
    { config: { access: 'vip.read' }, schema: { tags, summary: '已登记贵宾客户 / registered VIPs', querystring: RegistrationQuery, response: { 200: RegistrationListOut } } },
    async (req) => listRegistrations(db, req.auth!, req.query),
  );
  app.post(
    '/registrations',
    { config: { access: 'vip.manage' }, schema: { tags, summary: '登记贵宾客户（可批量）/ register VIPs', body: RegisterBody, response: { 201: RegisterOut } } },
    async (req, reply) => reply.status(201).send(await register(db, req.auth!, req.body, clock.today(), clock.now())),
  );
  app.post(
    '/registrations/:id/sign',
    { config: { access: 'vip.manage' }, schema: { tags, summary: '签约一对一维护 / sign one-to-one service', params: IdParams, response: { 200: RegistrationOut } } },
    async (req) => sign(db, req.auth!, req.params.id, clock.now()),
  );
  app.get(
    '/registrations/:id/am-candidates',
    { config: { access: 'vip.manage' }, schema: { tags, summary: '等级匹配的客户经理 / AMs whose grade matches', params: IdParams, response: { 200: AmCandidatesOut } } },
    async (req) => amCandidates(db, req.auth!, req.params.id, clock.today()),
  );
  app.post(
    '/registrations/:id/am',
    { config: { access: 'vip.manage' }, schema: { tags, summary: '配备专职客户经理 / assign the AM', params: IdParams, body: AssignBody, response: { 200: RegistrationOut } } },
    async (req) => assignAm(db, req.auth!, req.params.id, req.body.staffId, clock.today(), clock.now()),
  );
  app.post(
    '/registrations/:id/end',
    { config: { access: 'vip.manage' }, schema: { tags, summary: '终止贵宾维护（须填原因）/ end a VIP registration', params: IdParams, body: EndBody, response: { 200: RegistrationOut } } },
    async (req) => endRegistration(db, req.auth!, req.params.id, req.body.reason, clock.now()),
  );

  app.get('/near', { config: { access: 'vip.read' }, schema: { tags, summary: '临界区间客户 / near-tier clients, ranked', querystring: NearQuery, response: { 200: NearOut } } }, async (req) => {
    const day = clock.today();
    const { band, rows } = await nearList(db, req.auth!, day, req.query.tierCode);
    const { page, pageSize } = req.query;
    return { asOf: day, bandPercent: band, total: rows.length, page, pageSize, items: rows.slice((page - 1) * pageSize, page * pageSize) };
  });
  app.get('/near/export.xlsx', { config: { access: 'vip.read' }, schema: { tags, summary: '导出临界区间客户 / export near-tier clients', querystring: NearQuery } }, async (req, reply) => {
    const day = clock.today();
    const { band, rows } = await nearList(db, req.auth!, day, req.query.tierCode);
    return sendXlsx(reply, `临界区间客户-${day}.xlsx`, await nearWorkbook(rows, band, day));
  });
};
