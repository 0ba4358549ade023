import { sql } from 'drizzle-orm';
import { rows } from '../../db/client.js';
import { developmentFigures } from '../../db/schema/index.js';
import { appendAudit, type AuditEntryInput } from '../audit/audit.service.js';
import { canAtBranch } from '../sales/sales.policy.js';
import { scoreSales } from '../scoring/ledger.service.js';
import { chunks, type ImportColumn, type ImportSpec, parseCells, type RowError } from '../imports/import-spec.js';
import { codeCell, dateCell, intCell } from '../imports/cells.js';
import { clock } from '../../calendar/index.js';

/** Cumulative mortgage households of a development as of a day; ids filled by prepare(). */
export interface FigureValue {
  code: string;
  asOf: string;
  totalHouseholds: number;
  bankHouseholds: number;
  developmentId?: number;
  /** The development's branch: its audit entry names it. */
  nodeId?: number;
  same?: boolean;
}

const COLUMNS: ImportColumn[] = [
  {
    key: 'code',
    header: '楼盘编号',
    headerEn: 'Development code',
    required: true,
    example: 'FS-LP-001',
    text: true,
    width: 14,
    schema: codeCell(),
    invalid: { zh: '应为楼盘编号', en: 'a development code' },
  },
  {
    key: 'asOf',
    header: '统计日期',
    headerEn: 'As of',
    aliases: ['截至日期'],
    required: true,
    example: '2026-10-31',
    width: 12,
    schema: dateCell(),
    invalid: { zh: '日期格式不正确（如 2026-10-31）', en: 'not a date' },
    note: { zh: '累计户数的截至日期，不能晚于今日', en: 'Cumulative up to this day; not after today' },
  },
  {
    key: 'totalHouseholds',
    header: '按揭总户数',
    headerEn: 'Total mortgage households',
    aliases: ['个人住房贷款总户数'],
    required: true,
    example: 200,
    width: 12,
    schema: intCell(0, 1_000_000),
    invalid: { zh: '应为不小于0的整数', en: 'a whole number ≥ 0' },
  },
  {
    key: 'bankHouseholds',
    header: '本行按揭户数',
    headerEn: 'Bank mortgage households',
    aliases: ['本行个人住房贷款户数'],
    required: true,
    example: 170,
    width: 12,
    schema: intCell(0, 1_000_000),
    invalid: { zh: '应为不小于0的整数', en: 'a whole number ≥ 0' },
    note: { zh: '不能大于按揭总户数', en: 'At most the total' },
  },
];

/** SPEC §8 development figures by Excel: rows are added over time; one on file is never edited. */
export const developmentFiguresSpec: ImportSpec<FigureValue> = {
  kind: 'development-figures',
  labelZh: '楼盘按揭户数',
  labelEn: 'Development mortgage figures',
  permission: 'development.write',
  columns: COLUMNS,

  parseRow(cells) {
    const { values, errors } = parseCells(COLUMNS, cells);
    if (!errors.length && (values.bankHouseholds as number) > (values.totalHouseholds as number))
      errors.push({ column: 'bankHouseholds', zh: '本行按揭户数不能大于按揭总户数', en: 'cannot exceed the total' });
    if (errors.length) return { errors };
    return { value: { code: (values.code as string).toUpperCase(), asOf: values.asOf as string, totalHouseholds: values.totalHouseholds as number, bankHouseholds: values.bankHouseholds as number } };
  },

  naturalKey: (v) => `${v.code}@${v.asOf}`,

  async prepare(db, list, ctx) {
    const errors = new Map<number, RowError[]>();
    const today = clock.today();
    const devs = new Map(
      (
        await rows<{ id: number; code: string; nodeId: number; path: string }>(db, sql`SELECT d.id, d.code, d.node_id AS "nodeId", n.path FROM developments d JOIN org_nodes n ON n.id = d.node_id`)
      ).map((d) => [d.code.toUpperCase(), d]),
    );
    const onFile = new Map(
      (
        await rows<{ developmentId: number; asOf: string; t: number; b: number }>(
          db,
          sql`SELECT development_id AS "developmentId", as_of::text AS "asOf", total_households AS t, bank_households AS b FROM development_figures`,
        )
      ).map((f) => [`${f.developmentId}@${f.asOf}`, f]),
    );
    for (const { rowNumber, value: v } of list) {
      const errs: RowError[] = [];
      const d = devs.get(v.code);
      if (!d) errs.push({ column: 'code', zh: `楼盘编号 ${v.code} 不存在`, en: `unknown development ${v.code}` });
      else if (!canAtBranch(ctx.auth, 'development.write', d.path)) errs.push({ column: 'code', zh: `楼盘 ${v.code} 不在您的管理范围内`, en: `${v.code} is outside your organisation` });
      else {
        v.developmentId = d.id;
        v.nodeId = d.nodeId;
        const f = onFile.get(`${d.id}@${v.asOf}`);
        v.same = !!f && f.t === v.totalHouseholds && f.b === v.bankHouseholds;
        if (f && !v.same)
          errs.push({ column: 'totalHouseholds', zh: `该楼盘 ${v.asOf} 已有按揭户数（${f.b}/${f.t}），不能修改`, en: `figures as of ${v.asOf} exist (${f.b}/${f.t}) and are never edited` });
      }
      if (v.asOf > today) errs.push({ column: 'asOf', zh: '统计日期不能晚于今日（北京时间）', en: 'cannot be after today (Beijing)' });
      if (errs.length) errors.set(rowNumber, errs);
    }
    return errors;
  },

  async write(tx, list, ctx, onRows) {
    const fresh = list.filter((r) => !r.value.same).map((r) => r.value);
    const audit: AuditEntryInput[] = [];
    for (const c of chunks(fresh, 1000)) {
      await tx
        .insert(developmentFigures)
        .values(c.map((v) => ({ developmentId: v.developmentId!, asOf: v.asOf, totalHouseholds: v.totalHouseholds, bankHouseholds: v.bankHouseholds, createdBy: ctx.actor.id })));
      for (const v of c)
        audit.push({
          action: 'development.figures',
          entity: 'development',
          entityId: v.developmentId!,
          nodeId: v.nodeId!,
          after: { code: v.code, asOf: v.asOf, totalHouseholds: v.totalHouseholds, bankHouseholds: v.bankHouseholds },
        });
    }
    // The mortgage verdict of the months from each new figure on may change (SPEC §8).
    const earliest = new Map<number, string>();
    for (const v of fresh) if (!earliest.has(v.developmentId!) || v.asOf < earliest.get(v.developmentId!)!) earliest.set(v.developmentId!, v.asOf);
    for (const [id, asOf] of earliest) {
      const ids = (await rows<{ id: number }>(tx, sql`SELECT id FROM sales WHERE development_id = ${id} AND sale_date >= ${`${asOf.slice(0, 7)}-01`}::date ORDER BY id`)).map((r) => r.id);
      for (const c of chunks(ids, 5000)) await scoreSales(tx, c);
    }
    await appendAudit(tx, ctx.actor, audit);
    onRows?.(list.length);
    return { inserted: fresh.length, updated: 0, unchanged: list.length - fresh.length };
  },
};
