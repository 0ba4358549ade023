/**
 * JSON for the admin channel that keeps what JSON loses: a Buffer (an error workbook) and a Date
 * come back as a Buffer and a Date, so a remote call returns what the local function returns.
 */
export function encodeWire(value: unknown): string {
  return JSON.stringify(value, function (this: Record<string, unknown>, key, v: unknown) {
    const raw = this[key];
    if (raw instanceof Uint8Array) return { $b64: Buffer.from(raw).toString('base64') };
    if (raw instanceof Date) return { $date: raw.toISOString() };
    return v;
  });
}

export function decodeWire<T = unknown>(text: string): T {
  return JSON.parse(text, (_key, v: unknown) => {
    if (v && typeof v === 'object' && !Array.isArray(v)) {
      const o = v as Record<string, unknown>;
      const keys = Object.keys(o);
      if (keys.length === 1 && typeof o.$b64 === 'string') return Buffer.from(o.$b64, 'base64');
      if (keys.length === 1 && typeof o.$date === 'string') return new Date(o.$date);
    }
    return v;
  }) as T;
}
