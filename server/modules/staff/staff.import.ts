import { and, eq, sql } from 'drizzle-orm';
import type { Permission } from '../../../shared/access.js';
import type { DbOrTx } from '../../db/client.js';
import { departments, type OrgLevel, orgNodes, roles, staff, staffRoles } from '../../db/schema/index.js';
import { type AuthContext, canAt } from '../access/context.js';
import { appendAudit, type AuditEntryInput } from '../audit/audit.service.js';
import { holdsDepartments, pathIds } from '../org/org.rules.js';
import { recountCompletion } from '../quotas/completion.js';
import { maskPhone } from './staff.presenter.js';
import { codeCell, emailCell, enumCell, listCell, phoneCell, textCell } from '../imports/cells.js';
import { chunks, type ImportColumn, type ImportSpec, parseCells, type RowError, type WriteCounts } from '../imports/import-spec.js';
import { normHeader } from '../imports/normalize.js';
import { insertRecords } from '../imports/bulk-insert.js';
import { intArray, textArray } from '../../db/arrays.js';
import { clock } from '../../calendar/index.js';

/** A staff row of the sheet; `nodeId`, `departmentId`, `roleCodes` are filled by prepare(). */
export interface StaffValue {
  staffNo: string;
  name: string;
  orgCode: string;
  deptCode: string | null;
  title: string | null;
  phone: string | null;
  email: string | null;
  /** Role codes or Chinese names as written; null = leave the person's roles alone. */
  roles: string[] | null;
  /** null = keep the current status (在职 for a new person). */
  active: boolean | null;
  nodeId?: number;
  departmentId?: number | null;
  roleCodes?: string[] | null;
}

const STATUS_WORDS: Record<string, 'active' | 'inactive'> = {
  在职: 'active',
  正常: 'active',
  启用: 'active',
  active: 'active',
  停用: 'inactive',
  离职: 'inactive',
  禁用: 'inactive',
  inactive: 'inactive',
  disabled: 'inactive',
};

const COLUMNS: ImportColumn[] = [
  {
    key: 'staffNo',
    header: '工号',
    headerEn: 'Staff No.',
    aliases: ['员工号', '员工编号'],
    required: true,
    example: 'FS0101',
    text: true,
    width: 12,
    schema: codeCell(32),
    invalid: { zh: '应为字母、数字组成的工号（不超过32位）', en: 'must be letters and digits, at most 32' },
    note: { zh: '员工唯一编号，也是登录账号；已存在的工号将更新该员工', en: 'Unique; also the sign-in name. An existing number updates that person' },
  },
  { key: 'name', header: '姓名', headerEn: 'Name', required: true, example: '张三', width: 10, schema: textCell(50), invalid: { zh: '不能超过50个字', en: 'at most 50 characters' } },
  {
    key: 'orgCode',
    header: '所属机构号',
    headerEn: 'Org code',
    aliases: ['机构号', '所属机构代码'],
    required: true,
    example: '4406',
    text: true,
    width: 14,
    schema: codeCell(),
    invalid: { zh: '应为字母、数字组成的机构号', en: 'must be letters and digits' },
    note: { zh: '员工所在机构（分行、支行或网点）的机构号，须在您的管理范围内', en: 'Code of the node the person works at; must be within your scope' },
  },
  {
    key: 'deptCode',
    header: '部门代码',
    headerEn: 'Dept code',
    aliases: ['部门编号'],
    required: false,
    example: 'CORP',
    text: true,
    width: 12,
    schema: codeCell(),
    invalid: { zh: '应为字母、数字组成的部门代码', en: 'must be letters and digits' },
    note: { zh: '所在分行的部门代码；支行、网点员工填写其上级分行的部门', en: 'A department of the branch; sub-branch and outlet staff use their branch' },
  },
  {
    key: 'title',
    header: '职务',
    headerEn: 'Title',
    aliases: ['岗位'],
    required: false,
    example: '对公客户经理',
    width: 14,
    schema: textCell(50),
    invalid: { zh: '不能超过50个字', en: 'at most 50 characters' },
  },
  {
    key: 'phone',
    header: '手机号',
    headerEn: 'Mobile',
    aliases: ['手机号码', '手机', '联系电话'],
    required: false,
    example: '13800138000',
    text: true,
    width: 14,
    schema: phoneCell(),
    invalid: { zh: '应为11位手机号码', en: 'must be an 11-digit mobile number' },
  },
  {
    key: 'email',
    header: '邮箱',
    headerEn: 'Email',
    aliases: ['电子邮箱', '邮件'],
    required: false,
    example: 'zhangsan@example.com',
    width: 24,
    schema: emailCell(),
    invalid: { zh: '邮箱格式不正确', en: 'is not a valid email address' },
  },
  {
    key: 'roles',
    header: '角色',
    headerEn: 'Roles',
    required: false,
    example: '对公客户经理',
    width: 20,
    schema: listCell(),
    invalid: { zh: '角色格式不正确', en: 'invalid roles' },
    note: {
      zh: '角色代码或中文名称，多个用逗号或顿号分隔，范围为员工所在机构；不填则不改变已有角色（新员工默认为普通员工）',
      en: 'Role codes or names separated by commas; empty keeps current roles',
    },
  },
  {
    key: 'status',
    header: '状态',
    headerEn: 'Status',
    required: false,
    example: '在职',
    width: 8,
    schema: enumCell(STATUS_WORDS),
    invalid: { zh: '应为“在职”或“停用”', en: 'must be 在职 (active) or 停用 (inactive)' },
    note: { zh: '在职/停用；不填则保持现状（新员工为在职）', en: 'Active or inactive; empty keeps the current status' },
  },
];

