import { sql } from 'drizzle-orm';
import { type Db, type DbOrTx, rows } from '../../db/client.js';
import { AppError } from '../../errors.js';
import { clock } from '../../calendar/index.js';
import type { AuthContext } from '../access/context.js';
import { appendAudit } from '../audit/audit.service.js';
import { maskIdNumber } from '../customers/ids.rules.js';
import { notify, recipients } from '../notifications/notifications.service.js';
import { actorOf, assertClientProgramme, assertProgramme, type ProgrammeRow } from './supplychain.access.js';
import { crossCheck, hundredthsText, limitFor, type MonthCheck, orderWindow } from './supplychain.rules.js';
import { addToWhitelist } from './whitelist.handoff.js';

/**
 * 推荐客户 → 交叉验证 → 准入 (SPEC §12, decision 0039). A client is admitted only when the
 * enterprise's and the provider's orders agree within the tolerance for every month of the 12
 * before the application; the limit is min(recommended, 30 % of the provider's 12 months' orders,
 * household cap left, programme remaining), granted under the programme row's lock so concurrent
 * admissions never take the programme over its total. The decision keeps its inputs and rule.
 */

export interface ClientRow {
  id: number;
  programmeId: number;
  clientCode: string;
  clientName: string;
  clientKind: string;
  householdNo: string;
  idNo: string | null;
  settlementCode: string | null;
  score: number;
  recommendedFen: number;
  letterNo: string | null;
  appliedOn: string;
  status: 'recommended' | 'admitted' | 'rejected';
  limitFen: number | null;
  limitRule: string | null;
  limitInputs: unknown;
  decisionNote: string | null;
  decidedAt: string | null;
}

const CLIENT_COLS = sql`c.id, c.programme_id AS "programmeId", c.client_code AS "clientCode", c.client_name AS "clientName", c.client_kind AS "clientKind", c.household_no AS "householdNo", c.id_no AS "idNo", c.settlement_code AS "settlementCode",
  c.score, c.recommended_fen::float8 AS "recommendedFen", c.letter_no AS "letterNo", c.applied_on::text AS "appliedOn", c.status, c.limit_fen::float8 AS "limitFen",
  c.limit_rule AS "limitRule", c.limit_inputs AS "limitInputs", c.decision_note AS "decisionNote", to_char(c.decided_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"') AS "decidedAt"`;

/** What leaves the server: the 证件号码 masked (as the whitelist shows it). */
const masked = <T extends { idNo: string | null }>(c: T): T => ({ ...c, idNo: maskIdNumber(c.idNo) });

/** The cross-check of one client: each month of its window, the differences beyond tolerance, the provider's 12 months' total. */
export async function crossCheckOf(db: DbOrTx, p: Pick<ProgrammeRow, 'id' | 'toleranceBp'>, c: { clientCode: string; appliedOn: string }) {
  const window = orderWindow(c.appliedOn);
  const orders = await rows<{ month: string; source: 'enterprise' | 'provider'; amountFen: number }>(
    db,
    sql`SELECT month::text, source, amount_fen::float8 AS "amountFen" FROM sc_orders WHERE programme_id = ${p.id} AND client_code = ${c.clientCode} AND month BETWEEN ${window.from}::date AND ${window.to}::date`,
  );
  const of = (src: string) => new Map(orders.filter((o) => o.source === src).map((o) => [o.month, o.amountFen]));
  const months: MonthCheck[] = crossCheck(of('enterprise'), of('provider'), window, p.toleranceBp);
  return {
    window,
    months,
    beyond: months.filter((m) => m.beyond).length,
    enterpriseFen: months.reduce((s, m) => s + m.enterpriseFen, 0),
    providerFen: months.reduce((s, m) => s + m.providerFen, 0),
    hasData: orders.length > 0,
  };
}

/** A programme's clients with their cross-check summary and what they drew. */
export async function listClients(db: DbOrTx, auth: AuthContext, programmeId: number) {
  const p = await assertProgramme(db, auth, 'supplychain.read', programmeId);
  const list = await rows<ClientRow & { drawnBalanceFen: number }>(
    db,
    sql`SELECT ${CLIENT_COLS}, (SELECT coalesce(sum(d.balance_fen), 0)::float8 FROM sc_draws d WHERE d.client_id = c.id) AS "drawnBalanceFen"
          FROM sc_clients c WHERE c.programme_id = ${programmeId} ORDER BY c.id`,
  );
  const items = [];
  for (const c of list) {
    const x = await crossCheckOf(db, p, c);
    items.push({ ...masked(c), providerOrdersFen: x.providerFen, enterpriseOrdersFen: x.enterpriseFen, beyondMonths: x.beyond, hasOrders: x.hasData });
  }
  return { items };
}

/** One client with its month-by-month cross-check. */
export async function clientDetail(db: DbOrTx, auth: AuthContext, clientId: number) {
  const programmeId = await assertClientProgramme(db, auth, 'supplychain.read', clientId);
  const p = await assertProgramme(db, auth, 'supplychain.read', programmeId);
  const [c] = await rows<ClientRow>(db, sql`SELECT ${CLIENT_COLS} FROM sc_clients c WHERE c.id = ${clientId}`);
  return { ...masked(c), crossCheck: await crossCheckOf(db, p, c) };
}

/**
 * POST /clients/:id/admit: lock the programme, then the client; refuse when suspended, decided,
 * not cross-checked, without orders, or nothing left; grant the limit and add it to the programme.
 */
