import { sql } from 'drizzle-orm';
import { clock } from '../../calendar/index.js';
import { rows } from '../../db/client.js';
import { isValidIdNumber, isValidUscc, normaliseUscc } from '../customers/ids.rules.js';
import { appendAudit } from '../audit/audit.service.js';
import { amountFenCell, codeCell, dateCell, enumCell, intCell, textCell } from '../imports/cells.js';
import { type ImportColumn, type ImportSpec, parseCells, type RowError } from '../imports/import-spec.js';
import { PROGRAMME_COLUMN, programmeOrError, programmesByCode } from './import-refs.js';

interface RecRow {
  programmeCode: string;
  clientCode: string;
  clientName: string;
  clientKind: 'farmer' | 'small_business';
  householdNo: string;
  idNo: string;
  settlementCode: string | null;
  score: number;
  recommendedFen: number;
  letterNo: string | null;
  appliedOn: string;
  programmeId?: number;
}

const COLUMNS: ImportColumn[] = [
  { ...PROGRAMME_COLUMN, schema: codeCell(32) },
  {
    key: 'clientCode',
    header: '客户编号',
    headerEn: 'Client code',
    required: true,
    example: 'YZH-001',
    text: true,
    width: 14,
    schema: codeCell(40),
    invalid: { zh: '应为客户编号', en: 'a client code' },
  },
  {
    key: 'clientName',
    header: '客户名称',
    headerEn: 'Client name',
    required: true,
    example: '张大山养殖场',
    width: 18,
    schema: textCell(80),
    invalid: { zh: '不能超过80个字', en: 'at most 80 characters' },
  },
  {
    key: 'clientKind',
    header: '客户类型',
    headerEn: 'Kind',
    required: true,
    example: '养殖户',
    width: 10,
    schema: enumCell({ 养殖户: 'farmer', 农户: 'farmer', 小微企业: 'small_business', 小型企业: 'small_business', farmer: 'farmer', small_business: 'small_business' }),
    invalid: { zh: '应为：养殖户、小微企业', en: 'farmer or small business' },
  },
  {
    key: 'householdNo',
    header: '户号',
    headerEn: 'Household no.',
    required: true,
    example: 'H-0001',
    text: true,
    width: 12,
    schema: codeCell(40),
    invalid: { zh: '应为户号', en: 'a household number' },
    note: { zh: '同一户的多名客户合计不超过单户上限', en: 'clients of one household share the household cap' },
  },
  {
    key: 'idNo',
    header: '证件号码',
    headerEn: 'ID / USCC',
    required: true,
    example: '440604198001010012',
    text: true,
    width: 20,
    schema: codeCell(18).refine((v) => isValidIdNumber(normaliseUscc(v), clock.today()) || isValidUscc(normaliseUscc(v))),
    invalid: { zh: '应为有效的身份证号或统一社会信用代码（校验位）', en: 'a valid ID number or USCC (check character)' },
    note: { zh: '准入后按此号码导入白名单', en: 'the whitelist entry is keyed by it' },
  },
  {
    key: 'settlementCode',
    header: '结算网点机构号',
    headerEn: 'Settlement outlet code',
    required: false,
    example: '44100101',
    text: true,
    width: 14,
    schema: codeCell(32),
    invalid: { zh: '应为机构号', en: 'an org node code' },
    note: { zh: '准入后白名单分配到该网点', en: 'the whitelist routes the admitted client to this outlet' },
  },
  { key: 'score', header: '打分卡得分', headerEn: 'Scorecard', required: true, example: 86, width: 10, schema: intCell(0, 100), invalid: { zh: '应为0–100的整数', en: 'an integer 0–100' } },
  {
    key: 'recommendedFen',
    header: '推荐融资金额（元）',
    headerEn: 'Recommended (yuan)',
    required: true,
    example: '800000.00',
    width: 16,
    schema: amountFenCell().refine((n) => n > 0),
    invalid: { zh: '应为大于0的金额', en: 'an amount above 0' },
  },
  { key: 'letterNo', header: '推荐函编号', headerEn: 'Letter no.', required: false, example: 'TJH-2026-01', text: true, width: 14, schema: codeCell(40), invalid: { zh: '应为编号', en: 'a number' } },
  { key: 'appliedOn', header: '申请日期', headerEn: 'Applied on', required: true, example: '2026-11-20', width: 12, schema: dateCell(), invalid: { zh: '应为日期', en: 'a date' } },
];

/**
 * 推荐客户清单 (the core enterprise's list with its scorecard): one row per client of a programme,
 * keyed by (方案编号, 客户编号). A re-import of the same content changes nothing; a client still
 * 'recommended' takes the new figures (audited); a decided client cannot change (row error).
 */
