import { sql } from 'drizzle-orm';
import { intArray, textArray } from '../../db/arrays.js';
import { type DbOrTx, rows } from '../../db/client.js';
import { canReach, READS } from '../access/references.js';
import { appendAudit, type AuditEntryInput } from '../audit/audit.service.js';
import { auditablePerson } from '../customers/customers.presenter.js';
import { parseIdNumber } from '../customers/ids.rules.js';
import { idNumberProblem, idTextCell, peopleById } from '../customers/import-cells.js';
import { boolCell, codeCell, enumCell, intCell, phoneCell, textCell } from '../imports/cells.js';
import { type ImportColumn, type ImportSpec, parseCells, type RowError } from '../imports/import-spec.js';
import { clock } from '../../calendar/index.js';
import { newCheckinCode } from './activities.service.js';
import { addError, DATETIME_INVALID, dateTimeCell, projectsByRef } from './import-refs.js';

type Rsvp = 'pending' | 'accepted' | 'declined';

/** One invitee of an activity; ids are filled in by prepare(). */
export interface AttendeeValue {
  activity: string;
  idNumber: string | null;
  personId: number | null;
  name: string;
  phone: string | null;
  rsvp: Rsvp | null;
  checkedIn: boolean;
  checkedInAt: string | null;
  activityId?: number;
  companyId?: number;
  companyNodeId?: number;
  nodeId?: number;
  /** Set when the person is on file; a new person is created by write(). */
  existingPersonId?: number;
  gender?: 'M' | 'F';
  birthDate?: string;
}

const RSVP_WORDS: Record<string, Rsvp> = {
  接受: 'accepted',
  参加: 'accepted',
  确认参加: 'accepted',
  谢绝: 'declined',
  不参加: 'declined',
  待定: 'pending',
  待回复: 'pending',
  accepted: 'accepted',
  declined: 'declined',
  pending: 'pending',
};

const COLUMNS: ImportColumn[] = [
  {
    key: 'activity',
    header: '活动',
    headerEn: 'Activity',
    aliases: ['活动编号'],
    required: true,
    example: 'HD-2026-0001',
    text: true,
    width: 16,
    schema: codeCell(64),
    invalid: { zh: '应为活动编号', en: 'an activity number' },
    note: { zh: '活动导入时的活动编号，或活动页地址中的数字', en: 'The activity number of the activity import, or the id in its page address' },
  },
  {
    key: 'idNumber',
    header: '客户身份证号码',
    headerEn: 'Client ID number',
    aliases: ['证件号', '证件号码', '身份证号码'],
    required: false,
    example: '11010519491231002X',
    text: true,
    width: 22,
    schema: idTextCell(),
    invalid: { zh: '身份证号码格式不正确', en: 'not an ID number' },
    note: { zh: '与客户编号至少填一项；未建档的客户按此号码新建并关联到目标单位', en: 'This or the client id; a person not on file is created and linked to the unit' },
  },
  {
    key: 'personId',
    header: '客户编号',
    headerEn: 'Client id',
    required: false,
    example: '',
    text: true,
    width: 10,
    schema: intCell(1),
    invalid: { zh: '应为客户编号（数字）', en: 'a client id (digits)' },
  },
  {
    key: 'name',
    header: '姓名',
    headerEn: 'Name',
    aliases: ['客户姓名'],
    required: true,
    example: '王小明',
    width: 12,
    schema: textCell(60),
    invalid: { zh: '不能超过60个字', en: 'at most 60 characters' },
  },
  {
    key: 'phone',
    header: '手机',
    headerEn: 'Mobile',
    aliases: ['手机号', '手机号码'],
    required: false,
    example: '13800138000',
    text: true,
    width: 14,
    schema: phoneCell(),
    invalid: { zh: '应为11位手机号码', en: 'an 11-digit mobile number' },
    note: { zh: '仅用于新建客户；已建档客户的手机号不被修改', en: 'For a new person only; a filed client’s phone is not changed' },
  },
  {
    key: 'rsvp',
    header: '回复',
    headerEn: 'RSVP',
    aliases: ['是否参加'],
    required: false,
    example: '接受',
    width: 10,
    schema: enumCell(RSVP_WORDS),
    invalid: { zh: '应为 接受、谢绝 或 待定', en: 'accepted, declined or pending' },
  },
  { key: 'checkedIn', header: '是否签到', headerEn: 'Checked in', required: false, example: '是', width: 10, schema: boolCell(), invalid: { zh: '应为 是 或 否', en: 'yes or no' } },
  {
    key: 'checkedInAt',
    header: '签到时间',
    headerEn: 'Checked in at',
    required: false,
    example: '2026-12-10 14:25',
    text: true,
    width: 18,
    schema: dateTimeCell(),
    invalid: DATETIME_INVALID,
    note: { zh: '签到了而不填时间，记为导入时间', en: 'Checked in without a time: the import’s time' },
  },
];

