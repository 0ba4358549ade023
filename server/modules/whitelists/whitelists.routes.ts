import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { sql } from 'drizzle-orm';
import { z } from 'zod';
import { rows } from '../../db/client.js';
import { Id } from '../../http/ids.js';
import { renderNoticePdf } from '../periods/notice.pdf.js';
import { campaignMembers, listCampaigns, matchDepartment } from './campaigns.service.js';
import { recordContact } from './contacts.service.js';
import { applyDistribution, getOutletRule, previewDistribution, setOutletRule } from './distribution.service.js';
import { batchOutlets, entryDetail, listBatches, listEntries, listMine } from './entries.read.js';
import { campaignList, LIST_COLUMNS, letterLayout, toCsv } from './exports.service.js';
import { campaignWorkbook } from './exports.xlsx.js';
import { inScope } from './whitelists.access.js';
import {
  ApplyOut,
  BatchListOut,
  BatchOut,
  BatchOutletsOut,
  CampaignListOut,
  CampaignOut,
  ContactBody,
  DistributionBody,
  EntryDetailOut,
  EntryListOut,
  EntryQuery,
  ExportQuery,
  MatchBody,
  MatchOut,
  MineOut,
  MineQuery,
  OptionsOut,
  PreviewOut,
  RebalanceBody,
  RuleBody,
  RuleOut,
} from './whitelists.schemas.js';
import { AppError } from '../../errors.js';

const tags = ['whitelists'];
const IdParams = z.strictObject({ id: Id });

/**
 * 经营快贷白名单 (SPEC §12, seed 002): batches and their outlets, entries, my clients and contacts,
 * distribution preview/apply and re-balance, the outlet's rule, department matching, remote
 * campaign lists and the introduction letter. Import goes through /api/imports (kind whitelists).
 */
