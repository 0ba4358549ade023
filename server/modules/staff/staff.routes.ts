import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { pagedList } from '../../http/lists.js';
import { sendXlsx } from '../../xlsx/xlsx.js';
import { IdParams } from '../org/org.schemas.js';
import { CreateStaffBody, PutRolesBody, ResetPasswordBody, StaffOut, StaffQuery, UpdateStaffBody } from './staff.schemas.js';
import * as svc from './staff.service.js';
import { staffWorkbook } from './staff.xlsx.js';

const tags = ['staff'];

/** 员工管理: people, their roles, password resets. */
export const staffRoutes: FastifyPluginAsyncZod = async (app) => {
  const db = app.database.db;

  app.get(
    '/',
    {
      config: { access: 'staff.read' },
      schema: {
        tags,
        summary: '员工列表（分页、检索）/ staff page',
        querystring: StaffQuery,
        response: { 200: pagedList(StaffOut) },
      },
    },
    async (req) => svc.listStaff(db, req.auth!, req.query),
  );

  app.get(
    '/export.xlsx',
    { config: { access: 'staff.read' }, schema: { tags, summary: '导出员工 / export staff to Excel', querystring: StaffQuery.omit({ page: true, pageSize: true }) } },
    async (req, reply) => {
      const buf = await staffWorkbook(db, req.auth!, req.query);
      return sendXlsx(reply, '员工清单.xlsx', buf);
    },
  );

  app.get('/:id', { config: { access: 'staff.read' }, schema: { tags, summary: '员工详情 / one staff member', params: IdParams, response: { 200: StaffOut } } }, async (req) =>
    svc.getStaff(db, req.auth!, req.params.id),
  );

  app.post('/', { config: { access: 'staff.write' }, schema: { tags, summary: '新增员工 / create staff', body: CreateStaffBody, response: { 201: StaffOut } } }, async (req, reply) =>
    reply.status(201).send(await svc.createStaff(db, req.auth!, req.body)),
  );

  app.patch('/:id', { config: { access: 'staff.write' }, schema: { tags, summary: '修改员工 / update staff', params: IdParams, body: UpdateStaffBody, response: { 200: StaffOut } } }, async (req) =>
    svc.updateStaff(db, req.auth!, req.params.id, req.body),
  );

  app.put('/:id/roles', { config: { access: 'role.assign' }, schema: { tags, summary: '分配角色 / replace roles', params: IdParams, body: PutRolesBody, response: { 200: StaffOut } } }, async (req) =>
    svc.replaceRoles(db, req.auth!, req.params.id, req.body),
  );

  app.post(
    '/:id/reset-password',
    {
      config: { access: 'staff.reset_password' },
      schema: { tags, summary: '重置密码（首次登录须修改）/ set a temporary password', params: IdParams, body: ResetPasswordBody, response: { 204: z.null() } },
    },
    async (req, reply) => {
      await svc.adminResetPassword(db, req.auth!, req.params.id, req.body.temporary);
      return reply.status(204).send(null);
    },
  );

  app.post('/:id/unlock', { config: { access: 'staff.reset_password' }, schema: { tags, summary: '解除锁定 / unlock account', params: IdParams, response: { 204: z.null() } } }, async (req, reply) => {
    await svc.unlockStaff(db, req.auth!, req.params.id);
    return reply.status(204).send(null);
  });
};
