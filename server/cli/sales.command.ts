import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { Command } from 'commander';
import { eq } from 'drizzle-orm';
import { loadConfig } from '../config.js';
import { type Database, migrateDatabase, openDatabase } from '../db/client.js';
import { staff } from '../db/schema/index.js';
import { type AuthContext, can } from '../modules/access/context.js';
import { loadGrants } from '../modules/auth/auth.service.js';
import { runImport } from '../modules/imports/import.service.js';
import { bulkImportSales } from '../modules/sales/sales.bulk.js';

/**
 * `linkage sales import <file> [--valid-only] [--as <staffNo>]`: the cross-sales import of the
 * console (SPEC §7) from a terminal — the same checks, one transaction, scored as it is written.
 * A .csv streams through the bulk path (sales.bulk.ts: no row limit, COPY on PostgreSQL, the
 * errors in <name>.errors.csv beside the file); an .xlsx goes through the import framework, as
 * `linkage import sales <file>` does. Exit 0 ok, 2 rows refused, 1 failure.
 */
export function registerSalesCommands(program: Command) {
  const sales = program.command('sales').description('交叉销售 / cross-sales');
  sales
    .command('import')
    .description('从 Excel/CSV 导入交叉销售（同一交易流水号重复导入不做修改）/ import cross-sales')
    .argument('<file>', '.xlsx 或 .csv 文件 / the file')
    .option('--valid-only', '仅导入正确的行 / write the valid rows, skip the bad ones')
    .option('--as <staffNo>', '以该员工身份及权限导入 / run as this staff member', 'admin')
    .action(async (file: string, opts: { validOnly?: boolean; as: string }) => {
      const config = loadConfig();
      const database = await openDatabase({ url: config.DATABASE_URL, dataDir: config.DATA_DIR });
      let code = 1;
      try {
        await migrateDatabase(database);
        const auth = await signIn(database, opts.as);
        const mode = opts.validOnly ? 'valid_only' : 'all';
        code = path.extname(file).toLowerCase() === '.csv' ? await importCsv(database, auth, file, mode) : await importWorkbook(database, auth, file, mode);
      } catch (e) {
        console.error(e instanceof Error ? e.message : e);
      } finally {
        await database.close();
      }
      process.exitCode = code;
    });
}

/** The person the import runs as: active, with sale.write. */
async function signIn(database: Database, staffNo: string): Promise<AuthContext> {
  const db = database.db;
  const [person] = await db.select().from(staff).where(eq(staff.staffNo, staffNo)).limit(1);
  if (!person || !person.active) throw new Error(`员工 ${staffNo} 不存在或已停用 / no active staff member ${staffNo}`);
  const auth: AuthContext = {
    staffId: person.id,
    staffNo: person.staffNo,
    name: person.name,
    nodeId: person.nodeId,
    sessionId: 'cli',
    csrfToken: 'cli',
    mustChangePassword: false,
    grants: await loadGrants(db, person.id),
  };
  if (!can(auth, 'sale.write')) throw new Error(`${staffNo} 没有 sale.write 权限 / ${staffNo} lacks sale.write`);
  return auth;
}

/** A CSV through the bulk path: progress lines, every error in <name>.errors.csv. */
async function importCsv(database: Database, auth: AuthContext, file: string, mode: 'all' | 'valid_only'): Promise<number> {
  const parsed = path.parse(file);
  const errorCsv = path.join(parsed.dir, `${parsed.name}.errors.csv`);
  const result = await bulkImportSales({
    database,
    auth,
    file,
    mode,
    errorCsvPath: errorCsv,
    onProgress: (p) => {
      if (p.phase === 'done' || p.phase === 'failed') return;
      console.log(`${p.phase} ${p.processedRows}/${p.totalRows || '?'} errors=${p.errorRows} inserted=${p.inserted} ${p.seconds.toFixed(1)}s`);
    },
  });
  console.log(result.message.zh);
  console.log(
    `status=${result.status} rows=${result.totalRows} errors=${result.errorRows} inserted=${result.inserted} unchanged=${result.unchanged} ` +
      `write_s=${result.writeSeconds} score_s=${result.scoreSeconds} id=${result.id}`,
  );
  if (result.errorRows > 0) console.log(`错误报告 / error report: ${errorCsv}`);
  if (result.status === 'done') return result.errorRows > 0 ? 2 : 0;
  return result.message.code === 'IMPORT.ROW_ERRORS' ? 2 : 1;
}

/** An .xlsx through the import framework (held in memory; the console's limit of rows applies). */
async function importWorkbook(database: Database, auth: AuthContext, file: string, mode: 'all' | 'valid_only'): Promise<number> {
  let last = '';
  const result = await runImport({
    db: database.db,
    auth,
    kind: 'sales',
    fileName: path.basename(file),
    bytes: readFileSync(file),
    mode,
    onProgress: (p) => {
      const line = `${p.phase} ${p.processedRows}/${p.totalRows || '?'}`;
      if (line !== last && p.phase !== 'done' && p.phase !== 'failed') console.log((last = line));
    },
  });
  console.log(result.message.zh);
  console.log(`status=${result.status} rows=${result.totalRows} errors=${result.errorRows} inserted=${result.inserted} unchanged=${result.unchanged} id=${result.id}`);
  if (result.errorReport) {
    const parsed = path.parse(file);
    const out = path.join(parsed.dir, `${parsed.name}.errors.xlsx`);
    writeFileSync(out, result.errorReport);
    console.log(`错误报告 / error report: ${out}`);
  }
  return result.status === 'done' ? (result.errorRows > 0 ? 2 : 0) : result.message.code === 'IMPORT.ROW_ERRORS' ? 2 : 1;
}
