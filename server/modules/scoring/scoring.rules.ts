/**
 * The scoring rules of SPEC §7 and §8, pure: no database, no clock. Amounts are integer
 * hundredths of a point (bigint); quantities integer ten-thousandths of a unit.
 *
 * The ledger computes the same rules set-based in SQL (ledger.sql.ts) for speed; a DB test
 * checks that SQL against these functions on random sales, so this file stays the reference.
 */
import { allocate, type Share } from './allocation.js';

/** SPEC §7 defaults: host 20 %, participants together 80 % (basis points). */
export const DEFAULT_SPLIT = { hostBp: 2000, participantsBp: 8000 } as const;
/** SPEC §8, Art. 20: a sole development lender needs ≥ 85 % of the mortgage households. */
export const SOLE_LENDER_THRESHOLD_BP = 8500;

/**
 * Points of a sale = quantity × unit score (SPEC §7), in hundredths.
 * quantity1e4 × scoreHundredths is exact in units of 10⁻⁶ point; a sale's points are rounded once,
 * half-up, to 0.01 point (ADR 0008) because the split below must divide a whole number of
 * hundredths. Only quantities with more than two decimals can produce a remainder here.
 */
export function salePoints(quantity1e4: bigint | number, scoreHundredths: bigint | number): bigint {
  const q = BigInt(quantity1e4);
  const s = BigInt(scoreHundredths);
  if (q < 0n || s < 0n) throw new RangeError('quantity and score must be ≥ 0');
  return (q * s + 5000n) / 10000n;
}

/**
 * Tie-break keys (SPEC §7 "ties go to the code that sorts first"): allocation.ts gives the spare
 * hundredths of equal remainders to the key that sorts first, so the key IS the tie-break — the
 * department code or the staff number, never the id (the order records were created in). The id
 * follows only to keep keys distinct should two codes be equal (codes are unique per branch and a
 * sale's departments are all in its branch; staff numbers are unique). "\u0000" sorts before every
 * character, so key order = code order (then id): "RE" < "REX". Codes compare by UTF-16 code unit,
 * which for the codes in use (ASCII) is the byte order ledger.sql.ts sorts by (COLLATE "C").
 */
export const deptKey = (code: string, id: number): string => `${code}\u0000${String(id).padStart(10, '0')}`;
export const staffKey = (staffNo: string, id: number): string => `${staffNo}\u0000${String(id).padStart(10, '0')}`;

export interface SplitInput {
  points: bigint;
  hostDepartmentId: number;
  /** The host's department code: with the participants' codes, the departments' tie-break. */
  hostDepartmentCode: string;
  hostBp: number;
  participantsBp: number;
  /**
   * Participating departments (the host is not one of them) with their code and negotiated ratio:
   * a weight as written (1:2, decision 0026) or a percentage in basis points, or null. Both are
   * integer proportions (40 % : 60 % = 4000 : 6000); the weight wins when a row has both.
   */
  participants: readonly { departmentId: number; code: string; ratioBp: number | null; weight?: number | null }[];
  /** People on the sale, each in a department, with their staff number (the tie-break) and contribution (weight, or bp) or null. */
  people: readonly { staffId: number; staffNo: string; departmentId: number; contributionBp: number | null; weight?: number | null }[];
}

export interface SplitLine {
  departmentId: number;
  /** null: the department's own part (it has no people on the sale). */
  staffId: number | null;
  points: bigint;
}

export interface SplitResult {
  departments: { departmentId: number; host: boolean; weight: bigint; points: bigint }[];
  lines: SplitLine[];
}

/**
 * Department weights in ONE largest-remainder pass (ADR 0008): host = hostBp × Σratios,
 * participant i = participantsBp × ratio_i. This is exactly host 20 % / participants 80 % by ratio,
 * and every department's part is within 0.01 of its exact share (two stages would round twice).
 * Ratios apply only when every participant has one and they sum above 0; otherwise equal.
 * A participant equal to the host is ignored (the sales module rejects such a sale anyway).
 * A sale with no participant (not a cross-sale; rejected upstream) gives the host everything.
 */
export function departmentWeights(input: Pick<SplitInput, 'hostDepartmentId' | 'hostDepartmentCode' | 'hostBp' | 'participantsBp' | 'participants'>): Share[] {
  const parts = input.participants.filter((p) => p.departmentId !== input.hostDepartmentId);
  const ratioOf = (p: SplitInput['participants'][number]) => p.weight ?? p.ratioBp;
  const ratios = parts.every((p) => ratioOf(p) !== null) ? parts.map((p) => BigInt(ratioOf(p)!)) : null;
  const ratioSum = ratios ? ratios.reduce((a, b) => a + b, 0n) : 0n;
  const byRatio = ratios !== null && ratioSum > 0n;
  const k = byRatio ? ratioSum : BigInt(parts.length);
  const shares: Share[] = [{ key: deptKey(input.hostDepartmentCode, input.hostDepartmentId), weight: k === 0n ? 1n : BigInt(input.hostBp) * k }];
  parts.forEach((p, i) => shares.push({ key: deptKey(p.code, p.departmentId), weight: BigInt(input.participantsBp) * (byRatio ? ratios![i] : 1n) }));
  return shares;
}

