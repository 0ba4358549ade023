import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import pg from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import type { DbOrTx } from './client.js';

/**
 * The node-postgres connection a drizzle transaction runs on, or null (PGlite, or a pooled handle
 * outside a transaction, whose statements may each take another connection). A COPY sent on it is
 * part of the transaction: it commits or rolls back with everything else (decision 0050).
 */
export function copyClient(tx: DbOrTx): pg.ClientBase | null {
  const client = (tx as unknown as { session?: { client?: unknown } }).session?.client;
  return client instanceof pg.Client ? client : null;
}

/** NULL in COPY text. */
export const COPY_NULL = '\\N';

/** One value as COPY text: backslash, tab and line ends escaped. */
export function copyText(s: string): string {
  return /[\\\t\n\r]/.test(s) ? s.replace(/\\/g, '\\\\').replace(/\t/g, '\\t').replace(/\n/g, '\\n').replace(/\r/g, '\\r') : s;
}

/** COPY … FROM STDIN of text lines (each ending in \n) on the transaction's own connection. */
export async function copyLines(client: pg.ClientBase, statement: string, lines: readonly string[]): Promise<void> {
  if (lines.length === 0) return;
  // Chunks of a few thousand lines: one write each, not one per line, and no single huge string.
  const chunks: string[] = [];
  for (let i = 0; i < lines.length; i += 2000) chunks.push(lines.slice(i, i + 2000).join(''));
  await copyChunks(client, statement, chunks);
}

/** COPY … FROM STDIN of chunks of lines, read as the connection takes them (a generator may compute them meanwhile). */
export async function copyChunks(client: pg.ClientBase, statement: string, chunks: Iterable<string>): Promise<void> {
  await pipeline(Readable.from(chunks), client.query(copyFrom(statement)));
}