const ACTIVITY_REFUSED = (a: string) => ({ code: 'IMPORT.REFERENCE', zh: `活动 ${a} 不存在或不在您的工作范围内`, en: `activity ${a} unknown or outside your work` });
const PERSON_REFUSED = { code: 'IMPORT.REFERENCE', zh: '该客户不存在或不是您可查看的客户', en: 'no such client you may read' };

interface ActivityHead {
  id: number;
  key: string | null;
  projectId: number;
  status: string;
  companyId: number;
  companyNodeId: number;
}

/** Activities by 活动编号 or id: the 活动编号 first, digits then as the id. */
async function activitiesByRef(db: DbOrTx, refs: string[]) {
  const codes = [...new Set(refs.map((r) => r.toUpperCase()))];
  const ids = codes.filter((c) => /^\d{1,9}$/.test(c)).map(Number);
  const list = await rows<ActivityHead>(
    db,
    sql`SELECT a.id, a.source_key AS key, a.project_id AS "projectId", a.status, p.company_id AS "companyId", c.node_id AS "companyNodeId"
          FROM activities a JOIN projects p ON p.id = a.project_id JOIN corporate_clients c ON c.id = p.company_id
         WHERE a.source_key = ANY(${textArray(codes)}::text[]) OR a.id = ANY(${intArray(ids)}::int[])`,
  );
  const byKey = new Map(list.filter((a) => a.key).map((a) => [a.key!, a]));
  const byId = new Map(list.map((a) => [a.id, a]));
  return (ref: string) => byKey.get(ref.toUpperCase()) ?? (/^\d{1,9}$/.test(ref) ? byId.get(Number(ref)) : undefined);
}

const masked = (id: string) => `${id.slice(0, 4)}…${id.slice(-4)}`;

/**
 * 活动参加人 by Excel (issue 13): one row per invitee, keyed by activity and person. The caller
 * works the activity's project (as inviting by hand); a person on file is one linked to the unit or
 * a client the caller reads, and is linked to the unit when not yet; a person not on file is created
 * at the unit's node and linked (as the needs survey does). 是否签到 records a check-in by hand
 * (the first one stays). A re-import changes nothing.
 */
