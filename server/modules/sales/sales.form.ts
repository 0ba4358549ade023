import { type SQL, sql } from 'drizzle-orm';
import type { Lang } from '../../../shared/errors.js';
import { freeText } from '../../../shared/normalize.js';
import { type Db, type DbOrTx, rows } from '../../db/client.js';
import { bigramContains, likePrefix } from '../../db/like.js';
import { AppError } from '../../errors.js';
import { type AuthContext, assertCanAt } from '../access/context.js';
import { type Reach, reachPaths } from '../access/references.js';
import { personNameMatch } from '../customers/customers.policy.js';
import { maskIdNumber } from '../customers/ids.rules.js';
import { inPaths } from '../org/org.queries.js';
import { actorOf } from '../products/products.service.js';
import { saleSplits, type SaleSplit } from '../scoring/split.service.js';
import { clock } from '../../calendar/index.js';
import { correctSale, type SaleCorrection } from './sales.correct.js';
import { CLIENT_REACH } from './sales.policy.js';
import type { SaleInput } from './sales.rules.js';
import { recordSale } from './sales.service.js';

/**
 * The one-sale form (issue 12): a preview of the split a sale would get, a preview of what a
 * correction would change, and the pickers a recorder needs. Both previews run the real write —
 * the same checks (sales.resolve.ts) and the same scoring (the ledger's SQL) — in a transaction
 * that is then rolled back: the figures shown are what saving gives, and nothing is kept.
 */

/** Thrown to roll a preview's transaction back, carrying what it computed. */
class Rollback<T> extends Error {
  constructor(readonly value: T) {
    super('preview rollback');
  }
}

async function dryRun<T>(db: Db, work: (tx: DbOrTx) => Promise<T>): Promise<T> {
  try {
    await db.transaction(async (tx) => {
      throw new Rollback(await work(tx));
    });
  } catch (e) {
    if (e instanceof Rollback) return e.value as T;
    throw e;
  }
  throw new Error('unreachable: a dry run always rolls back');
}

/** A split as the form shows it: the period its entries go to, per department and per person. */
export interface SplitPreview {
  status: 'created' | 'duplicate';
  /** The id the sale has (duplicate) — for a new sale, none: nothing was recorded. */
  saleId: number | null;
  /** The month the points are booked in (the sale's own, or the open month as an adjustment). */
  period: string | null;
  split: SaleSplit;
}

async function periodOf(tx: DbOrTx, saleId: number): Promise<string | null> {
  const [r] = await rows<{ period: string }>(tx, sql`SELECT period::text AS period FROM ledger_entries WHERE sale_id = ${saleId} AND kind = 'allocation' ORDER BY id DESC LIMIT 1`);
  return r ? r.period.slice(0, 7) : null;
}

/** What recording this sale would give, without recording it (same checks, same scoring). */
export async function previewSale(db: Db, auth: AuthContext, input: SaleInput, opts: { today?: string; lang?: Lang } = {}): Promise<SplitPreview> {
  return dryRun(db, async (tx) => {
    const r = await recordSale(tx as Db, auth, input, opts);
    const [split] = await saleSplits(tx, [r.saleId]);
    return { status: r.status, saleId: r.status === 'duplicate' ? r.saleId : null, period: await periodOf(tx, r.saleId), split };
  });
}

/** One line of a correction preview: a department's or a person's points before and after. */
export interface CorrectionLine {
  kind: 'department' | 'person';
  departmentId: number;
  departmentCode: string;
  departmentName: string;
  staffId: number | null;
  staffNo: string | null;
  name: string;
  beforeHundredths: number;
  afterHundredths: number;
}