const E = {
  orgUnknown: (c: string) => ({ zh: `机构号 ${c} 不存在`, en: `org code ${c} does not exist` }),
  orgOutOfScope: (c: string) => ({ zh: `机构 ${c} 不在您的管理范围内`, en: `node ${c} is outside your organisation` }),
  personOutOfScope: { zh: '该工号已属于您管理范围以外的机构', en: 'this staff number belongs to a node outside your organisation' },
  deptUnknown: (c: string, branch: string) => ({ zh: `部门代码 ${c} 不是${branch}的部门`, en: `${c} is not a department of ${branch}` }),
  roleUnknown: (r: string[]) => ({ zh: `未知角色：${r.join('、')}`, en: `unknown roles: ${r.join(', ')}` }),
  roleNotAllowed: { zh: '您无权在该机构分配角色', en: 'you may not assign roles at this node' },
  roleTooWide: (r: string[]) => ({ zh: `不能授予超出本人权限的角色：${r.join('、')}`, en: `you cannot grant roles beyond your own: ${r.join(', ')}` }),
};

interface NodeInfo {
  id: number;
  code: string;
  name: string;
  level: OrgLevel;
  path: string;
}

/** The permissions the caller holds at a node (grants whose scope contains it). */
function permissionsAt(auth: AuthContext, path: string): Set<string> {
  const out = new Set<string>();
  for (const g of auth.grants) if (path.startsWith(g.scopePath)) for (const p of g.permissions) out.add(p);
  return out;
}

async function existingStaff(db: DbOrTx, staffNos: string[]) {
  const found = new Map<string, typeof staff.$inferSelect>();
  // One text[] parameter per 20,000 numbers (decision 0046).
  for (const slice of chunks(staffNos, 20_000)) {
    const got = await db
      .select()
      .from(staff)
      .where(sql`${staff.staffNo} = ANY(${textArray(slice)}::text[])`);
    for (const s of got) found.set(s.staffNo, s);
  }
  return found;
}

type StaffRow = typeof staff.$inferSelect;

const auditable = (r: Pick<StaffRow, 'staffNo' | 'name' | 'nodeId' | 'departmentId' | 'title' | 'phone' | 'email' | 'active'>, roleCodes?: string[] | null) => ({
  staffNo: r.staffNo,
  name: r.name,
  nodeId: r.nodeId,
  departmentId: r.departmentId,
  title: r.title,
  phone: maskPhone(r.phone),
  email: r.email,
  active: r.active,
  ...(roleCodes ? { roles: roleCodes } : {}),
});

const sameSet = (a: string[], b: string[]) => a.length === b.length && [...a].sort().join(',') === [...b].sort().join(',');

/**
 * SPEC §1 staff roster by Excel, upserted by 工号. New people get no password (an administrator
 * resets it) and must change it at first sign-in.
 */
