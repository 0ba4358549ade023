import v8 from 'node:v8';
import { runInNewContext } from 'node:vm';

/**
 * Keeps the heap of a long load near its live size (≤ 512 MB RSS at 5 M rows). Each chunk's rows
 * live long enough to be promoted, and V8, far from its limit, lets that garbage pile up to several
 * times the live set before collecting it (RSS 600–740 MB at 300 k rows, measured; ~100 MB live).
 * Checked after each block of the file and each chunk: past the budget a full collection is asked
 * for, reaching gc() the way jest's leak detector does when the process was started without
 * --expose-gc. Measured: one every ~40 k rows, ~60 ms each.
 */
export const heapBudget = (() => {
  let BUDGET = 192 * 2 ** 20;
  let gc: (() => void) | null | undefined;
  const collector = (): (() => void) | null => {
    if (typeof globalThis.gc === 'function') return globalThis.gc as () => void;
    try {
      v8.setFlagsFromString('--expose-gc');
      const found = runInNewContext('gc') as () => void;
      v8.setFlagsFromString('--no-expose-gc');
      return found;
    } catch {
      return null;
    }
  };
  return {
    /** A worker's heap shares the process's RSS: it gets a smaller budget (bulk-parse.worker.ts). */
    limit(bytes: number) {
      BUDGET = bytes;
    },
    check() {
      if (v8.getHeapStatistics().used_heap_size < BUDGET) return;
      if (gc === undefined) gc = collector();
      gc?.();
    },
  };
})();
