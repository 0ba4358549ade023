import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { sendXlsx } from '../../xlsx/xlsx.js';
import { BoardQuery, CompletionOut, DrillOut, DrillQuery, RankingQuery, RankingsOut, TrendOut } from './dashboards.schemas.js';
import { completionBoard, drill, rankings, trend } from './dashboards.service.js';
import { completionWorkbook, drillWorkbook, rankingsWorkbook, trendWorkbook } from './dashboards.xlsx.js';

const tags = ['dashboards'];
const span = (p: { from: string; to: string }) => (p.from === p.to ? p.from : `${p.from}至${p.to}`);

/**
 * 看板 (SPEC §10, §13): completion against quota, rankings, the monthly trend and the drill-down,
 * each with its Excel export. Filters: branch (in the caller's scope), product line, a year or a
 * month range. Read-only; everyone in scope (dashboard.read).
 */
export const dashboardRoutes: FastifyPluginAsyncZod = async (app) => {
  const db = app.database.db;

  app.get(
    '/completion',
    { config: { access: 'dashboard.read' }, schema: { tags, summary: '任务完成情况（部门×产品，对照年度任务）/ completion against quota', querystring: BoardQuery, response: { 200: CompletionOut } } },
    async (req) => completionBoard(db, req.auth!, req.query),
  );
  app.get(
    '/completion/export.xlsx',
    { config: { access: 'dashboard.read' }, schema: { tags, summary: '导出任务完成情况 / export completion (.xlsx)', querystring: BoardQuery } },
    async (req, reply) => {
      const c = await completionBoard(db, req.auth!, req.query);
      return sendXlsx(reply, `${c.node.name}营销任务完成情况-${span(c.period)}.xlsx`, await completionWorkbook(c));
    },
  );

  app.get(
    '/rankings',
    { config: { access: 'dashboard.read' }, schema: { tags, summary: '部门与个人积分排名 / rankings by points', querystring: RankingQuery, response: { 200: RankingsOut } } },
    async (req) => rankings(db, req.auth!, req.query),
  );
  app.get('/rankings/export.xlsx', { config: { access: 'dashboard.read' }, schema: { tags, summary: '导出积分排名 / export rankings (.xlsx)', querystring: RankingQuery } }, async (req, reply) => {
    const r = await rankings(db, req.auth!, { ...req.query, limit: req.query.limit ?? 5000 });
    return sendXlsx(reply, `${r.node.name}交叉营销积分排名-${span(r.period)}.xlsx`, await rankingsWorkbook(r));
  });

  app.get('/trend', { config: { access: 'dashboard.read' }, schema: { tags, summary: '月度积分趋势 / points per month', querystring: BoardQuery, response: { 200: TrendOut } } }, async (req) =>
    trend(db, req.auth!, req.query),
  );
  app.get('/trend/export.xlsx', { config: { access: 'dashboard.read' }, schema: { tags, summary: '导出月度积分趋势 / export the trend (.xlsx)', querystring: BoardQuery } }, async (req, reply) => {
    const t = await trend(db, req.auth!, req.query);
    return sendXlsx(reply, `${t.node.name}月度积分趋势-${span(t.period)}.xlsx`, await trendWorkbook(t));
  });

  app.get(
    '/drill',
    { config: { access: 'dashboard.read' }, schema: { tags, summary: '逐级下钻：分行→部门→个人 / drill-down branch → departments → people', querystring: DrillQuery, response: { 200: DrillOut } } },
    async (req) => drill(db, req.auth!, req.query),
  );
  app.get(
    '/drill/export.xlsx',
    { config: { access: 'dashboard.read' }, schema: { tags, summary: '导出下钻数据 / export the drill-down level (.xlsx)', querystring: DrillQuery } },
    async (req, reply) => {
      const d = await drill(db, req.auth!, req.query);
      const who = d.department ? `${d.node!.name}${d.department.name}` : (d.node?.name ?? '各分行');
      return sendXlsx(reply, `${who}积分-${span(d.period)}.xlsx`, await drillWorkbook(d));
    },
  );
};
