import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { Command } from 'commander';
import { eq } from 'drizzle-orm';
import { loadConfig } from '../config.js';
import { migrateDatabase, openDatabase } from '../db/client.js';
import { staff } from '../db/schema/index.js';
import { type AuthContext, can } from '../modules/access/context.js';
import { loadGrants } from '../modules/auth/auth.service.js';
import { runImport } from '../modules/imports/import.service.js';

/**
 * `linkage sales import <file> [--valid-only] [--as <staffNo>]`: the cross-sales import of the
 * console (SPEC §7) from a terminal — the same checks, one transaction, scored as it is written.
 * Same as `linkage import sales <file>`. Exit 0 ok, 2 rows refused (error workbook beside the
 * file), 1 failure.
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
        const db = database.db;
        const [person] = await db.select().from(staff).where(eq(staff.staffNo, opts.as)).limit(1);
        if (!person || !person.active) throw new Error(`员工 ${opts.as} 不存在或已停用 / no active staff member ${opts.as}`);
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
        if (!can(auth, 'sale.write')) throw new Error(`${opts.as} 没有 sale.write 权限 / ${opts.as} lacks sale.write`);
        let last = '';
        const result = await runImport({
          db,
          auth,
          kind: 'sales',
          fileName: path.basename(file),
          bytes: readFileSync(file),
          mode: opts.validOnly ? 'valid_only' : 'all',
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
        code = result.status === 'done' ? (result.errorRows > 0 ? 2 : 0) : result.message.code === 'IMPORT.ROW_ERRORS' ? 2 : 1;
      } catch (e) {
        console.error(e instanceof Error ? e.message : e);
      } finally {
        await database.close();
      }
      process.exitCode = code;
    });
}
