import { addDays, quarterOf } from '../../calendar/index.js';

/** Pure rules of the inter-bank registry, signings and pool (SPEC §11, issue 14). */

export const INSTITUTION_KINDS = ['association', 'rural_commercial', 'rural_cooperative', 'rural_credit_coop', 'village_bank', 'city_bank', 'joint_stock_branch', 'policy_bank', 'other'] as const;
export type InstitutionKind = (typeof INSTITUTION_KINDS)[number];
export const INSTITUTION_STATUSES = ['active', 'merged', 'closed'] as const;
export const SIGNING_KINDS = ['framework', 'product'] as const;
export type SigningKind = (typeof SIGNING_KINDS)[number];
export const POOL_RESOURCES = ['net_interest_margin', 'intermediate_income', 'interbank_volume', 'other'] as const;
export const PROSPECT_STAGES = ['contacted', 'negotiating', 'approving', 'ready', 'signed', 'dropped'] as const;
export const LANDING_STAGES = ['intent', 'testing', 'contracting', 'landed', 'dropped'] as const;

/** The pool quarter of a day: '2026Q4' (the column's format). */
export const poolQuarter = (day: string): string => quarterOf(day).label.replace('-', '');

export interface JurisdictionRow {
  id: number;
  nodeId: number;
  leaderStaffId: number | null;
  validFrom: string;
  validTo: string | null;
}

export type MovePlan = { kind: 'unchanged' } | { kind: 'first' } | { kind: 'move'; close: { id: number; validTo: string } } | { kind: 'refused'; reason: 'before_open' | 'no_open' };

/**
 * A jurisdiction change from `from`: nothing when the open row already says the same branch and
 * leader; otherwise the open row is closed the day before and a new one opens — which needs a
 * start after the open row's own start (history is never rewritten).
 */
export function planMove(history: readonly JurisdictionRow[], nodeId: number, leaderStaffId: number | null, from: string): MovePlan {
  if (!history.length) return { kind: 'first' };
  const open = history.find((h) => h.validTo === null);
  if (!open) return { kind: 'refused', reason: 'no_open' };
  if (open.nodeId === nodeId && open.leaderStaffId === leaderStaffId) return { kind: 'unchanged' };
  if (from <= open.validFrom) return { kind: 'refused', reason: 'before_open' };
  return { kind: 'move', close: { id: open.id, validTo: addDays(from, -1) } };
}

export interface PoolState {
  quarter: string;
  totalAmount: number;
  grantAmount: number;
  grantedAmount: number;
  signingKinds: string;
}

/** A signing is eligible for a pool when active, of a kind the pool rewards and signed in its quarter. */
export function eligible(pool: Pick<PoolState, 'quarter' | 'signingKinds'>, s: { kind: string; signedOn: string; status: string }): boolean {
  return s.status === 'active' && pool.signingKinds.split(',').includes(s.kind) && poolQuarter(s.signedOn) === pool.quarter;
}

/** First come first served: a full grant while what remains covers it, never a part. */
export const grantable = (pool: PoolState): boolean => pool.totalAmount - pool.grantedAmount >= pool.grantAmount;

/** A stable key for an imported row without an agreement number: the fields that make it one agreement. */
export function signingKey(s: { institutionCode: string; kind: string; productName: string | null; signedOn: string }): string {
  return `${s.institutionCode}|${s.kind}|${s.productName ?? ''}|${s.signedOn}`;
}