/**
 * SPEC §7: a sale is split to departments first, then each department's part to its people by
 * contribution (equal when any contribution is missing or all are 0), largest remainder at each
 * step, ties to the department code / staff number that sorts first (deptKey, staffKey), never
 * the id. A department with no people keeps its part (staffId null).
 * Lines come out sorted by department id, then staff id (null first): independent of input order.
 */
export function splitSale(input: SplitInput): SplitResult {
  const shares = departmentWeights(input);
  const deptParts = allocate(input.points, shares);
  const departments = shares
    .map((s) => {
      const departmentId = Number(s.key.slice(s.key.lastIndexOf('\u0000') + 1));
      return { departmentId, host: departmentId === input.hostDepartmentId, weight: BigInt(s.weight), points: deptParts.get(s.key)! };
    })
    .sort((a, b) => a.departmentId - b.departmentId);
  const lines: SplitLine[] = [];
  for (const d of departments) {
    const people = input.people.filter((p) => p.departmentId === d.departmentId);
    if (people.length === 0) {
      lines.push({ departmentId: d.departmentId, staffId: null, points: d.points });
      continue;
    }
    const shareOf = (p: SplitInput['people'][number]) => p.weight ?? p.contributionBp;
    const contributions = people.every((p) => shareOf(p) !== null) ? people.map((p) => BigInt(shareOf(p)!)) : null;
    const useContrib = contributions !== null && contributions.reduce((a, b) => a + b, 0n) > 0n;
    const personShares = people.map((p, i) => ({ key: staffKey(p.staffNo, p.staffId), weight: useContrib ? contributions![i] : 1n }));
    const personParts = allocate(d.points, personShares);
    for (const p of [...people].sort((a, b) => a.staffId - b.staffId)) {
      lines.push({ departmentId: d.departmentId, staffId: p.staffId, points: personParts.get(staffKey(p.staffNo, p.staffId))! });
    }
  }
  return { departments, lines };
}

export interface MortgageFigures {
  lenderMode: 'sole' | 'partial';
  loanShareBp: number | null;
  /** Cumulative figures as of the period's end; null when none had been reported by then. */
  totalHouseholds: number | null;
  bankHouseholds: number | null;
}

export interface MortgageVerdict {
  pass: boolean;
  /** The threshold applied, in basis points (8500 for a sole lender, the loan share otherwise). */
  thresholdBp: number | null;
  /** Why it failed, for the statement: below | no_figures | no_loan_share. */
  reason: 'ok' | 'below' | 'no_figures' | 'no_loan_share';
}

/**
 * SPEC §8, Art. 20: sole lender → bank/total ≥ 85 %; partial → bank/total ≥ the loan share.
 * Exactly at the threshold passes. Compared by integer cross-multiplication (bank × 10000 ≥
 * threshold × total), never floats. No figures by the period's end, or a total of 0, cannot show
 * the rule is met, so the verdict is "not met" (ADR 0008): the points are voided visibly and come
 * back through a reversal as soon as figures are recorded and the period is recomputed.
 */
export function mortgageVerdict(f: MortgageFigures): MortgageVerdict {
  const thresholdBp = f.lenderMode === 'sole' ? SOLE_LENDER_THRESHOLD_BP : f.loanShareBp;
  if (thresholdBp === null || thresholdBp === undefined) return { pass: false, thresholdBp: null, reason: 'no_loan_share' };
  if (f.totalHouseholds === null || f.bankHouseholds === null || f.totalHouseholds <= 0) return { pass: false, thresholdBp, reason: 'no_figures' };
  const pass = BigInt(f.bankHouseholds) * 10000n >= BigInt(thresholdBp) * BigInt(f.totalHouseholds);
  return { pass, thresholdBp, reason: pass ? 'ok' : 'below' };
}

/** The ratio bank/total in basis points, rounded down (display only; the verdict uses integers). */
export function householdRatioBp(bank: number | null, total: number | null): number | null {
  if (bank === null || total === null || total <= 0) return null;
  return Number((BigInt(bank) * 10000n) / BigInt(total));
}

/** `2026-10` → `2026-10-01`; throws on a malformed month. */
export function periodOf(month: string): string {
  if (!/^\d{4}-(0[1-9]|1[0-2])$/.test(month)) throw new RangeError(`bad month ${month}`);
  return `${month}-01`;
}

/** The last day of a period (`2026-02-01` → `2026-02-28`). */
export function periodEnd(period: string): string {
  const [y, m] = period.split('-').map(Number);
  const last = new Date(Date.UTC(y, m, 0)).getUTCDate();
  return `${period.slice(0, 7)}-${String(last).padStart(2, '0')}`;
}
