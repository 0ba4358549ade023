import type { FastifyRequest } from 'fastify';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { sql } from 'drizzle-orm';
import { z } from 'zod';
import { clock } from '../../calendar/index.js';
import { rows } from '../../db/client.js';
import { AppError } from '../../errors.js';
import { assertCleanText } from '../../http/hostile.plugin.js';
import { Id } from '../../http/ids.js';
import { nodeInScope } from './interbank.access.js';
import { MAX_DOCUMENT_BYTES, MAX_PHOTO_BYTES } from './images.js';
import {
  BranchOptionsOut,
  CorrectBody,
  FileListOut,
  FileOut,
  GapListOut,
  GrantListOut,
  InstitutionBody,
  InstitutionListOut,
  InstitutionOut,
  InstitutionPatch,
  LandingBody,
  LandingCreate,
  LandingListOut,
  LandingOut,
  LandingQuery,
  MoveBody,
  PoolBody,
  PoolListOut,
  PoolOut,
  PoolPatch,
  ProspectBody,
  ProspectListOut,
  ProspectOut,
  ProspectQuery,
  RegistryQuery,
  SigningBody,
  SigningListOut,
  SigningOut,
  SigningQuery,
  VisitBody,
  VisitListOut,
  VisitOut,
  VisitQuery,
  VoidBody,
} from './interbank.schemas.js';
import { createLanding, listLandings, listProspects, saveProspect, signedWithoutLanding, updateLanding } from './prospects.service.js';
import { createPool, listGrants, listPools, updatePool } from './pools.service.js';
import { createInstitution, institutionDetail, listInstitutions, moveInstitution, updateInstitution } from './registry.service.js';
import { correctSigning, listSignings, recordSigning, signingById, voidSigning } from './signings.service.js';
import { addDocument, addPhoto, getFile, listFiles, listVisits, recordVisit } from './visits.service.js';

const tags = ['interbank'];
const IdParams = z.strictObject({ id: Id });

/** One uploaded file (multipart field `file`), within `maxBytes`. */
async function oneFile(req: FastifyRequest, maxBytes: number): Promise<{ fileName: string; bytes: Buffer }> {
  if (!req.isMultipart()) throw new AppError('FI.NO_FILE');
  let bytes: Buffer;
  let fileName: string;
  try {
    const part = await req.file({ limits: { fileSize: maxBytes, files: 1 } });
    if (!part) throw new AppError('FI.NO_FILE');
    bytes = await part.toBuffer();
    if (part.file.truncated) throw new AppError('FI.FILE_TOO_LARGE', { maxMb: maxBytes / 1024 / 1024 });
    // Multipart text arrives after the edge hook (decision 0022): checked here.
    assertCleanText(part.filename ?? '', 'file.filename');
    fileName = (part.filename || 'file').slice(0, 200);
  } catch (e) {
    if ((e as { code?: string }).code === 'FST_REQ_FILE_TOO_LARGE') throw new AppError('FI.FILE_TOO_LARGE', { maxMb: maxBytes / 1024 / 1024 });
    throw e;
  }
  if (!bytes.length) throw new AppError('FI.NO_FILE');
  return { fileName, bytes };
}

/**
 * 同业合作平台 — registry half (SPEC §11, issue 14): 机构名录 with jurisdiction history, 签约登记
 * (append-only, corrections and voids), documents, 激励资源池 first come first served, 意向客户,
 * 拜访记录 with photos, 金融科技产品落地. Reading needs interbank.read; keeping a branch's own
 * jurisdiction interbank.manage; pools interbank.configure at province or the root.
 */
