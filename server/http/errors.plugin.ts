import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { overloadCode } from '../db/limits.js';
import { isPeriodLockedError } from '../db/period-lock.js';
import { hasZodFastifySchemaValidationErrors } from 'fastify-type-provider-zod';
import type { ErrorCode, Lang } from '../../shared/errors.js';
import { AppError, messageOf } from '../errors.js';

/** Picks the caller's language: `lang` cookie, then Accept-Language; Chinese by default. */
export function langOf(req: FastifyRequest): Lang {
  const cookie = (req.cookies as Record<string, string | undefined> | undefined)?.lang;
  if (cookie === 'en' || cookie === 'zh-CN') return cookie;
  const header = req.headers['accept-language'];
  if (typeof header === 'string' && /^en\b/i.test(header.trim())) return 'en';
  return 'zh-CN';
}

export function sendError(reply: FastifyReply, lang: Lang, err: AppError) {
  return reply.status(err.status).send({
    error: { code: err.code, message: messageOf(err.code, lang, err.text), ...(err.details === undefined ? {} : { details: err.details }) },
  });
}

/** Seconds a client should wait before retrying after 503 SYSTEM.BUSY / SYSTEM.TIMEOUT. */
export const RETRY_AFTER_SECONDS = 5;

// Fastify's own codes for bad input, mapped to ours: none of them may become a 500.
const FASTIFY_CODES: Record<string, ErrorCode> = {
  FST_ERR_CTP_INVALID_JSON_BODY: 'REQUEST.MALFORMED',
  FST_ERR_CTP_EMPTY_JSON_BODY: 'REQUEST.MALFORMED',
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: 'REQUEST.MALFORMED',
  FST_ERR_CTP_INVALID_MEDIA_TYPE: 'REQUEST.UNSUPPORTED_MEDIA',
  FST_ERR_CTP_BODY_TOO_LARGE: 'REQUEST.TOO_LARGE',
  FST_REQ_FILE_TOO_LARGE: 'IMPORT.TOO_LARGE',
  FST_PARTS_LIMIT: 'REQUEST.TOO_LARGE',
  FST_FILES_LIMIT: 'REQUEST.TOO_LARGE',
  FST_INVALID_MULTIPART_CONTENT_TYPE: 'IMPORT.NO_FILE',
  FST_ERR_VALIDATION: 'REQUEST.INVALID',
};

/**
 * The SQLSTATE of a database error, looking through Drizzle's wrapper (DrizzleQueryError keeps the
 * driver's error in `cause`).
 */
export function sqlState(e: unknown): string | null {
  for (let x = e, depth = 0; x && typeof x === 'object' && depth < 5; x = (x as { cause?: unknown }).cause, depth++) {
    const code = (x as { code?: unknown }).code;
    if (typeof code === 'string' && /^[0-9A-Z]{5}$/.test(code)) return code;
  }
  return null;
}

/**
 * What a log line may say about an error: never the SQL text or its parameters (decision 0022).
 * Drizzle puts both into the message (`Failed query: … params: …`), and PostgreSQL's own message
 * and detail may quote a value; for database errors only the SQLSTATE and the schema names are kept.
 */
export type SerializedError = { [key: string]: unknown; type: string; message: string; stack: string };
export function serializeError(err: unknown, depth = 0): SerializedError {
  if (!err || typeof err !== 'object' || depth > 4) return { type: typeof err, message: typeof err === 'string' ? err : '', stack: '' };
  const e = err as Error & Record<string, unknown>;
  const type = e.constructor?.name ?? 'Error';
  const state = typeof e.code === 'string' && /^[0-9A-Z]{5}$/.test(e.code) ? e.code : null;
  const fromDb = type === 'DrizzleQueryError' || 'query' in e || state !== null;
  const message = type === 'DrizzleQueryError' ? 'database query failed' : state ? `database error ${state}` : String(e.message ?? '');
  const frames = typeof e.stack === 'string' ? e.stack.split('\n').filter((l) => /^\s+at /.test(l)) : [];
  const out: SerializedError = { type, message, stack: [`${type}: ${message}`, ...frames].join('\n') };
  if (e.code !== undefined) out.code = e.code;
  if (typeof e.statusCode === 'number') out.statusCode = e.statusCode;
  if (fromDb) {
    for (const k of ['severity', 'schema', 'table', 'column', 'constraint', 'routine']) if (typeof e[k] === 'string') out[k] = e[k];
  } else if (e.validation) out.validation = e.validation;
  if (e.cause) out.cause = serializeError(e.cause, depth + 1);
  return out;
}

