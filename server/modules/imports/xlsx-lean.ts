import { createRequire } from 'node:module';
import { Readable } from 'node:stream';
import { setImmediate as yieldToLoop } from 'node:timers/promises';
import type { CellRaw } from './normalize.js';

/**
 * A lean reader of the first worksheet of an .xlsx (decision 0052): the parts the upload guard
 * already inflated (upload-guard.ts keeps them), the sheet XML and xl/sharedStrings.xml scanned by
 * a small tokenizer, giving EXACTLY the cells exceljs's streaming reader gives after `flattenCell`
 * (sheet-reader.ts) — the same quirks included:
 * - a shared string is the text of its <si> as exceljs's own parser builds it (a <t> starts the
 *   text again, runs <r> are joined; phonetic <rPh> texts count as exceljs counts them);
 * - an inline or formula string (t="inlineStr"/"str") is decoded once more (exceljs's xmlDecode);
 *   an inline string's last <t> wins (exceljs starts the value again at each <t>);
 * - a formula cell gives its cached result: the text for t="str", parseFloat otherwise (a cached
 *   boolean is 1, an error NaN), nothing when there is none;
 * - a number is a Date when the cell's style (else its row's) has a date format, with exceljs's
 *   own style manager and `isDateFmt`/`excelToDate`, date1904 from xl/workbook.xml;
 * - booleans are `parseInt(v) !== 0`, errors their text.
 * Anything it does not know how exceljs would read — a part missing, parts in an order where
 * exceljs would read the sheet before the styles, a tag out of place, a duplicate or unordered
 * cell, an entity or character saxes would refuse, a DOCTYPE — returns null, and the caller reads
 * the file with exceljs as before.
 */

const require = createRequire(import.meta.url);

interface StyleManagerLike {
  parseStream(stream: Readable): Promise<unknown>;
  getStyleModel(id: number): { numFmt?: string } | null;
}
interface WorkbookXformLike {
  parseStream(stream: Readable): Promise<unknown>;
  map: { workbookPr: { model?: { date1904?: boolean } } };
}
const StyleManager = require('exceljs/lib/xlsx/xform/style/styles-xform.js') as new () => StyleManagerLike;
const WorkbookXform = require('exceljs/lib/xlsx/xform/book/workbook-xform.js') as new () => WorkbookXformLike;
const exceljsUtils = require('exceljs/lib/utils/utils.js') as {
  isDateFmt(fmt: string | undefined): boolean;
  excelToDate(v: number, date1904: boolean | undefined): Date;
  xmlDecode(text: string): string;
};

/** A raw row: the sheet row number and its cells, as the exceljs path gives them. */
export interface LeanRow {
  rowNumber: number;
  values: CellRaw[];
}

/** The parts the lean reader reads; the guard keeps their inflated bytes. */
export const LEAN_PARTS = /^xl\/(workbook\.xml|_rels\/workbook\.xml\.rels|sharedStrings\.xml|styles\.xml)$/;
/** exceljs's test for a worksheet entry (unanchored, as exceljs has it). */
export const EXCELJS_SHEET = /xl\/worksheets\/sheet\d+[.]xml/;

export function keepForLean(name: string): boolean {
  return LEAN_PARTS.test(name) || EXCELJS_SHEET.test(name);
}

/** Thrown inside the scanner for anything it does not handle: the caller falls back to exceljs. */
class NotLean extends Error {}

/**
 * Which worksheet exceljs's streaming reader yields first: a sheet entry met after both
 * sharedStrings.xml and workbook.xml.rels is parsed there and then; one met before is kept aside
 * and parsed after the last entry. So: the first sheet after both, else the first sheet. Returns
 * null when the styles or workbook.xml would not have been read by then (exceljs would give no
 * dates, or fail) or are missing. Without sharedStrings.xml (exceljs's streaming writer writes
 * none) every sheet waits, so the first one is read, after everything else.
 */
