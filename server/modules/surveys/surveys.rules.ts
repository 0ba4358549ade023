import { createHmac, timingSafeEqual } from 'node:crypto';

/**
 * 金融需求调查表 (SPEC §4, Art. 11; issue 13): the questions, the signed survey token and the rules
 * that turn answers into leads. Pure — no I/O; the secret and the clock are passed in.
 */

/** Products a person may tick as "interested" (product codes of the catalogue). */
export const INTERESTS = ['WMP', 'FUND', 'INS', 'PENSION', 'DEPOSIT', 'GOLD', 'FX', 'CREDIT', 'MBANK', 'MORTGAGE', 'CONSUMER'] as const;
export const LOAN_INTENTS = ['none', 'mortgage', 'consumer'] as const;
export const LOAN_HORIZONS = ['3m', '6m', '12m', 'later'] as const;
/** Money available to invest, in 万元 bands. */
export const INVEST_BANDS = ['none', 'lt10', '10to50', '50to100', '100to600', 'gte600'] as const;
export const CONTACT_TIMES = ['weekday_day', 'weekday_evening', 'weekend', 'any'] as const;

export type Interest = (typeof INTERESTS)[number];
export interface SurveyAnswers {
  interests: Interest[];
  loanIntent: (typeof LOAN_INTENTS)[number];
  loanHorizon: (typeof LOAN_HORIZONS)[number] | null;
  investBand: (typeof INVEST_BANDS)[number];
  contactTime: (typeof CONTACT_TIMES)[number];
  note: string | null;
}

type Option = { value: string; zh: string; en: string };
export interface Question {
  key: 'interests' | 'loanIntent' | 'loanHorizon' | 'investBand' | 'contactTime' | 'note';
  kind: 'multi' | 'single' | 'text';
  zh: string;
  en: string;
  required: boolean;
  options: Option[];
  /** Shown only when another answer is not this value (the horizon only with a loan intent). */
  unless: { key: 'loanIntent'; value: string } | null;
}

const o = (value: string, zh: string, en: string): Option => ({ value, zh, en });

/** The form, in order. Consent to be contacted is asked apart, under the questions. */
export const QUESTIONS: Question[] = [
  {
    key: 'interests',
    kind: 'multi',
    zh: '您对以下哪些产品或服务感兴趣？（可多选）',
    en: 'Which products or services interest you? (any)',
    required: false,
    unless: null,
    options: [
      o('WMP', '理财产品', 'Wealth management'),
      o('FUND', '基金定投', 'Funds'),
      o('INS', '保险保障', 'Insurance'),
      o('PENSION', '个人养老金', 'Personal pension'),
      o('DEPOSIT', '定期存款 / 大额存单', 'Time deposits'),
      o('GOLD', '贵金属', 'Precious metals'),
      o('FX', '个人外汇', 'Foreign exchange'),
      o('CREDIT', '信用卡', 'Credit card'),
      o('MBANK', '手机银行', 'Mobile banking'),
      o('MORTGAGE', '个人住房贷款', 'Mortgage'),
      o('CONSUMER', '个人消费贷款', 'Consumer loan'),
    ],
  },
  {
    key: 'loanIntent',
    kind: 'single',
    zh: '近期是否有贷款需求？',
    en: 'Do you plan to borrow?',
    required: true,
    unless: null,
    options: [o('none', '暂无', 'No'), o('mortgage', '购房贷款', 'A mortgage'), o('consumer', '消费贷款（装修、购车、教育等）', 'A consumer loan (home, car, education …)')],
  },
  {
    key: 'loanHorizon',
    kind: 'single',
    zh: '预计什么时候需要贷款？',
    en: 'When would you need it?',
    required: true,
    unless: { key: 'loanIntent', value: 'none' },
    options: [o('3m', '3个月内', 'Within 3 months'), o('6m', '3–6个月', 'In 3–6 months'), o('12m', '6–12个月', 'In 6–12 months'), o('later', '一年以后', 'Later than a year')],
  },
  {
    key: 'investBand',
    kind: 'single',
    zh: '可用于投资理财的资金规模',
    en: 'Money you could invest',
    required: true,
    unless: null,
    options: [
      o('none', '暂无', 'None now'),
      o('lt10', '10万元以下', 'Under ¥100k'),
      o('10to50', '10万–50万元', '¥100k–500k'),
      o('50to100', '50万–100万元', '¥500k–1m'),
      o('100to600', '100万–600万元', '¥1m–6m'),
      o('gte600', '600万元及以上', '¥6m or more'),
    ],
  },
  {
    key: 'contactTime',
    kind: 'single',
    zh: '方便联系您的时间',
    en: 'When may we call you?',
    required: true,
    unless: null,
    options: [o('weekday_day', '工作日白天', 'Weekdays, daytime'), o('weekday_evening', '工作日晚上', 'Weekday evenings'), o('weekend', '周末', 'Weekends'), o('any', '均可', 'Any time')],
  },
  { key: 'note', kind: 'text', zh: '其他需求或建议（选填）', en: 'Anything else? (optional)', required: false, unless: null, options: [] },
];

