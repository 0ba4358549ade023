import { sql } from 'drizzle-orm';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';

/** Health and the OpenAPI document. */
export const systemRoutes: FastifyPluginAsyncZod = async (app) => {
  app.get(
    '/health',
    {
      config: { access: 'public' },
      schema: {
        tags: ['system'],
        summary: '健康检查 / health and database reachability',
        response: {
          200: z.object({ status: z.literal('ok'), database: z.object({ kind: z.enum(['pglite', 'pg']), reachable: z.literal(true), latencyMs: z.number() }) }),
          503: z.object({ status: z.literal('degraded'), database: z.object({ kind: z.enum(['pglite', 'pg']), reachable: z.literal(false), error: z.string() }) }),
        },
      },
    },
    async (_req, reply) => {
      const t0 = performance.now();
      try {
        await app.database.db.execute(sql`SELECT 1`);
        return { status: 'ok' as const, database: { kind: app.database.kind, reachable: true as const, latencyMs: Math.round((performance.now() - t0) * 10) / 10 } };
      } catch (e) {
        return reply.status(503).send({ status: 'degraded' as const, database: { kind: app.database.kind, reachable: false as const, error: (e as Error).message } });
      }
    },
  );

  app.get('/openapi.json', { config: { access: 'public' }, schema: { hide: true } }, async () => app.swagger());
};
