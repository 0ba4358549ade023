import ExcelJS from 'exceljs';
import { describe, expect, it } from 'vitest';
import { AppError } from '../../errors.js';
import { encodeGb18030 } from './testing.js';
import { decodeText, estimateRows, openSheet, type SheetColumn, type SheetRow } from './sheet-reader.js';

const COLUMNS: SheetColumn[] = [
  { key: 'staffNo', header: '工号', headerEn: 'Staff No.', required: true },
  { key: 'name', header: '姓名', headerEn: 'Name', required: true },
  { key: 'orgCode', header: '所属机构号', headerEn: 'Org code', required: true },
  { key: 'phone', header: '手机号', headerEn: 'Mobile', aliases: ['手机号码'], required: false },
  { key: 'email', header: '邮箱', headerEn: 'Email', required: false },
];

async function all(rows: AsyncGenerator<SheetRow>): Promise<SheetRow[]> {
  const out: SheetRow[] = [];
  for await (const r of rows) out.push(r);
  return out;
}

async function xlsx(build: (ws: ExcelJS.Worksheet) => void): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  build(wb.addWorksheet('花名册'));
  wb.addWorksheet('说明').addRow(['这张表不被读取']);
  return Buffer.from(await wb.xlsx.writeBuffer());
}

describe('openSheet: an office sheet’s shape (issue 18)', () => {
  it('fills a column merged down into the rows with data only, skips the 合计 row, flags a merge across columns', async () => {
    const bytes = await xlsx((ws) => {
      ws.addRow(['序号', '工号', '姓名', '所属机构号', '手机号码']); // row 1
      ws.addRow([1, 'F001', '张三', '4406', null]); // row 2
      ws.addRow([2, 'F002', '李四', null, null]); // row 3
      ws.addRow([]); // row 4: blank, inside the merge
      ws.addRow([3, 'F003', '王五', null, 13800138000]); // row 5: outside the merge
      ws.mergeCells('D2:D4');
      ws.addRow([4, 'F004', '赵六', '4406', null]); // row 6
      ws.mergeCells('B6:C6');
      ws.addRow(['小 计', null, null, null, null]); // row 7
    });
    const sheet = await openSheet({ bytes, fileName: 'x.xlsx' }, COLUMNS);
    const rows = await all(sheet.rows);
    expect(rows.map((r) => [r.rowNumber, r.cells.orgCode])).toEqual([
      [2, '4406'],
      [3, '4406'],
      [5, null],
      [6, '4406'],
    ]);
    expect(sheet.appliedMerges).toEqual([{ header: '所属机构号', top: 2, bottom: 3 }]);
    expect(sheet.skippedTotals).toEqual([7]);
    expect(rows.find((r) => r.rowNumber === 6)!.problems.map((p) => p.code)).toEqual(['IMPORT.MERGED_CELL']);
    expect(rows.filter((r) => r.problems.length).map((r) => r.rowNumber)).toEqual([6]);
  });
});

