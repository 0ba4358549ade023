import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { DrillOut, DrillPersonOut, DrillQuery, DrillSaleOut, IdParams } from './drilldown.schemas.js';
import { drillNode, drillPerson, drillSale } from './drilldown.service.js';

const tags = ['reports'];

/**
 * 钻取 (issue 16 part B): a figure to the level below — province → tier-2 branch → sub-branch →
 * outlet → person — and a sale to its scoring ledger lines. report.read; a node, person or sale
 * outside the caller's scope answers 403.
 */
export const drilldownRoutes: FastifyPluginAsyncZod = async (app) => {
  const db = app.database.db;
  app.get(
    '/drill',
    { config: { access: 'report.read' }, schema: { tags, summary: '钻取：机构及其下级 / drill to the level below', querystring: DrillQuery, response: { 200: DrillOut } } },
    async (req) => drillNode(db, req.auth!, { from: req.query.from, to: req.query.to, nodeId: req.query.nodeId, productCode: req.query.product }),
  );
  app.get(
    '/drill/people/:id',
    {
      config: { access: 'report.read' },
      schema: { tags, summary: '钻取：个人的销售 / a person’s sales', params: IdParams, querystring: DrillQuery, response: { 200: DrillPersonOut } },
    },
    async (req) => drillPerson(db, req.auth!, req.params.id, { from: req.query.from, to: req.query.to, productCode: req.query.product }),
  );
  app.get(
    '/drill/sales/:id',
    { config: { access: 'report.read' }, schema: { tags, summary: '钻取：单笔销售及其积分流水 / a sale and its ledger lines', params: IdParams, response: { 200: DrillSaleOut } } },
    async (req) => drillSale(db, req.auth!, req.params.id),
  );
};
