import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { clock } from '../../calendar/index.js';
import { guardLocked } from '../../db/period-lock.js';
import { Id } from '../../http/ids.js';
import { handlingRate, listLeads } from './leads.queries.js';
import { AssignBody, AssigneesOut, CapacityBody, CreateLeadBody, LeadDetailOut, LeadListOut, LeadOut, LeadQuery, MoveBody, RateOut, RateQuery, WinBody, WinOut } from './leads.schemas.js';
import { assignPool, claimLead, createLead, getLead, leadAssignees, moveLead, reassignLead, setCapacity, winLead } from './leads.service.js';

const tags = ['leads'];
const IdParams = z.strictObject({ id: Id });

/**
 * 商机 (SPEC §4, issue 13): leads from referrals, activities, surveys and imports; routed by
 * capacity, moved through stages, escalated when untouched, and won into a scored cross-sale.
 * Reading needs lead.read over the branch (or holding the lead); working it, being its holder with
 * lead.work or a lead.manage over the branch.
 */
export const leadRoutes: FastifyPluginAsyncZod = async (app) => {
  const db = app.database.db;

  app.get('/', { config: { access: 'authenticated' }, schema: { tags, summary: '商机列表（我的 / 商机池 / 全部）/ leads', querystring: LeadQuery, response: { 200: LeadListOut } } }, async (req) =>
    listLeads(db, req.auth!, req.query),
  );

  app.post('/', { config: { access: 'lead.work' }, schema: { tags, summary: '登记商机（转介绍、活动、手工）/ record a lead', body: CreateLeadBody, response: { 201: LeadOut } } }, async (req, reply) =>
    reply.status(201).send(await createLead(db, req.auth!, req.body, clock.now())),
  );

  app.get(
    '/handling-rate',
    { config: { access: 'lead.read' }, schema: { tags, summary: '商机处理率 / the handling rate by department and holder', querystring: RateQuery, response: { 200: RateOut } } },
    async (req) => handlingRate(db, req.auth!, req.query),
  );

  app.post(
    '/pool/:id/assign',
    {
      config: { access: 'lead.manage' },
      schema: { tags, summary: '按规则分配部门商机池 / assign a department’s pool by the capacity rule', params: IdParams, response: { 200: z.object({ assigned: z.number(), left: z.number() }) } },
    },
    async (req) => assignPool(db, req.auth!, req.params.id, clock.now()),
  );

  app.put(
    '/capacity/:id',
    {
      config: { access: 'lead.manage' },
      schema: {
        tags,
        summary: '设置客户经理商机容量 / an account manager’s lead capacity',
        params: IdParams,
        body: CapacityBody,
        response: { 200: z.object({ staffId: z.number(), capacity: z.number() }) },
      },
    },
    async (req) => setCapacity(db, req.auth!, req.params.id, req.body.capacity),
  );

  app.get(
    '/:id',
    { config: { access: 'authenticated' }, schema: { tags, summary: '商机详情与跟进记录 / one lead with its history', params: IdParams, response: { 200: LeadDetailOut } } },
    async (req) => getLead(db, req.auth!, req.params.id),
  );

  app.post(
    '/:id/stage',
    { config: { access: 'lead.work' }, schema: { tags, summary: '推进商机阶段（流失须填原因）/ move a lead', params: IdParams, body: MoveBody, response: { 200: LeadOut } } },
    async (req) => moveLead(db, req.auth!, req.params.id, req.body, clock.now()),
  );

  app.get(
    '/:id/assignees',
    {
      config: { access: 'lead.manage' },
      schema: { tags, summary: '可改派的客户经理（含在手商机与容量）/ who may take the lead', params: IdParams, response: { 200: AssigneesOut } },
    },
    async (req) => leadAssignees(db, req.auth!, req.params.id),
  );

  app.post('/:id/assign', { config: { access: 'lead.manage' }, schema: { tags, summary: '改派商机 / reassign a lead', params: IdParams, body: AssignBody, response: { 200: LeadOut } } }, async (req) =>
    reassignLead(db, req.auth!, req.params.id, req.body, clock.now()),
  );

  app.post('/:id/claim', { config: { access: 'lead.work' }, schema: { tags, summary: '从商机池认领 / take a lead from the pool', params: IdParams, response: { 200: LeadOut } } }, async (req) =>
    claimLead(db, req.auth!, req.params.id, clock.now()),
  );

  app.post(
    '/:id/win',
    { config: { access: 'lead.work' }, schema: { tags, summary: '商机成交：登记交叉销售 / win a lead by recording its sale', params: IdParams, body: WinBody, response: { 200: WinOut } } },
    async (req) => guardLocked(() => winLead(db, req.auth!, req.params.id, req.body, clock.now())),
  );
};
