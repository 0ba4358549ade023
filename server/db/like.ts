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
