import { Worker } from 'node:worker_threads';
import { clock } from '../../calendar/index.js';
import { AppError } from '../../errors.js';
import type { ImportContext } from '../imports/import-spec.js';
import { type FileHead, NotUtf8 } from './bulk-csv.js';
import type { ChunkSource, ParsedChunk } from './bulk-parse.js';
import type { ParseFailure, ParseJob, ParseMessage } from './bulk-parse.worker.js';

/**
 * A large file's chunks parsed in a worker thread (bulk-parse.worker.ts) while the load's thread
 * checks and writes. Opt-in (BulkSalesInput.parseInWorker): on the shared 2-core machine of
 * decision 0044 it lost (99 s vs 63 s at 200 k sales, RSS 672 vs 383 MiB), the cores being busy
 * anyway; on a quiet machine it is to be measured again. Chunks arrive in file order; the worker
 * stays at most CREDITS chunks ahead.
 */

const CREDITS = 1;

const errorOf = (f: ParseFailure): Error => (f.kind === 'notUtf8' ? new NotUtf8() : f.kind === 'app' ? new AppError(f.code, f.details, f.text) : new Error(f.message));

export function workerSource(file: string, head: FileHead, ctx: ImportContext, chunkSize: number): ChunkSource {
  let sha256: string | null = null;
  async function* chunks(): AsyncGenerator<ParsedChunk> {
    const job: ParseJob = { file, head, ctx, chunkSize, now: clock.now().getTime(), credits: CREDITS };
    const entry = new URL(`./bulk-parse.worker${import.meta.url.endsWith('.ts') ? '.ts' : '.js'}`, import.meta.url).href;
    const worker = new Worker(new URL('./bulk-worker-boot.mjs', import.meta.url), { workerData: { ...job, entry } });
    const inbox: ParseMessage[] = [];
    let wake: (() => void) | null = null;
    let died: Error | null = null;
    const poke = () => {
      wake?.();
      wake = null;
    };
    worker.on('message', (m: ParseMessage) => {
      inbox.push(m);
      poke();
    });
    worker.on('error', (e) => {
      died = e;
      poke();
    });
    worker.on('exit', (code) => {
      died ??= new Error(`the parsing worker stopped (exit ${code})`);
      poke();
    });
    try {
      for (;;) {
        const m = inbox.shift();
        if (!m) {
          if (died) throw died;
          await new Promise<void>((resolve) => (wake = resolve));
          continue;
        }
        if (m.type === 'error') throw errorOf(m.failure);
        if (m.type === 'end') {
          sha256 = m.sha256;
          return;
        }
        worker.postMessage('more');
        yield m.chunk;
      }
    } finally {
      worker.removeAllListeners();
      await worker.terminate();
    }
  }
  return {
    chunks: chunks(),
    sha256: () => {
      if (sha256 === null) throw new Error('the file is not read to its end');
      return sha256;
    },
  };
}
