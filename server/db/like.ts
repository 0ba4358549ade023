import { type SQL, sql } from 'drizzle-orm';

/**
 * Patterns for LIKE / ILIKE built from user text (issue 10, finding 3a): the user's `%`, `_` and
 * `\` are matched literally (PostgreSQL's default escape character is `\`, with
 * standard_conforming_strings on, in PGlite too). Every LIKE that takes user text goes through here.
 */
export function escapeLike(text: string): string {
  return text.replace(/[\\%_]/g, (c) => `\\${c}`);
}

/** `%text%`: contains. */
export const likeContains = (text: string): string => `%${escapeLike(text)}%`;

/** `text%`: starts with. */
export const likePrefix = (text: string): string => `${escapeLike(text)}%`;

/**
 * A name contains `text`, served by a bigram GIN index on `name_bigrams(column)` (migration 0042,
 * decision 0047) for two characters or more: the fragment's bigrams must all be the name's, then
 * LIKE rechecks order and adjacency. ILIKE when the text has Latin letters (the bigrams are
 * lower-cased); Chinese has no case and LIKE is cheaper. One character has no bigram: LIKE alone.
 * The column must carry such an index (corporate_clients.name), or this is a slow filter.
 */
export function bigramContains(column: SQL, text: string): SQL {
  const like = /[A-Za-z]/.test(text) ? sql`${column} ILIKE ${likeContains(text)}` : sql`${column} LIKE ${likeContains(text)}`;
  return [...text].length >= 2 ? sql`name_bigrams(${column}) @> name_bigrams(${text}::text) AND ${like}` : like;
}