describe('openSheet (.xlsx)', () => {
  it('skips merged title rows, maps headers, flattens rich text and formulas, skips empty rows', async () => {
    const bytes = await xlsx((ws) => {
      ws.addRow(['佛山分行员工花名册（2026年10月）']);
      ws.mergeCells('A1:F1');
      ws.addRow(['制表单位：人力资源部']);
      ws.addRow(['序号', ' 工号 ', '姓名*', '所属机构号', '手机号码', 'Email']);
      ws.addRow([1, 'F001', { richText: [{ text: '张' }, { text: '三' }] }, '4406', 13800138000, { text: 'a@b.cn', hyperlink: 'mailto:a@b.cn' }]);
      ws.addRow([]);
      ws.addRow([2, 'F002', '李四', { formula: '"44"&"06"', result: '4406' }, null, null]);
      ws.addRow([null, '   ', null, null, null, null]);
    });
    const sheet = await openSheet({ bytes, fileName: 'x.xlsx' }, COLUMNS);
    expect(sheet.headerRow).toBe(3);
    expect(sheet.headers.map((h) => h.key)).toEqual([null, 'staffNo', 'name', 'orgCode', 'phone', 'email']);
    expect(sheet.ignored).toEqual(['序号']);
    const rows = await all(sheet.rows);
    expect(rows.map((r) => r.rowNumber)).toEqual([4, 6]);
    expect(rows[0].cells).toEqual({ staffNo: 'F001', name: '张三', orgCode: '4406', phone: 13800138000, email: 'a@b.cn' });
    expect(rows[0].original[0]).toBe(1);
    expect(rows[1].cells.orgCode).toBe('4406');
    expect(rows[1].cells.phone).toBeNull();
  });

  it('gives date cells as Dates', async () => {
    const bytes = await xlsx((ws) => {
      ws.addRow(['工号', '姓名', '所属机构号', '备注']);
      ws.addRow(['F001', '张三', '4406', new Date(Date.UTC(2026, 9, 12))]);
    });
    const sheet = await openSheet({ bytes, fileName: 'x.xlsx' }, COLUMNS);
    const [row] = await all(sheet.rows);
    expect(row.original[3]).toBeInstanceOf(Date);
    expect((row.original[3] as Date).toISOString().slice(0, 10)).toBe('2026-10-12');
  });

  it('names missing required and unknown columns', async () => {
    const bytes = await xlsx((ws) => {
      ws.addRow(['工号', '姓名', '手机号', '籍贯']);
      ws.addRow(['F001', '张三', '13800138000', '广东']);
    });
    const err = await openSheet({ bytes, fileName: 'x.xlsx' }, COLUMNS).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(AppError);
    expect((err as AppError).code).toBe('IMPORT.NO_HEADER');
    expect((err as AppError).details).toMatchObject({ missing: ['所属机构号'], unknown: ['籍贯'] });
    expect((err as AppError).text?.zh).toContain('缺少必填列：所属机构号');
  });

  it('refuses a sheet without a header row', async () => {
    const bytes = await xlsx((ws) => {
      for (let i = 0; i < 40; i++) ws.addRow(['随便', i]);
    });
    await expect(openSheet({ bytes, fileName: 'x.xlsx' }, COLUMNS)).rejects.toMatchObject({ code: 'IMPORT.NO_HEADER' });
  });

  it('refuses a truncated or corrupt file as IMPORT.BAD_FILE', async () => {
    const good = await xlsx((ws) => {
      ws.addRow(['工号', '姓名', '所属机构号']);
      for (let i = 0; i < 2000; i++) ws.addRow([`F${i}`, '张三', '4406']);
    });
    const cut = good.subarray(0, Math.floor(good.length / 2));
    const err = await (async () => {
      const sheet = await openSheet({ bytes: cut, fileName: 'x.xlsx' }, COLUMNS);
      await all(sheet.rows);
    })().catch((e: unknown) => e);
    expect(err).toBeInstanceOf(AppError);
    expect(['IMPORT.BAD_FILE', 'IMPORT.NO_HEADER']).toContain((err as AppError).code);
    await expect(openSheet({ bytes: Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0, 0]), fileName: 'old.xls' }, COLUMNS)).rejects.toMatchObject({ code: 'IMPORT.BAD_FILE' });
    await expect(openSheet({ bytes: Buffer.from('hello'), fileName: 'a.pdf' }, COLUMNS)).rejects.toMatchObject({ code: 'IMPORT.BAD_FILE' });
  });

  it('estimates rows from the sheet dimension', async () => {
    const bytes = await xlsx((ws) => {
      ws.addRow(['工号', '姓名', '所属机构号']);
      for (let i = 0; i < 500; i++) ws.addRow([`F${i}`, '张三', '4406']);
    });
    expect(estimateRows('x.xlsx', bytes)).toBe(501);
  });
});

