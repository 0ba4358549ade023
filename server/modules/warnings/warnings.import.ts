import { sql } from 'drizzle-orm';
import { rows } from '../../db/client.js';
import { clock } from '../../calendar/index.js';
import { isBankWide } from '../access/context.js';
import { appendAudit, BANK_WIDE } from '../audit/audit.service.js';
import { codeCell, dateCell, enumCell, textCell } from '../imports/cells.js';
import { type ImportColumn, type ImportSpec, parseCells, type RowError } from '../imports/import-spec.js';
import { parseAmountFen, parseInteger } from '../imports/normalize.js';
import { clientsByUscc, writeFeed } from './config.service.js';
import { SOURCES } from './warnings.rules.js';

/** The two imports of early warning (SPEC §12, §14): the daily feed and the guarantees. */

const USCC_RE = /^[0-9A-HJ-NPQRTUWXY]{18}$/;
const usccCell = () => codeCell(18);
const sourceWords: Record<string, string> = Object.fromEntries(Object.entries(SOURCES).flatMap(([code, s]) => [[code, code] as const, [s.zh, code] as const, [s.en, code] as const]));

const notConfigurer: RowError = {
  column: null,
  zh: '监测数据为全行配置，须由省分行持有“预警配置”权限的人员导入',
  en: 'Feeds are bank-wide (warning.configure at province level)',
  code: 'AUTH.BANK_WIDE_REQUIRED',
};

interface FeedRow {
  day: string;
  uscc: string;
  source: string;
  value: number;
  clientId?: number;
}

const FEED_COLUMNS: ImportColumn[] = [
  { key: 'day', header: '数据日期', headerEn: 'Data day', required: true, example: '2026-12-01', width: 12, schema: dateCell(), invalid: { zh: '应为日期', en: 'a date' } },
  {
    key: 'uscc',
    header: '统一社会信用代码',
    headerEn: 'USCC',
    required: true,
    example: '91440604MA4UJ8KX1B',
    text: true,
    width: 22,
    schema: usccCell(),
    invalid: { zh: '应为18位统一社会信用代码', en: 'an 18-character USCC' },
  },
  {
    key: 'clientName',
    header: '客户名称',
    headerEn: 'Client name',
    required: false,
    example: '佛山市禅城区示例贸易有限公司',
    width: 28,
    schema: textCell(120),
    invalid: { zh: '不能超过120个字', en: 'at most 120 characters' },
  },
  {
    key: 'source',
    header: '数据项',
    headerEn: 'Data item',
    required: true,
    example: '逾期天数',
    width: 16,
    schema: enumCell(sourceWords),
    invalid: {
      zh: `应为数据项名称：${Object.values(SOURCES)
        .map((s) => s.zh)
        .join('、')}`,
      en: 'a data item name',
    },
  },
  {
    key: 'value',
    header: '数值',
    headerEn: 'Value',
    required: true,
    example: 5,
    width: 14,
    note: { zh: '金额类填元（两位小数），天数、次数填整数，是否类填1或0', en: 'Amounts in yuan (2 decimals); days and counts as integers; flags 1 or 0' },
    schema: textCell(40),
    invalid: { zh: '应为数值', en: 'a number' },
  },
];

/**
 * 监测数据 (daily feed): one row per day, client and data item; amounts in 元 become 分. The same
 * file again changes nothing; a corrected value replaces the day's value. Bank-wide configuration.
 */
