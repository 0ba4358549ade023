/**
 * The supply-chain programme's arithmetic (SPEC §12, seed 002; decision 0039), pure: no I/O. Money
 * is integer fen, ratios basis points (1 % = 100 bp); products that could pass 2^53 go through
 * BigInt. Nothing here reads a clock.
 */

export type LimitRule = 'recommended' | 'orders' | 'household_cap' | 'programme_remaining';

/** The order in which a tie between binding inputs is named: the first input that equals the limit. */
export const LIMIT_RULES: readonly LimitRule[] = ['recommended', 'orders', 'household_cap', 'programme_remaining'];

export interface LimitInputs {
  /** 核心企业推荐金额. */
  recommendedFen: number;
  /** The client's orders with the enterprise in the 12 months before the application (provider's data). */
  orders12mFen: number;
  /** 30 % = 3000 bp. */
  orderRatioBp: number;
  /** 单户最高 (2,000,000 元 = 200,000,000 fen). */
  householdCapFen: number;
  /** Limits already granted to the same household in the programme. */
  householdUsedFen: number;
  /** Programme total minus everything granted so far. */
  programmeRemainingFen: number;
}

export interface LimitDecision {
  limitFen: number;
  rule: LimitRule;
  /** Each candidate, so the decision shows its inputs and which one bound it. */
  candidates: Record<LimitRule, number>;
  inputs: LimitInputs;
}

/** `amount × bp / 10000`, rounded down (a share of orders never rounds a limit up). */
export function shareDown(amountFen: number, bp: number): number {
  return Number((BigInt(amountFen) * BigInt(bp)) / 10000n);
}

/**
 * 授信额度 = min(推荐金额, 订单额 × 30 %, 单户上限 − 同户已授信, 方案剩余额度). The rule named is the
 * first candidate (in LIMIT_RULES order) equal to the minimum; a limit of 0 means nothing can be granted.
 */
export function limitFor(inputs: LimitInputs): LimitDecision {
  const candidates: Record<LimitRule, number> = {
    recommended: inputs.recommendedFen,
    orders: shareDown(inputs.orders12mFen, inputs.orderRatioBp),
    household_cap: Math.max(0, inputs.householdCapFen - inputs.householdUsedFen),
    programme_remaining: Math.max(0, inputs.programmeRemainingFen),
  };
  const limitFen = LIMIT_RULES.reduce((m, r) => Math.min(m, candidates[r]), Number.POSITIVE_INFINITY);
  const rule = LIMIT_RULES.find((r) => candidates[r] === limitFen)!;
  return { limitFen, rule, candidates, inputs };
}

/** 'YYYY-MM-01' of a 'YYYY-MM-DD' day, shifted by `delta` months. */
export function monthStart(day: string, delta = 0): string {
  const y = Number(day.slice(0, 4));
  const m = Number(day.slice(5, 7)) - 1 + delta;
  const yy = y + Math.floor(m / 12);
  const mm = ((m % 12) + 12) % 12;
  return `${String(yy).padStart(4, '0')}-${String(mm + 1).padStart(2, '0')}-01`;
}

/** The 12 months before the application's month: [first, last] month starts, inclusive. */
export function orderWindow(appliedOn: string): { from: string; to: string } {
  return { from: monthStart(appliedOn, -12), to: monthStart(appliedOn, -1) };
}

export interface MonthCheck {
  month: string;
  enterpriseFen: number;
  providerFen: number;
  /** enterprise − provider. */
  diffFen: number;
  /** |diff| beyond the tolerance (relative to the provider's figure). */
  beyond: boolean;
}

/**
 * 交叉验证: per month of the window, the enterprise's figure against the provider's; a month one side
 * lacks counts 0 there. Beyond tolerance when |e − p| × 10000 > tolerance_bp × p — so any difference
 * on a month the provider shows nothing for is beyond.
 */
