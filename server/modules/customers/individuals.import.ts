import { eq } from 'drizzle-orm';
import { individuals } from '../../db/schema/index.js';
import { canAt } from '../access/context.js';
import { appendAudit, type AuditEntryInput } from '../audit/audit.service.js';
import { auditablePerson } from './customers.presenter.js';
import { ID_PROBLEM_TEXT, parseIdNumber } from './ids.rules.js';
import { addError, idNumberProblem, E, idTextCell, nodesByCode, peopleById, staffByNo } from './import-cells.js';
import { amountFenCell, codeCell, phoneCell, textCell } from '../imports/cells.js';
import { chunks, type ImportColumn, type ImportSpec, parseCells, type RowError, type WriteCounts } from '../imports/import-spec.js';
import { clock } from '../../calendar/index.js';
import { insertRecords } from '../imports/bulk-insert.js';

/** An individuals row; `nodeId`, `amId` and the derived fields are filled by parseRow/prepare. */
export interface IndividualValue {
  idNumber: string;
  name: string;
  phone: string | null;
  orgCode: string;
  amNo: string | null;
  aumFen: number | null;
  vipTier: string | null;
  gender: 'M' | 'F';
  birthDate: string;
  nodeId?: number;
  amId?: number | null;
}

const COLUMNS: ImportColumn[] = [
  {
    key: 'idNumber',
    header: '身份证号码',
    headerEn: 'ID number',
    aliases: ['证件号码', '身份证号'],
    required: true,
    example: '11010519491231002X',
    text: true,
    width: 22,
    schema: idTextCell(),
    invalid: ID_PROBLEM_TEXT.format,
    note: { zh: '18位居民身份证号码（校验位须正确）；已存在的号码将更新该客户', en: '18-character resident ID (check digit verified); an existing number updates that person' },
  },
  {
    key: 'name',
    header: '姓名',
    headerEn: 'Name',
    aliases: ['客户姓名'],
    required: true,
    example: '张三',
    width: 10,
    schema: textCell(50),
    invalid: { zh: '不能超过50个字', en: 'at most 50 characters' },
  },
  {
    key: 'phone',
    header: '手机号',
    headerEn: 'Mobile',
    aliases: ['手机号码', '联系电话'],
    required: false,
    example: '13800138000',
    text: true,
    width: 14,
    schema: phoneCell(),
    invalid: { zh: '应为11位手机号码', en: 'must be an 11-digit mobile number' },
  },
  {
    key: 'orgCode',
    header: '管户机构号',
    headerEn: 'Managing org code',
    aliases: ['机构号'],
    required: true,
    example: '4410101',
    text: true,
    width: 12,
    schema: codeCell(),
    invalid: { zh: '应为字母、数字组成的机构号', en: 'must be letters and digits' },
    note: { zh: '管户的分行、支行或网点机构号，须在您的管理范围内', en: 'The managing node; must be within your scope' },
  },
  {
    key: 'amNo',
    header: '专属客户经理工号',
    headerEn: 'Dedicated AM staff No.',
    aliases: ['客户经理工号'],
    required: false,
    example: '44110001',
    text: true,
    width: 14,
    schema: codeCell(),
    invalid: { zh: '应为字母、数字组成的工号', en: 'must be letters and digits' },
  },
  {
    key: 'aumFen',
    header: '金融资产(元)',
    headerEn: 'AUM (yuan)',
    aliases: ['金融资产', 'AUM'],
    required: false,
    example: '523000.00',
    width: 16,
    schema: amountFenCell(),
    invalid: { zh: '应为金额（元），最多两位小数', en: 'must be an amount in yuan, at most 2 decimals' },
  },
  {
    key: 'vipTier',
    header: 'VIP等级',
    headerEn: 'VIP tier',
    aliases: ['客户等级'],
    required: false,
    example: '白金',
    width: 10,
    schema: textCell(20),
    invalid: { zh: '不能超过20个字', en: 'at most 20 characters' },
  },
];

