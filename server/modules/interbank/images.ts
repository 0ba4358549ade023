import { inflateSync } from 'node:zlib';
import jpeg from 'jpeg-js';
import { AppError } from '../../errors.js';

/**
 * Visit photos and agreement documents (decision 0033): the type is read from the bytes (magic
 * numbers), never from the name or the browser's word. Photos are JPEG or PNG, downscaled to a
 * longest side of MAX_SIDE px and stored as JPEG; the EXIF DateTimeOriginal of a JPEG is read
 * before re-encoding and kept in fi_files.taken_at (read as Beijing time, the camera's clock).
 * Pure JavaScript (jpeg-js and node:zlib): no native binary to install.
 */

export const MAX_SIDE = 1600;
export const MAX_PHOTO_BYTES = 15 * 1024 * 1024;
export const MAX_DOCUMENT_BYTES = 20 * 1024 * 1024;
/** Decoding more pixels than this is refused (a 12 000 × 12 000 "photo" is an attack, not a visit). */
const MAX_PIXELS = 50_000_000;

export type Sniffed = 'image/jpeg' | 'image/png' | 'application/pdf' | null;

export function sniff(b: Buffer): Sniffed {
  if (b.length >= 3 && b[0] === 0xff && b[1] === 0xd8 && b[2] === 0xff) return 'image/jpeg';
  if (b.length >= 8 && b.subarray(0, 8).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]))) return 'image/png';
  if (b.length >= 5 && b.subarray(0, 5).toString('latin1') === '%PDF-') return 'application/pdf';
  return null;
}

/** EXIF DateTimeOriginal (0x9003) of a JPEG as an ISO instant (Beijing time), or null. */
export function exifTakenAt(b: Buffer): string | null {
  let i = 2;
  while (i + 4 <= b.length && b[i] === 0xff) {
    const marker = b[i + 1];
    const len = b.readUInt16BE(i + 2);
    if (marker === 0xda) break;
    if (marker === 0xe1 && b.subarray(i + 4, i + 10).toString('latin1') === 'Exif\0\0') return readTiffDate(b.subarray(i + 10, i + 2 + len));
    i += 2 + len;
  }
  return null;
}

function readTiffDate(t: Buffer): string | null {
  if (t.length < 8) return null;
  const le = t.toString('latin1', 0, 2) === 'II';
  const u16 = (o: number) => (le ? t.readUInt16LE(o) : t.readUInt16BE(o));
  const u32 = (o: number) => (le ? t.readUInt32LE(o) : t.readUInt32BE(o));
  const entries = (ifd: number): { tag: number; type: number; count: number; value: number }[] => {
    if (ifd + 2 > t.length) return [];
    const n = u16(ifd);
    const out = [];
    for (let k = 0; k < n && ifd + 2 + k * 12 + 12 <= t.length; k++) {
      const e = ifd + 2 + k * 12;
      out.push({ tag: u16(e), type: u16(e + 2), count: u32(e + 4), value: u32(e + 8) });
    }
    return out;
  };
  const ifd0 = entries(u32(4));
  const exif = ifd0.find((e) => e.tag === 0x8769);
  const list = [...(exif ? entries(exif.value) : []), ...ifd0];
  const dt = list.find((e) => e.tag === 0x9003) ?? list.find((e) => e.tag === 0x0132);
  if (!dt || dt.type !== 2 || dt.count < 19 || dt.value + 19 > t.length) return null;
  const m = /^(\d{4}):(\d{2}):(\d{2}) (\d{2}):(\d{2}):(\d{2})/.exec(t.toString('latin1', dt.value, dt.value + 19));
  if (!m) return null;
  const iso = `${m[1]}-${m[2]}-${m[3]}T${m[4]}:${m[5]}:${m[6]}+08:00`;
  return Number.isNaN(Date.parse(iso)) ? null : new Date(iso).toISOString();
}

interface Raster {
  width: number;
  height: number;
  data: Uint8Array; // RGBA
}

