import { randomUUID } from 'node:crypto';
import { createWriteStream, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { PassThrough, type Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { dumpPglite } from '../../ops/backup.js';
import { AppError, messageOf } from '../../errors.js';
import { operationOf, runOperation } from './admin.operations.js';
import { encodeWire } from './wire.js';

const tags = ['admin'];

/** One line of an operation's NDJSON answer. */
export type OperationEvent =
  { log: string } | { progress: { phase: string; processedRows: number; totalRows: number } } | { result: unknown } | { error: { code: string; zh: string; en: string; details?: unknown } };

export function errorEvent(e: unknown): OperationEvent {
  if (e instanceof AppError) return { error: { code: e.code, zh: messageOf(e.code, 'zh-CN', e.text), en: messageOf(e.code, 'en', e.text), details: e.details } };
  const message = e instanceof Error ? e.message : String(e);
  return { error: { code: 'INTERNAL', zh: message, en: message } };
}

/**
 * The local admin channel (access `local-admin`, auth/admin-token.ts): the CLI's operator commands run
 * inside the server that holds the PGlite directory. Every route is in the route table with its
 * rule, like any other.
 */
export const adminRoutes: FastifyPluginAsyncZod = async (app) => {
  // Uploaded inputs (an import file), one use each; the directory goes when the server stops.
  let dir: string | null = null;
  const uploads = new Map<string, string>();
  app.addHook('onClose', async () => {
    if (dir) rmSync(dir, { recursive: true, force: true });
  });
  // The file arrives as it is, streamed to disk: no body limit, nothing held in memory.
  app.addContentTypeParser('application/octet-stream', (_req, payload, done) => done(null, payload));

  app.post(
    '/files',
    {
      config: { access: 'local-admin' },
      schema: { tags, summary: '上传管理操作的输入文件 / upload an operation’s input file (CLI)', response: { 200: z.object({ fileId: z.string() }) } },
    },
    async (req) => {
      if (!req.body || typeof (req.body as Readable).pipe !== 'function') throw new AppError('IMPORT.NO_FILE');
      dir ??= mkdtempSync(path.join(os.tmpdir(), 'linkage-admin-'));
      const fileId = randomUUID();
      const file = path.join(dir, fileId);
      await pipeline(req.body as Readable, createWriteStream(file, { mode: 0o600 }));
      uploads.set(fileId, file);
      return { fileId };
    },
  );

  app.post(
    '/ops/:name',
    {
      config: { access: 'local-admin' },
      schema: {
        tags,
        summary: '执行管理操作（audit.verify、settle、import）/ run an operator command (CLI)',
        description: 'Answers application/x-ndjson: `{"log"}` and `{"progress"}` lines, then one `{"result"}` or `{"error"}` line.',
        params: z.object({ name: z.string().min(1).max(64) }),
        body: z.strictObject({ args: z.unknown().optional(), fileId: z.string().uuid().optional() }).optional(),
      },
    },
    async (req, reply) => {
      const name = req.params.name;
      const o = operationOf(name);
      const fileId = req.body?.fileId;
      const file = fileId ? uploads.get(fileId) : undefined;
      if (fileId && !file) throw new AppError('ADMIN.NO_FILE');
      if (fileId) uploads.delete(fileId);
      if (o.needsFile && !file) throw new AppError('ADMIN.NO_FILE');
      req.log.info({ operation: name }, 'admin operation');
      const out = new PassThrough();
      const send = (e: OperationEvent) => out.write(`${encodeWire(e)}\n`);
      void (async () => {
        try {
          const result = await runOperation(name, req.body?.args, { database: app.database, file, log: (line) => send({ log: line }), progress: (p) => send({ progress: p }) });
          send({ result });
        } catch (e) {
          send(errorEvent(e));
        } finally {
          if (file) rmSync(file, { force: true });
          out.end();
        }
      })();
      return reply.type('application/x-ndjson; charset=utf-8').send(out);
    },
  );

  app.get(
    '/backup',
    {
      config: { access: 'local-admin' },
      schema: {
        tags,
        summary: '备份内置数据库（gzip tar，运行中一致）/ a consistent backup of the embedded database (CLI)',
        querystring: z.object({ file: z.string().max(255).optional() }),
      },
    },
    async (req, reply) => {
      const bytes = await dumpPglite(app.database, { via: 'server', file: req.query.file });
      return reply.type('application/gzip').header('content-length', bytes.length).send(bytes);
    },
  );
};
