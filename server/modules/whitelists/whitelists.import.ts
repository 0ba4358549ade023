import { sql } from 'drizzle-orm';
import { clock } from '../../calendar/index.js';
import { textArray } from '../../db/arrays.js';
import { rows } from '../../db/client.js';
import { canAt } from '../access/context.js';
import { amountFenCell, codeCell, dateCell, phoneCell, textCell } from '../imports/cells.js';
import { type ImportColumn, type ImportSpec, parseCells, type RowError } from '../imports/import-spec.js';
import { normaliseIdNo, type SettlementNode, validateEntries, writeEntries } from './entries.service.js';

interface WhitelistRow {
  batchCode: string;
  ownerCode: string;
  clientName: string;
  idNo: string;
  phone: string | null;
  amountFen: number;
  product: string;
  expiresOn: string;
  settlementCode: string | null;
  ownerNodeId?: number;
  ownerPath?: string;
}

const COLUMNS: ImportColumn[] = [
  {
    key: 'batchCode',
    header: '批次编号',
    headerEn: 'Batch code',
    required: true,
    example: 'JYKD-2026-12',
    text: true,
    width: 16,
    schema: codeCell(40),
    invalid: { zh: '应为批次编号（字母、数字、-）', en: 'a batch code' },
  },
  {
    key: 'ownerCode',
    header: '承办支行机构号',
    headerEn: 'Owning sub-branch code',
    required: true,
    example: 'FS-CC',
    text: true,
    width: 16,
    note: { zh: '名单归属的支行（或分行）；结算网点不明确的客户留在这里再分配', en: 'The sub-branch that owns the list; clients with no outlet stay here' },
    schema: codeCell(32),
    invalid: { zh: '应为机构号', en: 'an org code' },
  },
  {
    key: 'clientName',
    header: '客户名称',
    headerEn: 'Client name',
    required: true,
    example: '佛山市禅城区顺达五金商行',
    width: 28,
    schema: textCell(100),
    invalid: { zh: '不能超过100个字', en: 'at most 100 characters' },
  },
  {
    key: 'idNo',
    header: '统一社会信用代码/身份证号',
    headerEn: 'USCC / ID number',
    required: true,
    aliases: ['统一社会信用代码', '身份证号', '证件号码'],
    example: '91440604MA4UJ8XX5T',
    text: true,
    width: 22,
    schema: textCell(18),
    invalid: { zh: '应为18位统一社会信用代码或身份证号', en: 'an 18-character USCC or ID number' },
  },
  {
    key: 'phone',
    header: '联系电话',
    headerEn: 'Phone',
    required: false,
    example: '13800138000',
    text: true,
    width: 14,
    schema: phoneCell(),
    invalid: { zh: '应为11位手机号', en: 'an 11-digit mobile number' },
  },
  {
    key: 'amountFen',
    header: '预授信额度(元)',
    headerEn: 'Pre-approved amount (yuan)',
    required: true,
    aliases: ['预授信额度', '预授信额度（元）'],
    example: 300000,
    width: 16,
    schema: amountFenCell(),
    invalid: { zh: '应为金额（元）', en: 'an amount in yuan' },
  },
  { key: 'product', header: '产品', headerEn: 'Product', required: true, example: '经营快贷', width: 14, schema: textCell(50), invalid: { zh: '不能超过50个字', en: 'at most 50 characters' } },
  { key: 'expiresOn', header: '到期日', headerEn: 'Expires on', required: true, example: '2027-06-30', width: 12, schema: dateCell(), invalid: { zh: '应为日期', en: 'a date' } },
  {
    key: 'settlementCode',
    header: '结算网点机构号',
    headerEn: 'Settlement outlet code',
    required: false,
    example: 'FS-CC-01',
    text: true,
    width: 16,
    schema: codeCell(32),
    invalid: { zh: '应为机构号', en: 'an org code' },
  },
];

const FIELD_COLUMN: Record<string, string> = { clientName: 'clientName', idNo: 'idNo', amountFen: 'amountFen', expiresOn: 'expiresOn', product: 'product', settlementCode: 'settlementCode' };

/**
 * 经营快贷白名单 by Excel (SPEC §12): one row per pre-approved client, grouped into batches by 批次编号.
 * Each row: a valid USCC or ID number (check character), a positive amount, an expiry not passed,
 * a known settlement outlet code (blank allowed: the owning sub-branch keeps it). The owning node
 * must be in the importer's whitelist.manage scope. All or nothing; the same file again changes
 * nothing (upsert by batch and identifier, see entries.service.ts).
 */