/** What zod says about a failed field, beyond its English message. */
interface ZodIssueFacts {
  code?: string;
  keys?: string[];
  minimum?: unknown;
  maximum?: unknown;
  origin?: string;
  format?: string;
}

/**
 * The facts of a field error a form needs to say it in the person's language (issue 12: "the
 * allowed range, e.g. 公示期 1–31 天"): the zod issue code, the bound it broke and of what kind
 * (number, string length, array size). Bigint bounds are sent as text.
 */
export function issueFacts(issue: ZodIssueFacts | undefined): Record<string, unknown> {
  if (!issue) return {};
  const bound = (b: unknown) => (typeof b === 'bigint' ? String(b) : typeof b === 'number' || typeof b === 'string' ? b : undefined);
  const out: Record<string, unknown> = {};
  if (issue.code) out.code = issue.code;
  if (issue.keys) out.keys = issue.keys;
  if (bound(issue.minimum) !== undefined) out.minimum = bound(issue.minimum);
  if (bound(issue.maximum) !== undefined) out.maximum = bound(issue.maximum);
  if (issue.origin) out.origin = issue.origin;
  if (issue.format) out.format = issue.format;
  return out;
}

/** One error shape for every failure: `{ error: { code, message, details? } }`, no stack traces. */
export function registerErrorHandling(app: FastifyInstance) {
  app.setErrorHandler((error: FastifyError, req, reply) => {
    const lang = req.lang ?? langOf(req);
    if (error instanceof AppError) return sendError(reply, lang, error);
    if (hasZodFastifySchemaValidationErrors(error)) {
      const details = error.validation.map((v) => ({
        path: [
          error.validationContext,
          ...String(v.instancePath ?? '')
            .split('/')
            .filter(Boolean),
        ]
          .filter(Boolean)
          .join('.'),
        message: v.message,
        // fastify-type-provider-zod puts the zod issue's code in `keyword` and the rest in `params`.
        ...issueFacts({ ...(v.params as ZodIssueFacts | undefined), code: v.keyword }),
      }));
      return sendError(reply, lang, new AppError('REQUEST.INVALID', details));
    }
    if (error.statusCode === 429) return sendError(reply, lang, new AppError('REQUEST.RATE_LIMITED'));
    // The database refused a write into a locked month (migration 0012), wherever it came from.
    if (isPeriodLockedError(error)) return sendError(reply, lang, new AppError('PERIOD.LOCKED'));
    // No connection within the acquire timeout, or a statement cancelled by statement_timeout
    // (decision 0018): the caller may retry; say when, rather than a bare 500.
    const overload = overloadCode(error);
    if (overload) {
      req.log.warn({ err: error }, overload);
      reply.header('Retry-After', String(RETRY_AFTER_SECONDS));
      return sendError(reply, lang, new AppError(overload));
    }
    // Data exceptions (SQLSTATE class 22: a number out of range, text with a NUL, a malformed
    // value) are the caller's input that slipped past the edge checks: 400, never 500 (decision 0022).
    const state = sqlState(error);
    if (state?.startsWith('22')) {
      req.log.warn({ err: error }, 'database refused a value');
      return sendError(reply, lang, new AppError('REQUEST.VALUE_OUT_OF_RANGE', { sqlState: state }));
    }
    const mapped = error.code && Object.hasOwn(FASTIFY_CODES, error.code) ? FASTIFY_CODES[error.code] : undefined;
    if (mapped) return sendError(reply, lang, new AppError(mapped));
    if (error.statusCode && error.statusCode >= 400 && error.statusCode < 500) {
      return sendError(reply, lang, new AppError(error.statusCode === 413 ? 'REQUEST.TOO_LARGE' : 'REQUEST.MALFORMED'));
    }
    req.log.error({ err: error }, 'unhandled error');
    return sendError(reply, lang, new AppError('INTERNAL'));
  });
}
