import { sql } from 'drizzle-orm';
import { type DbOrTx, rows } from '../../db/client.js';
import { reportDefinitions } from '../../db/schema/index.js';
import { clock } from '../../calendar/index.js';
import { type Actor, appendAudit, BANK_WIDE, SYSTEM_ACTOR } from '../audit/audit.service.js';
import type { Cadence, DueRule } from './cadence.rules.js';
import { REPORT_CATALOGUE, type ReportDefinition } from './catalogue.js';

/** A definition as stored: one version of a report (the highest version is the one in force). */
export interface StoredDefinition {
  id: number;
  code: string;
  version: number;
  nameZh: string;
  nameEn: string;
  category: string;
  cadence: Cadence;
  due: DueRule | null;
  ownerDept: string;
  sourceKind: 'own' | 'feed';
  source: string;
  /** The first version's valid_from: issues are produced for the periods from the one holding it. */
  since: string;
  validFrom: string;
}

const FIRST_REASON = '首次启动写入通报体系目录（种子004第三部分）';

/**
 * Writes the catalogue's definitions that are absent (by code) as version 1, valid from `validFrom`
 * (default: today) — idempotent, called on every start (ops/prepare.ts), so a clean install and the
 * demo bank both have all of seed 004's reports. One audit entry names what was added.
 */
export async function seedReportCatalogue(db: DbOrTx, opts: { validFrom?: string; actor?: Actor } = {}): Promise<string[]> {
  const validFrom = opts.validFrom ?? clock.today();
  const now = clock.now();
  const existing = new Set((await rows<{ code: string }>(db, sql`SELECT DISTINCT code FROM report_definitions`)).map((r) => r.code));
  const missing = REPORT_CATALOGUE.filter((d) => !existing.has(d.code));
  if (!missing.length) return [];
  await db
    .insert(reportDefinitions)
    .values(missing.map((d) => ({ ...definitionColumns(d), version: 1, validFrom, reason: FIRST_REASON, createdBy: opts.actor?.id ?? null, createdAt: now })))
    .onConflictDoNothing();
  await appendAudit(db, opts.actor ?? SYSTEM_ACTOR, {
    action: 'report.catalogue_seed',
    entity: 'report_definition',
    entityId: 'catalogue',
    nodeId: BANK_WIDE,
    after: { validFrom, codes: missing.map((d) => d.code) },
  });
  return missing.map((d) => d.code);
}

function definitionColumns(d: ReportDefinition) {
  return {
    code: d.code,
    nameZh: d.nameZh,
    nameEn: d.nameEn,
    category: d.category,
    cadence: d.cadence,
    dueAfterWorkingDays: d.due?.afterWorkingDays ?? null,
    dueTime: d.due?.time ?? null,
    ownerDept: d.ownerDept,
    sourceKind: d.source.kind,
    source: d.source.kind === 'own' ? d.source.source : d.source.feed,
  };
}

interface DefinitionRow {
  id: number;
  code: string;
  version: number;
  nameZh: string;
  nameEn: string;
  category: string;
  cadence: Cadence;
  dueAfterWorkingDays: number | null;
  dueTime: string | null;
  ownerDept: string;
  sourceKind: 'own' | 'feed';
  source: string;
  validFrom: string;
  since: string;
}

const toStored = (r: DefinitionRow): StoredDefinition => ({
  id: Number(r.id),
  code: r.code,
  version: Number(r.version),
  nameZh: r.nameZh,
  nameEn: r.nameEn,
  category: r.category,
  cadence: r.cadence,
  due: r.dueAfterWorkingDays === null || r.dueTime === null ? null : { afterWorkingDays: Number(r.dueAfterWorkingDays), time: r.dueTime },
  ownerDept: r.ownerDept,
  sourceKind: r.sourceKind,
  source: r.source,
  validFrom: r.validFrom,
  since: r.since,
});

const CURRENT = sql`SELECT DISTINCT ON (d.code) d.id, d.code, d.version, d.name_zh AS "nameZh", d.name_en AS "nameEn", d.category, d.cadence,
         d.due_after_working_days AS "dueAfterWorkingDays", d.due_time AS "dueTime", d.owner_dept AS "ownerDept",
         d.source_kind AS "sourceKind", d.source, d.valid_from::text AS "validFrom",
         (SELECT min(f.valid_from)::text FROM report_definitions f WHERE f.code = d.code) AS since
    FROM report_definitions d`;

/** The version in force of every report, in the catalogue's order (then by code for reports added later). */
export async function currentDefinitions(db: DbOrTx): Promise<StoredDefinition[]> {
  const list = (await rows<DefinitionRow>(db, sql`${CURRENT} ORDER BY d.code, d.version DESC`)).map(toStored);
  const order = new Map(REPORT_CATALOGUE.map((d, i) => [d.code, i]));
  return list.sort((a, b) => (order.get(a.code) ?? 1e6) - (order.get(b.code) ?? 1e6) || a.code.localeCompare(b.code));
}

/** The version in force of one report, or null. */
export async function currentDefinition(db: DbOrTx, code: string): Promise<StoredDefinition | null> {
  const [r] = await rows<DefinitionRow>(db, sql`${CURRENT} WHERE d.code = ${code} ORDER BY d.code, d.version DESC`);
  return r ? toStored(r) : null;
}
