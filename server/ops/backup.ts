import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import path from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { sql } from 'drizzle-orm';
import { drizzle } from 'drizzle-orm/pglite';
import { AppError } from '../errors.js';
import { appendAudit, BANK_WIDE, SYSTEM_ACTOR, verifyAuditChain } from '../modules/audit/audit.service.js';
import type { ChainBreak } from '../modules/audit/audit.chain.js';
import { type Database, type Db, PGLITE_EXTENSIONS, rows } from '../db/client.js';
import { acquireDataDirLock } from '../db/lock.js';
import * as schema from '../db/schema/index.js';

/**
 * Backup and restore of the embedded database (issue 10). A backup is PGlite's own dump of its
 * data directory (a gzip tar, loadable by `new PGlite({ loadDataDir })`), taken inside the process
 * that owns the directory — the running server, or the CLI when no one runs — so it never reads
 * files another process is writing. PostgreSQL (DATABASE_URL) is backed up with pg_dump.
 */

/**
 * A consistent dump of a running PGlite: holding PGlite's transaction mutex no transaction is
 * open or can start, CHECKPOINT puts every committed page in the files, and the tar is then taken
 * before anything else runs. The backup itself is recorded in the audit log (so in the dump).
 */
export async function dumpPglite(database: Database, note: { via: 'server' | 'cli'; file?: string }): Promise<Buffer> {
  const pglite = database.pglite;
  if (database.kind !== 'pglite' || !pglite) throw new AppError('SYSTEM.BACKUP_UNSUPPORTED');
  await database.db.transaction((tx) =>
    appendAudit(tx, SYSTEM_ACTOR, { action: 'system.backup', entity: 'system', entityId: 'data-dir', nodeId: BANK_WIDE, after: { via: note.via, file: note.file ?? null } }),
  );
  const blob = await pglite.transaction(async (tx) => {
    await tx.exec('CHECKPOINT');
    return pglite.dumpDataDir('gzip');
  });
  return Buffer.from(await blob.arrayBuffer());
}

export interface RestoreReport {
  dataDir: string;
  sha256: string;
  bytes: number;
  audit: { checked: number; broken: ChainBreak | null };
  counts: { staff: number; auditEntries: number };
}

function isEmptyDir(dir: string): boolean {
  return !existsSync(dir) || readdirSync(dir).length === 0;
}

/**
 * Restores a backup into a new, empty directory (never over a database: SYSTEM.RESTORE_TARGET_NOT_EMPTY),
 * holding that directory's lock, then verifies the audit chain of what it restored and records the
 * restore in it. Start the server on it with DATA_DIR=<dir>.
 */
export async function restorePglite(file: string, dataDir: string): Promise<RestoreReport> {
  const lock = acquireDataDirLock(dataDir, { role: 'cli', command: 'restore' });
  let created = false;
  let client: PGlite | null = null;
  try {
    if (!isEmptyDir(dataDir)) throw new AppError('SYSTEM.RESTORE_TARGET_NOT_EMPTY', { dataDir: path.resolve(dataDir) });
    let bytes: Buffer;
    try {
      bytes = readFileSync(file);
    } catch (e) {
      throw new AppError('SYSTEM.BAD_BACKUP', { file, reason: (e as Error).message });
    }
    // gzip magic: anything else is not a dump of ours (and PGlite would fail less clearly).
    if (bytes.length < 2 || bytes[0] !== 0x1f || bytes[1] !== 0x8b) throw new AppError('SYSTEM.BAD_BACKUP', { file, reason: 'not a gzip tar' });
    created = !existsSync(dataDir);
    mkdirSync(dataDir, { recursive: true });
    try {
      client = new PGlite(dataDir, { loadDataDir: new Blob([new Uint8Array(bytes)]), extensions: PGLITE_EXTENSIONS });
      await client.waitReady;
    } catch (e) {
      throw new AppError('SYSTEM.BAD_BACKUP', { file, reason: (e as Error).message });
    }
    const db = drizzle(client, { schema }) as unknown as Db;
    const audit = await verifyAuditChain(db);
    const sha256 = createHash('sha256').update(bytes).digest('hex');
    await db.transaction((tx) =>
      appendAudit(tx, SYSTEM_ACTOR, {
        action: 'system.restore',
        entity: 'system',
        entityId: 'data-dir',
        nodeId: BANK_WIDE,
        after: { file: path.basename(file), sha256, auditChecked: audit.checked, auditBroken: audit.broken },
      }),
    );
    const [counts] = await rows<{ staff: number; auditEntries: number }>(db, sql`SELECT (SELECT count(*) FROM staff)::int AS staff, (SELECT count(*) FROM audit_log)::int AS "auditEntries"`);
    await client.close();
    client = null;
    lock.release();
    return { dataDir: path.resolve(dataDir), sha256, bytes: bytes.length, audit, counts };
  } catch (e) {
    await client?.close().catch(() => undefined);
    // Leave nothing half-restored behind in a directory this restore created or found empty.
    if (created) rmSync(dataDir, { recursive: true, force: true });
    else if (existsSync(dataDir) && !(e instanceof AppError && e.code === 'SYSTEM.RESTORE_TARGET_NOT_EMPTY')) {
      for (const f of readdirSync(dataDir)) rmSync(path.join(dataDir, f), { recursive: true, force: true });
    }
    lock.release();
    throw e;
  }
}
