import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { Id } from '../../http/ids.js';
import { z } from 'zod';
import { guardLocked } from '../../db/period-lock.js';
import { AnswerBody, ObjectionListOut, ObjectionOut, ObjectionQuery, RaiseBody } from './objections.schemas.js';
import { answerObjection, getObjection, listObjections, raiseObjection } from './objections.service.js';
import { clock } from '../../calendar/index.js';

const tags = ['objections'];
const IdParams = z.strictObject({ id: Id });

/** 异议 (SPEC §9.2): raised during the publication window, answered by the committee office. */
export const objectionRoutes: FastifyPluginAsyncZod = async (app) => {
  const db = app.database.db;

  app.post(
    '/',
    { config: { access: 'objection.raise' }, schema: { tags, summary: '提出异议（公示期内）/ raise an objection during the window', body: RaiseBody, response: { 201: ObjectionOut } } },
    async (req, reply) => reply.status(201).send(await raiseObjection(db, req.auth!, req.body, clock.now())),
  );

  app.get(
    '/',
    { config: { access: 'authenticated' }, schema: { tags, summary: '异议列表 / objections (own, and of branches in scope)', querystring: ObjectionQuery, response: { 200: ObjectionListOut } } },
    async (req) => listObjections(db, req.auth!, req.query),
  );

  app.get('/:id', { config: { access: 'authenticated' }, schema: { tags, summary: '异议详情 / one objection', params: IdParams, response: { 200: ObjectionOut } } }, async (req) =>
    getObjection(db, req.auth!, req.params.id),
  );

  app.post(
    '/:id/answer',
    {
      config: { access: 'objection.answer' },
      schema: { tags, summary: '答复异议（可附销售更正）/ answer an objection, optionally correcting the sale', params: IdParams, body: AnswerBody, response: { 200: ObjectionOut } },
    },
    async (req) => guardLocked(() => answerObjection(db, req.auth!, req.params.id, req.body, clock.now())),
  );
};
