import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { type Database, PGLITE_EXTENSIONS } from '../db/client.js';
import { createTestDatabase } from '../test/harness.js';

/**
 * `import <kind> <file> --errors json` as a shell runs it (issue 18, part 2): stdout is the JSON
 * errors alone, each with the sheet's row, the column as the file names it, a code and the words.
 * The child needs a database of its own: on PostgreSQL a copy of the demo bank, on PGlite a
 * directory loaded from its dump.
 */
let database: Database | undefined;
let env: Record<string, string>;
let dir = '';

beforeAll(async () => {
  dir = mkdtempSync(path.join(os.tmpdir(), 'linkage-import-errors-'));
  if (process.env.LINKAGE_TEST_DB === 'pg') {
    database = await createTestDatabase();
    env = { DATABASE_URL: database.url! };
  } else {
    const data = path.join(dir, 'pglite');
    const seeded = new PGlite(data, { loadDataDir: new Blob([readFileSync(inject('pgliteDump'))]), extensions: PGLITE_EXTENSIONS });
    await seeded.waitReady;
    await seeded.close();
    env = { DATA_DIR: data, DATABASE_URL: '' };
  }
});
afterAll(async () => {
  await database?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe('cli import --errors json', () => {
  it('prints the errors as JSON on stdout, the words for people on stderr, and exits 2', { timeout: 180_000 }, async () => {
    const file = path.join(dir, 'roster.csv');
    writeFileSync(
      file,
      ['工号,姓名,机构号,手机号码,状态', 'CLI0001,命令行甲,44100,13900000021,在职', 'CLI0002,命令行乙,99999,13900000022,在职', 'CLI0003,,44100,13900000023,在职', '合计,,,,'].join('\n') + '\n',
    );
    const run = spawnSync(process.execPath, ['--import', 'tsx', 'server/cli/main.ts', 'import', 'staff', file, '--errors', 'json'], {
      env: { ...process.env, LOG_LEVEL: 'silent', ...env },
      encoding: 'utf8',
      timeout: 150_000,
    });
    expect(run.status, run.stderr).toBe(2);
    const out = JSON.parse(run.stdout) as { id: string; status: string; total: number; items: unknown[] };
    expect(out).toMatchObject({ status: 'failed', total: 2 });
    expect(out.items).toEqual([
      {
        row: 3,
        column: '机构号',
        templateColumn: '所属机构号',
        columnKey: 'orgCode',
        code: 'IMPORT.REFERENCE',
        message: '第3行 机构号（模板列名：所属机构号）：机构号 99999 不存在',
        messageEn: 'Row 3 机构号 (template column: Org code): org code 99999 does not exist',
      },
      { row: 4, column: '姓名', templateColumn: '姓名', columnKey: 'name', code: 'IMPORT.REQUIRED', message: '第4行 姓名：不能为空', messageEn: 'Row 4 Name: is required' },
    ]);
    expect(run.stderr).toContain('已跳过合计行 1 行（第 5 行）');
    expect(run.stderr).toContain(`status=failed rows=3 errors=2 inserted=0 updated=0 unchanged=0 id=${out.id}`);
    expect(run.stderr).toContain('roster.errors.xlsx');
  });
});
