import { z } from 'zod';
import { type ResolvedSale, resolveSales, type SaleField } from './sales.resolve.js';
import { parseParticipants, parsePeople, parseRatios, quantity1e4, type SaleInput, withRatios } from './sales.rules.js';
import { insertResolved } from './sales.service.js';
import { cellSchema, codeCell, dateCell, intCell, textCell } from '../imports/cells.js';
import { type ImportColumn, type ImportSpec, parseCells, type RowError } from '../imports/import-spec.js';
import { type CellRaw, normCode } from '../imports/normalize.js';
import { beijingDay, clock } from '../../calendar/index.js';
import { parseIdNumber } from '../customers/ids.rules.js';
import { idNumberProblem, usccProblem } from '../customers/import-cells.js';

/** A sale row; `resolved` is filled by prepare(). */
export interface SaleValue extends SaleInput {
  resolved?: ResolvedSale;
}

// Each schema has its plain-JS twin (cells.ts cellSchema): parseCells calls it instead of zod's
// safeParse per cell (a tenth of a bulk load's parsing); sales.import.test.ts holds the two to the
// same answer.
const isStr = (v: unknown): v is string => typeof v === 'string';
const UPPER_CODE = /^[A-Z0-9]+$/;
const upperCode = (max: number) =>
  cellSchema(
    (v) => normCode(v)?.toUpperCase(),
    z.string().min(1).max(max).regex(UPPER_CODE),
    (v) => isStr(v) && v.length >= 1 && v.length <= max && UPPER_CODE.test(v),
  );
const SOURCE_ID = /^[A-Za-z0-9][A-Za-z0-9_.:/-]*$/;
/** A quantity cell → ten-thousandths (quantity1e4), undefined when unreadable or empty. */
const quantityCell = (v: CellRaw) => {
  const t = normCode(v);
  return t === null ? undefined : quantity1e4(t);
};

