import { and, desc, eq, inArray, ne, sql } from 'drizzle-orm';
import { isUniqueViolation } from '../../db/sqlstate.js';
import type { z } from 'zod';
import { type Db, type DbOrTx, rows } from '../../db/client.js';
import { assessmentRunLines, assessmentRuns, awardRuleSets, FINAL_ASSESSMENT_STATES, type PeriodState } from '../../db/schema/index.js';
import { AppError } from '../../errors.js';
import type { Permission } from '../../../shared/access.js';
import type { AuthContext } from '../access/context.js';
import { recordAnchor } from '../audit/audit.anchors.js';
import { appendAudit } from '../audit/audit.service.js';
import { chunks } from '../imports/import-spec.js';
import { parseAmountFen } from '../imports/normalize.js';
import type { OrgNode } from '../org/org.queries.js';
import { actorOf } from '../products/products.service.js';
import { assertBranchScope, quotaBranch } from '../quotas/quotas.policy.js';
import { quotaQuantity1e4 } from '../quotas/quotas.rules.js';
import { pts } from '../scoring/split.service.js';
import { inputsHash, labelsFor, loadInputs, ruleSetFor, withCodes } from './assessment.inputs.js';
import { assertRulesWriter } from './assessment.policy.js';
import { money, presentResult } from './assessment.presenter.js';
import { assess, type AssessmentInput, type AssessmentResult, AssessmentRuleError, DEFAULT_AWARD_RULES, DEFAULT_GATE_BP, type Labels } from './assessment.rules.js';
import type { RulesBody, RunOutT, WhatIfBody } from './assessment.schemas.js';
import { clock } from '../../calendar/index.js';

type RunRow = typeof assessmentRuns.$inferSelect;
interface StoredInputs {
  input: AssessmentInput;
  labels: Labels;
}

const iso = (v: Date | string | null) => (v === null ? null : new Date(v).toISOString());

/** The pool from 元 text or 分, or 400 ASSESSMENT.BAD_POOL; undefined when neither is given. */
export function poolFenOf(body: { pool?: string | number; poolFen?: number }): number | undefined {
  if (body.poolFen !== undefined) return body.poolFen;
  if (body.pool === undefined) return undefined;
  const fen = parseAmountFen(body.pool);
  if (fen === null || fen === undefined || fen < 0 || !Number.isSafeInteger(fen)) throw new AppError('ASSESSMENT.BAD_POOL');
  return fen;
}

/** Runs the pure rules, turning their refusals into API errors. */
function compute(input: AssessmentInput, labels: Labels): AssessmentResult {
  try {
    return assess(input, labels);
  } catch (e) {
    if (e instanceof AssessmentRuleError && e.code === 'NO_POINTS') throw new AppError('ASSESSMENT.NO_POINTS');
    throw e;
  }
}

/** Is there an approved or locked run for the branch and year (superseded ones do not count)? */
async function finalRun(db: DbOrTx, nodeId: number, year: number, exceptId?: number): Promise<RunRow | undefined> {
  const [r] = await db
    .select()
    .from(assessmentRuns)
    .where(and(eq(assessmentRuns.nodeId, nodeId), eq(assessmentRuns.year, year), inArray(assessmentRuns.state, [...FINAL_ASSESSMENT_STATES]), exceptId ? ne(assessmentRuns.id, exceptId) : undefined))
    .limit(1);
  return r;
}

// ---- the assessment period (Art. 22) -----------------------------------------------------------------

/** A month of the year not yet locked in a branch the run covers. */
export interface OpenMonth {
  nodeId: number;
  nodeName: string;
  /** e.g. 2026-11 */
  month: string;
  state: PeriodState;
}

const STATE_ZH: Record<PeriodState, string> = { draft: '草稿', published: '公示中', submitted: '已提交委员会', audited: '已审核', locked: '已锁定' };

