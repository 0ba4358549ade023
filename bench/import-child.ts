import { benchAuth } from './auth.js';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { loadConfig } from '../server/config.js';
import { openDatabase } from '../server/db/client.js';
import { registerAllImportKinds } from '../server/import-kinds.js';
import { runImport } from '../server/modules/imports/import.service.js';

registerAllImportKinds();

// Child of bench/import.ts: one import as the province administrator, figures on stdout as JSON.
const file = process.argv[2];
const config = loadConfig();
const database = await openDatabase({ url: config.DATABASE_URL, dataDir: config.DATA_DIR });
const auth = await benchAuth(database.db, 'admin');
const bytes = readFileSync(file);
const t0 = performance.now();
let validatedAt = 0;
const res = await runImport({
  db: database.db,
  auth,
  kind: 'staff',
  fileName: path.basename(file),
  bytes,
  onProgress: (p) => {
    if (p.phase === 'writing' && !validatedAt) validatedAt = performance.now();
  },
});
const seconds = (performance.now() - t0) / 1000;
await database.close();
console.log(
  JSON.stringify({
    database: database.kind,
    status: res.status,
    rows: res.totalRows,
    inserted: res.inserted,
    fileMiB: Math.round((bytes.length / 2 ** 20) * 10) / 10,
    seconds: Math.round(seconds * 100) / 100,
    validateSeconds: validatedAt ? Math.round(((validatedAt - t0) / 1000) * 100) / 100 : null,
    rowsPerSec: Math.round(res.totalRows / seconds),
    peakRssMiB: Math.round(process.resourceUsage().maxRSS / 1024),
  }),
);
