import ExcelJS from 'exceljs';
import { describe, expect, it } from 'vitest';
import { AppError } from '../../errors.js';
import { openSheet, type SheetColumn, type SheetRow } from './sheet-reader.js';
import { inlineCellBomb, lyingRowsBomb, sharedStringBomb, workbookParts, zipParts } from './testing.js';
import { EXCEL_MAX_CELL_CHARS, guardXlsx, type UploadLimits, uploadLimitsOf } from './upload-guard.js';

/** Issue 10 finding 4 (decision 0021): the bombs are built at test time, never committed. */
const DEFAULTS = uploadLimitsOf({ IMPORT_MAX_PART_MB: 256, IMPORT_MAX_SHARED_STRINGS: 2_000_000, IMPORT_MAX_LINE_KB: 256 });
const COLUMNS: SheetColumn[] = [
  { key: 'staffNo', header: '工号', headerEn: 'Staff No.', required: true },
  { key: 'name', header: '姓名', headerEn: 'Name', required: true },
];

async function refusal(p: Promise<unknown>): Promise<AppError> {
  try {
    await p;
  } catch (e) {
    expect(e).toBeInstanceOf(AppError);
    return e as AppError;
  }
  throw new Error('not refused');
}

const sheetXml = (rows: string) => ({
  name: 'xl/worksheets/sheet1.xml',
  data: Buffer.from(`<?xml version="1.0"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>${rows}</sheetData></worksheet>`),
});
const sst = (items: string[], uniqueCount = items.length) => ({
  name: 'xl/sharedStrings.xml',
  data: Buffer.from(
    `<?xml version="1.0"?><sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" count="${items.length}" uniqueCount="${uniqueCount}">${items.map((s) => `<si>${s}</si>`).join('')}</sst>`,
  ),
});

