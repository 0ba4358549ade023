import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { clock } from '../../calendar/index.js';
import { Id } from '../../http/ids.js';
import { qrSheetHeader, renderQrSheet } from '../projects/activities.pdf.js';
import { qrSvg } from '../projects/qr.js';
import { publicSurvey, submitSurvey } from './surveys.public.js';
import { ActivitySurveyOut, IssueOut, PublicSurveyOut, SubmitBody, SubmitOut, TokenParams } from './surveys.schemas.js';
import { activitySurvey, issueTokens, surveySheet } from './surveys.service.js';

const tags = ['surveys'];
const IdParams = z.strictObject({ id: Id });
const origin = (req: { protocol: string; host: string }) => `${req.protocol}://${req.host}`;

/**
 * Per phone (IP) and per token: a salon's 500 phones may share one Wi-Fi address, so the address
 * gets room for them; one link gets a handful of tries (decision 0030).
 */
export const SURVEY_LIMITS = { perIpPerMinute: 1200, perTokenPerMinute: 20 } as const;

/** 金融需求调查表 on a phone, without login: read the questions, send the answers once. */
export const surveyPublicRoutes: FastifyPluginAsyncZod = async (app) => {
  const db = app.database.db;
  const perToken = app.rateLimit({
    max: SURVEY_LIMITS.perTokenPerMinute,
    timeWindow: '1 minute',
    keyGenerator: (req) => `survey:${(req.params as { token?: string }).token ?? ''}`,
  });
  const perIp = { max: SURVEY_LIMITS.perIpPerMinute, timeWindow: '1 minute' };

  app.get(
    '/:token',
    {
      config: { access: 'public', rateLimit: perIp },
      preHandler: perToken,
      schema: { tags, summary: '打开金融需求调查表 / open the needs survey', params: TokenParams, response: { 200: PublicSurveyOut } },
    },
    async (req) => publicSurvey(db, req.params.token, clock.now()),
  );
  app.post(
    '/:token',
    {
      config: { access: 'public', rateLimit: perIp },
      preHandler: perToken,
      schema: { tags, summary: '提交金融需求调查表 / answer the needs survey', params: TokenParams, body: SubmitBody, response: { 200: SubmitOut } },
    },
    async (req) => submitSurvey(db, req.params.token, req.body, clock.now()),
  );
};

/** The team's side: issue the codes, follow who answered, print the sheet. */
export const surveyRoutes: FastifyPluginAsyncZod = async (app) => {
  const db = app.database.db;
  app.get(
    '/activities/:id',
    { config: { access: 'project.read' }, schema: { tags, summary: '活动的问卷情况 / an event’s survey', params: IdParams, response: { 200: ActivitySurveyOut } } },
    async (req) => activitySurvey(db, req.auth!, req.params.id, clock.now()),
  );
  app.post(
    '/activities/:id/tokens',
    { config: { access: 'project.work' }, schema: { tags, summary: '生成问卷二维码 / issue survey codes', params: IdParams, response: { 200: IssueOut } } },
    async (req) => issueTokens(db, req.auth!, req.params.id, clock.now()),
  );
  app.get('/activities/:id/generic.svg', { config: { access: 'project.work' }, schema: { tags, summary: '现场问卷二维码 / the walk-in code', params: IdParams } }, async (req, reply) => {
    const s = await surveySheet(db, req.auth!, req.params.id, clock.now());
    const url = s.generic ? `${origin(req)}${s.generic}` : '';
    return reply
      .header('content-type', 'image/svg+xml')
      .header('cache-control', 'private, no-store')
      .send(qrSvg(url || `${origin(req)}/`, 240));
  });
  app.get('/activities/:id/qr-sheet.pdf', { config: { access: 'project.work' }, schema: { tags, summary: '问卷二维码打印页（PDF）/ the survey QR sheet', params: IdParams } }, async (req, reply) => {
    const s = await surveySheet(db, req.auth!, req.params.id, clock.now());
    const head = qrSheetHeader(s.activity, s.project);
    const pdf = await renderQrSheet(
      {
        title: head.title.replace('签到二维码', '金融需求调查表'),
        subtitle: head.subtitle,
        codes: s.people.map((p) => ({ label: p.name, note: p.title, url: `${origin(req)}${p.path}` })),
        generic: s.generic ? { label: '现场来宾请扫此码填写（需填写姓名和手机号）', url: `${origin(req)}${s.generic}` } : null,
      },
      { fontPath: app.config.PDF_CJK_FONT, fontFace: app.config.PDF_CJK_FONT_FACE },
    );
    const name = `${s.activity.title}-金融需求调查表.pdf`;
    return reply
      .header('content-type', 'application/pdf')
      .header('content-disposition', `attachment; filename="activity-${req.params.id}-survey.pdf"; filename*=UTF-8''${encodeURIComponent(name)}`)
      .send(pdf);
  });
};
