import { sql } from 'drizzle-orm';
import { type Db, type DbOrTx, rows } from '../../db/client.js';
import { AppError } from '../../errors.js';
import { addDays } from '../../calendar/index.js';
import { type AuthContext, assertBankWide } from '../access/context.js';
import { type Actor, appendAudit, BANK_WIDE } from '../audit/audit.service.js';
import { type Caliber, DEFAULT_STEPS, type Step, stepsProblem } from './coverage.rules.js';

/**
 * 考核口径 (framework 70 % / product 30 %) and the completion steps of branches without a coverage
 * plan: bank-wide, effective-dated versions (a new version closes the one before it the day
 * before), set with interbank.configure at province level or the root, audited. Migration 0031 seeds
 * 7000/3000 and 1 signing = 60 %, 2 = 100 % from 2000-01-01.
 */

export const actorOf = (auth: AuthContext): Actor => ({ id: auth.staffId, name: auth.name });
export const assertConfigurer = (auth: AuthContext): void => assertBankWide(auth, 'interbank.configure');

const DEFAULT_CALIBER: Caliber = { frameworkBp: 7000, productBp: 3000 };

/** The caliber in force on a day (the seeded default if the table were emptied). */
export async function caliberOn(db: DbOrTx, day: string): Promise<Caliber> {
  const [c] = await rows<Caliber>(
    db,
    sql`SELECT framework_bp AS "frameworkBp", product_bp AS "productBp" FROM fi_calibers
         WHERE valid_from <= ${day}::date AND (valid_to IS NULL OR valid_to >= ${day}::date) ORDER BY valid_from DESC LIMIT 1`,
  );
  return c ?? DEFAULT_CALIBER;
}

/** The steps in force on a day. */
export async function stepsOn(db: DbOrTx, day: string): Promise<Step[]> {
  const [s] = await rows<{ steps: Step[] }>(
    db,
    sql`SELECT steps FROM fi_step_rules WHERE valid_from <= ${day}::date AND (valid_to IS NULL OR valid_to >= ${day}::date) ORDER BY valid_from DESC LIMIT 1`,
  );
  return s?.steps ?? [...DEFAULT_STEPS];
}

export interface CaliberVersion extends Caliber {
  id: number;
  validFrom: string;
  validTo: string | null;
  setBy: string | null;
  setAt: Date;
}
export interface StepVersion {
  id: number;
  steps: Step[];
  validFrom: string;
  validTo: string | null;
  setBy: string | null;
  setAt: Date;
}

export async function listCalibers(db: DbOrTx): Promise<CaliberVersion[]> {
  return rows<CaliberVersion>(
    db,
    sql`SELECT c.id, c.framework_bp AS "frameworkBp", c.product_bp AS "productBp", c.valid_from::text AS "validFrom", c.valid_to::text AS "validTo", s.name AS "setBy", c.set_at AS "setAt"
          FROM fi_calibers c LEFT JOIN staff s ON s.id = c.set_by ORDER BY c.valid_from DESC`,
  );
}

export async function listSteps(db: DbOrTx): Promise<StepVersion[]> {
  return rows<StepVersion>(
    db,
    sql`SELECT r.id, r.steps, r.valid_from::text AS "validFrom", r.valid_to::text AS "validTo", s.name AS "setBy", r.set_at AS "setAt"
          FROM fi_step_rules r LEFT JOIN staff s ON s.id = r.set_by ORDER BY r.valid_from DESC`,
  );
}

/** Versions take effect today or later and after the latest one: history is never rewritten. */
async function closePrevious(tx: DbOrTx, table: 'fi_calibers' | 'fi_step_rules', validFrom: string, today: string): Promise<{ id: number; validFrom: string } | null> {
  if (validFrom < today) throw new AppError('INTERBANK.BACKDATED', { validFrom });
  const t = sql.raw(table);
  const [latest] = await rows<{ id: number; validFrom: string }>(tx, sql`SELECT id, valid_from::text AS "validFrom" FROM ${t} ORDER BY valid_from DESC LIMIT 1 FOR UPDATE`);
  if (latest && latest.validFrom >= validFrom) throw new AppError('INTERBANK.BACKDATED', { validFrom, latest: latest.validFrom });
  if (latest) await tx.execute(sql`UPDATE ${t} SET valid_to = ${addDays(validFrom, -1)}::date WHERE id = ${latest.id}`);
  return latest ?? null;
}