export function crossCheck(enterprise: ReadonlyMap<string, number>, provider: ReadonlyMap<string, number>, window: { from: string; to: string }, toleranceBp: number): MonthCheck[] {
  const out: MonthCheck[] = [];
  for (let m = window.from; m <= window.to; m = monthStart(m, 1)) {
    const e = enterprise.get(m) ?? 0;
    const p = provider.get(m) ?? 0;
    const diff = e - p;
    out.push({ month: m, enterpriseFen: e, providerFen: p, diffFen: diff, beyond: BigInt(Math.abs(diff)) * 10000n > BigInt(toleranceBp) * BigInt(p) });
  }
  return out;
}

/** 保证金 on a draw: amount × margin_bp / 10000, rounded half up to the fen. */
export function marginFor(amountFen: number, marginBp: number): number {
  return Number((BigInt(amountFen) * BigInt(marginBp) + 5000n) / 10000n);
}

/** Margin released by repayments: in proportion to principal repaid (rounded down), all of it once the balance is 0. */
export function marginReleased(marginFen: number, amountFen: number, repaidFen: number, balanceFen: number): number {
  if (balanceFen === 0) return marginFen;
  const repaid = Math.min(repaidFen, amountFen);
  return Number((BigInt(marginFen) * BigInt(repaid)) / BigInt(amountFen));
}

/** A draw's maturity is at most `maxMonths` months after it (the same day of the month, or the month's last). */
export function latestMaturity(drawnOn: string, maxMonths: number): string {
  const start = monthStart(drawnOn, maxMonths);
  const y = Number(start.slice(0, 4));
  const m = Number(start.slice(5, 7));
  const last = new Date(Date.UTC(y, m, 0)).getUTCDate();
  const d = Math.min(Number(drawnOn.slice(8, 10)), last);
  return `${start.slice(0, 8)}${String(d).padStart(2, '0')}`;
}

export type NplLevel = 'normal' | 'warn' | 'suspend';

/** 不良率 in basis points, rounded down (null without a balance): for display only — levels compare exactly. */
export function nplRatioBp(nplFen: number, balanceFen: number): number | null {
  if (balanceFen <= 0) return null;
  return Number((BigInt(nplFen) * 10000n) / BigInt(balanceFen));
}

/** npl ÷ balance ≥ threshold, exactly: npl × 10000 ≥ threshold_bp × balance. */
const atLeast = (nplFen: number, balanceFen: number, bp: number) => BigInt(nplFen) * 10000n >= BigInt(bp) * BigInt(balanceFen);

/** ≥ suspend_bp suspends, ≥ warn_bp warns (both inclusive); no balance is normal. */
export function nplLevel(nplFen: number, balanceFen: number, warnBp: number, suspendBp: number): NplLevel {
  if (balanceFen <= 0) return 'normal';
  if (atLeast(nplFen, balanceFen, suspendBp)) return 'suspend';
  if (atLeast(nplFen, balanceFen, warnBp)) return 'warn';
  return 'normal';
}

/**
 * The daily job suspends an active programme at the suspension level — unless a reviewed
 * reassessment reopened it at a ratio this one does not exceed (the reassessment accepted that
 * ratio; a further rise suspends again).
 */
export function shouldSuspend(level: NplLevel, status: 'active' | 'suspended', ratioBp: number | null, reopenedAtBp: number | null): boolean {
  if (level !== 'suspend' || status !== 'active') return false;
  return reopenedAtBp === null || (ratioBp ?? 0) > reopenedAtBp;
}

/** A draw is non-performing when overdue for more than `nplOverdueDays` days (default 90). */
export const isNonPerforming = (overdueDays: number, nplOverdueDays: number): boolean => overdueDays > nplOverdueDays;

/** An integer in hundredths (分 as 元, basis points as %) as two-decimal text, by integer arithmetic — never a float. */
export function hundredthsText(n: number): string {
  const abs = String(Math.abs(n)).padStart(3, '0');
  return `${n < 0 ? '-' : ''}${abs.slice(0, -2)}.${abs.slice(-2)}`;
}
