import type { MultipartFile, MultipartValue } from '@fastify/multipart';
import type { FastifyRequest } from 'fastify';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { ImportErrorOut, ImportKindOut, ImportOut } from './imports.schemas.js';
import { itemList, pagedList } from '../../http/lists.js';
import { pageErrors } from './import-errors.js';
import { AppError } from '../../errors.js';
import { createImport, decodeMessage, getErrorReport, type ImportMode, processImport, recentImports } from './import.service.js';
import { assertCanImport, canImport, type ImportRow, readableImport } from './imports.policy.js';
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
const PageQuery = z.object({ page: z.coerce.number().int().min(1).max(1_000_000).default(1), pageSize: z.coerce.number().int().min(1).max(1000).default(100) });

function present(r: ImportRow, lang: 'zh-CN' | 'en'): z.infer<typeof ImportOut> {
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

/** The size refusal names the limit (issue 12: "the upload limit is stated in the upload control and in its error"). */
const tooLarge = (maxMb: number) =>
  new AppError('IMPORT.TOO_LARGE', { maxMb }, { zh: `文件超过大小上限（${maxMb} MB），请拆分后分批导入`, en: `The file is larger than the ${maxMb} MB limit: split it and import the parts` });

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
        if (part.file.truncated) throw tooLarge(maxMb);
        file = { fileName: part.filename || 'upload', bytes };
      } else if (part.fieldname === 'mode') {
        const v = String(part.value);
        if (v !== 'all' && v !== 'valid_only') throw new AppError('REQUEST.INVALID', [{ path: 'body.mode', message: 'mode must be all or valid_only' }]);
        mode = v;
      }
    }
  } catch (e) {
    if ((e as { code?: string }).code === 'FST_REQ_FILE_TOO_LARGE') throw tooLarge(maxMb);
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
        response: { 200: itemList(ImportKindOut).extend({ maxMb: z.number() }) },
      },
    },
    async (req) => ({
      // The upload limit, which the upload control states.
      maxMb: app.config.IMPORT_MAX_MB,
      items: importKinds()
        .filter((s) => canImport(req.auth!, s))
        .map((s) => ({ kind: s.kind, labelZh: s.labelZh, labelEn: s.labelEn, permission: s.permission })),
    }),
  );

  app.get(
    '/templates/:kind',
    { config: { access: 'authenticated' }, schema: { tags, summary: '下载导入模板（.xlsx，中文表头）/ download the import template', params: KindParams } },
    async (req, reply) => {
      const spec = specOf(req.params.kind.replace(/\.xlsx$/i, ''));
      assertCanImport(req.auth!, spec);
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
      assertCanImport(auth, spec);
      const upload = await readUpload(req, app.config.IMPORT_MAX_MB);
      if (upload.bytes.length > app.config.IMPORT_MAX_MB * 1024 * 1024) throw tooLarge(app.config.IMPORT_MAX_MB);
      const mode = upload.mode ?? req.query.mode ?? 'all';
      const id = await createImport(db, auth, spec.kind, upload.fileName, mode);
      // Processed in this process; progress lives in the imports row, so any process can answer.
      void processImport(db, id, { auth, spec, fileName: upload.fileName, bytes: upload.bytes, mode, limits: uploadLimitsOf(app.config) }).catch((e: unknown) =>
        req.log.error({ err: e, importId: id }, 'import failed'),
      );
      return reply.status(202).send({ id });
    },
  );

  app.get('/', { config: { access: 'authenticated' }, schema: { tags, summary: '我的最近导入 / my recent imports', response: { 200: itemList(ImportOut) } } }, async (req) => ({
    items: (await recentImports(db, req.auth!.staffId)).map((r) => present(r, req.lang)),
  }));

  app.get(
    '/jobs/:id',
    { config: { access: 'authenticated' }, schema: { tags, summary: '导入进度与结果 / an import’s progress and result', params: IdParams, response: { 200: ImportOut } } },
    async (req) => present(await readableImport(db, req.auth!, req.params.id), req.lang),
  );

  app.get(
    '/jobs/:id/errors',
    {
      config: { access: 'authenticated' },
      schema: {
        tags,
        summary: '导入错误明细（JSON，分页）/ an import’s errors as JSON, paged',
        description:
          'Every refused cell of the job in report order: the sheet row as the user sees it, the column as the uploaded sheet names it (and the template’s name), a stable code and the Chinese message. Who may read the job may read its errors (else 404).',
        params: IdParams,
        querystring: PageQuery,
        response: { 200: pagedList(ImportErrorOut) },
      },
    },
    async (req) => {
      const row = await readableImport(db, req.auth!, req.params.id);
      const { page, pageSize } = req.query;
      return { ...(await pageErrors(db, row.id, page, pageSize)), page, pageSize };
    },
  );

  app.get('/jobs/:id/errors.xlsx', { config: { access: 'authenticated' }, schema: { tags, summary: '下载错误报告 / download the error report', params: IdParams } }, async (req, reply) => {
    const row = await readableImport(db, req.auth!, req.params.id);
    const report = await getErrorReport(db, row.id);
    if (!report) throw new AppError('IMPORT.NO_ERRORS');
    const base = row.fileName.replace(/\.[^.]+$/, '');
    return sendXlsx(reply, `${base}-错误报告.xlsx`, report);
  });
};
