import { sql } from 'drizzle-orm';
import { clock } from '../../calendar/index.js';
import { type Db, rows } from '../../db/client.js';
import type { WhitelistChannel, WhitelistOutcome, WhitelistStatus } from '../../db/schema/whitelists.js';
import { AppError } from '../../errors.js';
import type { AuthContext } from '../access/context.js';
import { appendAudit } from '../audit/audit.service.js';
import { entryDetail } from './entries.read.js';
import { actorOf, assertEntry } from './whitelists.access.js';
import { checkTransition, statusAfter, TRANSITION_TEXT } from './whitelists.rules.js';

export interface ContactInput {
  channel: WhitelistChannel;
  outcome: WhitelistOutcome;
  /** The status after the contact; by default what the outcome implies (statusAfter). */
  status?: WhitelistStatus;
  refusalReason?: string | null;
  note?: string | null;
  /** When it happened (default now); never in the future. */
  contactedAt?: string;
}

/**
 * 记录联系: the staff member the entry is assigned to (or a manager over its outlet) records a
 * contact; the status moves as checkTransition allows. The contact row and the status change
 * commit together with their audit entry.
 */
export async function recordContact(db: Db, auth: AuthContext, entryId: number, b: ContactInput) {
  return db.transaction(async (tx) => {
    const e = await assertEntry(tx, auth, 'whitelist.manage', entryId, { forUpdate: true });
    const from = e.status as WhitelistStatus;
    const to = b.status ?? statusAfter(from, b.outcome);
    const reason = to === 'refused' ? (b.refusalReason ?? null) : null;
    const problem = checkTransition(from, to, reason);
    if (problem) throw new AppError('WL.BAD_TRANSITION', { from, to, reason: TRANSITION_TEXT[problem].zh });
    const now = clock.now();
    const at = b.contactedAt ? new Date(b.contactedAt) : now;
    if (at.getTime() > now.getTime() + 60_000) throw new AppError('WL.BAD_TRANSITION', { reason: '联系时间不能晚于当前时间' });
    const [{ id }] = await rows<{ id: number }>(
      tx,
      sql`INSERT INTO whitelist_contacts (entry_id, staff_id, contacted_at, channel, outcome, status_after, note, created_at)
          VALUES (${entryId}, ${auth.staffId}, ${at.toISOString()}, ${b.channel}, ${b.outcome}, ${to}, ${b.note ?? null}, ${now.toISOString()}) RETURNING id`,
    );
    if (to !== from || reason) {
      await tx.execute(sql`UPDATE whitelist_entries SET status = ${to}, refusal_reason = ${reason}, status_at = ${now.toISOString()}, updated_at = ${now.toISOString()} WHERE id = ${entryId}`);
    }
    await appendAudit(tx, actorOf(auth), {
      action: 'whitelist.contact',
      entity: 'whitelist_entry',
      entityId: entryId,
      nodeId: e.nodeId,
      before: { status: from },
      after: { contactId: id, channel: b.channel, outcome: b.outcome, status: to, refusalReason: reason },
    });
    return entryDetail(tx, auth, entryId);
  });
}
