import { deflateSync } from 'node:zlib';
import jpeg from 'jpeg-js';

/** Test images for the inter-bank photo tests (not a test file itself). */

/** A JPEG of w × h with an EXIF DateTimeOriginal ('YYYY:MM:DD HH:MM:SS'). */
export function jpegWithExif(w: number, h: number, taken: string): Buffer {
  const data = Buffer.alloc(w * h * 4);
  for (let i = 0; i < w * h; i++) data.set([(i * 7) % 256, (i * 3) % 256, 128, 255], i * 4);
  const plain = Buffer.from(jpeg.encode({ width: w, height: h, data }, 80).data);
  const t = Buffer.alloc(64);
  t.write('II', 0, 'latin1');
  t.writeUInt16LE(42, 2);
  t.writeUInt32LE(8, 4);
  t.writeUInt16LE(1, 8);
  t.writeUInt16LE(0x8769, 10);
  t.writeUInt16LE(4, 12);
  t.writeUInt32LE(1, 14);
  t.writeUInt32LE(26, 18);
  t.writeUInt32LE(0, 22);
  t.writeUInt16LE(1, 26);
  t.writeUInt16LE(0x9003, 28);
  t.writeUInt16LE(2, 30);
  t.writeUInt32LE(20, 32);
  t.writeUInt32LE(44, 36);
  t.writeUInt32LE(0, 40);
  t.write(`${taken}\0`, 44, 'latin1');
  const body = Buffer.concat([Buffer.from('Exif\0\0', 'latin1'), t]);
  const app1 = Buffer.concat([Buffer.from([0xff, 0xe1]), Buffer.from([(body.length + 2) >> 8, (body.length + 2) & 0xff]), body]);
  return Buffer.concat([plain.subarray(0, 2), app1, plain.subarray(2)]);
}

function chunk(name: string, body: Buffer): Buffer {
  const len = Buffer.alloc(4);
  len.writeUInt32BE(body.length);
  const crc = Buffer.alloc(4); // not checked by the decoder under test
  return Buffer.concat([len, Buffer.from(name, 'latin1'), body, crc]);
}

/** An 8-bit RGBA PNG of w × h (filter 0 rows), a red–blue gradient. */
export function pngRgba(w: number, h: number): Buffer {
  const raw = Buffer.alloc((w * 4 + 1) * h);
  for (let y = 0; y < h; y++) for (let x = 0; x < w; x++) raw.set([255, 0, (x * 255) / w, 255], y * (w * 4 + 1) + 1 + x * 4);
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(w, 0);
  ihdr.writeUInt32BE(h, 4);
  ihdr.set([8, 6, 0, 0, 0], 8);
  return Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), chunk('IHDR', ihdr), chunk('IDAT', deflateSync(raw)), chunk('IEND', Buffer.alloc(0))]);
}
