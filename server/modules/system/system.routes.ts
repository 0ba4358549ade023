import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';

/** Health and the OpenAPI document. */
export const systemRoutes: FastifyPluginAsyncZod = async (app) => {
  const pool = z.object({ max: z.number(), open: z.number(), idle: z.number(), waiting: z.number() });
  app.get(
    '/health',
    {
      config: { access: 'public' },
      schema: {
        tags: ['system'],
        summary: '健康检查 / health and database reachability (last background probe, no pool connection)',
        response: {
          200: z.object({
            status: z.literal('ok'),
            database: z.object({ kind: z.enum(['pglite', 'pg']), reachable: z.literal(true), latencyMs: z.number().nullable(), checkedAt: z.string().nullable() }),
            pool,
          }),
          503: z.object({
            status: z.literal('degraded'),
            database: z.object({ kind: z.enum(['pglite', 'pg']), reachable: z.literal(false), error: z.string(), checkedAt: z.string().nullable() }),
            pool,
          }),
        },
      },
    },
    // Answered from memory (db/health.ts): while every connection is taken, health still answers
    // and says so (pool.waiting), instead of queueing behind the requests it should report on.
    async (_req, reply) => {
      const last = app.health.last();
      const kind = app.database.kind;
      if (last.reachable) return { status: 'ok' as const, database: { kind, reachable: true as const, latencyMs: last.latencyMs, checkedAt: last.checkedAt }, pool: app.health.pool() };
      return reply.status(503).send({ status: 'degraded' as const, database: { kind, reachable: false as const, error: last.error ?? 'unknown', checkedAt: last.checkedAt }, pool: app.health.pool() });
    },
  );

  app.get('/openapi.json', { config: { access: 'public' }, schema: { hide: true } }, async () => app.swagger());
};