/** A lead the answers call for: the product and why (the lead's note). */
export interface SurveyLead {
  productCode: string;
  reason: string;
}

const SOON = new Set(['3m', '6m']);
const WEALTHY = new Set(['10to50', '50to100', '100to600']);

/**
 * Which leads a response creates — only with consent to be contacted:
 * a mortgage or consumer loan wanted within 6 months → that loan (个人金融部); ¥6m or more to invest
 * → 私人银行理财; ¥100k–6m, or a tick on wealth management or funds → 理财 (wealth); insurance or
 * pension → 保险; credit card → 信用卡中心. One lead per product, in this order.
 */
export function leadsFor(a: SurveyAnswers, consent: boolean): SurveyLead[] {
  if (!consent) return [];
  const out: SurveyLead[] = [];
  const has = (i: Interest) => a.interests.includes(i);
  if (a.loanIntent === 'mortgage' && a.loanHorizon && SOON.has(a.loanHorizon)) out.push({ productCode: 'MORTGAGE', reason: '问卷：6个月内有购房贷款需求' });
  if (a.loanIntent === 'consumer' && a.loanHorizon && SOON.has(a.loanHorizon)) out.push({ productCode: 'CONSUMER', reason: '问卷：6个月内有消费贷款需求' });
  if (a.investBand === 'gte600') out.push({ productCode: 'PBWMP', reason: '问卷：可投资资金600万元及以上' });
  else if (WEALTHY.has(a.investBand) || has('WMP') || has('FUND')) out.push({ productCode: 'WMP', reason: '问卷：有投资理财意向' });
  if (has('INS') || has('PENSION')) out.push({ productCode: 'INS', reason: '问卷：关注保险保障 / 个人养老金' });
  if (has('CREDIT')) out.push({ productCode: 'CREDIT', reason: '问卷：有信用卡需求' });
  return out;
}

/** The loan horizon only counts with a loan intent (the form hides it otherwise). */
export function normaliseAnswers(a: SurveyAnswers): SurveyAnswers {
  return { ...a, interests: [...new Set(a.interests)], loanHorizon: a.loanIntent === 'none' ? null : a.loanHorizon, note: a.note?.trim() || null };
}

// ---- Tokens ----------------------------------------------------------------------------------

/**
 * A survey token is `<id>.<expiry>.<signature>`: the token row's id and its expiry (Unix seconds),
 * both base 36, and the first 16 bytes of HMAC-SHA256 over them with the server secret, base64url.
 * Short enough for a QR code a phone reads from a printed sheet; unforgeable without the secret;
 * the expiry is signed in, so re-issuing a token (a new expiry) voids the old link.
 */
const TOKEN_RE = /^([0-9a-z]{1,10})\.([0-9a-z]{1,10})\.([A-Za-z0-9_-]{22})$/;
export const TOKEN_PATTERN = /^[0-9a-z]{1,10}\.[0-9a-z]{1,10}\.[A-Za-z0-9_-]{22}$/;

const mac = (secret: string, body: string) => createHmac('sha256', secret).update(`survey:${body}`).digest().subarray(0, 16);

export function signToken(secret: string, id: number, expiresAt: Date): string {
  const body = `${id.toString(36)}.${Math.floor(expiresAt.getTime() / 1000).toString(36)}`;
  return `${body}.${mac(secret, body).toString('base64url')}`;
}

export type TokenCheck = { ok: true; id: number; expiresAt: Date; expired: boolean } | { ok: false };

/** Checks the signature first (a forged token learns nothing, not even "expired"), then the expiry. */
export function verifyToken(secret: string, token: string, now: Date): TokenCheck {
  const m = TOKEN_RE.exec(token);
  if (!m) return { ok: false };
  const want = mac(secret, `${m[1]}.${m[2]}`);
  const got = Buffer.from(m[3], 'base64url');
  if (got.length !== want.length || !timingSafeEqual(got, want)) return { ok: false };
  const id = parseInt(m[1], 36);
  const expiresAt = new Date(parseInt(m[2], 36) * 1000);
  if (!Number.isSafeInteger(id) || id <= 0 || id > 2_147_483_647) return { ok: false };
  return { ok: true, id, expiresAt, expired: now.getTime() >= expiresAt.getTime() };
}

/** When a token issued at `now` expires: `days` later, to the second (the token carries seconds). */
export function expiryOf(now: Date, days: number): Date {
  return new Date(Math.floor(now.getTime() / 1000) * 1000 + days * 86_400_000);
}

/** The phone page a token opens. */
export const surveyPath = (token: string) => `/s/${token}`;

/** A mainland mobile number, as a walk-in types it (spaces and dashes dropped). */
export function cleanMobile(raw: string): string | null {
  const d = raw.replace(/[\s-]/g, '');
  return /^1[3-9]\d{9}$/.test(d) ? d : null;
}