function linesOf(before: SaleSplit, after: SaleSplit): CorrectionLine[] {
  const lines = new Map<string, CorrectionLine>();
  const deptName = new Map([...before.departments, ...after.departments].map((d) => [d.departmentId, d]));
  const put = (key: string, base: Omit<CorrectionLine, 'beforeHundredths' | 'afterHundredths'>, side: 'beforeHundredths' | 'afterHundredths', h: number) => {
    const l = lines.get(key) ?? { ...base, beforeHundredths: 0, afterHundredths: 0 };
    l[side] += h;
    lines.set(key, l);
  };
  for (const [side, s] of [
    ['beforeHundredths', before],
    ['afterHundredths', after],
  ] as const) {
    for (const d of s.departments)
      put(
        `d${d.departmentId}`,
        { kind: 'department', departmentId: d.departmentId, departmentCode: d.code, departmentName: d.name, staffId: null, staffNo: null, name: d.name },
        side,
        d.pointsHundredths,
      );
    for (const p of s.people) {
      const d = deptName.get(p.departmentId)!;
      put(
        `p${p.staffId}:${p.departmentId}`,
        { kind: 'person', departmentId: p.departmentId, departmentCode: d.code, departmentName: d.name, staffId: p.staffId, staffNo: p.staffNo, name: p.name },
        side,
        p.pointsHundredths,
      );
    }
  }
  return [...lines.values()].sort((a, b) => a.departmentCode.localeCompare(b.departmentCode) || (a.staffNo ?? '').localeCompare(b.staffNo ?? ''));
}

/**
 * What a correction (an objection's answer) would change, line by line, without changing it:
 * correctSale in a rolled-back transaction. The caller must be able to answer objections for the
 * sale's branch — the only path that corrects a sale.
 */
export async function previewCorrection(db: Db, auth: AuthContext, saleId: number, c: SaleCorrection, lang: Lang) {
  const [head] = await rows<{ path: string }>(db, sql`SELECT n.path FROM sales s JOIN org_nodes n ON n.id = s.node_id WHERE s.id = ${saleId}`);
  if (!head) throw new AppError('SALE.NOT_FOUND');
  assertCanAt(auth, 'objection.answer', head.path);
  return dryRun(db, async (tx) => {
    const [before] = await saleSplits(tx, [saleId]);
    try {
      await correctSale(tx, actorOf(auth), saleId, c, { today: clock.today(), upheldObjection: true });
    } catch (e) {
      throw fieldError(e, lang);
    }
    const [after] = await saleSplits(tx, [saleId]);
    return { saleId, before: { totalHundredths: before.total.pointsHundredths }, after: { totalHundredths: after.total.pointsHundredths }, lines: linesOf(before, after) };
  });
}

/** correctSale's { field, issues } → the form's array of field issues. */
function fieldError(e: unknown, lang: Lang): unknown {
  if (!(e instanceof AppError) || !e.details || typeof e.details !== 'object' || !('issues' in e.details)) return e;
  const issues = (e.details as { issues: { code: string; field: string; zh: string; en: string }[] }).issues;
  return new AppError(
    e.code,
    issues.map((i) => ({ path: `body.${i.field}`, field: i.field, code: i.code, message: lang === 'en' ? i.en : i.zh })),
    e.text,
  );
}

// ---- pickers ------------------------------------------------------------------------------------

const q = (s: string | undefined) => freeText(s ?? '').trim();

/**
 * Who the pickers serve: those who record sales (sale.write) and those who correct them (objection
 * answerers), each over the whole branch of their grant — a sale's departments and people are its
 * branch's. Anyone else gets 403: the pickers are no way round staff.read or org.read.
 */
const RECORDER: Reach = { perms: ['sale.write', 'objection.answer'], branchWide: true };

function recorderScope(auth: AuthContext): SQL {
  const paths = reachPaths(auth, RECORDER);
  if (paths.length === 0) throw new AppError('AUTH.FORBIDDEN');
  return inPaths(sql`n.path`, paths);
}

/** Departments of the branches where the caller may record or correct sales. */
export async function pickDepartments(db: Db, auth: AuthContext) {
  return rows<{ id: number; code: string; name: string; nodeId: number; nodeCode: string; nodeName: string }>(
    db,
    sql`SELECT d.id, d.code, d.name, n.id AS "nodeId", n.code AS "nodeCode", n.name AS "nodeName"
        FROM departments d JOIN org_nodes n ON n.id = d.node_id
        WHERE d.active AND ${recorderScope(auth)} ORDER BY n.code, d.code LIMIT 500`,
  );
}

