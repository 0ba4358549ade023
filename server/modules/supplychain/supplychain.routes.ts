import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { clock } from '../../calendar/index.js';
import { Id } from '../../http/ids.js';
import { admitClient, clientDetail, listClients, rejectClient } from './clients.service.js';
import { createDraw, listDraws } from './draws.service.js';
import { decideReassessment, recomputeNpl, requestReassessment } from './npl.service.js';
import { createProgramme, listProgrammes, programmeDetail, updateProgramme } from './programmes.service.js';
import { DecisionBody, DrawBody, ProgrammeBody, ProgrammePatch, ReassessBody, ReassessDecision, RejectBody } from './supplychain.schemas.js';

const tags = ['supplychain'];
const IdParams = z.strictObject({ id: Id });

/**
 * 供应链金融（核心企业推荐） (SPEC §12, seed 002; decision 0039): programmes, recommended clients with
 * the cross-check, admission with the limit and the rule that bound it, draws with the 5 % margin,
 * the NPL ratio and the four-eyes reassessment of a suspended programme. The lists and the loan feed
 * come through the import framework (supplychain-recommendations, -orders, -loans).
 */
export const supplyChainRoutes: FastifyPluginAsyncZod = async (app) => {
  const db = app.database.db;
  const R = { config: { access: 'supplychain.read' as const } };
  const M = { config: { access: 'supplychain.manage' as const } };
  const A = { config: { access: 'supplychain.approve' as const } };

  app.get('/programmes', { ...R, schema: { tags, summary: '供应链方案 / programmes' } }, async (req) => listProgrammes(db, req.auth!));
  app.post('/programmes', { ...M, schema: { tags, summary: '设立方案（合作协议、担保合同）/ set up a programme', body: ProgrammeBody } }, async (req, reply) =>
    reply.status(201).send(await createProgramme(db, req.auth!, req.body)),
  );
  app.get('/programmes/:id', { ...R, schema: { tags, summary: '方案详情、不良率与代偿 / a programme', params: IdParams } }, async (req) => programmeDetail(db, req.auth!, req.params.id));
  app.patch('/programmes/:id', { ...M, schema: { tags, summary: '调整方案参数 / change thresholds', params: IdParams, body: ProgrammePatch } }, async (req) =>
    updateProgramme(db, req.auth!, req.params.id, req.body),
  );
  app.get('/programmes/:id/clients', { ...R, schema: { tags, summary: '推荐客户与交叉验证 / clients', params: IdParams } }, async (req) => listClients(db, req.auth!, req.params.id));
  app.get('/programmes/:id/draws', { ...R, schema: { tags, summary: '提款与保证金 / draws', params: IdParams } }, async (req) => listDraws(db, req.auth!, req.params.id));
  app.post('/programmes/:id/npl', { ...M, schema: { tags, summary: '重新计算今日不良率 / recompute today’s NPL ratio', params: IdParams } }, async (req) =>
    recomputeNpl(db, req.auth!, req.params.id, clock.today()),
  );
  app.post('/programmes/:id/reassessments', { ...M, schema: { tags, summary: '申请重新评估 / request a reassessment', params: IdParams, body: ReassessBody } }, async (req, reply) =>
    reply.status(201).send(await requestReassessment(db, req.auth!, req.params.id, req.body.reason)),
  );
  app.post('/reassessments/:id/decide', { ...A, schema: { tags, summary: '复核重新评估（四眼）/ approve or reject', params: IdParams, body: ReassessDecision } }, async (req) =>
    decideReassessment(db, req.auth!, req.params.id, req.body.approve, req.body.note),
  );
  app.get('/clients/:id', { ...R, schema: { tags, summary: '客户交叉验证明细 / a client’s cross-check', params: IdParams } }, async (req) => clientDetail(db, req.auth!, req.params.id));
  app.post('/clients/:id/admit', { ...M, schema: { tags, summary: '准入并核定额度 / admit with the limit', params: IdParams, body: DecisionBody } }, async (req) =>
    admitClient(db, req.auth!, req.params.id, req.body.note),
  );
  app.post('/clients/:id/reject', { ...M, schema: { tags, summary: '不予准入 / reject', params: IdParams, body: RejectBody } }, async (req) =>
    rejectClient(db, req.auth!, req.params.id, req.body.note),
  );
  app.post('/clients/:id/draws', { ...M, schema: { tags, summary: '提款（5%保证金）/ draw', params: IdParams, body: DrawBody } }, async (req, reply) =>
    reply.status(201).send(await createDraw(db, req.auth!, req.params.id, req.body)),
  );
};
