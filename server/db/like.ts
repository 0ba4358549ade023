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
 *
 * The recheck is `strpos` (decision 0051), which no index serves and whose selectivity the planner
 * takes as a third: it under-estimated a long fragment (its bigrams, and a long LIKE pattern, taken as
 * rare), chose the trigram index and computed `name_bigrams(name)` (~20 µs) on every candidate as a
 * filter, or scanned every match to sort them where a walk in key order stops after a page.
 */
export function bigramContains(column: SQL, text: string): SQL {
  return [...text].length >= 2 ? sql`name_bigrams(${column}) @> name_bigrams(${text}::text) AND ${containsUnindexed(column, text)}` : containsUnindexed(column, text);
}

/**
 * The same match as `bigramContains` with no index able to serve it (decision 0051): for a page
 * walked in primary-key order when the fragment is known to be common, which stops after the page's
 * rows. The text is taken literally (no LIKE pattern); lower-cased on both sides when it has Latin
 * letters, as ILIKE does.
 */
export function containsUnindexed(column: SQL, text: string): SQL {
  return /[A-Za-z]/.test(text) ? sql`strpos(lower(${column}), lower(${text}::text)) > 0` : sql`strpos(${column}, ${text}::text) > 0`;
}
