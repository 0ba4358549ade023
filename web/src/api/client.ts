/**
 * The one fetch wrapper of the console: sends the session cookie, adds the CSRF token on
 * state-changing requests, turns `{error:{code,message}}` into an ApiError (shown as an antd
 * message unless the caller handles it) and sends the person back to sign-in on 401, or to the
 * password change on 403 AUTH.PASSWORD_CHANGE_REQUIRED (a temporary password opens nothing else).
 */

export interface ApiErrorBody {
  code: string;
  message: string;
  details?: unknown;
}

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details?: unknown,
  ) {
    super(message);
  }
}

type Notify = (text: string) => void;

let csrfToken = '';
let notifyError: Notify = (text) => console.error(text);
let onUnauthorized: (code: string, message: string) => void = () => undefined;
let onPasswordChangeRequired: () => void = () => undefined;

/** The server's answer to anything but the password change while the password is temporary. */
export const PASSWORD_CHANGE_REQUIRED = 'AUTH.PASSWORD_CHANGE_REQUIRED';

/** Remembered from `/api/auth/me` or the sign-in answer. */
export function setCsrfToken(token: string) {
  csrfToken = token;
}

/** Wired by the app shell once antd's message API and the router exist. */
export function configureApi(opts: { notifyError?: Notify; onUnauthorized?: (code: string, message: string) => void; onPasswordChangeRequired?: () => void }) {
  if (opts.notifyError) notifyError = opts.notifyError;
  if (opts.onUnauthorized) onUnauthorized = opts.onUnauthorized;
  if (opts.onPasswordChangeRequired) onPasswordChangeRequired = opts.onPasswordChangeRequired;
}

export interface RequestOptions {
  method?: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  body?: unknown;
  query?: Record<string, string | number | boolean | undefined | null>;
  /** Do not show an antd message for an error: the caller shows it in place. */
  silent?: boolean;
  /** Do not redirect to sign-in on 401 (the sign-in page itself, the first /me). */
  noRedirect?: boolean;
}

/** Builds `/api/...?a=1` leaving out empty filters. */
export function apiUrl(path: string, query?: RequestOptions['query']): string {
  const qs = new URLSearchParams();
  for (const [k, v] of Object.entries(query ?? {})) {
    if (v === undefined || v === null || v === '') continue;
    qs.set(k, String(v));
  }
  const s = qs.toString();
  return `/api${path}${s ? `?${s}` : ''}`;
}

async function errorOf(res: Response): Promise<ApiError> {
  try {
    const body = (await res.json()) as { error?: ApiErrorBody };
    if (body?.error) return new ApiError(res.status, body.error.code, body.error.message, body.error.details);
  } catch {
    // not JSON: fall through
  }
  return new ApiError(res.status, 'HTTP', `HTTP ${res.status} ${res.statusText}`);
}

function headersFor(method: string, hasJson: boolean): Record<string, string> {
  const h: Record<string, string> = { accept: 'application/json' };
  if (hasJson) h['content-type'] = 'application/json';
  if (method !== 'GET' && csrfToken) h['x-csrf-token'] = csrfToken;
  return h;
}

async function handle(res: Response, opts: RequestOptions): Promise<Response> {
  if (res.ok) return res;
  const err = await errorOf(res);
  if (res.status === 401 && !opts.noRedirect) {
    onUnauthorized(err.code, err.message);
  } else if (err.code === PASSWORD_CHANGE_REQUIRED) {
    onPasswordChangeRequired();
  } else if (!opts.silent) {
    notifyError(err.message);
  }
  throw err;
}

/** JSON request to the API; resolves to the parsed body (undefined for 204). */
export async function api<T>(path: string, opts: RequestOptions = {}): Promise<T> {
  const method = opts.method ?? 'GET';
  const hasJson = opts.body !== undefined;
  let res: Response;
  try {
    res = await fetch(apiUrl(path, opts.query), {
      method,
      credentials: 'same-origin',
      headers: headersFor(method, hasJson),
      body: hasJson ? JSON.stringify(opts.body) : undefined,
    });
  } catch (e) {
    const err = new ApiError(0, 'NETWORK', (e as Error).message);
    if (!opts.silent) notifyError(err.message);
    throw err;
  }
  await handle(res, opts);
  if (res.status === 204) return undefined as T;
  const text = await res.text();
  return (text ? JSON.parse(text) : undefined) as T;
}

/** Multipart upload (imports). */
export async function upload<T>(path: string, form: FormData, opts: RequestOptions = {}): Promise<T> {
  const res = await fetch(apiUrl(path, opts.query), {
    method: 'POST',
    credentials: 'same-origin',
    headers: headersFor('POST', false),
    body: form,
  });
  await handle(res, opts);
  return (await res.json()) as T;
}

/** Downloads a file from the API (Excel exports, templates, error reports) and saves it. */
export async function download(path: string, query?: RequestOptions['query'], fallbackName = 'download.xlsx'): Promise<void> {
  const res = await fetch(apiUrl(path, query), { credentials: 'same-origin', headers: { accept: '*/*' } });
  await handle(res, {});
  const blob = await res.blob();
  const name = fileNameOf(res.headers.get('content-disposition')) ?? fallbackName;
  const url = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = url;
  a.download = name;
  document.body.appendChild(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

/** `attachment; filename*=UTF-8''%E5...` or `filename="x.xlsx"`. */
export function fileNameOf(disposition: string | null): string | undefined {
  if (!disposition) return undefined;
  const star = /filename\*\s*=\s*(?:UTF-8'')?([^;]+)/i.exec(disposition);
  if (star) {
    try {
      return decodeURIComponent(star[1].trim().replace(/^"|"$/g, ''));
    } catch {
      // fall through to the plain name
    }
  }
  const plain = /filename\s*=\s*"?([^";]+)"?/i.exec(disposition);
  return plain?.[1];
}
