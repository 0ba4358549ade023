import { ERRORS, type ErrorCode, type Lang } from '../shared/errors.js';

/** A failure the caller can act on: a stable code, an HTTP status, details for the UI. */
export class AppError extends Error {
  readonly status: number;
  constructor(
    readonly code: ErrorCode,
    readonly details?: unknown,
    /** Optional replacement text (both languages) for a more specific message. */
    readonly text?: { zh: string; en: string },
  ) {
    super(text?.en ?? ERRORS[code].en);
    this.status = ERRORS[code].status;
  }
}

/** The message of a code in the caller's language. */
export function messageOf(code: ErrorCode, lang: Lang, text?: { zh: string; en: string }): string {
  if (text) return lang === 'en' ? text.en : text.zh;
  return lang === 'en' ? ERRORS[code].en : ERRORS[code].zh;
}
