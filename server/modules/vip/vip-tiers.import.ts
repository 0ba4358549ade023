import { sql } from 'drizzle-orm';
import { rows } from '../../db/client.js';
import { clock } from '../../calendar/index.js';
import { isBankWide } from '../access/context.js';
import { amountFenCell, codeCell, dateCell, intCell, textCell } from '../imports/cells.js';
import { type ImportColumn, type ImportSpec, parseCells, type RowError } from '../imports/import-spec.js';
import { orderConflict, tiersInForce, type TierSettings } from './vip.rules.js';
import type { TierInput } from './vip.schemas.js';
import { allTierVersions, applyTierVersion } from './vip.tiers.js';

const COLUMNS: ImportColumn[] = [
  {
    key: 'code',
    header: '等级代码',
    headerEn: 'Tier code',
    required: true,
    example: 'PLATINUM',
    text: true,
    width: 12,
    schema: codeCell(32),
    invalid: { zh: '应为字母、数字组成的代码', en: 'letters and digits' },
    note: { zh: '同一代码的新生效日期即新版本，旧版本保留为历史', en: 'A new effective date of a code is a new version; the old one is kept' },
  },
  { key: 'nameZh', header: '等级名称', headerEn: 'Name (zh)', required: true, example: '白金客户', width: 12, schema: textCell(40), invalid: { zh: '不能超过40个字', en: 'at most 40 characters' } },
  { key: 'nameEn', header: '英文名称', headerEn: 'Name (en)', required: true, example: 'Platinum', width: 12, schema: textCell(60), invalid: { zh: '不能超过60个字', en: 'at most 60 characters' } },
  {
    key: 'rank',
    header: '等级序号',
    headerEn: 'Rank',
    required: true,
    example: 2,
    width: 8,
    schema: intCell(1, 99),
    invalid: { zh: '应为1-99的整数，越大等级越高', en: 'a whole number 1–99, higher is better' },
  },
  {
    key: 'aumThresholdFen',
    header: '金融资产门槛（元）',
    headerEn: 'AUM threshold (yuan)',
    aliases: ['资产门槛', 'AUM门槛'],
    required: true,
    example: 500000,
    width: 16,
    schema: amountFenCell(),
    invalid: { zh: '应为大于0的金额（元），最多两位小数', en: 'an amount in yuan above 0, at most 2 decimals' },
  },
  {
    key: 'minProducts',
    header: '最少持有产品数',
    headerEn: 'Min products held',
    required: false,
    example: 3,
    width: 10,
    schema: intCell(0, 50),
    invalid: { zh: '应为0-50的整数', en: 'a whole number 0–50' },
  },
  {
    key: 'requiredProductCode',
    header: '必备产品代码',
    headerEn: 'Required product',
    required: false,
    example: 'DEBIT',
    text: true,
    width: 12,
    schema: codeCell(),
    invalid: { zh: '应为产品代码', en: 'a product code' },
  },
  {
    key: 'requiredGrade',
    header: '客户经理最低等级',
    headerEn: 'Min AM grade',
    required: true,
    example: 3,
    width: 10,
    schema: intCell(1, 5),
    invalid: { zh: '应为1-5的整数（1见习 2初级 3中级 4高级 5资深）', en: 'a whole number 1–5' },
  },
  { key: 'validFrom', header: '生效日期', headerEn: 'Valid from', required: true, example: '2027-01-01', width: 12, schema: dateCell(), invalid: { zh: '应为日期', en: 'a date' } },
  { key: 'validTo', header: '失效日期', headerEn: 'Valid to', required: false, example: '', width: 12, schema: dateCell(), invalid: { zh: '应为日期', en: 'a date' } },
  { key: 'note', header: '备注', headerEn: 'Note', required: false, example: '', width: 20, schema: textCell(200), invalid: { zh: '不能超过200个字', en: 'at most 200 characters' } },
];

const settingsOf = (v: TierInput): TierSettings => v;

/**
 * 贵宾客户等级标准 by Excel (SPEC §5): one row per tier version, keyed by code + 生效日期, so the same
 * file imported again changes nothing. Bank-wide: vip.configure held at the root, checked row by
 * row like the API's; a version may not start in the past; higher tiers ask at least the AUM and AM
 * grade of lower ones on the same day (the file's rows and the tiers already in force together).
 */