const COLUMNS: ImportColumn[] = [
  {
    key: 'sourceId',
    header: '交易流水号',
    headerEn: 'Source transaction id',
    aliases: ['流水号', '交易编号'],
    required: true,
    example: 'FS202611010001',
    text: true,
    width: 20,
    schema: cellSchema(normCode, z.string().min(1).max(64).regex(SOURCE_ID), (v) => isStr(v) && v.length >= 1 && v.length <= 64 && SOURCE_ID.test(v)),
    invalid: { zh: '应为字母、数字组成的流水号（不超过64位）', en: 'letters and digits, at most 64' },
    note: {
      zh: '核心系统交易流水号，全行唯一；同一流水号内容相同的重复导入不做任何修改，内容不同报错',
      en: 'Unique; the same id with the same content changes nothing, with other content is an error',
    },
  },
  {
    key: 'productCode',
    header: '产品代码',
    headerEn: 'Product code',
    required: true,
    example: 'CREDIT',
    text: true,
    width: 12,
    schema: codeCell(),
    invalid: { zh: '应为产品目录中的产品代码', en: 'a product code of the catalogue' },
  },
  {
    key: 'idNumber',
    header: '客户身份证号码',
    headerEn: 'Client ID number',
    aliases: ['身份证号码', '证件号码'],
    required: false,
    example: '440604199001011234',
    text: true,
    width: 20,
    schema: upperCode(18),
    invalid: { zh: '身份证号码格式不正确', en: 'not an ID number' },
    explain: (raw) => idNumberProblem(raw, 'format'),
    note: { zh: '个人客户的居民身份证号码；与统一社会信用代码至少填一项', en: 'ID number of the buyer; this or the credit code' },
  },
  {
    key: 'uscc',
    header: '统一社会信用代码',
    headerEn: 'Credit code',
    aliases: ['社会信用代码'],
    required: false,
    example: '',
    text: true,
    width: 20,
    schema: upperCode(18),
    invalid: { zh: '统一社会信用代码格式不正确', en: 'not a credit code' },
    explain: usccProblem,
    note: { zh: '对公客户（客户所在单位）的统一社会信用代码', en: 'Credit code of the company the sale came through' },
  },
  { key: 'projectId', header: '项目编号', headerEn: 'Project No.', required: false, example: '', width: 10, schema: intCell(1), invalid: { zh: '应为项目编号（正整数）', en: 'a project number' } },
  {
    key: 'developmentCode',
    header: '楼盘编号',
    headerEn: 'Development code',
    required: false,
    example: '',
    text: true,
    width: 12,
    schema: codeCell(),
    invalid: { zh: '应为楼盘编号', en: 'a development code' },
    note: { zh: '个人住房贷款必填', en: 'Required for mortgages' },
  },
  {
    key: 'saleDate',
    header: '销售日期',
    headerEn: 'Sale date',
    required: true,
    example: '2026-11-02',
    width: 12,
    schema: dateCell(),
    invalid: { zh: '日期格式不正确（如 2026-11-02）', en: 'not a date (2026-11-02)' },
  },
  {
    key: 'quantity',
    header: '数量',
    headerEn: 'Quantity',
    required: true,
    example: 1,
    width: 8,
    schema: cellSchema(quantityCell, z.number().int().positive(), (v) => typeof v === 'number' && Number.isSafeInteger(v) && v > 0),
    invalid: { zh: '应为大于0且不超过100,000,000的数，最多四位小数', en: 'a number above 0 and at most 100,000,000, four decimals at most' },
    note: { zh: '按产品计量单位（件、户、万元等）', en: 'In the product’s unit' },
  },
  {
    key: 'hostDepartmentCode',
    header: '主办部门代码',
    headerEn: 'Host department',
    required: false,
    example: '',
    text: true,
    width: 12,
    schema: codeCell(),
    invalid: { zh: '应为部门代码', en: 'a department code' },
    note: { zh: '不填则为产品的主办部门', en: 'Empty: the product’s host department' },
  },
  {
    key: 'departments',
    header: '参与部门',
    headerEn: 'Participating departments',
    required: true,
    example: 'CORP:60,INST:40',
    width: 22,
    schema: textCell(500),
    invalid: { zh: '格式如 CORP:60,INST:40 或 CORP、INST', en: 'like CORP:60,INST:40 or CORP,INST' },
    note: { zh: '主办部门以外的参与部门代码，可带协商分成比例（%，合计100），不带比例则平均分配', en: 'Departments other than the host, optionally with ratios summing to 100' },
  },
  {
    key: 'people',
    header: '营销人员',
    headerEn: 'People',
    required: false,
    example: '44110023@CC:营销:50,44110031@CORP:介绍:50',
    width: 40,
    schema: textCell(2000),
    invalid: { zh: '格式如 44110023@PF:营销:50,44110031@CORP:介绍', en: 'like 44110023@PF:营销:50,44110031@CORP:介绍' },
    note: {
      zh: '工号@部门代码:角色:贡献比例(%)，多人用逗号分隔；同一部门的比例须合计100或都不填；按权重写作 w2 或 权重2（如 44110023@PF:营销:w1,44110024@PF:营销:w2）',
      en: 'staffNo@DEPT:role:contribution (%), comma-separated; a weight as w2 (44110023@PF:营销:w1,44110024@PF:营销:w2)',
    },
  },
  {
    key: 'branchCode',
    header: '机构号',
    headerEn: 'Branch code',
    aliases: ['分行机构号', '所属机构号'],
    required: false,
    example: '',
    text: true,
    width: 10,
    schema: codeCell(),
    invalid: { zh: '应为分行机构号', en: 'a branch code' },
    note: { zh: '销售所属分行；不填则取第一位营销人员所在分行', en: 'The sale’s branch; empty: the first person’s branch' },
  },
  {
    key: 'ratios',
    header: '协商比例',
    headerEn: 'Negotiated ratios',
    aliases: ['分成比例', '协商分成比例'],
    required: false,
    example: '',
    width: 14,
    schema: textCell(200),
    invalid: {
      zh: '格式如 1:2、3:1:1（权重，按参与部门的顺序）或 40%/60%（百分比，合计100）；个数须与参与部门一致，且参与部门内不再另写比例',
      en: 'like 1:2, 3:1:1 (weights, in the order of the departments) or 40%/60% (percentages totalling 100); one per participating department, none written beside the codes',
    },
    note: {
      zh: '参与部门之间的协商比例，按参与部门的顺序：权重写作 1:2 或 1：2、3:1:1，百分比写作 40%/60%；不填则用参与部门里写的百分比或平均分配',
      en: 'Ratios among the participating departments, in their order: weights 1:2, 3:1:1 or percentages 40%/60%; empty: the percentages in the departments cell, or equal',
    },
  },
];

