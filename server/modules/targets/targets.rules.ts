/**
 * The target list's rules (SPEC §3, Art. 8): versions, diffs and periodic-review dates.
 * Pure: no database, no HTTP; "today" is always passed in.
 */
import { daysBetween } from '../../calendar/index.js';

/** One client on a list version. */
export interface ListEntry {
  companyId: number;
  criteria: string[];
  reason: string | null;
  nominationId: number | null;
}

/** An approved nomination waiting to enter the next version. */
export interface ApprovedChange {
  nominationId: number;
  companyId: number;
  action: 'add' | 'remove';
  reason: string | null;
}

/**
 * The next version (SPEC §3: "the approved list is a new version") = the previous entries
 * + approved adds − approved removes. A later decision about the same client wins over an
 * earlier one (changes come in decision order). Sorted by company id.
 */
export function nextEntries(previous: readonly ListEntry[], changes: readonly ApprovedChange[]): ListEntry[] {
  const byCompany = new Map<number, ListEntry>(previous.map((e) => [e.companyId, { companyId: e.companyId, criteria: [...e.criteria], reason: e.reason, nominationId: e.nominationId }]));
  for (const c of changes) {
    if (c.action === 'remove') byCompany.delete(c.companyId);
    else byCompany.set(c.companyId, { companyId: c.companyId, criteria: [], reason: c.reason, nominationId: c.nominationId });
  }
  return [...byCompany.values()].sort((a, b) => a.companyId - b.companyId);
}

export interface VersionDiff<E extends { companyId: number; criteria: string[] }> {
  added: E[];
  removed: E[];
  /** On both versions, with a different set of criteria met. */
  changed: { from: E; to: E; criteriaAdded: string[]; criteriaRemoved: string[] }[];
}

/** Compares any two versions of one list (SPEC §3: every version can be compared with another). */
export function diffVersions<E extends { companyId: number; criteria: string[] }>(from: readonly E[], to: readonly E[]): VersionDiff<E> {
  const a = new Map(from.map((e) => [e.companyId, e]));
  const b = new Map(to.map((e) => [e.companyId, e]));
  const byId = (x: E, y: E) => x.companyId - y.companyId;
  const added = to.filter((e) => !a.has(e.companyId)).sort(byId);
  const removed = from.filter((e) => !b.has(e.companyId)).sort(byId);
  const changed: VersionDiff<E>['changed'] = [];
  for (const e of [...to].sort(byId)) {
    const before = a.get(e.companyId);
    if (!before) continue;
    const was = new Set(before.criteria);
    const now = new Set(e.criteria);
    const criteriaAdded = [...now].filter((c) => !was.has(c)).sort();
    const criteriaRemoved = [...was].filter((c) => !now.has(c)).sort();
    if (criteriaAdded.length || criteriaRemoved.length) changed.push({ from: before, to: e, criteriaAdded, criteriaRemoved });
  }
  return { added, removed, changed };
}

/** Days before the review date from which a list shows among the reminders. */
export const REMINDER_WINDOW_DAYS = 30;

/** Art. 8 "定期调整": due soon (within the window) or overdue, with the days left (negative = overdue). */
export function reviewStatus(reviewDueOn: string | null, today: string): { due: boolean; daysLeft: number | null; overdue: boolean } {
  if (!reviewDueOn) return { due: false, daysLeft: null, overdue: false };
  const daysLeft = daysBetween(today, reviewDueOn);
  return { due: daysLeft <= REMINDER_WINDOW_DAYS, daysLeft, overdue: daysLeft < 0 };
}
