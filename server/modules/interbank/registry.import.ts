import { clock } from '../../calendar/index.js';
import { canAt } from '../access/context.js';
import { codeCell, dateCell, enumCell, textCell } from '../imports/cells.js';
import { type ImportColumn, type ImportSpec, parseCells, type RowError } from '../imports/import-spec.js';
import { branchesByCode, institutionsByCode, KIND_WORDS, manages, staffByNo } from './import-refs.js';
import { applyInstitution } from './registry.service.js';

interface RegistryRow {
  code: string;
  name: string;
  kind: string;
  parentCode: string | null;
  branchCode: string;
  leaderNo: string | null;
  status: string;
  uscc: string | null;
  validFrom: string | null;
  reason: string | null;
  note: string | null;
  // resolved by prepare()
  nodeId?: number;
  leaderStaffId?: number | null;
}

const COLUMNS: ImportColumn[] = [
  {
    key: 'code',
    header: '机构编码',
    headerEn: 'Institution code',
    required: true,
    example: 'FI-FS-001',
    text: true,
    width: 14,
    schema: codeCell(32),
    invalid: { zh: '应为字母、数字组成的编码', en: 'letters and digits' },
  },
  { key: 'name', header: '机构名称', headerEn: 'Name', required: true, example: '佛山农村商业银行', width: 24, schema: textCell(80), invalid: { zh: '不能超过80个字', en: 'at most 80 characters' } },
  {
    key: 'kind',
    header: '机构类型',
    headerEn: 'Kind',
    required: true,
    example: '农村商业银行',
    width: 14,
    schema: enumCell(KIND_WORDS),
    invalid: { zh: '应为：省农信联社、农村商业银行、农村合作银行、农村信用社、村镇银行、城市商业银行、股份制银行分行、政策性银行、其他', en: 'one of the listed kinds' },
  },
  {
    key: 'parentCode',
    header: '上级联社编码',
    headerEn: 'Parent association code',
    required: false,
    example: 'GDRCU',
    text: true,
    width: 14,
    schema: codeCell(32),
    invalid: { zh: '应为联社的机构编码', en: 'an association code' },
  },
  {
    key: 'branchCode',
    header: '所属二级分行机构号',
    headerEn: 'Tier-2 branch code',
    required: true,
    example: '44100',
    text: true,
    width: 14,
    schema: codeCell(32),
    invalid: { zh: '应为二级分行机构号', en: 'a tier-2 branch code' },
    note: { zh: '与系统中现有管辖分行不同即视为管辖调整，须填写调整原因', en: 'A different branch is a move and needs a reason' },
  },
  {
    key: 'leaderNo',
    header: '联动负责人工号',
    headerEn: 'Linkage leader staff no.',
    required: false,
    example: '44110014',
    text: true,
    width: 14,
    schema: codeCell(32),
    invalid: { zh: '应为工号', en: 'a staff number' },
  },
  {
    key: 'status',
    header: '状态',
    headerEn: 'Status',
    required: false,
    example: '正常',
    width: 8,
    schema: enumCell({ 正常: 'active', 存续: 'active', 已合并: 'merged', 已撤销: 'closed', 已关闭: 'closed', active: 'active', merged: 'merged', closed: 'closed' }),
    invalid: { zh: '应为：正常、已合并、已撤销', en: 'active, merged or closed' },
  },
  {
    key: 'uscc',
    header: '统一社会信用代码',
    headerEn: 'USCC',
    required: false,
    example: '',
    text: true,
    width: 20,
    schema: codeCell(18),
    invalid: { zh: '应为18位统一社会信用代码', en: '18 characters' },
  },
  {
    key: 'validFrom',
    header: '管辖生效日期',
    headerEn: 'Jurisdiction from',
    required: false,
    example: '',
    width: 12,
    schema: dateCell(),
    invalid: { zh: '应为日期', en: 'a date' },
    note: { zh: '空为导入当日', en: 'Empty: the day of the import' },
  },
  {
    key: 'reason',
    header: '调整原因',
    headerEn: 'Reason for a move',
    required: false,
    example: '',
    width: 20,
    schema: textCell(200),
    invalid: { zh: '不能超过200个字', en: 'at most 200 characters' },
  },
  { key: 'note', header: '备注', headerEn: 'Note', required: false, example: '', width: 20, schema: textCell(200), invalid: { zh: '不能超过200个字', en: 'at most 200 characters' } },
];

/**
 * 机构名录 by Excel (SPEC §11): one row per institution, keyed by 机构编码, all-or-nothing. The same
 * file imported again changes nothing; a changed branch or leader is a jurisdiction move from the
 * row's 管辖生效日期 (today when empty) and needs a 调整原因. Every reference is checked: the branch
 * is a tier-2 branch in the caller's interbank.manage scope, the leader active staff of it, an
 * existing institution kept by a branch of the caller's, the parent an association.
 */
