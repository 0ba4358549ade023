import { sql } from 'drizzle-orm';
import { textArray } from '../../db/arrays.js';
import { type DbOrTx, rows } from '../../db/client.js';
import { appendAudit, type AuditEntryInput } from '../audit/audit.service.js';
import { codeCell, enumCell, textCell } from '../imports/cells.js';
import { type ImportColumn, type ImportSpec, parseCells, type RowError } from '../imports/import-spec.js';
import { clock } from '../../calendar/index.js';
import { addError, DATETIME_INVALID, dateTimeCell, KIND_INVALID, KIND_WORDS, projectsByRef, type Ref, refCell } from './import-refs.js';
import type { ActivityKind } from './projects.rules.js';

type Status = 'planned' | 'held' | 'cancelled';

/** One activity of a project; ids are filled in by prepare(). */
export interface ActivityRowValue {
  key: string;
  project: Ref;
  kind: ActivityKind;
  title: string;
  startsAt: string;
  place: string | null;
  status: Status;
  outcome: string | null;
  projectId?: number;
  nodeId?: number;
}

const STATUS_WORDS: Record<string, Status> = {
  计划: 'planned',
  计划中: 'planned',
  已举办: 'held',
  已完成: 'held',
  已取消: 'cancelled',
  取消: 'cancelled',
  planned: 'planned',
  held: 'held',
  cancelled: 'cancelled',
};

const COLUMNS: ImportColumn[] = [
  {
    key: 'key',
    header: '活动编号',
    headerEn: 'Activity No.',
    required: true,
    example: 'HD-2026-0001',
    text: true,
    width: 16,
    schema: codeCell(64),
    invalid: { zh: '应为字母、数字组成的编号', en: 'letters and digits' },
    note: { zh: '您为活动定的唯一编号；再次导入同一编号只更新该活动，参加人导入用它指明活动', en: 'Your unique number; importing it again updates the activity; the attendee import names it' },
  },
  {
    key: 'project',
    header: '项目',
    headerEn: 'Project',
    aliases: ['项目编号', '目标单位'],
    required: true,
    example: '91440600MA4UKH9X3L',
    text: true,
    width: 22,
    schema: refCell(),
    invalid: { zh: '应为项目编号或目标单位的统一社会信用代码', en: 'the project id or the unit’s credit code' },
    note: { zh: '项目编号（项目页地址中的数字），或目标单位的统一社会信用代码（该单位只有一个进行中的项目时）', en: 'The project id, or the unit’s credit code when it has one active project' },
  },
  { key: 'kind', header: '类型', headerEn: 'Kind', aliases: ['活动类型'], required: true, example: '理财沙龙', width: 12, schema: enumCell(KIND_WORDS), invalid: KIND_INVALID },
  {
    key: 'title',
    header: '主题',
    headerEn: 'Title',
    aliases: ['活动主题'],
    required: true,
    example: '年终理财沙龙',
    width: 24,
    schema: textCell(80),
    invalid: { zh: '不能超过80个字', en: 'at most 80 characters' },
  },
  {
    key: 'startsAt',
    header: '开始时间',
    headerEn: 'Starts at',
    required: true,
    example: '2026-12-10 14:30',
    text: true,
    width: 18,
    schema: dateTimeCell(),
    invalid: DATETIME_INVALID,
  },
  { key: 'place', header: '地点', headerEn: 'Place', required: false, example: '单位三楼会议室', width: 20, schema: textCell(120), invalid: { zh: '不能超过120个字', en: 'at most 120 characters' } },
  {
    key: 'status',
    header: '状态',
    headerEn: 'Status',
    required: false,
    example: '计划',
    width: 10,
    schema: enumCell(STATUS_WORDS),
    invalid: { zh: '应为 计划、已举办 或 已取消', en: 'planned, held or cancelled' },
    note: { zh: '不填为“计划”', en: 'Empty: planned' },
  },
  {
    key: 'outcome',
    header: '备注',
    headerEn: 'Note',
    aliases: ['活动效果', '结果'],
    required: false,
    example: '',
    width: 30,
    schema: textCell(1000),
    invalid: { zh: '不能超过1000个字', en: 'at most 1000 characters' },
  },
];

interface Existing {
  id: number;
  key: string;
  projectId: number;
  kind: ActivityKind;
  title: string;
  startsAt: Date | string;
  place: string | null;
  status: Status;
  outcome: string | null;
}