export async function admitClient(db: Db, auth: AuthContext, clientId: number, note: string | null) {
  const programmeId = await assertClientProgramme(db, auth, 'supplychain.manage', clientId);
  return db.transaction(async (tx) => {
    const p = await assertProgramme(tx, auth, 'supplychain.manage', programmeId, true);
    const [c] = await rows<ClientRow>(tx, sql`SELECT ${CLIENT_COLS} FROM sc_clients c WHERE c.id = ${clientId} FOR UPDATE`);
    if (c.status !== 'recommended') throw new AppError('SC.CLIENT_DECIDED', { id: clientId });
    if (p.status === 'suspended') throw new AppError('SC.PROGRAMME_SUSPENDED', { id: p.id });
    const x = await crossCheckOf(tx, p, c);
    if (x.beyond > 0)
      throw new AppError('SC.CROSS_CHECK_FAILED', {
        months: x.months
          .filter((m) => m.beyond)
          .map((m) => m.month.slice(0, 7))
          .join(','),
      });
    if (x.providerFen <= 0) throw new AppError('SC.NO_ORDERS', { id: clientId });
    const [{ used }] = await rows<{ used: number }>(
      tx,
      sql`SELECT coalesce(sum(limit_fen), 0)::float8 AS used FROM sc_clients WHERE programme_id = ${p.id} AND household_no = ${c.householdNo} AND status = 'admitted'`,
    );
    const decision = limitFor({
      recommendedFen: c.recommendedFen,
      orders12mFen: x.providerFen,
      orderRatioBp: p.orderRatioBp,
      householdCapFen: p.householdCapFen,
      householdUsedFen: used,
      programmeRemainingFen: p.totalCapFen - p.grantedFen,
    });
    if (decision.limitFen <= 0) throw new AppError(decision.rule === 'household_cap' ? 'SC.HOUSEHOLD_FULL' : 'SC.PROGRAMME_FULL', { id: clientId });
    const now = clock.now().toISOString();
    const inputs = { ...decision.inputs, candidates: decision.candidates, window: x.window };
    await tx.execute(
      sql`UPDATE sc_clients SET status = 'admitted', limit_fen = ${decision.limitFen}, limit_rule = ${decision.rule}, limit_inputs = ${JSON.stringify(inputs)}::jsonb,
            decided_by = ${auth.staffId}, decided_at = ${now}, decision_note = ${note} WHERE id = ${clientId}`,
    );
    await tx.execute(sql`UPDATE sc_programmes SET granted_fen = granted_fen + ${decision.limitFen} WHERE id = ${p.id}`);
    // 导入白名单: the programme's batch, source 'supply_chain', routed to the client's settlement outlet.
    const batchId = await addToWhitelist(tx, auth, p, c, decision.limitFen);
    await tx.execute(sql`UPDATE sc_clients SET whitelist_batch_id = ${batchId} WHERE id = ${clientId}`);
    await appendAudit(tx, actorOf(auth), {
      action: 'supplychain.client.admit',
      entity: 'sc_client',
      entityId: clientId,
      nodeId: p.nodeId,
      before: { status: c.status },
      after: { status: 'admitted', limitFen: decision.limitFen, rule: decision.rule, inputs, whitelistBatchId: batchId },
    });
    // 通知提款: the programme's owner and the branch's supply-chain staff have the client draw.
    await notify(
      tx,
      recipients.union(p.ownerStaffId ? recipients.one(p.ownerStaffId) : recipients.staffIds([]), recipients.holders('supplychain.manage', { id: p.nodeId, path: p.nodePath, level: 'branch' })),
      {
        kind: 'supplychain.admitted',
        titleZh: `供应链方案「${p.name}」客户 ${c.clientName} 已准入并导入白名单，授信额度 ${hundredthsText(decision.limitFen)} 元，请通知客户提款`,
        titleEn: `${c.clientName} admitted to ${p.name} with a limit of ${hundredthsText(decision.limitFen)} yuan: have the client draw`,
        link: `/supplychain/${p.id}`,
        nodeId: p.nodeId,
      },
    );
    const [out] = await rows<ClientRow>(tx, sql`SELECT ${CLIENT_COLS} FROM sc_clients c WHERE c.id = ${clientId}`);
    return masked(out);
  });
}

/** POST /clients/:id/reject: a recommended client is not admitted, with the reason. */
export async function rejectClient(db: Db, auth: AuthContext, clientId: number, note: string) {
  const programmeId = await assertClientProgramme(db, auth, 'supplychain.manage', clientId);
  return db.transaction(async (tx) => {
    const p = await assertProgramme(tx, auth, 'supplychain.manage', programmeId, true);
    const [c] = await rows<ClientRow>(tx, sql`SELECT ${CLIENT_COLS} FROM sc_clients c WHERE c.id = ${clientId} FOR UPDATE`);
    if (c.status !== 'recommended') throw new AppError('SC.CLIENT_DECIDED', { id: clientId });
    await tx.execute(sql`UPDATE sc_clients SET status = 'rejected', decided_by = ${auth.staffId}, decided_at = ${clock.now().toISOString()}, decision_note = ${note} WHERE id = ${clientId}`);
    await appendAudit(tx, actorOf(auth), {
      action: 'supplychain.client.reject',
      entity: 'sc_client',
      entityId: clientId,
      nodeId: p.nodeId,
      before: { status: c.status },
      after: { status: 'rejected', note },
    });
    const [out] = await rows<ClientRow>(tx, sql`SELECT ${CLIENT_COLS} FROM sc_clients c WHERE c.id = ${clientId}`);
    return masked(out);
  });
}
