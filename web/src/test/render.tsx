import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { render } from '@testing-library/react';
import { App as AntApp, ConfigProvider } from 'antd';
import type { ReactElement } from 'react';
import { vi } from 'vitest';
import { I18nProvider } from '../locales';

/** One request the console made to the mocked API. */
export interface Call {
  method: string;
  path: string;
  query: URLSearchParams;
  body: unknown;
}

/** An error answer of the mocked API: `{ error: { code, message, details? } }` with its status. */
export class Fail {
  constructor(
    readonly status: number,
    readonly code: string,
    readonly message: string,
    readonly details?: unknown,
  ) {}
}

/** `'GET /quotas'` → the JSON answer, or a function of the call. Unlisted routes answer 404. */
export type Routes = Record<string, ((call: Call) => unknown) | object | null>;

/**
 * Mocks the API at `fetch` (the console's one client, api/client.ts) and returns the calls made,
 * so a test asserts both what the page shows and what it sent.
 */
export function mockApi(routes: Routes): Call[] {
  const calls: Call[] = [];
  vi.stubGlobal(
    'fetch',
    vi.fn(async (input: string, init: RequestInit = {}) => {
      const url = new URL(input, 'http://localhost');
      const method = init.method ?? 'GET';
      const call: Call = { method, path: url.pathname.replace(/^\/api/, ''), query: url.searchParams, body: typeof init.body === 'string' ? JSON.parse(init.body) : init.body };
      calls.push(call);
      const key = `${method} ${call.path}`;
      if (!(key in routes)) return new Response(JSON.stringify({ error: { code: 'NOT_FOUND', message: key } }), { status: 404 });
      const answer = routes[key];
      const body = typeof answer === 'function' ? (answer as (c: Call) => unknown)(call) : answer;
      if (body instanceof Fail)
        return new Response(JSON.stringify({ error: { code: body.code, message: body.message, ...(body.details === undefined ? {} : { details: body.details }) } }), {
          status: body.status,
          headers: { 'content-type': 'application/json' },
        });
      return body === undefined ? new Response(null, { status: 204 }) : new Response(JSON.stringify(body), { status: 200, headers: { 'content-type': 'application/json' } });
    }),
  );
  return calls;
}

/** Renders a console component with what the app shell gives it: queries, i18n (Chinese), antd's App. */
export function renderPage(ui: ReactElement) {
  const client = new QueryClient({ defaultOptions: { queries: { retry: false }, mutations: { retry: false } } });
  return render(
    <QueryClientProvider client={client}>
      <I18nProvider>
        <ConfigProvider theme={{ token: { motion: false } }}>
          <AntApp>{ui}</AntApp>
        </ConfigProvider>
      </I18nProvider>
    </QueryClientProvider>,
  );
}
