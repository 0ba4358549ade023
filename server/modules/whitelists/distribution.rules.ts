import type { WhitelistStaffRule } from '../../db/schema/whitelists.js';
import { allocate } from '../scoring/allocation.js';

/**
 * How a whitelist is shared out (SPEC §12, seed 002 "网点拿到白名单后该怎样合理地分配给网点营销人员"):
 * first to outlets by where the client settles, then inside an outlet to its staff by the outlet's
 * rule. Pure: no I/O; the service loads the rows and the SQL of `apply` writes the same answer.
 */

export interface OutletTarget {
  /** The settlement node as delivered, if its code matched one. */
  settlementNodeId: number | null;
  settlementLevel: string | null;
  settlementPath: string | null;
  settlementActive: boolean | null;
}

/**
 * The node an entry goes to: its settlement outlet when that is an active outlet inside the batch
 * owner's subtree; otherwise (no code, a sub-branch or department code, a closed outlet, another
 * branch's outlet) the owner itself — the sub-branch that owns the batch shares those out.
 */
export function outletFor(t: OutletTarget, owner: { id: number; path: string }): number {
  if (t.settlementNodeId != null && t.settlementLevel === 'outlet' && t.settlementActive && t.settlementPath?.startsWith(owner.path)) return t.settlementNodeId;
  return owner.id;
}

export interface StaffSlot {
  id: number;
  /** Capacity weight (≥ 0); 0 takes nothing new (on leave, a teller without time). */
  weight: number;
  /** Open entries the person already works: round-robin starts with the least loaded. */
  current?: number;
}

export interface PlanEntry {
  id: number;
  amountFen: number;
  /** The client's existing account manager (customer relationship), if any. */
  amId?: number | null;
}

export interface StaffPlan {
  assign: Map<number, number>;
  /** Entries nobody could take: no staff, or every weight 0. */
  unassigned: number[];
}

/** Larger amounts first, then arrival order: the big pre-approvals are dealt out first, evenly. */
const byAmount = (a: PlanEntry, b: PlanEntry) => b.amountFen - a.amountFen || a.id - b.id;

/**
 * Capacity weights: the count each person takes is the largest-remainder split of the entries by
 * weight; entries go largest amount first to whoever has filled the smallest share of their count
 * (ties: the smaller amount so far, then the smaller staff id), so amounts spread as well as counts.
 */
export function planByWeights(entries: readonly PlanEntry[], staff: readonly StaffSlot[]): StaffPlan {
  const assign = new Map<number, number>();
  const able = staff.filter((s) => s.weight > 0);
  if (!entries.length) return { assign, unassigned: [] };
  if (!able.length) return { assign, unassigned: entries.map((e) => e.id) };
  const quota = allocate(
    entries.length,
    able.map((s) => ({ key: String(s.id), weight: s.weight })),
  );
  const load = able.map((s) => ({ id: s.id, quota: Number(quota.get(String(s.id)) ?? 0n), taken: 0, amount: 0 }));
  for (const e of [...entries].sort(byAmount)) {
    let best: (typeof load)[number] | null = null;
    for (const l of load) {
      if (l.taken >= l.quota) continue;
      if (!best) best = l;
      else {
        const d = l.taken * best.quota - best.taken * l.quota; // l.taken/l.quota vs best.taken/best.quota
        if (d < 0 || (d === 0 && (l.amount < best.amount || (l.amount === best.amount && l.id < best.id)))) best = l;
      }
    }
    best!.taken++;
    best!.amount += e.amountFen;
    assign.set(e.id, best!.id);
  }
  return { assign, unassigned: [] };
}

/** Round-robin: in arrival order, one each in turn, starting with whoever holds the fewest open entries. */
export function planRoundRobin(entries: readonly PlanEntry[], staff: readonly StaffSlot[]): StaffPlan {
  const assign = new Map<number, number>();
  const able = staff.filter((s) => s.weight > 0).sort((a, b) => (a.current ?? 0) - (b.current ?? 0) || a.id - b.id);
  if (!able.length) return { assign, unassigned: entries.map((e) => e.id) };
  [...entries].sort((a, b) => a.id - b.id).forEach((e, i) => assign.set(e.id, able[i % able.length].id));
  return { assign, unassigned: [] };
}

/**
 * Keep the existing account manager: a client whose AM works at this outlet (and takes work,
 * weight > 0) goes to that AM; the others are shared by capacity weights.
 */
export function planKeepAm(entries: readonly PlanEntry[], staff: readonly StaffSlot[]): StaffPlan {
  const here = new Set(staff.filter((s) => s.weight > 0).map((s) => s.id));
  const kept = entries.filter((e) => e.amId != null && here.has(e.amId));
  const rest = planByWeights(
    entries.filter((e) => !(e.amId != null && here.has(e.amId))),
    staff,
  );
  for (const e of kept) rest.assign.set(e.id, e.amId!);
  return rest;
}

export function planStaff(rule: WhitelistStaffRule, entries: readonly PlanEntry[], staff: readonly StaffSlot[]): StaffPlan {
  if (rule === 'round_robin') return planRoundRobin(entries, staff);
  if (rule === 'keep_am') return planKeepAm(entries, staff);
  return planByWeights(entries, staff);
}

export interface PersonSummary {
  staffId: number;
  count: number;
  amountFen: number;
}

/** Counts and amounts per person of a plan: the preview a manager sees before applying. */
export function summarise(plan: StaffPlan, entries: readonly PlanEntry[]): PersonSummary[] {
  const amount = new Map(entries.map((e) => [e.id, e.amountFen]));
  const out = new Map<number, PersonSummary>();
  for (const [entryId, staffId] of plan.assign) {
    const p = out.get(staffId) ?? { staffId, count: 0, amountFen: 0 };
    p.count++;
    p.amountFen += amount.get(entryId) ?? 0;
    out.set(staffId, p);
  }
  return [...out.values()].sort((a, b) => a.staffId - b.staffId);
}

/** The weight of each staff member of an outlet: the outlet's configured weight, else 1. */
export function weightsFor(staffIds: readonly number[], configured: Readonly<Record<string, number>>): StaffSlot[] {
  return staffIds.map((id) => ({ id, weight: Object.hasOwn(configured, String(id)) ? Math.max(0, Math.trunc(configured[String(id)])) : 1 }));
}
