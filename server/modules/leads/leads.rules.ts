/**
 * 商机 (SPEC §4, issue 13): the rules of a lead's life, pure — no I/O. A lead comes from a survey, a
 * referral, an activity, an import or a person's hand; it is routed to a department and an account
 * manager by capacity, moves through stages, and escalates when nobody touches it.
 */

import type { LEAD_SOURCES, LEAD_STAGES } from '../../db/schema/leads.js';

export type LeadStage = (typeof LEAD_STAGES)[number];

export type LeadSource = (typeof LEAD_SOURCES)[number];

export const OPEN_STAGES: readonly LeadStage[] = ['new', 'contacted', 'proposal'];
export const isOpen = (s: LeadStage): boolean => OPEN_STAGES.includes(s);

const ORDER: Record<LeadStage, number> = { new: 0, contacted: 1, proposal: 2, won: 3, lost: 3 };

/**
 * Whether a lead may move from `from` to `to`. Forward only (a proposal is not "un-made"), skipping
 * allowed (a walk-in may buy on the spot: new → won); lost from any open stage; won and lost are
 * final — a lost client who comes back is a new lead, so the handling rate is not rewritten.
 */
export function canMove(from: LeadStage, to: LeadStage): boolean {
  if (!isOpen(from) || from === to) return false;
  return ORDER[to] > ORDER[from];
}

/** An account manager who can take leads: open leads now, and how many they may hold. */
export interface Assignee {
  staffId: number;
  staffNo: string;
  open: number;
  capacity: number;
}

/** a.open/a.capacity < b.open/b.capacity, in integers (no float decides who gets a client). */
function lessLoaded(a: Assignee, b: Assignee): boolean {
  const l = a.open * b.capacity;
  const r = b.open * a.capacity;
  return l !== r ? l < r : a.staffNo < b.staffNo;
}

/**
 * Capacity-aware round-robin: each lead, in order, goes to the least-loaded manager relative to
 * capacity (ties to the staff number that sorts first, as every tie in the system does); a manager
 * at capacity takes no more. Returns one staffId — or null (the department's pool) — per lead, and
 * does not mutate `people`. With equal capacities the open counts end at most 1 apart.
 */
export function assignLeads(count: number, people: readonly Assignee[]): (number | null)[] {
  const pool = people.filter((p) => p.capacity > 0).map((p) => ({ ...p }));
  const out: (number | null)[] = [];
  for (let i = 0; i < count; i++) {
    let best: Assignee | null = null;
    for (const p of pool) if (p.open < p.capacity && (best === null || lessLoaded(p, best))) best = p;
    if (best) best.open += 1;
    out.push(best?.staffId ?? null);
  }
  return out;
}

/** The escalation ladder (issue 13): days untouched → what happens. */
export const ESCALATION_DAYS = { remindOwner: 3, remindManager: 5, returnToPool: 7 } as const;

/** 0 none, 1 owner reminded, 2 manager reminded too, 3 flagged and returned to the pool. */
export type EscalationLevel = 0 | 1 | 2 | 3;

const DAY_MS = 86_400_000;

/** The level an open lead should be at, `now` against when it was last touched. */
export function escalationLevel(touchedAt: Date, now: Date): EscalationLevel {
  const days = Math.floor((now.getTime() - touchedAt.getTime()) / DAY_MS);
  if (days >= ESCALATION_DAYS.returnToPool) return 3;
  if (days >= ESCALATION_DAYS.remindManager) return 2;
  if (days >= ESCALATION_DAYS.remindOwner) return 1;
  return 0;
}

/** When the next step of the ladder falls due (the SLA countdown the console shows). */
export function nextEscalationAt(touchedAt: Date, level: EscalationLevel): Date | null {
  const next = level === 0 ? ESCALATION_DAYS.remindOwner : level === 1 ? ESCALATION_DAYS.remindManager : level === 2 ? ESCALATION_DAYS.returnToPool : null;
  return next === null ? null : new Date(touchedAt.getTime() + next * DAY_MS);
}

/**
 * 商机处理率: handled ÷ received, in basis points rounded half up with integers. A lead is handled
 * once it has left `new` — contacted, proposed, won, or closed as lost with a reason.
 */
export function handlingRateBp(handled: number, total: number): number | null {
  if (total === 0) return null;
  return Math.floor((handled * 20_000 + total) / (2 * total));
}

/** A team member as the won sale needs them. */
export interface SaleTeamMember {
  staffNo: string;
  role: 'leader' | 'corporate_am' | 'personal_am' | 'product_manager' | 'outlet_am';
  departmentCode: string | null;
}

/** 介绍人 for the corporate AMs who opened the unit (Art. 10), 客户经理 / 产品经理 for those who sold. */
const SALE_ROLE: Partial<Record<SaleTeamMember['role'], string>> = { corporate_am: '介绍人', personal_am: '客户经理', product_manager: '产品经理' };

/**
 * A project lead's sale, filled in from the team (issue 13: "nothing typed twice"): everyone who
 * opens or sells — corporate AMs, personal AMs, product managers — and the lead's holder, each in
 * their own department; every department but the product's host takes part (the split rule then
 * gives the host its share). Contributions are left to the rule (equal within a department).
 * The team leader and the outlet AM, who follows up after the sale, are not on the sale.
 */
export function teamSale(team: readonly SaleTeamMember[], hostCode: string, holder: { ownerStaffNo: string | null; departmentCode: string }) {
  const people: { staffNo: string; departmentCode: string; role: string; contribution: null }[] = [];
  const seen = new Set<string>();
  // One line per person: a team member sells in their own department; a holder outside the team
  // sells in the lead's department.
  const add = (staffNo: string, departmentCode: string, role: string) => {
    if (seen.has(staffNo)) return;
    seen.add(staffNo);
    people.push({ staffNo, departmentCode, role, contribution: null });
  };
  for (const m of team) if (SALE_ROLE[m.role] && m.departmentCode) add(m.staffNo, m.departmentCode, SALE_ROLE[m.role]!);
  if (holder.ownerStaffNo) add(holder.ownerStaffNo, holder.departmentCode, '客户经理');
  const departments = [...new Set(people.map((p) => p.departmentCode.toUpperCase()))].filter((c) => c !== hostCode.toUpperCase()).map((code) => ({ code, ratio: null }));
  return { departments, people };
}
