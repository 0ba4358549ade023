import { sql } from 'drizzle-orm';
import { clock } from '../../calendar/index.js';
import { rows } from '../../db/client.js';
import { appendAudit } from '../audit/audit.service.js';
import { amountFenCell, codeCell, enumCell, textCell } from '../imports/cells.js';
import { type ImportColumn, type ImportSpec, parseCells, type RowError } from '../imports/import-spec.js';
import { PROGRAMME_COLUMN, programmeOrError, programmesByCode } from './import-refs.js';

interface OrderRow {
  programmeCode: string;
  clientCode: string;
  month: string;
  source: 'enterprise' | 'provider';
  amountFen: number;
  programmeId?: number;
  nodeId?: number;
}

const MONTH = /^(\d{4})[-/年.](\d{1,2})月?$/;

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
    key: 'month',
    header: '订单月份',
    headerEn: 'Month',
    required: true,
    example: '2026-10',
    text: true,
    width: 10,
    schema: textCell(10).refine((s) => MONTH.test(s) && Number(MONTH.exec(s)![2]) >= 1 && Number(MONTH.exec(s)![2]) <= 12),
    invalid: { zh: '应为月份，如 2026-10', en: 'a month such as 2026-10' },
  },
  {
    key: 'source',
    header: '数据来源',
    headerEn: 'Source',
    required: true,
    example: '三方数据服务商',
    width: 14,
    schema: enumCell({ 核心企业: 'enterprise', 龙头企业: 'enterprise', 三方数据服务商: 'provider', 三方数据: 'provider', 第三方: 'provider', enterprise: 'enterprise', provider: 'provider' }),
    invalid: { zh: '应为：核心企业、三方数据服务商', en: 'enterprise or provider' },
  },
  {
    key: 'amountFen',
    header: '订单金额（元）',
    headerEn: 'Orders (yuan)',
    required: true,
    example: '175000.00',
    width: 14,
    schema: amountFenCell().refine((n) => n >= 0),
    invalid: { zh: '应为不小于0的金额', en: 'an amount of at least 0' },
  },
];

/**
 * 订单历史 (SPEC §12): a client's orders with the core enterprise by month, as the enterprise states
 * them or as the third-party provider extracted them from the enterprise's system — the two sides of
 * the cross-check. Keyed by (方案, 客户, 月份, 来源): the same amount again is unchanged; another
 * amount replaces it (audited). Orders of an unknown client are kept (the list may come later).
 */
export const scOrdersSpec: ImportSpec<OrderRow> = {
  kind: 'supplychain-orders',
  labelZh: '供应链订单历史（核心企业/三方数据）',
  labelEn: 'Supply-chain order history',
  permission: 'supplychain.manage',
  columns: COLUMNS,
  parseRow(cells) {
    const { values, errors } = parseCells(COLUMNS, cells);
    if (errors.length) return { errors };
    const m = MONTH.exec(values.month as string)!;
    return {
      value: {
        programmeCode: (values.programmeCode as string).toUpperCase(),
        clientCode: (values.clientCode as string).toUpperCase(),
        month: `${m[1]}-${m[2].padStart(2, '0')}-01`,
        source: values.source as OrderRow['source'],
        amountFen: values.amountFen as number,
      },
    };
  },
  naturalKey: (v) => `${v.programmeCode}|${v.clientCode}|${v.month}|${v.source}`,
  async prepare(db, list, ctx) {
    const errors = new Map<number, RowError[]>();
    const known = await programmesByCode(
      db,
      list.map((r) => r.value.programmeCode),
    );
    for (const { rowNumber, value: v } of list) {
      const p = programmeOrError(known, v.programmeCode, ctx.auth);
      if ('column' in p) errors.set(rowNumber, [p]);
      else [v.programmeId, v.nodeId] = [p.id, p.nodeId];
    }
    return errors;
  },
  async write(tx, list, ctx, onRows) {
    const counts = { inserted: 0, updated: 0, unchanged: 0 };
    const now = clock.now().toISOString();
    for (const { value: v } of list) {
      const [old] = await rows<{ amountFen: number }>(
        tx,
        sql`SELECT amount_fen::float8 AS "amountFen" FROM sc_orders WHERE programme_id = ${v.programmeId!} AND client_code = ${v.clientCode} AND month = ${v.month}::date AND source = ${v.source}`,
      );
      if (old?.amountFen === v.amountFen) {
        counts.unchanged++;
        continue;
      }
      await tx.execute(
        sql`INSERT INTO sc_orders (programme_id, client_code, month, source, amount_fen, updated_at) VALUES (${v.programmeId!}, ${v.clientCode}, ${v.month}, ${v.source}, ${v.amountFen}, ${now})
            ON CONFLICT (programme_id, client_code, month, source) DO UPDATE SET amount_fen = EXCLUDED.amount_fen, updated_at = EXCLUDED.updated_at`,
      );
      await appendAudit(tx, ctx.actor, {
        action: old ? 'supplychain.orders.update' : 'supplychain.orders.create',
        entity: 'sc_order',
        entityId: `${v.programmeId}:${v.clientCode}:${v.month.slice(0, 7)}:${v.source}`,
        nodeId: v.nodeId!,
        before: old ?? null,
        after: { amountFen: v.amountFen },
      });
      if (old) counts.updated++;
      else counts.inserted++;
    }
    onRows?.(list.length);
    return counts;
  },
};
