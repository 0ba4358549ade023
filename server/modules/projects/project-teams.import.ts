import { sql } from 'drizzle-orm';
import { intArray, textArray } from '../../db/arrays.js';
import { type DbOrTx, rows } from '../../db/client.js';
import { branchPathOf } from '../../../shared/org-path.js';
import { canAt } from '../access/context.js';
import { appendAudit, type AuditEntryInput } from '../audit/audit.service.js';
import { staffByNo } from '../customers/import-cells.js';
import { codeCell, enumCell, textCell } from '../imports/cells.js';
import { type ImportColumn, type ImportSpec, parseCells, type RowError } from '../imports/import-spec.js';
import { clock } from '../../calendar/index.js';
import { addError, type Ref, refCell, refText, ROLE_INVALID, ROLE_WORDS } from './import-refs.js';
import type { MemberRole } from './projects.rules.js';
import { teamProblems } from './projects.rules.js';
import { branchStaff, insertProject, isCoOutlet, type Member, targetUnitsOf, teamOf, writeTeam } from './projects.service.js';

/** One team member of a project; ids are filled in by prepare(). */
export interface TeamRowValue {
  unit: Ref;
  name: string | null;
  staffNo: string;
  role: MemberRole;
  outletCode: string;
  companyId?: number;
  branchId?: number;
  staffId?: number;
  outletId?: number;
}

const COLUMNS: ImportColumn[] = [
  {
    key: 'unit',
    header: '目标单位',
    headerEn: 'Target unit',
    aliases: ['统一社会信用代码', '单位'],
    required: true,
    example: '91440600MA4UKH9X3L',
    text: true,
    width: 22,
    schema: refCell(),
    invalid: { zh: '应为目标单位的统一社会信用代码或客户编号', en: 'the unit’s credit code or client id' },
    note: { zh: '已审定目标客户名单上的单位：统一社会信用代码或客户编号', en: 'A unit on an approved target list: credit code or client id' },
  },
  {
    key: 'name',
    header: '项目名称',
    headerEn: 'Project name',
    required: false,
    example: '',
    width: 24,
    schema: textCell(80),
    invalid: { zh: '不能超过80个字', en: 'at most 80 characters' },
    note: { zh: '不填则为“单位名称公私联动营销项目”；已有进行中的项目时不改名', en: 'Empty: “<unit> 公私联动营销项目”; an active project keeps its name' },
  },
  {
    key: 'staffNo',
    header: '员工号',
    headerEn: 'Staff No.',
    aliases: ['工号', '员工工号'],
    required: true,
    example: '44110014',
    text: true,
    width: 12,
    schema: codeCell(),
    invalid: { zh: '应为员工工号', en: 'a staff number' },
  },
  {
    key: 'role',
    header: '角色',
    headerEn: 'Role',
    required: true,
    example: '个人客户经理',
    width: 14,
    schema: enumCell(ROLE_WORDS),
    invalid: ROLE_INVALID,
    note: { zh: '新建项目至少需一名对公客户经理和一名个人客户经理（或产品经理）', en: 'A new team needs a corporate and a personal AM (or product manager)' },
  },
  {
    key: 'outletCode',
    header: '协办网点',
    headerEn: 'Co-organising outlet',
    aliases: ['协办网点机构号'],
    required: true,
    example: '44101',
    text: true,
    width: 12,
    schema: codeCell(),
    invalid: { zh: '应为网点机构号', en: 'an outlet code' },
    note: { zh: '本分行一个网点的机构号；同一项目各行须相同', en: 'An outlet of the branch; the same on every row of a project' },
  },
];

const UNIT_REFUSED = (r: Ref) => ({ code: 'IMPORT.REFERENCE', zh: `目标单位 ${refText(r)} 不存在或不在您的管理范围内`, en: `unit ${refText(r)} unknown or outside your scope` });

async function companiesByRef(db: DbOrTx, refs: Ref[]) {
  const ids = refs.flatMap((r) => ('id' in r ? [r.id] : []));
  const codes = refs.flatMap((r) => ('code' in r ? [r.code] : []));
  const list = await rows<{ id: number; uscc: string; path: string }>(
    db,
    sql`SELECT c.id, c.uscc, n.path FROM corporate_clients c JOIN org_nodes n ON n.id = c.node_id WHERE c.id = ANY(${intArray(ids)}::int[]) OR c.uscc = ANY(${textArray(codes)}::text[])`,
  );
  const byId = new Map(list.map((c) => [c.id, c]));
  const byUscc = new Map(list.map((c) => [c.uscc, c]));
  return (r: Ref) => ('id' in r ? byId.get(r.id) : byUscc.get(r.code));
}

interface ActiveProject {
  id: number;
  nodeId: number;
  companyId: number;
  coOutletNodeId: number;
  outletCode: string;
}

