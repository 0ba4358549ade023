import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { Id } from '../../http/ids.js';
import { z } from 'zod';
import { itemList } from '../../http/lists.js';
import { sendXlsx } from '../../xlsx/xlsx.js';
import { orgWorkbook } from './org.xlsx.js';
import * as org from './org.service.js';
import { CommitteeMemberOut, CreateDepartmentBody, CreateNodeBody, DepartmentOut, IdParams, NodeDetailOut, OrgNodeOut, PutCommitteeBody, UpdateDepartmentBody, UpdateNodeBody } from './org.schemas.js';

const tags = ['org'];
const NoContent = { 204: z.null() };

/** 机构管理: the org tree, departments and branch committees. Thin: validate → authorise → call. */
export const orgRoutes: FastifyPluginAsyncZod = async (app) => {
  const db = app.database.db;

  app.get('/nodes', { config: { access: 'org.read' }, schema: { tags, summary: '机构树（本人管辖范围）/ org nodes in scope', response: { 200: itemList(OrgNodeOut) } } }, async (req) => ({
    items: await org.listNodes(db, req.auth!),
  }));

  app.get(
    '/nodes/:id',
    { config: { access: 'org.read' }, schema: { tags, summary: '机构详情 / node with departments and committee', params: IdParams, response: { 200: NodeDetailOut } } },
    async (req) => org.nodeDetail(db, req.auth!, req.params.id),
  );

  app.post('/nodes', { config: { access: 'org.write' }, schema: { tags, summary: '新增机构 / create node', body: CreateNodeBody, response: { 201: OrgNodeOut } } }, async (req, reply) =>
    reply.status(201).send(await org.createNode(db, req.auth!, req.body)),
  );

  app.patch(
    '/nodes/:id',
    { config: { access: 'org.write' }, schema: { tags, summary: '修改机构 / update node', params: IdParams, body: UpdateNodeBody, response: { 200: OrgNodeOut } } },
    async (req) => org.updateNode(db, req.auth!, req.params.id, req.body),
  );

  app.delete('/nodes/:id', { config: { access: 'org.write' }, schema: { tags, summary: '删除空机构 / delete an empty node', params: IdParams, response: NoContent } }, async (req, reply) => {
    await org.deleteNode(db, req.auth!, req.params.id);
    return reply.status(204).send(null);
  });

  app.get(
    '/departments',
    {
      config: { access: 'org.read' },
      schema: {
        tags,
        summary: '部门列表 / departments of a branch (or all in scope)',
        querystring: z.strictObject({ nodeId: Id.optional() }),
        response: { 200: itemList(DepartmentOut) },
      },
    },
    async (req) => ({ items: await org.departmentsInScope(db, req.auth!, req.query.nodeId) }),
  );

  app.post(
    '/departments',
    { config: { access: 'org.write' }, schema: { tags, summary: '新增部门 / create department', body: CreateDepartmentBody, response: { 201: DepartmentOut } } },
    async (req, reply) => reply.status(201).send(await org.createDepartment(db, req.auth!, req.body)),
  );

  app.patch(
    '/departments/:id',
    { config: { access: 'org.write' }, schema: { tags, summary: '修改部门 / update department', params: IdParams, body: UpdateDepartmentBody, response: { 200: DepartmentOut } } },
    async (req) => org.updateDepartment(db, req.auth!, req.params.id, req.body),
  );

  app.delete('/departments/:id', { config: { access: 'org.write' }, schema: { tags, summary: '删除部门 / delete department', params: IdParams, response: NoContent } }, async (req, reply) => {
    await org.deleteDepartment(db, req.auth!, req.params.id);
    return reply.status(204).send(null);
  });

  app.get(
    '/nodes/:id/committee',
    {
      config: { access: 'org.read' },
      schema: { tags, summary: '交叉营销管理委员会 / branch committee', params: IdParams, response: { 200: itemList(CommitteeMemberOut) } },
    },
    async (req) => ({ items: await org.committeeOf(db, req.auth!, req.params.id) }),
  );

  app.put(
    '/nodes/:id/committee',
    {
      config: { access: 'committee.write' },
      schema: {
        tags,
        summary: '调整委员会成员 / replace committee membership',
        params: IdParams,
        body: PutCommitteeBody,
        response: { 200: itemList(CommitteeMemberOut) },
      },
    },
    async (req) => ({ items: await org.replaceCommittee(db, req.auth!, req.params.id, req.body) }),
  );

  app.get('/export.xlsx', { config: { access: 'org.read' }, schema: { tags, summary: '导出机构 / export nodes in scope to Excel' } }, async (req, reply) => {
    const buf = await orgWorkbook(db, req.auth!);
    return sendXlsx(reply, '机构清单.xlsx', buf);
  });
};
