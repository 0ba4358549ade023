/**
 * What the year-end assessment takes and gives (SPEC §10): the facts read from the database, the
 * award rules as configured, and the explained result. Shapes only, apart from assessment.rules.ts
 * so the rules file holds the rules; it re-exports all of this, so callers import from there.
 */

/** Bilingual explanation line. */
export interface Text2 {
  zh: string;
  en: string;
}

// ------------------------------------------------------------------------------------------------
// Inputs

/** A department-level quota (person or outlet quotas never gate). */
export interface QuotaFact {
  departmentId: number;
  productId: number;
  quantity1e4: number;
}

/** Completion of a department for a product (sales it hosted or took part in; see completion.sql.ts). */
export interface CompletionFact {
  departmentId: number;
  productId: number;
  quantity1e4: number;
}

/** Net ledger points of the year per department, product and person (null: the department's own line). */
export interface PointsFact {
  departmentId: number;
  productId: number;
  staffId: number | null;
  pointsHundredths: number;
}

/** Points of a department in the sales of a project (key-project awards). */
export interface ProjectPointsFact {
  projectId: number;
  departmentId: number;
  pointsHundredths: number;
}

/** Cross-sale points earned by people sitting in an outlet (Art. 17 performance-pay attribution). */
export interface OutletFact {
  outletNodeId: number;
  pointsHundredths: number;
  sales: number;
}

/** Award rules of Art. 17 as configuration (award_rule_sets.rules; validated by assessment.schemas.ts). */
export interface AwardRules {
  /** 对照年初目标扣分: the tier with the LOWEST threshold the department's completion is below applies. */
  kpiDeductions: { belowBp: number; deductHundredths: number; label?: string }[];
  /** 专项奖励 for outstanding departments: the tier with the HIGHEST threshold reached applies (≥). */
  specialAwards: { atLeastBp: number; amountFen: number; label?: string }[];
  /** 重点项目突破奖: the amount goes to the departments with points in the project's sales, by those points. */
  keyProjects: { projectId: number; amountFen: number; label: string }[];
  /** 绩效工资归属协办行或经营行网点: list what outlets' people earned, for HR and finance to price. */
  outletAttribution: boolean;
}

export const DEFAULT_AWARD_RULES: AwardRules = { kpiDeductions: [], specialAwards: [], keyProjects: [], outletAttribution: true };

/** Names for the explanations only (they never change a figure and are not hashed). */
export interface Labels {
  departments: Record<number, string>;
  departmentCodes?: Record<number, string>;
  products: Record<number, { name: string; unit: string; code?: string }>;
  staff?: Record<number, { staffNo: string; name: string }>;
  outlets?: Record<number, string>;
  /** Outlets' 机构号 (issue 18 part 5); absent in inputs stored before it existed. */
  outletCodes?: Record<number, string>;
}

export interface AssessmentInput {
  /** 奖励总额 in 分. */
  poolFen: number;
  gateBp: number;
  quotas: QuotaFact[];
  completion: CompletionFact[];
  points: PointsFact[];
  projectPoints: ProjectPointsFact[];
  outlets: OutletFact[];
  rules: AwardRules;
  /**
   * Department codes and staff numbers by id: the tie-break of every largest-remainder split of
   * money (SPEC §7: equal remainders go to the code that sorts first, never the creation order).
   * Part of the hashed facts, unlike the labels, because a code can decide a 分. A department or
   * person missing here sorts by the empty code (then by id): inputs stored before it existed.
   */
  codes?: { departments: Record<number, string>; staff: Record<number, string> };
}

// ------------------------------------------------------------------------------------------------
// Results

export interface GateLine {
  departmentId: number;
  productId: number;
  quota1e4: number;
  completion1e4: number;
  /** floor(completion × 10000 / quota); null when the quota is 0. */
  completionBp: number | null;
  passed: boolean;
  /** The department's points for the product, which count only when passed. */
  pointsHundredths: number;
  reason: Text2;
}

export interface DepartmentResult {
  departmentId: number;
  /** Points before the gate. */
  pointsHundredths: number;
  /** Points that count (after the gate): the pool is split by these. */
  countedHundredths: number;
  /** Points of gated products (counted nothing). */
  gatedHundredths: number;
  /** Mean of the department's per-product completion (quota > 0), floored; null without quotas. */
  completionBp: number | null;
  rewardFen: number;
  specialFen: number;
  kpiDeductionHundredths: number;
  notes: Text2[];
}

export interface PersonResult {
  departmentId: number;
  /** null: the department's own part (points no person was named for). */
  staffId: number | null;
  pointsHundredths: number;
  countedHundredths: number;
  rewardFen: number;
  specialFen: number;
}

export interface OutletLine extends OutletFact {
  note: Text2;
}

export interface AssessmentResult {
  poolFen: number;
  gateBp: number;
  gate: GateLine[];
  departments: DepartmentResult[];
  people: PersonResult[];
  outlets: OutletLine[];
  totals: { pointsHundredths: number; countedHundredths: number; gatedHundredths: number; rewardFen: number; specialFen: number };
  notes: Text2[];
}
