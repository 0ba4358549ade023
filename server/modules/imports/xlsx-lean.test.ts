import { PassThrough } from 'node:stream';
import ExcelJS from 'exceljs';
import { describe, expect, it } from 'vitest';
import { templateWorkbook } from './template.js';
import { leanReads, openSheet, type SheetRow, xlsxRawRows } from './sheet-reader.js';
import { type ZipPart, zipParts } from './testing.js';

/**
 * The lean .xlsx reader (decision 0052) must give exactly the cells exceljs gives (after
 * flattenCell) for every workbook: each case is read by both and compared value by value (Dates
 * by time, NaN as NaN, array length and holes included). `lean` says whether the lean reader read
 * it itself or fell back to exceljs.
 */
async function same(bytes: Buffer, lean: boolean) {
  const show = (rows: Awaited<ReturnType<typeof xlsxRawRows>>) =>
    rows.map((r) => ({
      rowNumber: r.rowNumber,
      length: r.values.length,
      values: r.values.map((v) => (v instanceof Date ? `Date(${v.getTime()})` : Number.isNaN(v) ? 'NaN' : Object.is(v, -0) ? '-0' : v)),
    }));
  const b = show(await xlsxRawRows(bytes, 'lean'));
  // exceljs itself races on a sheet stored before sharedStrings.xml/styles.xml (Excel's order): now
  // and then its entry loop ends early and the sheet is read without them ("[object Object]" for
  // every shared string, numbers for dates). The lean reader is deterministic; exceljs must give
  // exactly its rows in one of a few reads.
  let a = await xlsxRawRows(bytes, 'exceljs');
  for (let attempt = 1; attempt < 8 && JSON.stringify(show(a)) !== JSON.stringify(b); attempt++) a = await xlsxRawRows(bytes, 'exceljs');
  expect(b).toEqual(show(a));
  expect(await leanReads(bytes)).toBe(lean);
  return a;
}

async function book(build: (wb: ExcelJS.Workbook) => void): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  build(wb);
  return Buffer.from(await wb.xlsx.writeBuffer());
}

async function streamed(rows: unknown[][], opts: { useSharedStrings: boolean; numFmt?: string }): Promise<Buffer> {
  const out = new PassThrough();
  const parts: Buffer[] = [];
  out.on('data', (c: Buffer) => parts.push(c));
  const wb = new ExcelJS.stream.xlsx.WorkbookWriter({ stream: out, useSharedStrings: opts.useSharedStrings, useStyles: true });
  const ws = wb.addWorksheet('s');
  for (const r of rows) {
    const row = ws.addRow(r);
    if (opts.numFmt) row.getCell(2).numFmt = opts.numFmt;
    row.commit();
  }
  ws.commit();
  await wb.commit();
  return Buffer.concat(parts);
}

const MIXED: unknown[][] = [
  ['工号', '姓名', '所属机构号', '日期', '金额', '布尔', '公式', '备注'],
  ['F001', '张三 & <李四> "引号" \'单\'', '4406', new Date(Date.UTC(2026, 9, 12)), 1234.5, true, { formula: '1+1', result: 2 }, null],
  ['F002', { richText: [{ text: '欧阳' }, { font: { bold: true }, text: '修' }] }, 4406, new Date(Date.UTC(1900, 0, 1)), -0, false, { formula: '"a"&"b"', result: 'ab' }, '&amp; stays &amp;'],
  ['F003', null, null, null, 1e21, null, { formula: 'NA()', result: { error: '#N/A' } }, { text: '链接', hyperlink: 'https://example.cn' }],
  [],
  ['F004', '  空格  ', '0440', new Date(Date.UTC(2026, 0, 1, 13, 45, 30)), 0.1 + 0.2, null, { formula: 'TODAY()' }, { error: '#DIV/0!' }],
  [null, null, null, null, null, null, null, 'only the last'],
];

