import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import pg from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import { type Database, openDatabase } from '../server/db/client.js';

/** The benches' PostgreSQL plumbing: a fresh database per section, COPY of generated lines. */

/** Lines for sales [from, to) in ~1 MB string chunks. */
export function* lineChunks(from: number, to: number, emit: (i: number, out: string[]) => void): Generator<string> {
  let buf: string[] = [];
  for (let i = from; i < to; i++) {
    emit(i, buf);
    if (buf.length >= 8192) {
      yield buf.join('');
      buf = [];
    }
  }
  if (buf.length) yield buf.join('');
}

export const lines = (from: number, to: number, emit: (i: number, out: string[]) => void): Readable => Readable.from(lineChunks(from, to, emit));

export async function copy(pool: pg.Pool, statement: string, source: Readable): Promise<void> {
  const client = await pool.connect();
  try {
    await pipeline(source, client.query(copyFrom(statement)));
  } finally {
    client.release();
  }
}

export async function freshPg(base: string, name: string, poolSize = 4): Promise<Database> {
  name = `${name}${process.env.BENCH_DB_SUFFIX ?? ''}`;
  const admin = new pg.Client({ connectionString: base });
  await admin.connect();
  await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
  const u = new URL(base);
  u.pathname = `/${name}`;
  return openDatabase({ url: u.toString(), poolSize });
}
