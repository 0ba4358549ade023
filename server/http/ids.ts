import { z } from 'zod';

/** The largest value of a PostgreSQL `integer` (int4) column: every row id and reference. */
export const INT4_MAX = 2_147_483_647;

/**
 * A row id in a path or query string (text, coerced): 1 … 2^31−1. Anything larger can never be a
 * row and would make PostgreSQL refuse the statement (22003), so it is refused at the edge with 400
 * REQUEST.INVALID like any other bad value (decision 0022).
 */
export const Id = z.coerce.number().int().min(1).max(INT4_MAX);

/** A row id (a reference) in a JSON body: a number, 1 … 2^31−1. */
export const IdIn = z.number().int().min(1).max(INT4_MAX);