/**
 * The months 01..12 of the year not locked in the branches a run of `node` covers: the branch
 * itself, and for a province each active tier-2 branch under it. Earliest month first.
 */
export async function openMonths(db: DbOrTx, node: OrgNode, year: number): Promise<OpenMonth[]> {
  const r = await rows<{ node_id: number; name: string; month: string; state: PeriodState }>(
    db,
    sql`SELECT n.id AS node_id, n.name, to_char(make_date(${year}::int, m, 1), 'YYYY-MM') AS month, coalesce(p.state, 'draft') AS state
        FROM org_nodes n CROSS JOIN generate_series(1, 12) AS m
        LEFT JOIN periods p ON p.node_id = n.id AND p.period = make_date(${year}::int, m, 1)
        WHERE (n.id = ${node.id} OR (${node.level} = 'province' AND n.level = 'branch' AND n.active AND n.path LIKE ${`${node.path}%`}))
          AND coalesce(p.state, 'draft') <> 'locked'
        ORDER BY m, n.path`,
  );
  return r.map((x) => ({ nodeId: Number(x.node_id), nodeName: x.name, month: x.month, state: x.state }));
}

/** Why the year cannot be assessed finally yet, in words (null: every month is locked). */
export function yearOpenText(year: number, open: OpenMonth[]): { zh: string; en: string } | null {
  if (!open.length) return null;
  const head = open.slice(0, 6);
  const more = open.length > head.length;
  return {
    zh: `${year} 年尚有月份未锁定：${head.map((o) => `${o.nodeName} ${o.month}（${STATE_ZH[o.state]}）`).join('、')}${more ? ` 等共 ${open.length} 个月份` : ''}。考核期结束（各月均经委员会审批锁定）后才能生成正式考核结果，此前只能试算`,
    en: `${year} still has months not locked: ${head.map((o) => `${o.nodeName} ${o.month} (${o.state})`).join(', ')}${more ? `, ${open.length} in all` : ''}. A final assessment needs every month of the year locked; until then only what-if runs`,
  };
}

/** 409 ASSESSMENT.YEAR_OPEN naming the first months still open, unless every month is locked. */
async function assertYearClosed(db: DbOrTx, node: OrgNode, year: number): Promise<void> {
  const open = await openMonths(db, node, year);
  const text = yearOpenText(year, open);
  if (text) throw new AppError('ASSESSMENT.YEAR_OPEN', { year, openMonths: open }, text);
}

/** Whether a final run is possible for the year, and the final run if there is one (the console's banner). */
export async function yearStatus(db: DbOrTx, node: OrgNode, year: number) {
  const open = await openMonths(db, node, year);
  const final = await finalRun(db, node.id, year);
  return { nodeId: node.id, year, closed: open.length === 0, openMonths: open, reason: yearOpenText(year, open), finalRun: final ? { id: final.id, state: final.state } : null };
}

/**
 * HR runs the year-end assessment of a branch (Art. 22): reads the inputs, computes the result,
 * stores the run (draft) with its lines per department and person, and audits it.
 */
