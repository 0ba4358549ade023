import { assertBankWide, type AuthContext, isBankWideLevel } from '../access/context.js';
import type { OrgNode } from '../org/org.queries.js';

/*
 * Who may reach a branch's assessment runs and award rules: assessment.read / .run / .approve held
 * over the branch, counted branch-wide as for quotas (quotas.policy.ts: scopedBranch,
 * assertBranchScope) — the service checks every run it reads or changes.
 */

/**
 * The province's award rules are the default of every branch without its own (Art. 18): setting
 * them is a bank-wide change, so assessment.approve must be held at province level or above.
 */
export function assertRulesWriter(auth: AuthContext, node: Pick<OrgNode, 'level'>): void {
  if (isBankWideLevel(node.level)) assertBankWide(auth, 'assessment.approve');
}