/**
 * clock.today() for every row, without formatting a date per row (a bulk load parses millions):
 * the clock is still read each time, and the day's text is made again only when Beijing's day
 * number changes. Beijing keeps UTC+8 all year, so the day number is the same arithmetic as
 * beijingDay's.
 */
let memoDay = Number.NaN;
let memoText = '';
const DAY_MS = 86_400_000;
const BEIJING_MS = 8 * 3_600_000;
export function todayInBeijing(): string {
  const at = clock.now();
  const day = Math.floor((at.getTime() + BEIJING_MS) / DAY_MS);
  if (day !== memoDay) {
    memoText = beijingDay(at);
    memoDay = day;
  }
  return memoText;
}

/** Which column a sale issue is about. */
export function columnOf(field: SaleField, v: SaleInput): string {
  if (field === 'client') return v.idNumber ? 'idNumber' : 'uscc';
  return field;
}

/** SPEC §7 cross-sales by Excel, one row per sale; a source id on file counts as unchanged. */
export const salesSpec: ImportSpec<SaleValue> = {
  kind: 'sales',
  labelZh: '交叉销售',
  labelEn: 'Cross-sales',
  permission: 'sale.write',
  columns: COLUMNS,

  parseRow(cells) {
    const { values, errors } = parseCells(COLUMNS, cells);
    let departments = values.departments ? parseParticipants(values.departments as string) : [];
    if (values.departments && !departments) errors.push({ column: 'departments', ...COLUMNS.find((c) => c.key === 'departments')!.invalid });
    if (values.ratios && departments) {
      // 协商比例: weights 1:2 or percentages 40%/60%, in the order the departments are listed.
      const ratios = parseRatios(values.ratios as string);
      departments = ratios && withRatios(departments, ratios);
      if (!departments) errors.push({ column: 'ratios', ...COLUMNS.find((c) => c.key === 'ratios')!.invalid });
    }
    const people = values.people ? parsePeople(values.people as string) : [];
    if (values.people && !people) errors.push({ column: 'people', ...COLUMNS.find((c) => c.key === 'people')!.invalid });
    // The check digits first (GB 11643, GB 32100): a mistyped number is named as such, as typed,
    // rather than reported as a client that does not exist (issue 18).
    if (typeof values.idNumber === 'string') {
      const id = parseIdNumber(values.idNumber, todayInBeijing());
      if (!id.ok) errors.push({ column: 'idNumber', ...idNumberProblem(cells.idNumber, id.problem) });
    }
    const usccWrong = typeof values.uscc === 'string' ? usccProblem(cells.uscc) : null;
    if (usccWrong) errors.push({ column: 'uscc', ...usccWrong });
    if (!errors.length && !values.idNumber && !values.uscc) errors.push({ column: 'idNumber', zh: '客户身份证号码与统一社会信用代码至少填写一项', en: 'give the ID number or the credit code' });
    if (errors.length) return { errors };
    return {
      value: {
        sourceId: values.sourceId as string,
        productCode: (values.productCode as string).toUpperCase(),
        idNumber: values.idNumber as string | null,
        uscc: values.uscc as string | null,
        projectId: values.projectId as number | null,
        developmentCode: values.developmentCode as string | null,
        saleDate: values.saleDate as string,
        quantity1e4: values.quantity as number,
        branchCode: values.branchCode as string | null,
        hostDepartmentCode: (values.hostDepartmentCode as string | null)?.toUpperCase() ?? null,
        departments: departments!,
        people: people!,
      },
    };
  },

  naturalKey: (v) => v.sourceId,

  async prepare(db, list, ctx) {
    const errors = new Map<number, RowError[]>();
    const { resolved, issues } = await resolveSales(
      db,
      ctx.auth,
      list.map((r) => r.value),
      { today: clock.today() },
    );
    list.forEach((r, i) => {
      const errs = issues.get(i);
      if (errs)
        errors.set(
          r.rowNumber,
          errs.map((e) => ({ column: columnOf(e.field, r.value), code: e.code, zh: `${e.zh}（${e.code}）`, en: `${e.en} (${e.code})` })),
        );
      else r.value.resolved = resolved[i];
    });
    return errors;
  },

  async write(tx, list, ctx, onRows) {
    const results = await insertResolved(
      tx,
      ctx.actor,
      list.map((r) => r.value.resolved!),
      { auditAction: 'sale.import' },
    );
    onRows?.(list.length);
    const created = results.filter((r) => r.status === 'created').length;
    return { inserted: created, updated: 0, unchanged: results.length - created };
  },
};