export async function runAssessment(db: Db, auth: AuthContext, node: OrgNode, year: number, poolFen: number, gateBp = DEFAULT_GATE_BP): Promise<number> {
  if (await finalRun(db, node.id, year)) throw new AppError('ASSESSMENT.ALREADY_FINAL');
  // Art. 22: a run is the final result's draft, so the assessment period must have ended.
  await assertYearClosed(db, node, year);
  const loaded = await loadInputs(db, node, year, { poolFen, gateBp });
  const result = compute(loaded.input, loaded.labels);
  const hash = inputsHash(loaded.input);
  const actor = actorOf(auth);
  return db.transaction(async (tx) => {
    const [run] = await tx
      .insert(assessmentRuns)
      .values({
        nodeId: node.id,
        year,
        poolFen,
        gateBp,
        quotaVersion: loaded.quotaVersion,
        ruleSetId: loaded.ruleSetId,
        inputsHash: hash,
        inputs: { input: loaded.input, labels: loaded.labels } satisfies StoredInputs,
        result,
        createdBy: actor.id!,
      })
      .returning({ id: assessmentRuns.id });
    const lines = result.people.map((p) => ({
      runId: run.id,
      departmentId: p.departmentId,
      staffId: p.staffId,
      pointsHundredths: p.pointsHundredths,
      countedHundredths: p.countedHundredths,
      rewardFen: p.rewardFen,
      specialFen: p.specialFen,
    }));
    for (const c of chunks(lines, 1000)) await tx.insert(assessmentRunLines).values(c);
    await appendAudit(tx, actor, {
      action: 'assessment.run',
      entity: 'assessment_run',
      entityId: run.id,
      nodeId: node.id,
      after: {
        year,
        pool: money(poolFen).amount,
        gateBp,
        quotaVersion: loaded.quotaVersion,
        ruleSetId: loaded.ruleSetId,
        inputsHash: hash,
        departments: result.departments.length,
        rewardTotal: money(result.totals.rewardFen).amount,
      },
    });
    return run.id;
  });
}

/** A run by id, its branch, and the caller's scope on it checked. */
export async function scopedRun(db: DbOrTx, auth: AuthContext, id: number, perm: Permission, opts: { forUpdate?: boolean } = {}): Promise<{ run: RunRow; node: OrgNode }> {
  const q = db.select().from(assessmentRuns).where(eq(assessmentRuns.id, id)).limit(1);
  const [run] = opts.forUpdate ? await q.for('update') : await q;
  if (!run) throw new AppError('ASSESSMENT.NOT_FOUND');
  const node = await quotaBranch(db, run.nodeId);
  assertBranchScope(auth, perm, node.path);
  return { run, node };
}

/**
 * The committee approves a run (Art. 23). Four-eyes: not the person who ran it. The inputs are
 * read again and must hash as they did: points, completion, quotas or rules that moved since the
 * run make it stale (run again). One approved result per branch and year.
 */
export async function approveRun(db: Db, auth: AuthContext, id: number): Promise<void> {
  const actor = actorOf(auth);
  try {
    await db.transaction(async (tx) => {
      const { run, node } = await scopedRun(tx, auth, id, 'assessment.approve', { forUpdate: true });
      if (run.state !== 'draft') throw new AppError('ASSESSMENT.BAD_TRANSITION');
      if (run.createdBy === auth.staffId) throw new AppError('ASSESSMENT.SELF_APPROVAL');
      if (await finalRun(tx, run.nodeId, run.year, run.id)) throw new AppError('ASSESSMENT.ALREADY_FINAL');
      await assertYearClosed(tx, node, run.year);
      const again = await loadInputs(tx, node, run.year, { poolFen: run.poolFen, gateBp: run.gateBp });
      if (inputsHash(again.input) !== run.inputsHash) throw new AppError('ASSESSMENT.STALE');
      await tx.update(assessmentRuns).set({ state: 'approved', approvedBy: actor.id, approvedAt: clock.now() }).where(eq(assessmentRuns.id, id));
      await appendAudit(tx, actor, {
        action: 'assessment.approve',
        entity: 'assessment_run',
        entityId: id,
        nodeId: node.id,
        before: { state: 'draft' },
        after: { state: 'approved', inputsHash: run.inputsHash },
      });
      // The approval anchors the audit head, its own entry included (decision 0016).
      const head = await recordAnchor(tx, { kind: 'assessment.approve', ref: String(id), nodeId: node.id });
      if (head) await tx.update(assessmentRuns).set({ auditSeq: head.seq, auditHash: head.hash }).where(eq(assessmentRuns.id, id));
    });
  } catch (e) {
    if (isUniqueViolation(e)) throw new AppError('ASSESSMENT.ALREADY_FINAL');
    throw e;
  }
}

