import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { pagedList } from '../../http/lists.js';
import { sendXlsx } from '../../xlsx/xlsx.js';
import { companiesWorkbook, peopleWorkbook } from './customers.xlsx.js';
import { IdParams } from '../org/org.schemas.js';
import * as companies from './companies.service.js';
import {
  Company360Out,
  CompanyOut,
  CompanyQuery,
  CreateCompanyBody,
  CreateGroupLinkBody,
  CreatePersonBody,
  CreatePersonLinkBody,
  GraphOut,
  GraphQuery,
  GroupLinkOut,
  Person360Out,
  PersonLinkOut,
  PersonOut,
  PersonQuery,
  RefOut,
  RevealBody,
  RevealOut,
  UpdateCompanyBody,
  UpdateGroupLinkBody,
  UpdatePersonBody,
  UpdatePersonLinkBody,
} from './customers.schemas.js';
import { FACTS_CATALOGUE } from './facts.js';
import { relationshipGraph } from './graph.service.js';
import * as people from './individuals.service.js';
import * as links from './links.service.js';

const tags = ['customers'];
/** One page of clients; `totalCapped` is true when more rows match than were counted (the count stops at COUNT_CAP). */
const page = <T extends z.ZodType>(item: T) => pagedList(item).extend({ totalCapped: z.boolean() });

