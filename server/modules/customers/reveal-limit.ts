import { sql } from 'drizzle-orm';
import { type Db, type DbOrTx, rows } from '../../db/client.js';
import { AppError } from '../../errors.js';
import type { AuthContext } from '../access/context.js';
import { appendAudit } from '../audit/audit.service.js';
import { notify, recipients } from '../notifications/notifications.service.js';
import { branchOf, getNodeOr404 } from '../org/org.queries.js';
import { getSetting } from '../settings/settings.routes.js';
import { actorOf } from './customers.policy.js';
import { clock } from '../../calendar/index.js';

/** The default role told when someone hits the limit (SPEC §1: 内控合规). */
export const COMPLIANCE_ROLE = 'compliance';

// Two-key advisory locks (this key, staff id): one person's reveals queue, others' do not.
const REVEAL_LOCK = 7_301_019;
const HOUR_MS = 3_600_000;

/**
 * Runs `reveal` (which writes its `pii.reveal` audit entry in the transaction it is given) only
 * while the caller has had fewer than `pii.revealsPerHour` reveals in the last hour (issue 10).
 * The count is read from the audit log under a per-person transaction lock, so it holds across
 * server processes and concurrent requests. Over the limit: 429 CUSTOMER.REVEAL_LIMIT; the first
 * refusal of the hour is audited (`pii.reveal_limit`) and alerts the compliance role of the
 * caller's branch — committed before the refusal is answered.
 */
export async function withRevealLimit<T>(db: Db, auth: AuthContext, what: { field: string; individualId: number }, reveal: (tx: DbOrTx) => Promise<T>): Promise<T> {
  const outcome = await db.transaction(async (tx) => {
    await tx.execute(sql`SELECT pg_advisory_xact_lock(${REVEAL_LOCK}::int, ${auth.staffId}::int)`);
    const limit = await getSetting(tx, 'pii.revealsPerHour');
    // `at` is written with the server's clock (audit.service), so the hour is measured with it too.
    const since = new Date(clock.now().getTime() - HOUR_MS);
    const count = async (action: string) => {
      const [r] = await rows<{ n: number }>(tx, sql`SELECT count(*)::int AS n FROM audit_log WHERE actor_id = ${auth.staffId} AND action = ${action} AND at > ${since.toISOString()}::timestamptz`);
      return Number(r.n);
    };
    if ((await count('pii.reveal')) < limit) return { ok: true as const, value: await reveal(tx) };
    if ((await count('pii.reveal_limit')) === 0) await alertCompliance(tx, auth, limit, what);
    return { ok: false as const, limit };
  });
  if (!outcome.ok) throw new AppError('CUSTOMER.REVEAL_LIMIT', { limit: outcome.limit });
  return outcome.value;
}

async function alertCompliance(tx: DbOrTx, auth: AuthContext, limit: number, what: { field: string; individualId: number }) {
  const branch = await branchOf(tx, await getNodeOr404(tx, auth.nodeId));
  await appendAudit(tx, actorOf(auth), {
    action: 'pii.reveal_limit',
    entity: 'staff',
    entityId: auth.staffId,
    nodeId: auth.nodeId,
    after: { limit, field: what.field, individualId: what.individualId },
  });
  await notify(tx, recipients.role(COMPLIANCE_ROLE, branch), {
    kind: 'pii.reveal_limit',
    titleZh: `${auth.name}（${auth.staffNo}）1小时内查看完整证件号码/手机号已达上限（${limit}次），此后的查看已被拒绝`,
    titleEn: `${auth.name} (${auth.staffNo}) reached the hourly limit of full-number reveals (${limit}); further reveals are refused`,
    link: '/audit',
    nodeId: branch.id,
  });
}