/** HR and finance have paid out (Art. 23): the approved run is locked; nothing about it changes after. */
export async function lockRun(db: Db, auth: AuthContext, id: number): Promise<void> {
  const actor = actorOf(auth);
  await db.transaction(async (tx) => {
    const { run, node } = await scopedRun(tx, auth, id, 'assessment.run', { forUpdate: true });
    if (run.state === 'locked') throw new AppError('ASSESSMENT.LOCKED');
    if (run.state !== 'approved') throw new AppError('ASSESSMENT.BAD_TRANSITION');
    await assertYearClosed(tx, node, run.year);
    await tx.update(assessmentRuns).set({ state: 'locked', lockedBy: actor.id, lockedAt: clock.now() }).where(eq(assessmentRuns.id, id));
    await appendAudit(tx, actor, { action: 'assessment.lock', entity: 'assessment_run', entityId: id, nodeId: node.id, before: { state: 'approved' }, after: { state: 'locked' } });
  });
}

/**
 * The committee reopens a finally assessed year (Art. 22–23): the approved or locked run is marked
 * superseded — who, when and the mandatory reason — and stays readable; sales of the year are
 * accepted again and a new run can be made, approved and locked later. Audited.
 */
export async function reopenRun(db: Db, auth: AuthContext, id: number, reason: string): Promise<void> {
  const actor = actorOf(auth);
  await db.transaction(async (tx) => {
    const { run, node } = await scopedRun(tx, auth, id, 'assessment.approve', { forUpdate: true });
    if (run.state !== 'approved' && run.state !== 'locked') throw new AppError('ASSESSMENT.NOT_FINAL');
    await tx.update(assessmentRuns).set({ state: 'superseded', supersededBy: actor.id, supersededAt: clock.now(), supersedeReason: reason }).where(eq(assessmentRuns.id, id));
    await appendAudit(tx, actor, {
      action: 'assessment.reopen',
      entity: 'assessment_run',
      entityId: id,
      nodeId: node.id,
      before: { state: run.state, year: run.year },
      after: { state: 'superseded', year: run.year, reason },
    });
  });
}

// ---- reading --------------------------------------------------------------------------------------

async function names(db: DbOrTx, ids: (number | null)[]): Promise<Map<number, string>> {
  const list = ids.filter((x): x is number => x !== null);
  if (!list.length) return new Map();
  const r = await rows<{ id: number; name: string }>(db, sql`SELECT id, name FROM staff WHERE id = ANY(${`{${[...new Set(list)].join(',')}}`}::int[])`);
  return new Map(r.map((x) => [x.id, x.name]));
}

function summary(run: RunRow, node: OrgNode, who: Map<number, string>) {
  const w = (id: number | null) => (id === null ? null : { id, name: who.get(id) ?? '' });
  return {
    id: run.id,
    nodeId: node.id,
    nodeCode: node.code,
    nodeName: node.name,
    year: run.year,
    state: run.state,
    pool: money(run.poolFen),
    gateBp: run.gateBp,
    quotaVersion: run.quotaVersion,
    ruleSetId: run.ruleSetId,
    inputsHash: run.inputsHash,
    createdBy: w(run.createdBy),
    createdAt: iso(run.createdAt)!,
    approvedBy: w(run.approvedBy),
    approvedAt: iso(run.approvedAt),
    lockedBy: w(run.lockedBy),
    lockedAt: iso(run.lockedAt),
    supersededBy: w(run.supersededBy),
    supersededAt: iso(run.supersededAt),
    supersedeReason: run.supersedeReason,
  };
}

export async function runView(db: DbOrTx, run: RunRow, node: OrgNode): Promise<RunOutT> {
  const who = await names(db, [run.createdBy, run.approvedBy, run.lockedBy, run.supersededBy]);
  const stored = run.inputs as StoredInputs;
  return { ...summary(run, node, who), result: presentResult(run.result as AssessmentResult, await withCodes(db, stored.labels), node.code) };
}

