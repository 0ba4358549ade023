import type { FormInstance } from 'antd';
import { ApiError } from '../api/client';
import type { MessageKey } from '../locales';

type Translate = (key: MessageKey, vars?: Record<string, string | number>) => string;
type NamePath = (string | number)[];

/** One field error as the server sends it (server/http/errors.plugin.ts issueFacts). */
export interface FieldIssue {
  path: string;
  message?: string;
  code?: string;
  minimum?: number | string;
  maximum?: number | string;
  origin?: string;
  keys?: string[];
}

/** The allowed range a form states for a field, e.g. 公示期 [1, 31, '天']. */
export type Range = readonly [min: number | string, max: number | string, unit?: string];

export interface MapOptions {
  /** Turn the server's path (without `body.`) into the form's field name; null drops it. */
  fieldOf?: (path: NamePath) => NamePath | null;
  /** Ranges by top-level field name, said in the message ("允许范围 1–31 天"). */
  ranges?: Record<string, Range>;
}

/** The field issues in an API error (400 REQUEST.INVALID, or a domain error with a field list). */
export function fieldIssuesOf(err: unknown): FieldIssue[] {
  if (!(err instanceof ApiError) || !Array.isArray(err.details)) return [];
  return err.details.filter((d): d is FieldIssue => !!d && typeof d === 'object' && typeof (d as FieldIssue).path === 'string');
}

/** `body.departments.0.ratio` → ['departments', 0, 'ratio'] (the request part dropped). */
export function namePathOf(path: string): NamePath {
  const parts = path.split('.').filter(Boolean);
  if (['body', 'querystring', 'params'].includes(parts[0] ?? '')) parts.shift();
  return parts.map((p) => (/^\d+$/.test(p) ? Number(p) : p));
}

/** One issue said in the person's language, with the allowed range where the form states one. */
export function issueText(issue: FieldIssue, t: Translate, range?: Range): string {
  if (range && (issue.code === 'too_big' || issue.code === 'too_small')) return t('forms.range', { min: range[0], max: range[1], unit: range[2] ?? '' }).trim();
  const kind = issue.origin === 'string' ? 'String' : issue.origin === 'array' || issue.origin === 'set' ? 'Array' : 'Number';
  switch (issue.code) {
    case 'too_big':
      return t(`forms.tooBig${kind}` as MessageKey, { max: issue.maximum ?? '' });
    case 'too_small':
      if (kind === 'String' && Number(issue.minimum) === 1) return t('forms.required');
      return t(`forms.tooSmall${kind}` as MessageKey, { min: issue.minimum ?? '' });
    case 'invalid_type':
      return /received undefined|received null/.test(issue.message ?? '') ? t('forms.required') : t('forms.invalidType');
    case 'invalid_format':
      return t('forms.invalidFormat');
    case 'invalid_value':
      return t('forms.invalidValue');
    case 'not_multiple_of':
      return t('forms.tooPrecise');
    case 'unrecognized_keys':
      return t('forms.unknownField', { keys: (issue.keys ?? []).join('、') });
    default:
      return issue.message ?? t('forms.invalidFormat');
  }
}

/**
 * Puts the server's field errors onto the form's fields (issue 12: "errors a person understands"),
 * in the person's language with the allowed range, and scrolls to the first. Returns the issues
 * no field of the form shows, so the caller can say them above the form; an error with no field
 * issues at all is left to the API client's message.
 */
export function applyServerErrors(form: FormInstance, err: unknown, t: Translate, opts: MapOptions = {}): FieldIssue[] {
  const issues = fieldIssuesOf(err);
  const fields: { name: NamePath; errors: string[] }[] = [];
  const unplaced: FieldIssue[] = [];
  for (const issue of issues) {
    const raw = namePathOf(issue.path);
    const name = opts.fieldOf ? opts.fieldOf(raw) : raw;
    const top = name?.[0];
    if (!name || name.length === 0) {
      unplaced.push(issue);
      continue;
    }
    const text = issueText(issue, t, typeof top === 'string' ? opts.ranges?.[top] : undefined);
    const same = fields.find((f) => f.name.join('.') === name.join('.'));
    if (same) same.errors.push(text);
    else fields.push({ name, errors: [text] });
  }
  if (fields.length > 0) {
    form.setFields(fields);
    form.scrollToField(fields[0].name, { block: 'center' });
  }
  return unplaced;
}

export interface SaveErrorOptions extends MapOptions {
  /** A domain error that belongs to one field, by code (e.g. CUSTOMER.USCC_TAKEN → uscc): its message goes there. */
  codeFields?: Record<string, NamePath | string>;
}

/**
 * What a form does when its save fails (the mutation is `silent`): the server's field issues on
 * their fields (applyServerErrors), a domain error naming one field on that field, and whatever no
 * field can show said once through `say` (a message) — never a toast for an error a field shows.
 */
export function showSaveError(form: FormInstance, err: unknown, t: Translate, say: (text: string) => void, opts: SaveErrorOptions = {}): void {
  const issues = fieldIssuesOf(err);
  const unplaced = applyServerErrors(form, err, t, opts);
  if (issues.length > 0) {
    if (unplaced.length > 0) say(unplaced.map((i) => issueText(i, t)).join('；'));
    return;
  }
  const code = err instanceof ApiError ? err.code : undefined;
  const field = code ? opts.codeFields?.[code] : undefined;
  const text = err instanceof Error ? err.message : String(err);
  if (field !== undefined) {
    const name = Array.isArray(field) ? field : [field];
    form.setFields([{ name, errors: [text] }]);
    form.scrollToField(name, { block: 'center' });
    return;
  }
  say(text);
}