export const interbankRegistryRoutes: FastifyPluginAsyncZod = async (app) => {
  const db = app.database.db;
  const R = { config: { access: 'interbank.read' as const } };
  const M = { config: { access: 'interbank.manage' as const } };
  const C = { config: { access: 'interbank.configure' as const } };

  app.get('/branches', { ...R, schema: { tags, summary: '范围内二级分行及员工（联动负责人候选）/ branches and staff in scope', response: { 200: BranchOptionsOut } } }, async (req) => {
    const branches = await rows<{ id: number; code: string; name: string; path: string }>(
      db,
      sql`SELECT id, code, name, path FROM org_nodes n WHERE level = 'branch' AND active AND ${nodeInScope(req.auth!, 'interbank.read', sql`n.path`)} ORDER BY sort, id`,
    );
    const staff = branches.length
      ? await rows<{ id: number; staffNo: string; name: string; path: string }>(
          db,
          sql`SELECT s.id, s.staff_no AS "staffNo", s.name, n.path FROM staff s JOIN org_nodes n ON n.id = s.node_id WHERE s.active AND ${nodeInScope(req.auth!, 'interbank.read', sql`n.path`)} ORDER BY s.staff_no`,
        )
      : [];
    return { items: branches.map((b) => ({ id: b.id, code: b.code, name: b.name, staff: staff.filter((s) => s.path.startsWith(b.path)).map(({ path: _p, ...s }) => s) })) };
  });

  // ---- 机构名录 ----
  app.get('/institutions', { ...R, schema: { tags, summary: '机构名录 / institution registry', querystring: RegistryQuery, response: { 200: InstitutionListOut } } }, async (req) =>
    listInstitutions(db, req.auth!, req.query, clock.today()),
  );
  app.get('/institutions/:id', { ...R, schema: { tags, summary: '机构详情与管辖历史 / institution with history', params: IdParams, response: { 200: InstitutionOut } } }, async (req) =>
    institutionDetail(db, req.auth!, req.params.id, clock.today()),
  );
  app.post('/institutions', { ...M, schema: { tags, summary: '登记金融机构 / add an institution', body: InstitutionBody, response: { 201: InstitutionOut } } }, async (req, reply) =>
    reply.status(201).send(await createInstitution(db, req.auth!, req.body, clock.today(), clock.now())),
  );
  app.patch('/institutions/:id', { ...M, schema: { tags, summary: '修改机构信息 / edit an institution', params: IdParams, body: InstitutionPatch, response: { 200: InstitutionOut } } }, async (req) =>
    updateInstitution(db, req.auth!, req.params.id, req.body, clock.today(), clock.now()),
  );
  app.post(
    '/institutions/:id/move',
    { ...M, schema: { tags, summary: '调整管辖分行或联动负责人 / move jurisdiction', params: IdParams, body: MoveBody, response: { 200: InstitutionOut } } },
    async (req) => moveInstitution(db, req.auth!, req.params.id, req.body, clock.today(), clock.now()),
  );

  // ---- 签约登记 ----
  app.get('/signings', { ...R, schema: { tags, summary: '签约记录 / signings', querystring: SigningQuery, response: { 200: SigningListOut } } }, async (req) => listSignings(db, req.auth!, req.query));
  app.get('/signings/:id', { ...R, schema: { tags, summary: '签约记录详情 / a signing', params: IdParams, response: { 200: SigningOut } } }, async (req) => signingById(db, req.auth!, req.params.id));
  app.post('/signings', { ...M, schema: { tags, summary: '登记签约（先到先得发放激励）/ record a signing', body: SigningBody, response: { 201: SigningOut } } }, async (req, reply) =>
    reply.status(201).send(await recordSigning(db, req.auth!, req.body, clock.today())),
  );
  app.post(
    '/signings/:id/correct',
    { ...M, schema: { tags, summary: '更正签约（新记录替代原记录）/ correct a signing', params: IdParams, body: CorrectBody, response: { 200: SigningOut } } },
    async (req) => correctSigning(db, req.auth!, req.params.id, req.body, clock.today()),
  );
  app.post('/signings/:id/void', { ...M, schema: { tags, summary: '作废签约 / void a signing', params: IdParams, body: VoidBody, response: { 200: SigningOut } } }, async (req) =>
    voidSigning(db, req.auth!, req.params.id, req.body.reason, clock.today()),
  );
  app.get('/signings/:id/documents', { ...R, schema: { tags, summary: '协议文件 / agreement documents', params: IdParams, response: { 200: FileListOut } } }, async (req) => ({
    items: await listFiles(db, req.auth!, 'signing', req.params.id),
  }));
  app.post(
    '/signings/:id/documents',
    { ...M, schema: { tags, summary: '上传协议文件（PDF/图片，multipart：file）/ attach a document', params: IdParams, response: { 201: FileOut } } },
    async (req, reply) => reply.status(201).send(await addDocument(db, req.auth!, req.params.id, await oneFile(req, MAX_DOCUMENT_BYTES), clock.today(), clock.now())),
  );
  app.get('/files/:id', { ...R, schema: { tags, summary: '下载文件或照片 / download a file', params: IdParams } }, async (req, reply) => {
    const f = await getFile(db, req.auth!, req.params.id);
    return reply
      .header('content-type', f.mime)
      .header('content-disposition', `inline; filename="file-${f.id}"; filename*=UTF-8''${encodeURIComponent(f.fileName)}`)
      .header('x-content-sha256', f.sha256)
      .send(f.bytes);
  });

  // ---- 激励资源池 ----
  app.get('/pools', { ...R, schema: { tags, summary: '激励资源池 / incentive pools', response: { 200: PoolListOut } } }, async (req) => listPools(db, req.auth!));
  app.post('/pools', { ...C, schema: { tags, summary: '设立资源池（省分行）/ create a pool', body: PoolBody, response: { 201: PoolOut } } }, async (req, reply) =>
    reply.status(201).send(await createPool(db, req.auth!, req.body)),
  );
  app.patch('/pools/:id', { ...C, schema: { tags, summary: '调整资源池 / change a pool', params: IdParams, body: PoolPatch, response: { 200: PoolOut } } }, async (req) =>
    updatePool(db, req.auth!, req.params.id, req.body),
  );
  app.get('/pools/:id/grants', { ...R, schema: { tags, summary: '发放顺序 / grants in order', params: IdParams, response: { 200: GrantListOut } } }, async (req) =>
    listGrants(db, req.auth!, req.params.id),
  );

  // ---- 意向客户 ----
  app.get('/prospects', { ...R, schema: { tags, summary: '意向客户 / pipeline', querystring: ProspectQuery, response: { 200: ProspectListOut } } }, async (req) =>
    listProspects(db, req.auth!, req.query, clock.today()),
  );
  app.put(
    '/prospects/:id',
    { ...M, schema: { tags, summary: '更新意向阶段（id=机构）/ set an institution’s stage', params: IdParams, body: ProspectBody, response: { 200: ProspectOut } } },
    async (req) => saveProspect(db, req.auth!, req.params.id, req.body, clock.today(), clock.now()),
  );

  // ---- 拜访记录 ----
  app.get('/visits', { ...R, schema: { tags, summary: '拜访记录 / visits', querystring: VisitQuery, response: { 200: VisitListOut } } }, async (req) => listVisits(db, req.auth!, req.query));
  app.post('/visits', { ...M, schema: { tags, summary: '登记拜访 / record a visit', body: VisitBody, response: { 201: VisitOut } } }, async (req, reply) =>
    reply.status(201).send(await recordVisit(db, req.auth!, req.body, clock.today(), clock.now())),
  );
  app.post('/visits/:id/photos', { ...M, schema: { tags, summary: '上传拜访照片（JPEG/PNG，每次拜访≤10张）/ add a photo', params: IdParams, response: { 201: FileOut } } }, async (req, reply) =>
    reply.status(201).send(await addPhoto(db, req.auth!, req.params.id, await oneFile(req, MAX_PHOTO_BYTES), clock.now())),
  );

  // ---- 金融科技产品落地 ----
  app.get('/landings', { ...R, schema: { tags, summary: '产品落地 / fintech landings', querystring: LandingQuery, response: { 200: LandingListOut } } }, async (req) =>
    listLandings(db, req.auth!, req.query),
  );
  app.get('/landings/gaps', { ...R, schema: { tags, summary: '已签约未落地机构 / signed, nothing landed', response: { 200: GapListOut } } }, async (req) =>
    signedWithoutLanding(db, req.auth!, clock.today()),
  );
  app.post('/landings', { ...M, schema: { tags, summary: '登记产品落地项目 / add a landing', body: LandingCreate, response: { 201: LandingOut } } }, async (req, reply) =>
    reply.status(201).send(await createLanding(db, req.auth!, req.body, clock.today(), clock.now())),
  );
  app.patch('/landings/:id', { ...M, schema: { tags, summary: '推进落地阶段 / move a landing on', params: IdParams, body: LandingBody, response: { 200: LandingOut } } }, async (req) =>
    updateLanding(db, req.auth!, req.params.id, req.body, clock.today(), clock.now()),
  );
};
