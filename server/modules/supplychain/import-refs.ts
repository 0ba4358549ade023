import { sql } from 'drizzle-orm';
import { type DbOrTx, rows } from '../../db/client.js';
import { canAt, type AuthContext } from '../access/context.js';
import type { RowError } from '../imports/import-spec.js';
import { PROGRAMME_COLS, type ProgrammeRow } from './supplychain.access.js';

/** Look-ups the supply-chain imports share: programmes by 方案编号, checked against the caller's scope. */

export async function programmesByCode(db: DbOrTx, codes: string[]): Promise<Map<string, ProgrammeRow>> {
  const list = codes.length
    ? await rows<ProgrammeRow>(db, sql`SELECT ${PROGRAMME_COLS} FROM sc_programmes p JOIN org_nodes n ON n.id = p.node_id WHERE p.code IN (${sql.join([...new Set(codes)], sql`, `)})`)
    : [];
  return new Map(list.map((p) => [p.code, p]));
}

/** The programme of a row, or the error naming its cell (unknown, or outside the caller's scope — the same words). */
export function programmeOrError(known: Map<string, ProgrammeRow>, code: string, auth: AuthContext): ProgrammeRow | RowError {
  const p = known.get(code);
  if (!p || !canAt(auth, 'supplychain.manage', p.nodePath))
    return { column: 'programmeCode', zh: `方案编号 ${code} 不存在或不在您的管辖范围内`, en: `${code} is not a programme in your scope`, code: 'SC.PROGRAMME_NOT_FOUND' };
  return p;
}

export const PROGRAMME_COLUMN = {
  key: 'programmeCode',
  header: '方案编号',
  headerEn: 'Programme code',
  required: true,
  example: 'TQ-2026',
  text: true,
  width: 12,
  invalid: { zh: '应为方案编号', en: 'a programme code' },
} as const;
