import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { itemList, pagedList } from '../../http/lists.js';
import { clock } from '../../calendar/index.js';
import { sendXlsx } from '../../xlsx/xlsx.js';
import { IdParams } from '../org/org.schemas.js';
import { CreatedScoreOut, CreateProductBody, DateQuery, LineParams, ProductLineOut, ProductOut, ProductQuery, PutLineBody, ScoreBody, ScoreOut, UpdateProductBody } from './products.schemas.js';
import * as svc from './products.service.js';
import { productsWorkbook } from './products.xlsx.js';

const tags = ['products'];

/** 产品与单位分值 (SPEC §6): the catalogue, product lines, effective-dated unit scores. */
export const productRoutes: FastifyPluginAsyncZod = async (app) => {
  const db = app.database.db;

  app.get('/lines', { config: { access: 'product.read' }, schema: { tags, summary: '产品线 / product lines', response: { 200: itemList(ProductLineOut) } } }, async () => ({
    items: await svc.listLines(db),
  }));

  app.put(
    '/lines/:code',
    { config: { access: 'product.write' }, schema: { tags, summary: '新增或修改产品线 / create or rename a product line', params: LineParams, body: PutLineBody, response: { 200: ProductLineOut } } },
    async (req) => svc.putLine(db, req.auth!, req.params.code, req.body),
  );

  app.get(
    '/',
    {
      config: { access: 'product.read' },
      schema: {
        tags,
        summary: '产品目录（含指定日期生效的单位分值）/ the catalogue with the scores in force on a day',
        querystring: ProductQuery,
        response: { 200: pagedList(ProductOut) },
      },
    },
    async (req) => svc.listProducts(db, req.query),
  );

  app.get(
    '/export.xlsx',
    { config: { access: 'product.read' }, schema: { tags, summary: '导出产品目录 / export the catalogue', querystring: ProductQuery.omit({ page: true, pageSize: true }) } },
    async (req, reply) => {
      const buf = await productsWorkbook(db, req.query);
      return sendXlsx(reply, '产品目录.xlsx', buf);
    },
  );

  app.get('/:id', { config: { access: 'product.read' }, schema: { tags, summary: '产品详情 / one product', params: IdParams, querystring: DateQuery, response: { 200: ProductOut } } }, async (req) =>
    svc.getProduct(db, req.params.id, req.query.date),
  );

  app.post('/', { config: { access: 'product.write' }, schema: { tags, summary: '新增产品 / create a product', body: CreateProductBody, response: { 201: ProductOut } } }, async (req, reply) =>
    reply.status(201).send(await svc.createProduct(db, req.auth!, req.body)),
  );

  app.patch(
    '/:id',
    { config: { access: 'product.write' }, schema: { tags, summary: '修改产品 / update a product', params: IdParams, body: UpdateProductBody, response: { 200: ProductOut } } },
    async (req) => svc.updateProduct(db, req.auth!, req.params.id, req.body),
  );

  app.get(
    '/:id/scores',
    { config: { access: 'product.read' }, schema: { tags, summary: '单位分值历史版本 / score history, newest first', params: IdParams, response: { 200: itemList(ScoreOut) } } },
    async (req) => ({ items: await svc.scoreHistory(db, req.params.id) }),
  );

  app.get(
    '/:id/scores/in-force',
    { config: { access: 'product.read' }, schema: { tags, summary: '指定日期生效的单位分值 / the version in force on a day', params: IdParams, querystring: DateQuery, response: { 200: ScoreOut } } },
    async (req) => svc.scoreInForce(db, req.params.id, req.query.date ?? clock.today()),
  );

  app.post(
    '/:id/scores',
    {
      config: { access: 'product.write' },
      schema: {
        tags,
        summary: '新增单位分值版本（历史版本不可修改）/ add a score version (old ones are never edited)',
        params: IdParams,
        body: ScoreBody,
        response: { 201: CreatedScoreOut },
      },
    },
    async (req, reply) => reply.status(201).send(await svc.addScore(db, req.auth!, req.params.id, req.body)),
  );
};
