import { writeFileSync } from 'node:fs';
import path from 'node:path';
import type { Command } from 'commander';
import type { ImportSummary } from '../modules/imports/import.service.js';
import type { BulkSalesResult } from '../modules/sales/sales.bulk.js';
import { callOperation, cliMessage, withTarget } from './target.js';

/**
 * `linkage sales import <file> [--valid-only] [--as <staffNo>]`: the cross-sales import of the
 * console (SPEC §7) from a terminal — the same checks, one transaction, scored as it is written.
 * A .csv streams through the bulk path (sales.bulk.ts: no row limit, COPY on PostgreSQL, the
 * errors in <name>.errors.csv beside the file); an .xlsx goes through the import framework, as
 * `linkage import sales <file>` does. Exit 0 ok, 2 rows refused, 1 failure. With a server running
 * on the embedded database, the file is uploaded to it and imported there (target.ts).
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
      let code = 1;
      try {
        const bulk = path.extname(file).toLowerCase() === '.csv';
        const args = { kind: 'sales', fileName: path.basename(file), mode: opts.validOnly ? 'valid_only' : 'all', as: opts.as, bulk };
        code = await withTarget(
          async (t) => {
            if (bulk) {
              const result = await callOperation<BulkSalesResult & { errorCsv: Buffer | null }>(t, 'import', args, { file, onProgress: bulkProgress() });
              return reportCsv(file, result);
            }
            let last = '';
            const result = await callOperation<ImportSummary>(t, 'import', args, {
              file,
              onProgress: (p) => {
                const line = `${p.phase} ${p.processedRows}/${p.totalRows || '?'}`;
                if (line !== last && p.phase !== 'done' && p.phase !== 'failed') console.log((last = line));
              },
            });
            return reportWorkbook(file, result);
          },
          { migrate: true },
        );
      } catch (e) {
        console.error(cliMessage(e));
      }
      process.exitCode = code;
    });
}

/** Bulk progress lines: rows, errors and inserts so far, seconds. */
function bulkProgress() {
  const t0 = performance.now();
  return (p: { phase: string; processedRows: number; totalRows: number; errorRows?: number; inserted?: number }) => {
    if (p.phase === 'done' || p.phase === 'failed') return;
    // Tenths of a second as integers: the progress line carries no float formatting.
    const tenths = Math.round((performance.now() - t0) / 100);
    console.log(`${p.phase} ${p.processedRows}/${p.totalRows || '?'} errors=${p.errorRows ?? 0} inserted=${p.inserted ?? 0} ${Math.floor(tenths / 10)}.${tenths % 10}s`);
  };
}

/** A CSV through the bulk path: every error in <name>.errors.csv beside the file. */
function reportCsv(file: string, result: BulkSalesResult & { errorCsv: Buffer | null }): number {
  const parsed = path.parse(file);
  const errorCsv = path.join(parsed.dir, `${parsed.name}.errors.csv`);
  if (result.errorCsv) writeFileSync(errorCsv, result.errorCsv);
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
function reportWorkbook(file: string, result: ImportSummary): number {
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
