import { AppError } from '../errors.js';
import { appendAudit, BANK_WIDE, SYSTEM_ACTOR, verifyAuditChain } from '../modules/audit/audit.service.js';
import type { ChainBreak } from '../modules/audit/audit.chain.js';
import { failOrphanImports } from '../modules/imports/import.liveness.js';
import type { Database } from '../db/client.js';
import type { LockOwner } from '../db/lock.js';

export interface StartCheck {
  /** Imports left in flight by a dead process, now failed (IMPORT.INTERRUPTED). */
  importsFailed: string[];
  /** Set when the previous owner of the data directory did not shut down cleanly. */
  unclean: { previous: LockOwner; audit: { checked: number; broken: ChainBreak | null } } | null;
}

export type StartLog = (level: 'warn' | 'error' | 'info', message: string) => void;

/**
 * What every opener of the database checks before work (the server at start, a CLI run that opens
 * the files itself):
 *
 * - imports in flight of a process that is gone are marked failed. On PGlite this process owns
 *   the directory alone (its lock), so every row in flight is an orphan; on PostgreSQL other
 *   servers may be importing, so only rows whose heartbeat stopped are;
 * - after an unclean shutdown (the lock file of a dead owner was found: a crash, kill -9, power
 *   loss) PGlite has already replayed its WAL on open; the audit hash chain is then verified and
 *   the event recorded in the audit log. A broken chain stops the server with guidance — unless
 *   `acceptBrokenChain` (RECOVERY_ACCEPT_BROKEN_CHAIN=true, after investigation) — and the lock
 *   file stays as the marker, so no later start skips the check.
 */
export async function checkOnStart(database: Database, opts: { who: 'server' | 'cli'; acceptBrokenChain?: boolean; log?: StartLog }): Promise<StartCheck> {
  const log: StartLog = opts.log ?? ((level, m) => (level === 'info' ? console.log(m) : console.error(m)));
  const db = database.db;
  const importsFailed = await failOrphanImports(db, database.kind === 'pglite' ? { staleSeconds: 0 } : {});
  if (importsFailed.length) {
    log('warn', `导入中断：${importsFailed.length} 个未完成的导入已标记为失败 / ${importsFailed.length} interrupted import(s) marked failed: ${importsFailed.join(', ')}`);
  }
  const previous = database.lock?.previous ?? null;
  if (!previous) return { importsFailed, unclean: null };

  log(
    'warn',
    `警告：数据目录上次未正常关闭（进程 ${previous.pid}，${previous.role === 'server' ? '服务器' : `命令行 ${previous.command}`}，启动于 ${previous.startedAt}）。数据库已自动恢复，正在校验审计日志哈希链… / ` +
      `WARNING: the data directory was not shut down cleanly (process ${previous.pid}, ${previous.role === 'server' ? 'the server' : `CLI ${previous.command}`}, started ${previous.startedAt}). The database recovered on open; verifying the audit chain…`,
  );
  const audit = await verifyAuditChain(db);
  const unclean = { previous, audit };
  if (audit.broken) {
    log(
      'error',
      `审计日志哈希链在第 #${audit.broken.id} 条断开（${audit.broken.reason}）/ audit chain BROKEN at entry #${audit.broken.id} (${audit.broken.reason}), ${audit.checked} entries verified before it`,
    );
    if (!opts.acceptBrokenChain) {
      // Until someone decides, every start must see this again.
      database.lock?.keepAsMarker();
      if (opts.who === 'server') throw new AppError('SYSTEM.UNCLEAN_SHUTDOWN_BROKEN_CHAIN', { previousPid: previous.pid, broken: audit.broken });
      return { importsFailed, unclean };
    }
    log('warn', '已按 RECOVERY_ACCEPT_BROKEN_CHAIN=true 继续启动 / starting anyway: RECOVERY_ACCEPT_BROKEN_CHAIN=true');
  } else {
    log('info', `审计日志校验通过 / audit chain OK: ${audit.checked} entries`);
  }
  await db.transaction((tx) =>
    appendAudit(tx, SYSTEM_ACTOR, {
      action: 'system.unclean_shutdown',
      entity: 'system',
      entityId: 'data-dir',
      nodeId: BANK_WIDE,
      after: {
        previous: { pid: previous.pid, hostname: previous.hostname, role: previous.role, command: previous.command, startedAt: previous.startedAt },
        detectedBy: opts.who,
        auditChecked: audit.checked,
        auditBroken: audit.broken,
        acceptedBrokenChain: Boolean(audit.broken && opts.acceptBrokenChain),
        importsFailed,
      },
    }),
  );
  return { importsFailed, unclean };
}
