import { writeFileSync } from 'node:fs';
import path from 'node:path';
import cliProgress from 'cli-progress';
import { type Command, Option } from 'commander';
import type { OperationProgress } from '../modules/admin/admin.operations.js';
import type { ImportSummary } from '../modules/imports/import.service.js';
import { IMPORT_KINDS as IMPORT_SPECS } from '../import-kinds.js';
import { callOperation, cliMessage, withTarget } from './target.js';

const PHASE_ZH: Record<OperationProgress['phase'], string> = { validating: '校验', writing: '写入', scoring: '计分', done: '完成', failed: '失败' };

/** Codes of a file that is wrong (as opposed to a system that is): exit code 2. */
const VALIDATION_CODES = new Set(['IMPORT.ROW_ERRORS', 'IMPORT.NO_HEADER', 'IMPORT.BAD_FILE']);

/** Progress on a terminal as a bar; in a pipe or a log as plain lines (`validating 12000/100000`). */
export function progressPrinter(log: (line: string) => void = console.log) {
  if (process.stdout.isTTY && log === console.log) {
    const bar = new cliProgress.SingleBar({ format: '{phase} [{bar}] {value}/{total} 行 | {percentage}% | {duration_formatted}', hideCursor: true }, cliProgress.Presets.shades_classic);
    let started = false;
    let phase: OperationProgress['phase'] | null = null;
    return {
      update(p: OperationProgress) {
        if (p.phase === 'done' || p.phase === 'failed') return;
        const total = Math.max(p.totalRows, p.processedRows, 1);
        if (!started) {
          bar.start(total, p.processedRows, { phase: PHASE_ZH[p.phase] });
          started = true;
        } else if (phase !== p.phase) {
          bar.setTotal(total);
        }
        phase = p.phase;
        bar.setTotal(total);
        bar.update(p.processedRows, { phase: PHASE_ZH[p.phase] });
      },
      stop: () => started && bar.stop(),
    };
  }
  return {
    update(p: OperationProgress) {
      if (p.phase === 'done' || p.phase === 'failed') return;
      log(`${p.phase} ${p.processedRows}/${p.totalRows || '?'}`);
    },
    stop() {},
  };
}

/**
 * `linkage import <kind> <file> [--valid-only] [--as <staffNo>] [--errors json]`: the same import
 * as the console, run as a staff member (default `admin`), with progress. Exit 0 ok, 2 validation
 * errors (the error workbook is written next to the file as <name>.errors.xlsx), 1 failure. With
 * `--errors json` stdout carries only the errors as JSON (`{ id, status, total, items }`, the
 * items as GET /api/imports/jobs/:id/errors pages them); everything else goes to stderr.
 */
export function registerImportCommand(program: Command) {
  program
    .command('import')
    .description('从 Excel/CSV 导入数据（机构 org-nodes、员工 staff）/ import a list from .xlsx or .csv')
    .argument('<kind>', `导入类型 / kind: ${IMPORT_SPECS.map((s) => s.kind).join(' | ')}`)
    .argument('<file>', '.xlsx 或 .csv 文件 / the file')
    .option('--valid-only', '仅导入正确的行，跳过有误的行 / write the valid rows, skip the bad ones')
    .option('--as <staffNo>', '以该员工身份及权限导入 / run as this staff member', 'admin')
    .addOption(new Option('--errors <format>', '错误明细输出到标准输出（json）/ print the errors to stdout').choices(['json']))
    .action(async (kind: string, file: string, opts: { validOnly?: boolean; as: string; errors?: 'json' }) => {
      // With --errors json, stdout is the JSON alone: the words for people go to stderr.
      const say = opts.errors === 'json' ? (line: string) => console.error(line) : (line: string) => console.log(line);
      const spec = IMPORT_SPECS.find((s) => s.kind === kind);
      if (!spec) {
        console.error(`未知的导入类型 / unknown import kind: ${kind}（可选 / one of: ${IMPORT_SPECS.map((s) => s.kind).join(', ')}）`);
        process.exitCode = 1;
        return;
      }
      let code: number;
      try {
        const progress = progressPrinter(say);
        // On the database, or inside the running server that holds the embedded one (target.ts):
        // the file is then uploaded to it.
        const result = await withTarget(
          (t) =>
            callOperation<ImportSummary>(
              t,
              'import',
              { kind: spec.kind, fileName: path.basename(file), mode: opts.validOnly ? 'valid_only' : 'all', as: opts.as, errors: opts.errors === 'json' },
              { file, onProgress: (p) => progress.update(p) },
            ),
          { migrate: true },
        );
        progress.stop();
        say(result.message.zh);
        say(`status=${result.status} rows=${result.totalRows} errors=${result.errorRows} inserted=${result.inserted} updated=${result.updated} unchanged=${result.unchanged} id=${result.id}`);
        if (result.errorReport) {
          const parsed = path.parse(file);
          const out = path.join(parsed.dir, `${parsed.name}.errors.xlsx`);
          writeFileSync(out, result.errorReport);
          say(`错误报告 / error report: ${out}`);
        }
        if (opts.errors === 'json') {
          console.log(JSON.stringify({ id: result.id, status: result.status, total: result.errors.length, items: result.errors }, null, 2));
        }
        if (result.status === 'done') code = result.errorRows > 0 ? 2 : 0;
        else code = VALIDATION_CODES.has(result.message.code ?? '') ? 2 : 1;
      } catch (e) {
        console.error(cliMessage(e));
        code = 1;
      }
      process.exitCode = code;
    });
}
