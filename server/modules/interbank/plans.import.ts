import { sql } from 'drizzle-orm';
import { rows } from '../../db/client.js';
import { clock } from '../../calendar/index.js';
import { isBankWide } from '../access/context.js';
import { codeCell, intCell, textCell } from '../imports/cells.js';
import { type ImportColumn, type ImportSpec, parseCells, type RowError } from '../imports/import-spec.js';
import { applyPlan } from './plans.service.js';

interface PlanLine {
  year: number;
  nodeCode: string;
  planCount: number;
  reason: string | null;
}

const COLUMNS: ImportColumn[] = [
  { key: 'year', header: '年度', headerEn: 'Year', required: true, example: 2027, width: 8, schema: intCell(2000, 2100), invalid: { zh: '应为2000-2100的年份', en: 'a year 2000–2100' } },
  {
    key: 'nodeCode',
    header: '机构号',
    headerEn: 'Branch code',
    aliases: ['二级分行机构号', '机构代码'],
    required: true,
    example: '44110001',
    text: true,
    width: 12,
    schema: codeCell(),
    invalid: { zh: '应为二级分行的机构号', en: 'a tier-2 branch code' },
  },
  { key: 'branchName', header: '二级分行', headerEn: 'Branch', required: false, example: '佛山分行', width: 14, schema: textCell(60), invalid: { zh: '不能超过60个字', en: 'at most 60 characters' } },
  {
    key: 'planCount',
    header: '覆盖计划（户）',
    headerEn: 'Coverage plan (institutions)',
    aliases: ['覆盖计划', '计划户数'],
    required: true,
    example: 10,
    width: 12,
    schema: intCell(0, 100000),
    invalid: { zh: '应为不小于0的整数', en: 'a whole number ≥ 0' },
  },
  {
    key: 'reason',
    header: '调整原因',
    headerEn: 'Reason',
    aliases: ['备注'],
    required: false,
    example: '年初下达',
    width: 24,
    schema: textCell(200),
    invalid: { zh: '不能超过200个字', en: 'at most 200 characters' },
  },
];

/**
 * 同业合作平台覆盖计划 by Excel (seed 000 四(二)): one row per tier-2 branch and year, keyed by
 * year + 机构号; a changed count is a new plan version with the row's reason, an unchanged one
 * writes nothing (the same file again changes nothing). interbank.configure at province level.
 */
export const interbankPlansSpec: ImportSpec<PlanLine> = {
  kind: 'interbank-plans',
  labelZh: '同业合作平台覆盖计划',
  labelEn: 'Inter-bank coverage plans',
  permission: 'interbank.configure',
  columns: COLUMNS,

  parseRow(cells) {
    const { values, errors } = parseCells(COLUMNS, cells);
    if (errors.length) return { errors };
    return { value: { year: values.year as number, nodeCode: values.nodeCode as string, planCount: values.planCount as number, reason: (values.reason as string | null) ?? null } };
  },

  naturalKey: (v) => `${v.year}@${v.nodeCode}`,

  async prepare(db, list, ctx) {
    const errors = new Map<number, RowError[]>();
    const writer = isBankWide(ctx.auth, 'interbank.configure');
    const branches = new Set((await rows<{ code: string }>(db, sql`SELECT code FROM org_nodes WHERE level = 'branch'`)).map((b) => b.code));
    for (const { rowNumber, value: v } of list) {
      const errs: RowError[] = [];
      if (!writer)
        errs.push({
          column: 'nodeCode',
          zh: '覆盖计划为省分行配置，须由省分行持有“同业合作平台配置”权限的人员维护',
          en: 'Plans are set at province level (interbank.configure)',
          code: 'AUTH.BANK_WIDE_REQUIRED',
        });
      if (!branches.has(v.nodeCode)) errs.push({ column: 'nodeCode', zh: `机构号 ${v.nodeCode} 不是二级分行`, en: `${v.nodeCode} is not a tier-2 branch`, code: 'IMPORT.REFERENCE' });
      if (errs.length) errors.set(rowNumber, errs);
    }
    return errors;
  },

  async write(tx, list, ctx, onRows) {
    const counts = { inserted: 0, updated: 0, unchanged: 0 };
    const ids = new Map((await rows<{ id: number; code: string }>(tx, sql`SELECT id, code FROM org_nodes WHERE level = 'branch'`)).map((b) => [b.code, b.id]));
    const now = clock.now();
    for (const { value: v } of list) counts[await applyPlan(tx, ctx.actor, { year: v.year, nodeId: ids.get(v.nodeCode)!, planCount: v.planCount, reason: v.reason ?? '导入' }, now)]++;
    onRows?.(list.length);
    return counts;
  },
};