export const staffSpec: ImportSpec<StaffValue> = {
  kind: 'staff',
  labelZh: '员工',
  labelEn: 'Staff',
  permission: 'staff.write',
  columns: COLUMNS,

  parseRow(cells) {
    const { values, errors } = parseCells(COLUMNS, cells);
    if (errors.length) return { errors };
    const status = values.status as 'active' | 'inactive' | null;
    return {
      value: {
        staffNo: values.staffNo as string,
        name: values.name as string,
        orgCode: values.orgCode as string,
        deptCode: values.deptCode as string | null,
        title: values.title as string | null,
        phone: values.phone as string | null,
        email: values.email as string | null,
        roles: values.roles as string[] | null,
        active: status === null ? null : status === 'active',
      },
    };
  },

  naturalKey: (v) => v.staffNo,

  async prepare(db, rows, ctx) {
    const errors = new Map<number, RowError[]>();
    const nodes = await db.select({ id: orgNodes.id, code: orgNodes.code, name: orgNodes.name, level: orgNodes.level, path: orgNodes.path }).from(orgNodes);
    const byCode = new Map<string, NodeInfo>(nodes.map((n) => [n.code, n]));
    const byId = new Map<number, NodeInfo>(nodes.map((n) => [n.id, n]));
    const depts = await db.select({ id: departments.id, nodeId: departments.nodeId, code: departments.code }).from(departments);
    const deptKey = new Map(depts.map((d) => [`${d.nodeId}:${d.code}`, d.id]));
    const roleRows = await db.select({ code: roles.code, nameZh: roles.nameZh, nameEn: roles.nameEn, permissions: roles.permissions }).from(roles);
    const roleByWord = new Map<string, (typeof roleRows)[number]>();
    for (const r of roleRows) for (const w of [r.code, r.nameZh, r.nameEn]) roleByWord.set(normHeader(w), r);
    const current = await existingStaff(
      db,
      rows.map((r) => r.value.staffNo),
    );

    // The nearest node holding departments (the staff member's own branch, SPEC §1).
    const branchOf = (n: NodeInfo): NodeInfo => {
      const ids = pathIds(n.path).reverse();
      for (const id of ids) {
        const a = byId.get(id);
        if (a && holdsDepartments(a.level)) return a;
      }
      return n;
    };

    for (const { rowNumber, value: v } of rows) {
      const errs: RowError[] = [];
      const node = byCode.get(v.orgCode);
      const person = current.get(v.staffNo);
      if (person) {
        const was = byId.get(person.nodeId);
        if (!was || !canAt(ctx.auth, 'staff.write', was.path)) errs.push({ column: 'staffNo', ...E.personOutOfScope });
      }
      if (!node) {
        errs.push({ column: 'orgCode', ...E.orgUnknown(v.orgCode) });
      } else if (!canAt(ctx.auth, 'staff.write', node.path)) {
        errs.push({ column: 'orgCode', ...E.orgOutOfScope(v.orgCode) });
      } else {
        v.nodeId = node.id;
        v.departmentId = null;
        if (v.deptCode) {
          const branch = branchOf(node);
          const id = deptKey.get(`${branch.id}:${v.deptCode}`);
          if (id === undefined) errs.push({ column: 'deptCode', ...E.deptUnknown(v.deptCode, branch.name) });
          else v.departmentId = id;
        }
        v.roleCodes = null;
        if (v.roles) {
          const found = v.roles.map((w) => roleByWord.get(normHeader(w)));
          const unknown = v.roles.filter((_, i) => !found[i]);
          if (unknown.length) {
            errs.push({ column: 'roles', ...E.roleUnknown(unknown) });
          } else if (!canAt(ctx.auth, 'role.assign', node.path)) {
            errs.push({ column: 'roles', ...E.roleNotAllowed });
          } else {
            const mine = permissionsAt(ctx.auth, node.path);
            const tooWide = found.filter((r) => r!.permissions.some((p) => !mine.has(p as Permission))).map((r) => r!.nameZh);
            if (tooWide.length) errs.push({ column: 'roles', ...E.roleTooWide(tooWide) });
            else v.roleCodes = [...new Set(found.map((r) => r!.code))];
          }
        }
      }
      if (errs.length) errors.set(rowNumber, errs);
    }
    return errors;
  },

  async write(tx, rows, ctx, onRows): Promise<WriteCounts> {
    const counts: WriteCounts = { inserted: 0, updated: 0, unchanged: 0 };
    const audit: AuditEntryInput[] = [];
    const now = clock.now();
    let done = 0;
    // Slices of 5,000: a few look-ups and one insert each (decision 0046).
    for (const slice of chunks(rows, 5000)) {
      const current = await existingStaff(
        tx,
        slice.map((r) => r.value.staffNo),
      );
      const ids = [...current.values()].map((s) => s.id);
      // Roles held at the person's own node: the only ones an import manages.
      const held = new Map<number, { roleCode: string; scopeNodeId: number }[]>();
      if (ids.length) {
        const got = await tx
          .select({ staffId: staffRoles.staffId, roleCode: staffRoles.roleCode, scopeNodeId: staffRoles.scopeNodeId })
          .from(staffRoles)
          .where(sql`${staffRoles.staffId} = ANY(${intArray(ids)}::int[])`);
        for (const g of got) held.set(g.staffId, [...(held.get(g.staffId) ?? []), g]);
      }
      const inserts: { v: StaffValue }[] = [];
      for (const { value: v } of slice) {
        const person = current.get(v.staffNo);
        const fields = {
          name: v.name,
          nodeId: v.nodeId!,
          departmentId: v.departmentId ?? null,
          title: v.title,
          phone: v.phone,
          email: v.email,
        };
        if (!person) {
          inserts.push({ v });
          continue;
        }
        const active = v.active ?? person.active;
        const rolesBefore = (held.get(person.id) ?? []).filter((g) => g.scopeNodeId === v.nodeId).map((g) => g.roleCode);
        const rolesChange = v.roleCodes != null && !sameSet(rolesBefore, v.roleCodes);
        const fieldsChange =
          person.name !== fields.name ||
          person.nodeId !== fields.nodeId ||
          person.departmentId !== fields.departmentId ||
          person.title !== fields.title ||
          person.phone !== fields.phone ||
          person.email !== fields.email ||
          person.active !== active;
        if (!fieldsChange && !rolesChange) {
          counts.unchanged++;
          continue;
        }
        if (fieldsChange) {
          const write = () =>
            tx
              .update(staff)
              .set({ ...fields, active, updatedAt: now })
              .where(eq(staff.id, person.id));
          // A move changes which outlets the person's counted sales complete (decision 0018).
          if (person.nodeId !== fields.nodeId) await recountCompletion(tx, sql`SELECT sale_id FROM sale_people WHERE staff_id = ${person.id}`, write);
          else await write();
        }
        if (rolesChange) {
          await tx.delete(staffRoles).where(and(eq(staffRoles.staffId, person.id), eq(staffRoles.scopeNodeId, v.nodeId!)));
          if (v.roleCodes!.length) await tx.insert(staffRoles).values(v.roleCodes!.map((roleCode) => ({ staffId: person.id, roleCode, scopeNodeId: v.nodeId! })));
        }
        audit.push({
          action: 'staff.update',
          entity: 'staff',
          entityId: person.id,
          nodeId: fields.nodeId,
          before: auditable(person, rolesChange ? rolesBefore : null),
          after: auditable({ ...person, ...fields, active }, rolesChange ? v.roleCodes : null),
        });
        counts.updated++;
      }
      if (inserts.length) {
        const createdIds = await insertRecords(
          tx,
          staff,
          inserts.map(({ v }) => ({
            staffNo: v.staffNo,
            name: v.name,
            nodeId: v.nodeId!,
            departmentId: v.departmentId ?? null,
            title: v.title,
            phone: v.phone,
            email: v.email,
            active: v.active ?? true,
            passwordHash: null,
            mustChangePassword: true,
          })),
        );
        const grants: { staffId: number; roleCode: string; scopeNodeId: number }[] = [];
        for (const [i, { v }] of inserts.entries()) {
          const id = createdIds[i];
          // As when a person is created by hand: the plain staff role unless the sheet says otherwise.
          const roleCodes = v.roleCodes ?? ['staff'];
          for (const roleCode of roleCodes) grants.push({ staffId: id, roleCode, scopeNodeId: v.nodeId! });
          audit.push({
            action: 'staff.create',
            entity: 'staff',
            entityId: id,
            nodeId: v.nodeId!,
            after: auditable(
              { staffNo: v.staffNo, name: v.name, nodeId: v.nodeId!, departmentId: v.departmentId ?? null, title: v.title, phone: v.phone, email: v.email, active: v.active ?? true },
              roleCodes,
            ),
          });
        }
        await insertRecords(tx, staffRoles, grants);
        counts.inserted += inserts.length;
      }
      done += slice.length;
      onRows?.(done);
    }
    await appendAudit(tx, ctx.actor, audit);
    return counts;
  },
};
