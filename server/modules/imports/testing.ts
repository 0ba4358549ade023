import { crc32, deflateRawSync, constants as zlibConstants } from 'node:zlib';

/** Helpers for the import tests (not a test file itself). */

/** A GB18030 encoder for tests, built by decoding every two-byte GBK sequence once. */
let gbk: Map<string, Buffer> | undefined;
export function encodeGb18030(text: string): Buffer {
  if (!gbk) {
    gbk = new Map();
    const dec = new TextDecoder('gb18030');
    for (let a = 0x81; a <= 0xfe; a++) {
      for (let b = 0x40; b <= 0xfe; b++) {
        if (b === 0x7f) continue;
        const ch = dec.decode(Buffer.from([a, b]));
        if (ch.length === 1 && !gbk.has(ch)) gbk.set(ch, Buffer.from([a, b]));
      }
    }
  }
  return Buffer.concat([...text].map((c) => (c.charCodeAt(0) < 0x80 ? Buffer.from(c) : (gbk!.get(c) ?? Buffer.from('?')))));
}

/** A multipart body with one file and an optional mode, as the console sends it. */
export function uploadForm(bytes: Buffer, fileName: string, mode?: 'all' | 'valid_only'): FormData {
  const form = new FormData();
  if (mode) form.append('mode', mode);
  form.append('file', new Blob([new Uint8Array(bytes)]), fileName);
  return form;
}

// ---- decompression bombs, built at test time (issue 10 finding 4, decision 0021) ------------------

/** A part of a zip: its uncompressed bytes, or a raw deflate stream with its size and CRC. */
export type ZipPart = { name: string; data: Buffer } | { name: string; deflated: Buffer; size: number; crc: number };

/**
 * A zip of the given parts, written by hand so a test can make it lie: `declared` replaces the
 * uncompressed size written in a part's local header and zip directory.
 */
export function zipParts(parts: ZipPart[], declared: Record<string, number> = {}): Buffer {
  const locals: Buffer[] = [];
  const centrals: Buffer[] = [];
  let offset = 0;
  for (const p of parts) {
    const name = Buffer.from(p.name, 'utf8');
    const deflated = 'data' in p ? deflateRawSync(p.data) : p.deflated;
    const size = 'data' in p ? p.data.length : p.size;
    const crc = 'data' in p ? crc32(p.data) : p.crc;
    const shownSize = declared[p.name] ?? size;
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(20, 4);
    local.writeUInt16LE(0x0800, 6);
    local.writeUInt16LE(8, 8);
    local.writeUInt32LE(crc >>> 0, 14);
    local.writeUInt32LE(deflated.length, 18);
    local.writeUInt32LE(shownSize, 22);
    local.writeUInt16LE(name.length, 26);
    const central = Buffer.alloc(46);
    central.writeUInt32LE(0x02014b50, 0);
    central.writeUInt16LE(20, 4);
    central.writeUInt16LE(20, 6);
    central.writeUInt16LE(0x0800, 8);
    central.writeUInt16LE(8, 10);
    central.writeUInt32LE(crc >>> 0, 16);
    central.writeUInt32LE(deflated.length, 20);
    central.writeUInt32LE(shownSize, 24);
    central.writeUInt16LE(name.length, 28);
    central.writeUInt32LE(offset, 42);
    locals.push(local, name, deflated);
    centrals.push(central, name);
    offset += 30 + name.length + deflated.length;
  }
  const cd = Buffer.concat(centrals);
  const eocd = Buffer.alloc(22);
  eocd.writeUInt32LE(0x06054b50, 0);
  eocd.writeUInt16LE(parts.length, 8);
  eocd.writeUInt16LE(parts.length, 10);
  eocd.writeUInt32LE(cd.length, 12);
  eocd.writeUInt32LE(offset, 16);
  return Buffer.concat([...locals, cd, eocd]);
}

/**
 * `prefix` + `unit` × `times` + `suffix` as one raw deflate stream, without ever holding the
 * expansion: the unit is compressed once with a full flush (history reset, so the block is the
 * same every time) and repeated. 400 MB of 'A' → ~400 KB in a fraction of a second.
 */
export function repeatedPart(name: string, prefix: string, unit: Buffer, times: number, suffix: string): ZipPart {
  const flush = { finishFlush: zlibConstants.Z_FULL_FLUSH };
  const head = deflateRawSync(Buffer.from(prefix), flush);
  const block = deflateRawSync(unit, flush);
  const tail = deflateRawSync(Buffer.from(suffix));
  let crc = crc32(Buffer.from(prefix));
  for (let i = 0; i < times; i++) crc = crc32(unit, crc);
  crc = crc32(Buffer.from(suffix), crc);
  const blocks: Buffer[] = [head];
  for (let i = 0; i < times; i++) blocks.push(block);
  blocks.push(tail);
  return { name, deflated: Buffer.concat(blocks), size: Buffer.byteLength(prefix) + unit.length * times + Buffer.byteLength(suffix), crc };
}

