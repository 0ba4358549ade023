import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { itemList, pagedList } from '../../http/lists.js';
import { IdParams } from '../org/org.schemas.js';
import { CreateDevelopmentBody, DevelopmentOut, DevelopmentQuery, FigureBody, FigureOut, UpdateDevelopmentBody } from './developments.schemas.js';
import * as svc from './developments.service.js';

const tags = ['developments'];

/** 楼盘 (SPEC §8): developments the bank finances and their cumulative mortgage households. */
export const developmentRoutes: FastifyPluginAsyncZod = async (app) => {
  const db = app.database.db;

  app.get(
    '/',
    {
      config: { access: 'sale.read' },
      schema: {
        tags,
        summary: '楼盘列表（含最新按揭户数与达标情况）/ developments with their latest figures',
        querystring: DevelopmentQuery,
        response: { 200: pagedList(DevelopmentOut) },
      },
    },
    async (req) => svc.listDevelopments(db, req.auth!, req.query),
  );

  app.get('/:id', { config: { access: 'sale.read' }, schema: { tags, summary: '楼盘详情 / one development', params: IdParams, response: { 200: DevelopmentOut } } }, async (req) =>
    svc.getDevelopment(db, req.auth!, req.params.id),
  );

  app.post(
    '/',
    { config: { access: 'development.write' }, schema: { tags, summary: '新增楼盘 / create a development', body: CreateDevelopmentBody, response: { 201: DevelopmentOut } } },
    async (req, reply) => reply.status(201).send(await svc.createDevelopment(db, req.auth!, req.body)),
  );

  app.patch(
    '/:id',
    { config: { access: 'development.write' }, schema: { tags, summary: '修改楼盘 / update a development', params: IdParams, body: UpdateDevelopmentBody, response: { 200: DevelopmentOut } } },
    async (req) => svc.updateDevelopment(db, req.auth!, req.params.id, req.body),
  );

  app.delete(
    '/:id',
    { config: { access: 'development.write' }, schema: { tags, summary: '删除未使用的楼盘 / delete an unused development', params: IdParams, response: { 204: z.null() } } },
    async (req, reply) => {
      await svc.deleteDevelopment(db, req.auth!, req.params.id);
      return reply.status(204).send(null);
    },
  );

  app.get(
    '/:id/figures',
    { config: { access: 'sale.read' }, schema: { tags, summary: '按揭户数历史（累计）/ cumulative figures, newest first', params: IdParams, response: { 200: itemList(FigureOut) } } },
    async (req) => ({ items: await svc.listFigures(db, req.auth!, req.params.id) }),
  );

  app.post(
    '/:id/figures',
    {
      config: { access: 'development.write' },
      schema: { tags, summary: '登记截至某日的累计按揭户数 / add cumulative figures as of a day', params: IdParams, body: FigureBody, response: { 201: FigureOut } },
    },
    async (req, reply) => reply.status(201).send(await svc.addFigures(db, req.auth!, req.params.id, req.body)),
  );
};
