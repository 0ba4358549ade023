/**
 * COPY text built straight into bytes (the bulk path's writer, bulk-writers.ts): a chunk's rows for
 * one table as one Buffer, integers written digit by digit, text escaped only when it holds a
 * backslash, tab or line end. Replaces a template string per row joined per chunk: the same bytes,
 * without a few million short-lived strings per million sales (issue 17: Node's CPU and GC).
 */

const TAB = 0x09;
const NL = 0x0a;
const BACKSLASH = 0x5c;
const INITIAL = 1 << 16;

export class CopyText {
  private buf: Buffer;
  private pos = 0;
  private readonly digits = new Uint8Array(24);

  constructor(bytes = INITIAL) {
    this.buf = Buffer.allocUnsafe(Math.max(64, bytes));
  }

  private room(n: number): void {
    if (this.pos + n <= this.buf.length) return;
    let size = this.buf.length * 2;
    while (size < this.pos + n) size *= 2;
    const next = Buffer.allocUnsafe(size);
    this.buf.copy(next, 0, 0, this.pos);
    this.buf = next;
  }

  /** An integer field as String(n) writes it; anything else (never sent here) as its text. */
  int(n: number): this {
    if (!Number.isSafeInteger(n)) return this.raw(String(n));
    this.room(17);
    if (n < 0) {
      this.buf[this.pos++] = 0x2d;
      n = -n;
    }
    let k = 0;
    do {
      this.digits[k++] = 0x30 + (n % 10);
      n = Math.floor(n / 10);
    } while (n > 0);
    while (k > 0) this.buf[this.pos++] = this.digits[--k];
    return this;
  }

  /** An integer or NULL (\N). */
  intOrNull(n: number | null): this {
    if (n === null) {
      this.room(2);
      this.buf[this.pos++] = BACKSLASH;
      this.buf[this.pos++] = 0x4e;
      return this;
    }
    return this.int(n);
  }

  /** Text known to need no escaping (hex digests, ISO dates, numbers written before). */
  raw(s: string): this {
    this.room(s.length * 3);
    this.pos += this.buf.write(s, this.pos, 'utf8');
    return this;
  }

  /** A text field in COPY's text format: backslash, tab and line ends escaped, UTF-8. */
  text(s: string): this {
    return this.raw(copyText(s));
  }

  tab(): this {
    this.room(1);
    this.buf[this.pos++] = TAB;
    return this;
  }

  /** Ends a row. */
  end(): this {
    this.room(1);
    this.buf[this.pos++] = NL;
    return this;
  }

  get length(): number {
    return this.pos;
  }

  /** The bytes written (a view on the builder's buffer: take it once, at the end). */
  bytes(): Buffer {
    return this.buf.subarray(0, this.pos);
  }
}

/**
 * COPY text format: backslash, tab and line ends escaped (a value `\N` thus stays text, not NULL).
 * Most values have none of the four: one scan of the char codes says so and the value goes as is.
 */
export function copyText(s: string): string {
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c === 0x5c || c === 0x09 || c === 0x0a || c === 0x0d) return s.replace(/\\/g, '\\\\').replace(/\t/g, '\\t').replace(/\n/g, '\\n').replace(/\r/g, '\\r');
  }
  return s;
}
