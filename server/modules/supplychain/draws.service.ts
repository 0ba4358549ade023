import { sql } from 'drizzle-orm';
import { type Db, type DbOrTx, rows } from '../../db/client.js';
import { AppError } from '../../errors.js';
import { clock } from '../../calendar/index.js';
import type { ErrorCode } from '../../../shared/errors.js';
import type { AuthContext } from '../access/context.js';
import { type Actor, appendAudit } from '../audit/audit.service.js';
import { actorOf, assertClientProgramme, assertProgramme, type ProgrammeRow } from './supplychain.access.js';
import { latestMaturity, marginFor, marginReleased, monthStart } from './supplychain.rules.js';
import type { DrawBody } from './supplychain.schemas.js';

/**
 * 提款 (SPEC §12, decision 0039): an admitted client draws within its limit (outstanding balance +
 * the draw ≤ limit), for at most the programme's term (1 year), while the programme is not
 * suspended; 5 % of each draw is the enterprise's margin deposit, released as principal is repaid.
 * The loan feed (loans.import.ts) keeps balances, overdue and the enterprise's compensation.
 */

export interface NewDraw {
  loanNo: string;
  amountFen: number;
  drawnOn: string;
  maturityOn: string;
}

/** Why a new draw is refused, or null: shared by the API and the loan feed. */
export async function drawRefusal(db: DbOrTx, p: ProgrammeRow, clientId: number, d: NewDraw): Promise<ErrorCode | null> {
  if (p.status === 'suspended') return 'SC.PROGRAMME_SUSPENDED';
  const [c] = await rows<{ status: string; limitFen: number | null; outstanding: number }>(
    db,
    sql`SELECT c.status, c.limit_fen::float8 AS "limitFen", (SELECT coalesce(sum(balance_fen), 0)::float8 FROM sc_draws d WHERE d.client_id = c.id) AS outstanding FROM sc_clients c WHERE c.id = ${clientId}`,
  );
  if (!c || c.status !== 'admitted' || c.limitFen === null) return 'SC.NOT_ADMITTED';
  if (d.maturityOn <= d.drawnOn || d.maturityOn > latestMaturity(d.drawnOn, p.maxTermMonths)) return 'SC.TERM_TOO_LONG';
  if (c.outstanding + d.amountFen > c.limitFen) return 'SC.OVER_LIMIT';
  const [dup] = await rows<{ id: number }>(db, sql`SELECT id FROM sc_draws WHERE loan_no = ${d.loanNo}`);
  if (dup) return 'SC.LOAN_EXISTS';
  return null;
}

/** Writes a draw already checked, with its margin; audited. */
export async function insertDraw(tx: DbOrTx, actor: Actor, p: ProgrammeRow, clientId: number, d: NewDraw): Promise<number> {
  const margin = marginFor(d.amountFen, p.marginBp);
  const [{ id }] = await rows<{ id: number }>(
    tx,
    sql`INSERT INTO sc_draws (programme_id, client_id, loan_no, amount_fen, drawn_on, maturity_on, margin_fen, balance_fen, as_of, created_by, created_at)
        VALUES (${p.id}, ${clientId}, ${d.loanNo}, ${d.amountFen}, ${d.drawnOn}, ${d.maturityOn}, ${margin}, ${d.amountFen}, ${d.drawnOn}, ${actor.id}, ${clock.now().toISOString()}) RETURNING id`,
  );
  await appendAudit(tx, actor, { action: 'supplychain.draw.create', entity: 'sc_draw', entityId: id, nodeId: p.nodeId, after: { clientId, ...d, marginFen: margin } });
  return id;
}

/** POST /clients/:id/draws: under the programme's lock (a suspension and a draw never cross). */
export async function createDraw(db: Db, auth: AuthContext, clientId: number, b: DrawBody) {
  const programmeId = await assertClientProgramme(db, auth, 'supplychain.manage', clientId);
  return db.transaction(async (tx) => {
    const p = await assertProgramme(tx, auth, 'supplychain.manage', programmeId, true);
    await tx.execute(sql`SELECT id FROM sc_clients WHERE id = ${clientId} FOR UPDATE`);
    const refusal = await drawRefusal(tx, p, clientId, b);
    if (refusal) throw new AppError(refusal, { clientId, loanNo: b.loanNo });
    const id = await insertDraw(tx, actorOf(auth), p, clientId, b);
    return (await drawsOf(tx, sql`d.id = ${id}`))[0];
  });
}

