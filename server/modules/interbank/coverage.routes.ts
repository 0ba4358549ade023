import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { clock } from '../../calendar/index.js';
import { Id } from '../../http/ids.js';
import { sendXlsx } from '../../xlsx/xlsx.js';
import { renderNoticePdf } from '../periods/notice.pdf.js';
import { getSetting } from '../settings/settings.routes.js';
import { briefingLayout, briefingParagraphs, readBriefing } from './briefing.service.js';
import { briefingWorkbook } from './briefing.xlsx.js';
import { addCaliber, addSteps, listCalibers, listSteps } from './caliber.service.js';
import { lastEndedWeek } from './coverage.rules.js';
import {
  AdjustmentBody,
  AdjustmentListOut,
  AdjustmentPreviewOut,
  AdjustmentSavedOut,
  AsOfQuery,
  BriefingOut,
  CaliberBody,
  CaliberListOut,
  CaliberOut,
  CoverageOut,
  PlanBody,
  PlanListOut,
  PlanSetOut,
  RankingsOut,
  RankingsQuery,
  RequirementsBody,
  SnapshotListOut,
  SnapshotListQuery,
  StepsBody,
  StepsListOut,
  StepsOut,
  SubmissionListOut,
  SubmissionOut,
  SubmissionQuery,
  SubmitBody,
  TakeBody,
  WeekParams,
  YearQuery,
} from './coverage.schemas.js';
import { coverageFor } from './coverage.service.js';
import { listAdjustments, listPlans, previewAdjustmentFor, saveAdjustment, setPlan } from './plans.service.js';
import { rankings } from './snapshots.rankings.js';
import { listSnapshots, setRequirements, takeSnapshotOnDemand } from './snapshots.service.js';
import { listSubmissions, submit } from './supervision.service.js';

const tags = ['interbank'];
const IdParams = z.strictObject({ id: Id });

/**
 * 同业合作平台 coverage and the weekly briefing (SPEC §11, issue 14; decision 0034), under
 * /api/interbank: coverage as of any day, weekly snapshots and their briefing (page, PDF, Excel,
 * requirements), rankings with trends, weekly supervision of flagged branches, the assessment
 * caliber, steps, plans and their adjustment. Reading needs interbank.read (a tier-2 branch reads
 * its own lines), a branch's submissions interbank.manage, configuration interbank.configure held
 * at province level or the root (checked in the services).
 */