export const scRecommendationsSpec: ImportSpec<RecRow> = {
  kind: 'supplychain-recommendations',
  labelZh: '供应链推荐客户清单',
  labelEn: 'Supply-chain recommendations',
  permission: 'supplychain.manage',
  columns: COLUMNS,
  parseRow(cells) {
    const { values, errors } = parseCells(COLUMNS, cells);
    if (errors.length) return { errors };
    return {
      value: {
        programmeCode: (values.programmeCode as string).toUpperCase(),
        clientCode: (values.clientCode as string).toUpperCase(),
        clientName: values.clientName as string,
        clientKind: values.clientKind as RecRow['clientKind'],
        householdNo: (values.householdNo as string).toUpperCase(),
        idNo: normaliseUscc(values.idNo as string),
        settlementCode: (values.settlementCode as string | null) ?? null,
        score: values.score as number,
        recommendedFen: values.recommendedFen as number,
        letterNo: (values.letterNo as string | null) ?? null,
        appliedOn: values.appliedOn as string,
      },
    };
  },
  naturalKey: (v) => `${v.programmeCode}|${v.clientCode}`,
  async prepare(db, list, ctx) {
    const errors = new Map<number, RowError[]>();
    const known = await programmesByCode(
      db,
      list.map((r) => r.value.programmeCode),
    );
    for (const { rowNumber, value: v } of list) {
      const p = programmeOrError(known, v.programmeCode, ctx.auth);
      if ('column' in p) {
        errors.set(rowNumber, [p]);
        continue;
      }
      v.programmeId = p.id;
      const [old] = await rows<{ status: string; same: boolean }>(
        db,
        sql`SELECT status, (client_name = ${v.clientName} AND client_kind = ${v.clientKind} AND household_no = ${v.householdNo} AND id_no IS NOT DISTINCT FROM ${v.idNo} AND settlement_code IS NOT DISTINCT FROM ${v.settlementCode} AND score = ${v.score} AND recommended_fen = ${v.recommendedFen}
                    AND letter_no IS NOT DISTINCT FROM ${v.letterNo} AND applied_on = ${v.appliedOn}::date) AS same FROM sc_clients WHERE programme_id = ${p.id} AND client_code = ${v.clientCode}`,
      );
      if (old && !old.same && old.status !== 'recommended')
        errors.set(rowNumber, [
          { column: 'clientCode', zh: `客户 ${v.clientCode} 已作出准入决定，不能修改推荐信息`, en: `${v.clientCode} has been decided and cannot change`, code: 'SC.CLIENT_DECIDED' },
        ]);
    }
    return errors;
  },
  async write(tx, list, ctx, onRows) {
    const counts = { inserted: 0, updated: 0, unchanged: 0 };
    const now = clock.now().toISOString();
    for (const { value: v } of list) {
      const [old] = await rows<Record<string, unknown> & { id: number; nodeId: number }>(
        tx,
        sql`SELECT c.id, p.node_id AS "nodeId", c.client_name AS "clientName", c.client_kind AS "clientKind", c.household_no AS "householdNo", c.id_no AS "idNo", c.settlement_code AS "settlementCode", c.score, c.recommended_fen::float8 AS "recommendedFen",
                   c.letter_no AS "letterNo", c.applied_on::text AS "appliedOn" FROM sc_clients c JOIN sc_programmes p ON p.id = c.programme_id WHERE c.programme_id = ${v.programmeId!} AND c.client_code = ${v.clientCode}`,
      );
      const after = {
        clientName: v.clientName,
        clientKind: v.clientKind,
        householdNo: v.householdNo,
        idNo: v.idNo,
        settlementCode: v.settlementCode,
        score: v.score,
        recommendedFen: v.recommendedFen,
        letterNo: v.letterNo,
        appliedOn: v.appliedOn,
      };
      if (old && Object.entries(after).every(([k, x]) => old[k] === x)) {
        counts.unchanged++;
        continue;
      }
      const [{ id, nodeId }] = await rows<{ id: number; nodeId: number }>(
        tx,
        sql`INSERT INTO sc_clients (programme_id, client_code, client_name, client_kind, household_no, id_no, settlement_code, score, recommended_fen, letter_no, applied_on, created_at)
            VALUES (${v.programmeId!}, ${v.clientCode}, ${v.clientName}, ${v.clientKind}, ${v.householdNo}, ${v.idNo}, ${v.settlementCode}, ${v.score}, ${v.recommendedFen}, ${v.letterNo}, ${v.appliedOn}, ${now})
            ON CONFLICT (programme_id, client_code) DO UPDATE SET client_name = EXCLUDED.client_name, client_kind = EXCLUDED.client_kind, household_no = EXCLUDED.household_no, id_no = EXCLUDED.id_no, settlement_code = EXCLUDED.settlement_code,
              score = EXCLUDED.score, recommended_fen = EXCLUDED.recommended_fen, letter_no = EXCLUDED.letter_no, applied_on = EXCLUDED.applied_on
            RETURNING id, (SELECT node_id FROM sc_programmes WHERE id = ${v.programmeId!}) AS "nodeId"`,
      );
      await appendAudit(tx, ctx.actor, {
        action: old ? 'supplychain.client.update' : 'supplychain.client.create',
        entity: 'sc_client',
        entityId: id,
        nodeId,
        before: old ?? null,
        after: { clientCode: v.clientCode, ...after },
      });
      if (old) counts.updated++;
      else counts.inserted++;
    }
    onRows?.(list.length);
    return counts;
  },
};
