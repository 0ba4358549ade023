import { createHash, type Hash } from 'node:crypto';
import { setImmediate as tick } from 'node:timers/promises';
import type { FailedRow } from '../imports/error-workbook.js';
import type { ImportContext } from '../imports/import-spec.js';
import { type FileHead, originalOf, rowBatches } from './bulk-csv.js';
import { duplicateError } from './bulk-errors.js';
import { heapBudget } from './bulk-memory.js';
import { fingerprintOf } from './sales.content.js';
import { salesSpec, type SaleValue } from './sales.import.js';

/**
 * Parsing a sales CSV for the bulk path (sales.bulk.ts): the rows read (bulk-csv.ts), each parsed
 * with the import template's own cell rules (salesSpec.parseRow) and cut into chunks. The same code
 * runs on the load's thread for a small file and in a worker for a large one (bulk-parse.worker.ts),
 * so both give the same rows and the same errors.
 */

export interface ParsedRow {
  rowNumber: number;
  value: SaleValue;
  record: string[];
  /** fingerprintOf(value), computed here so the checking thread need not. */
  fingerprint: string;
}

/** Up to `chunkSize` rows of the file, in order; refused rows travel with their chunk. */
export interface ParsedChunk {
  rows: ParsedRow[];
  failed: FailedRow[];
  /** Data rows of the file this chunk covers (parsed + refused). */
  count: number;
  /** Bytes of the file read so far (progress). */
  bytes: number;
}

const YIELD_ROWS = 256;

/**
 * The file's data rows as chunks. Within a chunk a repeated source id is an error naming the first
 * row; across chunks the earlier row is already written, so the later one resolves as unchanged.
 * `turns`: on the load's own thread, give the event loop a turn every few hundred rows (it is what
 * feeds the COPY in flight to PostgreSQL); a worker has nothing else to feed.
 */
export async function* parsedChunks(file: string, head: FileHead, ctx: ImportContext, chunkSize: number, hash: Hash, turns: boolean): AsyncGenerator<ParsedChunk> {
  let bytes = 0;
  let rows: ParsedRow[] = [];
  let failed: FailedRow[] = [];
  let count = 0;
  let firstOfKey = new Map<string, number>();
  for await (const batch of rowBatches(file, head, hash, (n) => (bytes += n))) {
    for (const row of batch) {
      count++;
      if (turns && count % YIELD_ROWS === 0) await tick();
      const parsed = salesSpec.parseRow(row.cells, ctx);
      if ('errors' in parsed) {
        failed.push({ rowNumber: row.rowNumber, original: originalOf(head, row.record), errors: parsed.errors });
      } else {
        const first = firstOfKey.get(parsed.value.sourceId);
        if (first !== undefined) {
          failed.push({ rowNumber: row.rowNumber, original: originalOf(head, row.record), errors: [duplicateError(parsed.value.sourceId, first, row.rowNumber)] });
        } else {
          firstOfKey.set(parsed.value.sourceId, row.rowNumber);
          rows.push({ rowNumber: row.rowNumber, value: parsed.value, record: row.record, fingerprint: fingerprintOf(parsed.value) });
        }
      }
      if (rows.length + failed.length >= chunkSize) {
        yield { rows, failed, count, bytes };
        rows = [];
        failed = [];
        count = 0;
        firstOfKey = new Map();
      }
    }
    // On the load's thread, after each block read; a worker checks after each chunk it hands over.
    if (turns) heapBudget.check();
  }
  yield { rows, failed, count, bytes };
}

/** Where a load's chunks come from, and the file's sha256 once they are all read. */
export interface ChunkSource {
  chunks: AsyncIterable<ParsedChunk>;
  sha256(): string;
}

/** The chunks parsed on the load's own thread (small files: no worker to start). */
export function inlineSource(file: string, head: FileHead, ctx: ImportContext, chunkSize: number): ChunkSource {
  const hash = createHash('sha256');
  return { chunks: parsedChunks(file, head, ctx, chunkSize, hash, true), sha256: () => hash.digest('hex') };
}
