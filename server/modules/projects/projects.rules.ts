import { daysBetween } from '../../calendar/dates.js';
import type { ACTIVITY_KINDS, GOAL_MEASURES, MEMBER_ROLES, PLAN_SEGMENTS } from '../../db/schema/projects.js';

/**
 * Pure rules of the marketing projects (SPEC §4, Art. 10–14; issue 13): what a team needs, the
 * funnel and its conversions, a phase goal's progress, the 营销方案 templates and the white-space
 * grid. Integers only — rates in basis points, floored, so a displayed 66.66 % is never rounded up
 * into a goal it has not reached.
 */
export type MemberRole = (typeof MEMBER_ROLES)[number];
export type ActivityKind = (typeof ACTIVITY_KINDS)[number];
export type GoalMeasure = (typeof GOAL_MEASURES)[number];
export type PlanSegment = (typeof PLAN_SEGMENTS)[number];

export interface TeamMember {
  staffId: number;
  role: MemberRole;
}

/**
 * Art. 10: corporate account managers open the unit, personal account / product managers sell.
 * A team without one of each cannot work a unit; the co-organising outlet is the project's own field.
 */
export function teamProblems(members: readonly TeamMember[]): ('PROJECT.TEAM_NEEDS_CORPORATE' | 'PROJECT.TEAM_NEEDS_PERSONAL')[] {
  const out: ('PROJECT.TEAM_NEEDS_CORPORATE' | 'PROJECT.TEAM_NEEDS_PERSONAL')[] = [];
  if (!members.some((m) => m.role === 'corporate_am')) out.push('PROJECT.TEAM_NEEDS_CORPORATE');
  if (!members.some((m) => m.role === 'personal_am' || m.role === 'product_manager')) out.push('PROJECT.TEAM_NEEDS_PERSONAL');
  return out;
}

/** The funnel's stages, in order (the board draws them left to right). */
export const FUNNEL_STAGES = ['known', 'invited', 'attended', 'surveyed', 'lead', 'won', 'vip'] as const;
export type FunnelStage = (typeof FUNNEL_STAGES)[number];

/** a ÷ b in basis points, floored; null when b is 0 (no rate, not 0 %). */
export function rateBp(a: number, b: number): number | null {
  if (b <= 0) return null;
  return Math.floor((a * 10000) / b);
}

/** Each stage's count with its conversion from the stage before and from the first. */
export function funnel(counts: Record<FunnelStage, number>) {
  return FUNNEL_STAGES.map((stage, i) => ({
    stage,
    count: counts[stage],
    fromPreviousBp: i === 0 ? null : rateBp(counts[stage], counts[FUNNEL_STAGES[i - 1]]),
    fromKnownBp: i === 0 ? null : rateBp(counts[stage], counts.known),
  }));
}

/** A phase goal's progress: done ÷ target (basis points, floored) and whether it is met (exactly-at meets). */
export function goalProgress(actual: number, target: number) {
  return { actual, target, progressBp: rateBp(actual, target) ?? 0, met: actual >= target };
}

/** Where a goal stands on its timetable on `day`: not started, running (with days left) or ended. */
export function goalTimetable(startsOn: string, endsOn: string, day: string): { state: 'upcoming' | 'running' | 'ended'; daysLeft: number } {
  if (day < startsOn) return { state: 'upcoming', daysLeft: daysBetween(day, endsOn) };
  if (day > endsOn) return { state: 'ended', daysLeft: 0 };
  return { state: 'running', daysLeft: daysBetween(day, endsOn) };
}

/** Asset classes of an allocation advice. */
export const ASSET_CLASSES = ['deposit', 'wealth', 'fund', 'insurance', 'gold', 'pension'] as const;
export type AssetClass = (typeof ASSET_CLASSES)[number];
export type Allocation = Partial<Record<AssetClass, number>>;

export interface PlanTemplate {
  code: string;
  segment: PlanSegment;
  zh: string;
  en: string;
  /** The anchor product's code in the catalogue, and the bundle offered beside it. */
  anchor: string;
  bundle: string[];
  allocation: Allocation;
  adviceZh: string;
}

/**
 * Art. 12 (量身定制): one template per audience; the team starts from it and edits. Anchors are
 * catalogue codes; a bank whose catalogue lacks one picks another when writing the plan.
 */
export const PLAN_TEMPLATES: readonly PlanTemplate[] = [
  {
    code: 'EXEC',
    segment: 'executive',
    zh: '企业高管财富规划方案',
    en: 'Executive wealth plan',
    anchor: 'PBWMP',
    bundle: ['INS', 'GOLD', 'CREDIT'],
    allocation: { deposit: 1000, wealth: 4000, fund: 2000, insurance: 2000, gold: 1000 },
    adviceZh: '以私人银行理财为核心，配置保障型保险与少量贵金属，兼顾流动性与传承。',
  },
  {
    code: 'MID',
    segment: 'middle_manager',
    zh: '中层管理人员资产配置方案',
    en: 'Middle-manager allocation plan',
    anchor: 'FUND',
    bundle: ['WMP', 'PENSION', 'MBANK'],
    allocation: { deposit: 2000, wealth: 3000, fund: 3000, insurance: 1000, pension: 1000 },
    adviceZh: '以基金定投为核心，稳健理财打底，开立个人养老金账户享受税收优惠。',
  },
  {
    code: 'HNW',
    segment: 'high_end',
    zh: '高端客户综合金融方案',
    en: 'High-end client plan',
    anchor: 'WMP',
    bundle: ['FUND', 'INS', 'FX'],
    allocation: { deposit: 2000, wealth: 4000, fund: 2000, insurance: 1500, gold: 500 },
    adviceZh: '稳健理财为主，权益类基金适度配置，保险做好家庭保障，外币资产分散风险。',
  },
];

/** The allocation must name known classes with whole basis points totalling exactly 100 %. */
export function allocationProblem(a: Record<string, number>): 'PLAN.ALLOCATION_CLASS' | 'PLAN.ALLOCATION_TOTAL' | null {
  const known = new Set<string>(ASSET_CLASSES);
  let total = 0;
  for (const [k, v] of Object.entries(a)) {
    if (!known.has(k) || !Number.isInteger(v) || v < 0) return 'PLAN.ALLOCATION_CLASS';
    total += v;
  }
  return total === 10000 ? null : 'PLAN.ALLOCATION_TOTAL';
}

/**
 * The white-space grid (空白产品): for each person of the unit, which lines of the bundle they hold
 * and which are white space; per line, how many hold it. A line code held by nobody is the widest gap.
 */
export function whiteSpace(people: readonly { personId: number; lines: readonly string[] }[], lines: readonly string[]) {
  const holders = new Map<string, number>(lines.map((l) => [l, 0]));
  const rows = people.map((p) => {
    const held = new Set(p.lines);
    const cells = lines.map((l) => held.has(l));
    cells.forEach((h, i) => (h ? holders.set(lines[i], (holders.get(lines[i]) ?? 0) + 1) : null));
    return { personId: p.personId, cells, gaps: cells.filter((h) => !h).length };
  });
  return { rows, columns: lines.map((l) => ({ line: l, holders: holders.get(l) ?? 0, gaps: people.length - (holders.get(l) ?? 0) })) };
}
