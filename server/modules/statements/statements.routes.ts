import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { sendXlsx } from '../../xlsx/xlsx.js';
import { BranchesOut, DeptDrillParams, DrillOut, MonthsOut, NodeParams, PersonDrillParams, RecomputeOut, StatementOut, StatementParams } from './statement.schemas.js';
import { branchRollup, statementMonths } from './statement.rollup.js';
import { draftStatement, drillDown, recomputeStatement } from './statement.service.js';
import { scopedStatementNode } from './statements.policy.js';
import { statementWorkbook } from './statement.xlsx.js';

const tags = ['statements'];

/** 积分统计表 (SPEC §9 step 1): a branch's month, its drill-downs and its Excel export. */
export const statementRoutes: FastifyPluginAsyncZod = async (app) => {
  const db = app.database.db;

  app.get(
    '/:nodeId/:month',
    { config: { access: 'statement.read' }, schema: { tags, summary: '月度积分统计表（草稿）/ draft monthly statement', params: StatementParams, response: { 200: StatementOut } } },
    async (req) => {
      const node = await scopedStatementNode(db, req.auth!, 'statement.read', req.params.nodeId);
      return draftStatement(db, node, req.params.month);
    },
  );

  app.get(
    '/:nodeId/months',
    { config: { access: 'statement.read' }, schema: { tags, summary: '有积分的月份（新到旧）/ months with scored sales, newest first', params: NodeParams, response: { 200: MonthsOut } } },
    async (req) => {
      const node = await scopedStatementNode(db, req.auth!, 'statement.read', req.params.nodeId);
      return { items: await statementMonths(db, node) };
    },
  );

  app.get(
    '/:nodeId/:month/branches',
    { config: { access: 'statement.read' }, schema: { tags, summary: '按分行汇总（省分行）/ the month by branch', params: StatementParams, response: { 200: BranchesOut } } },
    async (req) => {
      const node = await scopedStatementNode(db, req.auth!, 'statement.read', req.params.nodeId);
      return { items: await branchRollup(db, node, req.params.month) };
    },
  );

  app.get(
    '/:nodeId/:month/export.xlsx',
    { config: { access: 'statement.read' }, schema: { tags, summary: '导出积分统计表 / export the statement (.xlsx)', params: StatementParams } },
    async (req, reply) => {
      const node = await scopedStatementNode(db, req.auth!, 'statement.read', req.params.nodeId);
      const s = await draftStatement(db, node, req.params.month);
      return sendXlsx(reply, `${node.name}交叉营销积分统计表-${req.params.month}.xlsx`, await statementWorkbook(s));
    },
  );

  app.get(
    '/:nodeId/:month/departments/:departmentId',
    { config: { access: 'statement.read' }, schema: { tags, summary: '部门积分明细（逐笔拆分）/ a department’s sales with their splits', params: DeptDrillParams, response: { 200: DrillOut } } },
    async (req) => {
      const node = await scopedStatementNode(db, req.auth!, 'statement.read', req.params.nodeId);
      return { items: await drillDown(db, node, req.params.month, { departmentId: req.params.departmentId }) };
    },
  );

  app.get(
    '/:nodeId/:month/people/:staffId',
    { config: { access: 'statement.read' }, schema: { tags, summary: '个人积分明细（逐笔拆分）/ a person’s sales with their splits', params: PersonDrillParams, response: { 200: DrillOut } } },
    async (req) => {
      const node = await scopedStatementNode(db, req.auth!, 'statement.read', req.params.nodeId);
      return { items: await drillDown(db, node, req.params.month, { staffId: req.params.staffId }) };
    },
  );

  app.post(
    '/:nodeId/:month/recompute',
    { config: { access: 'scoring.configure' }, schema: { tags, summary: '重算本月积分（只追加冲销与新分录）/ re-score the month', params: StatementParams, response: { 200: RecomputeOut } } },
    async (req) => {
      const node = await scopedStatementNode(db, req.auth!, 'scoring.configure', req.params.nodeId);
      return recomputeStatement(db, { id: req.auth!.staffId, name: req.auth!.name }, node, req.params.month);
    },
  );
};
