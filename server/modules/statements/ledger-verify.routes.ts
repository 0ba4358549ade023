import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { Id } from '../../http/ids.js';
import { LedgerReportOut } from '../audit/audit.schemas.js';
import { verifyLedger } from '../scoring/ledger.verify.js';
import { monthPeriod } from './statement.service.js';
import { scopedStatementNode } from './statements.policy.js';

/**
 * GET /api/audit/ledger: the auditor's read-only check of a branch month's points ledger. It sits
 * under the audit URL (who may call it is `audit.read`) but lives here, beside the statements it
 * reads, so the audit module, which every module writes to, imports no scoring or statements.
 */
const tags = ['audit'];

const LedgerQuery = z.strictObject({
  nodeId: Id,
  month: z.string().regex(/^\d{4}-\d{2}$/, '月份格式应为 2026-10'),
});

export const ledgerVerifyRoutes: FastifyPluginAsyncZod = async (app) => {
  const db = app.database.db;

  app.get(
    '/ledger',
    {
      config: { access: 'audit.read' },
      schema: {
        tags,
        summary: '核对积分台账（只读）/ verify a branch month’s points ledger against a fresh allocation and its totals (read only)',
        querystring: LedgerQuery,
        response: { 200: LedgerReportOut },
      },
    },
    async (req) => {
      const node = await scopedStatementNode(db, req.auth!, 'audit.read', req.query.nodeId);
      return verifyLedger(db, { nodeId: node.id, period: monthPeriod(req.query.month) });
    },
  );
};
