// Starts a TypeScript worker (bulk-parse.worker.ts): a worker thread does not inherit tsx's loader,
// so it registers it itself before importing its entry.
import { workerData } from 'node:worker_threads';
import { tsImport } from 'tsx/esm/api';

await tsImport(workerData.entry, import.meta.url);
