import { asc, eq } from 'drizzle-orm';
import type { DbOrTx } from '../../db/client.js';
import { splitRules, staff } from '../../db/schema/index.js';
import { AppError } from '../../errors.js';
import { type AuthContext, assertBankWide } from '../access/context.js';
import { BANK_WIDE, appendAudit } from '../audit/audit.service.js';
import { DEFAULT_SPLIT } from './scoring.rules.js';
import { clock } from '../../calendar/index.js';

/**
 * The 20/80 split (SPEC §7) is effective-dated configuration held in split_rules — the source of
 * truth for scoring (ADR 0008), edited on the settings page's 积分分成规则 card.
 */
export const DEFAULT_RULE_FROM = '2000-01-01';

/** Writes the default 20/80 rule when none exists (idempotent; prepare and test setup call it). */
export async function seedSplitRules(db: DbOrTx): Promise<void> {
  await db
    .insert(splitRules)
    .values({ effectiveFrom: DEFAULT_RULE_FROM, ...DEFAULT_SPLIT })
    .onConflictDoNothing();
}

/** The rules by effective date, each with the name of who added it (none for the default). */
export async function listSplitRules(db: DbOrTx) {
  return db
    .select({
      effectiveFrom: splitRules.effectiveFrom,
      hostBp: splitRules.hostBp,
      participantsBp: splitRules.participantsBp,
      createdBy: splitRules.createdBy,
      createdByName: staff.name,
      createdAt: splitRules.createdAt,
    })
    .from(splitRules)
    .leftJoin(staff, eq(staff.id, splitRules.createdBy))
    .orderBy(asc(splitRules.effectiveFrom));
}

/** Adds a rule taking effect on a date (never edits one); the periods it touches need a recompute. */
export async function addSplitRule(db: DbOrTx, auth: AuthContext, input: { effectiveFrom: string; hostBp: number; participantsBp: number }) {
  // The rule is bank-wide: only a holder of scoring.configure at province level or above may add one.
  assertBankWide(auth, 'scoring.configure', 'SCORING.CONFIGURE_SCOPE');
  if (input.hostBp + input.participantsBp !== 10000) throw new AppError('SCORING.SPLIT_NOT_100', { hostBp: input.hostBp, participantsBp: input.participantsBp });
  // Periods already scored keep their rule: a new one takes effect today (Beijing) or later.
  const today = clock.today();
  if (input.effectiveFrom < today) throw new AppError('SCORING.SPLIT_PAST_DATE', { effectiveFrom: input.effectiveFrom, today });
  return db.transaction(async (tx) => {
    const [exists] = await tx.select().from(splitRules).where(eq(splitRules.effectiveFrom, input.effectiveFrom));
    if (exists) throw new AppError('SCORING.SPLIT_RULE_EXISTS');
    const [row] = await tx
      .insert(splitRules)
      .values({ ...input, createdBy: auth.staffId })
      .returning();
    await appendAudit(tx, { id: auth.staffId, name: auth.name }, { action: 'scoring.split_rule.add', entity: 'split_rule', nodeId: BANK_WIDE, entityId: input.effectiveFrom, after: input });
    return { ...row, createdByName: auth.name };
  });
}