export async function listRuns(db: DbOrTx, node: OrgNode, year?: number) {
  const list = await db
    .select()
    .from(assessmentRuns)
    .where(and(eq(assessmentRuns.nodeId, node.id), year ? eq(assessmentRuns.year, year) : undefined))
    .orderBy(desc(assessmentRuns.year), desc(assessmentRuns.id));
  const who = await names(
    db,
    list.flatMap((r) => [r.createdBy, r.approvedBy, r.lockedBy, r.supersededBy]),
  );
  return list.map((r) => summary(r, node, who));
}

// ---- what-if ----------------------------------------------------------------------------------------

/**
 * The same computation with another pool, gate or quotas, side by side with the current run
 * (SPEC §10 what-if). Against a run it reuses the run's stored inputs, so only the changed
 * parameters move the figures. Runs in a READ ONLY transaction: it cannot write anything.
 */
export async function whatIf(db: Db, node: OrgNode, body: z.infer<typeof WhatIfBody>) {
  return db.transaction(async (tx) => {
    await tx.execute(sql`SET TRANSACTION READ ONLY`);
    let base: { source: 'run' | 'computed'; runId: number | null; input: AssessmentInput; labels: Labels; result: AssessmentResult };
    let run: RunRow | undefined;
    if (body.runId) {
      [run] = await tx
        .select()
        .from(assessmentRuns)
        .where(and(eq(assessmentRuns.id, body.runId), eq(assessmentRuns.nodeId, node.id), eq(assessmentRuns.year, body.year)));
      if (!run) throw new AppError('ASSESSMENT.NOT_FOUND');
    } else {
      run =
        (await finalRun(tx, node.id, body.year)) ??
        (
          await tx
            .select()
            .from(assessmentRuns)
            .where(and(eq(assessmentRuns.nodeId, node.id), eq(assessmentRuns.year, body.year)))
            .orderBy(desc(assessmentRuns.id))
            .limit(1)
        )[0];
    }
    if (run) {
      const stored = run.inputs as StoredInputs;
      base = { source: 'run', runId: run.id, input: stored.input, labels: await withCodes(tx, stored.labels), result: run.result as AssessmentResult };
    } else {
      const poolFen = poolFenOf(body);
      if (poolFen === undefined) throw new AppError('ASSESSMENT.BAD_POOL');
      const loaded = await loadInputs(tx, node, body.year, { poolFen, gateBp: DEFAULT_GATE_BP });
      base = { source: 'computed', runId: null, input: loaded.input, labels: loaded.labels, result: compute(loaded.input, loaded.labels) };
    }
    const input: AssessmentInput = { ...base.input, poolFen: poolFenOf(body) ?? base.input.poolFen, gateBp: body.gateBp ?? base.input.gateBp };
    if (body.quotas?.length) {
      const q = new Map(input.quotas.map((x) => [`${x.departmentId}/${x.productId}`, x]));
      for (const o of body.quotas) {
        const key = `${o.departmentId}/${o.productId}`;
        if (o.quantity === null) q.delete(key);
        else {
          const quantity1e4 = quotaQuantity1e4(o.quantity);
          if (quantity1e4 === undefined) throw new AppError('QUOTA.BAD_QUANTITY');
          q.set(key, { departmentId: o.departmentId, productId: o.productId, quantity1e4 });
        }
      }
      input.quotas = [...q.values()].sort((a, b) => a.departmentId - b.departmentId || a.productId - b.productId);
    }
    // Names for departments or products only the overrides mention.
    const extra = await labelsFor(tx, { ...input, points: [], completion: [], projectPoints: [], outlets: [] });
    const labels: Labels = {
      ...base.labels,
      departments: { ...extra.departments, ...base.labels.departments },
      departmentCodes: { ...extra.departmentCodes, ...base.labels.departmentCodes },
      products: { ...extra.products, ...base.labels.products },
    };
    const result = compute(input, labels);
    const ids = [...new Set([...base.result.departments, ...result.departments].map((d) => d.departmentId))].sort((a, b) => a - b);
    const b = new Map(base.result.departments.map((d) => [d.departmentId, d]));
    const w = new Map(result.departments.map((d) => [d.departmentId, d]));
    return {
      nodeId: node.id,
      year: body.year,
      base: { source: base.source, runId: base.runId, result: presentResult(base.result, labels, node.code) },
      whatIf: presentResult(result, labels, node.code),
      departments: ids.map((id) => ({
        branchCode: node.code,
        departmentId: id,
        code: labels.departmentCodes?.[id] ?? '',
        name: labels.departments[id] ?? `#${id}`,
        baseCounted: pts(b.get(id)?.countedHundredths ?? 0),
        whatIfCounted: pts(w.get(id)?.countedHundredths ?? 0),
        baseReward: money(b.get(id)?.rewardFen ?? 0),
        whatIfReward: money(w.get(id)?.rewardFen ?? 0),
        delta: money((w.get(id)?.rewardFen ?? 0) - (b.get(id)?.rewardFen ?? 0)),
      })),
      written: false as const,
      // Art. 22: a what-if is a trial (试算), whether or not the year is over; never a result.
      trial: true as const,
      label: { zh: '试算', en: 'What-if' },
      yearOpen: yearOpenText(body.year, await openMonths(tx, node, body.year)),
    };
  });
}