const XML = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n';
const NS = 'http://schemas.openxmlformats.org/spreadsheetml/2006/main';
const REL = 'http://schemas.openxmlformats.org/officeDocument/2006/relationships';

/** The parts of a minimal one-sheet workbook around the given sheet (and shared strings). */
export function workbookParts(sheet: ZipPart, sharedStrings?: ZipPart): ZipPart[] {
  const text = (name: string, s: string): ZipPart => ({ name, data: Buffer.from(s, 'utf8') });
  return [
    text(
      '[Content_Types].xml',
      `${XML}<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/><Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>${sharedStrings ? '<Override PartName="/xl/sharedStrings.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/>' : ''}</Types>`,
    ),
    text(
      '_rels/.rels',
      `${XML}<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="${REL}/officeDocument" Target="xl/workbook.xml"/></Relationships>`,
    ),
    text('xl/workbook.xml', `${XML}<workbook xmlns="${NS}" xmlns:r="${REL}"><sheets><sheet name="Sheet1" sheetId="1" r:id="rId1"/></sheets></workbook>`),
    text(
      'xl/_rels/workbook.xml.rels',
      `${XML}<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="${REL}/worksheet" Target="worksheets/sheet1.xml"/>${sharedStrings ? `<Relationship Id="rId2" Type="${REL}/sharedStrings" Target="sharedStrings.xml"/>` : ''}</Relationships>`,
    ),
    ...(sharedStrings ? [sharedStrings] : []),
    sheet,
  ];
}

const inline = (ref: string, s: string) => `<c r="${ref}" t="inlineStr"><is><t>${s}</t></is></c>`;
/** A header row of the staff template (工号, 姓名 …) and the start of row 2. */
const STAFF_HEAD = `<row r="1">${['工号', '姓名', '所属机构号', '部门代码'].map((h, i) => inline(`${'ABCD'[i]}1`, h)).join('')}</row><row r="2">${inline('A2', 'B0001')}`;

/**
 * Bomb: shared string 1 is `mb` MB of 'A', used by cell B2 of a staff roster. `lie`: the zip
 * headers declare 1 KB for it (so only the inflating scan can find it).
 */
export function sharedStringBomb(mb: number, lie = false): Buffer {
  const unit = Buffer.alloc(1 << 20, 0x41);
  const strings = repeatedPart('xl/sharedStrings.xml', `${XML}<sst xmlns="${NS}" count="1" uniqueCount="1"><si><t>`, unit, mb, '</t></si></sst>');
  const sheet: ZipPart = { name: 'xl/worksheets/sheet1.xml', data: Buffer.from(`${XML}<worksheet xmlns="${NS}"><sheetData>${STAFF_HEAD}<c r="B2" t="s"><v>0</v></c></row></sheetData></worksheet>`) };
  return zipParts(workbookParts(sheet, strings), lie ? { 'xl/sharedStrings.xml': 1024 } : {});
}

/** Bomb: cell B2 of the sheet holds `mb` MB of 'A' inline (`lie`: declared as 1 KB). */
export function inlineCellBomb(mb: number, lie = false): Buffer {
  const unit = Buffer.alloc(1 << 20, 0x41);
  const sheet = repeatedPart(
    'xl/worksheets/sheet1.xml',
    `${XML}<worksheet xmlns="${NS}"><sheetData>${STAFF_HEAD}<c r="B2" t="inlineStr"><is><t>`,
    unit,
    mb,
    '</t></is></c></row></sheetData></worksheet>',
  );
  return zipParts(workbookParts(sheet), lie ? { 'xl/worksheets/sheet1.xml': 1024 } : {});
}

/**
 * Bomb: a sheet of `mb` MB of small rows whose zip headers declare 1 KB — only counting the
 * inflated bytes finds it.
 */
export function lyingRowsBomb(mb: number): Buffer {
  const row = '<row r="3"><c r="A3"><v>1</v></c></row>';
  const unit = Buffer.from(row.repeat(Math.floor((1 << 20) / row.length)));
  const sheet = repeatedPart('xl/worksheets/sheet1.xml', `${XML}<worksheet xmlns="${NS}"><sheetData>${STAFF_HEAD}</row>`, unit, Math.ceil((mb * (1 << 20)) / unit.length), '</sheetData></worksheet>');
  return zipParts(workbookParts(sheet), { 'xl/worksheets/sheet1.xml': 1024 });
}