export const activityAttendeesSpec: ImportSpec<AttendeeValue> = {
  kind: 'activity-attendees',
  labelZh: '活动参加人',
  labelEn: 'Activity attendees',
  permission: 'project.work',
  columns: COLUMNS,

  parseRow(cells) {
    const { values, errors } = parseCells(COLUMNS, cells);
    let idNumber: string | null = null;
    let info: { gender: 'M' | 'F'; birthDate: string } | null = null;
    if (typeof values.idNumber === 'string') {
      const r = parseIdNumber(values.idNumber, clock.today());
      if (!r.ok) errors.push({ column: 'idNumber', ...idNumberProblem(cells.idNumber, r.problem) });
      else [idNumber, info] = [r.info.idNumber, r.info];
    }
    if (!errors.length && !idNumber && !values.personId)
      errors.push({ column: 'idNumber', code: 'IMPORT.REQUIRED', zh: '客户身份证号码与客户编号至少填写一项', en: 'give the ID number or the client id' });
    if (values.checkedIn === false && values.checkedInAt) errors.push({ column: 'checkedInAt', zh: '未签到时不应填写签到时间', en: 'a check-in time without a check-in' });
    if (errors.length) return { errors };
    return {
      value: {
        activity: (values.activity as string).toUpperCase(),
        idNumber,
        personId: values.personId as number | null,
        name: values.name as string,
        phone: values.phone as string | null,
        rsvp: values.rsvp as Rsvp | null,
        checkedIn: values.checkedIn === true || (values.checkedIn === null && !!values.checkedInAt),
        checkedInAt: values.checkedInAt as string | null,
        gender: info?.gender,
        birthDate: info?.birthDate,
      },
    };
  },

  naturalKey: (v) => `${v.activity} / ${v.idNumber ? masked(v.idNumber) : `#${v.personId}`}`,

  async prepare(db, list, ctx) {
    const errors = new Map<number, RowError[]>();
    const activityOf = await activitiesByRef(
      db,
      list.map((r) => r.value.activity),
    );
    const heads = list.map((r) => activityOf(r.value.activity));
    const projectOf = await projectsByRef(
      db,
      ctx.auth,
      heads.flatMap((a) => (a ? [{ id: a.projectId }] : [])),
    );
    const byIdNumber = await peopleById(
      db,
      list.flatMap((r) => (r.value.idNumber ? [r.value.idNumber] : [])),
    );
    const byId = new Map(
      (
        await rows<{ id: number; name: string; path: string }>(
          db,
          sql`SELECT i.id, i.name, n.path FROM individuals i JOIN org_nodes n ON n.id = i.node_id WHERE i.id = ANY(${intArray([...list.map((r) => r.value.personId), ...[...byIdNumber.values()].map((p) => p.id)])}::int[])`,
        )
      ).map((p) => [p.id, p]),
    );
    const links = new Set(
      (
        await rows<{ k: string }>(
          db,
          sql`SELECT DISTINCT company_id || ':' || person_id AS k FROM company_people
               WHERE company_id = ANY(${intArray(heads.map((a) => a?.companyId))}::int[]) AND person_id = ANY(${intArray([...byId.keys()])}::int[])`,
        )
      ).map((l) => l.k),
    );
    list.forEach(({ rowNumber, value: v }, i) => {
      const a = heads[i];
      const got = a ? projectOf({ id: a.projectId }) : null;
      if (!a || !got || 'error' in got) {
        addError(errors, rowNumber, { column: 'activity', ...(got && 'error' in got && got.error.code === 'PROJECT.CLOSED' ? got.error : ACTIVITY_REFUSED(v.activity)) });
        return;
      }
      if (a.status === 'cancelled') addError(errors, rowNumber, { column: 'activity', code: 'ACTIVITY.CANCELLED', zh: `活动 ${v.activity} 已取消`, en: `activity ${v.activity} is cancelled` });
      v.activityId = a.id;
      v.companyId = a.companyId;
      v.companyNodeId = a.companyNodeId;
      v.nodeId = got.p.nodeId;
      const filed = v.idNumber ? byIdNumber.get(v.idNumber) : undefined;
      const person = filed ? byId.get(filed.id) : v.personId ? byId.get(v.personId) : undefined;
      const column = v.idNumber ? 'idNumber' : 'personId';
      if (v.idNumber && v.personId && filed?.id !== v.personId) {
        addError(errors, rowNumber, { column: 'personId', zh: '客户编号与身份证号码不是同一客户', en: 'the client id and the ID number are not one person' });
        return;
      }
      if (!person) {
        // Unknown: a new person when the ID number is given; an unknown client id is refused.
        if (!v.idNumber) addError(errors, rowNumber, { column, ...PERSON_REFUSED });
        return;
      }
      // The unit's people are the team's to invite; anyone else must be a client the caller reads.
      if (!links.has(`${a.companyId}:${person.id}`) && !canReach(ctx.auth, READS.individual, person.path)) {
        addError(errors, rowNumber, { column, ...PERSON_REFUSED });
        return;
      }
      if (person.name !== v.name) addError(errors, rowNumber, { column: 'name', zh: '姓名与客户档案不一致', en: 'the name differs from the client’s record' });
      v.existingPersonId = person.id;
    });
    return errors;
  },

  async write(tx, list, ctx, onRows) {
    const now = clock.now().toISOString();
    const audit: AuditEntryInput[] = [];
    // New people first (one per ID number), at the unit's node.
    const fresh = new Map<string, AttendeeValue>();
    for (const { value: v } of list) if (!v.existingPersonId && v.idNumber && !fresh.has(v.idNumber)) fresh.set(v.idNumber, v);
    const already = await peopleById(tx, [...fresh.keys()]);
    const personOf = new Map<string, number>([...already].map(([k, p]) => [k, p.id]));
    for (const v of fresh.values()) {
      if (personOf.has(v.idNumber!)) continue;
      const [p] = await rows<{ id: number }>(
        tx,
        sql`INSERT INTO individuals (id_number, id_suffix, name, gender, birth_date, phone, phone_suffix, node_id, created_at, updated_at)
            VALUES (${v.idNumber}, ${v.idNumber!.slice(-4)}, ${v.name}, ${v.gender ?? null}, ${v.birthDate ?? null}, ${v.phone}, ${v.phone ? v.phone.slice(-4) : null}, ${v.companyNodeId}, ${now}, ${now}) RETURNING id`,
      );
      personOf.set(v.idNumber!, p.id);
      audit.push({
        action: 'customer.person.create',
        entity: 'individual',
        entityId: p.id,
        nodeId: v.companyNodeId!,
        after: { ...auditablePerson({ idNumber: v.idNumber!, name: v.name, phone: v.phone, nodeId: v.companyNodeId!, dedicatedAmId: null, aumFen: 0, vipTier: null }), via: 'import' },
      });
    }
    const counts = { inserted: 0, updated: 0, unchanged: 0 };
    const invited = new Map<number, { nodeId: number; personIds: number[] }>();
    let done = 0;
    for (const { value: v } of list) {
      const personId = v.existingPersonId ?? personOf.get(v.idNumber!)!;
      // Linked to the unit as the survey links a new person: a 员工 of the unit.
      const link = await rows<{ id: number }>(
        tx,
        sql`INSERT INTO company_people (company_id, person_id, role)
            SELECT ${v.companyId}, ${personId}, 'staff' WHERE NOT EXISTS (SELECT 1 FROM company_people WHERE company_id = ${v.companyId} AND person_id = ${personId})
            RETURNING id`,
      );
      if (link.length)
        audit.push({
          action: 'customer.link.create',
          entity: 'company_person',
          entityId: link[0].id,
          nodeId: v.companyNodeId!,
          after: { companyId: v.companyId, personId, role: 'staff', via: 'import' },
        });
      const made = await rows<{ id: number }>(
        tx,
        sql`INSERT INTO activity_invitees (activity_id, person_id, invited_at, invited_by, checkin_code)
            VALUES (${v.activityId}, ${personId}, ${now}, ${ctx.auth.staffId}, ${newCheckinCode()})
            ON CONFLICT (activity_id, person_id) DO NOTHING RETURNING id`,
      );
      if (made.length) {
        const g = invited.get(v.activityId!) ?? { nodeId: v.nodeId!, personIds: [] };
        g.personIds.push(personId);
        invited.set(v.activityId!, g);
      }
      const [inv] = await rows<{ id: number; rsvp: Rsvp; checkedInAt: Date | string | null }>(
        tx,
        sql`SELECT id, rsvp, checked_in_at AS "checkedInAt" FROM activity_invitees WHERE activity_id = ${v.activityId} AND person_id = ${personId} FOR UPDATE`,
      );
      let changed = false;
      if (v.rsvp && v.rsvp !== inv.rsvp && !(inv.checkedInAt && v.rsvp !== 'accepted')) {
        await tx.execute(sql`UPDATE activity_invitees SET rsvp = ${v.rsvp} WHERE id = ${inv.id}`);
        audit.push({ action: 'activity.rsvp', entity: 'activity_invitee', entityId: inv.id, nodeId: v.nodeId!, before: { rsvp: inv.rsvp }, after: { rsvp: v.rsvp, via: 'import' } });
        changed = true;
      }
      // The first check-in stays, as at the door.
      if (v.checkedIn && !inv.checkedInAt) {
        await tx.execute(
          sql`UPDATE activity_invitees SET checked_in_at = ${v.checkedInAt ?? now}, check_in_method = 'manual', checked_in_by = ${ctx.auth.staffId}, rsvp = 'accepted' WHERE id = ${inv.id}`,
        );
        audit.push({ action: 'activity.checkin', entity: 'activity_invitee', entityId: inv.id, nodeId: v.nodeId!, after: { method: 'manual', at: v.checkedInAt ?? now, via: 'import' } });
        changed = true;
      }
      if (made.length) counts.inserted++;
      else if (changed) counts.updated++;
      else counts.unchanged++;
      onRows?.(++done);
    }
    for (const [activityId, g] of invited) audit.push({ action: 'activity.invite', entity: 'activity', entityId: activityId, nodeId: g.nodeId, after: { personIds: g.personIds, via: 'import' } });
    await appendAudit(tx, ctx.actor, audit);
    return counts;
  },
};