/** POST /api/interbank/calibers: a new caliber version (framework + product = 100 %). */
export async function addCaliber(db: Db, auth: AuthContext, b: { frameworkBp: number; productBp: number; validFrom: string }, today: string, now: Date) {
  assertConfigurer(auth);
  if (b.frameworkBp + b.productBp !== 10000) throw new AppError('INTERBANK.CALIBER_SUM', b);
  return db.transaction(async (tx) => {
    const before = await caliberOn(tx, b.validFrom);
    const closed = await closePrevious(tx, 'fi_calibers', b.validFrom, today);
    const [{ id }] = await rows<{ id: number }>(
      tx,
      sql`INSERT INTO fi_calibers (framework_bp, product_bp, valid_from, set_by, set_at) VALUES (${b.frameworkBp}, ${b.productBp}, ${b.validFrom}, ${auth.staffId}, ${now.toISOString()}) RETURNING id`,
    );
    await appendAudit(tx, actorOf(auth), {
      action: 'interbank.caliber.set',
      entity: 'fi_caliber',
      entityId: id,
      nodeId: BANK_WIDE,
      before: { ...before, closedVersion: closed?.id ?? null },
      after: b,
    });
    return (await listCalibers(tx)).find((c) => c.id === id)!;
  });
}

/** POST /api/interbank/steps: a new step rule version. */
export async function addSteps(db: Db, auth: AuthContext, b: { steps: Step[]; validFrom: string }, today: string, now: Date) {
  assertConfigurer(auth);
  const problem = stepsProblem(b.steps);
  if (problem) throw new AppError('INTERBANK.STEPS_INVALID', { problem });
  return db.transaction(async (tx) => {
    const before = await stepsOn(tx, b.validFrom);
    const closed = await closePrevious(tx, 'fi_step_rules', b.validFrom, today);
    const [{ id }] = await rows<{ id: number }>(
      tx,
      sql`INSERT INTO fi_step_rules (steps, valid_from, set_by, set_at) VALUES (${JSON.stringify(b.steps)}::jsonb, ${b.validFrom}, ${auth.staffId}, ${now.toISOString()}) RETURNING id`,
    );
    await appendAudit(tx, actorOf(auth), {
      action: 'interbank.steps.set',
      entity: 'fi_step_rule',
      entityId: id,
      nodeId: BANK_WIDE,
      before: { steps: before, closedVersion: closed?.id ?? null },
      after: b,
    });
    return (await listSteps(tx)).find((s) => s.id === id)!;
  });
}

/**
 * Each tier-2 branch's plan in force for a year: its latest plan version, unless a plan adjustment
 * (计划调整) of that year was made after it — then the adjustment's adjusted count.
 */
export async function effectivePlans(db: DbOrTx, year: number): Promise<Map<number, number>> {
  const plans = await rows<{ nodeId: number; planCount: number; setAt: Date | string }>(
    db,
    sql`SELECT DISTINCT ON (node_id) node_id AS "nodeId", plan_count AS "planCount", set_at AS "setAt" FROM fi_plans WHERE year = ${year} ORDER BY node_id, version DESC`,
  );
  const [adj] = await rows<{ lines: { nodeId: number; adjustedCount: number }[]; madeAt: Date | string }>(
    db,
    sql`SELECT lines, made_at AS "madeAt" FROM fi_plan_adjustments WHERE year = ${year} ORDER BY made_at DESC, id DESC LIMIT 1`,
  );
  const out = new Map<number, number>();
  for (const p of plans) {
    const line = adj?.lines.find((l) => l.nodeId === p.nodeId);
    out.set(p.nodeId, line && new Date(adj.madeAt).getTime() >= new Date(p.setAt).getTime() ? line.adjustedCount : p.planCount);
  }
  return out;
}