async function activeProjects(db: DbOrTx, pairs: { branchId: number; companyId: number }[], lock = false): Promise<Map<string, ActiveProject>> {
  const list = await rows<ActiveProject>(
    db,
    sql`SELECT p.id, p.node_id AS "nodeId", p.company_id AS "companyId", p.co_outlet_node_id AS "coOutletNodeId", o.code AS "outletCode"
          FROM projects p JOIN org_nodes o ON o.id = p.co_outlet_node_id
         WHERE p.status = 'active' AND (p.node_id, p.company_id) IN (SELECT * FROM unnest(${intArray(pairs.map((x) => x.branchId))}::int[], ${intArray(pairs.map((x) => x.companyId))}::int[]))
         ${lock ? sql`FOR UPDATE OF p` : sql``}`,
  );
  return new Map(list.map((p) => [`${p.nodeId}:${p.companyId}`, p]));
}

const groupKey = (v: TeamRowValue) => `${v.branchId}:${v.companyId}`;

/**
 * 项目团队 by Excel (issue 13): one row per member. For an approved target unit without an active
 * project the rows form one — with the checks of forming it by hand (a unit on the branch's latest
 * target list, project.manage over the branch, active staff of the branch, one co-organising outlet
 * of the branch, a corporate and a personal AM); for a unit with one, the members it lacks join.
 * A member already on the team changes nothing, so a re-import does nothing.
 */
