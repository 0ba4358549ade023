import { PassThrough } from 'node:stream';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { beijingTime, clock } from '../../calendar/index.js';
import { XLSX_MIME } from '../../xlsx/xlsx.js';
import { renderNoticePdf } from '../periods/notice.pdf.js';
import { getSetting } from '../settings/settings.routes.js';
import { IdParams, IssueTableOut } from './drilldown.schemas.js';
import { issueLayout } from './export.pdf.js';
import { exportIssue, exportSheets, scopeName } from './export.service.js';
import { streamWorkbook } from './export.xlsx.js';

const tags = ['reports'];
const disposition = (ascii: string, zh: string) => `attachment; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(zh)}`;

/**
 * 导出 (issue 16 part B): an issue as a table (the console's generic view), as Excel streamed row by
 * row (the figures, and for sales and points the period's ledger detail), and as a print PDF. All
 * filtered to the reader's subtree, like reading the issue. report.read.
 */
export const exportRoutes: FastifyPluginAsyncZod = async (app) => {
  const db = app.database.db;

  app.get(
    '/issues/:id/table',
    { config: { access: 'report.read' }, schema: { tags, summary: '一期报表（表格）/ an issue as a table', params: IdParams, response: { 200: IssueTableOut } } },
    async (req) => {
      const e = await exportIssue(db, req.auth!, req.params.id, clock.now());
      return { id: e.issue.id, periodFrom: e.issue.periodFrom, periodTo: e.issue.periodTo, table: e.table, drillable: e.table?.view === 'sales' || e.table?.view === 'points' };
    },
  );

  app.get('/issues/:id/export.xlsx', { config: { access: 'report.read' }, schema: { tags, summary: '导出Excel / export as Excel', params: IdParams } }, async (req, reply) => {
    const now = clock.now();
    const e = await exportIssue(db, req.auth!, req.params.id, now);
    const caption = [`${e.issue.nameZh}（${e.issue.periodLabel}，第 ${e.issue.version} 版）`, `范围：${await scopeName(db, req.auth!)}  导出时间：${beijingTime(now)}`];
    const out = new PassThrough();
    // Written as the client reads; an error mid-way ends the stream (the client sees a broken file, never a partial one as whole).
    streamWorkbook(out, exportSheets(db, req.auth!, e, caption)).catch((err: unknown) => out.destroy(err instanceof Error ? err : new Error(String(err))));
    return reply
      .header('content-type', XLSX_MIME)
      .header('content-disposition', disposition(`report-${e.issue.code}-${e.issue.periodKey}.xlsx`, `${e.issue.nameZh}-${e.issue.periodLabel}.xlsx`))
      .header('cache-control', 'no-store')
      .send(out);
  });

  app.get('/issues/:id/export.pdf', { config: { access: 'report.read' }, schema: { tags, summary: '导出PDF（打印版）/ export as PDF', params: IdParams } }, async (req, reply) => {
    const now = clock.now();
    const e = await exportIssue(db, req.auth!, req.params.id, now);
    const layout = issueLayout(
      {
        bankName: await getSetting(db, 'bank.name'),
        nameZh: e.issue.nameZh,
        periodLabel: e.issue.periodLabel,
        periodFrom: e.issue.periodFrom,
        periodTo: e.issue.periodTo,
        version: e.issue.version,
        producedAt: e.issue.producedAt,
        reason: e.issue.reason,
        scopeName: await scopeName(db, req.auth!),
        table: e.table,
        waitingOn: e.issue.status === 'waiting_feed' ? e.issue.waitingOn : null,
      },
      now,
    );
    const pdf = await renderNoticePdf(layout, { fontPath: app.config.PDF_CJK_FONT, fontFace: app.config.PDF_CJK_FONT_FACE });
    return reply
      .header('content-type', 'application/pdf')
      .header('content-disposition', disposition(`report-${e.issue.code}-${e.issue.periodKey}.pdf`, `${e.issue.nameZh}-${e.issue.periodLabel}.pdf`))
      .send(pdf);
  });
};
