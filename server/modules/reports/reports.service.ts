import { sql } from 'drizzle-orm';
import type { z } from 'zod';
import { type Db, type DbOrTx, rows } from '../../db/client.js';
import { beijingDay } from '../../calendar/index.js';
import { AppError } from '../../errors.js';
import { assertBankWide, type AuthContext, canAt } from '../access/context.js';
import { dueAt, periodOf, previousPeriod, timeliness } from './cadence.rules.js';
import { REPORT_CATEGORIES, type ReportCategory } from './catalogue.js';
import { currentDefinition, currentDefinitions } from './definitions.service.js';
import { FEEDS } from './feeds.js';
import { holidayCalendar, producible, rerunIssue } from './produce.js';
import type { CatalogueItem, IssueOut, IssueSummary } from './reports.schemas.js';

/** The read side of the reporting calendar (issue 16): the catalogue with each report's latest issue, a report's issues, one issue. */

const iso = (d: Date | string | null): string | null => (d === null ? null : new Date(d).toISOString());

interface IssueRow {
  id: number;
  code: string;
  definition_version: number;
  period_key: string;
  period_label: string;
  period_from: string;
  period_to: string;
  version: number;
  reason: string | null;
  status: 'produced' | 'waiting_feed' | 'failed';
  due_at: Date | string;
  produced_at: Date | string | null;
  waiting_on: string | null;
  error: string | null;
  created_by_name: string | null;
  created_at: Date | string;
}

const ISSUE_COLUMNS = sql`i.id, i.definition_code AS code, i.definition_version, i.period_key, i.period_label, i.period_from::text, i.period_to::text, i.version, i.reason,
  i.status, i.due_at, i.produced_at, i.waiting_on, i.error, s.name AS created_by_name, i.created_at`;

function summary(r: IssueRow, now: Date): z.infer<typeof IssueSummary> {
  const producedAt = r.produced_at === null ? null : new Date(r.produced_at);
  return {
    id: Number(r.id),
    code: r.code,
    definitionVersion: Number(r.definition_version),
    periodKey: r.period_key,
    periodLabel: r.period_label,
    periodFrom: r.period_from,
    periodTo: r.period_to,
    version: Number(r.version),
    reason: r.reason,
    status: r.status,
    dueAt: iso(r.due_at)!,
    producedAt: iso(producedAt),
    timeliness: timeliness(new Date(r.due_at), producedAt, now),
    waitingOn: r.waiting_on,
    error: r.error,
    createdByName: r.created_by_name,
    createdAt: iso(r.created_at)!,
  };
}

/** Every report in force, grouped in the catalogue's order, each with the issue of its latest ended period. */
export async function catalogue(db: DbOrTx, now: Date): Promise<z.infer<typeof CatalogueItem>[]> {
  const defs = await currentDefinitions(db);
  const cal = await holidayCalendar(db);
  const today = beijingDay(now);
  // The latest version of each (report, period) issue.
  const latest = await rows<IssueRow>(
    db,
    sql`SELECT DISTINCT ON (i.definition_code, i.period_key) ${ISSUE_COLUMNS}
          FROM report_issues i LEFT JOIN staff s ON s.id = i.created_by
         ORDER BY i.definition_code, i.period_key, i.version DESC`,
  );
  const byKey = new Map(latest.map((r) => [`${r.code}|${r.period_key}`, r]));
  return defs.map((d) => {
    const cat = REPORT_CATEGORIES[d.category as ReportCategory] ?? { zh: d.category, en: d.category };
    let lastIssue: z.infer<typeof CatalogueItem>['lastIssue'] = null;
    if (d.cadence !== 'ad_hoc' && d.due) {
      const p = previousPeriod(periodOf(d.cadence, today));
      if (p.to >= d.since) {
        const r = byKey.get(`${d.code}|${p.key}`);
        const due = dueAt(p, d.due, cal);
        if (r) {
          const s = summary(r, now);
          lastIssue = {
            id: s.id,
            periodKey: p.key,
            periodLabel: p.label,
            version: s.version,
            status: s.status,
            dueAt: s.dueAt,
            producedAt: s.producedAt,
            timeliness: s.timeliness,
            waitingOn: s.waitingOn,
          };
        } else {
          lastIssue = {
            id: null,
            periodKey: p.key,
            periodLabel: p.label,
            version: null,
            status: null,
            dueAt: due.toISOString(),
            producedAt: null,
            timeliness: timeliness(due, null, now),
            waitingOn: null,
          };
        }
      }
    }
    return {
      code: d.code,
      version: d.version,
      nameZh: d.nameZh,
      nameEn: d.nameEn,
      category: d.category,
      categoryZh: cat.zh,
      categoryEn: cat.en,
      cadence: d.cadence,
      due: d.due,
      ownerDept: d.ownerDept,
      sourceKind: d.sourceKind,
      source: d.source,
      feedZh: d.sourceKind === 'feed' ? (FEEDS[d.source]?.zh ?? null) : null,
      producible: producible(d),
      since: d.since,
      lastIssue,
    };
  });
}

