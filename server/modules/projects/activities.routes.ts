import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { clock } from '../../calendar/index.js';
import { Id } from '../../http/ids.js';
import { sendXlsx } from '../../xlsx/xlsx.js';
import { attendeesWorkbook } from './activities.xlsx.js';
import { AppError } from '../../errors.js';
import { activityDetail, attendeeRows, checkIn, invite, qrSheet, setRsvp, updateActivity } from './activities.service.js';
import { qrSheetHeader, renderQrSheet } from './activities.pdf.js';
import { ActivityDetailOut, ActivityOut, CheckInOut, InviteBody, RsvpBody, ActivityPatch } from './projects.schemas.js';
import { qrSvg } from './qr.js';

const tags = ['projects'];
const IdParams = z.strictObject({ id: Id });
const InviteeParams = z.strictObject({ id: Id, inviteeId: Id });
const CodeParams = z.strictObject({ code: z.string().regex(/^[A-Za-z0-9_-]{16,64}$/) });

/** 营销活动: the event page, invitations, RSVP, check-in (QR or by hand), the QR sheet and the attendee list. */
export const activityRoutes: FastifyPluginAsyncZod = async (app) => {
  const db = app.database.db;
  const origin = (req: { protocol: string; host: string }) => `${req.protocol}://${req.host}`;

  app.get(
    '/activities/:id',
    { config: { access: 'project.read' }, schema: { tags, summary: '活动详情与受邀人 / an event and its invitees', params: IdParams, response: { 200: ActivityDetailOut } } },
    async (req) => activityDetail(db, req.auth!, req.params.id),
  );
  app.patch(
    '/activities/:id',
    { config: { access: 'project.work' }, schema: { tags, summary: '记录活动结果 / record status and outcome', params: IdParams, body: ActivityPatch, response: { 200: ActivityOut } } },
    async (req) => updateActivity(db, req.auth!, req.params.id, req.body),
  );
  app.post(
    '/activities/:id/invitees',
    {
      config: { access: 'project.work' },
      schema: { tags, summary: '邀请单位员工 / invite the unit’s people', params: IdParams, body: InviteBody, response: { 200: z.object({ invited: z.number(), already: z.number() }) } },
    },
    async (req) => invite(db, req.auth!, req.params.id, req.body, clock.now()),
  );
  app.put(
    '/activities/:id/invitees/:inviteeId/rsvp',
    {
      config: { access: 'project.work' },
      schema: { tags, summary: '登记回复 / record an RSVP', params: InviteeParams, body: RsvpBody, response: { 200: z.object({ id: z.number(), rsvp: RsvpBody.shape.rsvp }) } },
    },
    async (req) => setRsvp(db, req.auth!, req.params.id, req.params.inviteeId, req.body.rsvp),
  );
  app.post(
    '/activities/:id/invitees/:inviteeId/checkin',
    { config: { access: 'project.work' }, schema: { tags, summary: '手工签到 / check in by hand', params: InviteeParams, response: { 200: CheckInOut } } },
    async (req) => checkIn(db, req.auth!, { activityId: req.params.id, inviteeId: req.params.inviteeId }, clock.now()),
  );
  app.post(
    '/checkin/:code',
    { config: { access: 'project.work' }, schema: { tags, summary: '扫码签到 / check in by the invitation’s QR code', params: CodeParams, response: { 200: CheckInOut } } },
    async (req) => checkIn(db, req.auth!, { code: req.params.code }, clock.now()),
  );
  app.get(
    '/activities/:id/invitees/:inviteeId/qr.svg',
    { config: { access: 'project.work' }, schema: { tags, summary: '受邀人签到二维码 / an invitee’s QR code', params: InviteeParams } },
    async (req, reply) => {
      const sheet = await qrSheet(db, req.auth!, req.params.id);
      const d = await activityDetail(db, req.auth!, req.params.id);
      const v = d.invitees.find((x) => x.id === req.params.inviteeId);
      if (!v?.checkinPath || !sheet) throw new AppError('ACTIVITY.NOT_INVITED');
      return reply
        .header('content-type', 'image/svg+xml')
        .header('cache-control', 'private, no-store')
        .send(qrSvg(`${origin(req)}${v.checkinPath}`, 240));
    },
  );
  app.get('/activities/:id/qr-sheet.pdf', { config: { access: 'project.work' }, schema: { tags, summary: '签到二维码打印页（PDF）/ the QR sheet', params: IdParams } }, async (req, reply) => {
    const s = await qrSheet(db, req.auth!, req.params.id);
    const head = qrSheetHeader(s.activity, s.project);
    const pdf = await renderQrSheet(
      { ...head, codes: s.people.map((p) => ({ label: p.name, note: p.title, url: `${origin(req)}${p.path}` })) },
      { fontPath: app.config.PDF_CJK_FONT, fontFace: app.config.PDF_CJK_FONT_FACE },
    );
    const name = `${s.activity.title}-签到二维码.pdf`;
    return reply
      .header('content-type', 'application/pdf')
      .header('content-disposition', `attachment; filename="activity-${req.params.id}-qr.pdf"; filename*=UTF-8''${encodeURIComponent(name)}`)
      .send(pdf);
  });
  app.get('/activities/:id/attendees.xlsx', { config: { access: 'project.read' }, schema: { tags, summary: '导出参会名单 / export attendees', params: IdParams } }, async (req, reply) => {
    const { activity, rows } = await attendeeRows(db, req.auth!, req.params.id);
    const buf = await attendeesWorkbook(rows);
    return sendXlsx(reply, `${activity.title}-参会名单.xlsx`, buf);
  });
};
