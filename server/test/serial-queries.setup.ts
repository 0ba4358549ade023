import { appendFileSync } from 'node:fs';
import pg from 'pg';
import { afterEach, expect } from 'vitest';

/**
 * Every PostgreSQL test runs with this guard: a query sent on a connection that is still busy with
 * another (a `Promise.all` of queries on one transaction, a look-up issued while a COPY streams)
 * fails the test, naming both statements. node-postgres 8 queues such a query and warns ("Calling
 * client.query() when the client is already executing a query is deprecated and will be removed in
 * pg@9.0"); pg 9 refuses it, so each of these is a failure waiting for an upgrade. Pool queries
 * are not affected: each takes a connection of its own.
 *
 * SERIAL_QUERIES_LOG=<file> lists them there instead of failing (to survey a suite).
 */

interface Busy {
  /** node-postgres 8's own field (its `activeQuery` getter is itself deprecated). */
  _activeQuery?: { text?: string } | null;
  _queryQueue?: unknown[];
  pipeline?: boolean;
}

const found: string[] = [];
const logTo = process.env.SERIAL_QUERIES_LOG;
const proto = pg.Client.prototype as unknown as { query: (...args: unknown[]) => unknown; __serialGuard?: boolean };

const textOf = (q: unknown): string => {
  if (typeof q === 'string') return q;
  const o = q as { text?: string; constructor?: { name?: string } } | null;
  return o?.text ?? o?.constructor?.name ?? String(q);
};
const short = (s: string | undefined) => (s ?? '?').replace(/\s+/g, ' ').slice(0, 160);

if (!proto.__serialGuard) {
  proto.__serialGuard = true;
  const query = proto.query;
  proto.query = function (this: Busy, ...args: unknown[]) {
    if (!this.pipeline && (this._activeQuery || (this._queryQueue?.length ?? 0) > 0)) {
      const line = `${short(textOf(args[0]))}  ⟵ sent while busy with: ${short(textOf(this._activeQuery))}`;
      if (logTo) appendFileSync(logTo, `${expect.getState().testPath ?? '?'} :: ${expect.getState().currentTestName ?? '?'} :: ${line}\n`);
      else found.push(line);
    }
    return query.apply(this, args);
  };
}

afterEach(() => {
  if (found.length === 0) return;
  const list = found.splice(0);
  throw new Error(`${list.length} quer${list.length === 1 ? 'y was' : 'ies were'} sent on a connection still busy with another (pg 9 refuses this):\n${list.slice(0, 5).join('\n')}`);
});