/** A report's issues, newest period first, every version. */
export async function listIssues(db: DbOrTx, code: string, limit: number, now: Date): Promise<z.infer<typeof IssueSummary>[]> {
  if (!(await currentDefinition(db, code))) throw new AppError('REPORT.NOT_FOUND');
  const r = await rows<IssueRow>(
    db,
    sql`SELECT ${ISSUE_COLUMNS} FROM report_issues i LEFT JOIN staff s ON s.id = i.created_by
         WHERE i.definition_code = ${code} ORDER BY i.period_from DESC, i.version DESC LIMIT ${limit}`,
  );
  return r.map((x) => summary(x, now));
}

/** A snapshot's lines that the reader may see: those whose org node is inside a report.read grant. */
export function visibleData(auth: AuthContext, data: unknown): unknown {
  if (!data || typeof data !== 'object' || !Array.isArray((data as { lines?: unknown }).lines)) return data;
  const lines = (data as { lines: { path?: unknown }[] }).lines.filter((l) => typeof l.path === 'string' && canAt(auth, 'report.read', l.path));
  return { ...data, lines };
}

/** One issue with its frozen data filtered to the reader's subtree, and the period's other versions. */
export async function getIssue(db: DbOrTx, auth: AuthContext, id: number, now: Date): Promise<z.infer<typeof IssueOut>> {
  const [r] = await rows<IssueRow & { data: unknown }>(db, sql`SELECT ${ISSUE_COLUMNS}, i.data FROM report_issues i LEFT JOIN staff s ON s.id = i.created_by WHERE i.id = ${id}`);
  if (!r) throw new AppError('REPORT.ISSUE_NOT_FOUND');
  const [d] = await rows<{ name_zh: string; name_en: string; cadence: z.infer<typeof IssueOut>['cadence']; source_kind: 'own' | 'feed'; source: string }>(
    db,
    sql`SELECT name_zh, name_en, cadence, source_kind, source FROM report_definitions WHERE code = ${r.code} AND version = ${r.definition_version}`,
  );
  const versions = await rows<{ id: number; version: number; status: 'produced' | 'waiting_feed' | 'failed'; produced_at: Date | string | null; reason: string | null }>(
    db,
    sql`SELECT id, version, status, produced_at, reason FROM report_issues WHERE definition_code = ${r.code} AND period_key = ${r.period_key} ORDER BY version DESC`,
  );
  return {
    ...summary(r, now),
    nameZh: d.name_zh,
    nameEn: d.name_en,
    cadence: d.cadence,
    sourceKind: d.source_kind,
    source: d.source,
    data: visibleData(auth, r.data),
    versions: versions.map((v) => ({ id: Number(v.id), version: Number(v.version), status: v.status, producedAt: iso(v.produced_at), reason: v.reason })),
  };
}

/** Re-runs an issue's period as its next version (report.manage, bank-wide: an issue goes to every branch). */
export async function rerun(db: Db, auth: AuthContext, id: number, reason: string, now: Date): Promise<{ id: number; version: number }> {
  assertBankWide(auth, 'report.manage');
  const [r] = await rows<{ code: string; period_key: string }>(db, sql`SELECT definition_code AS code, period_key FROM report_issues WHERE id = ${id}`);
  if (!r) throw new AppError('REPORT.ISSUE_NOT_FOUND');
  const d = await currentDefinition(db, r.code);
  if (!d) throw new AppError('REPORT.NOT_FOUND');
  if (!producible(d)) throw new AppError('REPORT.NOT_PRODUCIBLE');
  return rerunIssue(db, { id: auth.staffId, name: auth.name }, d, r.period_key, reason, now);
}
