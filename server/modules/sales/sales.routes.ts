import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { pagedList } from '../../http/lists.js';
import { sendXlsx } from '../../xlsx/xlsx.js';
import { salesWorkbook } from './sales.xlsx.js';
import { IdParams } from '../org/org.schemas.js';
import { BatchBody, BatchOut, RecordOut, SaleOut, SaleQuery, toSaleInput } from './sales.schemas.js';
import * as svc from './sales.service.js';
import { FormSaleBody } from './sales.form.schemas.js';
import { saleFormRoutes } from './sales.form.routes.js';
import { withClientIds } from './sales.form.js';

const tags = ['sales'];

/** 交叉营销业绩 (SPEC §7): record cross-sales one by one or in batches, list, read, export. */
export const saleRoutes: FastifyPluginAsyncZod = async (app) => {
  const db = app.database.db;
  // The one-sale form's previews and pickers (issue 12).
  await app.register(saleFormRoutes);

  app.get(
    '/',
    {
      // sale.read over the branch, or mine=true: the sales the caller took part in (sales.policy.ts).
      config: { access: 'authenticated' },
      schema: {
        tags,
        summary: '交叉销售列表（按月份、产品、部门、人员、楼盘筛选，分页；mine=true 为本人参与的销售）/ sales page',
        querystring: SaleQuery,
        response: { 200: pagedList(SaleOut) },
      },
    },
    async (req) => svc.listSales(db, req.auth!, req.query),
  );

  app.get(
    '/export.xlsx',
    { config: { access: 'sale.read' }, schema: { tags, summary: '导出交叉销售 / export sales to Excel', querystring: SaleQuery.omit({ page: true, pageSize: true }) } },
    async (req, reply) => {
      const buf = await salesWorkbook(db, req.auth!, req.query);
      return sendXlsx(reply, '交叉销售清单.xlsx', buf);
    },
  );

  app.get(
    '/:id',
    {
      // sale.read over the branch, or a participant of the sale (sales.policy.ts).
      config: { access: 'authenticated' },
      schema: { tags, summary: '销售详情（部门、比例、人员、贡献；分配见 /api/scoring/sales/:id/split）/ one sale', params: IdParams, response: { 200: SaleOut } },
    },
    async (req) => svc.getSale(db, req.auth!, req.params.id),
  );

  app.post(
    '/',
    {
      config: { access: 'sale.write' },
      schema: {
        tags,
        summary: '登记一笔交叉销售（同一交易流水号、内容相同的重复发送不做任何修改，返回 duplicate；内容不同返回 409 SALE.CONFLICT）/ record a cross-sale',
        // SaleBody, and the form's client by id (personId / companyId).
        body: FormSaleBody,
        response: { 200: RecordOut, 201: RecordOut },
      },
    },
    async (req, reply) => {
      const r = await svc.recordSale(db, req.auth!, toSaleInput(await withClientIds(db, req.body)), { lang: req.lang });
      return reply.status(r.status === 'created' ? 201 : 200).send(r);
    },
  );

  app.post(
    '/batch',
    {
      config: { access: 'sale.write' },
      // 5,000 sales with people and departments exceed the global 1 MB body limit.
      bodyLimit: 16 * 1024 * 1024,
      schema: {
        tags,
        summary: '批量登记交叉销售（≤5000 笔，全部成功或全部不登记）/ record up to 5,000 sales, all or nothing',
        body: BatchBody,
        response: { 200: BatchOut },
      },
    },
    async (req) => svc.recordBatch(db, req.auth!, req.body.sales.map(toSaleInput), req.lang),
  );
};
