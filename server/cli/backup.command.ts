import { createHash } from 'node:crypto';
import { readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { Command } from 'commander';
import { loadConfig } from '../config.js';
import { dumpPglite, restorePglite } from '../ops/backup.js';
import { AppError } from '../errors.js';
import { downloadBackup, withTarget } from './target.js';

/**
 * `linkage backup <file>` and `linkage restore <file> --data-dir <empty dir>` for the embedded
 * database (issue 10). The backup is consistent while the server runs: it is taken inside the
 * process that owns the directory (the server through its admin channel, or this command when no
 * one runs). PostgreSQL installations use pg_dump (SYSTEM.BACKUP_UNSUPPORTED says so).
 */
export function registerBackupCommands(program: Command) {
  program
    .command('backup')
    .description('备份内置数据库（服务器运行时也可执行，结果一致）/ back up the embedded database, also while the server runs')
    .argument('<file>', '备份文件（.tar.gz）/ the backup file to write')
    .action(async (file: string) => {
      if (loadConfig().DATABASE_URL) throw new AppError('SYSTEM.BACKUP_UNSUPPORTED');
      // Written beside and renamed: a failed backup never leaves a truncated file that looks whole.
      const partial = `${file}.partial`;
      try {
        await withTarget(async (t) => {
          if (t.kind === 'remote') return downloadBackup(t, partial);
          writeFileSync(partial, await dumpPglite(t.database, { via: 'cli', file: path.basename(file) }), { mode: 0o600 });
        });
        renameSync(partial, file);
      } catch (e) {
        rmSync(partial, { force: true });
        throw e;
      }
      const bytes = readFileSync(file);
      const sha = createHash('sha256').update(bytes).digest('hex');
      console.log(`备份完成 / backup written: ${path.resolve(file)} (${bytes.length} bytes, sha256 ${sha})`);
    });

  program
    .command('restore')
    .description('将备份恢复到一个新的空目录并校验审计日志 / restore a backup into a new, empty directory and verify its audit chain')
    .argument('<file>', '备份文件 / the backup file')
    .requiredOption('--data-dir <dir>', '恢复目标：新的空目录 / the target: a new, empty directory')
    .action(async (file: string, opts: { dataDir: string }) => {
      const r = await restorePglite(file, opts.dataDir);
      console.log(`已恢复到 / restored into ${r.dataDir} (${r.bytes} bytes, sha256 ${r.sha256}): 员工 staff ${r.counts.staff}，审计日志 audit entries ${r.counts.auditEntries}`);
      if (r.audit.broken) {
        console.error(`审计日志校验失败 / audit chain BROKEN at entry #${r.audit.broken.id} (${r.audit.broken.reason}), ${r.audit.checked} entries verified before it`);
        process.exitCode = 3;
        return;
      }
      console.log(`审计日志校验通过 / audit chain OK: ${r.audit.checked} entries`);
      console.log(`启动 / start it with: DATA_DIR=${r.dataDir} npm start`);
    });
}
