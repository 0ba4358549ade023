import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { AppError } from '../../errors.js';
import { sendXlsx } from '../../xlsx/xlsx.js';
import { scopedBranch } from '../quotas/quotas.policy.js';
import { ReopenBody, RulesBody, RulesOut, RulesQuery, RunBody, RunIdParams, RunListOut, RunListQuery, RunOut, WhatIfBody, WhatIfOut, YearQuery, YearStatusOut } from './assessment.schemas.js';
import { approveRun, listRuns, lockRun, poolFenOf, putRules, reopenRun, rulesView, runAssessment, runView, scopedRun, whatIf, yearStatus } from './assessment.service.js';
import { payoutWorkbook } from './assessment.xlsx.js';

const tags = ['assessment'];

/**
 * 年终考核与奖励兑现 (SPEC §10, Art. 17, 22, 23): HR runs the assessment, the committee approves
 * it (four-eyes), HR and finance pay out from the workbook and lock it. What-if writes nothing.
 */
export const assessmentRoutes: FastifyPluginAsyncZod = async (app) => {
  const db = app.database.db;

  app.post(
    '/runs',
    { config: { access: 'assessment.run' }, schema: { tags, summary: '计算年终考核（生成草稿）/ run the year-end assessment', body: RunBody, response: { 201: RunOut } } },
    async (req, reply) => {
      const node = await scopedBranch(db, req.auth!, 'assessment.run', req.body.nodeId);
      const poolFen = poolFenOf(req.body);
      if (poolFen === undefined) throw new AppError('ASSESSMENT.BAD_POOL');
      const id = await runAssessment(db, req.auth!, node, req.body.year, poolFen, req.body.gateBp);
      const { run } = await scopedRun(db, req.auth!, id, 'assessment.run');
      return reply.status(201).send(await runView(db, run, node));
    },
  );

  app.get('/runs', { config: { access: 'assessment.read' }, schema: { tags, summary: '考核结果列表 / a branch’s runs', querystring: RunListQuery, response: { 200: RunListOut } } }, async (req) => {
    const node = await scopedBranch(db, req.auth!, 'assessment.read', req.query.nodeId);
    return { items: await listRuns(db, node, req.query.year) };
  });

  app.get(
    '/runs/:id',
    { config: { access: 'assessment.read' }, schema: { tags, summary: '考核结果（含门槛说明与分配明细）/ a run with its explained result', params: RunIdParams, response: { 200: RunOut } } },
    async (req) => {
      const { run, node } = await scopedRun(db, req.auth!, req.params.id, 'assessment.read');
      return runView(db, run, node);
    },
  );

  app.post(
    '/runs/:id/approve',
    { config: { access: 'assessment.approve' }, schema: { tags, summary: '委员会审批考核结果（四眼原则）/ approve a run (four eyes)', params: RunIdParams, response: { 200: RunOut } } },
    async (req) => {
      await approveRun(db, req.auth!, req.params.id);
      const { run, node } = await scopedRun(db, req.auth!, req.params.id, 'assessment.approve');
      return runView(db, run, node);
    },
  );

  app.post(
    '/runs/:id/lock',
    { config: { access: 'assessment.run' }, schema: { tags, summary: '奖励已兑现，锁定考核结果 / record the payout and lock', params: RunIdParams, response: { 200: RunOut } } },
    async (req) => {
      await lockRun(db, req.auth!, req.params.id);
      const { run, node } = await scopedRun(db, req.auth!, req.params.id, 'assessment.run');
      return runView(db, run, node);
    },
  );

  app.post(
    '/runs/:id/reopen',
    {
      config: { access: 'assessment.approve' },
      schema: {
        tags,
        summary: '委员会重新开放已考核年度（须填写原因，原结果作废留存）/ reopen the year: the run is superseded (reason required)',
        params: RunIdParams,
        body: ReopenBody,
        response: { 200: RunOut },
      },
    },
    async (req) => {
      await reopenRun(db, req.auth!, req.params.id, req.body.reason);
      const { run, node } = await scopedRun(db, req.auth!, req.params.id, 'assessment.approve');
      return runView(db, run, node);
    },
  );

  app.get(
    '/year',
    {
      config: { access: 'assessment.read' },
      schema: { tags, summary: '考核期是否结束（各月是否均已锁定）/ whether a final run is possible', querystring: YearQuery, response: { 200: YearStatusOut } },
    },
    async (req) => {
      const node = await scopedBranch(db, req.auth!, 'assessment.read', req.query.nodeId);
      return yearStatus(db, node, req.query.year);
    },
  );

  app.get(
    '/runs/:id/payout.xlsx',
    { config: { access: 'assessment.read' }, schema: { tags, summary: '奖励发放表（人力资源部、财务会计部）/ the payout workbook (.xlsx)', params: RunIdParams } },
    async (req, reply) => {
      const { run, node } = await scopedRun(db, req.auth!, req.params.id, 'assessment.read');
      const view = await runView(db, run, node);
      return sendXlsx(reply, `${node.name}${run.year}年交叉营销奖励发放表.xlsx`, await payoutWorkbook(view));
    },
  );

  app.post(
    '/what-if',
    {
      config: { access: 'assessment.read' },
      schema: { tags, summary: '模拟测算：调整奖励总额、门槛或任务后对比（不写入任何数据）/ what-if, side by side (writes nothing)', body: WhatIfBody, response: { 200: WhatIfOut } },
    },
    async (req) => {
      const node = await scopedBranch(db, req.auth!, 'assessment.read', req.body.nodeId);
      return whatIf(db, node, req.body);
    },
  );

  app.get(
    '/rules',
    { config: { access: 'assessment.read' }, schema: { tags, summary: '奖励规则（扣分、专项奖励、重点项目、网点归属）/ award rules in force', querystring: RulesQuery, response: { 200: RulesOut } } },
    async (req) => {
      const node = await scopedBranch(db, req.auth!, 'assessment.read', req.query.nodeId);
      return rulesView(db, node, req.query.year);
    },
  );

  app.put(
    '/rules',
    { config: { access: 'assessment.approve' }, schema: { tags, summary: '设定奖励规则（自某年度起生效）/ set the award rules from a year on', body: RulesBody, response: { 200: RulesOut } } },
    async (req) => {
      const node = await scopedBranch(db, req.auth!, 'assessment.approve', req.body.nodeId);
      await putRules(db, req.auth!, node, req.body);
      return rulesView(db, node, req.body.effectiveYear);
    },
  );
};
