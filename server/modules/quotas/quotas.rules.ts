/**
 * Quota rules (SPEC §10, Art. 18), pure: the 10 % proposal helper and quantity parsing.
 */
import { parseFixed } from '../products/products.rules.js';

export interface Text2 {
  zh: string;
  en: string;
}

/** Art. 18: 建议考核目标值为下年度各项零售产品条线考评指标值的10%. */
export const DEFAULT_PROPOSAL_BP = 1000;

/** A quota quantity ("120", "1.5", 3) → ten-thousandths; ≥ 0, four decimals at most. */
export function quotaQuantity1e4(v: string | number): number | undefined {
  const s = typeof v === 'string' ? v.replace(/[,，\s]/g, '') : v;
  const q = parseFixed(s, 4);
  return q === undefined || q < 0 || !Number.isSafeInteger(q) ? undefined : q;
}

/** percent × target, half-up to 10⁻⁴ of a unit (exact integers). */
export function percentOf(quantity1e4: number, bp: number): number {
  return Number((BigInt(quantity1e4) * BigInt(bp) + 5000n) / 10000n);
}

export interface ProposalInput {
  /** The retail line's target for the quota year, in its unit. */
  lineTarget: { quantity1e4: number; unit: string };
  /** Share of the line target each department is proposed (default 10 %). */
  percentBp: number;
  /** The line's active products. */
  products: readonly { id: number; unit: string }[];
  /** The departments that host or take part in the line (see proposalDepartments in quotas.proposal.ts). */
  departmentIds: readonly number[];
  /** Department-level quotas already on file for the year: `${departmentId}/${productId}` → quantity. */
  existing: ReadonlyMap<string, number>;
}

export interface ProposalLine {
  departmentId: number;
  productId: number;
  /** The suggestion: line target × percent. */
  quantity1e4: number;
  /** The quota already on file, which applying the proposal leaves as it is. */
  existing1e4: number | null;
}

export interface ProposalResult {
  /** line target × percent: the same figure for every department × product. */
  quantity1e4: number;
  lines: ProposalLine[];
  /** Products of the line the target cannot speak for (another unit). */
  skipped: { productId: number; reason: Text2 }[];
}

/**
 * The 10 % helper (SPEC §10, Art. 18). The line target is one figure in one unit, so it is not
 * divided: EACH department that hosts or takes part in the line is proposed line target × 10 % for
 * EACH of the line's products measured in the target's unit — the share Art. 18 asks of every
 * department's cross-marketing. Products in another unit (e.g. 户 beside 万元) are listed as
 * skipped. A proposal never overwrites a quota on file; people edit the figures afterwards.
 */
export function proposeQuotas(input: ProposalInput): ProposalResult {
  const quantity1e4 = percentOf(input.lineTarget.quantity1e4, input.percentBp);
  const products = [...input.products].sort((a, b) => a.id - b.id);
  const skipped = products
    .filter((p) => p.unit !== input.lineTarget.unit)
    .map((p) => ({
      productId: p.id,
      reason: { zh: `计量单位为“${p.unit}”，与条线指标的“${input.lineTarget.unit}”不同，不生成建议目标`, en: `measured in ${p.unit}, not the line target's ${input.lineTarget.unit}: no proposal` },
    }));
  const eligible = products.filter((p) => p.unit === input.lineTarget.unit);
  const depts = [...new Set(input.departmentIds)].sort((a, b) => a - b);
  const lines: ProposalLine[] = [];
  for (const d of depts) {
    for (const p of eligible) {
      lines.push({ departmentId: d, productId: p.id, quantity1e4, existing1e4: input.existing.get(`${d}/${p.id}`) ?? null });
    }
  }
  return { quantity1e4, lines, skipped };
}
