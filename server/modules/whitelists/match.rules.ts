import type { WhitelistCampaignKind } from '../../db/schema/whitelists.js';
import { fenToWanYuan, maskName } from './whitelists.rules.js';

/**
 * 部门联动 (seed 002): a department matches the whitelist against its own clients, one rule per
 * kind of department. Pure: the service loads the facts of each entry.
 *  - 私人银行部 (private_banking): the client himself, or for a company its legal representative,
 *    shareholders and executives, is a private-banking client — AUM ≥ 600 万元 or tier 私人银行.
 *  - 银行卡部 / 信用卡中心 (card_merchant): merchants of business districts and professional markets —
 *    a corporate client in wholesale/retail (F), accommodation/catering (H) or residential services
 *    (O), or one whose facts name a business district (商圈).
 *  - 结算与现金管理 (settlement, a corporate department): clients already settling with the bank — a
 *    corporate client on file, or a person holding a debit card or payroll account.
 */

export const PRIVATE_BANKING_AUM_FEN = 600_000_000; // 600 万元
export const MERCHANT_INDUSTRIES = ['F', 'H', 'O'] as const;
export const SETTLEMENT_PRODUCTS = ['DEBIT', 'PAYROLL'] as const;

export interface MatchFacts {
  idKind: 'uscc' | 'id_card';
  company: { industryCode: string | null; businessDistrict: string | null } | null;
  /** The person himself (id_card) or the company's legal rep / shareholders / executives. */
  people: { name: string; aumFen: number; vipTier: string | null; products: string[] }[];
}

/** The department kind's campaign kind: private banking, cards, or a corporate (settlement) department. */
export function campaignKindOf(deptKind: string): WhitelistCampaignKind | null {
  if (deptKind === 'private_banking') return 'private_banking';
  if (deptKind === 'credit_card') return 'card_merchant';
  if (deptKind === 'corporate') return 'settlement';
  return null;
}

/** Why the entry matches, or null. */
export function matchReason(kind: WhitelistCampaignKind, f: MatchFacts): string | null {
  if (kind === 'private_banking') {
    const p = f.people.find((x) => x.aumFen >= PRIVATE_BANKING_AUM_FEN || x.vipTier === '私人银行');
    return p ? `私人银行客户 ${maskName(p.name, 'id_card')}（AUM ${fenToWanYuan(p.aumFen)}万元）` : null;
  }
  if (kind === 'card_merchant') {
    if (!f.company) return null;
    if (f.company.businessDistrict) return `商圈商户（${f.company.businessDistrict}）`;
    return f.company.industryCode && (MERCHANT_INDUSTRIES as readonly string[]).includes(f.company.industryCode) ? `商户（行业门类 ${f.company.industryCode}）` : null;
  }
  if (f.idKind === 'uscc') return f.company ? '本行对公结算客户' : null;
  const p = f.people.find((x) => x.products.some((c) => (SETTLEMENT_PRODUCTS as readonly string[]).includes(c)));
  return p ? '本行个人结算客户（借记卡/代发）' : null;
}
