import { sql, type SQL } from 'drizzle-orm';

/**
 * The scoring and ledger statements run one province at a time (issue 17 goal 6, decision 0043):
 * every read of a province-keyed table carries `province_id = p` and every write sends `p`. On
 * Citus that makes each statement a router query — all its shards in one co-located group, so
 * the whole INSERT … SELECT runs on one worker; on one PostgreSQL server it is one more equality
 * on a column every row of the province matches, and the row triggers that would look the key
 * up (0039, `WHEN province_id IS NULL`) do not fire. `null` (the read-only verifier, which reads
 * a scope that may span provinces) adds nothing and lets the triggers fill the key.
 *
 * `alias` is a literal of the calling statement, never user input.
 */
export function inProvince(alias: string, province: number | null): SQL {
  return province === null ? sql`` : sql` AND ${sql.raw(alias)}.province_id = ${province}::int`;
}

/** The province key a write sends: the province, or NULL for the fill trigger. */
export function provinceValue(province: number | null): SQL {
  return province === null ? sql`NULL::int` : sql`${province}::int`;
}

/** A condition on the sales `s` narrowed to one province: what each scoring statement scores. */
export function inProvinceOf(filter: SQL, province: number): SQL {
  return sql`(${filter}) AND s.province_id = ${province}::int`;
}