/** Active staff of those branches, by name or 工号, with their department. */
export async function pickStaff(db: Db, auth: AuthContext, f: { q?: string; nodeId?: number }) {
  const text = q(f.q);
  const match = !text ? sql`true` : /^\d+$/.test(text) ? sql`s.staff_no LIKE ${likePrefix(text)}` : personNameMatch(sql`s.name`, text);
  return rows<{ id: number; staffNo: string; name: string; departmentId: number | null; departmentCode: string | null; departmentName: string | null; nodeName: string }>(
    db,
    sql`SELECT s.id, s.staff_no AS "staffNo", s.name, s.department_id AS "departmentId", d.code AS "departmentCode", d.name AS "departmentName", n.name AS "nodeName"
        FROM staff s JOIN org_nodes n ON n.id = s.node_id LEFT JOIN departments d ON d.id = s.department_id
        WHERE s.active AND ${recorderScope(auth)} AND ${match}
          ${f.nodeId ? sql`AND n.path LIKE (SELECT b.path FROM org_nodes b WHERE b.id = ${f.nodeId}) || '%'` : sql``}
        ORDER BY s.staff_no LIMIT 20`,
  );
}

/**
 * Clients a sale may name (those the checks accept: CLIENT_REACH), by name, USCC or the last four
 * characters of the ID number. ID numbers leave masked; the form sends the client's id back.
 */
export async function pickClients(db: Db, auth: AuthContext, f: { q?: string }) {
  const text = q(f.q).toUpperCase();
  if (!text) return [];
  const paths = reachPaths(auth, CLIENT_REACH);
  const where = inPaths(sql`n.path`, paths);
  const suffix = /^\d{3}[\dX]$/.test(text);
  const people = await rows<{ id: number; name: string; idNumber: string; nodeName: string }>(
    db,
    sql`SELECT p.id, p.name, p.id_number AS "idNumber", n.name AS "nodeName" FROM individuals p JOIN org_nodes n ON n.id = p.node_id
        WHERE ${where} AND ${suffix ? sql`p.id_suffix = ${text}` : /^[\dX]{15,18}$/.test(text) ? sql`p.id_number = ${text}` : personNameMatch(sql`p.name`, text)}
        ORDER BY p.id LIMIT 10`,
  );
  const usccLike = /^[0-9A-Z]{4,18}$/.test(text) && /\d/.test(text);
  const firms = await rows<{ id: number; name: string; uscc: string; nodeName: string }>(
    db,
    sql`SELECT c.id, c.name, c.uscc, n.name AS "nodeName" FROM corporate_clients c JOIN org_nodes n ON n.id = c.node_id
        WHERE ${where} AND ${usccLike ? sql`c.uscc LIKE ${likePrefix(text)}` : bigramContains(sql`c.name`, text)}
        ORDER BY c.id LIMIT 10`,
  );
  return [
    ...people.map((p) => ({ kind: 'individual' as const, id: p.id, name: p.name, code: maskIdNumber(p.idNumber) ?? '', nodeName: p.nodeName })),
    ...firms.map((c) => ({ kind: 'company' as const, id: c.id, name: c.name, code: c.uscc, nodeName: c.nodeName })),
  ];
}

/**
 * The form names its client by id (the picker never shows a full ID number); the checks take the
 * ID number or USCC. Read here and checked by the same resolution as every other sale.
 */
export async function withClientIds<T extends { personId?: number | null; companyId?: number | null; idNumber?: string | null; uscc?: string | null }>(
  db: Db,
  body: T,
): Promise<Omit<T, 'personId' | 'companyId'>> {
  const { personId, companyId, ...rest } = body;
  const out = { ...rest } as Omit<T, 'personId' | 'companyId'> & { idNumber?: string | null; uscc?: string | null };
  if (personId) {
    const [p] = await rows<{ id_number: string }>(db, sql`SELECT id_number FROM individuals WHERE id = ${personId}`);
    if (!p) throw new AppError('SALE.UNKNOWN_CLIENT', [{ path: 'body.client', field: 'client', code: 'SALE.UNKNOWN_CLIENT' }]);
    out.idNumber = p.id_number;
  }
  if (companyId) {
    const [c] = await rows<{ uscc: string }>(db, sql`SELECT uscc FROM corporate_clients WHERE id = ${companyId}`);
    if (!c) throw new AppError('SALE.UNKNOWN_CLIENT', [{ path: 'body.client', field: 'client', code: 'SALE.UNKNOWN_CLIENT' }]);
    out.uscc = c.uscc;
  }
  return out;
}
