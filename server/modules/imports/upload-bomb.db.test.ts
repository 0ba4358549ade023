import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Client, createTestApp, type TestApp } from '../../test/harness.js';
import { waitForImport } from './imports.routes.js';
import { inlineCellBomb, lyingRowsBomb, sharedStringBomb, uploadForm } from './testing.js';

/**
 * Issue 10 finding 4 (decision 0021): a 415 KB .xlsx whose one shared string expands to 400 MB
 * took the server to 3.2 GB, and three at once nearly exhausted the heap. Here three bombs go
 * through the API at once — a 400 MB shared string, a 400 MB inline cell (both declared as 1 KB
 * in their zip headers, so only the inflating scan finds them) and 400 MB of small rows declared
 * as 1 KB (only counting the inflated bytes finds it, at the 256 MB part cap) — while the process's
 * RSS is sampled every few milliseconds. Before the guard each of them was inflated in full by
 * exceljs, holding the 400 MB string (twice, as UTF-8 and UTF-16) and copying it into the error
 * workbook.
 */
let t: TestApp;
let admin: Client;

beforeAll(async () => {
  t = await createTestApp();
  admin = await t.login('fs_admin');
});
afterAll(() => t?.close());

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('three decompression bombs uploaded at once (issue 10, finding 4)', () => {
  it('are refused by name with RSS growth under 300 MB over idle', { timeout: 120_000 }, async () => {
    const bombs = [
      { name: 'shared-string.xlsx', bytes: sharedStringBomb(400, true), code: 'IMPORT.CELL_TOO_LONG', names: 'xl/sharedStrings.xml 的第 1 个共享字符串' },
      { name: 'inline-cell.xlsx', bytes: inlineCellBomb(400, true), code: 'IMPORT.CELL_TOO_LONG', names: 'xl/worksheets/sheet1.xml 的单元格 B2' },
      { name: 'rows.xlsx', bytes: lyingRowsBomb(400), code: 'IMPORT.PART_TOO_LARGE', names: 'xl/worksheets/sheet1.xml 解压后超过 256 MB' },
    ];
    for (const b of bombs) expect(b.bytes.length).toBeLessThan(2 * 1024 * 1024);

    // Idle: the app up, nothing running.
    await sleep(200);
    let idle = 0;
    for (let i = 0; i < 20; i++) {
      idle = Math.max(idle, process.memoryUsage().rss);
      await sleep(5);
    }
    let peak = idle;
    const sampler = setInterval(() => {
      peak = Math.max(peak, process.memoryUsage().rss);
    }, 3);
    const t0 = performance.now();
    try {
      const jobs = await Promise.all(
        bombs.map(async (b) => {
          const res = await admin.request({ method: 'POST', url: '/api/imports/staff', payload: uploadForm(b.bytes, b.name) });
          expect(res.statusCode, res.body).toBe(202);
          const { id } = res.json() as { id: string };
          await waitForImport(t.database.db, id, 90_000);
          return (await admin.get(`/api/imports/jobs/${id}`)).json() as { status: string; messageCode: string; message: string; hasErrorReport: boolean };
        }),
      );
      jobs.forEach((job, i) => {
        expect(job, JSON.stringify(job)).toMatchObject({ status: 'failed', messageCode: bombs[i].code, hasErrorReport: false });
        expect(job.message).toContain(bombs[i].names);
      });
    } finally {
      clearInterval(sampler);
    }
    peak = Math.max(peak, process.memoryUsage().rss);
    const growthMb = Math.round((peak - idle) / 2 ** 20);
    const seconds = Math.round(performance.now() - t0) / 1000;
    console.log(`[bombs ${process.env.LINKAGE_TEST_DB}] idle RSS ${Math.round(idle / 2 ** 20)} MB, peak ${Math.round(peak / 2 ** 20)} MB, growth ${growthMb} MB, ${seconds} s for three`);
    expect(growthMb).toBeLessThan(300);

    // The English message names the same part and cell.
    const en = await admin.request({ method: 'GET', url: '/api/imports/', headers: { 'accept-language': 'en' } });
    expect(JSON.stringify(en.json())).toContain('cell B2 of xl/worksheets/sheet1.xml');
  });
});
