import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { installationState } from './installation.js';
import { SetupBody, SetupResult, SetupState } from './setup.schemas.js';
import { setUpBank } from './setup.service.js';

/**
 * The first run from the console (issue 18): whether the database is installed (and whether it is
 * the demo bank), and the setup itself — open only while no user exists, 409 SETUP.ALREADY_DONE
 * afterwards, rate-limited per address. `npm run cli -- init` is the same service.
 */
export const setupRoutes: FastifyPluginAsyncZod = async (app) => {
  const db = app.database.db;
  app.get('/', { config: { access: 'public' }, schema: { tags: ['setup'], summary: '是否已初始化 / installed? demo bank?', response: { 200: SetupState } } }, async () => installationState(db));
  app.post(
    '/',
    {
      config: { access: 'public', rateLimit: { max: 5, timeWindow: '1 minute' } },
      schema: {
        tags: ['setup'],
        summary: '首次初始化：建立根机构和第一位系统管理员 / first run: the root node and the first administrator (only while no user exists)',
        body: SetupBody,
        response: { 201: SetupResult },
      },
    },
    async (req, reply) => {
      const result = await setUpBank(db, req.body, 'console');
      return reply.status(201).send(result);
    },
  );
};
