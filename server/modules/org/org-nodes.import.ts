import { eq } from 'drizzle-orm';
import { ORG_LEVELS, type OrgLevel, orgNodes } from '../../db/schema/index.js';
import { ORG_LEVEL_LABELS } from '../../../shared/access.js';
import type { DbOrTx } from '../../db/client.js';
import { canAt } from '../access/context.js';
import { appendAudit, type AuditEntryInput } from '../audit/audit.service.js';
import { childPath, opensStandardDepartments, parentLevelOf } from './org.rules.js';
import { addStandardDepartments } from './standard-departments.js';
import { codeCell, enumCell, intCell, textCell } from '../imports/cells.js';
import { type ImportColumn, type ImportRow, type ImportSpec, parseCells, type RowError, type WriteCounts } from '../imports/import-spec.js';
import type { CellRaw } from '../imports/normalize.js';
import { clock } from '../../calendar/index.js';

/** An org node row of the sheet, with what prepare() resolved. */
export interface OrgNodeValue {
  code: string;
  name: string;
  level: OrgLevel;
  parentCode: string | null;
  address: string | null;
  sort: number;
}

const LEVEL_WORDS: Record<string, OrgLevel> = {};
for (const l of ORG_LEVELS) {
  LEVEL_WORDS[ORG_LEVEL_LABELS[l].zh] = l;
  LEVEL_WORDS[ORG_LEVEL_LABELS[l].en] = l;
  LEVEL_WORDS[l] = l;
}
Object.assign(LEVEL_WORDS, { 一级分行: 'province', 分行: 'branch', 营业网点: 'outlet', 营业所: 'outlet', 分理处: 'outlet' });

const E = {
  parentRequired: { zh: '除总行外必须填写上级机构号', en: 'is required except for the head office' },
  parentUnknown: (c: string) => ({ zh: `上级机构号 ${c} 不存在（须已在系统中或在本文件前面的行中）`, en: `parent ${c} does not exist (in the system or in an earlier row)` }),
  parentBad: (c: string) => ({ zh: `上级机构 ${c} 所在行有错误`, en: `the row of parent ${c} has errors` }),
  levelMismatch: (want: OrgLevel | null, got: OrgLevel) => ({
    zh: `机构层级应为上级机构（${ORG_LEVEL_LABELS[got].zh}）的下一级${want ? `，即${ORG_LEVEL_LABELS[want].zh}` : ''}`,
    en: `must be one level below the parent (${ORG_LEVEL_LABELS[got].en})`,
  }),
  outOfScope: { zh: '上级机构不在您的管理范围内', en: 'the parent is outside your organisation' },
  nodeOutOfScope: { zh: '该机构不在您的管理范围内', en: 'the node is outside your organisation' },
  noMove: { zh: '已存在的机构不能通过导入调整层级或上级机构，请在机构管理中操作', en: 'an existing node cannot change level or parent by import' },
  headByImport: { zh: '总行不能通过导入新增', en: 'the head office cannot be created by import' },
};

interface NodeRef {
  id: number;
  code: string;
  level: OrgLevel;
  parentId: number | null;
  path: string;
  name: string;
  address: string | null;
  sort: number;
  active: boolean;
}

async function loadNodes(db: DbOrTx): Promise<Map<string, NodeRef>> {
  const all = await db
    .select({
      id: orgNodes.id,
      code: orgNodes.code,
      level: orgNodes.level,
      parentId: orgNodes.parentId,
      path: orgNodes.path,
      name: orgNodes.name,
      address: orgNodes.address,
      sort: orgNodes.sort,
      active: orgNodes.active,
    })
    .from(orgNodes);
  return new Map(all.map((n) => [n.code, n]));
}

const auditable = (n: Omit<NodeRef, 'path'>) => ({
  code: n.code,
  name: n.name,
  level: n.level,
  parentId: n.parentId,
  address: n.address,
  sort: n.sort,
  active: n.active,
});

