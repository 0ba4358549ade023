import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { countedList, itemList } from '../../http/lists.js';
import * as criteria from './criteria.service.js';
import { ChangeCriterionBody, CodeParams, CreateCriterionBody, CriteriaQuery, CriterionOut, CriterionRowOut, DeactivateBody } from './criteria.schemas.js';
import * as lists from './lists.service.js';
import * as nominations from './nominations.service.js';
import {
  CutBody,
  DecisionBody,
  DiffOut,
  DiffQuery,
  EvaluationQuery,
  IdParams,
  ListOut,
  ListParams,
  ListsQuery,
  NominateBody,
  NominationOut,
  NominationQuery,
  PreviewOut,
  RemindersOut,
  VersionEntriesOut,
  VersionOut,
  VersionParams,
  VersionsOut,
} from './targets.schemas.js';

const tags = ['targets'];

/**
 * 目标客户名单制管理 (SPEC §3, Art. 7–9): criteria as configuration, nominations, committee review,
 * versioned lists and their comparison. Thin: validate → authorise → call.
 */
export const targetRoutes: FastifyPluginAsyncZod = async (app) => {
  const db = app.database.db;

  // ---- criteria (Art. 9) -------------------------------------------------------------------
  app.get(
    '/criteria',
    {
      config: { access: 'customer.read' },
      schema: {
        tags,
        summary: '目标客户标准（某日生效，含历史）/ criteria in force on a day, with history',
        querystring: CriteriaQuery,
        response: { 200: z.object({ on: z.string(), items: z.array(CriterionOut) }) },
      },
    },
    async (req) => criteria.listCriteria(db, req.query),
  );

  app.get(
    '/criteria/:code',
    { config: { access: 'customer.read' }, schema: { tags, summary: '标准及其调整历史 / one criterion and its history', params: CodeParams, response: { 200: CriterionOut } } },
    async (req) => criteria.criterionHistory(db, req.params.code),
  );

  app.post(
    '/criteria',
    { config: { access: 'target.configure' }, schema: { tags, summary: '新增标准 / add a criterion', body: CreateCriterionBody, response: { 201: CriterionRowOut } } },
    async (req, reply) => reply.status(201).send(await criteria.createCriterion(db, req.auth!, req.body)),
  );

  app.put(
    '/criteria/:code',
    {
      config: { access: 'target.configure' },
      schema: { tags, summary: '调整标准（阈值、名称），自生效日起以新版本生效 / change a criterion from a date', params: CodeParams, body: ChangeCriterionBody, response: { 200: CriterionRowOut } },
    },
    async (req) => criteria.changeCriterion(db, req.auth!, req.params.code, req.body),
  );

  app.post(
    '/criteria/:code/deactivate',
    {
      config: { access: 'target.configure' },
      schema: { tags, summary: '停用标准（自生效日起）/ deactivate a criterion from a date', params: CodeParams, body: DeactivateBody, response: { 200: CriterionRowOut } },
    },
    async (req) => criteria.changeCriterion(db, req.auth!, req.params.code, { effectiveFrom: req.body.effectiveFrom, active: false }),
  );

  app.get(
    '/evaluation',
    { config: { access: 'customer.read' }, schema: { tags, summary: '预评估：客户满足哪些标准 / preview which criteria a client meets', querystring: EvaluationQuery, response: { 200: PreviewOut } } },
    async (req) => nominations.previewEvaluation(db, req.auth!, req.query),
  );

  // ---- nominations and review (Art. 8) -----------------------------------------------------
  app.post(
    '/nominations',
    { config: { access: 'target.nominate' }, schema: { tags, summary: '提名（纳入/移出）/ nominate a client', body: NominateBody, response: { 201: NominationOut } } },
    async (req, reply) => reply.status(201).send(await nominations.nominate(db, req.auth!, req.body)),
  );

  app.get(
    '/nominations',
    { config: { access: 'customer.read' }, schema: { tags, summary: '提名列表 / nominations in scope', querystring: NominationQuery, response: { 200: countedList(NominationOut) } } },
    async (req) => nominations.listNominations(db, req.auth!, req.query),
  );

  app.get(
    '/nominations/:id',
    { config: { access: 'customer.read' }, schema: { tags, summary: '提名详情：满足/未满足的标准及依据 / nominee page', params: IdParams, response: { 200: NominationOut } } },
    async (req) => nominations.nominationDetail(db, req.auth!, req.params.id),
  );

  app.post(
    '/nominations/:id/approve',
    { config: { access: 'target.review' }, schema: { tags, summary: '委员会审议通过 / approve', params: IdParams, body: DecisionBody, response: { 200: NominationOut } } },
    async (req) => nominations.decide(db, req.auth!, req.params.id, 'approved', req.body.reason),
  );

  app.post(
    '/nominations/:id/reject',
    { config: { access: 'target.review' }, schema: { tags, summary: '委员会否决（须说明理由）/ reject with a reason', params: IdParams, body: DecisionBody, response: { 200: NominationOut } } },
    async (req) => nominations.decide(db, req.auth!, req.params.id, 'rejected', req.body.reason),
  );

  app.post(
    '/nominations/:id/withdraw',
    { config: { access: 'target.nominate' }, schema: { tags, summary: '撤回提名 / withdraw a nomination', params: IdParams, body: DecisionBody, response: { 200: NominationOut } } },
    async (req) => nominations.withdraw(db, req.auth!, req.params.id, req.body.reason),
  );

  // ---- lists and versions ------------------------------------------------------------------
  app.get(
    '/lists',
    { config: { access: 'customer.read' }, schema: { tags, summary: '目标客户名单（分行×部门）/ target lists in scope', querystring: ListsQuery, response: { 200: itemList(ListOut) } } },
    async (req) => lists.listLists(db, req.auth!, req.query.nodeId),
  );

  app.get(
    '/lists/:nodeId/:departmentId/versions',
    { config: { access: 'customer.read' }, schema: { tags, summary: '名单版本 / versions of a list', params: ListParams, response: { 200: VersionsOut } } },
    async (req) => lists.listVersions(db, req.auth!, req.params.nodeId, req.params.departmentId),
  );

  app.post(
    '/lists/:nodeId/:departmentId/versions',
    {
      config: { access: 'target.review' },
      schema: { tags, summary: '生成新版本（上版 + 通过的纳入 − 通过的移出）/ cut a new version', params: ListParams, body: CutBody, response: { 201: VersionOut } },
    },
    async (req, reply) => reply.status(201).send(await lists.cutVersion(db, req.auth!, req.params.nodeId, req.params.departmentId, req.body.note)),
  );

  app.get(
    '/lists/:nodeId/:departmentId/versions/:versionNo',
    { config: { access: 'customer.read' }, schema: { tags, summary: '版本明细 / entries of a version', params: VersionParams, response: { 200: VersionEntriesOut } } },
    async (req) => lists.versionEntries(db, req.auth!, req.params.nodeId, req.params.departmentId, req.params.versionNo),
  );

  app.get(
    '/lists/:nodeId/:departmentId/diff',
    {
      config: { access: 'customer.read' },
      schema: { tags, summary: '版本对比（新增、移出、标准变化）/ compare two versions', params: ListParams, querystring: DiffQuery, response: { 200: DiffOut } },
    },
    async (req) => lists.versionDiff(db, req.auth!, req.params.nodeId, req.params.departmentId, req.query.from, req.query.to),
  );

  app.get('/reminders', { config: { access: 'customer.read' }, schema: { tags, summary: '定期复审提醒（30天内到期或已逾期）/ lists due for review', response: { 200: RemindersOut } } }, async (req) =>
    lists.reminders(db, req.auth!),
  );
};
