import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { overloadCode } from '../db/limits.js';
import { isPeriodLockedError } from '../modules/periods/period-lock.js';
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

/** One error shape for every failure: `{ error: { code, message, details? } }`, no stack traces. */
export function registerErrorHandling(app: FastifyInstance) {
  app.setErrorHandler((error: FastifyError, req, reply) => {
    const lang = req.lang ?? langOf(req);
    if (error instanceof AppError) return sendError(reply, lang, error);
    if (hasZodFastifySchemaValidationErrors(error)) {
      const details = error.validation.map((v) => ({
        path: [error.validationContext, ...String(v.instancePath ?? '').split('/').filter(Boolean)].filter(Boolean).join('.'),
        message: v.message,
        keys: (v.params as { issue?: { keys?: string[] } } | undefined)?.issue?.keys,
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
    const mapped = error.code ? FASTIFY_CODES[error.code] : undefined;
    if (mapped) return sendError(reply, lang, new AppError(mapped));
    if (error.statusCode && error.statusCode >= 400 && error.statusCode < 500) {
      return sendError(reply, lang, new AppError(error.statusCode === 413 ? 'REQUEST.TOO_LARGE' : 'REQUEST.MALFORMED'));
    }
    req.log.error({ err: error }, 'unhandled error');
    return sendError(reply, lang, new AppError('INTERNAL'));
  });
}