describe('lean .xlsx reader = exceljs, cell for cell', () => {
  it('workbooks exceljs writes in memory (shared strings, styles, dates, formulas, rich text, merges)', async () => {
    const bytes = await book((wb) => {
      const ws = wb.addWorksheet('花名册');
      for (const r of MIXED) ws.addRow(r);
      ws.getCell('E2').numFmt = '0.00%';
      ws.getCell('E3').numFmt = 'yyyy"年"m"月"d"日"';
      ws.getCell('C2').numFmt = '@';
      ws.getCell('E6').numFmt = '[$-F800]dddd, mmmm dd, yyyy';
      ws.getCell('C6').numFmt = '"d"0';
      ws.mergeCells('A7:B7');
      ws.mergeCells('C3:C4');
      wb.addWorksheet('说明').addRow(['这张表不被读取', 1, new Date(0)]);
    });
    const rows = await same(bytes, true);
    expect(rows.length).toBe(MIXED.length - 1); // the empty row is not written
  });

  it('workbooks exceljs streams (inline strings, no sharedStrings.xml — the bench files), and with shared strings', async () => {
    const rows = MIXED.map((r) => r.map((v) => (v && typeof v === 'object' && 'richText' in v ? 'rich' : v)));
    await same(await streamed(rows, { useSharedStrings: false }), true);
    await same(await streamed(rows, { useSharedStrings: false, numFmt: 'yyyy-mm-dd' }), true);
    await same(await streamed(rows, { useSharedStrings: true, numFmt: 'hh:mm' }), true);
  });

  it('a 1904 workbook gives the same dates', async () => {
    const bytes = await book((wb) => {
      wb.properties.date1904 = true;
      const ws = wb.addWorksheet('s');
      ws.addRow(['日期', new Date(Date.UTC(2026, 9, 12)), 45000]);
      ws.getCell('C1').numFmt = 'yyyy-mm-dd';
    });
    await same(bytes, true);
  });

  it('the import templates of every column shape', async () => {
    const columns = [
      { key: 'code', header: '工号', headerEn: 'Staff No.', required: true, text: true, example: '0440', invalid: { zh: 'x', en: 'x' }, note: { zh: '说明', en: 'note' } },
      { key: 'name', header: '姓名', headerEn: 'Name', required: true, example: '张三', invalid: { zh: 'x', en: 'x' } },
      { key: 'amount', header: '金额（万元）', headerEn: 'Amount', required: false, example: 12.5, invalid: { zh: 'x', en: 'x' } },
      { key: 'date', header: '日期', headerEn: 'Date', required: false, example: '2026-10-12', invalid: { zh: 'x', en: 'x' } },
    ];
    await same(await templateWorkbook({ labelZh: '员工', columns: columns as never }), true);
  });

  it('6,000 rows of Chinese text across chunk boundaries', async () => {
    const rows: unknown[][] = [['工号', '姓名', '所属机构号']];
    for (let i = 0; i < 6000; i++) rows.push([`F${i}`, `员工${i}号欧阳`, i % 7 === 0 ? null : '在职在职在职']);
    await same(await streamed(rows, { useSharedStrings: false }), true);
    await same(
      await book((wb) => {
        const ws = wb.addWorksheet('s');
        for (const r of rows) ws.addRow(r);
      }),
      true,
    );
  });
});

// ---- hand-written parts: the quirks of exceljs's parsers, and what the lean reader leaves to exceljs ----