const COLUMNS: ImportColumn[] = [
  {
    key: 'code',
    header: '机构号',
    headerEn: 'Code',
    aliases: ['机构代码', '机构编号'],
    required: true,
    example: '440601001',
    text: true,
    width: 14,
    schema: codeCell(),
    invalid: { zh: '应为字母、数字组成的机构号', en: 'must be letters and digits' },
    note: { zh: '机构的唯一代码；已存在的机构号将更新该机构', en: 'Unique code; an existing code updates that node' },
  },
  {
    key: 'name',
    header: '机构名称',
    headerEn: 'Name',
    required: true,
    example: '佛山分行禅城支行',
    width: 24,
    schema: textCell(100),
    invalid: { zh: '不能超过100个字', en: 'at most 100 characters' },
  },
  {
    key: 'level',
    header: '机构层级',
    headerEn: 'Level',
    required: true,
    example: '支行',
    width: 10,
    schema: enumCell(LEVEL_WORDS),
    invalid: { zh: '应为 总行/省分行/二级分行/支行/网点 之一', en: 'must be one of head/province/branch/subbranch/outlet' },
  },
  {
    key: 'parentCode',
    header: '上级机构号',
    headerEn: 'Parent code',
    aliases: ['上级机构代码'],
    required: false,
    example: '4406',
    text: true,
    width: 14,
    schema: codeCell(),
    invalid: { zh: '应为字母、数字组成的机构号', en: 'must be letters and digits' },
    note: { zh: '除总行外必填；上级机构须已在系统中，或在本文件中位于本行之前；层级须为上级的下一级', en: 'Required except for the head office; the parent must exist or come earlier in the file' },
  },
  {
    key: 'address',
    header: '地址',
    headerEn: 'Address',
    required: false,
    example: '佛山市禅城区祖庙路1号',
    width: 30,
    schema: textCell(200),
    invalid: { zh: '不能超过200个字', en: 'at most 200 characters' },
  },
  {
    key: 'sort',
    header: '排序',
    headerEn: 'Sort',
    required: false,
    example: 10,
    width: 8,
    schema: intCell(-100000, 100000),
    invalid: { zh: '应为整数', en: 'must be an integer' },
    note: { zh: '同级机构的显示顺序，数字小的在前；不填为0', en: 'Display order among siblings; 0 when empty' },
  },
];

