import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { sendXlsx } from '../../xlsx/xlsx.js';
import { scopedBranch } from './quotas.policy.js';
import { quotasWorkbook } from './quotas.xlsx.js';
import {
  ExportQuery,
  LineTargetBody,
  LineTargetListOut,
  LineTargetOut,
  LineTargetQuery,
  PlanOut,
  PlanParams,
  ProposalBody,
  ProposalOut,
  ProposalQuery,
  QuotaCreateBody,
  QuotaIdParams,
  QuotaListOut,
  QuotaListQuery,
  QuotaOut,
  QuotaUpdateBody,
  VersionOut,
  VersionParams,
} from './quotas.schemas.js';
import { applyProposal, listLineTargets, proposal, putLineTarget } from './quotas.proposal.js';
import { approvePlan, createQuota, deleteQuota, listQuotas, planVersion, planView, updateQuota } from './quotas.service.js';

const tags = ['quotas'];

/**
 * 营销任务 (SPEC §10, Art. 16–18): quotas per department × product × year, the retail line targets
 * and the 10 % helper, committee approval with history, Excel export (import: /api/imports/quotas).
 * Everyone in scope reads them (dashboard.read); the committee office writes; the chair approves.
 */
export const quotaRoutes: FastifyPluginAsyncZod = async (app) => {
  const db = app.database.db;

  app.get(
    '/',
    { config: { access: 'dashboard.read' }, schema: { tags, summary: '营销任务列表 / a branch’s quotas for a year', querystring: QuotaListQuery, response: { 200: QuotaListOut } } },
    async (req) => {
      const node = await scopedBranch(db, req.auth!, 'dashboard.read', req.query.nodeId);
      return { plan: await planView(db, node.id, req.query.year), items: await listQuotas(db, node, req.query) };
    },
  );

  app.get(
    '/export.xlsx',
    { config: { access: 'dashboard.read' }, schema: { tags, summary: '导出营销任务（可修改后重新导入）/ export the quotas (.xlsx, re-importable)', querystring: ExportQuery } },
    async (req, reply) => {
      const node = await scopedBranch(db, req.auth!, 'dashboard.read', req.query.nodeId);
      const [items, plan] = await Promise.all([listQuotas(db, node, { nodeId: node.id, year: req.query.year }), planView(db, node.id, req.query.year)]);
      return sendXlsx(reply, `${node.name}${req.query.year}年营销任务.xlsx`, await quotasWorkbook(node, items, plan));
    },
  );

  app.post('/', { config: { access: 'quota.write' }, schema: { tags, summary: '新增营销任务 / add a quota', body: QuotaCreateBody, response: { 201: QuotaOut } } }, async (req, reply) =>
    reply.status(201).send(await createQuota(db, req.auth!, req.body)),
  );

  app.patch(
    '/:id',
    { config: { access: 'quota.write' }, schema: { tags, summary: '修改营销任务 / change a quota', params: QuotaIdParams, body: QuotaUpdateBody, response: { 200: QuotaOut } } },
    async (req) => updateQuota(db, req.auth!, req.params.id, req.body),
  );

  app.delete('/:id', { config: { access: 'quota.write' }, schema: { tags, summary: '删除营销任务 / remove a quota', params: QuotaIdParams, response: { 204: z.null() } } }, async (req, reply) => {
    await deleteQuota(db, req.auth!, req.params.id);
    return reply.status(204).send(null);
  });

  app.get(
    '/line-targets',
    { config: { access: 'dashboard.read' }, schema: { tags, summary: '零售产品条线年度考评指标 / retail line targets', querystring: LineTargetQuery, response: { 200: LineTargetListOut } } },
    async (req) => {
      const node = await scopedBranch(db, req.auth!, 'dashboard.read', req.query.nodeId);
      return { items: await listLineTargets(db, node.id, req.query.year) };
    },
  );

  app.put(
    '/line-targets',
    { config: { access: 'quota.write' }, schema: { tags, summary: '设定零售产品条线年度考评指标 / set a retail line’s target', body: LineTargetBody, response: { 200: LineTargetOut } } },
    async (req) => putLineTarget(db, req.auth!, req.body),
  );

  app.get(
    '/proposal',
    {
      config: { access: 'quota.write' },
      schema: { tags, summary: '按条线指标10%生成建议目标（预览，不写入）/ the 10 % proposal (preview)', querystring: ProposalQuery, response: { 200: ProposalOut } },
    },
    async (req) => {
      const node = await scopedBranch(db, req.auth!, 'quota.write', req.query.nodeId);
      return proposal(db, node, req.query.year, req.query.lineCode, req.query.percentBp);
    },
  );

  app.post(
    '/proposal',
    { config: { access: 'quota.write' }, schema: { tags, summary: '采用建议目标（只补充尚无任务的部门和产品）/ apply the proposal', body: ProposalBody, response: { 200: ProposalOut } } },
    async (req) => {
      const node = await scopedBranch(db, req.auth!, 'quota.write', req.body.nodeId);
      return applyProposal(db, req.auth!, node, req.body.year, req.body.lineCode, req.body.percentBp, req.body.departmentIds);
    },
  );

  app.get(
    '/plans/:nodeId/:year',
    { config: { access: 'dashboard.read' }, schema: { tags, summary: '年度营销任务审批状态与历史版本 / the plan’s state and versions', params: PlanParams, response: { 200: PlanOut } } },
    async (req) => {
      const node = await scopedBranch(db, req.auth!, 'dashboard.read', req.params.nodeId);
      return planView(db, node.id, req.params.year);
    },
  );

  app.post(
    '/plans/:nodeId/:year/approve',
    { config: { access: 'quota.approve' }, schema: { tags, summary: '委员会审批年度营销任务（四眼原则）/ approve the plan (four eyes)', params: PlanParams, response: { 200: PlanOut } } },
    async (req) => {
      const node = await scopedBranch(db, req.auth!, 'quota.approve', req.params.nodeId);
      await approvePlan(db, req.auth!, node, req.params.year);
      return planView(db, node.id, req.params.year);
    },
  );

  app.get(
    '/plans/:nodeId/:year/versions/:versionNo',
    { config: { access: 'dashboard.read' }, schema: { tags, summary: '已审批的历史版本及其变化 / an approved version and its changes', params: VersionParams, response: { 200: VersionOut } } },
    async (req) => {
      const node = await scopedBranch(db, req.auth!, 'dashboard.read', req.params.nodeId);
      return planVersion(db, node, req.params.year, req.params.versionNo);
    },
  );
};
