import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { itemList } from '../../http/lists.js';
import { IdParams } from '../org/org.schemas.js';
import { CorrectionPreviewBody, CorrectionPreviewOut, FormSaleBody, PickClientOut, PickDepartmentOut, PickerQuery, PickStaffOut, SalePreviewOut } from './sales.form.schemas.js';
import { pickClients, pickDepartments, pickStaff, previewCorrection, previewSale, withClientIds } from './sales.form.js';
import { toSaleInput } from './sales.schemas.js';

const tags = ['sales'];

/** The one-sale form (issue 12): split preview, correction preview, pickers. Registered under /api/sales. */
export const saleFormRoutes: FastifyPluginAsyncZod = async (app) => {
  const db = app.database.db;

  app.post(
    '/preview',
    {
      config: { access: 'sale.write' },
      schema: {
        tags,
        summary: '预览一笔销售的积分分配（与登记相同的校验与计分，不写入任何数据）/ preview the split a sale would get, writing nothing',
        body: FormSaleBody,
        response: { 200: SalePreviewOut },
      },
    },
    async (req) => previewSale(db, req.auth!, toSaleInput(await withClientIds(db, req.body)), { lang: req.lang }),
  );

  app.post(
    '/:id/correction-preview',
    {
      config: { access: 'objection.answer' },
      schema: {
        tags,
        summary: '预览更正前后各部门、人员的积分（答复异议用，不写入任何数据）/ before and after points of a proposed correction',
        params: IdParams,
        body: CorrectionPreviewBody,
        response: { 200: CorrectionPreviewOut },
      },
    },
    async (req) =>
      previewCorrection(
        db,
        req.auth!,
        req.params.id,
        {
          quantity1e4: req.body.quantity,
          departments: req.body.departments ? toSaleInput({ ...EMPTY, departments: req.body.departments }).departments : undefined,
          people: req.body.people ? toSaleInput({ ...EMPTY, people: req.body.people }).people : undefined,
        },
        req.lang,
      ),
  );

  app.get(
    '/pickers/departments',
    {
      config: { access: 'authenticated' },
      schema: { tags, summary: '登记/更正销售可选的部门（本人可登记或更正销售的分行）/ departments for the sale form', response: { 200: itemList(PickDepartmentOut) } },
    },
    async (req) => ({ items: await pickDepartments(db, req.auth!) }),
  );

  app.get(
    '/pickers/staff',
    {
      config: { access: 'authenticated' },
      schema: { tags, summary: '登记/更正销售可选的营销人员（姓名或工号）/ staff for the sale form, by name or number', querystring: PickerQuery, response: { 200: itemList(PickStaffOut) } },
    },
    async (req) => ({ items: await pickStaff(db, req.auth!, req.query) }),
  );

  app.get(
    '/pickers/clients',
    {
      config: { access: 'sale.write' },
      schema: {
        tags,
        summary: '登记销售可选的客户（名称、统一社会信用代码或身份证后4位；证件号码脱敏）/ clients for the sale form',
        querystring: PickerQuery,
        response: { 200: itemList(PickClientOut) },
      },
    },
    async (req) => ({ items: await pickClients(db, req.auth!, req.query) }),
  );
};

/** The parts of a sale body a correction does not carry (toSaleInput reads only departments and people from it). */
const EMPTY = { sourceId: '-', productCode: '-', saleDate: '2000-01-01', quantity: 1, departments: [], people: [] };
