import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { clock } from '../../calendar/index.js';
import { Id } from '../../http/ids.js';
import { sendXlsx } from '../../xlsx/xlsx.js';
import { addDefinitionVersion, definitionVersions } from './definitions.edit.js';
import { currentDefinition } from './definitions.service.js';
import { issueWorkbook } from './delivery.xlsx.js';
import { listJobRuns } from './jobruns.js';
import { rankings } from './rankings.js';
import { IssueOut, RerunOut } from './reports.schemas.js';
import {
  DefinitionVersionBody,
  DefinitionVersionListOut,
  DeliveryItem,
  DeliveryListOut,
  JobRunListOut,
  LimitQuery,
  MeasureListOut,
  RankingOut,
  RankingQuery,
  ReceiptListOut,
  SubscriptionBody,
  SubscriptionItem,
  SubscriptionListOut,
} from './subscriptions.schemas.js';
import { deliveredIssue, listSubscriptions, measuresForDefinition, myDeliveries, openDelivery, receipts, subscribe, unsubscribe } from './subscriptions.service.js';
import { AppError } from '../../errors.js';

const tags = ['reports'];
const IdParams = z.strictObject({ id: Id });
const CodeParams = z.strictObject({ code: z.string().regex(/^[A-Z0-9-]{1,40}$/) });

/**
 * Subscriptions and delivery, read receipts, rankings (销售PK), the report jobs' run history and
 * definition versions (issue 16, decision 0040), under /api/reports. Reading and subscribing
 * oneself need report.read; receipts and new definition versions report.manage held bank-wide;
 * subscribing someone else report.manage over them.
 */
export const reportSubscriptionRoutes: FastifyPluginAsyncZod = async (app) => {
  const db = app.database.db;

  app.get('/subscriptions', { config: { access: 'report.read' }, schema: { tags, summary: '报表订阅 / subscriptions', response: { 200: SubscriptionListOut } } }, async (req) => ({
    items: await listSubscriptions(db, req.auth!),
  }));
  app.post(
    '/subscriptions',
    { config: { access: 'report.read' }, schema: { tags, summary: '订阅报表（可设推送条件）/ subscribe', body: SubscriptionBody, response: { 201: SubscriptionItem } } },
    async (req, reply) => reply.status(201).send(await subscribe(db, req.auth!, req.body, clock.now())),
  );
  app.delete('/subscriptions/:id', { config: { access: 'report.read' }, schema: { tags, summary: '取消订阅 / unsubscribe', params: IdParams } }, async (req, reply) => {
    await unsubscribe(db, req.auth!, req.params.id, clock.now());
    return reply.status(204).send();
  });
  app.get(
    '/deliveries',
    { config: { access: 'report.read' }, schema: { tags, summary: '我收到的报表 / my deliveries', querystring: LimitQuery, response: { 200: DeliveryListOut } } },
    async (req) => ({
      items: await myDeliveries(db, req.auth!, req.query.limit),
    }),
  );
  app.get(
    '/deliveries/:id',
    {
      config: { access: 'report.read' },
      schema: { tags, summary: '打开推送的报表（回执）/ open a delivery', params: IdParams, response: { 200: z.object({ delivery: DeliveryItem, issue: IssueOut }) } },
    },
    async (req) => openDelivery(db, req.auth!, req.params.id, clock.now()),
  );
  app.get('/deliveries/:id/attachment.xlsx', { config: { access: 'report.read' }, schema: { tags, summary: '报表附件（Excel）/ attachment', params: IdParams } }, async (req, reply) => {
    const issue = await deliveredIssue(db, req.auth!, req.params.id, clock.now());
    return sendXlsx(reply, `${issue.nameZh}-${issue.periodKey}-v${issue.version}.xlsx`, await issueWorkbook(issue.periodLabel, issue.data));
  });
  app.get(
    '/issues/:id/receipts',
    { config: { access: 'report.manage' }, schema: { tags, summary: '推送与阅读回执 / receipts', params: IdParams, response: { 200: ReceiptListOut } } },
    async (req) => ({
      items: await receipts(db, req.auth!, req.params.id),
    }),
  );
  app.get(
    '/definitions/:code/measures',
    { config: { access: 'report.read' }, schema: { tags, summary: '报表指标 / measures of a report', params: CodeParams, response: { 200: MeasureListOut } } },
    async (req) => {
      const d = await currentDefinition(db, req.params.code);
      if (!d) throw new AppError('REPORT.NOT_FOUND');
      return { items: measuresForDefinition(d) };
    },
  );
  app.get(
    '/definitions/:code/rankings',
    { config: { access: 'report.read' }, schema: { tags, summary: '排名与PK / rankings', params: CodeParams, querystring: RankingQuery, response: { 200: RankingOut } } },
    async (req) => rankings(db, req.auth!, req.params.code, req.query),
  );
  app.get(
    '/definitions/:code/versions',
    { config: { access: 'report.read' }, schema: { tags, summary: '报表定义各版本 / definition versions', params: CodeParams, response: { 200: DefinitionVersionListOut } } },
    async (req) => ({ items: await definitionVersions(db, req.params.code) }),
  );
  app.post(
    '/definitions/:code/versions',
    {
      config: { access: 'report.manage' },
      schema: { tags, summary: '修改报表定义（新版本）/ new definition version', params: CodeParams, body: DefinitionVersionBody, response: { 201: RerunOut } },
    },
    async (req, reply) => reply.status(201).send(await addDefinitionVersion(db, req.auth!, req.params.code, req.body, clock.now())),
  );
  app.get(
    '/job-runs',
    { config: { access: 'report.read' }, schema: { tags, summary: '报表任务运行记录 / report job runs', querystring: LimitQuery, response: { 200: JobRunListOut } } },
    async (req) => ({
      items: await listJobRuns(db, req.query.limit),
    }),
  );
};
