import type PDFKit from 'pdfkit';
import QRCode from 'qrcode';

/**
 * QR codes for invitations, check-in and the needs survey (issue 13). The matrix comes from the
 * `qrcode` package (ISO/IEC 18004, error correction M: a printed sheet survives a fold or a smudge);
 * we draw it ourselves — as SVG for the console and as rectangles in a PDF — so no image library
 * and no raster step stand between the token and the page.
 */
export function qrMatrix(text: string): boolean[][] {
  const { modules } = QRCode.create(text, { errorCorrectionLevel: 'M' });
  const n = modules.size;
  return Array.from({ length: n }, (_, y) => Array.from({ length: n }, (_, x) => modules.get(y, x) === 1));
}

/** The code as an SVG document (4-module quiet zone), one path, crisp at any size. */
export function qrSvg(text: string, size = 200): string {
  const m = qrMatrix(text);
  const n = m.length + 8;
  let d = '';
  m.forEach((row, y) => row.forEach((on, x) => (d += on ? `M${x + 4} ${y + 4}h1v1h-1z` : '')));
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${size}" height="${size}" viewBox="0 0 ${n} ${n}" shape-rendering="crispEdges"><rect width="${n}" height="${n}" fill="#fff"/><path d="${d}" fill="#000"/></svg>`;
}

/** Draws the code into a PDF at (x, y), `size` points wide, quiet zone included. */
export function drawQr(doc: PDFKit.PDFDocument, text: string, x: number, y: number, size: number): void {
  const m = qrMatrix(text);
  const cell = size / (m.length + 8);
  doc.save().rect(x, y, size, size).fill('#ffffff');
  m.forEach((row, r) => row.forEach((on, c) => (on ? doc.rect(x + (c + 4) * cell, y + (r + 4) * cell, cell, cell) : null)));
  doc.fill('#000000').restore();
}
