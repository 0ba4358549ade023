import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { AppError } from '../../errors.js';
import type { AuthContext } from '../access/context.js';
import { actorOf } from '../products/products.service.js';
import { getSetting } from '../settings/settings.routes.js';
import { DeptDrillParams, DrillOut, PersonDrillParams } from '../statements/statement.schemas.js';
import { draftStatement, drillDown, monthPeriod, statementNode } from '../statements/statement.service.js';
import { scopedStatementNode } from '../statements/statements.policy.js';
import { currentVersion, noticeLayout, renderNoticePdf } from './notice.pdf.js';
import { listNoticeVersions } from './notice.versions.js';
import { guardLocked } from '../../db/period-lock.js';
import { assertCanReadNotice, callerBranchPath, readerScopePaths } from './periods.policy.js';
import { type PeriodAction, TRANSITIONS } from './periods.rules.js';
import { NoticeListOut, NoticeListQuery, NoticeOut, PeriodListOut, PeriodListQuery, PeriodOut, PeriodParams } from './periods.schemas.js';
import { findPeriod, listNotices, listPeriods, noticeAnchor, periodView, transitionPeriod } from './periods.service.js';
import { clock } from '../../calendar/index.js';

const tags = ['periods'];
const iso = (v: string | Date | null) => (v === null ? null : new Date(v).toISOString());

