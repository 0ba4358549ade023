import { spawn } from 'node:child_process';
import { createWriteStream } from 'node:fs';
import path from 'node:path';
import ExcelJS from 'exceljs';
import pg from 'pg';
import { migrateDatabase, openDatabase } from '../server/db/client.js';
import { seedDemoBank } from '../server/seed/demo-bank.js';

/** Writes a staff workbook of `rows` valid rows spread over 佛山分行's outlets. */
export async function writeStaffWorkbook(file: string, rows: number): Promise<void> {
  const wb = new ExcelJS.stream.xlsx.WorkbookWriter({ stream: createWriteStream(file), useSharedStrings: false });
  const ws = wb.addWorksheet('员工');
  ws.addRow(['工号', '姓名', '所属机构号', '部门代码', '职务', '手机号', '邮箱', '角色', '状态']).commit();
  const outlets = ['4410101', '4410102', '4410201', '4410301', '4410401'];
  for (let i = 1; i <= rows; i++) {
    ws.addRow([`BI${String(i).padStart(7, '0')}`, `导入员工${i}`, outlets[i % outlets.length], null, '综合柜员', `139${String(i).padStart(8, '0')}`, null, null, '在职']).commit();
  }
  ws.commit();
  await wb.commit();
}

/**
 * Imports `rows` staff through the real import path (parse, validate, one transaction, audit) in a
 * child process, so rows/s and peak RSS are the import's own.
 */
export async function benchImport(kind: 'pg' | 'pglite', opts: { rows: number; dir: string; pgBase: string }) {
  const file = path.join(opts.dir, `staff-${opts.rows}.xlsx`);
  await writeStaffWorkbook(file, opts.rows);
  const env: Record<string, string> = { ...(process.env as Record<string, string>), LOG_LEVEL: 'silent' };
  if (kind === 'pg') {
    const admin = new pg.Client({ connectionString: opts.pgBase });
    await admin.connect();
    await admin.query(`DROP DATABASE IF EXISTS linkage_bench_import${process.env.BENCH_DB_SUFFIX ?? ''} WITH (FORCE)`);
    await admin.query(`CREATE DATABASE linkage_bench_import${process.env.BENCH_DB_SUFFIX ?? ''}`);
    await admin.end();
    const u = new URL(opts.pgBase);
    u.pathname = `/linkage_bench_import${process.env.BENCH_DB_SUFFIX ?? ''}`;
    env.DATABASE_URL = u.toString();
    const db = await openDatabase({ url: env.DATABASE_URL });
    await migrateDatabase(db);
    await seedDemoBank(db.db);
    await db.close();
  } else {
    env.DATA_DIR = path.join(opts.dir, 'pglite-import');
    delete env.DATABASE_URL;
    const db = await openDatabase({ dataDir: env.DATA_DIR });
    await migrateDatabase(db);
    await seedDemoBank(db.db);
    await db.close();
  }
  const out = await new Promise<string>((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'bench/import-child.ts', file], { env, stdio: ['ignore', 'pipe', 'inherit'] });
    let buf = '';
    child.stdout.on('data', (d: Buffer) => (buf += d.toString()));
    child.on('exit', (code) => (code === 0 ? resolve(buf) : reject(new Error(`import child exited ${code}: ${buf}`))));
  });
  return JSON.parse(out.trim().split('\n').pop()!);
}