export const vipTiersSpec: ImportSpec<TierInput> = {
  kind: 'vip-tiers',
  labelZh: '贵宾客户等级标准',
  labelEn: 'VIP tiers',
  permission: 'vip.configure',
  columns: COLUMNS,

  parseRow(cells) {
    const { values, errors } = parseCells(COLUMNS, cells);
    // A threshold is a positive amount: zero or less is no admission standard.
    if (typeof values.aumThresholdFen === 'number' && (values.aumThresholdFen < 1 || values.aumThresholdFen > 1e15))
      errors.push({ column: 'aumThresholdFen', zh: '资产门槛须大于0元', en: 'must be above 0' });
    if (!errors.length && values.validTo && (values.validTo as string) < (values.validFrom as string)) errors.push({ column: 'validTo', zh: '失效日期不能早于生效日期', en: 'before the start' });
    if (errors.length) return { errors };
    return {
      value: {
        code: (values.code as string).toUpperCase(),
        nameZh: values.nameZh as string,
        nameEn: values.nameEn as string,
        rank: values.rank as number,
        aumThresholdFen: values.aumThresholdFen as number,
        minProducts: (values.minProducts as number | null) ?? 0,
        requiredProductCode: (values.requiredProductCode as string | null)?.toUpperCase() ?? null,
        requiredGrade: values.requiredGrade as number,
        validFrom: values.validFrom as string,
        validTo: (values.validTo as string | null) ?? null,
        note: (values.note as string | null) ?? null,
      },
    };
  },

  naturalKey: (v) => `${v.code}@${v.validFrom}`,

  async prepare(db, list, ctx) {
    const errors = new Map<number, RowError[]>();
    const writer = isBankWide(ctx.auth, 'vip.configure');
    const today = clock.today();
    const all = await allTierVersions(db);
    const products = new Set((await rows<{ code: string }>(db, sql`SELECT upper(code) AS code FROM products`)).map((p) => p.code));
    for (const { rowNumber, value: v } of list) {
      const errs: RowError[] = [];
      const push = (column: string, zh: string, en: string, code?: string) => errs.push({ column, zh, en, ...(code ? { code } : {}) });
      if (!writer) push('code', '贵宾客户等级为全行配置，须由总行或省分行持有“贵宾等级配置”权限的人员维护', 'VIP tiers are bank-wide: vip.configure at the root only', 'AUTH.BANK_WIDE_REQUIRED');
      if (v.requiredProductCode && !products.has(v.requiredProductCode))
        push('requiredProductCode', `产品代码 ${v.requiredProductCode} 不在产品目录中`, `unknown product ${v.requiredProductCode}`, 'VIP.TIER_BAD_PRODUCT');
      const existing = all.find((t) => t.code === v.code && t.validFrom === v.validFrom);
      const changed = !existing || existing.nameZh !== v.nameZh || existing.nameEn !== v.nameEn || existing.validTo !== v.validTo || (existing.note ?? null) !== v.note || !sameAs(existing, v);
      if (changed && v.validFrom < today) push('validFrom', `生效日期 ${v.validFrom} 早于今日，历史版本不可改写`, `${v.validFrom} is in the past: history is not rewritten`, 'VIP.TIER_BACKDATED');
      const sameDay = [
        ...list.map((r) => r.value).filter((o) => o.validFrom <= v.validFrom && (o.validTo === null || o.validTo >= v.validFrom)),
        ...tiersInForce(all, v.validFrom).filter((t) => !list.some((r) => r.value.code === t.code)),
      ];
      const conflict = orderConflict(latestPerCode(sameDay).map(settingsOf), v);
      if (conflict)
        push('aumThresholdFen', `与等级 ${conflict} 冲突：等级越高，资产门槛与客户经理等级要求不能更低，序号不能相同`, `conflicts with ${conflict}: higher tiers ask no less`, 'VIP.TIER_ORDER');
      if (errs.length) errors.set(rowNumber, errs);
    }
    return errors;
  },

  async write(tx, list, ctx, onRows) {
    const counts = { inserted: 0, updated: 0, unchanged: 0 };
    const today = clock.today();
    const now = clock.now();
    for (const { value } of list) {
      // Order was checked over the file as a whole in prepare(); rows are applied one by one.
      const { outcome } = await applyTierVersion(tx, ctx.actor, value, today, now, []);
      counts[outcome]++;
    }
    onRows?.(list.length);
    return counts;
  },
};

const sameAs = (a: TierSettings, b: TierSettings) =>
  a.rank === b.rank &&
  a.aumThresholdFen === b.aumThresholdFen &&
  a.minProducts === b.minProducts &&
  (a.requiredProductCode ?? null) === (b.requiredProductCode ?? null) &&
  a.requiredGrade === b.requiredGrade;

function latestPerCode<T extends TierSettings & { validFrom: string }>(list: readonly T[]): T[] {
  const by = new Map<string, T>();
  for (const t of list) if (!by.has(t.code) || by.get(t.code)!.validFrom < t.validFrom) by.set(t.code, t);
  return [...by.values()];
}
