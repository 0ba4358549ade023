import { eq, inArray } from 'drizzle-orm';
import { z } from 'zod';
import { ERRORS } from '../../../shared/errors.js';
import { departments, orgNodes, TARGET_DEPT_KINDS } from '../../db/schema/index.js';
import { isValidUscc, normaliseUscc } from '../customers/ids.rules.js';
import { codeCell, enumCell, textCell } from '../imports/cells.js';
import { type ImportColumn, type ImportSpec, parseCells, type RowError, type WriteCounts } from '../imports/import-spec.js';
import { type CellRaw, normCode } from '../imports/normalize.js';
import { pathIds } from '../org/org.rules.js';
import type { Criterion } from './criteria.rules.js';
import { criteriaInForce, type TargetDeptKind } from './criteria.service.js';
import { callerDepartment, checkNomination, type Evaluation, insertNominations } from './nominations.service.js';
import { type ClientRef, findClients, type ListDept, type ListState, listState, lockList } from './targets.queries.js';
import { clock } from '../../calendar/index.js';

/** A row of the nominations sheet, with what prepare() resolved. */
export interface NominationValue {
  uscc: string;
  deptCode: string;
  action: 'add' | 'remove';
  reason: string | null;
  resolved?: { client: ClientRef; dept: ListDept; evaluation: Evaluation };
}

const ACTION_WORDS: Record<string, 'add' | 'remove'> = {
  纳入: 'add',
  新增: 'add',
  加入: 'add',
  add: 'add',
  移出: 'remove',
  剔除: 'remove',
  删除: 'remove',
  remove: 'remove',
};

/** 统一社会信用代码: normalised (blanks removed, upper case), then its GB 32100-2015 check character. */
const usccCell = () =>
  z.preprocess((v) => {
    const s = normCode(v as CellRaw);
    return s ? normaliseUscc(s) : undefined;
  }, z.string().refine(isValidUscc));

const COLUMNS: ImportColumn[] = [
  {
    key: 'uscc',
    header: '统一社会信用代码',
    headerEn: 'USCC',
    aliases: ['社会信用代码', '信用代码'],
    required: true,
    example: '91440600MA4UJ8KX2P',
    text: true,
    width: 22,
    schema: usccCell(),
    invalid: { zh: '应为18位统一社会信用代码（校验位正确）', en: 'must be an 18-character USCC with a valid check character' },
  },
  {
    key: 'deptCode',
    header: '部门代码',
    headerEn: 'Dept code',
    aliases: ['部门编号', '提名部门代码'],
    required: true,
    example: 'CORP',
    text: true,
    width: 12,
    schema: codeCell(),
    invalid: { zh: '应为字母、数字组成的部门代码', en: 'must be letters and digits' },
    note: { zh: '客户所在分行的公司业务部、机构业务部或房地产信贷部的部门代码（如 CORP、INST、RE）', en: 'Code of the corporate, institutional or real-estate department of the client’s branch' },
  },
  {
    key: 'action',
    header: '操作',
    headerEn: 'Action',
    aliases: ['提名类型'],
    required: false,
    example: '纳入',
    width: 8,
    schema: enumCell(ACTION_WORDS),
    invalid: { zh: '应为“纳入”或“移出”', en: 'must be 纳入 (add) or 移出 (remove)' },
    note: { zh: '纳入/移出；不填为纳入', en: 'Add or remove; empty means add' },
  },
  {
    key: 'reason',
    header: '理由',
    headerEn: 'Reason',
    aliases: ['提名理由', '说明'],
    required: false,
    example: '省内重点制造业企业，代发工资潜力大',
    width: 40,
    schema: textCell(500),
    invalid: { zh: '不能超过500个字', en: 'at most 500 characters' },
    note: { zh: '移出必填；不满足第九条其他标准而按“其他”提名时必填', en: 'Required for removals and for nominations under “other”' },
  },
];

/** The column a refusal is about, so the error report points at the right cell. */
const COLUMN_OF: Partial<Record<keyof typeof ERRORS, string>> = {
  'AUTH.OUT_OF_SCOPE': 'deptCode',
  'TARGET.NOT_YOUR_DEPARTMENT': 'deptCode',
  'TARGET.REASON_REQUIRED': 'reason',
};

