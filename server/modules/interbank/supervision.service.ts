import { sql } from 'drizzle-orm';
import { type Db, type DbOrTx, rows } from '../../db/client.js';
import { inPaths } from '../../db/org-paths.js';
import { AppError } from '../../errors.js';
import { beijingMidnight } from '../../calendar/index.js';
import { type AuthContext, assertCanAt, scopePaths } from '../access/context.js';
import { appendAudit } from '../audit/audit.service.js';
import { getSetting } from '../settings/settings.routes.js';
import { actorOf } from './caliber.service.js';
import { submissionDue, submissionStatus, type SubmissionStatus } from './coverage.rules.js';

/**
 * 每周督导 (seed 000 三(一)): a branch flagged in week W submits, for week W+1, its target list,
 * visit records and progress (fi_submissions kinds targets / visits / progress), due on the
 * configured weekday and hour of W+1 (default Friday 17:00 Beijing). Each is on time, late, missing
 * or pending (coverage.rules.submissionStatus); the job reminds before the due time and reports
 * what is missing (supervision.job.ts).
 */

export const SUBMISSION_KINDS = ['targets', 'visits', 'progress'] as const;

/** The due instant of week `flaggedWeekEnd`'s submissions, from the settings. */
export async function dueInstant(db: DbOrTx, flaggedWeekEnd: string): Promise<{ dueAt: Date; weekEnd: string }> {
  const d = submissionDue(flaggedWeekEnd, await getSetting(db, 'interbank.submissionDueWeekday'), await getSetting(db, 'interbank.submissionDueHour'));
  return { dueAt: new Date(beijingMidnight(d.day).getTime() + d.hour * 3_600_000), weekEnd: d.weekEnd };
}

/** Opens the next week's three submissions of every flagged branch (once: the unique key holds). */
export async function openSupervision(tx: DbOrTx, flaggedWeekEnd: string, nodeIds: number[]): Promise<number> {
  if (nodeIds.length === 0) return 0;
  const { dueAt, weekEnd } = await dueInstant(tx, flaggedWeekEnd);
  const values = nodeIds.flatMap((n) => SUBMISSION_KINDS.map((k) => sql`(${n}, ${weekEnd}::date, ${k}, ${dueAt.toISOString()}::timestamptz)`));
  const r = await rows<{ id: number }>(tx, sql`INSERT INTO fi_submissions (node_id, week_end, kind, due_at) VALUES ${sql.join(values, sql`, `)} ON CONFLICT DO NOTHING RETURNING id`);
  return r.length;
}

export interface SubmissionRow {
  id: number;
  nodeId: number;
  nodeName: string;
  weekEnd: string;
  kind: (typeof SUBMISSION_KINDS)[number];
  dueAt: Date;
  submittedAt: Date | null;
  submittedBy: string | null;
  content: string | null;
  remindedAt: Date | null;
  status: SubmissionStatus;
}

/** GET /api/interbank/supervision: submissions of the branches in the caller's scope. */
export async function listSubmissions(db: DbOrTx, auth: AuthContext, q: { weekEnd?: string; nodeId?: number; status?: SubmissionStatus }, now: Date) {
  const list = await rows<Omit<SubmissionRow, 'status'>>(
    db,
    sql`SELECT f.id, f.node_id AS "nodeId", n.name AS "nodeName", f.week_end::text AS "weekEnd", f.kind, f.due_at AS "dueAt", f.submitted_at AS "submittedAt",
               s.name AS "submittedBy", f.content, f.reminded_at AS "remindedAt"
          FROM fi_submissions f JOIN org_nodes n ON n.id = f.node_id LEFT JOIN staff s ON s.id = f.submitted_by
         WHERE ${inPaths(sql`n.path`, scopePaths(auth, 'interbank.read'))}
           ${q.weekEnd ? sql`AND f.week_end = ${q.weekEnd}::date` : sql``} ${q.nodeId ? sql`AND f.node_id = ${q.nodeId}` : sql``}
         ORDER BY f.week_end DESC, n.path, array_position(ARRAY['targets','visits','progress'], f.kind)`,
  );
  const items = list.map((r) => ({ ...r, status: submissionStatus(new Date(r.dueAt), r.submittedAt ? new Date(r.submittedAt) : null, now) }));
  const filtered = q.status ? items.filter((i) => i.status === q.status) : items;
  const weeks = (await rows<{ weekEnd: string }>(db, sql`SELECT DISTINCT week_end::text AS "weekEnd" FROM fi_submissions ORDER BY 1 DESC LIMIT 104`)).map((w) => w.weekEnd);
  return { items: filtered, weeks };
}

/**
 * POST /api/interbank/supervision/:id/submit: the branch (interbank.manage over it) sends the text.
 * A second send replaces the content and keeps the first send's time (on time stays on time).
 */
export async function submit(db: Db, auth: AuthContext, id: number, content: string, now: Date) {
  return db.transaction(async (tx) => {
    const [row] = await rows<{ nodeId: number; path: string; submittedAt: Date | null; content: string | null }>(
      tx,
      sql`SELECT f.node_id AS "nodeId", n.path, f.submitted_at AS "submittedAt", f.content FROM fi_submissions f JOIN org_nodes n ON n.id = f.node_id WHERE f.id = ${id} FOR UPDATE OF f`,
    );
    if (!row) throw new AppError('INTERBANK.SUBMISSION_NOT_FOUND', { id });
    assertCanAt(auth, 'interbank.manage', row.path);
    await tx.execute(
      sql`UPDATE fi_submissions SET content = ${content}, submitted_at = COALESCE(submitted_at, ${now.toISOString()}::timestamptz), submitted_by = COALESCE(submitted_by, ${auth.staffId}) WHERE id = ${id}`,
    );
    await appendAudit(tx, actorOf(auth), {
      action: 'interbank.submission.submit',
      entity: 'fi_submission',
      entityId: id,
      nodeId: row.nodeId,
      before: row.submittedAt ? { content: row.content } : undefined,
      after: { content },
    });
    const [out] = (await listSubmissions(tx, auth, {}, now)).items.filter((i) => i.id === id);
    return out;
  });
}