export const warningFeedSpec: ImportSpec<FeedRow> = {
  kind: 'warning-feed',
  labelZh: '贷后监测数据',
  labelEn: 'Post-loan monitoring feed',
  permission: 'warning.configure',
  columns: FEED_COLUMNS,

  parseRow(cells) {
    const { values, errors } = parseCells(FEED_COLUMNS, cells);
    if (errors.length) return { errors };
    const uscc = (values.uscc as string).toUpperCase();
    if (!USCC_RE.test(uscc)) return { errors: [{ column: 'uscc', code: 'IMPORT.INVALID', zh: '应为18位统一社会信用代码', en: 'an 18-character USCC' }] };
    const source = values.source as string;
    const unit = SOURCES[source].unit;
    const value = unit === 'fen' ? parseAmountFen(cells.value ?? null) : parseInteger(cells.value ?? null);
    if (value === null || value === undefined || (unit === 'flag' && value !== 0 && value !== 1))
      return {
        errors: [
          {
            column: 'value',
            code: 'IMPORT.INVALID',
            zh: unit === 'fen' ? '应为金额（元）' : unit === 'flag' ? '应为1或0' : '应为整数',
            en: unit === 'fen' ? 'an amount in yuan' : unit === 'flag' ? '1 or 0' : 'an integer',
          },
        ],
      };
    return { value: { day: values.day as string, uscc, source, value } };
  },

  naturalKey: (v) => `${v.day}|${v.uscc}|${v.source}`,

  async prepare(db, list, ctx) {
    const errors = new Map<number, RowError[]>();
    const writer = isBankWide(ctx.auth, 'warning.configure');
    const ids = await clientsByUscc(
      db,
      list.map((r) => r.value.uscc),
    );
    const today = clock.today();
    for (const { rowNumber, value: v } of list) {
      const errs: RowError[] = writer ? [] : [notConfigurer];
      const id = ids.get(v.uscc);
      if (id === undefined) errs.push({ column: 'uscc', zh: `${v.uscc} 不是本行对公客户`, en: `${v.uscc} is not a corporate client`, code: 'IMPORT.REFERENCE' });
      else v.clientId = id;
      if (v.day > today) errs.push({ column: 'day', zh: '数据日期不能晚于今天', en: 'The day cannot be in the future', code: 'WARNING.FUTURE_DAY' });
      if (errs.length) errors.set(rowNumber, errs);
    }
    return errors;
  },

  async write(tx, list, ctx, onRows) {
    const counts = { inserted: 0, updated: 0, unchanged: 0 };
    const byDay = new Map<string, { clientId: number; source: string; value: number }[]>();
    for (const { value: v } of list) byDay.set(v.day, [...(byDay.get(v.day) ?? []), { clientId: v.clientId!, source: v.source, value: v.value }]);
    for (const [day, items] of byDay) {
      const c = await writeFeed(tx, ctx.actor, day, items);
      counts.inserted += c.inserted;
      counts.updated += c.updated;
      counts.unchanged += c.unchanged;
    }
    onRows?.(list.length);
    return counts;
  },
};

interface GuaranteeRow {
  uscc: string;
  guarantorKind: 'company' | 'person';
  guarantorId: string;
  contractNo: string | null;
  since: string | null;
  until: string | null;
  clientId?: number;
  guarantorRef?: number;
}

const GUARANTEE_COLUMNS: ImportColumn[] = [
  { ...FEED_COLUMNS[1], header: '借款客户统一社会信用代码', headerEn: 'Borrower USCC' },
  {
    key: 'guarantorKind',
    header: '担保人类型',
    headerEn: 'Guarantor kind',
    required: true,
    example: '企业',
    width: 10,
    schema: enumCell({ 企业: 'company', 公司: 'company', company: 'company', 个人: 'person', 自然人: 'person', person: 'person' }),
    invalid: { zh: '应为“企业”或“个人”', en: 'company or person' },
  },
  {
    key: 'guarantorId',
    header: '担保人证件号码',
    headerEn: 'Guarantor USCC or ID number',
    required: true,
    example: '91440604MA4UJ8KX1B',
    text: true,
    width: 22,
    note: { zh: '企业填统一社会信用代码，个人填身份证号码', en: 'USCC for a company, ID number for a person' },
    schema: codeCell(18),
    invalid: { zh: '应为统一社会信用代码或身份证号码', en: 'a USCC or ID number' },
  },
  {
    key: 'contractNo',
    header: '担保合同号',
    headerEn: 'Contract no.',
    required: false,
    example: 'DB2026-0001',
    width: 16,
    schema: codeCell(40),
    invalid: { zh: '应为合同编号', en: 'a contract number' },
  },
  { key: 'since', header: '起始日期', headerEn: 'Since', required: false, example: '2026-01-01', width: 12, schema: dateCell(), invalid: { zh: '应为日期', en: 'a date' } },
  { key: 'until', header: '到期日期', headerEn: 'Until', required: false, example: '2027-12-31', width: 12, schema: dateCell(), invalid: { zh: '应为日期', en: 'a date' } },
];

