/**
 * Pure rules of inclusive-finance branch performance (SPEC §12, seed 002, decision 0037): basis
 * points with half-up rounding, the quarterly grouping rule (the worst sub-branch of each group
 * drops one performance level), the 蹲点 suggestions (good / average / poor outlets from the
 * ranking) and the state of a follow-up action. No I/O.
 */
import { addDays, quarterOf, type Quarter } from '../../calendar/index.js';

export type Group = 'priority' | 'follow' | 'featured';
export type Measure = 'drawn_amount' | 'conversion_bp' | 'drawn_count';
export const GROUPS: readonly Group[] = ['priority', 'follow', 'featured'];

/** n ÷ d in basis points, rounded half up (exact integers); null when d is 0. */
export function rateBp(n: number, d: number): number | null {
  if (!Number.isSafeInteger(n) || !Number.isSafeInteger(d) || n < 0 || d < 0) throw new RangeError(`rateBp(${n}, ${d})`);
  if (d === 0) return null;
  return Math.floor((20000 * n + d) / (2 * d));
}

/** The quarter that ended last before `day` (the day's own quarter has not ended yet). */
export function lastEndedQuarter(day: string): Quarter {
  return quarterOf(addDays(quarterOf(day).from, -1));
}

/** What a sub-branch brought to the quarter: the three measures over the quarter's days. */
export interface MemberInputs {
  entries: number;
  drawnCount: number;
  drawnAmountFen: number;
}

export interface Member {
  nodeId: number;
  /** The tier-2 branch whose sub-branches are compared with each other. */
  branchNodeId: number;
  group: Group;
  inputs: MemberInputs;
}

export type Outcome = 'cut' | 'tied_cut' | 'kept' | 'single';

export interface RuleLine extends Member {
  value: number;
  /** Compared when the value ties: the next measure (see tiebreakOf). */
  tiebreak: number;
  /** 1 = best within its branch and group; equal (value, tiebreak) share a rank. */
  rank: number;
  members: number;
  flagged: boolean;
  outcome: Outcome;
}

/** The measure's value for a member; a sub-branch with no entries converts 0 %. */
export function valueOf(measure: Measure, i: MemberInputs): number {
  if (measure === 'drawn_amount') return i.drawnAmountFen;
  if (measure === 'drawn_count') return i.drawnCount;
  return rateBp(i.drawnCount, i.entries) ?? 0;
}

/** Ties on the measure are broken by the next one: amount → conversion, conversion → amount, count → amount. */
export function tiebreakOf(measure: Measure, i: MemberInputs): number {
  return measure === 'drawn_amount' ? (rateBp(i.drawnCount, i.entries) ?? 0) : i.drawnAmountFen;
}

/**
 * Seed 002: "每季度末对每类支行中业务发展情况最差的一家支行，在经营绩效考核中降低1个绩效级次".
 * Within each (tier-2 branch, group) the member with the lowest value (then the lowest tiebreak)
 * is flagged `cut`. Members still equal on both are all flagged `tied_cut` — the rule names no
 * further criterion and the committee decides (the line shows it). A group of one has nobody to be
 * worse than: `single`, not flagged. An empty group yields no lines.
 */