const NS = 'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"';
const XML = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n';
const STYLES = `${XML}<styleSheet ${NS}><numFmts count="2"><numFmt numFmtId="164" formatCode="yyyy&quot;年&quot;m&quot;月&quot;"/><numFmt numFmtId="165" formatCode="&quot;day&quot;0.00"/></numFmts><fonts count="1"><font><sz val="11"/><name val="Calibri"/></font></fonts><fills count="1"><fill><patternFill patternType="none"/></fill></fills><borders count="1"><border/></borders><cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs><cellXfs count="5"><xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/><xf numFmtId="14" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/><xf numFmtId="164" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/><xf numFmtId="165" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/><xf numFmtId="49" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/></cellXfs></styleSheet>`;
const SST = `${XML}<sst ${NS} count="8" uniqueCount="8"><si><t>工号</t></si><si><t xml:space="preserve"> 姓名 &amp;lt;x&amp;gt; &#x4E2D;&#25991; </t></si><si><r><t>欧阳</t></r><r><rPr><b/></rPr><t>修</t></r></si><si><t>张</t><rPh sb="0" eb="1"><t>ちょう</t></rPh><phoneticPr fontId="1"/></si><si><t/></si><si>
  <t>line1\r\nline2</t>
</si><si><t>a<![CDATA[hidden]]>b</t></si><si><!-- c --><t>注释</t></si></sst>`;
const ROWS = [
  '<row r="1"><c r="A1" t="s"><v>0</v></c><c r="B1" t="s"><v>1</v></c><c r="C1" t="s"><v>2</v></c><c r="D1" t="s"><v>3</v></c><c r="E1" t="s"><v>4</v></c><c r="F1" t="s"><v>5</v></c><c r="G1" t="s"><v>6</v></c><c r="H1" t="s"><v>7</v></c><c r="I1" t="s"><v>99</v></c></row>',
  '<row r="2"><c r="A2" s="1"><v>46307</v></c><c r="B2" s="2"><v>46307.5</v></c><c r="C2" s="3"><v>46307</v></c><c r="D2" s="4"><v>12</v></c><c r="E2" s="9"><v>1</v></c><c r="F2"><v>1e3</v></c><c r="G2"><v>-0</v></c><c r="H2"><v></v></c><c r="I2" s="1"/></row>',
  '<row r="3" s="1" customFormat="1"><c r="A3"><v>46307</v></c><c r="B3" s="0"><v>46307</v></c><c r="C3" s="4"><v>46307</v></c><c r="E3" t="n"><v>7</v></c></row>',
  '<row r="4"><c r="A4" t="inlineStr"><is><t>内联 &amp;amp;lt; &amp;quot;</t></is></c><c r="B4" t="inlineStr"><is><r><t>张</t></r><r><t>三</t></r></is></c><c r="C4" t="str"><f>A4</f><v>x &amp;amp; y</v></c><c r="D4"><f>1+1</f><v>2</v></c><c r="E4" t="b"><f>TRUE()</f><v>1</v></c><c r="F4" t="e"><f>NA()</f><v>#N/A</v></c><c r="G4"><f>TODAY()</f></c><c r="H4" s="1"><f t="shared" ref="H4:H5" si="0">A2</f><v>46307</v></c><c r="I4"><f>0*1</f><v>0</v></c><c r="J4" t="str"><f>""&amp;""</f><v></v></c></row>',
  '<row r="5"><c r="A5" t="b"><v>0</v></c><c r="B5" t="b"><v>1</v></c><c r="C5" t="b"><v></v></c><c r="D5" t="e"><v>#REF!</v></c><c r="E5" t="e"><v></v></c><c r="H5"><f t="shared" si="0"/><v>3</v></c><c r="I5"><f t="shared" si="1"/><v>0</v></c><c r="J5" t="e"><f t="shared" si="2"/><v>#N/A</v></c><c r="K5"><f t="shared" si="3"/></c></row>',
  '<row r="6"></row><row r="7"><c r="Z7" t="s"><v>0</v></c></row>',
  '<row r="8">\n  <c r="A8" t="s">\n    <v>2</v>\n  </c>\n  <c r="B8" t="inlineStr"> <is> <t>前</t> 后 </is> </c>\n  <c r="C8"><v>5</v> 尾</c>\n</row>',
  '<row r="9"><c r="A9" t="d"><v>2026-10-12</v></c><c r="B9" s="1" t="d"><v>2026</v></c><c r="XFD9"><v>1</v></c></row>',
];
const sheetXml = (rows: string[], extra = '') => `${XML}<worksheet ${NS}><dimension ref="A1:I9"/><sheetData>${rows.join('')}</sheetData>${extra}</worksheet>`;
const WORKBOOK = (pr = '') => `${XML}<workbook ${NS}>${pr}<sheets><sheet name="Sheet1" sheetId="1" r:id="rId1"/></sheets></workbook>`;
const RELS = `${XML}<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/></Relationships>`;

function handMade(opts: { sheet?: string; sst?: string | null; styles?: string | null; workbook?: string; order?: string[] } = {}): Buffer {
  const text = (name: string, s: string): ZipPart => ({ name, data: Buffer.from(s, 'utf8') });
  const all: Record<string, ZipPart | null> = {
    '[Content_Types].xml': text('[Content_Types].xml', `${XML}<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"/>`),
    'xl/workbook.xml': text('xl/workbook.xml', opts.workbook ?? WORKBOOK()),
    'xl/_rels/workbook.xml.rels': text('xl/_rels/workbook.xml.rels', RELS),
    'xl/styles.xml': opts.styles === null ? null : text('xl/styles.xml', opts.styles ?? STYLES),
    'xl/sharedStrings.xml': opts.sst === null ? null : text('xl/sharedStrings.xml', opts.sst ?? SST),
    'xl/worksheets/sheet1.xml': text('xl/worksheets/sheet1.xml', opts.sheet ?? sheetXml(ROWS)),
  };
  const order = opts.order ?? Object.keys(all);
  return zipParts(order.map((n) => all[n]).filter((p): p is ZipPart => p !== null));
}

