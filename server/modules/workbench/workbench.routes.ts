import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { WorkbenchOut } from './workbench.schemas.js';
import { workbench } from './workbench.service.js';

const tags = ['workbench'];

/** 首页 workbench: the signed-in person's own points, sales, ranks, quotas, objections and to-dos. */
export const workbenchRoutes: FastifyPluginAsyncZod = async (app) => {
  const db = app.database.db;

  app.get(
    '/',
    {
      // Everyone's own figures; each to-do is counted inside the scope of the permission it needs.
      config: { access: 'authenticated' },
      schema: {
        tags,
        summary: '我的工作台：本月/本年积分、本月销售、排名、任务完成、我的异议、待办 / my workbench',
        response: { 200: WorkbenchOut },
      },
    },
    async (req) => workbench(db, req.auth!),
  );
};
