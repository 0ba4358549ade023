import PDFDocument from 'pdfkit';
import { beijingTime } from '../../calendar/index.js';
import { cjkFont } from '../periods/notice.pdf.js';
import { drawQr } from './qr.js';

export interface QrSheetInput {
  title: string;
  subtitle: string;
  /** Absolute URLs: what a phone's camera opens. */
  codes: { label: string; note: string | null; url: string }[];
  /** The one code for everyone (the walk-in survey), printed first and larger, when there is one. */
  generic?: { label: string; url: string } | null;
}

/** The lines above the grid (testable without a PDF reader). */
export function qrSheetHeader(a: { title: string; startsAt: string; place: string | null }, p: { name: string; companyName: string; outlet: string }) {
  return { title: `${a.title} · 签到二维码`, subtitle: `${p.companyName} · ${p.name} · ${beijingTime(new Date(a.startsAt))}${a.place ? ` · ${a.place}` : ''} · 协办网点：${p.outlet}` };
}

/**
 * The printable sheet (A4, 3 × 4 codes a page): each invitee's check-in code with their name, so
 * the door can hand out or scan it; the generic code, when given, heads the first page.
 */
export function renderQrSheet(input: QrSheetInput, font: { fontPath: string; fontFace: string }): Promise<Buffer> {
  const fontPath = cjkFont(font.fontPath);
  const doc = new PDFDocument({ size: 'A4', margin: 36, info: { Title: input.title, Creator: 'Linkage' } });
  const chunks: Buffer[] = [];
  const done = new Promise<Buffer>((resolve, reject) => {
    doc.on('data', (c: Buffer) => chunks.push(c));
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.on('error', reject);
  });
  doc.registerFont('cjk', fontPath, fontPath.endsWith('.ttc') ? font.fontFace : undefined);
  doc.font('cjk');
  const left = doc.page.margins.left;
  const width = doc.page.width - left - doc.page.margins.right;
  const header = () => {
    doc.fontSize(14).text(input.title, left, doc.page.margins.top, { width, align: 'center' });
    doc.fontSize(9).text(input.subtitle, { width, align: 'center' });
    doc.moveDown(0.6);
  };
  header();
  if (input.generic) {
    const size = 150;
    const y = doc.y;
    drawQr(doc, input.generic.url, left + (width - size) / 2, y, size);
    doc.fontSize(11).text(input.generic.label, left, y + size + 4, { width, align: 'center' });
    doc.moveDown(1);
  }
  const cols = 3;
  const cellW = width / cols;
  const qr = 120;
  const cellH = qr + 44;
  let x = 0;
  let y = doc.y;
  for (const c of input.codes) {
    if (y + cellH > doc.page.height - doc.page.margins.bottom) {
      doc.addPage();
      header();
      y = doc.y;
    }
    const cx = left + x * cellW;
    doc
      .save()
      .lineWidth(0.5)
      .dash(3, { space: 3 })
      .rect(cx + 4, y, cellW - 8, cellH - 4)
      .stroke('#999999')
      .undash()
      .restore();
    drawQr(doc, c.url, cx + (cellW - qr) / 2, y + 4, qr);
    doc
      .fillColor('#000000')
      .fontSize(11)
      .text(c.label, cx, y + qr + 6, { width: cellW, align: 'center' });
    if (c.note)
      doc
        .fontSize(8)
        .fillColor('#555555')
        .text(c.note, cx, y + qr + 22, { width: cellW, align: 'center' })
        .fillColor('#000000');
    x++;
    if (x === cols) {
      x = 0;
      y += cellH;
    }
  }
  if (!input.codes.length) doc.fontSize(10).text('本活动尚无受邀人。', left, y);
  doc.end();
  return done;
}
