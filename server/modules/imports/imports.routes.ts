import type { MultipartFile, MultipartValue } from '@fastify/multipart';
import { eq } from 'drizzle-orm';
import type { FastifyRequest } from 'fastify';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { ImportKindOut, ImportOut } from './imports.schemas.js';
import { itemList } from '../../http/lists.js';
import type { Db } from '../../db/client.js';
import { orgNodes, staff } from '../../db/schema/index.js';
import { AppError } from '../../errors.js';
import { type AuthContext, can } from '../access/context.js';
import {
  createImport,
  decodeMessage,
  getErrorReport,
  getImport,
  type ImportMode,
  processImport,
  recentImports,
} from './import.service.js';
import { importKinds, specOf } from './registry.js';
import { uploadLimitsOf } from './upload-guard.js';
import { assertCleanText } from '../../http/hostile.plugin.js';
import { sendXlsx } from '../../xlsx/xlsx.js';
import { templateWorkbook } from './template.js';

export { waitForImport } from './import.service.js';

const tags = ['imports'];

const KindParams = z.object({ kind: z.string().min(1).max(40) });
const IdParams = z.object({ id: z.string().uuid() });
const ModeQuery = z.object({ mode: z.enum(['all', 'valid_only']).optional() });

type Row = NonNullable<Awaited<ReturnType<typeof getImport>>>;

function present(r: Row, lang: 'zh-CN' | 'en'): z.infer<typeof ImportOut> {
  const m = decodeMessage(r.message, lang);
  return {
    id: r.id,
    kind: r.kind,
    fileName: r.fileName,
    mode: r.mode,
    status: r.status,
    totalRows: r.totalRows,
    processedRows: r.processedRows,
    errorRows: r.errorRows,
    inserted: r.inserted,
    updated: r.updated,
    unchanged: r.unchanged,
    message: m.text,
    messageCode: m.code,
    hasErrorReport: Boolean(r.hasErrorReport),
    createdAt: r.createdAt.toISOString(),
    finishedAt: r.finishedAt?.toISOString() ?? null,
  };
}

/**
 * Who may see an import: the person who ran it, or an administrator whose scope contains that
 * person's node. Others get 404 so ids reveal nothing.
 */
async function readable(db: Db, auth: AuthContext, id: string): Promise<Row> {
  const row = await getImport(db, id);
  if (!row) throw new AppError('IMPORT.NOT_FOUND');
  if (row.createdBy === auth.staffId) return row;
  const [owner] = await db.select({ path: orgNodes.path }).from(staff).innerJoin(orgNodes, eq(orgNodes.id, staff.nodeId)).where(eq(staff.id, row.createdBy)).limit(1);
  const isAdmin = owner && auth.grants.some((g) => g.role === 'admin' && owner.path.startsWith(g.scopePath));
  if (!isAdmin) throw new AppError('IMPORT.NOT_FOUND');
  return row;
}

/** Reads the multipart body: one file and an optional `mode` field, in either order. */
async function readUpload(req: FastifyRequest, maxMb: number): Promise<{ fileName: string; bytes: Buffer; mode?: ImportMode }> {
  let file: { fileName: string; bytes: Buffer } | undefined;
  let mode: ImportMode | undefined;
  if (!req.isMultipart()) throw new AppError('IMPORT.NO_FILE');
  try {
    for await (const part of req.parts() as AsyncIterableIterator<MultipartFile | MultipartValue>) {
      if (part.type === 'file') {
        if (file) {
          await part.toBuffer().catch(() => undefined);
          continue;
        }
        assertCleanText(part.filename ?? '', 'file.filename');
        const bytes = await part.toBuffer();
        // A file cut at the size limit is refused, never half-read.
        if (part.file.truncated) throw new AppError('IMPORT.TOO_LARGE', { maxMb });
        file = { fileName: part.filename || 'upload', bytes };
      } else if (part.fieldname === 'mode') {
        const v = String(part.value);
        if (v !== 'all' && v !== 'valid_only') throw new AppError('REQUEST.INVALID', [{ path: 'body.mode', message: 'mode must be all or valid_only' }]);
        mode = v;
      }
    }
  } catch (e) {
    if ((e as { code?: string }).code === 'FST_REQ_FILE_TOO_LARGE') throw new AppError('IMPORT.TOO_LARGE', { maxMb });
    throw e;
  }
  if (!file || file.bytes.length === 0) throw new AppError('IMPORT.NO_FILE');
  return { ...file, mode };
}

