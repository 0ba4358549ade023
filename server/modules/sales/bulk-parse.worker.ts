import { createHash } from 'node:crypto';
import { parentPort, workerData } from 'node:worker_threads';
import { useClock } from '../../calendar/clock.js';
import { AppError } from '../../errors.js';
import type { ImportContext } from '../imports/import-spec.js';
import { type FileHead, NotUtf8 } from './bulk-csv.js';
import { heapBudget } from './bulk-memory.js';
import { parsedChunks } from './bulk-parse.js';

/**
 * The worker of a large bulk load (bulk-worker.ts starts it): reads and parses the file
 * (bulk-parse.ts, the same code as on the load's thread) while the load's thread checks and
 * COPYs the previous chunks — Node's two halves of the work on the machine's two cores.
 * A chunk is posted only when the load has room for it (one credit per chunk taken), so at most a
 * few chunks are ever in memory.
 */

export interface ParseJob {
  file: string;
  head: FileHead;
  ctx: ImportContext;
  chunkSize: number;
  /** The load's clock (ms): the ID number checks compare birth dates with today as the load sees it. */
  now: number;
  credits: number;
}

/** A failure as it crosses to the load's thread (an Error loses its class on the way). */
export type ParseFailure = { kind: 'notUtf8' } | { kind: 'app'; code: AppError['code']; details: unknown; text?: { zh: string; en: string } } | { kind: 'other'; message: string };

export type ParseMessage = { type: 'chunk'; chunk: import('./bulk-parse.js').ParsedChunk } | { type: 'end'; sha256: string } | { type: 'error'; failure: ParseFailure };

const job = workerData as ParseJob;
// The load's thread keeps its own budget; this heap holds a chunk or two. Checked once per chunk:
// per block of the file, a budget near the live size forced a full collection per block (GC 37 %).
heapBudget.limit(128 * 2 ** 20);
const port = parentPort!;
// The load's clock carried over (a test clock too): its instant at the start plus the time elapsed.
const startedAt = performance.now();
useClock({ now: () => new Date(job.now + (performance.now() - startedAt)) });

let credits = job.credits;
let wake: (() => void) | null = null;
port.on('message', () => {
  credits++;
  wake?.();
  wake = null;
});

const failureOf = (e: unknown): ParseFailure =>
  e instanceof NotUtf8 ? { kind: 'notUtf8' } : e instanceof AppError ? { kind: 'app', code: e.code, details: e.details, text: e.text } : { kind: 'other', message: (e as Error)?.message ?? String(e) };

try {
  const hash = createHash('sha256');
  for await (const chunk of parsedChunks(job.file, job.head, job.ctx, job.chunkSize, hash, false)) {
    while (credits <= 0) await new Promise<void>((resolve) => (wake = resolve));
    credits--;
    port.postMessage({ type: 'chunk', chunk } satisfies ParseMessage);
    heapBudget.check();
  }
  port.postMessage({ type: 'end', sha256: hash.digest('hex') } satisfies ParseMessage);
} catch (e) {
  port.postMessage({ type: 'error', failure: failureOf(e) } satisfies ParseMessage);
}
port.close();