/** 客户管理 (SPEC §2): corporate and individual clients, their relationships, the graph. */
export const customerRoutes: FastifyPluginAsyncZod = async (app) => {
  const db = app.database.db;

  // ---- reference lists ----
  app.get('/types', { config: { access: 'customer.read' }, schema: { tags, summary: '客户类型 / client types', response: { 200: RefOut } } }, async () => companies.clientTypeList(db));
  app.get('/industries', { config: { access: 'customer.read' }, schema: { tags, summary: '行业（GB/T 4754 门类）/ industries', response: { 200: RefOut } } }, async () => companies.industryList(db));
  app.get('/facts', { config: { access: 'customer.read' }, schema: { tags, summary: '客户要素目录 / the facts catalogue' } }, async () => FACTS_CATALOGUE);

  // ---- corporate clients ----
  app.get(
    '/companies',
    { config: { access: 'customer.read' }, schema: { tags, summary: '对公客户列表（分页、检索）/ corporate clients', querystring: CompanyQuery, response: { 200: page(CompanyOut) } } },
    async (req) => companies.listCompanies(db, req.auth!, req.query),
  );
  app.get(
    '/companies/export.xlsx',
    { config: { access: 'customer.read' }, schema: { tags, summary: '导出对公客户 / export corporate clients', querystring: CompanyQuery.omit({ page: true, pageSize: true }) } },
    async (req, reply) => {
      const buf = await companiesWorkbook(db, req.auth!, req.query);
      return sendXlsx(reply, '对公客户清单.xlsx', buf);
    },
  );
  app.get('/companies/:id', { config: { access: 'customer.read' }, schema: { tags, summary: '对公客户360视图 / client 360', params: IdParams, response: { 200: Company360Out } } }, async (req) =>
    companies.getCompany360(db, req.auth!, req.params.id),
  );
  app.post(
    '/companies',
    { config: { access: 'customer.write' }, schema: { tags, summary: '新增对公客户 / create a corporate client', body: CreateCompanyBody, response: { 201: Company360Out } } },
    async (req, reply) => reply.status(201).send(await companies.createCompany(db, req.auth!, req.body)),
  );
  app.patch(
    '/companies/:id',
    { config: { access: 'customer.write' }, schema: { tags, summary: '修改对公客户 / update a corporate client', params: IdParams, body: UpdateCompanyBody, response: { 200: Company360Out } } },
    async (req) => companies.updateCompany(db, req.auth!, req.params.id, req.body),
  );

  // ---- individuals ----
  app.get(
    '/individuals',
    { config: { access: 'customer.read' }, schema: { tags, summary: '个人客户列表（姓名、证件后4位、手机后4位检索）/ individuals', querystring: PersonQuery, response: { 200: page(PersonOut) } } },
    async (req) => people.listPeople(db, req.auth!, req.query),
  );
  app.get(
    '/individuals/export.xlsx',
    { config: { access: 'customer.read' }, schema: { tags, summary: '导出个人客户（证件号码脱敏）/ export individuals (masked)', querystring: PersonQuery.omit({ page: true, pageSize: true }) } },
    async (req, reply) => {
      const buf = await peopleWorkbook(db, req.auth!, req.query);
      return sendXlsx(reply, '个人客户清单.xlsx', buf);
    },
  );
  app.get('/individuals/:id', { config: { access: 'customer.read' }, schema: { tags, summary: '个人客户360视图 / person 360', params: IdParams, response: { 200: Person360Out } } }, async (req) =>
    people.getPerson360(db, req.auth!, req.params.id),
  );
  app.post(
    '/individuals',
    { config: { access: 'customer.write' }, schema: { tags, summary: '新增个人客户 / create an individual', body: CreatePersonBody, response: { 201: Person360Out } } },
    async (req, reply) => reply.status(201).send(await people.createPerson(db, req.auth!, req.body)),
  );
  app.patch(
    '/individuals/:id',
    { config: { access: 'customer.write' }, schema: { tags, summary: '修改个人客户 / update an individual', params: IdParams, body: UpdatePersonBody, response: { 200: Person360Out } } },
    async (req) => people.updatePerson(db, req.auth!, req.params.id, req.body),
  );
  app.post(
    '/individuals/:id/reveal',
    {
      config: { access: 'customer.reveal' },
      schema: { tags, summary: '查看完整证件号码/手机号（须填写原因并留痕）/ reveal a full number (audited)', params: IdParams, body: RevealBody, response: { 200: RevealOut } },
    },
    async (req) => people.revealPerson(db, req.auth!, req.params.id, req.body),
  );

  // ---- relationships ----
  app.post(
    '/links',
    { config: { access: 'customer.write' }, schema: { tags, summary: '建立企业与个人关系 / link a person to a company', body: CreatePersonLinkBody, response: { 201: PersonLinkOut } } },
    async (req, reply) => reply.status(201).send(await links.createPersonLink(db, req.auth!, req.body)),
  );
  app.patch(
    '/links/:id',
    { config: { access: 'customer.write' }, schema: { tags, summary: '修改企业与个人关系 / update a link', params: IdParams, body: UpdatePersonLinkBody, response: { 200: PersonLinkOut } } },
    async (req) => links.updatePersonLink(db, req.auth!, req.params.id, req.body),
  );
  app.delete(
    '/links/:id',
    { config: { access: 'customer.write' }, schema: { tags, summary: '删除企业与个人关系 / remove a link', params: IdParams, response: { 204: z.null() } } },
    async (req, reply) => {
      await links.deletePersonLink(db, req.auth!, req.params.id);
      return reply.status(204).send(null);
    },
  );
  app.post(
    '/group-links',
    { config: { access: 'customer.write' }, schema: { tags, summary: '建立集团母子公司关系 / link a subsidiary to its parent', body: CreateGroupLinkBody, response: { 201: GroupLinkOut } } },
    async (req, reply) => reply.status(201).send(await links.createGroupLink(db, req.auth!, req.body)),
  );
  app.patch(
    '/group-links/:id',
    { config: { access: 'customer.write' }, schema: { tags, summary: '修改集团关系 / update a group link', params: IdParams, body: UpdateGroupLinkBody, response: { 200: GroupLinkOut } } },
    async (req) => links.updateGroupLink(db, req.auth!, req.params.id, req.body),
  );
  app.delete(
    '/group-links/:id',
    { config: { access: 'customer.write' }, schema: { tags, summary: '删除集团关系 / remove a group link', params: IdParams, response: { 204: z.null() } } },
    async (req, reply) => {
      await links.deleteGroupLink(db, req.auth!, req.params.id);
      return reply.status(204).send(null);
    },
  );

  // ---- graph ----
  app.get('/graph', { config: { access: 'customer.read' }, schema: { tags, summary: '客户关系图谱 / relationship graph', querystring: GraphQuery, response: { 200: GraphOut } } }, async (req) =>
    relationshipGraph(db, req.auth!, req.query),
  );
};