// ---- award rules --------------------------------------------------------------------------------------

export async function rulesView(db: DbOrTx, node: OrgNode, year: number) {
  const inForce = await ruleSetFor(db, node, year);
  const all = await rows<{ id: number; node_id: number; node_name: string; effective_year: number; rules: unknown; updated_at: string }>(
    db,
    sql`SELECT s.id, s.node_id, n.name AS node_name, s.effective_year, s.rules, s.updated_at FROM award_rule_sets s JOIN org_nodes n ON n.id = s.node_id
        WHERE s.node_id = ${node.id} OR s.id = ${inForce?.id ?? 0} ORDER BY s.effective_year DESC`,
  );
  const view = (r: (typeof all)[number]) => ({ id: r.id, nodeId: r.node_id, nodeName: r.node_name, effectiveYear: r.effective_year, rules: r.rules as never, updatedAt: iso(r.updated_at)! });
  return {
    inForce: inForce ? view(all.find((r) => r.id === inForce.id)!) : null,
    defaults: DEFAULT_AWARD_RULES,
    history: all.filter((r) => r.node_id === node.id).map(view),
  };
}

/** Sets the award rules (奖励标准, Art. 18) of a node from a year on; audited with before/after. */
export async function putRules(db: Db, auth: AuthContext, node: OrgNode, body: z.infer<typeof RulesBody>) {
  assertRulesWriter(auth, node);
  const actor = actorOf(auth);
  await db.transaction(async (tx) => {
    const [before] = await tx
      .select()
      .from(awardRuleSets)
      .where(and(eq(awardRuleSets.nodeId, node.id), eq(awardRuleSets.effectiveYear, body.effectiveYear)))
      .for('update');
    if (before && JSON.stringify(before.rules) === JSON.stringify(body.rules)) return;
    const values = { nodeId: node.id, effectiveYear: body.effectiveYear, rules: body.rules, updatedBy: actor.id, updatedAt: clock.now() };
    await tx
      .insert(awardRuleSets)
      .values(values)
      .onConflictDoUpdate({ target: [awardRuleSets.nodeId, awardRuleSets.effectiveYear], set: values });
    await appendAudit(tx, actor, {
      action: before ? 'assessment.rules.update' : 'assessment.rules.create',
      entity: 'award_rule_set',
      entityId: `${node.code}/${body.effectiveYear}`,
      nodeId: node.id,
      before: before?.rules,
      after: body.rules,
    });
  });
}
