import { sql } from 'drizzle-orm';
import { z } from 'zod';
import { intArray, textArray } from '../../db/arrays.js';
import { type DbOrTx, rows } from '../../db/client.js';
import type { AuthContext } from '../access/context.js';
import { isValidUscc, normaliseUscc } from '../customers/ids.rules.js';
import type { RowError, Text2 } from '../imports/import-spec.js';
import { type CellRaw, cellText, excelSerialToDate, halfWidth, normCode } from '../imports/normalize.js';
import { mayWork, type ProjectRow, projectSelect, visibleProjects } from './projects.access.js';
import type { ActivityKind, MemberRole } from './projects.rules.js';

/**
 * What the three project imports share (issue 13): how a row names a target unit, a project and an
 * activity, a Beijing date-time cell, and the Chinese words of roles and activity kinds.
 */

/** A unit, project or activity named in a cell: its id (digits) or its code (USCC, 活动编号). */
export type Ref = { id: number } | { code: string };

/** Digits are an id; anything else a code (a USCC is normalised, capitals). */
export const refCell = () =>
  z.preprocess(
    (v: unknown) => {
      const c = normCode(v as CellRaw);
      if (!c) return undefined;
      if (/^\d{1,9}$/.test(c)) return { id: Number(c) };
      const u = normaliseUscc(c);
      return { code: isValidUscc(u) ? u : c.toUpperCase() };
    },
    z.union([z.object({ id: z.number().int().min(1) }), z.object({ code: z.string().min(1).max(64) })]),
  );

export const refText = (r: Ref) => ('id' in r ? String(r.id) : r.code);

/**
 * A date and time in Beijing time → ISO with +08:00: `2026-12-10 14:30`, `2026/12/10 14:30:00`,
 * `2026年12月10日 14:30`, an Excel date-time (a serial number, or a Date the reader gives as wall
 * clock in UTC). A date alone is midnight.
 */
export function parseBeijingDateTime(raw: CellRaw | undefined): string | null | undefined {
  if (raw === null || raw === undefined) return null;
  const pad = (n: number) => String(n).padStart(2, '0');
  const at = (ymd: string, h: number, m: number) => (h < 24 && m < 60 ? `${ymd}T${pad(h)}:${pad(m)}:00+08:00` : undefined);
  if (raw instanceof Date) {
    if (Number.isNaN(raw.getTime())) return undefined;
    return at(`${raw.getUTCFullYear()}-${pad(raw.getUTCMonth() + 1)}-${pad(raw.getUTCDate())}`, raw.getUTCHours(), raw.getUTCMinutes());
  }
  if (typeof raw === 'number') {
    const day = excelSerialToDate(raw);
    if (!day) return undefined;
    const minutes = Math.round((raw - Math.floor(raw)) * 1440);
    return at(day, Math.floor(minutes / 60), minutes % 60);
  }
  const text = cellText(raw);
  if (text === null) return null;
  const s = halfWidth(text).trim();
  const m = /^(\d{4})(?:[-/.]|年)(\d{1,2})(?:[-/.]|月)(\d{1,2})日?(?:[\sT]+(\d{1,2})[:：](\d{2})(?::\d{2})?)?$/.exec(s);
  if (!m) return undefined;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const probe = new Date(Date.UTC(y, mo - 1, d));
  if (probe.getUTCFullYear() !== y || probe.getUTCMonth() !== mo - 1 || probe.getUTCDate() !== d) return undefined;
  return at(`${y}-${pad(mo)}-${pad(d)}`, Number(m[4] ?? 0), Number(m[5] ?? 0));
}
export const dateTimeCell = () => z.preprocess((v: unknown) => parseBeijingDateTime(v as CellRaw), z.string());
export const DATETIME_INVALID: Text2 = { zh: '应为日期时间，如 2026-12-10 14:30（北京时间）', en: 'a date and time such as 2026-12-10 14:30 (Beijing time)' };