async function existingByKey(db: DbOrTx, keys: string[], lock = false): Promise<Map<string, Existing>> {
  const list = await rows<Existing>(
    db,
    sql`SELECT id, source_key AS key, project_id AS "projectId", kind, title, starts_at AS "startsAt", place, status, outcome
          FROM activities WHERE source_key = ANY(${textArray(keys)}::text[]) ${lock ? sql`FOR UPDATE` : sql``}`,
  );
  return new Map(list.map((a) => [a.key, a]));
}

const fields = (v: ActivityRowValue | Existing) => ({
  kind: v.kind,
  title: v.title,
  startsAt: new Date(v.startsAt).toISOString(),
  place: v.place,
  status: v.status,
  outcome: v.outcome,
});
const same = (a: ReturnType<typeof fields>, b: ReturnType<typeof fields>) => JSON.stringify(a) === JSON.stringify(b);

/**
 * 营销活动 by Excel (issue 13): one row per activity of a project, keyed by 活动编号. Planning one
 * takes what planning it by hand takes (the caller works the project: on its team with
 * project.work, or project.work / project.manage over its branch; the project is active). A
 * re-import of the same file changes nothing; a changed row updates its activity.
 */
export const projectActivitiesSpec: ImportSpec<ActivityRowValue> = {
  kind: 'project-activities',
  labelZh: '营销活动',
  labelEn: 'Project activities',
  permission: 'project.work',
  columns: COLUMNS,

  parseRow(cells) {
    const { values, errors } = parseCells(COLUMNS, cells);
    if (errors.length) return { errors };
    return {
      value: {
        key: (values.key as string).toUpperCase(),
        project: values.project as Ref,
        kind: values.kind as ActivityKind,
        title: values.title as string,
        startsAt: values.startsAt as string,
        place: values.place as string | null,
        status: (values.status as Status | null) ?? 'planned',
        outcome: values.outcome as string | null,
      },
    };
  },

  naturalKey: (v) => v.key,

  async prepare(db, list, ctx) {
    const errors = new Map<number, RowError[]>();
    const projectOf = await projectsByRef(
      db,
      ctx.auth,
      list.map((r) => r.value.project),
    );
    const existing = await existingByKey(
      db,
      list.map((r) => r.value.key),
    );
    for (const { rowNumber, value: v } of list) {
      const got = projectOf(v.project);
      if ('error' in got) {
        addError(errors, rowNumber, { column: 'project', ...got.error });
        continue;
      }
      v.projectId = got.p.id;
      v.nodeId = got.p.nodeId;
      const a = existing.get(v.key);
      // A number already used elsewhere is refused without naming where.
      if (a && a.projectId !== got.p.id)
        addError(errors, rowNumber, { column: 'key', code: 'IMPORT.DUPLICATE', zh: `活动编号 ${v.key} 已用于其他活动`, en: `${v.key} is already used by another activity` });
    }
    return errors;
  },

  async write(tx, list, ctx, onRows) {
    const now = clock.now().toISOString();
    const existing = await existingByKey(
      tx,
      list.map((r) => r.value.key),
      true,
    );
    const audit: AuditEntryInput[] = [];
    const counts = { inserted: 0, updated: 0, unchanged: 0 };
    let done = 0;
    for (const { value: v } of list) {
      const a = existing.get(v.key);
      if (!a) {
        const [r] = await rows<{ id: number }>(
          tx,
          sql`INSERT INTO activities (project_id, kind, title, starts_at, place, status, outcome, source_key, created_by, created_at)
              VALUES (${v.projectId}, ${v.kind}, ${v.title}, ${v.startsAt}, ${v.place}, ${v.status}, ${v.outcome}, ${v.key}, ${ctx.auth.staffId}, ${now}) RETURNING id`,
        );
        audit.push({ action: 'activity.create', entity: 'activity', entityId: r.id, nodeId: v.nodeId!, after: { key: v.key, projectId: v.projectId, ...fields(v), via: 'import' } });
        counts.inserted++;
      } else if (!same(fields(a), fields(v))) {
        await tx.execute(
          sql`UPDATE activities SET kind = ${v.kind}, title = ${v.title}, starts_at = ${v.startsAt}, place = ${v.place}, status = ${v.status}, outcome = ${v.outcome} WHERE id = ${a.id}`,
        );
        audit.push({ action: 'activity.update', entity: 'activity', entityId: a.id, nodeId: v.nodeId!, before: fields(a), after: { ...fields(v), via: 'import' } });
        counts.updated++;
      } else counts.unchanged++;
      onRows?.(++done);
    }
    await appendAudit(tx, ctx.actor, audit);
    return counts;
  },
};