/**
 * Excel imports of every list (SPEC §14): templates, upload (validated, then written in one
 * transaction in the background), progress, error reports.
 */
export const importRoutes: FastifyPluginAsyncZod = async (app) => {
  const db = app.database.db;

  app.get(
    '/kinds',
    {
      config: { access: 'authenticated' },
      schema: {
        tags,
        summary: '可导入的数据类型 / kinds the caller may import',
        response: { 200: itemList(ImportKindOut) },
      },
    },
    async (req) => ({
      items: importKinds().filter((s) => can(req.auth!, s.permission)).map((s) => ({ kind: s.kind, labelZh: s.labelZh, labelEn: s.labelEn, permission: s.permission })),
    }),
  );

  app.get(
    '/templates/:kind',
    { config: { access: 'authenticated' }, schema: { tags, summary: '下载导入模板（.xlsx，中文表头）/ download the import template', params: KindParams } },
    async (req, reply) => {
      const spec = specOf(req.params.kind.replace(/\.xlsx$/i, ''));
      if (!can(req.auth!, spec.permission)) throw new AppError('AUTH.FORBIDDEN', { permission: spec.permission });
      return sendXlsx(reply, `${spec.labelZh}导入模板.xlsx`, await templateWorkbook(spec));
    },
  );

  app.post(
    '/:kind',
    {
      config: { access: 'authenticated' },
      schema: {
        tags,
        summary: '上传导入文件（multipart：file，mode=all|valid_only）/ upload a file to import',
        description:
          'multipart/form-data with one .xlsx or .csv file and an optional field `mode` (`all`, the default: nothing is written if any row is wrong; `valid_only`: write the valid rows). Answers 202 with the import id; poll GET /api/imports/jobs/{id}.',
        params: KindParams,
        querystring: ModeQuery,
        response: { 202: z.object({ id: z.string() }) },
      },
    },
    async (req, reply) => {
      const auth = req.auth!;
      const spec = specOf(req.params.kind);
      if (!can(auth, spec.permission)) throw new AppError('AUTH.FORBIDDEN', { permission: spec.permission });
      const upload = await readUpload(req, app.config.IMPORT_MAX_MB);
      if (upload.bytes.length > app.config.IMPORT_MAX_MB * 1024 * 1024) throw new AppError('IMPORT.TOO_LARGE', { maxMb: app.config.IMPORT_MAX_MB });
      const mode = upload.mode ?? req.query.mode ?? 'all';
      const id = await createImport(db, auth, spec.kind, upload.fileName, mode);
      // Processed in this process; progress lives in the imports row, so any process can answer.
      void processImport(db, id, { auth, spec, fileName: upload.fileName, bytes: upload.bytes, mode, limits: uploadLimitsOf(app.config) }).catch((e: unknown) =>
        req.log.error({ err: e, importId: id }, 'import failed'),
      );
      return reply.status(202).send({ id });
    },
  );

  app.get(
    '/',
    { config: { access: 'authenticated' }, schema: { tags, summary: '我的最近导入 / my recent imports', response: { 200: itemList(ImportOut) } } },
    async (req) => ({ items: (await recentImports(db, req.auth!.staffId)).map((r) => present(r, req.lang)) }),
  );

  app.get(
    '/jobs/:id',
    { config: { access: 'authenticated' }, schema: { tags, summary: '导入进度与结果 / an import’s progress and result', params: IdParams, response: { 200: ImportOut } } },
    async (req) => present(await readable(db, req.auth!, req.params.id), req.lang),
  );

  app.get(
    '/jobs/:id/errors.xlsx',
    { config: { access: 'authenticated' }, schema: { tags, summary: '下载错误报告 / download the error report', params: IdParams } },
    async (req, reply) => {
      const row = await readable(db, req.auth!, req.params.id);
      const report = await getErrorReport(db, row.id);
      if (!report) throw new AppError('IMPORT.NO_ERRORS');
      const base = row.fileName.replace(/\.[^.]+$/, '');
      return sendXlsx(reply, `${base}-错误报告.xlsx`, report);
    },
  );
};
