import { sql } from 'drizzle-orm';
import { z } from 'zod';
import { rows } from '../../db/client.js';
import { clock, tenDayPeriod } from '../../calendar/index.js';
import { canAt } from '../access/context.js';
import { appendAudit } from '../audit/audit.service.js';
import { codeCell } from '../imports/cells.js';
import { type ImportColumn, type ImportSpec, parseCells, type RowError } from '../imports/import-spec.js';
import { type CellRaw, cellText, parseAmountFen } from '../imports/normalize.js';
import { FOUR_BANK_MEASURES } from './feeds.js';

/**
 * 地区同业四行个人存款通报表 (PRD-FOUR-BANKS-T, 旬; seed 004 section 三): the feed of the four banks'
 * personal deposit balances per org node and 旬, which the system does not own (core banking and
 * the local PBoC statistics). One row per 旬 × 机构号; balances in 万元 with at most two decimals,
 * stored as integer 分. Re-importing the same file changes nothing; a corrected figure replaces the
 * old one (issues already produced keep what they froze).
 */
export const FEED = 'four-bank-deposits';

/** '2026年12月上旬' (or 2026-12上旬, 2026年12月 上旬) → the 旬's key and span. */
export function parseTenDay(raw: CellRaw): { key: string; from: string; to: string; label: string } | undefined {
  const t = cellText(raw)?.replace(/\s+/g, '');
  const m = t ? /^(\d{4})(?:年|-|\/|\.)(\d{1,2})(?:月)?(上|中|下)旬$/.exec(t) : null;
  if (!m) return undefined;
  const month = Number(m[2]);
  if (month < 1 || month > 12) return undefined;
  const index = ({ 上: 1, 中: 2, 下: 3 } as const)[m[3] as '上' | '中' | '下'];
  const p = tenDayPeriod(`${m[1]}-${String(month).padStart(2, '0')}`, index);
  return { key: `${p.month}-T${p.index}`, from: p.from, to: p.to, label: p.label };
}

/** A balance in 万元 (a bare number is 万元; 元 or 亿 may be written) → integer 分, not negative. */
const wanYuanCell = () =>
  z.preprocess((v: unknown) => {
    const raw = v as CellRaw;
    const text = typeof raw === 'number' ? null : cellText(raw);
    if (text !== null && /[元万亿]$/.test(text.trim())) return parseAmountFen(raw);
    const yuanFen = parseAmountFen(raw);
    return typeof yuanFen === 'number' ? yuanFen * 10_000 : yuanFen;
  }, z.number().int().min(0).max(1e15));

const HEADERS: Record<string, [string, string]> = {
  own: ['本行余额（万元）', 'This bank (10k yuan)'],
  icbc: ['工商银行余额（万元）', 'ICBC (10k yuan)'],
  abc: ['农业银行余额（万元）', 'ABC (10k yuan)'],
  boc: ['中国银行余额（万元）', 'BOC (10k yuan)'],
};
const ALIASES: Record<string, string[]> = { own: ['本行', '本行余额'], icbc: ['工行', '工商银行'], abc: ['农行', '农业银行'], boc: ['中行', '中国银行'] };

const COLUMNS: ImportColumn[] = [
  {
    key: 'period',
    header: '旬',
    headerEn: 'Ten-day period',
    aliases: ['统计旬', '期间'],
    required: true,
    example: '2026年11月上旬',
    text: true,
    width: 16,
    schema: z.preprocess((v: unknown) => parseTenDay(v as CellRaw), z.object({ key: z.string(), from: z.string(), to: z.string(), label: z.string() })),
    invalid: { zh: '应为“2026年11月上旬”这样的旬（上旬1–10日、中旬11–20日、下旬21日至月末）', en: 'a ten-day period such as 2026年11月上旬' },
  },
  {
    key: 'nodeCode',
    header: '机构号',
    headerEn: 'Org code',
    required: true,
    example: '44100',
    text: true,
    width: 10,
    schema: codeCell(),
    invalid: { zh: '应为机构号', en: 'an org code' },
  },
  ...FOUR_BANK_MEASURES.map((m, i): ImportColumn => ({
    key: m.key,
    header: HEADERS[m.key][0],
    headerEn: HEADERS[m.key][1],
    aliases: ALIASES[m.key],
    required: true,
    example: [1234567.89, 2345678.9, 1987654.32, 876543.21][i],
    width: 16,
    schema: wanYuanCell(),
    invalid: { zh: '应为不小于0的金额（万元），最多两位小数', en: 'an amount in 10k yuan, not negative, at most 2 decimals' },
  })),
];

