import type { FastifyInstance } from 'fastify';
import { AppError } from '../errors.js';

/** Deepest nesting of objects/arrays accepted in a body or query (decision 0022). */
export const MAX_DEPTH = 32;

/** A NUL, or a UTF-16 surrogate that is not half of a pair: neither can be stored in PostgreSQL text. */
// eslint-disable-next-line no-control-regex -- matching the NUL character is the point of this pattern
const BAD_CHARACTER = /\u0000|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

export const hasBadCharacter = (s: string): boolean => BAD_CHARACTER.test(s);

/**
 * Throws 400 REQUEST.INVALID_CHARACTER when a text the caller sent (a multipart field or file
 * name, which arrive after the hook below) holds a NUL byte or a lone surrogate.
 */
export function assertCleanText(value: string, path: string): void {
  if (hasBadCharacter(value)) throw new AppError('REQUEST.INVALID_CHARACTER', { path });
}

/**
 * Walks a parsed input (body, query, params) and returns the first problem: a key or string with a
 * bad character, or nesting deeper than MAX_DEPTH. Never recurses past MAX_DEPTH + 1.
 */
export function inspect(value: unknown, path: string, depth = 0): AppError | null {
  if (typeof value === 'string') return hasBadCharacter(value) ? new AppError('REQUEST.INVALID_CHARACTER', { path }) : null;
  if (value === null || typeof value !== 'object') return null;
  if (depth >= MAX_DEPTH) return new AppError('REQUEST.TOO_DEEP', { path, maxDepth: MAX_DEPTH });
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      const problem = inspect(value[i], `${path}.${i}`, depth + 1);
      if (problem) return problem;
    }
    return null;
  }
  // Buffers and streams (a raw upload body) are not caller text.
  if (Buffer.isBuffer(value) || typeof (value as { pipe?: unknown }).pipe === 'function') return null;
  for (const key of Object.keys(value)) {
    const at = `${path}.${key}`;
    // The path names the key escaped (JSON), never with the raw character echoed back.
    if (hasBadCharacter(key)) return new AppError('REQUEST.INVALID_CHARACTER', { path: `${path}.${JSON.stringify(key)}` });
    const problem = inspect((value as Record<string, unknown>)[key], at, depth + 1);
    if (problem) return problem;
  }
  return null;
}

/**
 * The edge check for the whole class of hostile text (decision 0022): before any route's schema runs,
 * every string and key of the params, query and body is free of NUL bytes and lone surrogates, and
 * nothing is nested deeper than MAX_DEPTH — 400 with a stable code naming the field, never a 500
 * from the database further in.
 */
export function registerHostileInputGuard(app: FastifyInstance) {
  app.addHook('preValidation', async (req) => {
    const problem = inspect(req.params, 'params') ?? inspect(req.query, 'query') ?? inspect(req.body, 'body');
    if (problem) throw problem;
  });
}