describe('lean .xlsx reader = exceljs on hand-written parts', () => {
  it('shared, inline and formula strings, entities, phonetic runs, whitespace, dates by cell and row style, booleans, errors', async () => {
    const rows = await same(handMade(), true);
    expect(rows.find((r) => r.rowNumber === 2)!.values[0]).toBeInstanceOf(Date);
  });

  it('the sheet before the shared strings (Excel’s order: read after them), and a 1904 workbook', async () => {
    await same(handMade({ order: ['[Content_Types].xml', 'xl/workbook.xml', 'xl/_rels/workbook.xml.rels', 'xl/worksheets/sheet1.xml', 'xl/styles.xml', 'xl/sharedStrings.xml'] }), true);
    await same(handMade({ workbook: WORKBOOK('<workbookPr date1904="1"/>') }), true);
  });

  it('leaves to exceljs what it does not know, with the same result', async () => {
    // styles after a sheet exceljs reads there and then: exceljs gives no dates, the lean reader declines
    await same(handMade({ order: ['[Content_Types].xml', 'xl/workbook.xml', 'xl/_rels/workbook.xml.rels', 'xl/sharedStrings.xml', 'xl/worksheets/sheet1.xml', 'xl/styles.xml'] }), false);
    await same(handMade({ styles: null }), false);
    await same(handMade({ sst: null, sheet: sheetXml(['<row r="1"><c r="A1" t="s"><v>0</v></c></row>']) }), false);
    await same(handMade({ sheet: sheetXml(['<row r="1"><c r="B1"><v>1</v></c><c r="A1"><v>2</v></c></row>']) }), false);
    await same(handMade({ sheet: sheetXml(['<row r="1"><c r="A1"><v>1</v></c><c r="A1"><v>2</v></c></row>']) }), false);
    await same(handMade({ sheet: `${XML}<!DOCTYPE x [<!ENTITY e "x">]><worksheet ${NS}><sheetData/></worksheet>` }), false);
    await same(handMade({ sst: `${XML}<!DOCTYPE sst><sst ${NS}><si><t>x</t></si></sst>` }), false);
  });

  it('leaves malformed XML to exceljs (which refuses it or reads it its own way)', async () => {
    for (const sheet of [
      sheetXml(['<row r="1"><c r="A1" t="inlineStr"><is><t>&nbsp;</t></is></c></row>']),
      sheetXml(['<row r="1"><c r="A1" t="inlineStr"><is><t>a & b</t></is></c></row>']),
      sheetXml(['<row r="1"><c r="A1"><v>1</v></row>']),
      sheetXml(['<row r="1"><c t="inlineStr"><is><t>无坐标</t></is></c></row>']),
      sheetXml(['<row r="1"><c r="A1" t="inlineStr"><is><t>控制\u0001字符</t></is></c></row>']),
      sheetXml(['<row r="1"><c r="A1" t="inlineStr"><is><t>非字符\uffff</t></is></c></row>']),
    ]) {
      const bytes = handMade({ sheet });
      expect(await leanReads(bytes)).toBe(false);
      const outcome = (reader: 'lean' | 'exceljs') =>
        xlsxRawRows(bytes, reader).then(
          (rows) => JSON.stringify(rows),
          (e: unknown) => `refused: ${(e as Error).message}`,
        );
      expect(await outcome('lean')).toBe(await outcome('exceljs'));
    }
  });
});

describe('openSheet reads through the lean reader', () => {
  it('gives the same rows, merges applied, totals skipped, as with exceljs', async () => {
    const bytes = await book((wb) => {
      const ws = wb.addWorksheet('花名册');
      ws.addRow(['佛山分行员工花名册']);
      ws.mergeCells('A1:E1');
      ws.addRow(['序号', '工号', '姓名', '所属机构号', '手机号码']);
      ws.addRow([1, 'F001', '张三', '4406', 13800138000]);
      ws.addRow([2, 'F002', '李四', null, null]);
      ws.mergeCells('D3:D4');
      ws.addRow([3, 'F003', '王五', '4406', null]);
      ws.mergeCells('B5:C5');
      ws.addRow(['合计', null, null, null, null]);
    });
    const columns = [
      { key: 'staffNo', header: '工号', headerEn: 'Staff No.', required: true },
      { key: 'name', header: '姓名', headerEn: 'Name', required: true },
      { key: 'orgCode', header: '所属机构号', headerEn: 'Org code', required: true },
      { key: 'phone', header: '手机号', headerEn: 'Mobile', aliases: ['手机号码'], required: false },
    ];
    const read = async (reader: 'lean' | 'exceljs') => {
      const sheet = await openSheet({ bytes, fileName: 'x.xlsx', reader }, columns);
      const rows: SheetRow[] = [];
      for await (const r of sheet.rows) rows.push(r);
      return { headerRow: sheet.headerRow, headers: sheet.headers, rows, merges: sheet.appliedMerges, totals: sheet.skippedTotals };
    };
    const lean = await read('lean');
    expect(lean).toEqual(await read('exceljs'));
    expect(lean.merges).toEqual([{ header: '所属机构号', top: 3, bottom: 4 }]);
    expect(lean.totals).toEqual([6]);
    expect(lean.rows.find((r) => r.rowNumber === 5)!.problems.map((p) => p.code)).toEqual(['IMPORT.MERGED_CELL']);
  });
});
