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