/** 担保关系: who guarantees a loan client (the graph a warning travels along). Keyed by borrower + guarantor. */
export const warningGuaranteesSpec: ImportSpec<GuaranteeRow> = {
  kind: 'warning-guarantees',
  labelZh: '贷款担保关系',
  labelEn: 'Loan guarantees',
  permission: 'warning.configure',
  columns: GUARANTEE_COLUMNS,

  parseRow(cells) {
    const { values, errors } = parseCells(GUARANTEE_COLUMNS, cells);
    if (errors.length) return { errors };
    return {
      value: {
        uscc: (values.uscc as string).toUpperCase(),
        guarantorKind: values.guarantorKind as 'company' | 'person',
        guarantorId: (values.guarantorId as string).toUpperCase(),
        contractNo: (values.contractNo as string | null) ?? null,
        since: (values.since as string | null) ?? null,
        until: (values.until as string | null) ?? null,
      },
    };
  },

  naturalKey: (v) => `${v.uscc}|${v.guarantorKind}|${v.guarantorId}`,

  async prepare(db, list, ctx) {
    const errors = new Map<number, RowError[]>();
    const writer = isBankWide(ctx.auth, 'warning.configure');
    const companies = await clientsByUscc(db, [...list.map((r) => r.value.uscc), ...list.filter((r) => r.value.guarantorKind === 'company').map((r) => r.value.guarantorId)]);
    const idNos = list.filter((r) => r.value.guarantorKind === 'person').map((r) => r.value.guarantorId);
    const people = new Map(
      idNos.length
        ? (await rows<{ id: number; idNumber: string }>(db, sql`SELECT id, id_number AS "idNumber" FROM individuals WHERE id_number = ANY(${`{${idNos.join(',')}}`}::text[])`)).map((p) => [
            p.idNumber,
            p.id,
          ])
        : [],
    );
    for (const { rowNumber, value: v } of list) {
      const errs: RowError[] = writer ? [] : [notConfigurer];
      v.clientId = companies.get(v.uscc);
      if (v.clientId === undefined) errs.push({ column: 'uscc', zh: `${v.uscc} 不是本行对公客户`, en: `${v.uscc} is not a corporate client`, code: 'IMPORT.REFERENCE' });
      v.guarantorRef = v.guarantorKind === 'company' ? companies.get(v.guarantorId) : people.get(v.guarantorId);
      if (v.guarantorRef === undefined) errs.push({ column: 'guarantorId', zh: `担保人 ${v.guarantorId} 不是本行客户`, en: `Guarantor ${v.guarantorId} is not a client`, code: 'IMPORT.REFERENCE' });
      else if (v.guarantorKind === 'company' && v.guarantorRef === v.clientId)
        errs.push({ column: 'guarantorId', zh: '担保人不能是借款人本身', en: 'A borrower cannot guarantee itself', code: 'IMPORT.INVALID' });
      if (v.since && v.until && v.until < v.since) errs.push({ column: 'until', zh: '到期日期不能早于起始日期', en: 'Until is before since', code: 'IMPORT.INVALID' });
      if (errs.length) errors.set(rowNumber, errs);
    }
    return errors;
  },

  async write(tx, list, ctx, onRows) {
    const counts = { inserted: 0, updated: 0, unchanged: 0 };
    const now = clock.now().toISOString();
    for (const { value: v } of list) {
      const co = v.guarantorKind === 'company' ? v.guarantorRef! : null;
      const pe = v.guarantorKind === 'person' ? v.guarantorRef! : null;
      const [old] = await rows<{ id: number; contractNo: string | null; since: string | null; until: string | null }>(
        tx,
        sql`SELECT id, contract_no AS "contractNo", since::text AS since, until::text AS until FROM ew_guarantees
             WHERE client_id = ${v.clientId!} AND coalesce(guarantor_company_id, 0) = ${co ?? 0} AND coalesce(guarantor_person_id, 0) = ${pe ?? 0}`,
      );
      const after = { contractNo: v.contractNo, since: v.since, until: v.until };
      if (old && old.contractNo === v.contractNo && old.since === v.since && old.until === v.until) {
        counts.unchanged++;
        continue;
      }
      let id = old?.id;
      if (old) await tx.execute(sql`UPDATE ew_guarantees SET contract_no = ${v.contractNo}, since = ${v.since}::date, until = ${v.until}::date WHERE id = ${old.id}`);
      else
        [{ id }] = await rows<{ id: number }>(
          tx,
          sql`INSERT INTO ew_guarantees (client_id, guarantor_company_id, guarantor_person_id, contract_no, since, until, recorded_at)
              VALUES (${v.clientId!}, ${co}, ${pe}, ${v.contractNo}, ${v.since}::date, ${v.until}::date, ${now}::timestamptz) RETURNING id`,
        );
      counts[old ? 'updated' : 'inserted']++;
      await appendAudit(tx, ctx.actor, { action: old ? 'warning.guarantee.update' : 'warning.guarantee.add', entity: 'ew_guarantee', entityId: id!, nodeId: BANK_WIDE, before: old ?? null, after });
    }
    onRows?.(list.length);
    return counts;
  },
};