/** SPEC §2 individual clients by Excel, upserted by 身份证号码. */
export const individualsSpec: ImportSpec<IndividualValue> = {
  kind: 'individuals',
  labelZh: '个人客户',
  labelEn: 'Individual clients',
  permission: 'customer.write',
  columns: COLUMNS,

  parseRow(cells) {
    const { values, errors } = parseCells(COLUMNS, cells);
    let info: ReturnType<typeof parseIdNumber> | null = null;
    if (typeof values.idNumber === 'string') {
      info = parseIdNumber(values.idNumber, clock.today());
      if (!info.ok) errors.push({ column: 'idNumber', ...idNumberProblem(cells.idNumber, info.problem) });
    }
    if (errors.length || !info?.ok) return { errors };
    return {
      value: {
        idNumber: info.info.idNumber,
        name: values.name as string,
        phone: values.phone as string | null,
        orgCode: values.orgCode as string,
        amNo: values.amNo as string | null,
        aumFen: values.aumFen as number | null,
        vipTier: values.vipTier as string | null,
        gender: info.info.gender,
        birthDate: info.info.birthDate,
      },
    };
  },

  naturalKey: (v) => v.idNumber,

  async prepare(db, list, ctx) {
    const errors = new Map<number, RowError[]>();
    const { byCode, pathById } = await nodesByCode(db);
    const ams = await staffByNo(
      db,
      list.flatMap((r) => (r.value.amNo ? [r.value.amNo] : [])),
    );
    const current = await peopleById(
      db,
      list.map((r) => r.value.idNumber),
    );
    for (const { rowNumber, value: v } of list) {
      const node = byCode.get(v.orgCode);
      const person = current.get(v.idNumber);
      if (person && !canAt(ctx.auth, 'customer.write', pathById.get(person.nodeId) ?? '')) addError(errors, rowNumber, { column: 'idNumber', ...E.clientOutOfScope });
      if (!node) addError(errors, rowNumber, { column: 'orgCode', ...E.orgUnknown(v.orgCode) });
      else if (!canAt(ctx.auth, 'customer.write', node.path)) addError(errors, rowNumber, { column: 'orgCode', ...E.orgOutOfScope(v.orgCode) });
      else {
        v.nodeId = node.id;
        v.amId = null;
        if (v.amNo) {
          const am = ams.get(v.amNo);
          if (!am || !am.path.startsWith(node.branchPath)) addError(errors, rowNumber, { column: 'amNo', ...E.amUnknown(v.amNo) });
          else v.amId = am.id;
        }
      }
    }
    return errors;
  },

  async write(tx, list, ctx, onRows): Promise<WriteCounts> {
    const counts: WriteCounts = { inserted: 0, updated: 0, unchanged: 0 };
    const audit: AuditEntryInput[] = [];
    const now = clock.now();
    let done = 0;
    for (const slice of chunks(list, 5000)) {
      const current = await peopleById(
        tx,
        slice.map((r) => r.value.idNumber),
      );
      const inserts: (typeof individuals.$inferInsert)[] = [];
      for (const { value: v } of slice) {
        const fields = {
          idNumber: v.idNumber,
          idSuffix: v.idNumber.slice(-4),
          name: v.name,
          gender: v.gender,
          birthDate: v.birthDate,
          phone: v.phone,
          phoneSuffix: v.phone ? v.phone.slice(-4) : null,
          nodeId: v.nodeId!,
          dedicatedAmId: v.amId ?? null,
          aumFen: v.aumFen ?? 0,
          vipTier: v.vipTier,
        };
        const p = current.get(v.idNumber);
        if (!p) {
          inserts.push(fields);
          continue;
        }
        const same =
          p.name === fields.name &&
          p.phone === fields.phone &&
          p.nodeId === fields.nodeId &&
          p.dedicatedAmId === fields.dedicatedAmId &&
          Number(p.aumFen) === fields.aumFen &&
          p.vipTier === fields.vipTier;
        if (same) {
          counts.unchanged++;
          continue;
        }
        await tx
          .update(individuals)
          .set({ ...fields, updatedAt: now })
          .where(eq(individuals.id, p.id));
        audit.push({
          action: 'customer.person.update',
          entity: 'individual',
          entityId: p.id,
          nodeId: fields.nodeId,
          before: auditablePerson({ ...p, aumFen: Number(p.aumFen) }),
          after: auditablePerson(fields),
        });
        counts.updated++;
      }
      if (inserts.length) {
        const createdIds = await insertRecords(tx, individuals, inserts);
        for (const [i, f] of inserts.entries()) {
          audit.push({
            action: 'customer.person.create',
            entity: 'individual',
            entityId: createdIds[i],
            nodeId: f.nodeId,
            after: auditablePerson({ ...f, dedicatedAmId: f.dedicatedAmId ?? null, aumFen: f.aumFen ?? 0, phone: f.phone ?? null, vipTier: f.vipTier ?? null }),
          });
        }
        counts.inserted += inserts.length;
      }
      done += slice.length;
      onRows?.(done);
    }
    await appendAudit(tx, ctx.actor, audit);
    return counts;
  },
};