export const projectTeamsSpec: ImportSpec<TeamRowValue> = {
  kind: 'project-teams',
  labelZh: '项目团队',
  labelEn: 'Project teams',
  permission: 'project.manage',
  columns: COLUMNS,

  parseRow(cells) {
    const { values, errors } = parseCells(COLUMNS, cells);
    if (errors.length) return { errors };
    return {
      value: {
        unit: values.unit as Ref,
        name: values.name as string | null,
        staffNo: values.staffNo as string,
        role: values.role as MemberRole,
        outletCode: values.outletCode as string,
      },
    };
  },

  naturalKey: (v) => `${refText(v.unit)} / ${v.staffNo} / ${v.role}`,

  async prepare(db, list, ctx) {
    const errors = new Map<number, RowError[]>();
    const companyOf = await companiesByRef(
      db,
      list.map((r) => r.value.unit),
    );
    const staff = await staffByNo(
      db,
      list.map((r) => r.value.staffNo),
    );
    const outlets = new Map(
      (
        await rows<{ id: number; code: string; path: string; level: string; active: boolean }>(
          db,
          sql`SELECT id, code, path, level, active FROM org_nodes WHERE code = ANY(${textArray([...new Set(list.map((r) => r.value.outletCode))])}::text[])`,
        )
      ).map((o) => [o.code, o]),
    );
    // Scope: project.manage over the unit's branch, as forming the team by hand.
    const placed: typeof list = [];
    const pathOfBranch = new Map<number, string>();
    for (const r of list) {
      const c = companyOf(r.value.unit);
      const branchPath = c ? branchPathOf(c.path) : '';
      if (!c || !canAt(ctx.auth, 'project.manage', branchPath)) {
        addError(errors, r.rowNumber, { column: 'unit', ...UNIT_REFUSED(r.value.unit) });
        continue;
      }
      r.value.companyId = c.id;
      r.value.branchId = Number(branchPath.split('/').filter(Boolean).pop());
      pathOfBranch.set(r.value.branchId, branchPath);
      placed.push(r);
    }
    const byBranch = new Map<number, number[]>();
    for (const { value: v } of placed) byBranch.set(v.branchId!, [...(byBranch.get(v.branchId!) ?? []), v.companyId!]);
    const targets = new Map<number, Set<number>>();
    const branchStaffIds = new Map<number, Set<number>>();
    for (const [branchId, ids] of byBranch) {
      targets.set(branchId, await targetUnitsOf(db, branchId, ids));
      branchStaffIds.set(
        branchId,
        await branchStaff(
          db,
          pathOfBranch.get(branchId)!,
          [...staff.values()].map((s) => s.id),
        ),
      );
    }
    const existing = await activeProjects(
      db,
      placed.map((r) => ({ branchId: r.value.branchId!, companyId: r.value.companyId! })),
    );
    const groups = new Map<string, typeof list>();
    for (const r of placed) {
      const v = r.value;
      const branchPath = pathOfBranch.get(v.branchId!)!;
      if (!targets.get(v.branchId!)!.has(v.companyId!))
        addError(errors, r.rowNumber, {
          column: 'unit',
          code: 'PROJECT.NOT_TARGET',
          zh: `单位 ${refText(v.unit)} 不在该分行最新的目标客户名单上`,
          en: `${refText(v.unit)} is not on the branch’s latest target list`,
        });
      const s = staff.get(v.staffNo);
      if (!s || !branchStaffIds.get(v.branchId!)!.has(s.id))
        addError(errors, r.rowNumber, { column: 'staffNo', code: 'PROJECT.BAD_MEMBER', zh: `员工号 ${v.staffNo} 不是该分行的在职员工`, en: `${v.staffNo} is not active staff of the branch` });
      v.staffId = s?.id;
      const o = outlets.get(v.outletCode);
      if (!isCoOutlet(o, branchPath))
        addError(errors, r.rowNumber, {
          column: 'outletCode',
          code: 'PROJECT.BAD_OUTLET',
          zh: `机构号 ${v.outletCode} 不是该分行的在用网点`,
          en: `${v.outletCode} is not an active outlet of the branch`,
        });
      v.outletId = o?.id;
      const p = existing.get(groupKey(v));
      if (p && o && p.coOutletNodeId !== o.id)
        addError(errors, r.rowNumber, {
          column: 'outletCode',
          code: 'PROJECT.BAD_OUTLET',
          zh: `该单位进行中项目的协办网点为 ${p.outletCode}，与本行不一致`,
          en: `the unit’s active project is co-organised by ${p.outletCode}`,
        });
      groups.set(groupKey(v), [...(groups.get(groupKey(v)) ?? []), r]);
    }
    // One co-organising outlet per project; a new team needs a corporate and a personal AM.
    for (const [key, rs] of groups) {
      const first = rs[0];
      for (const r of rs.slice(1)) {
        if (r.value.outletCode !== first.value.outletCode)
          addError(errors, r.rowNumber, {
            column: 'outletCode',
            code: 'PROJECT.BAD_OUTLET',
            zh: `同一项目只能有一个协办网点（第${first.rowNumber}行为 ${first.value.outletCode}）`,
            en: `one co-organising outlet per project (row ${first.rowNumber} says ${first.value.outletCode})`,
          });
        if (r.value.name && first.value.name && r.value.name !== first.value.name)
          addError(errors, r.rowNumber, {
            column: 'name',
            zh: `同一项目的项目名称应一致（第${first.rowNumber}行为“${first.value.name}”）`,
            en: `row ${first.rowNumber} names the project differently`,
          });
      }
      if (!existing.has(key))
        for (const code of teamProblems(rs.map((r) => ({ staffId: r.value.staffId ?? 0, role: r.value.role }))))
          addError(errors, first.rowNumber, {
            column: 'role',
            code,
            zh: code === 'PROJECT.TEAM_NEEDS_CORPORATE' ? '该单位尚无进行中的项目，新建项目的团队至少需要一名对公客户经理' : '该单位尚无进行中的项目，新建项目的团队至少需要一名个人客户经理或产品经理',
            en: code === 'PROJECT.TEAM_NEEDS_CORPORATE' ? 'a new team needs a corporate AM' : 'a new team needs a personal AM or product manager',
          });
    }
    return errors;
  },

  async write(tx, list, ctx, onRows) {
    const now = clock.now();
    const groups = new Map<string, TeamRowValue[]>();
    for (const { value: v } of list) groups.set(groupKey(v), [...(groups.get(groupKey(v)) ?? []), v]);
    const existing = await activeProjects(
      tx,
      list.map((r) => ({ branchId: r.value.branchId!, companyId: r.value.companyId! })),
      true,
    );
    const audit: AuditEntryInput[] = [];
    let inserted = 0;
    let done = 0;
    for (const [key, vs] of groups) {
      const members: Member[] = vs.map((v) => ({ staffId: v.staffId!, role: v.role }));
      const p = existing.get(key);
      if (!p) {
        const made = await insertProject(
          tx,
          ctx.auth,
          { nodeId: vs[0].branchId!, companyId: vs[0].companyId!, name: vs.find((v) => v.name)?.name, phaseGoalId: null, coOutletNodeId: vs[0].outletId!, members },
          now,
        );
        audit.push({
          action: 'project.create',
          entity: 'project',
          entityId: made.id,
          nodeId: vs[0].branchId!,
          after: { name: made.name, companyId: vs[0].companyId, coOutletNodeId: vs[0].outletId, team: members, via: 'import' },
        });
        inserted += vs.length;
      } else {
        const before = await teamOf(tx, p.id);
        const have = new Set(before.map((m) => `${m.staffId}:${m.role}`));
        const join = members.filter((m) => !have.has(`${m.staffId}:${m.role}`));
        if (join.length) {
          await writeTeam(tx, p.id, join, now);
          audit.push({
            action: 'project.team',
            entity: 'project',
            entityId: p.id,
            nodeId: p.nodeId,
            before: { team: before },
            after: { team: await teamOf(tx, p.id), reason: '批量导入', via: 'import' },
          });
        }
        inserted += join.length;
      }
      done += vs.length;
      onRows?.(done);
    }
    await appendAudit(tx, ctx.actor, audit);
    return { inserted, updated: 0, unchanged: list.length - inserted };
  },
};