export const interbankRegistrySpec: ImportSpec<RegistryRow> = {
  kind: 'interbank-registry',
  labelZh: '同业机构名录',
  labelEn: 'Inter-bank institution registry',
  permission: 'interbank.manage',
  columns: COLUMNS,

  parseRow(cells) {
    const { values, errors } = parseCells(COLUMNS, cells);
    const uscc = values.uscc as string | null;
    if (uscc && !/^[0-9A-HJ-NPQRTUWXY]{18}$/i.test(uscc)) errors.push({ column: 'uscc', zh: '应为18位统一社会信用代码', en: '18 characters' });
    if (errors.length) return { errors };
    return {
      value: {
        code: (values.code as string).toUpperCase(),
        name: values.name as string,
        kind: values.kind as string,
        parentCode: (values.parentCode as string | null)?.toUpperCase() ?? null,
        branchCode: (values.branchCode as string).toUpperCase(),
        leaderNo: (values.leaderNo as string | null)?.toUpperCase() ?? null,
        status: (values.status as string | null) ?? 'active',
        uscc: uscc?.toUpperCase() ?? null,
        validFrom: (values.validFrom as string | null) ?? null,
        reason: (values.reason as string | null) ?? null,
        note: (values.note as string | null) ?? null,
      },
    };
  },

  naturalKey: (v) => v.code,

  async prepare(db, list, ctx) {
    const errors = new Map<number, RowError[]>();
    const today = clock.today();
    const branches = await branchesByCode(db);
    const staff = await staffByNo(
      db,
      list.flatMap((r) => (r.value.leaderNo ? [r.value.leaderNo] : [])),
    );
    const known = await institutionsByCode(db, [...list.map((r) => r.value.code), ...list.flatMap((r) => (r.value.parentCode ? [r.value.parentCode] : []))], today);
    const fileAssociations = new Set(list.filter((r) => r.value.kind === 'association').map((r) => r.value.code));
    for (const { rowNumber, value: v } of list) {
      const errs: RowError[] = [];
      const push = (column: string, zh: string, en: string, code?: string) => errs.push({ column, zh, en, ...(code ? { code } : {}) });
      const branch = branches.get(v.branchCode);
      if (!branch) push('branchCode', `机构号 ${v.branchCode} 不是二级分行`, `${v.branchCode} is not a tier-2 branch`, 'FI.NODE_NOT_BRANCH');
      else if (!canAt(ctx.auth, 'interbank.manage', branch.path)) push('branchCode', `二级分行 ${v.branchCode} 不在您的管辖范围内`, `${v.branchCode} is outside your scope`, 'AUTH.OUT_OF_SCOPE');
      else v.nodeId = branch.id;
      v.leaderStaffId = null;
      if (v.leaderNo) {
        const s = staff.get(v.leaderNo);
        if (!s || !s.active || !branch || !s.path.startsWith(branch.path))
          push('leaderNo', `工号 ${v.leaderNo} 不是该二级分行的在职员工`, `${v.leaderNo} is not active staff of the branch`, 'FI.LEADER_NOT_IN_BRANCH');
        else v.leaderStaffId = s.id;
      }
      if (v.parentCode) {
        const p = known.get(v.parentCode);
        if (v.parentCode === v.code || !(fileAssociations.has(v.parentCode) || p?.kind === 'association'))
          push('parentCode', `上级联社 ${v.parentCode} 不是已登记的联社`, `${v.parentCode} is not a registered association`, 'FI.BAD_PARENT');
      }
      const old = known.get(v.code);
      if (old) {
        if (!manages(ctx.auth, old)) push('code', `机构 ${v.code} 现属其他分行管辖，不在您的范围内`, `${v.code} is kept by a branch outside your scope`, 'AUTH.OUT_OF_SCOPE');
        const moving = v.nodeId !== undefined && (old.nodeId !== v.nodeId || old.leaderStaffId !== v.leaderStaffId);
        if (moving && !v.reason) push('reason', '管辖分行或联动负责人有变化，须填写调整原因', 'a move needs a reason', 'FI.REASON_REQUIRED');
        if (moving && (v.validFrom ?? today) <= old.openFrom) push('validFrom', `管辖生效日期须晚于当前管辖起始日 ${old.openFrom}`, `must be after ${old.openFrom}`, 'FI.MOVE_DATE');
      }
      if (errs.length) errors.set(rowNumber, errs);
    }
    return errors;
  },

  async write(tx, list, ctx, onRows) {
    const counts = { inserted: 0, updated: 0, unchanged: 0 };
    const today = clock.today();
    const now = clock.now();
    // Associations first: their members name them as parents.
    const ordered = [...list].sort((a, b) => Number(b.value.kind === 'association') - Number(a.value.kind === 'association'));
    const ids = new Map<string, number>();
    for (const { value: v } of ordered) {
      let parentId: number | null = null;
      if (v.parentCode) parentId = ids.get(v.parentCode) ?? (await institutionsByCode(tx, [v.parentCode], today)).get(v.parentCode)!.id;
      const { id, outcome } = await applyInstitution(
        tx,
        ctx.actor,
        {
          code: v.code,
          name: v.name,
          kind: v.kind,
          parentId,
          status: v.status,
          uscc: v.uscc,
          note: v.note,
          nodeId: v.nodeId!,
          leaderStaffId: v.leaderStaffId ?? null,
          from: v.validFrom ?? today,
          reason: v.reason,
        },
        now,
      );
      ids.set(v.code, id);
      counts[outcome]++;
    }
    onRows?.(list.length);
    return counts;
  },
};