describe('openSheet (.csv)', () => {
  const text = '员工花名册,,\n工号,姓名,所属机构号,手机号\nF001,张三,4406,13800138000\n\n"F002","李,四",4406,\n';

  it('reads UTF-8 with a BOM', async () => {
    const bytes = Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(text)]);
    const sheet = await openSheet({ bytes, fileName: 'a.csv' }, COLUMNS);
    expect(sheet.headerRow).toBe(2);
    const rows = await all(sheet.rows);
    expect(rows.map((r) => r.rowNumber)).toEqual([3, 5]);
    expect(rows[1].cells).toEqual({ staffNo: 'F002', name: '李,四', orgCode: '4406', phone: null });
  });

  it('reads GB18030 (what Chinese Excel saves as CSV)', async () => {
    const bytes = encodeGb18030(text);
    expect(() => new TextDecoder('utf-8', { fatal: true }).decode(bytes)).toThrow();
    const sheet = await openSheet({ bytes, fileName: 'a.csv' }, COLUMNS);
    const rows = await all(sheet.rows);
    expect(rows[0].cells.name).toBe('张三');
    expect(rows[1].cells.name).toBe('李,四');
  });

  it('reads tab-separated UTF-16 (Excel "Unicode text")', async () => {
    const body = text.replace(/,/g, '\t').replace('"李\t四"', '李四');
    const bytes = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(body, 'utf16le')]);
    expect(decodeText(bytes)).toBe(body);
    const rows = await all((await openSheet({ bytes, fileName: 'a.txt' }, COLUMNS)).rows);
    expect(rows[1].cells.name).toBe('李四');
  });
});

describe('exceljs chunk boundaries', () => {
  // exceljs 4.4 decodes every inflated chunk on its own; without our fix a character on a
  // boundary comes back as U+FFFD about once in ten thousand cells.
  it.each([
    ['inline strings (streaming writer)', true],
    ['shared strings (Excel, workbook writer)', false],
  ])('keeps every Chinese character intact: %s', async (_label, streaming) => {
    const n = 6000;
    const rowOf = (i: number) => [`F${i}`, `员工${i}号欧阳`, '4406', null, '在职在职在职'];
    let bytes: Buffer;
    if (streaming) {
      const { PassThrough } = await import('node:stream');
      const out = new PassThrough();
      const parts: Buffer[] = [];
      out.on('data', (c: Buffer) => parts.push(c));
      const wb = new ExcelJS.stream.xlsx.WorkbookWriter({ stream: out });
      const ws = wb.addWorksheet('s');
      ws.addRow(['工号', '姓名', '所属机构号', '手机号', '邮箱']).commit();
      for (let i = 0; i < n; i++) ws.addRow(rowOf(i)).commit();
      ws.commit();
      await wb.commit();
      bytes = Buffer.concat(parts);
    } else {
      bytes = await xlsx((ws) => {
        ws.addRow(['工号', '姓名', '所属机构号', '手机号', '邮箱']);
        for (let i = 0; i < n; i++) ws.addRow(rowOf(i));
      });
    }
    // Both readers: the lean one (decision 0052) and exceljs, which it falls back to.
    for (const reader of ['lean', 'exceljs'] as const) {
      const rows = await all((await openSheet({ bytes, fileName: 'x.xlsx', reader }, COLUMNS)).rows);
      expect(rows).toHaveLength(n);
      const broken = rows.filter((r, i) => r.cells.name !== rowOf(i)[1] || r.cells.email !== '在职在职在职');
      expect(broken.map((r) => r.rowNumber)).toEqual([]);
    }
  });
});

describe('exceljs workbook/worksheet race', () => {
  it('reads the same small workbook 400 times, 20 at a time, without a spurious failure', async () => {
    const wb = new ExcelJS.Workbook();
    const ws = wb.addWorksheet('Sheet1');
    ws.addRow(COLUMNS.map((c) => c.header));
    for (let i = 0; i < 5; i++) ws.addRow(COLUMNS.map((c) => `${c.key}${i}`));
    const bytes = Buffer.from(await wb.xlsx.writeBuffer());
    const failures: string[] = [];
    for (let round = 0; round < 20; round++) {
      await Promise.all(
        Array.from({ length: 20 }, async () => {
          try {
            const sheet = await openSheet({ bytes, fileName: 'a.xlsx', reader: 'exceljs' }, COLUMNS);
            let n = 0;
            for await (const _ of sheet.rows) n++;
            if (n !== 5) failures.push(`rows ${n}`);
          } catch (e) {
            failures.push((e as Error).message);
          }
        }),
      );
    }
    expect(failures).toEqual([]);
  });
});