describe('the upload guard (.xlsx)', () => {
  it('lets an ordinary workbook through, cells of exactly 32,767 characters (entities counted as one) included', async () => {
    const wb = new ExcelJS.Workbook();
    const ws = wb.addWorksheet('花名册');
    ws.addRow(['工号', '姓名']);
    ws.addRow(['F001', '&'.repeat(EXCEL_MAX_CELL_CHARS)]);
    ws.addRow(['F002', '张'.repeat(EXCEL_MAX_CELL_CHARS)]);
    const bytes = Buffer.from(await wb.xlsx.writeBuffer());
    await guardXlsx(bytes, DEFAULTS);
    const sheet = await openSheet({ bytes, fileName: 'ok.xlsx' }, COLUMNS, DEFAULTS);
    const rows: SheetRow[] = [];
    for await (const r of sheet.rows) rows.push(r);
    expect(rows.map((r) => String(r.cells.name).length)).toEqual([EXCEL_MAX_CELL_CHARS, EXCEL_MAX_CELL_CHARS]);
  });

  it('refuses a part that declares 400 MB from the zip directory, naming it', async () => {
    const e = await refusal(openSheet({ bytes: sharedStringBomb(400), fileName: 'bomb.xlsx' }, COLUMNS, DEFAULTS));
    expect(e.code).toBe('IMPORT.PART_TOO_LARGE');
    expect(e.details).toMatchObject({ part: 'xl/sharedStrings.xml', how: 'declared', maxMb: 256 });
    expect(e.text?.zh).toContain('xl/sharedStrings.xml 解压后超过 256 MB');
  });

  it('refuses a 400 MB shared string declared as 1 KB after 32 K characters, naming the part and the string, in little time and memory', async () => {
    const bomb = sharedStringBomb(400, true);
    expect(bomb.length).toBeLessThan(1024 * 1024);
    const rss0 = process.memoryUsage().rss;
    const t0 = performance.now();
    const e = await refusal(openSheet({ bytes: bomb, fileName: 'bomb.xlsx' }, COLUMNS, DEFAULTS));
    expect(performance.now() - t0).toBeLessThan(5000);
    expect(process.memoryUsage().rss - rss0).toBeLessThan(100 * 2 ** 20);
    expect(e.code).toBe('IMPORT.CELL_TOO_LONG');
    expect(e.details).toMatchObject({ part: 'xl/sharedStrings.xml', string: 1, maxChars: 32_767 });
    expect(e.text?.zh).toContain('xl/sharedStrings.xml 的第 1 个共享字符串');
    expect(e.text?.en).toContain('shared string 1 of xl/sharedStrings.xml');
  });

  it('refuses a 400 MB inline cell declared as 1 KB, naming the cell', async () => {
    const e = await refusal(openSheet({ bytes: inlineCellBomb(400, true), fileName: 'bomb.xlsx' }, COLUMNS, DEFAULTS));
    expect(e.code).toBe('IMPORT.CELL_TOO_LONG');
    expect(e.details).toMatchObject({ part: 'xl/worksheets/sheet1.xml', cell: 'B2' });
    expect(e.text?.en).toContain('cell B2 of xl/worksheets/sheet1.xml');
  });

  it('counts the inflated bytes: a part that declares 1 KB and inflates past the cap is refused', async () => {
    const limits: UploadLimits = { ...DEFAULTS, maxPartBytes: 4 * 2 ** 20 };
    const e = await refusal(guardXlsx(lyingRowsBomb(16), limits));
    expect(e.code).toBe('IMPORT.PART_TOO_LARGE');
    expect(e.details).toMatchObject({ part: 'xl/worksheets/sheet1.xml', how: 'inflated', maxMb: 4 });
    // The same file with honest sizes is refused from the zip directory, before inflating.
    const honest = zipParts(workbookParts({ name: 'xl/worksheets/sheet1.xml', deflated: Buffer.from('not deflate at all'), size: 5 * 2 ** 20, crc: 0 }));
    expect((await refusal(guardXlsx(honest, limits))).details).toMatchObject({ part: 'xl/worksheets/sheet1.xml', how: 'declared' });
  });

  it('adds up the runs of a rich-text string; counts shared strings, declared and actual', async () => {
    const half = `<r><t>${'A'.repeat(20_000)}</t></r>`;
    const rich = zipParts(workbookParts(sheetXml(''), sst(['<t>x</t>', half + half])));
    expect((await refusal(guardXlsx(rich, DEFAULTS))).details).toMatchObject({ part: 'xl/sharedStrings.xml', string: 2 });

    const eleven = zipParts(
      workbookParts(
        sheetXml(''),
        sst(
          Array.from({ length: 11 }, (_, i) => `<t>${i}</t>`),
          1,
        ),
      ),
    );
    const few = { ...DEFAULTS, maxSharedStrings: 10 };
    const e = await refusal(guardXlsx(eleven, few));
    expect(e.code).toBe('IMPORT.TOO_MANY_STRINGS');
    expect(e.text?.zh).toContain('10 个上限');
    const declared = zipParts(workbookParts(sheetXml(''), sst(['<t>x</t>'], 3_000_000)));
    expect((await refusal(guardXlsx(declared, DEFAULTS))).code).toBe('IMPORT.TOO_MANY_STRINGS');
    await guardXlsx(zipParts(workbookParts(sheetXml(''), sst(['<t>x</t>'], 10))), few);
  });

  it('refuses zip structures a streaming reader would see differently', async () => {
    const good = zipParts(workbookParts(sheetXml('')));
    // 64 bytes in front: the directory's offsets no longer point at the local entries.
    expect((await refusal(guardXlsx(Buffer.concat([Buffer.alloc(64), good]), DEFAULTS))).code).toBe('IMPORT.BAD_FILE');
    expect((await refusal(guardXlsx(good.subarray(0, good.length - 30), DEFAULTS))).code).toBe('IMPORT.BAD_FILE');
  });
});

describe('the upload guard (.csv)', () => {
  const csv = (s: string) => Buffer.from(s, 'utf8');
  it('refuses a line over the cap, also one that is an unclosed quote running to the end', async () => {
    const limits = { ...DEFAULTS, maxLineChars: 1024 };
    const long = csv(`工号,姓名\nF1,${'x'.repeat(2000)}\n`);
    const e = await refusal(
      openSheet({ bytes: long, fileName: 'a.csv' }, COLUMNS, limits).then(async (s) => {
        for await (const _ of s.rows);
      }),
    );
    expect(e.code).toBe('IMPORT.LINE_TOO_LONG');
    expect(e.text?.zh).toMatch(/第2行超过 1 KB/);
    const quote = csv(`工号,姓名\nF1,"${'张三\n'.repeat(1000)}\n`);
    expect(
      (
        await refusal(
          openSheet({ bytes: quote, fileName: 'a.csv' }, COLUMNS, limits).then(async (s) => {
            for await (const _ of s.rows);
          }),
        )
      ).code,
    ).toBe('IMPORT.LINE_TOO_LONG');
  });

  it('refuses a cell over 32,767 characters, naming it', async () => {
    const bytes = csv(`工号,姓名\nF1,ok\nF2,${'x'.repeat(EXCEL_MAX_CELL_CHARS + 1)}\n`);
    const e = await refusal(
      openSheet({ bytes, fileName: 'a.csv' }, COLUMNS, DEFAULTS).then(async (s) => {
        for await (const _ of s.rows);
      }),
    );
    expect(e.code).toBe('IMPORT.CELL_TOO_LONG');
    expect(e.details).toMatchObject({ part: 'CSV', cell: 'B3' });
  });
});