export const whitelistsSpec: ImportSpec<WhitelistRow> = {
  kind: 'whitelists',
  labelZh: '经营快贷白名单',
  labelEn: 'Small-business loan whitelist',
  permission: 'whitelist.manage',
  columns: COLUMNS,

  parseRow(cells) {
    const { values, errors } = parseCells(COLUMNS, cells);
    if (errors.length) return { errors };
    return {
      value: {
        batchCode: (values.batchCode as string).toUpperCase(),
        ownerCode: values.ownerCode as string,
        clientName: values.clientName as string,
        idNo: normaliseIdNo(values.idNo as string),
        phone: (values.phone as string | null) ?? null,
        amountFen: values.amountFen as number,
        product: values.product as string,
        expiresOn: values.expiresOn as string,
        settlementCode: (values.settlementCode as string | null) ?? null,
      },
    };
  },

  naturalKey: (v) => `${v.batchCode}|${v.idNo}`,

  async prepare(db, list, ctx) {
    const errors = new Map<number, RowError[]>();
    const add = (row: number, e: RowError) => errors.set(row, [...(errors.get(row) ?? []), e]);
    const owners = await rows<{ id: number; code: string; path: string; active: boolean }>(
      db,
      sql`SELECT id, code, path, active FROM org_nodes WHERE code = ANY(${textArray([...new Set(list.map((r) => r.value.ownerCode))])}::text[])`,
    );
    const byCode = new Map(owners.map((o) => [o.code, o]));
    const batchOwner = new Map(
      (
        await rows<{ code: string; ownerNodeId: number }>(
          db,
          sql`SELECT code, owner_node_id AS "ownerNodeId" FROM whitelist_batches WHERE code = ANY(${textArray([...new Set(list.map((r) => r.value.batchCode))])}::text[])`,
        )
      ).map((b) => [b.code, b.ownerNodeId]),
    );
    const ownerInFile = new Map<string, string>();
    for (const { rowNumber, value: v } of list) {
      const o = byCode.get(v.ownerCode);
      if (!o || !o.active) add(rowNumber, { column: 'ownerCode', zh: `机构号 ${v.ownerCode} 不存在`, en: `No org node ${v.ownerCode}`, code: 'WL.NODE_NOT_FOUND' });
      else if (!canAt(ctx.auth, 'whitelist.manage', o.path))
        add(rowNumber, { column: 'ownerCode', zh: `机构 ${v.ownerCode} 不在您的管辖范围内`, en: `${v.ownerCode} is outside your scope`, code: 'AUTH.OUT_OF_SCOPE' });
      else if (batchOwner.has(v.batchCode) && batchOwner.get(v.batchCode) !== o.id)
        add(rowNumber, { column: 'batchCode', zh: `批次 ${v.batchCode} 已属于其他机构`, en: `Batch ${v.batchCode} belongs to another node`, code: 'WL.BATCH_OWNER' });
      else if (ownerInFile.has(v.batchCode) && ownerInFile.get(v.batchCode) !== v.ownerCode)
        add(rowNumber, { column: 'ownerCode', zh: `同一批次的承办机构应一致（前面的行为 ${ownerInFile.get(v.batchCode)}）`, en: 'One batch, one owning node', code: 'WL.BATCH_OWNER' });
      else Object.assign(v, { ownerNodeId: o.id, ownerPath: o.path });
      if (!ownerInFile.has(v.batchCode)) ownerInFile.set(v.batchCode, v.ownerCode);
    }
    const { errors: problems } = await validateEntries(
      db,
      list.map((r) => r.value),
      clock.today(),
    );
    for (const p of problems) if (!p.zh.startsWith('与第')) add(list[p.index].rowNumber, { column: FIELD_COLUMN[p.field] ?? null, zh: p.zh, en: p.en, code: 'WL.INVALID_ENTRY' });
    return errors;
  },

  async write(tx, list, ctx, onRows) {
    const counts = { inserted: 0, updated: 0, unchanged: 0 };
    const { nodes } = await validateEntries(
      tx,
      list.map((r) => r.value),
      clock.today(),
    );
    const batches = new Map<string, WhitelistRow[]>();
    for (const { value } of list) {
      const b = batches.get(value.batchCode);
      if (b) b.push(value);
      else batches.set(value.batchCode, [value]);
    }
    for (const [code, entries] of batches) {
      const r = await writeEntries(tx, ctx.auth, { code, ownerNodeId: entries[0].ownerNodeId!, ownerPath: entries[0].ownerPath!, source: 'import', entries }, nodes as Map<string, SettlementNode>);
      counts.inserted += r.inserted;
      counts.updated += r.updated;
      counts.unchanged += r.unchanged;
      onRows?.(entries.length);
    }
    return counts;
  },
};