/** SPEC §1 org tree by Excel: 总行 → 省分行 → 二级分行 → 支行 → 网点, upserted by 机构号. */
export const orgNodesSpec: ImportSpec<OrgNodeValue> = {
  kind: 'org-nodes',
  labelZh: '机构',
  labelEn: 'Organisation nodes',
  permission: 'org.write',
  columns: COLUMNS,

  parseRow(cells: Record<string, CellRaw>) {
    const { values, errors } = parseCells(COLUMNS, cells);
    if (values.level && values.level !== 'head' && !values.parentCode && !errors.some((e) => e.column === 'parentCode')) {
      errors.push({ column: 'parentCode', ...E.parentRequired });
    }
    if (errors.length) return { errors };
    return {
      value: {
        code: values.code as string,
        name: values.name as string,
        level: values.level as OrgLevel,
        parentCode: (values.parentCode as string | null) ?? null,
        address: (values.address as string | null) ?? null,
        sort: (values.sort as number | null) ?? 0,
      },
    };
  },

  naturalKey: (v) => v.code,

  async prepare(db, rows, ctx) {
    const nodes = await loadNodes(db);
    const codeById = new Map([...nodes.values()].map((n) => [n.id, n.code]));
    const errors = new Map<number, RowError[]>();
    // Codes of the file rows seen so far: a parent may come earlier in the file.
    const fileRows = new Map<string, { level: OrgLevel; ok: boolean }>();
    for (const { rowNumber, value: v } of rows) {
      const errs: RowError[] = [];
      const existing = nodes.get(v.code);
      let parentLevel: OrgLevel | null = null;
      if (v.parentCode) {
        const inDb = nodes.get(v.parentCode);
        const inFile = fileRows.get(v.parentCode);
        if (inFile) {
          parentLevel = inFile.level;
          if (!inFile.ok) errs.push({ column: 'parentCode', ...E.parentBad(v.parentCode) });
        } else if (inDb) {
          parentLevel = inDb.level;
          if (!canAt(ctx.auth, 'org.write', inDb.path)) errs.push({ column: 'parentCode', ...E.outOfScope });
        } else {
          errs.push({ column: 'parentCode', ...E.parentUnknown(v.parentCode) });
        }
      }
      const want = parentLevelOf(v.level);
      if (parentLevel && parentLevel !== want) errs.push({ column: 'level', ...E.levelMismatch(want, parentLevel) });
      if (existing) {
        if (!canAt(ctx.auth, 'org.write', existing.path)) errs.push({ column: 'code', ...E.nodeOutOfScope });
        const parentNow = existing.parentId === null ? null : (codeById.get(existing.parentId) ?? null);
        if (existing.level !== v.level || parentNow !== v.parentCode) errs.push({ column: 'parentCode', ...E.noMove });
      } else if (v.level === 'head') {
        errs.push({ column: 'level', ...E.headByImport });
      }
      if (errs.length) errors.set(rowNumber, errs);
      fileRows.set(v.code, { level: v.level, ok: errs.length === 0 });
    }
    return errors;
  },

  async write(tx, rows: ImportRow<OrgNodeValue>[], ctx, onRows): Promise<WriteCounts> {
    const nodes = await loadNodes(tx);
    const counts: WriteCounts = { inserted: 0, updated: 0, unchanged: 0 };
    const audit: AuditEntryInput[] = [];
    const now = clock.now();
    let done = 0;
    // File order: a parent earlier in the file is written (and has its id and path) first.
    for (const { value: v } of rows) {
      const existing = nodes.get(v.code);
      if (existing) {
        if (existing.name === v.name && existing.address === v.address && existing.sort === v.sort) {
          counts.unchanged++;
        } else {
          const after = { ...existing, name: v.name, address: v.address, sort: v.sort };
          await tx.update(orgNodes).set({ name: v.name, address: v.address, sort: v.sort, updatedAt: now }).where(eq(orgNodes.id, existing.id));
          audit.push({ action: 'org.update', entity: 'org_node', entityId: existing.id, nodeId: existing.id, before: auditable(existing), after: auditable(after) });
          nodes.set(v.code, after);
          counts.updated++;
        }
      } else {
        const parent = nodes.get(v.parentCode!)!;
        const [created] = await tx
          .insert(orgNodes)
          .values({ code: v.code, name: v.name, level: v.level, parentId: parent.id, path: `${parent.path}?/`, address: v.address, sort: v.sort })
          .returning({ id: orgNodes.id });
        const path = childPath(parent.path, created.id);
        await tx.update(orgNodes).set({ path }).where(eq(orgNodes.id, created.id));
        const node: NodeRef = { id: created.id, code: v.code, name: v.name, level: v.level, parentId: parent.id, path, address: v.address, sort: v.sort, active: true };
        nodes.set(v.code, node);
        audit.push({ action: 'org.create', entity: 'org_node', entityId: node.id, nodeId: node.id, after: auditable(node) });
        // A new 省分行 / 二级分行 opens with the standard departments, as one created in the console does.
        if (opensStandardDepartments(v.level)) {
          for (const d of await addStandardDepartments(tx, node.id)) {
            audit.push({
              action: 'department.create',
              entity: 'department',
              entityId: d.id,
              nodeId: node.id,
              after: { nodeId: node.id, code: d.code, name: d.name, kind: d.kind, committeeOffice: d.committeeOffice },
            });
          }
        }
        counts.inserted++;
      }
      if (++done % 200 === 0) onRows?.(done);
    }
    await appendAudit(tx, ctx.actor, audit);
    onRows?.(done);
    return counts;
  },
};