export const interbankCoverageRoutes: FastifyPluginAsyncZod = async (app) => {
  const db = app.database.db;

  app.get(
    '/coverage',
    { config: { access: 'interbank.read' }, schema: { tags, summary: '签约覆盖率（任意日期）/ coverage as of a day', querystring: AsOfQuery, response: { 200: CoverageOut } } },
    async (req) => coverageFor(db, req.auth!, req.query.asOf ?? clock.today()),
  );

  // ---- weekly snapshots and the briefing (周通报) ----
  app.get(
    '/briefings',
    { config: { access: 'interbank.read' }, schema: { tags, summary: '周快照列表 / weekly snapshots', querystring: SnapshotListQuery, response: { 200: SnapshotListOut } } },
    async (req) => ({
      items: await listSnapshots(db, req.query.limit),
      lastEndedWeek: lastEndedWeek(clock.today()),
    }),
  );
  app.post(
    '/briefings',
    { config: { access: 'interbank.configure' }, schema: { tags, summary: '补生成某周快照 / take a missing past week', body: TakeBody, response: { 201: BriefingOut } } },
    async (req, reply) => {
      await takeSnapshotOnDemand(db, req.auth!, req.body.weekEnd, clock.now());
      const b = await readBriefing(db, req.auth!, req.body.weekEnd);
      return reply.status(201).send({ ...b, paragraphs: briefingParagraphs(b) });
    },
  );
  app.get(
    '/briefings/:weekEnd',
    { config: { access: 'interbank.read' }, schema: { tags, summary: '周通报 / the weekly briefing', params: WeekParams, response: { 200: BriefingOut } } },
    async (req) => {
      const b = await readBriefing(db, req.auth!, req.params.weekEnd);
      return { ...b, paragraphs: briefingParagraphs(b) };
    },
  );
  app.put(
    '/briefings/:weekEnd/requirements',
    {
      config: { access: 'interbank.configure' },
      schema: { tags, summary: '编辑下一步工作要求 / edit next-week requirements', params: WeekParams, body: RequirementsBody, response: { 200: BriefingOut } },
    },
    async (req) => {
      await setRequirements(db, req.auth!, req.params.weekEnd, req.body.requirements, clock.now());
      const b = await readBriefing(db, req.auth!, req.params.weekEnd);
      return { ...b, paragraphs: briefingParagraphs(b) };
    },
  );
  app.get('/briefings/:weekEnd/briefing.pdf', { config: { access: 'interbank.read' }, schema: { tags, summary: '周通报（PDF）/ the briefing as PDF', params: WeekParams } }, async (req, reply) => {
    const b = await readBriefing(db, req.auth!, req.params.weekEnd);
    const pdf = await renderNoticePdf(briefingLayout(b, await getSetting(db, 'bank.name')), { fontPath: app.config.PDF_CJK_FONT, fontFace: app.config.PDF_CJK_FONT_FACE });
    const name = `同业合作平台周通报-${req.params.weekEnd}.pdf`;
    return reply
      .header('content-type', 'application/pdf')
      .header('content-disposition', `attachment; filename="interbank-briefing-${req.params.weekEnd}.pdf"; filename*=UTF-8''${encodeURIComponent(name)}`)
      .send(pdf);
  });
  app.get(
    '/briefings/:weekEnd/briefing.xlsx',
    { config: { access: 'interbank.read' }, schema: { tags, summary: '周通报（Excel）/ the briefing as a workbook', params: WeekParams } },
    async (req, reply) => {
      const b = await readBriefing(db, req.auth!, req.params.weekEnd);
      return sendXlsx(reply, `同业合作平台周通报-${req.params.weekEnd}.xlsx`, await briefingWorkbook(b, await getSetting(db, 'bank.name')));
    },
  );

  app.get(
    '/rankings',
    { config: { access: 'interbank.read' }, schema: { tags, summary: '二级分行排名与趋势 / rankings and trends', querystring: RankingsQuery, response: { 200: RankingsOut } } },
    async (req) => rankings(db, req.auth!, req.query),
  );

  // ---- weekly supervision (督导报送) ----
  app.get(
    '/supervision',
    { config: { access: 'interbank.read' }, schema: { tags, summary: '督导报送情况 / supervision submissions', querystring: SubmissionQuery, response: { 200: SubmissionListOut } } },
    async (req) => listSubmissions(db, req.auth!, req.query, clock.now()),
  );
  app.post(
    '/supervision/:id/submit',
    { config: { access: 'interbank.manage' }, schema: { tags, summary: '报送督导材料 / submit', params: IdParams, body: SubmitBody, response: { 200: SubmissionOut } } },
    async (req) => submit(db, req.auth!, req.params.id, req.body.content, clock.now()),
  );

  // ---- caliber, steps, plans (口径与计划) ----
  app.get('/calibers', { config: { access: 'interbank.read' }, schema: { tags, summary: '考核口径版本 / caliber versions', response: { 200: CaliberListOut } } }, async () => ({
    items: await listCalibers(db),
  }));
  app.post(
    '/calibers',
    { config: { access: 'interbank.configure' }, schema: { tags, summary: '新增考核口径版本 / add a caliber version', body: CaliberBody, response: { 201: CaliberOut } } },
    async (req, reply) => reply.status(201).send(await addCaliber(db, req.auth!, req.body, clock.today(), clock.now())),
  );
  app.get('/steps', { config: { access: 'interbank.read' }, schema: { tags, summary: '无计划分行考核档位 / steps', response: { 200: StepsListOut } } }, async () => ({ items: await listSteps(db) }));
  app.post(
    '/steps',
    { config: { access: 'interbank.configure' }, schema: { tags, summary: '新增考核档位版本 / add a steps version', body: StepsBody, response: { 201: StepsOut } } },
    async (req, reply) => reply.status(201).send(await addSteps(db, req.auth!, req.body, clock.today(), clock.now())),
  );
  app.get('/plans', { config: { access: 'interbank.read' }, schema: { tags, summary: '覆盖计划 / coverage plans', querystring: YearQuery, response: { 200: PlanListOut } } }, async (req) => ({
    items: await listPlans(db, req.query.year, req.query.history === 'true'),
  }));
  app.post('/plans', { config: { access: 'interbank.configure' }, schema: { tags, summary: '下达/调整覆盖计划 / set a plan', body: PlanBody, response: { 200: PlanSetOut } } }, async (req) =>
    setPlan(db, req.auth!, req.body, clock.now()),
  );
  app.get(
    '/plan-adjustments',
    { config: { access: 'interbank.read' }, schema: { tags, summary: '计划调整记录 / plan adjustments', querystring: YearQuery, response: { 200: AdjustmentListOut } } },
    async (req) => ({
      items: await listAdjustments(db, req.query.year),
    }),
  );
  app.post(
    '/plan-adjustments/preview',
    { config: { access: 'interbank.configure' }, schema: { tags, summary: '试算计划调整 / preview an adjustment', body: AdjustmentBody, response: { 200: AdjustmentPreviewOut } } },
    async (req) => previewAdjustmentFor(db, req.auth!, req.body),
  );
  app.post(
    '/plan-adjustments',
    { config: { access: 'interbank.configure' }, schema: { tags, summary: '保存计划调整 / save an adjustment', body: AdjustmentBody, response: { 201: AdjustmentSavedOut } } },
    async (req, reply) => reply.status(201).send(await saveAdjustment(db, req.auth!, req.body, clock.now())),
  );
};