/** An 8-bit, non-interlaced PNG (grey, RGB, palette, grey+alpha, RGBA) to RGBA. Others are refused. */
export function decodePng(b: Buffer): Raster {
  let i = 8;
  let width = 0;
  let height = 0;
  let depth = 0;
  let type = 0;
  let interlace = 0;
  let palette: Buffer | null = null;
  const idat: Buffer[] = [];
  while (i + 8 <= b.length) {
    const len = b.readUInt32BE(i);
    const name = b.toString('latin1', i + 4, i + 8);
    const body = b.subarray(i + 8, i + 8 + len);
    if (name === 'IHDR') [width, height, depth, type, interlace] = [body.readUInt32BE(0), body.readUInt32BE(4), body[8], body[9], body[12]];
    else if (name === 'PLTE') palette = body;
    else if (name === 'IDAT') idat.push(body);
    else if (name === 'IEND') break;
    i += 12 + len;
  }
  const channels = ({ 0: 1, 2: 3, 3: 1, 4: 2, 6: 4 } as Record<number, number>)[type];
  if (!width || !height || depth !== 8 || interlace !== 0 || !channels || width * height > MAX_PIXELS) throw new AppError('FI.FILE_TYPE', { reason: 'png' });
  const raw = inflateSync(Buffer.concat(idat), { maxOutputLength: (width * channels + 1) * height + 1 });
  const stride = width * channels;
  const out = new Uint8Array(width * height * 4);
  let prev = new Uint8Array(stride);
  for (let y = 0; y < height; y++) {
    const f = raw[y * (stride + 1)];
    const line = new Uint8Array(raw.subarray(y * (stride + 1) + 1, (y + 1) * (stride + 1)));
    for (let x = 0; x < stride; x++) {
      const a = x >= channels ? line[x - channels] : 0;
      const up = prev[x];
      const c = x >= channels ? prev[x - channels] : 0;
      const p = a + up - c;
      const pred =
        f === 1
          ? a
          : f === 2
            ? up
            : f === 3
              ? (a + up) >> 1
              : f === 4
                ? Math.abs(p - a) <= Math.abs(p - up) && Math.abs(p - a) <= Math.abs(p - c)
                  ? a
                  : Math.abs(p - up) <= Math.abs(p - c)
                    ? up
                    : c
                : 0;
      line[x] = (line[x] + pred) & 0xff;
    }
    for (let x = 0; x < width; x++) {
      const o = (y * width + x) * 4;
      const s = x * channels;
      if (type === 3) {
        const k = line[s] * 3;
        out.set([palette?.[k] ?? 0, palette?.[k + 1] ?? 0, palette?.[k + 2] ?? 0, 255], o);
      } else if (channels <= 2) out.set([line[s], line[s], line[s], channels === 2 ? line[s + 1] : 255], o);
      else out.set([line[s], line[s + 1], line[s + 2], channels === 4 ? line[s + 3] : 255], o);
    }
    prev = line;
  }
  return { width, height, data: out };
}

/** Box-filter downscale so the longest side is at most `max` (integer arithmetic). */
export function downscale(r: Raster, max: number): Raster {
  const scale = Math.max(r.width, r.height) / max;
  if (scale <= 1) return r;
  const width = Math.max(1, Math.round(r.width / scale));
  const height = Math.max(1, Math.round(r.height / scale));
  const data = new Uint8Array(width * height * 4);
  for (let y = 0; y < height; y++) {
    const y0 = Math.floor((y * r.height) / height);
    const y1 = Math.max(y0 + 1, Math.floor(((y + 1) * r.height) / height));
    for (let x = 0; x < width; x++) {
      const x0 = Math.floor((x * r.width) / width);
      const x1 = Math.max(x0 + 1, Math.floor(((x + 1) * r.width) / width));
      const acc = [0, 0, 0, 0];
      for (let yy = y0; yy < y1; yy++)
        for (let xx = x0; xx < x1; xx++) {
          const o = (yy * r.width + xx) * 4;
          // Transparent PNG pixels on white, as a photo viewer shows them.
          const a = r.data[o + 3];
          for (let c = 0; c < 3; c++) acc[c] += (r.data[o + c] * a + 255 * (255 - a)) / 255;
          acc[3] += 255;
        }
      const n = (y1 - y0) * (x1 - x0);
      const o = (y * width + x) * 4;
      for (let c = 0; c < 4; c++) data[o + c] = Math.round(acc[c] / n);
    }
  }
  return { width, height, data };
}

export interface Photo {
  bytes: Buffer;
  mime: 'image/jpeg';
  width: number;
  height: number;
  takenAt: string | null;
}

/** A checked, downscaled photo (JPEG out), its size and the time it was taken. */
export function preparePhoto(input: Buffer): Photo {
  if (input.length > MAX_PHOTO_BYTES) throw new AppError('FI.FILE_TOO_LARGE', { maxMb: MAX_PHOTO_BYTES / 1024 / 1024 });
  const kind = sniff(input);
  if (kind !== 'image/jpeg' && kind !== 'image/png') throw new AppError('FI.FILE_TYPE', { detected: kind });
  let raster: Raster;
  try {
    raster = kind === 'image/png' ? decodePng(input) : jpeg.decode(input, { useTArray: true, maxResolutionInMP: MAX_PIXELS / 1e6, maxMemoryUsageInMB: 1024 });
  } catch (e) {
    if (e instanceof AppError) throw e;
    throw new AppError('FI.FILE_TYPE', { reason: 'unreadable' });
  }
  const takenAt = kind === 'image/jpeg' ? exifTakenAt(input) : null;
  const small = downscale(raster, MAX_SIDE);
  const bytes = Buffer.from(jpeg.encode({ width: small.width, height: small.height, data: Buffer.from(small.data) }, 85).data);
  return { bytes, mime: 'image/jpeg', width: small.width, height: small.height, takenAt };
}

/** An agreement document: PDF, JPEG or PNG by its bytes, within the size limit; kept as sent. */
export function checkDocument(input: Buffer): 'image/jpeg' | 'image/png' | 'application/pdf' {
  if (input.length > MAX_DOCUMENT_BYTES) throw new AppError('FI.FILE_TOO_LARGE', { maxMb: MAX_DOCUMENT_BYTES / 1024 / 1024 });
  const kind = sniff(input);
  if (!kind) throw new AppError('FI.FILE_TYPE', { detected: null });
  return kind;
}
