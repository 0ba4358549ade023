import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { Id } from '../../http/ids.js';
import { addIndicatorVersion, listIndicators, listRuns, receiveFeed, runDay, setEscalationSteps } from './config.service.js';
import {
  CloseBody,
  CoverageOut,
  CoverageQuery,
  FeedBody,
  FeedOut,
  IndicatorBody,
  IndicatorListOut,
  IndicatorOut,
  IndicatorParams,
  IndicatorQuery,
  NoteBody,
  RunBody,
  RunListOut,
  RunOut,
  SourcesOut,
  StatusOut,
  StatusQuery,
  StepsBody,
  StepsOut,
  VisitBody,
  WarningListOut,
  WarningOut,
  WarningQuery,
} from './warnings.schemas.js';
import { SOURCES } from './warnings.rules.js';
import { act, escalationSteps, handlingStatus, listWarnings, productCoverage, warningDetail } from './warnings.service.js';

const tags = ['warnings'];
const IdParams = z.strictObject({ id: Id });

/**
 * 贷后监测预警 (SPEC §12, seed 002): the AM's warnings and their handling (read: warning.read;
 * acting: warning.handle, on a warning one received or whose client is in scope), the leaders'
 * handling status and product coverage, and the configuration (warning.configure, bank-wide):
 * indicator versions, escalation steps, the daily feed by API, evaluation runs.
 */
export const warningsRoutes: FastifyPluginAsyncZod = async (app) => {
  const db = app.database.db;
  const R = { config: { access: 'warning.read' as const } };
  const H = { config: { access: 'warning.handle' as const } };
  const C = { config: { access: 'warning.configure' as const } };

  app.get('/', { ...R, schema: { tags, summary: '预警列表 / warnings', querystring: WarningQuery, response: { 200: WarningListOut } } }, async (req) => listWarnings(db, req.auth!, req.query));
  app.get('/status', { ...R, schema: { tags, summary: '预警处理情况 / handling status', querystring: StatusQuery, response: { 200: StatusOut } } }, async (req) =>
    handlingStatus(db, req.auth!, req.query.by),
  );
  app.get('/coverage', { ...R, schema: { tags, summary: '有贷户综合产品营销情况 / product holdings of loan clients', querystring: CoverageQuery, response: { 200: CoverageOut } } }, async (req) =>
    productCoverage(db, req.auth!, req.query),
  );
  app.get('/indicators', { ...R, schema: { tags, summary: '预警指标 / indicators', querystring: IndicatorQuery, response: { 200: IndicatorListOut } } }, async (req) =>
    listIndicators(db, req.query.history ?? false),
  );
  app.post(
    '/indicators/:code/versions',
    { ...C, schema: { tags, summary: '指标新版本 / new indicator version', params: IndicatorParams, body: IndicatorBody, response: { 201: IndicatorOut } } },
    async (req, reply) => reply.status(201).send(await addIndicatorVersion(db, req.auth!, req.params.code, req.body)),
  );
  app.get('/sources', { ...R, schema: { tags, summary: '数据项 / data items', response: { 200: SourcesOut } } }, async () => ({
    items: Object.entries(SOURCES).map(([code, s]) => ({ code, ...s })),
  }));
  app.get('/escalation', { ...R, schema: { tags, summary: '升级规则 / escalation steps', response: { 200: StepsOut } } }, async () => ({ items: await escalationSteps(db) }));
  app.put('/escalation', { ...C, schema: { tags, summary: '设置升级规则 / set escalation steps', body: StepsBody, response: { 200: StepsOut } } }, async (req) =>
    setEscalationSteps(db, req.auth!, req.body.items),
  );
  app.post('/feed', { ...C, schema: { tags, summary: '报送监测数据 / send a day of feed data', body: FeedBody, response: { 200: FeedOut } } }, async (req) =>
    receiveFeed(db, req.auth!, req.body.day, req.body.items),
  );
  app.get('/runs', { ...R, schema: { tags, summary: '计算记录 / evaluation runs', response: { 200: RunListOut } } }, async () => listRuns(db));
  app.post('/runs', { ...C, schema: { tags, summary: '计算某日预警 / evaluate a day', body: RunBody, response: { 201: RunOut } } }, async (req, reply) =>
    reply.status(201).send(await runDay(db, req.auth!, req.body.day)),
  );

  app.get('/:id', { ...R, schema: { tags, summary: '预警详情 / a warning explained', params: IdParams, response: { 200: WarningOut } } }, async (req) => warningDetail(db, req.auth!, req.params.id));
  app.post('/:id/acknowledge', { ...H, schema: { tags, summary: '确认预警 / acknowledge', params: IdParams, body: NoteBody, response: { 200: WarningOut } } }, async (req) =>
    act(db, req.auth!, req.params.id, 'acknowledge', req.body),
  );
  app.post('/:id/visits', { ...H, schema: { tags, summary: '记录走访核实 / record a visit', params: IdParams, body: VisitBody, response: { 200: WarningOut } } }, async (req) =>
    act(db, req.auth!, req.params.id, 'visit', req.body),
  );
  app.post('/:id/close', { ...H, schema: { tags, summary: '办结预警 / close', params: IdParams, body: CloseBody, response: { 200: WarningOut } } }, async (req) =>
    act(db, req.auth!, req.params.id, 'close', req.body),
  );
  app.post('/:id/escalate', { ...H, schema: { tags, summary: '上报预警 / escalate', params: IdParams, body: NoteBody, response: { 200: WarningOut } } }, async (req) =>
    act(db, req.auth!, req.params.id, 'escalate', req.body),
  );
};