export function exceljsSheet(order: readonly string[]): string | null {
  if (new Set(order).size !== order.length) return null;
  const at = (name: string) => order.indexOf(name);
  const ss = at('xl/sharedStrings.xml');
  const rels = at('xl/_rels/workbook.xml.rels');
  const styles = at('xl/styles.xml');
  const workbook = at('xl/workbook.xml');
  if (styles < 0 || workbook < 0) return null;
  const sheets = order.map((n, i) => ({ n, i })).filter((e) => EXCELJS_SHEET.test(e.n));
  if (sheets.length === 0) return null;
  // Without shared strings (exceljs's streaming writer) every sheet waits for the end.
  const streamed = ss >= 0 && rels >= 0 ? sheets.find((e) => e.i > ss && e.i > rels) : undefined;
  if (streamed) return streamed.i > styles && streamed.i > workbook ? streamed.n : null;
  return sheets[0].n;
}

/** U+FFFE and U+FFFF in UTF-8: saxes refuses them (control characters and DOCTYPE: the guard's `oddXml`). */
const NOT_CHARS = [Buffer.from([0xef, 0xbf, 0xbe]), Buffer.from([0xef, 0xbf, 0xbf])];

function isXmlChar(cp: number): boolean {
  return cp === 0x9 || cp === 0xa || cp === 0xd || (cp >= 0x20 && cp <= 0xd7ff) || (cp >= 0xe000 && cp <= 0xfffd) || (cp >= 0x10000 && cp <= 0x10ffff);
}