/** Team roles as a branch writes them. */
export const ROLE_WORDS: Record<string, MemberRole> = {
  组长: 'leader',
  项目组长: 'leader',
  负责人: 'leader',
  对公客户经理: 'corporate_am',
  公司客户经理: 'corporate_am',
  个人客户经理: 'personal_am',
  零售客户经理: 'personal_am',
  产品经理: 'product_manager',
  网点客户经理: 'outlet_am',
  协办网点客户经理: 'outlet_am',
  leader: 'leader',
  corporate_am: 'corporate_am',
  personal_am: 'personal_am',
  product_manager: 'product_manager',
  outlet_am: 'outlet_am',
};
export const ROLE_INVALID: Text2 = {
  zh: '应为 组长、对公客户经理、个人客户经理、产品经理 或 网点客户经理',
  en: 'leader, corporate_am, personal_am, product_manager or outlet_am',
};

/** Activity kinds (Art. 11) as a branch writes them. */
export const KIND_WORDS: Record<string, ActivityKind> = {
  介绍会: 'introduction',
  推介会: 'introduction',
  业务介绍: 'introduction',
  上门拜访: 'visit',
  拜访: 'visit',
  理财沙龙: 'salon',
  沙龙: 'salon',
  路演: 'roadshow',
  财富报告会: 'wealth_report',
  财富报告: 'wealth_report',
  introduction: 'introduction',
  visit: 'visit',
  salon: 'salon',
  roadshow: 'roadshow',
  wealth_report: 'wealth_report',
};
export const KIND_INVALID: Text2 = { zh: '应为 介绍会、上门拜访、理财沙龙、路演 或 财富报告会', en: 'introduction, visit, salon, roadshow or wealth_report' };

export const addError = (errors: Map<number, RowError[]>, row: number, e: RowError) => errors.set(row, [...(errors.get(row) ?? []), e]);

/**
 * The projects named in a file that the caller reads: by id, or by the target unit's USCC (its
 * active projects — one, or the row must give the project's id).
 */
export async function projectsByRef(db: DbOrTx, auth: AuthContext, refs: readonly Ref[]) {
  const ids = [...new Set(refs.flatMap((r) => ('id' in r ? [r.id] : [])))];
  const codes = [...new Set(refs.flatMap((r) => ('code' in r ? [r.code] : [])))];
  const found =
    ids.length || codes.length
      ? await rows<ProjectRow & { uscc: string }>(
          db,
          sql`SELECT x.*, c2.uscc FROM (${projectSelect(auth)} WHERE ${visibleProjects(auth)}
          AND (p.id = ANY(${intArray(ids)}::int[]) OR (p.status = 'active' AND c.uscc = ANY(${textArray(codes)}::text[])))) x
          JOIN corporate_clients c2 ON c2.id = x."companyId"`,
        )
      : [];
  const byId = new Map(found.map((p) => [p.id, p]));
  const byUscc = new Map<string, ProjectRow[]>();
  for (const p of found) if (p.status === 'active') byUscc.set(p.uscc, [...(byUscc.get(p.uscc) ?? []), p]);
  /** The project a row names, or why not (the same words for unknown and out of scope). */
  return (ref: Ref): { p: ProjectRow } | { error: Text2 & { code: string } } => {
    const list = 'id' in ref ? (byId.has(ref.id) ? [byId.get(ref.id)!] : []) : (byUscc.get(ref.code) ?? []);
    if (list.length > 1)
      return { error: { code: 'IMPORT.REFERENCE', zh: `单位 ${refText(ref)} 有多个进行中的项目，请填写项目编号`, en: `${refText(ref)} has several active projects: give the project id` } };
    const p = list[0];
    if (!p || !mayWork(auth, p)) return { error: { code: 'IMPORT.REFERENCE', zh: `项目 ${refText(ref)} 不存在或不在您的工作范围内`, en: `project ${refText(ref)} unknown or outside your work` } };
    if (p.status !== 'active') return { error: { code: 'PROJECT.CLOSED', zh: `项目 ${refText(ref)} 已结束`, en: `project ${refText(ref)} is closed` } };
    return { p };
  };
}
