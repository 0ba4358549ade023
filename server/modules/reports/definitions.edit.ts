import { sql } from 'drizzle-orm';
import type { z } from 'zod';
import { type Db, type DbOrTx, rows } from '../../db/client.js';
import { beijingDay } from '../../calendar/index.js';
import { AppError } from '../../errors.js';
import { assertBankWide, type AuthContext } from '../access/context.js';
import { appendAudit, BANK_WIDE } from '../audit/audit.service.js';
import { currentDefinition } from './definitions.service.js';
import type { DefinitionVersionBody, DefinitionVersionItem } from './subscriptions.schemas.js';

/**
 * Editing a report definition (issue 16, decision 0040): never an UPDATE — the edit is the next
 * version, valid from today, with the reason, audited. Issues keep the version they were produced
 * under (their names and data are read through it), so an edit never alters a past issue; the
 * scheduler produces the following periods under the new one. The province's (report.manage
 * held bank-wide): a definition governs every branch's issue.
 */
export async function addDefinitionVersion(db: Db, auth: AuthContext, code: string, body: z.infer<typeof DefinitionVersionBody>, now: Date): Promise<{ id: number; version: number }> {
  assertBankWide(auth, 'report.manage');
  return db.transaction(async (tx) => {
    await tx.execute(sql`SELECT pg_advisory_xact_lock(hashtext(${`report-definition:${code}`}))`);
    const d = await currentDefinition(tx, code);
    if (!d) throw new AppError('REPORT.NOT_FOUND');
    // The cadence is the report's identity (its periods): a new cadence is a new report, not a version.
    // An ad hoc report has no due rule.
    const due = d.cadence === 'ad_hoc' ? null : (body.due ?? d.due);
    const next = { nameZh: body.nameZh ?? d.nameZh, nameEn: body.nameEn ?? d.nameEn, due, ownerDept: body.ownerDept ?? d.ownerDept };
    const before = { nameZh: d.nameZh, nameEn: d.nameEn, due: d.due, ownerDept: d.ownerDept };
    if (JSON.stringify(next) === JSON.stringify(before)) throw new AppError('REPORT.DEFINITION_UNCHANGED');
    const version = d.version + 1;
    const [row] = await rows<{ id: number }>(
      tx,
      sql`INSERT INTO report_definitions (code, version, name_zh, name_en, category, cadence, due_after_working_days, due_time, owner_dept, source_kind, source, valid_from, reason, created_by, created_at)
          VALUES (${code}, ${version}, ${next.nameZh}, ${next.nameEn}, ${d.category}, ${d.cadence}, ${next.due?.afterWorkingDays ?? null}, ${next.due?.time ?? null}, ${next.ownerDept},
                  ${d.sourceKind}, ${d.source}, ${beijingDay(now)}::date, ${body.reason}, ${auth.staffId}, ${now.toISOString()}::timestamptz)
          RETURNING id`,
    );
    await appendAudit(
      tx,
      { id: auth.staffId, name: auth.name },
      {
        action: 'report.definition_version',
        entity: 'report_definition',
        entityId: `${code}/v${version}`,
        nodeId: BANK_WIDE,
        before: { version: d.version, ...before },
        after: { version, ...next, reason: body.reason },
      },
    );
    return { id: Number(row.id), version };
  });
}

/** Every version of a definition, newest first. */
export async function definitionVersions(db: DbOrTx, code: string): Promise<z.infer<typeof DefinitionVersionItem>[]> {
  const r = await rows<{
    id: number;
    version: number;
    name_zh: string;
    name_en: string;
    cadence: z.infer<typeof DefinitionVersionItem>['cadence'];
    due_after_working_days: number | null;
    due_time: string | null;
    owner_dept: string;
    valid_from: string;
    reason: string;
    created_by_name: string | null;
    created_at: Date | string;
  }>(
    db,
    sql`SELECT d.id, d.version, d.name_zh, d.name_en, d.cadence, d.due_after_working_days, d.due_time, d.owner_dept, d.valid_from::text, d.reason, s.name AS created_by_name, d.created_at
          FROM report_definitions d LEFT JOIN staff s ON s.id = d.created_by WHERE d.code = ${code} ORDER BY d.version DESC`,
  );
  if (!r.length) throw new AppError('REPORT.NOT_FOUND');
  return r.map((x) => ({
    id: Number(x.id),
    version: Number(x.version),
    nameZh: x.name_zh,
    nameEn: x.name_en,
    cadence: x.cadence,
    due: x.due_after_working_days === null || x.due_time === null ? null : { afterWorkingDays: Number(x.due_after_working_days), time: x.due_time },
    ownerDept: x.owner_dept,
    validFrom: x.valid_from,
    reason: x.reason,
    createdByName: x.created_by_name,
    createdAt: new Date(x.created_at).toISOString(),
  }));
}