export function applyQuarterRule(measure: Measure, members: Member[]): RuleLine[] {
  const seen = new Set<number>();
  for (const m of members) {
    if (seen.has(m.nodeId)) throw new Error(`sub-branch ${m.nodeId} is in two groups`);
    seen.add(m.nodeId);
  }
  const buckets = new Map<string, Member[]>();
  for (const m of members) {
    const k = `${m.branchNodeId}:${m.group}`;
    const list = buckets.get(k) ?? [];
    list.push(m);
    buckets.set(k, list);
  }
  const out: RuleLine[] = [];
  for (const list of buckets.values()) {
    const scored = list
      .map((m) => ({ ...m, value: valueOf(measure, m.inputs), tiebreak: tiebreakOf(measure, m.inputs) }))
      .sort((a, b) => b.value - a.value || b.tiebreak - a.tiebreak || a.nodeId - b.nodeId);
    const worst = scored[scored.length - 1];
    const tiedWorst = scored.filter((s) => s.value === worst.value && s.tiebreak === worst.tiebreak);
    scored.forEach((s, i) => {
      const rank = 1 + scored.slice(0, i).filter((p) => p.value !== s.value || p.tiebreak !== s.tiebreak).length;
      let outcome: Outcome = 'kept';
      if (scored.length === 1) outcome = 'single';
      else if (tiedWorst.length === scored.length) outcome = 'tied_cut';
      else if (s.value === worst.value && s.tiebreak === worst.tiebreak) outcome = tiedWorst.length > 1 ? 'tied_cut' : 'cut';
      out.push({ ...s, rank, members: scored.length, flagged: outcome === 'cut' || outcome === 'tied_cut', outcome });
    });
  }
  return out.sort((a, b) => a.branchNodeId - b.branchNodeId || GROUPS.indexOf(a.group) - GROUPS.indexOf(b.group) || a.rank - b.rank || a.nodeId - b.nodeId);
}

export type VisitCategory = 'good' | 'average' | 'poor';

/**
 * 蹲点 suggestions from a ranking (best first): the top outlet is `good`, the bottom one `poor`, the
 * middle one (lower middle for an even count) `average`. Fewer than three outlets: as many as there
 * are, best to worst (one outlet is `average`).
 */
export function suggestVisits<T extends { nodeId: number }>(rankedBestFirst: T[]): { category: VisitCategory; outlet: T }[] {
  const n = rankedBestFirst.length;
  if (n === 0) return [];
  if (n === 1) return [{ category: 'average', outlet: rankedBestFirst[0] }];
  if (n === 2)
    return [
      { category: 'good', outlet: rankedBestFirst[0] },
      { category: 'poor', outlet: rankedBestFirst[1] },
    ];
  return [
    { category: 'good', outlet: rankedBestFirst[0] },
    { category: 'average', outlet: rankedBestFirst[Math.floor((n - 1) / 2)] },
    { category: 'poor', outlet: rankedBestFirst[n - 1] },
  ];
}

export type ActionState = 'open' | 'overdue' | 'closed';

/** A follow-up action is overdue from the day after its due date until it is closed. */
export function actionState(a: { status: 'open' | 'closed'; dueOn: string }, today: string): ActionState {
  if (a.status === 'closed') return 'closed';
  return today > a.dueOn ? 'overdue' : 'open';
}

export interface MonthTally {
  month: string;
  /** Visits planned for the month and not cancelled (done ones included). */
  planned: number;
  done: number;
  cancelled: number;
  /** done ÷ planned, basis points, half up; null with no visits. */
  doneBp: number | null;
  openActions: number;
  overdueActions: number;
}

/** Planned vs done per month, with the follow-ups still open and overdue. */
export function tallyMonths(
  visits: { month: string; status: 'planned' | 'done' | 'cancelled' }[],
  actions: { month: string; status: 'open' | 'closed'; dueOn: string }[],
  today: string,
): MonthTally[] {
  const by = new Map<string, MonthTally>();
  const get = (month: string) => {
    let t = by.get(month);
    if (!t) by.set(month, (t = { month, planned: 0, done: 0, cancelled: 0, doneBp: null, openActions: 0, overdueActions: 0 }));
    return t;
  };
  for (const v of visits) {
    const t = get(v.month);
    if (v.status === 'cancelled') t.cancelled += 1;
    else t.planned += 1;
    if (v.status === 'done') t.done += 1;
  }
  for (const a of actions) {
    const s = actionState(a, today);
    if (s === 'open') get(a.month).openActions += 1;
    if (s === 'overdue') get(a.month).overdueActions += 1;
  }
  for (const t of by.values()) t.doneBp = rateBp(t.done, t.planned);
  return [...by.values()].sort((a, b) => b.month.localeCompare(a.month));
}
