import { z } from 'zod';

/** The settings a bank may change, each with its validator and labels. Unknown keys are refused. */
export const SETTINGS_CATALOG = {
  'bank.name': { schema: z.string().trim().min(1).max(100), zh: '银行名称', en: 'Bank name', default: '示范商业银行' },
  'publication.windowDays': { schema: z.number().int().min(1).max(31), zh: '公示期（天）', en: 'Publication window (days)', default: 7 },
  'publication.openDay': { schema: z.number().int().min(1).max(28), zh: '每月公示开始日（第几个工作日）', en: 'Publication opens on working day', default: 1 },
  'publication.holidays': { schema: z.array(z.string().regex(/^\d{4}-\d{2}-\d{2}$/)).max(400), zh: '法定节假日（不计工作日）', en: 'Public holidays (not working days)', default: [] },
  'publication.workdays': { schema: z.array(z.string().regex(/^\d{4}-\d{2}-\d{2}$/)).max(400), zh: '调休工作日（周末上班）', en: 'Make-up working days (weekends worked)', default: [] },
  'import.maxRows': { schema: z.number().int().min(1).max(5_000_000), zh: '单次导入最大行数', en: 'Max rows per import', default: 200000 },
  // A person's full ID/phone reveals per rolling hour; beyond it 429 and compliance is alerted (issue 10).
  'pii.revealsPerHour': { schema: z.number().int().min(1).max(10_000), zh: '每人每小时查看完整证件号码/手机号的次数上限', en: 'Full-number reveals per person per hour', default: 30 },
  // How long a needs-survey link (QR code) stays valid after it is issued (issue 13).
  'survey.tokenDays': { schema: z.number().int().min(1).max(90), zh: '金融需求调查表链接有效期（天）', en: 'Needs-survey link validity (days)', default: 14 },
  // 临界区间客户 (SPEC §5, seed 003/004): AUM at least this percentage of a tier's threshold and below it.
  'vip.nearBandPercent': { schema: z.number().int().min(50).max(99), zh: '临界区间下限（占贵宾等级资产门槛的百分比）', en: 'Near-tier band (percent of a tier’s AUM threshold)', default: 80 },
  // 同业合作平台 (SPEC §11, decision 0034): branches strictly under this coverage are supervised weekly.
  'interbank.flagBelowPercent': {
    schema: z.number().int().min(1).max(100),
    zh: '同业合作平台覆盖率督导线（%，低于即每周督导）',
    en: 'Inter-bank coverage supervision line (%; below it, weekly supervision)',
    default: 60,
  },
  'interbank.submissionDueWeekday': {
    schema: z.number().int().min(1).max(7),
    zh: '督导报送截止日（次周星期几，1=周一）',
    en: 'Supervision submissions due on (weekday of the next week, 1 = Monday)',
    default: 5,
  },
  'interbank.submissionDueHour': { schema: z.number().int().min(0).max(23), zh: '督导报送截止时点（北京时间，时）', en: 'Supervision submissions due at (hour, Beijing time)', default: 17 },
  'interbank.reminderHours': { schema: z.number().int().min(1).max(168), zh: '督导报送截止前提醒（小时）', en: 'Remind this many hours before a submission is due', default: 24 },
  // 经营快贷白名单 (SPEC §12, decision 0036): the official hotline printed on the introduction letter and the campaign lists.
  'whitelist.hotline': {
    schema: z.string().trim().min(3).max(40),
    zh: '官方客服热线（白名单联系函、外呼名单核实用）',
    en: 'Official hotline (whitelist letters and campaign lists)',
    default: '95588',
  },
  'targets.reviewMonths': { schema: z.number().int().min(1).max(36), zh: '目标客户名单定期复审周期（月）', en: 'Target list review period (months)', default: 6 },
} as const satisfies Record<string, { schema: z.ZodType; zh: string; en: string; default: unknown }>;

export type SettingKey = keyof typeof SETTINGS_CATALOG;
// Own keys only: `constructor` or `__proto__` are not settings (decision 0022).
export const isSettingKey = (k: string): k is SettingKey => Object.hasOwn(SETTINGS_CATALOG, k);

/** How the console edits a setting: a bounded number, a line of text, or a list of days (never JSON). */
export type SettingControl = { kind: 'number'; min: number | null; max: number | null } | { kind: 'text'; maxLength: number | null } | { kind: 'dates' };

export function controlOf(key: SettingKey): SettingControl {
  const schema: z.ZodType = SETTINGS_CATALOG[key].schema;
  if (schema instanceof z.ZodNumber) return { kind: 'number', min: schema.minValue, max: schema.maxValue };
  if (schema instanceof z.ZodString) return { kind: 'text', maxLength: schema.maxLength };
  return { kind: 'dates' };
}
