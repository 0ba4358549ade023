import jpeg from 'jpeg-js';
import { describe, expect, it } from 'vitest';
import { checkDocument, decodePng, exifTakenAt, MAX_SIDE, preparePhoto, sniff } from './images.js';
import { jpegWithExif, pngRgba } from './testing.js';
import { eligible, grantable, planMove, poolQuarter } from './interbank.rules.js';

describe('photos: type by bytes, downscaled, EXIF time kept', () => {
  it('reads the magic numbers, not the name', () => {
    expect(sniff(jpegWithExif(8, 8, '2026:11:20 14:30:05'))).toBe('image/jpeg');
    expect(sniff(pngRgba(4, 4))).toBe('image/png');
    expect(sniff(Buffer.from('%PDF-1.7\n'))).toBe('application/pdf');
    expect(sniff(Buffer.from('GIF89a'))).toBeNull();
    expect(() => checkDocument(Buffer.from('<html>'))).toThrow(expect.objectContaining({ code: 'FI.FILE_TYPE' }));
  });

  it('a 2400 × 1200 JPEG becomes 1600 × 800, its DateTimeOriginal read as Beijing time', () => {
    const src = jpegWithExif(2400, 1200, '2026:11:20 14:30:05');
    expect(exifTakenAt(src)).toBe('2026-11-20T06:30:05.000Z');
    const p = preparePhoto(src);
    expect([p.width, p.height, p.takenAt]).toEqual([MAX_SIDE, 800, '2026-11-20T06:30:05.000Z']);
    const back = jpeg.decode(p.bytes);
    expect([back.width, back.height]).toEqual([1600, 800]);
  });

  it('a PNG is decoded, kept at its size when small, and stored as JPEG; a text file is refused', () => {
    const r = decodePng(pngRgba(10, 6));
    expect([r.width, r.height, r.data[0], r.data[1], r.data[3]]).toEqual([10, 6, 255, 0, 255]);
    const p = preparePhoto(pngRgba(10, 6));
    expect([p.mime, p.width, p.height, p.takenAt]).toEqual(['image/jpeg', 10, 6, null]);
    expect(() => preparePhoto(Buffer.from('not an image at all'))).toThrow(expect.objectContaining({ code: 'FI.FILE_TYPE' }));
  });
});

describe('rules', () => {
  it('a move closes the open row the day before and may not start on or before it', () => {
    const history = [{ id: 1, nodeId: 11, leaderStaffId: 5, validFrom: '2026-01-01', validTo: null }];
    expect(planMove([], 11, null, '2026-01-01')).toEqual({ kind: 'first' });
    expect(planMove(history, 11, 5, '2026-06-01')).toEqual({ kind: 'unchanged' });
    expect(planMove(history, 12, null, '2026-06-01')).toEqual({ kind: 'move', close: { id: 1, validTo: '2026-05-31' } });
    expect(planMove(history, 12, null, '2026-01-01')).toEqual({ kind: 'refused', reason: 'before_open' });
  });

  it('eligibility and whole grants', () => {
    expect(poolQuarter('2026-12-31')).toBe('2026Q4');
    const pool = { quarter: '2026Q4', signingKinds: 'framework', totalAmount: 250, grantAmount: 100, grantedAmount: 100 };
    expect(eligible(pool, { kind: 'framework', signedOn: '2026-10-01', status: 'active' })).toBe(true);
    expect(eligible(pool, { kind: 'product', signedOn: '2026-10-01', status: 'active' })).toBe(false);
    expect(eligible(pool, { kind: 'framework', signedOn: '2026-09-30', status: 'active' })).toBe(false);
    expect(grantable(pool)).toBe(true);
    expect(grantable({ ...pool, grantedAmount: 200 })).toBe(false); // 50 left: no partial grant
  });
});
