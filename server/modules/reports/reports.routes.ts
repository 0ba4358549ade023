import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { clock } from '../../calendar/index.js';
import { Id } from '../../http/ids.js';
import { CatalogueOut, CodeParams, IssueListOut, IssueListQuery, IssueOut, RerunBody, RerunOut } from './reports.schemas.js';
import { deliverPending } from './delivery.js';
import { catalogue, getIssue, listIssues, rerun } from './reports.service.js';

const tags = ['reports'];
const IdParams = z.strictObject({ id: Id });

/**
 * 报表与通报 (SPEC §13, issue 16): the catalogue with each report's latest issue and its timeliness,
 * a report's issues, one issue (its lines filtered to the reader's subtree) and re-running an
 * issue as a new version with a reason. Reading needs report.read; re-running report.manage held
 * at province level or the root.
 */
export const reportsRoutes: FastifyPluginAsyncZod = async (app) => {
  const db = app.database.db;

  app.get('/catalogue', { config: { access: 'report.read' }, schema: { tags, summary: '通报体系目录（含最近一期）/ report catalogue', response: { 200: CatalogueOut } } }, async () => ({
    items: await catalogue(db, clock.now()),
  }));
  app.get(
    '/definitions/:code/issues',
    { config: { access: 'report.read' }, schema: { tags, summary: '某报表的各期 / issues of a report', params: CodeParams, querystring: IssueListQuery, response: { 200: IssueListOut } } },
    async (req) => ({ items: await listIssues(db, req.params.code, req.query.limit, clock.now()) }),
  );
  app.get('/issues/:id', { config: { access: 'report.read' }, schema: { tags, summary: '一期报表（按本机构范围）/ one issue', params: IdParams, response: { 200: IssueOut } } }, async (req) =>
    getIssue(db, req.auth!, req.params.id, clock.now()),
  );
  app.post(
    '/issues/:id/rerun',
    { config: { access: 'report.manage' }, schema: { tags, summary: '重新生成（新版本，须说明原因）/ re-run as a new version', params: IdParams, body: RerunBody, response: { 201: RerunOut } } },
    async (req, reply) => {
      const made = await rerun(db, req.auth!, req.params.id, req.body.reason, clock.now());
      // The new version goes to the report's subscribers now (the job's delivery pass retries a failure).
      await deliverPending(db, clock.now(), made.id);
      return reply.status(201).send(made);
    },
  );
};
