import { createHash } from 'node:crypto';
import { sql } from 'drizzle-orm';
import { clock } from '../../calendar/index.js';
import { rows } from '../../db/client.js';
import { codeCell, dateCell, textCell } from '../imports/cells.js';
import { type ImportColumn, type ImportSpec, parseCells, type RowError } from '../imports/import-spec.js';
import { institutionsByCode, manages } from './import-refs.js';
import { insertVisit } from './visits.service.js';

interface VisitRow {
  institutionCode: string;
  visitedOn: string;
  peopleMet: string;
  ourPeople: string | null;
  summary: string;
  sourceKey: string;
  institutionId?: number;
  nodeId?: number;
}

const COLUMNS: ImportColumn[] = [
  {
    key: 'institutionCode',
    header: '机构编码',
    headerEn: 'Institution code',
    required: true,
    example: 'FI-FS-001',
    text: true,
    width: 14,
    schema: codeCell(32),
    invalid: { zh: '应为机构编码', en: 'an institution code' },
  },
  { key: 'visitedOn', header: '拜访日期', headerEn: 'Visited on', required: true, example: '2026-11-20', width: 12, schema: dateCell(), invalid: { zh: '应为日期', en: 'a date' } },
  {
    key: 'peopleMet',
    header: '会见人员',
    headerEn: 'People met',
    required: true,
    example: '张行长、李部长',
    width: 20,
    schema: textCell(200),
    invalid: { zh: '不能超过200个字', en: 'at most 200 characters' },
  },
  {
    key: 'ourPeople',
    header: '我方人员',
    headerEn: 'Our people',
    required: false,
    example: '王经理',
    width: 16,
    schema: textCell(200),
    invalid: { zh: '不能超过200个字', en: 'at most 200 characters' },
  },
  {
    key: 'summary',
    header: '拜访情况',
    headerEn: 'Summary',
    required: true,
    example: '介绍同业合作平台，对方有签约意向',
    width: 40,
    schema: textCell(2000),
    invalid: { zh: '不能超过2000个字', en: 'at most 2000 characters' },
  },
];

/**
 * 拜访记录 by Excel, without photos (they are added in the console): one row per visit, idempotent
 * by a hash of the institution, date, people met and summary — the same file imported again adds
 * nothing. The institution must be kept by a branch of the caller's; the visit belongs to it.
 */
export const interbankVisitsSpec: ImportSpec<VisitRow> = {
  kind: 'interbank-visits',
  labelZh: '同业拜访记录',
  labelEn: 'Inter-bank visits',
  permission: 'interbank.manage',
  columns: COLUMNS,

  parseRow(cells) {
    const { values, errors } = parseCells(COLUMNS, cells);
    if (errors.length) return { errors };
    const v = {
      institutionCode: (values.institutionCode as string).toUpperCase(),
      visitedOn: values.visitedOn as string,
      peopleMet: values.peopleMet as string,
      ourPeople: (values.ourPeople as string | null) ?? null,
      summary: values.summary as string,
    };
    const sourceKey = `auto:${createHash('sha256').update(`${v.institutionCode}|${v.visitedOn}|${v.peopleMet}|${v.summary}`).digest('hex').slice(0, 32)}`;
    return { value: { ...v, sourceKey } };
  },

  naturalKey: (v) => v.sourceKey,

  async prepare(db, list, ctx) {
    const errors = new Map<number, RowError[]>();
    const known = await institutionsByCode(
      db,
      list.map((r) => r.value.institutionCode),
      clock.today(),
    );
    for (const { rowNumber, value: v } of list) {
      const inst = known.get(v.institutionCode);
      if (!inst)
        errors.set(rowNumber, [{ column: 'institutionCode', zh: `机构编码 ${v.institutionCode} 不在机构名录中`, en: `${v.institutionCode} is not in the registry`, code: 'FI.INSTITUTION_NOT_FOUND' }]);
      else if (!manages(ctx.auth, inst))
        errors.set(rowNumber, [{ column: 'institutionCode', zh: `机构 ${v.institutionCode} 不在您的管辖范围内`, en: `${v.institutionCode} is outside your scope`, code: 'AUTH.OUT_OF_SCOPE' }]);
      else Object.assign(v, { institutionId: inst.id, nodeId: inst.nodeId });
    }
    return errors;
  },

  async write(tx, list, ctx, onRows) {
    const counts = { inserted: 0, updated: 0, unchanged: 0 };
    const now = clock.now();
    for (const { value: v } of list) {
      const [dup] = await rows<{ id: number }>(tx, sql`SELECT id FROM fi_visits WHERE source_key = ${v.sourceKey}`);
      if (dup) {
        counts.unchanged++;
        continue;
      }
      await insertVisit(tx, ctx.actor, v.institutionId!, v.nodeId!, v, now);
      counts.inserted++;
    }
    onRows?.(list.length);
    return counts;
  },
};