/** Text as saxes gives it: line ends normalised, the five entities and character references decoded. */
function decodeText(raw: string): string {
  let s = raw.indexOf('\r') >= 0 ? raw.replace(/\r\n?/g, '\n') : raw;
  if (s.indexOf('&') < 0) return s;
  s = s.replace(/&([^;&<]*);|&/g, (m, name: string | undefined) => {
    if (name === undefined) throw new NotLean('bare &');
    switch (name) {
      case 'lt':
        return '<';
      case 'gt':
        return '>';
      case 'amp':
        return '&';
      case 'quot':
        return '"';
      case 'apos':
        return "'";
    }
    let cp = NaN;
    if (/^#[0-9]+$/.test(name)) cp = Number(name.slice(1));
    else if (/^#x[0-9A-Fa-f]+$/.test(name)) cp = parseInt(name.slice(2), 16);
    if (!isXmlChar(cp)) throw new NotLean(`entity ${m}`);
    return String.fromCodePoint(cp);
  });
  return s;
}

/** Attribute value as saxes gives it, for the few attributes read (r, s, t): plain ones only. */
function attrValue(v: string): string {
  if (v.indexOf('&') >= 0 || v.indexOf('<') >= 0) throw new NotLean('attribute entity');
  return /[\t\n\r]/.test(v) ? v.replace(/\r\n|[\t\n\r]/g, ' ') : v;
}

interface Handler {
  open(name: string, attrs: Record<string, string> | null): void;
  close(name: string): void;
  text(text: string): void;
  /** The names whose attributes the handler reads (others are skipped, not split). */
  wantsAttrs(name: string): boolean;
}

const NAME_END = /[\s/>]/g;
const ATTR = /\s*([^\s=/>]+)\s*=\s*(?:"([^"]*)"|'([^']*)')/y;

/**
 * Scans an XML document: open/close/text events as saxes gives them to exceljs (self-closing tags
 * open then close; comments, processing instructions and CDATA give nothing), the nesting checked.
 * `step` is called every `every` closes of `stepTag` so the caller can yield to the event loop.
 */
async function scan(xml: string, h: Handler, stepTag?: string, every = 2000): Promise<void> {
  const stack: string[] = [];
  let pos = 0;
  let steps = 0;
  const n = xml.length;
  let sawRoot = false;
  while (pos < n) {
    const lt = xml.indexOf('<', pos);
    const end = lt < 0 ? n : lt;
    if (end > pos) {
      const raw = xml.slice(pos, end);
      if (stack.length === 0) {
        if (/\S/.test(raw)) throw new NotLean('text outside the root');
      } else {
        if (raw.indexOf(']]>') >= 0) throw new NotLean(']]> in text');
        h.text(decodeText(raw));
      }
    }
    if (lt < 0) break;
    const c1 = xml.charCodeAt(lt + 1);
    if (c1 === 0x3f /* ? */) {
      const e = xml.indexOf('?>', lt + 2);
      if (e < 0) throw new NotLean('unterminated PI');
      pos = e + 2;
      continue;
    }
    if (c1 === 0x21 /* ! */) {
      if (xml.startsWith('<!--', lt)) {
        const e = xml.indexOf('-->', lt + 4);
        if (e < 0) throw new NotLean('unterminated comment');
        pos = e + 3;
        continue;
      }
      if (xml.startsWith('<![CDATA[', lt) && stack.length > 0) {
        const e = xml.indexOf(']]>', lt + 9);
        if (e < 0) throw new NotLean('unterminated CDATA');
        pos = e + 3;
        continue;
      }
      throw new NotLean('markup declaration');
    }
    if (c1 === 0x2f /* / */) {
      const e = xml.indexOf('>', lt + 2);
      if (e < 0) throw new NotLean('unterminated close tag');
      const name = xml.slice(lt + 2, e).trimEnd();
      if (stack.pop() !== name) throw new NotLean(`close tag ${name}`);
      h.close(name);
      pos = e + 1;
      if (name === stepTag && ++steps % every === 0) await yieldToLoop();
      continue;
    }
    NAME_END.lastIndex = lt + 1;
    const m = NAME_END.exec(xml);
    if (!m) throw new NotLean('unterminated tag');
    const name = xml.slice(lt + 1, m.index);
    if (name.length === 0) throw new NotLean('empty tag name');
    if (stack.length === 0 && sawRoot) throw new NotLean('second root');
    let p = m.index;
    let attrs: Record<string, string> | null = null;
    const want = h.wantsAttrs(name);
    if (want) attrs = {};
    // Attributes: quoted values may hold '>' and '/'.
    for (;;) {
      while (p < n && (xml.charCodeAt(p) === 0x20 || xml.charCodeAt(p) === 0x09 || xml.charCodeAt(p) === 0x0a || xml.charCodeAt(p) === 0x0d)) p++;
      const ch = xml.charCodeAt(p);
      if (ch === 0x3e /* > */ || ch === 0x2f /* / */) break;
      ATTR.lastIndex = p;
      const a = ATTR.exec(xml);
      if (!a) throw new NotLean('attribute');
      if (attrs) {
        if (a[1] in attrs) throw new NotLean('duplicate attribute');
        attrs[a[1]] = a[2] ?? a[3];
      }
      p = ATTR.lastIndex;
    }
    const selfClosing = xml.charCodeAt(p) === 0x2f;
    if (selfClosing && xml.charCodeAt(p + 1) !== 0x3e) throw new NotLean('bad self-closing tag');
    sawRoot = true;
    h.open(name, attrs);
    if (selfClosing) {
      h.close(name);
      pos = p + 2;
      if (name === stepTag && ++steps % every === 0) await yieldToLoop();
    } else {
      stack.push(name);
      pos = p + 1;
    }
  }
  if (stack.length > 0 || !sawRoot) throw new NotLean('unclosed tags');
}

/** A shared string as a cell gives it after flattenCell: text, joined rich-text runs, or null/undefined. */
type SharedString = string | null;

/** xl/sharedStrings.xml with exceljs's state machine (workbook-reader.js, _parseSharedStrings). */
async function sharedStrings(xml: string): Promise<SharedString[]> {
  const out: SharedString[] = [];
  let text: string | null = null;
  let runs: (string | null)[] = [];
  await scan(
    xml,
    {
      wantsAttrs: () => false,
      open(name) {
        if (name === 'si') {
          runs = [];
          text = null;
        } else if (name === 't') text = null;
      },
      text(value) {
        text = text ? text + value : value;
      },
      close(name) {
        if (name === 'r') {
          runs.push(text);
          text = null;
        } else if (name === 'si') {
          out.push(runs.length ? runs.map((r) => r ?? '').join('') : text);
          runs = [];
          text = null;
        }
      },
    },
    'si',
    20000,
  );
  return out;
}

function columnOf(ref: string): number {
  // A1-style, letters then digits; anything else is left to exceljs.
  let col = 0;
  let i = 0;
  for (; i < ref.length; i++) {
    const ch = ref.charCodeAt(i);
    if (ch >= 65 && ch <= 90) col = col * 26 + (ch - 64);
    else break;
  }
  if (i === 0 || i > 3 || i === ref.length) throw new NotLean(`cell ref ${ref}`);
  for (let j = i; j < ref.length; j++) {
    const ch = ref.charCodeAt(j);
    if (ch < 48 || ch > 57) throw new NotLean(`cell ref ${ref}`);
  }
  if (col > 16384) throw new NotLean(`cell ref ${ref}`);
  return col;
}

/** Reads the parts (inflated bytes by name, in the zip's order); null: read it with exceljs. */
export async function leanXlsxRows(parts: ReadonlyMap<string, Buffer>, order: readonly string[], oddXml: ReadonlySet<string>): Promise<LeanRow[] | null> {
  const sheetName = exceljsSheet(order);
  if (!sheetName) return null;
  // A control character, a DOCTYPE (the guard saw them) or U+FFFE/U+FFFF: saxes's business.
  if (oddXml.has(sheetName) || oddXml.has('xl/sharedStrings.xml')) return null;
  const get = (name: string) => parts.get(name);
  const sheetBytes = get(sheetName);
  const ssBytes = order.includes('xl/sharedStrings.xml') ? get('xl/sharedStrings.xml') : null;
  const stylesBytes = get('xl/styles.xml');
  const workbookBytes = get('xl/workbook.xml');
  if (!sheetBytes || ssBytes === undefined || !stylesBytes || !workbookBytes) return null;
  if ([sheetBytes, ssBytes].some((b) => b && NOT_CHARS.some((n) => b.indexOf(n) >= 0))) return null;
  try {
    const styles = new StyleManager();
    await styles.parseStream(Readable.from([stylesBytes]));
    const workbook = new WorkbookXform();
    await workbook.parseStream(Readable.from([workbookBytes]));
    const date1904 = workbook.map.workbookPr.model?.date1904;
    // TextDecoder as exceljs's (ours, chunk-safe): a BOM is dropped, bad bytes are U+FFFD.
    const strings = ssBytes ? await sharedStrings(new TextDecoder('utf-8').decode(ssBytes)) : null;
    return await sheetRows(new TextDecoder('utf-8').decode(sheetBytes), strings, styles, date1904);
  } catch {
    // NotLean, or exceljs's own style/workbook parser refusing the part: exceljs reads (and refuses) it.
    return null;
  }
}

/** The worksheet with exceljs's state machine (worksheet-reader.js, parse) and flattenCell. */
async function sheetRows(xml: string, strings: SharedString[] | null, styles: StyleManagerLike, date1904: boolean | undefined): Promise<LeanRow[]> {
  const dateStyle = new Map<number, string | undefined>();
  const numFmtOf = (id: number): { found: boolean; numFmt: string | undefined } => {
    if (dateStyle.has(id)) return { found: true, numFmt: dateStyle.get(id) };
    const model = styles.getStyleModel(id);
    if (!model) return { found: false, numFmt: undefined };
    dateStyle.set(id, model.numFmt);
    return { found: true, numFmt: model.numFmt };
  };
  const isDate = new Map<string | undefined, boolean>();
  const isDateFmt = (fmt: string | undefined) => {
    let d = isDate.get(fmt);
    if (d === undefined) isDate.set(fmt, (d = exceljsUtils.isDateFmt(fmt)));
    return d;
  };

  const rows: LeanRow[] = [];
  let inSheetData = false;
  let sheetDataSeen = false;
  // The row being read: undefined marks a cell of exceljs's Null type (not in row.values).
  let row: { number: number; numFmt: string | undefined; cells: (CellRaw | undefined)[]; lastCol: number } | null = null;
  let cell: { col: number; s: number; t: string | undefined; f: string | null; v: string | null } | null = null;
  // What text goes into: the open <v>/<is>/<t> of the cell (exceljs's `current`), or nothing.
  let into: 'v' | 'f' | null = null;

  await scan(
    xml,
    {
      wantsAttrs: (name) => name === 'row' || name === 'c',
      open(name, attrs) {
        switch (name) {
          case 'sheetData':
            if (sheetDataSeen) throw new NotLean('second sheetData');
            sheetDataSeen = inSheetData = true;
            break;
          case 'row': {
            if (!inSheetData || row) throw new NotLean('row out of place');
            const r = attrs!.r;
            if (r === undefined || !/^[0-9]{1,7}$/.test(attrValue(r))) throw new NotLean('row number');
            let numFmt: string | undefined;
            if (attrs!.s) {
              const st = numFmtOf(parseInt(attrValue(attrs!.s), 10));
              if (st.found) numFmt = st.numFmt;
            }
            row = { number: parseInt(r, 10), numFmt, cells: [], lastCol: 0 };
            break;
          }
          case 'c': {
            if (!row || cell) throw new NotLean('cell out of place');
            const ref = attrs!.r;
            if (ref === undefined) throw new NotLean('cell without r');
            const col = columnOf(attrValue(ref));
            if (col <= row.lastCol) throw new NotLean('cells out of order');
            row.lastCol = col;
            const t = attrs!.t === undefined ? undefined : attrValue(attrs!.t);
            cell = { col, s: attrs!.s === undefined ? NaN : parseInt(attrValue(attrs!.s), 10), t, f: null, v: null };
            into = null;
            break;
          }
          case 'f':
            if (cell) {
              cell.f = '';
              into = 'f';
            }
            break;
          case 'v':
          case 'is':
          case 't':
            if (cell) {
              cell.v = '';
              into = 'v';
            }
            break;
          default:
            if (row && !cell) throw new NotLean(`${name} in a row`);
        }
      },
      text(value) {
        if (cell && into === 'v') cell.v += value;
        else if (cell && into === 'f') cell.f += value;
      },
      close(name) {
        switch (name) {
          case 'sheetData':
            inSheetData = false;
            break;
          case 'row': {
            if (!row) throw new NotLean('row out of place');
            const cells = row.cells;
            let last = cells.length - 1;
            while (last >= 0 && cells[last] === undefined) last--;
            const values: CellRaw[] = [];
            for (let i = 0; i <= last; i++) values[i] = cells[i] ?? null;
            rows.push({ rowNumber: row.number, values });
            row = null;
            break;
          }
          case 'c': {
            if (!row || !cell) throw new NotLean('cell out of place');
            let numFmt = row.numFmt;
            if (cell.s) {
              const st = numFmtOf(cell.s);
              if (st.found) numFmt = st.numFmt;
            }
            row.cells[cell.col - 1] = cellValue(cell, numFmt);
            cell = null;
            into = null;
            break;
          }
        }
      },
    },
    'row',
  );
  if (row || cell) throw new NotLean('unclosed row');
  return rows;

  function cellValue(c: { t: string | undefined; f: string | null; v: string | null }, numFmt: string | undefined): CellRaw | undefined {
    if (c.f !== null) {
      // {formula, result}: never exceljs's Null type; flattenCell gives the result, null without one.
      // With formula text, exceljs's FormulaValue copies only a truthy result (0, '' and NaN are
      // dropped: null); a shared formula's child (<f t="shared" si="0"/>, no text) is kept as given.
      if (c.v === null) return null;
      const result = c.t === 'str' ? exceljsUtils.xmlDecode(c.v) : parseFloat(c.v);
      return c.f !== '' && !result ? null : result;
    }
    if (c.v === null) return undefined;
    switch (c.t) {
      case 's': {
        // Without shared strings exceljs gives {sharedString: index}: not ours to imitate.
        if (!strings) throw new NotLean('shared string without sharedStrings.xml');
        const s = strings[parseInt(c.v, 10)];
        return s === null ? undefined : s;
      }
      case 'inlineStr':
      case 'str':
        return exceljsUtils.xmlDecode(c.v);
      case 'e':
        return c.v;
      case 'b':
        return parseInt(c.v, 10) !== 0;
      default:
        return isDateFmt(numFmt) ? exceljsUtils.excelToDate(parseFloat(c.v), date1904) : parseFloat(c.v);
    }
  }
}
