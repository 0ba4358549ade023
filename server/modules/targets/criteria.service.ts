import { and, asc, eq, lte } from 'drizzle-orm';
import type { z } from 'zod';
import type { Db, DbOrTx } from '../../db/client.js';
import { TARGET_DEPT_KINDS, targetCriteria } from '../../db/schema/index.js';
import { AppError } from '../../errors.js';
import type { AuthContext } from '../access/context.js';
import { BANK_WIDE, appendAudit } from '../audit/audit.service.js';
import type { ChangeCriterionBody, CreateCriterionBody } from './criteria.schemas.js';
import { type Criterion, type Rule, RuleSchema } from './criteria.rules.js';
import { assertCanConfigure } from './targets.policy.js';
import { clock } from '../../calendar/index.js';

export type TargetDeptKind = (typeof TARGET_DEPT_KINDS)[number];
export type CriterionRow = typeof targetCriteria.$inferSelect;

const actorOf = (auth: AuthContext) => ({ id: auth.staffId, name: auth.name });

/** Parses a stored rule; a row that no longer validates fails loudly rather than evaluating wrongly. */
export function ruleOf(row: Pick<CriterionRow, 'code' | 'rule'>): Rule {
  const r = RuleSchema.safeParse(row.rule);
  if (!r.success) throw new AppError('TARGET.BAD_RULE', { code: row.code, issues: r.error.issues.map((i) => i.message) });
  return r.data;
}

/** Of each code's rows (any order), the one in force on `on`: the latest effective_from ≤ on. */
function inForce(rows: CriterionRow[], on: string): Map<string, CriterionRow> {
  const out = new Map<string, CriterionRow>();
  for (const r of rows) {
    if (r.effectiveFrom > on) continue;
    const cur = out.get(r.code);
    if (!cur || r.effectiveFrom > cur.effectiveFrom) out.set(r.code, r);
  }
  return out;
}

/** The active criteria of a department kind in force on a day, ready for the engine. */
export async function criteriaInForce(db: DbOrTx, kind: TargetDeptKind, on: string): Promise<(Criterion & { id: number; effectiveFrom: string })[]> {
  const rows = await db
    .select()
    .from(targetCriteria)
    .where(and(eq(targetCriteria.departmentKind, kind), lte(targetCriteria.effectiveFrom, on)));
  return [...inForce(rows, on).values()]
    .filter((r) => r.active)
    .map((r) => ({ id: r.id, code: r.code, nameZh: r.nameZh, nameEn: r.nameEn, rule: ruleOf(r), sort: r.sort, effectiveFrom: r.effectiveFrom }));
}

/** Names of every code (the latest row's), for showing stored criteria codes. */
export async function criterionNames(db: DbOrTx): Promise<Map<string, { nameZh: string; nameEn: string }>> {
  const rows = await db.select({ code: targetCriteria.code, nameZh: targetCriteria.nameZh, nameEn: targetCriteria.nameEn, effectiveFrom: targetCriteria.effectiveFrom }).from(targetCriteria);
  const out = new Map<string, { nameZh: string; nameEn: string; from: string }>();
  for (const r of rows) {
    const cur = out.get(r.code);
    if (!cur || r.effectiveFrom > cur.from) out.set(r.code, { nameZh: r.nameZh, nameEn: r.nameEn, from: r.effectiveFrom });
  }
  return out;
}

const present = (r: CriterionRow) => ({
  id: r.id,
  code: r.code,
  departmentKind: r.departmentKind,
  nameZh: r.nameZh,
  nameEn: r.nameEn,
  rule: r.rule,
  sort: r.sort,
  active: r.active,
  effectiveFrom: r.effectiveFrom,
  createdBy: r.createdBy,
  createdAt: r.createdAt,
});

/**
 * Every criterion of a kind (or all kinds) as of a day: the row in force (null before its first
 * date), whether it is in force (active), and its whole history, newest first.
 */
export async function listCriteria(db: Db, q: { departmentKind?: TargetDeptKind; on?: string }) {
  const on = q.on ?? clock.today();
  const rows = await db
    .select()
    .from(targetCriteria)
    .where(q.departmentKind ? eq(targetCriteria.departmentKind, q.departmentKind) : undefined)
    .orderBy(asc(targetCriteria.code), asc(targetCriteria.effectiveFrom));
  const current = inForce(rows, on);
  const codes = [...new Set(rows.map((r) => r.code))];
  const items = codes.map((code) => {
    const history = rows.filter((r) => r.code === code).reverse();
    const cur = current.get(code) ?? null;
    return {
      code,
      departmentKind: history[0].departmentKind,
      inForce: Boolean(cur?.active),
      current: cur ? present(cur) : null,
      history: history.map(present),
    };
  });
  const kindOrder = (k: string) => TARGET_DEPT_KINDS.indexOf(k as TargetDeptKind);
  items.sort((a, b) => kindOrder(a.departmentKind) - kindOrder(b.departmentKind) || (a.current?.sort ?? a.history[0].sort) - (b.current?.sort ?? b.history[0].sort) || (a.code < b.code ? -1 : 1));
  return { on, items };
}

