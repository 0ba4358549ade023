import type { WhitelistOutcome, WhitelistStatus } from '../../db/schema/whitelists.js';

/**
 * Pure rules of a whitelist entry's life (SPEC §12): status transitions, what a contact's outcome
 * does to the status, and the masking of the remote-campaign lists.
 */

/** The forward order: 未联系 → 已联系 → 有意向 → 已申请 → 已提款. 已拒绝 sits beside it. */
export const STATUS_ORDER: Record<WhitelistStatus, number> = { not_contacted: 0, contacted: 1, interested: 2, applied: 3, drawn: 4, refused: -1 };

export type TransitionProblem = 'backwards' | 'drawn_is_final' | 'reason_required' | 'not_contacted_target';

/**
 * May an entry move from `from` to `to`? Forward only (a client may apply and draw online by
 * himself, so steps may be skipped); the same status again is a further contact; 已提款 is final;
 * 已拒绝 needs a reason and may be reopened (the client changed his mind) to any open state but
 * 未联系; nothing moves back to 未联系.
 */
export function checkTransition(from: WhitelistStatus, to: WhitelistStatus, reason: string | null | undefined): TransitionProblem | null {
  if (to === 'not_contacted') return from === 'not_contacted' ? null : 'not_contacted_target';
  if (from === 'drawn') return to === 'drawn' ? null : 'drawn_is_final';
  if (to === 'refused') return reason && reason.trim() ? null : 'reason_required';
  if (from === 'refused') return null;
  return STATUS_ORDER[to] >= STATUS_ORDER[from] ? null : 'backwards';
}

/** The status a contact leaves behind when the caller does not name one. */
export function statusAfter(current: WhitelistStatus, outcome: WhitelistOutcome): WhitelistStatus {
  switch (outcome) {
    case 'interested':
      return 'interested';
    case 'applied':
      return 'applied';
    case 'drawn':
      return 'drawn';
    case 'refused':
    case 'not_interested':
      return 'refused';
    default:
      // no answer, suspected fraud, call back later, other: at least 已联系, never backwards
      return current === 'not_contacted' ? 'contacted' : current;
  }
}

export const TRANSITION_TEXT: Record<TransitionProblem, { zh: string; en: string }> = {
  backwards: { zh: '状态不能回退', en: 'The status cannot move backwards' },
  drawn_is_final: { zh: '已提款的客户状态不能再变更', en: 'A drawn entry is final' },
  reason_required: { zh: '标记为已拒绝须填写拒绝原因', en: 'A refusal needs a reason' },
  not_contacted_target: { zh: '已联系的客户不能改回未联系', en: 'A contacted entry cannot go back to not contacted' },
};

// ---- masking of the remote-campaign lists (decision 0036) --------------------------------------

/**
 * A person's name → 张*, 欧阳** (first character, the rest starred); a company's name keeps its
 * first two and last four characters (成都**商贸有限公司 style): enough to greet, not to identify.
 */
export function maskName(name: string, kind: 'uscc' | 'id_card'): string {
  const chars = [...name.trim()];
  if (kind === 'id_card' || chars.length <= 6) return chars.length <= 1 ? chars.join('') : chars[0] + '*'.repeat(chars.length - 1);
  return chars.slice(0, 2).join('') + '*'.repeat(chars.length - 6) + chars.slice(-4).join('');
}

/** 13812345678 → 138****5678 (the SMS vendor list). */
export function maskPhone(phone: string | null): string {
  if (!phone) return '';
  if (phone.length < 7) return '*'.repeat(phone.length);
  return phone.slice(0, 3) + '*'.repeat(phone.length - 7) + phone.slice(-4);
}

/** USCC or ID number → first four and last four (510107**********12): never whole in a list. */
export function maskIdNo(id: string): string {
  if (id.length <= 8) return '*'.repeat(id.length);
  return id.slice(0, 4) + '*'.repeat(id.length - 8) + id.slice(-4);
}

/** 12345600 fen → "12.35" 万元 (half up), integer arithmetic only. */
export function fenToWanYuan(fen: number): string {
  const a = Math.abs(fen);
  const hundredths = (a - (a % 10_000)) / 10_000 + (a % 10_000 >= 5_000 ? 1 : 0);
  return `${fen < 0 ? '-' : ''}${(hundredths - (hundredths % 100)) / 100}.${String(hundredths % 100).padStart(2, '0')}`;
}

// ---- validation of one entry, wherever it comes from (import, supply chain, API) ---------------

export interface EntryFacts {
  clientName: string;
  idNo: string;
  amountFen: number;
  expiresOn: string;
}

export interface EntryProblem {
  field: 'clientName' | 'idNo' | 'amountFen' | 'expiresOn' | 'product' | 'settlementCode';
  zh: string;
  en: string;
}

/** The largest pre-approval a whitelist takes: 1 000 万元 (经营快贷 is a small-business loan). */
export const MAX_AMOUNT_FEN = 1_000_000_000;

/**
 * The kind of identifier: a valid 居民身份证号 is a person (个体工商户主), a valid 统一社会信用代码 a
 * company; anything else is refused. `validId` / `validUscc` are the customers module's checks.
 */
export function idKindOf(idNo: string, validId: (s: string) => boolean, validUscc: (s: string) => boolean): 'uscc' | 'id_card' | null {
  if (validId(idNo)) return 'id_card';
  if (validUscc(idNo)) return 'uscc';
  return null;
}

export function checkEntry(e: EntryFacts, today: string, kind: 'uscc' | 'id_card' | null): EntryProblem[] {
  const out: EntryProblem[] = [];
  if (!e.clientName.trim()) out.push({ field: 'clientName', zh: '客户名称不能为空', en: 'The client name is required' });
  if (!kind) out.push({ field: 'idNo', zh: '应为有效的统一社会信用代码或身份证号（校验位不符）', en: 'not a valid USCC or ID number (check character)' });
  if (!Number.isSafeInteger(e.amountFen) || e.amountFen <= 0) out.push({ field: 'amountFen', zh: '预授信额度须大于0', en: 'The pre-approved amount must be positive' });
  else if (e.amountFen > MAX_AMOUNT_FEN) out.push({ field: 'amountFen', zh: '预授信额度不能超过1000万元', en: 'At most 10 million yuan' });
  if (!/^\d{4}-\d{2}-\d{2}$/.test(e.expiresOn)) out.push({ field: 'expiresOn', zh: '到期日应为日期', en: 'The expiry must be a date' });
  else if (e.expiresOn < today) out.push({ field: 'expiresOn', zh: `到期日 ${e.expiresOn} 已过`, en: `The expiry ${e.expiresOn} has passed` });
  return out;
}