/** 月度积分的生命周期 (SPEC §9): state, the four steps, and the public notice (公示) with its PDF. */
export const periodRoutes: FastifyPluginAsyncZod = async (app) => {
  const db = app.database.db;

  app.get(
    '/',
    { config: { access: 'statement.read' }, schema: { tags, summary: '各分行某月状态 / the month’s state per branch in scope', querystring: PeriodListQuery, response: { 200: PeriodListOut } } },
    async (req) => {
      const list = await listPeriods(db, readerScopePaths(req.auth!), req.query.month, req.query.nodeId);
      return {
        items: list.map((r) => ({
          nodeId: r.node_id,
          nodeCode: r.code,
          nodeName: r.name,
          level: r.level,
          month: req.query.month,
          state: r.state ?? 'draft',
          publishedAt: iso(r.published_at),
          windowClosesAt: iso(r.window_closes_at),
          lockedAt: iso(r.locked_at),
          openObjections: Number(r.open_objections),
        })),
      };
    },
  );

  app.get(
    '/notices',
    { config: { access: 'authenticated' }, schema: { tags, summary: '我可查看的积分公示 / published notices I may read', querystring: NoticeListQuery, response: { 200: NoticeListOut } } },
    async (req) => {
      const now = clock.now();
      const list = await listNotices(db, { ownBranchPath: await callerBranchPath(db, req.auth!), scope: readerScopePaths(req.auth!), limit: req.query.limit });
      return {
        items: list.map((r) => {
          const closes = new Date(r.window_closes_at);
          return {
            nodeId: r.node_id,
            nodeCode: r.code,
            nodeName: r.name,
            month: r.period.slice(0, 7),
            state: r.state,
            publishedAt: new Date(r.published_at).toISOString(),
            windowClosesAt: closes.toISOString(),
            windowOpen: r.state === 'published' && now.getTime() <= closes.getTime(),
          };
        }),
      };
    },
  );

  app.get(
    '/:nodeId/:month',
    { config: { access: 'authenticated' }, schema: { tags, summary: '某分行某月的状态 / a branch’s month', params: PeriodParams, response: { 200: PeriodOut } } },
    async (req) => {
      const node = await statementNode(db, req.params.nodeId);
      await assertCanReadNotice(db, req.auth!, node);
      const row = await findPeriod(db, node.id, monthPeriod(req.params.month));
      return periodView(db, req.auth, node, row, clock.now(), { jobsEnabled: app.config.JOBS_ENABLED });
    },
  );

  const step = (action: PeriodAction, summary: string) =>
    app.post(`/:nodeId/:month/${action}`, { config: { access: TRANSITIONS[action].permission }, schema: { tags, summary, params: PeriodParams, response: { 200: PeriodOut } } }, async (req) => {
      const node = await scopedStatementNode(db, req.auth!, TRANSITIONS[action].permission, req.params.nodeId);
      monthPeriod(req.params.month);
      const now = clock.now();
      const row = await guardLocked(() => transitionPeriod(db, actorOf(req.auth!), node, req.params.month, action, now));
      return periodView(db, req.auth, node, row, now, { jobsEnabled: app.config.JOBS_ENABLED });
    });
  step('publish', '公示（委员会办公室）/ publish the month (committee office)');
  step('submit', '提交委员会（公示期结束后）/ submit to the committee after the window');
  step('audit', '完成月度审核（内控合规部）/ complete the audit (compliance)');
  step('approve', '委员会审批并锁定 / approve and lock (committee chair)');

  /** The published statement, read by the branch's staff and those with scope over it. */
  async function publishedNotice(auth: AuthContext, params: { nodeId: number; month: string }) {
    const node = await statementNode(db, params.nodeId);
    await assertCanReadNotice(db, auth, node);
    const row = await findPeriod(db, node.id, monthPeriod(params.month));
    if (row.state === 'draft') throw new AppError('PERIOD.NOT_PUBLISHED');
    const [statement, bankName, versions] = await Promise.all([draftStatement(db, node, params.month), getSetting(db, 'bank.name'), listNoticeVersions(db, row)]);
    return { node, row, statement, bankName, versions };
  }

  app.get(
    '/:nodeId/:month/notice',
    { config: { access: 'authenticated' }, schema: { tags, summary: '积分统计结果公示 / the public notice', params: PeriodParams, response: { 200: NoticeOut } } },
    async (req) => {
      const { node, row, statement, bankName, versions } = await publishedNotice(req.auth!, req.params);
      const current = currentVersion({ versions, publishedAt: row.publishedAt });
      return {
        bankName,
        period: await periodView(db, req.auth, node, row, clock.now(), { jobsEnabled: app.config.JOBS_ENABLED }),
        statement,
        version: current.number,
        versionDate: current.date,
        versions,
      };
    },
  );

  /**
   * The notice's line detail (SPEC §9: roles, contributions and split ratios of every sale) for
   * everyone who may read the notice — not only statement.read holders. The splits carry no
   * client data.
   */
  async function publishedDrill(auth: AuthContext, params: { nodeId: number; month: string }, who: { departmentId: number } | { staffId: number }) {
    const node = await statementNode(db, params.nodeId);
    await assertCanReadNotice(db, auth, node);
    const row = await findPeriod(db, node.id, monthPeriod(params.month));
    if (row.state === 'draft') throw new AppError('PERIOD.NOT_PUBLISHED');
    return { items: await drillDown(db, node, params.month, who) };
  }

  app.get(
    '/:nodeId/:month/notice/departments/:departmentId',
    { config: { access: 'authenticated' }, schema: { tags, summary: '公示：部门逐笔明细 / the notice: a department’s sales with their splits', params: DeptDrillParams, response: { 200: DrillOut } } },
    async (req) => publishedDrill(req.auth!, req.params, { departmentId: req.params.departmentId }),
  );

  app.get(
    '/:nodeId/:month/notice/people/:staffId',
    { config: { access: 'authenticated' }, schema: { tags, summary: '公示：个人逐笔明细 / the notice: a person’s sales with their splits', params: PersonDrillParams, response: { 200: DrillOut } } },
    async (req) => publishedDrill(req.auth!, req.params, { staffId: req.params.staffId }),
  );

  app.get('/:nodeId/:month/notice.pdf', { config: { access: 'authenticated' }, schema: { tags, summary: '公示（PDF）/ the public notice as PDF', params: PeriodParams } }, async (req, reply) => {
    const { node, row, statement, bankName, versions } = await publishedNotice(req.auth!, req.params);
    const layout = noticeLayout({ bankName, statement, publishedAt: row.publishedAt, windowClosesAt: row.windowClosesAt, auditHead: await noticeAnchor(db, row), versions });
    const pdf = await renderNoticePdf(layout, { fontPath: app.config.PDF_CJK_FONT, fontFace: app.config.PDF_CJK_FONT_FACE });
    const name = `${node.name}交叉营销积分公示-${req.params.month}.pdf`;
    return reply
      .header('content-type', 'application/pdf')
      .header('content-disposition', `attachment; filename="notice-${node.code}-${req.params.month}.pdf"; filename*=UTF-8''${encodeURIComponent(name)}`)
      .send(pdf);
  });
};