export const whitelistRoutes: FastifyPluginAsyncZod = async (app) => {
  const db = app.database.db;
  const R = { config: { access: 'whitelist.read' as const } };
  const W = { config: { access: 'whitelist.work' as const } };
  const M = { config: { access: 'whitelist.manage' as const } };

  app.get('/options', { ...R, schema: { tags, summary: '范围内机构与可比对部门 / nodes and departments in scope', response: { 200: OptionsOut } } }, async (req) => {
    const nodes = await rows<{ id: number; code: string; name: string; level: string; parentId: number | null }>(
      db,
      sql`SELECT id, code, name, level, parent_id AS "parentId" FROM org_nodes n WHERE active AND level IN ('branch', 'subbranch', 'outlet') AND ${inScope(req.auth!, 'whitelist.read', sql`n.path`)} ORDER BY path`,
    );
    const departments = await rows<{ id: number; name: string; kind: string; nodeName: string }>(
      db,
      sql`SELECT d.id, d.name, d.kind, n.name AS "nodeName" FROM departments d JOIN org_nodes n ON n.id = d.node_id
           WHERE d.active AND d.kind IN ('private_banking', 'credit_card', 'corporate') AND ${inScope(req.auth!, 'whitelist.manage', sql`n.path`)} ORDER BY n.path, d.id`,
    );
    return { nodes, departments };
  });

  app.get('/batches', { ...R, schema: { tags, summary: '白名单批次 / batches', response: { 200: BatchListOut } } }, async (req) => ({ items: await listBatches(db, req.auth!) }));
  app.get('/batches/:id', { ...R, schema: { tags, summary: '批次概况 / a batch', params: IdParams, response: { 200: BatchOut } } }, async (req) => {
    const [b] = await listBatches(db, req.auth!, req.params.id);
    if (!b) throw new AppError('WL.BATCH_NOT_FOUND', { id: req.params.id });
    return b;
  });
  app.get('/batches/:id/outlets', { ...R, schema: { tags, summary: '批次分网点情况 / a batch per outlet', params: IdParams, response: { 200: BatchOutletsOut } } }, async (req) => ({
    items: await batchOutlets(db, req.auth!, req.params.id),
  }));
  app.post(
    '/batches/:id/distribution/preview',
    { ...M, schema: { tags, summary: '分配到人预览 / preview the distribution to staff', params: IdParams, body: DistributionBody, response: { 200: PreviewOut } } },
    async (req) => previewDistribution(db, req.auth!, { batchId: req.params.id, ...req.body }),
  );
  app.post(
    '/batches/:id/distribution/apply',
    { ...M, schema: { tags, summary: '执行分配 / apply the distribution', params: IdParams, body: DistributionBody, response: { 200: ApplyOut } } },
    async (req) => applyDistribution(db, req.auth!, { batchId: req.params.id, ...req.body }),
  );
  app.post('/rebalance/preview', { ...M, schema: { tags, summary: '离岗人员名单再分配预览 / preview re-balance', body: RebalanceBody, response: { 200: PreviewOut } } }, async (req) =>
    previewDistribution(db, req.auth!, req.body, 'rebalance'),
  );
  app.post('/rebalance/apply', { ...M, schema: { tags, summary: '离岗人员名单再分配 / re-balance', body: RebalanceBody, response: { 200: ApplyOut } } }, async (req) =>
    applyDistribution(db, req.auth!, req.body, 'rebalance'),
  );
  app.get('/outlets/:id/rule', { ...R, schema: { tags, summary: '网点分配规则 / the outlet rule', params: IdParams, response: { 200: RuleOut } } }, async (req) =>
    getOutletRule(db, req.auth!, req.params.id),
  );
  app.put('/outlets/:id/rule', { ...M, schema: { tags, summary: '设置网点分配规则 / set the outlet rule', params: IdParams, body: RuleBody, response: { 200: RuleOut } } }, async (req) =>
    setOutletRule(db, req.auth!, req.params.id, req.body),
  );

  app.get('/entries', { ...R, schema: { tags, summary: '白名单客户 / entries', querystring: EntryQuery, response: { 200: EntryListOut } } }, async (req) => {
    const { unassigned, ...q } = req.query;
    return { ...(await listEntries(db, req.auth!, { ...q, unassigned: unassigned === '1' })), page: q.page, pageSize: q.pageSize };
  });
  app.get('/mine', { ...W, schema: { tags, summary: '我的白名单客户 / my whitelist clients', querystring: MineQuery, response: { 200: MineOut } } }, async (req) => ({
    ...(await listMine(db, req.auth!, req.query)),
    page: req.query.page,
    pageSize: req.query.pageSize,
  }));
  app.get('/entries/:id', { ...W, schema: { tags, summary: '客户详情与联系记录 / an entry with its contacts', params: IdParams, response: { 200: EntryDetailOut } } }, async (req) =>
    entryDetail(db, req.auth!, req.params.id),
  );
  app.post('/entries/:id/contacts', { ...W, schema: { tags, summary: '记录联系 / record a contact', params: IdParams, body: ContactBody, response: { 201: EntryDetailOut } } }, async (req, reply) =>
    reply.status(201).send(await recordContact(db, req.auth!, req.params.id, req.body)),
  );
  app.get('/entries/:id/letter.pdf', { ...W, schema: { tags, summary: '营销联系函（PDF）/ introduction letter', params: IdParams } }, async (req, reply) => {
    const pdf = await renderNoticePdf(await letterLayout(db, req.auth!, req.params.id), { fontPath: app.config.PDF_CJK_FONT, fontFace: app.config.PDF_CJK_FONT_FACE });
    return reply
      .header('content-type', 'application/pdf')
      .header('content-disposition', `attachment; filename="whitelist-letter-${req.params.id}.pdf"; filename*=UTF-8''${encodeURIComponent(`经营快贷联系函-${req.params.id}.pdf`)}`)
      .header('cache-control', 'no-store')
      .send(pdf);
  });

  app.post('/batches/:id/match', { ...M, schema: { tags, summary: '部门比对生成名单 / match a department', params: IdParams, body: MatchBody, response: { 200: MatchOut } } }, async (req) =>
    matchDepartment(db, req.auth!, req.params.id, req.body.departmentId),
  );
  app.get('/campaigns', { ...R, schema: { tags, summary: '部门比对名单 / campaign lists', response: { 200: CampaignListOut } } }, async (req) => ({ items: await listCampaigns(db, req.auth!) }));
  app.get('/campaigns/:id', { ...R, schema: { tags, summary: '比对名单明细 / a campaign list', params: IdParams, response: { 200: CampaignOut } } }, async (req) =>
    campaignMembers(db, req.auth!, req.params.id),
  );
  app.get('/batches/:id/export', { ...M, schema: { tags, summary: '短信/坐席外呼名单（脱敏）/ SMS or call-centre list', params: IdParams, querystring: ExportQuery } }, async (req, reply) => {
    const { list, format, campaignId } = req.query;
    const out = await campaignList(db, req.auth!, req.params.id, list, campaignId);
    const base = `${out.batchCode}-${list === 'sms' ? '短信名单' : '坐席外呼名单'}`;
    const ascii = `whitelist-${req.params.id}-${list}.${format}`;
    const body = format === 'csv' ? Buffer.from(toCsv(LIST_COLUMNS[list], out.rows), 'utf8') : await campaignWorkbook(list === 'sms' ? '短信名单' : '坐席外呼名单', LIST_COLUMNS[list], out.rows);
    return reply
      .header('content-type', format === 'csv' ? 'text/csv; charset=utf-8' : 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet')
      .header('content-disposition', `attachment; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(`${base}.${format}`)}`)
      .header('cache-control', 'no-store')
      .send(body);
  });
};