export interface FourBankRow {
  periodKey: string;
  periodFrom: string;
  periodLabel: string;
  nodeCode: string;
  nodeId: number;
  values: Record<string, number>;
}

export const fourBankDepositsSpec: ImportSpec<FourBankRow> = {
  kind: FEED,
  labelZh: '地区同业四行个人存款（旬）',
  labelEn: 'Four-bank personal deposits (ten-day)',
  permission: 'report.manage',
  columns: COLUMNS,

  parseRow(cells) {
    const { values, errors } = parseCells(COLUMNS, cells);
    if (errors.length) return { errors };
    const p = values.period as { key: string; from: string; label: string };
    return {
      value: {
        periodKey: p.key,
        periodFrom: p.from,
        periodLabel: p.label,
        nodeCode: values.nodeCode as string,
        nodeId: 0,
        values: Object.fromEntries(FOUR_BANK_MEASURES.map((m) => [m.key, values[m.key] as number])),
      },
    };
  },

  naturalKey: (v) => `${v.periodKey}|${v.nodeCode}`,

  async prepare(db, list, ctx) {
    const errors = new Map<number, RowError[]>();
    const codes = [...new Set(list.map((r) => r.value.nodeCode))];
    const nodes = new Map(
      (
        await rows<{ id: number; code: string; path: string; active: boolean }>(
          db,
          sql`SELECT id, code, path, active FROM org_nodes WHERE code = ANY(${`{${codes.map((c) => `"${c}"`).join(',')}}`}::text[])`,
        )
      ).map((n) => [n.code, n]),
    );
    const today = clock.today();
    for (const r of list) {
      const errs: RowError[] = [];
      const v = r.value;
      const n = nodes.get(v.nodeCode);
      if (!n) errs.push({ column: 'nodeCode', zh: `机构号 ${v.nodeCode} 不存在`, en: `unknown org code ${v.nodeCode}` });
      else if (!canAt(ctx.auth, 'report.manage', n.path))
        errs.push({ column: 'nodeCode', zh: `机构 ${v.nodeCode} 不在您的管理范围内`, en: `${v.nodeCode} is outside your scope`, code: 'AUTH.OUT_OF_SCOPE' });
      else v.nodeId = Number(n.id);
      if (v.periodFrom > today) errs.push({ column: 'period', zh: `${v.periodLabel}尚未开始，不能导入其数据`, en: `${v.periodLabel} has not begun` });
      if (errs.length) errors.set(r.rowNumber, errs);
    }
    return errors;
  },

  async write(tx, list, ctx, onRows) {
    const counts = { inserted: 0, updated: 0, unchanged: 0 };
    const now = clock.now();
    for (const { value: v } of list) {
      const old = await rows<{ measure: string; value: string | number }>(
        tx,
        sql`SELECT measure, value FROM report_feed_rows WHERE feed = ${FEED} AND period_key = ${v.periodKey} AND node_id = ${v.nodeId}`,
      );
      const before = Object.fromEntries(old.map((o) => [o.measure, Number(o.value)]));
      if (old.length && FOUR_BANK_MEASURES.every((m) => before[m.key] === v.values[m.key])) {
        counts.unchanged++;
        continue;
      }
      for (const m of FOUR_BANK_MEASURES) {
        await tx.execute(
          sql`INSERT INTO report_feed_rows (feed, period_key, node_id, measure, value, import_id, imported_by, imported_at)
              VALUES (${FEED}, ${v.periodKey}, ${v.nodeId}, ${m.key}, ${v.values[m.key]}, ${ctx.importId ?? null}, ${ctx.actor.id}, ${now.toISOString()}::timestamptz)
              ON CONFLICT (feed, period_key, node_id, measure) DO UPDATE SET value = EXCLUDED.value, import_id = EXCLUDED.import_id, imported_by = EXCLUDED.imported_by, imported_at = EXCLUDED.imported_at`,
        );
      }
      await appendAudit(tx, ctx.actor, {
        action: old.length ? 'report.feed.update' : 'report.feed.add',
        entity: 'report_feed',
        entityId: `${FEED}/${v.periodKey}/${v.nodeCode}`,
        nodeId: v.nodeId,
        ...(old.length ? { before } : {}),
        after: v.values,
      });
      counts[old.length ? 'updated' : 'inserted']++;
    }
    onRows?.(list.length);
    return counts;
  },
};
