import type { MultipartFile } from '@fastify/multipart';
import { assertCleanText } from '../../http/hostile.plugin.js';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { AppError } from '../../errors.js';
import type { AuthContext } from '../access/context.js';
import { guardLocked } from '../../db/period-lock.js';
import { readerScopePaths } from '../periods/periods.policy.js';
import { monthPeriod } from '../statements/statement.service.js';
import { scopedStatementNode } from '../statements/statements.policy.js';
import { DrawBody, EvidenceParams, ItemParams, MarkBody, SpotCheckOut, SpotParams, SummaryListOut, SummaryQuery, VerifyOut } from './spotchecks.schemas.js';
import { addEvidence, drawSpotCheck, getEvidence, markSample, spotCheckSummaries, spotCheckView, verifySpotCheck } from './spotchecks.service.js';
import { clock } from '../../calendar/index.js';

const tags = ['spot-checks'];

/** Types a browser may open inline-safe as downloads; anything else goes out as octet-stream. */
const KNOWN_TYPES = new Set([
  'application/pdf',
  'image/png',
  'image/jpeg',
  'image/gif',
  'image/webp',
  'text/plain',
  'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
  'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
]);

/** 真实性抽查 (SPEC §9.4): draw with a recorded seed, mark each sampled sale, keep evidence. */
export const spotCheckRoutes: FastifyPluginAsyncZod = async (app) => {
  const db = app.database.db;

  const branch = async (auth: AuthContext, nodeId: number, month: string, perm: 'statement.read' | 'period.audit') => {
    const node = await scopedStatementNode(db, auth, perm, nodeId);
    monthPeriod(month);
    return node;
  };

  app.get(
    '/',
    { config: { access: 'statement.read' }, schema: { tags, summary: '各分行抽查汇总 / spot-check summary per branch', querystring: SummaryQuery, response: { 200: SummaryListOut } } },
    async (req) => ({ items: await spotCheckSummaries(db, readerScopePaths(req.auth!), req.query.month) }),
  );

  app.get(
    '/:nodeId/:month',
    { config: { access: 'statement.read' }, schema: { tags, summary: '某分行某月的抽查 / the month’s spot check', params: SpotParams, response: { 200: SpotCheckOut } } },
    async (req) => {
      const node = await branch(req.auth!, req.params.nodeId, req.params.month, 'statement.read');
      return spotCheckView(db, node, req.params.month);
    },
  );

  app.post(
    '/:nodeId/:month',
    { config: { access: 'period.audit' }, schema: { tags, summary: '抽取样本（记录随机种子）/ draw the sample (seed recorded)', params: SpotParams, body: DrawBody, response: { 201: SpotCheckOut } } },
    async (req, reply) => {
      const node = await branch(req.auth!, req.params.nodeId, req.params.month, 'period.audit');
      await drawSpotCheck(db, req.auth!, node, req.params.month, req.body, clock.now());
      return reply.status(201).send(await spotCheckView(db, node, req.params.month));
    },
  );

  app.get(
    '/:nodeId/:month/verify',
    { config: { access: 'statement.read' }, schema: { tags, summary: '用记录的种子复现样本 / re-draw with the recorded seed', params: SpotParams, response: { 200: VerifyOut } } },
    async (req) => {
      const node = await branch(req.auth!, req.params.nodeId, req.params.month, 'statement.read');
      return verifySpotCheck(db, node, req.params.month);
    },
  );

  app.post(
    '/:nodeId/:month/items/:saleId',
    {
      config: { access: 'period.audit' },
      schema: { tags, summary: '登记核实结果（真实/虚假）/ mark a sampled sale verified or false', params: ItemParams, body: MarkBody, response: { 200: SpotCheckOut } },
    },
    async (req) => {
      const node = await branch(req.auth!, req.params.nodeId, req.params.month, 'period.audit');
      await guardLocked(() => markSample(db, req.auth!, node, req.params.month, req.params.saleId, req.body, clock.now()));
      return spotCheckView(db, node, req.params.month);
    },
  );

  app.post(
    '/:nodeId/:month/items/:saleId/evidence',
    {
      config: { access: 'period.audit' },
      schema: {
        tags,
        summary: '上传证明材料（multipart，字段 file）/ upload an evidence file',
        params: ItemParams,
        response: { 201: z.object({ id: z.number(), fileName: z.string(), mime: z.string(), size: z.number(), sha256: z.string(), uploadedAt: z.string() }) },
      },
    },
    async (req, reply) => {
      const node = await branch(req.auth!, req.params.nodeId, req.params.month, 'period.audit');
      const maxMb = app.config.EVIDENCE_MAX_MB;
      if (!req.isMultipart()) throw new AppError('SPOTCHECK.NO_FILE');
      let part: MultipartFile | undefined;
      let bytes: Buffer;
      try {
        part = await req.file({ limits: { fileSize: Math.round(maxMb * 1024 * 1024), files: 1 } });
        if (!part) throw new AppError('SPOTCHECK.NO_FILE');
        bytes = await part.toBuffer();
      } catch (e) {
        if ((e as { code?: string }).code === 'FST_REQ_FILE_TOO_LARGE') throw new AppError('SPOTCHECK.EVIDENCE_TOO_LARGE', { maxMb });
        throw e;
      }
      if (part.file.truncated) throw new AppError('SPOTCHECK.EVIDENCE_TOO_LARGE', { maxMb });
      if (bytes.length === 0) throw new AppError('SPOTCHECK.NO_FILE');
      // Multipart text arrives after the edge hook (decision 0022): checked here.
      assertCleanText(part.filename ?? '', 'file.filename');
      assertCleanText(part.mimetype ?? '', 'file.mimetype');
      const fileName = (part.filename || 'evidence').slice(0, 200);
      const meta = await addEvidence(db, req.auth!, node, req.params.month, req.params.saleId, { fileName, mime: (part.mimetype || 'application/octet-stream').slice(0, 100), bytes }, clock.now());
      return reply.status(201).send(meta);
    },
  );

  app.get(
    '/:nodeId/:month/items/:saleId/evidence/:evidenceId',
    { config: { access: 'statement.read' }, schema: { tags, summary: '下载证明材料 / download an evidence file', params: EvidenceParams } },
    async (req, reply) => {
      const node = await branch(req.auth!, req.params.nodeId, req.params.month, 'statement.read');
      const e = await getEvidence(db, node, req.params.month, req.params.saleId, req.params.evidenceId);
      return reply
        .header('content-type', KNOWN_TYPES.has(e.mime) ? e.mime : 'application/octet-stream')
        .header('content-disposition', `attachment; filename="evidence-${e.id}"; filename*=UTF-8''${encodeURIComponent(e.fileName)}`)
        .header('x-content-sha256', e.sha256)
        .send(e.bytes);
    },
  );
};