export async function criterionHistory(db: Db, code: string) {
  const rows = await db.select().from(targetCriteria).where(eq(targetCriteria.code, code)).orderBy(asc(targetCriteria.effectiveFrom));
  if (rows.length === 0) throw new AppError('TARGET.CRITERION_NOT_FOUND', { code });
  const cur = inForce(rows, clock.today()).get(code) ?? null;
  return { code, departmentKind: rows[0].departmentKind, inForce: Boolean(cur?.active), current: cur ? present(cur) : null, history: rows.reverse().map(present) };
}

function assertNotPast(effectiveFrom: string) {
  const t = clock.today();
  if (effectiveFrom < t) throw new AppError('TARGET.CRITERION_PAST_DATE', { effectiveFrom, today: t });
}

const auditable = (r: CriterionRow) => ({
  code: r.code,
  departmentKind: r.departmentKind,
  nameZh: r.nameZh,
  nameEn: r.nameEn,
  rule: r.rule,
  sort: r.sort,
  active: r.active,
  effectiveFrom: r.effectiveFrom,
});

/** Adds a new criterion (a code not used before), effective from a day not before today. */
export async function createCriterion(db: Db, auth: AuthContext, body: z.infer<typeof CreateCriterionBody>) {
  assertCanConfigure(auth);
  assertNotPast(body.effectiveFrom);
  return db.transaction(async (tx) => {
    const clash = await tx.select({ id: targetCriteria.id }).from(targetCriteria).where(eq(targetCriteria.code, body.code)).limit(1);
    if (clash.length) throw new AppError('TARGET.CRITERION_CODE_TAKEN', { code: body.code });
    const [row] = await tx
      .insert(targetCriteria)
      .values({ ...body, rule: body.rule as unknown as Record<string, unknown>, sort: body.sort ?? 0, active: true, createdBy: auth.staffId })
      .returning();
    await appendAudit(tx, actorOf(auth), { action: 'target.criterion.create', entity: 'target_criterion', nodeId: BANK_WIDE, entityId: row.code, after: auditable(row) });
    return present(row);
  });
}

/**
 * Changes a criterion (name, threshold/rule, order, or deactivation) as a NEW row effective from a
 * day not before today; earlier evaluations keep the rule they were made with. Audited with the
 * row it supersedes (before) and the new one (after).
 */
export async function changeCriterion(db: Db, auth: AuthContext, code: string, body: z.infer<typeof ChangeCriterionBody>) {
  assertCanConfigure(auth);
  assertNotPast(body.effectiveFrom);
  return db.transaction(async (tx) => {
    const rows = await tx.select().from(targetCriteria).where(eq(targetCriteria.code, code));
    if (rows.length === 0) throw new AppError('TARGET.CRITERION_NOT_FOUND', { code });
    if (rows.some((r) => r.effectiveFrom === body.effectiveFrom)) throw new AppError('TARGET.CRITERION_DATE_TAKEN', { code, effectiveFrom: body.effectiveFrom });
    // The row it supersedes: the one in force on the new date (or, before the first, the first).
    const base = inForce(rows, body.effectiveFrom).get(code) ?? [...rows].sort((a, b) => (a.effectiveFrom < b.effectiveFrom ? -1 : 1))[0];
    const [row] = await tx
      .insert(targetCriteria)
      .values({
        code,
        departmentKind: base.departmentKind,
        nameZh: body.nameZh ?? base.nameZh,
        nameEn: body.nameEn ?? base.nameEn,
        rule: (body.rule ?? base.rule) as Record<string, unknown>,
        sort: body.sort ?? base.sort,
        active: body.active ?? base.active,
        effectiveFrom: body.effectiveFrom,
        createdBy: auth.staffId,
      })
      .returning();
    await appendAudit(tx, actorOf(auth), {
      action: row.active ? 'target.criterion.change' : 'target.criterion.deactivate',
      entity: 'target_criterion',
      nodeId: BANK_WIDE,
      entityId: code,
      before: auditable(base),
      after: auditable(row),
    });
    return present(row);
  });
}
