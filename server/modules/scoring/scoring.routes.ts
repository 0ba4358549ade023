import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { Id } from '../../http/ids.js';
import { z } from 'zod';
import { SplitRuleOut, SplitTraceOut } from './scoring.schemas.js';
import { itemList } from '../../http/lists.js';
import { AppError } from '../../errors.js';
import { assertSplitReader } from './scoring.policy.js';
import { ledgerTrace, saleSplits } from './split.service.js';
import { addSplitRule, listSplitRules } from './split-rules.service.js';

const tags = ['scoring'];

/** 积分规则: the effective-dated split rule, and one sale's split with its ledger trace. */
export const scoringRoutes: FastifyPluginAsyncZod = async (app) => {
  const db = app.database.db;

  app.get('/split-rules', { config: { access: 'settings.read' }, schema: { tags, summary: '部门分成规则（按生效日期）/ split rules', response: { 200: itemList(SplitRuleOut) } } }, async () => ({
    items: await listSplitRules(db),
  }));

  app.post(
    '/split-rules',
    {
      config: { access: 'scoring.configure' },
      schema: {
        tags,
        summary: '新增分成规则（自生效日起适用，须合计100%）/ add a split rule',
        body: z.strictObject({
          /** 2026-11-01 */
          effectiveFrom: z.iso.date(),
          /** 主办部门比例，基点（2000 = 20%） */
          hostBp: z.number().int().min(0).max(10000),
          /** 参与部门合计比例，基点（8000 = 80%） */
          participantsBp: z.number().int().min(0).max(10000),
        }),
        response: { 201: SplitRuleOut },
      },
    },
    async (req, reply) => reply.status(201).send(await addSplitRule(db, req.auth!, req.body)),
  );

  app.get(
    '/sales/:id/split',
    {
      // statement.read over the sale's branch, or a participant of the sale (scoring.policy.ts).
      config: { access: 'authenticated' },
      schema: {
        tags,
        summary: '单笔销售的积分拆分与分录轨迹 / a sale’s split with its ledger trace',
        params: z.strictObject({ id: Id }),
        response: { 200: SplitTraceOut },
      },
    },
    async (req) => {
      const [split] = await saleSplits(db, [req.params.id]);
      if (!split) throw new AppError('SALE.NOT_FOUND');
      await assertSplitReader(db, req.auth!, split);
      return { ...split, entries: await ledgerTrace(db, split.id) };
    },
  );
};