const E = {
  clientUnknown: (u: string) => ({ zh: `统一社会信用代码 ${u} 的对公客户不存在`, en: `no corporate client with USCC ${u}` }),
  deptUnknown: (c: string) => ({ zh: `客户所在分行没有部门代码为 ${c} 的部门`, en: `the client’s branch has no department ${c}` }),
  deptNotEligible: (c: string) => ({ zh: `部门 ${c} 不是公司业务部、机构业务部或房地产信贷部`, en: `${c} is not a corporate, institutional or real-estate department` }),
};

const isTargetKind = (k: string): k is TargetDeptKind => (TARGET_DEPT_KINDS as readonly string[]).includes(k);

/**
 * 目标客户提名 by Excel (SPEC §3 "one by one or by import", §14): every row is checked as a single
 * nomination would be; with any bad row nothing is written.
 */
export const nominationsSpec: ImportSpec<NominationValue> = {
  kind: 'target-nominations',
  labelZh: '目标客户提名',
  labelEn: 'Target list nominations',
  permission: 'target.nominate',
  columns: COLUMNS,

  parseRow(cells) {
    const { values, errors } = parseCells(COLUMNS, cells);
    if (errors.length) return { errors };
    return {
      value: {
        uscc: values.uscc as string,
        deptCode: values.deptCode as string,
        action: (values.action as 'add' | 'remove' | null) ?? 'add',
        reason: values.reason as string | null,
      },
    };
  },

  naturalKey: (v) => `${v.uscc} ${v.deptCode}`,

  async prepare(db, rows, ctx) {
    const errors = new Map<number, RowError[]>();
    const clients = new Map((await findClients(db, { usccs: [...new Set(rows.map((r) => r.value.uscc))] })).map((c) => [c.uscc, c]));
    const codes = [...new Set(rows.map((r) => r.value.deptCode))];
    const depts = await db
      .select({ id: departments.id, code: departments.code, name: departments.name, kind: departments.kind, nodeId: departments.nodeId, nodeName: orgNodes.name, nodePath: orgNodes.path })
      .from(departments)
      .innerJoin(orgNodes, eq(orgNodes.id, departments.nodeId))
      .where(inArray(departments.code, codes));
    const deptAt = new Map(depts.map((d) => [`${d.nodeId}:${d.code}`, d]));
    const callerDept = await callerDepartment(db, ctx.auth.staffId);
    const on = clock.today();
    const states = new Map<number, ListState>();
    const criteria = new Map<TargetDeptKind, Criterion[]>();

    for (const { rowNumber, value: v } of rows) {
      const client = clients.get(v.uscc);
      if (!client) {
        errors.set(rowNumber, [{ column: 'uscc', ...E.clientUnknown(v.uscc) }]);
        continue;
      }
      // The department of the client's own branch: the nearest node up its path holding that code.
      const d = pathIds(client.nodePath)
        .reverse()
        .map((id) => deptAt.get(`${id}:${v.deptCode}`))
        .find(Boolean);
      if (!d) {
        errors.set(rowNumber, [{ column: 'deptCode', ...E.deptUnknown(v.deptCode) }]);
        continue;
      }
      if (!isTargetKind(d.kind)) {
        errors.set(rowNumber, [{ column: 'deptCode', ...E.deptNotEligible(v.deptCode) }]);
        continue;
      }
      const dept: ListDept = { ...d, kind: d.kind };
      if (!states.has(dept.id)) states.set(dept.id, await listState(db, dept.nodeId, dept.id));
      if (!criteria.has(dept.kind)) criteria.set(dept.kind, await criteriaInForce(db, dept.kind, on));
      const checked = checkNomination(
        { client, dept, action: v.action, reason: v.reason },
        { auth: ctx.auth, callerDepartmentId: callerDept, state: states.get(dept.id)!, criteria: criteria.get(dept.kind)!, on },
      );
      if ('error' in checked) {
        const e = ERRORS[checked.error];
        errors.set(rowNumber, [{ column: COLUMN_OF[checked.error] ?? 'uscc', code: checked.error, zh: e.zh, en: e.en }]);
        continue;
      }
      v.resolved = { client, dept, evaluation: checked.evaluation };
    }
    return errors;
  },

  async write(tx, rows, ctx, onRows): Promise<WriteCounts> {
    for (const id of [...new Set(rows.map((r) => r.value.resolved!.dept.id))].sort((a, b) => a - b)) await lockList(tx, id);
    const items = rows.map(({ value: v }) => ({ ...v.resolved!, action: v.action, reason: v.reason }));
    await insertNominations(tx, { id: ctx.auth.staffId, name: ctx.auth.name }, items);
    onRows?.(rows.length);
    return { inserted: rows.length, updated: 0, unchanged: 0 };
  },
};