export interface FeedUpdate {
  balanceFen: number;
  repaidFen: number;
  overdueFen: number;
  overdueDays: number;
  compensatedFen: number;
  asOf: string;
}

/** The loan feed's figures for a draw: balance, repaid, overdue, margin released, the month's compensation. Returns whether anything changed. */
export async function applyFeed(tx: DbOrTx, actor: Actor, nodeId: number, draw: { id: number; programmeId: number; amountFen: number; marginFen: number }, f: FeedUpdate): Promise<boolean> {
  const released = marginReleased(draw.marginFen, draw.amountFen, f.repaidFen, f.balanceFen);
  const month = monthStart(f.asOf);
  const [before] = await rows<Record<string, number | string>>(
    tx,
    sql`SELECT balance_fen::float8 AS "balanceFen", repaid_fen::float8 AS "repaidFen", overdue_fen::float8 AS "overdueFen", overdue_days AS "overdueDays", as_of::text AS "asOf", margin_released_fen::float8 AS "marginReleasedFen",
               coalesce((SELECT amount_fen::float8 FROM sc_compensations WHERE draw_id = d.id AND month = ${month}::date), 0) AS "compensatedFen"
          FROM sc_draws d WHERE id = ${draw.id}`,
  );
  const after = { balanceFen: f.balanceFen, repaidFen: f.repaidFen, overdueFen: f.overdueFen, overdueDays: f.overdueDays, asOf: f.asOf, marginReleasedFen: released, compensatedFen: f.compensatedFen };
  if (Object.entries(after).every(([k, v]) => before[k] === v)) return false;
  await tx.execute(
    sql`UPDATE sc_draws SET balance_fen = ${f.balanceFen}, repaid_fen = ${f.repaidFen}, overdue_fen = ${f.overdueFen}, overdue_days = ${f.overdueDays}, as_of = ${f.asOf}, margin_released_fen = ${released} WHERE id = ${draw.id}`,
  );
  if (f.compensatedFen > 0 || before.compensatedFen !== 0)
    await tx.execute(
      sql`INSERT INTO sc_compensations (programme_id, draw_id, month, amount_fen, updated_at) VALUES (${draw.programmeId}, ${draw.id}, ${month}, ${f.compensatedFen}, ${clock.now().toISOString()})
          ON CONFLICT (draw_id, month) DO UPDATE SET amount_fen = EXCLUDED.amount_fen, updated_at = EXCLUDED.updated_at`,
    );
  await appendAudit(tx, actor, { action: 'supplychain.draw.feed', entity: 'sc_draw', entityId: draw.id, nodeId, before, after });
  return true;
}

const DRAW_COLS = sql`d.id, d.programme_id AS "programmeId", d.client_id AS "clientId", c.client_code AS "clientCode", c.client_name AS "clientName", d.loan_no AS "loanNo",
  d.amount_fen::float8 AS "amountFen", d.drawn_on::text AS "drawnOn", d.maturity_on::text AS "maturityOn", d.margin_fen::float8 AS "marginFen",
  d.margin_released_fen::float8 AS "marginReleasedFen", d.balance_fen::float8 AS "balanceFen", d.repaid_fen::float8 AS "repaidFen", d.overdue_fen::float8 AS "overdueFen",
  d.overdue_days AS "overdueDays", d.as_of::text AS "asOf", (d.overdue_days > p.npl_overdue_days) AS "nonPerforming",
  (SELECT coalesce(sum(amount_fen), 0)::float8 FROM sc_compensations x WHERE x.draw_id = d.id) AS "compensatedFen"`;

async function drawsOf(db: DbOrTx, where: ReturnType<typeof sql>) {
  return rows<{ id: number; loanNo: string; amountFen: number; marginFen: number; marginReleasedFen: number; balanceFen: number; nonPerforming: boolean }>(
    db,
    sql`SELECT ${DRAW_COLS} FROM sc_draws d JOIN sc_clients c ON c.id = d.client_id JOIN sc_programmes p ON p.id = d.programme_id WHERE ${where} ORDER BY d.drawn_on, d.id`,
  );
}

/** GET /programmes/:id/draws. */
export async function listDraws(db: DbOrTx, auth: AuthContext, programmeId: number) {
  await assertProgramme(db, auth, 'supplychain.read', programmeId);
  return { items: await drawsOf(db, sql`d.programme_id = ${programmeId}`) };
}
