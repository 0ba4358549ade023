import { existsSync } from 'node:fs';
import PDFDocument from 'pdfkit';
import { AppError } from '../../errors.js';
import { formatHundredths } from '../scoring/allocation.js';
import type { Statement } from '../statements/statement.service.js';
import { beijingDay, beijingTime } from '../../calendar/index.js';
import { maxOf } from '../../../shared/numbers.js';
import type { NoticeVersion, SaleFigures } from './notice.versions.js';

/** What the 公示 notice is drawn from: the statement and the month's publication facts. */
export interface NoticeInput {
  bankName: string;
  statement: Statement;
  publishedAt: Date | null;
  windowClosesAt: Date | null;
  /**
   * The audit head to print (decision 0016): the month's lock anchor once locked, else the head
   * when the notice was rendered. A printed copy then anchors the audit log outside the system.
   */
  auditHead: { seq: number; hash: string; locked: boolean } | null;
  /** The notice's versions, oldest first (issue 12 rule 2); none given = version 1 at publication. */
  versions?: NoticeVersion[];
}

export interface NoticeTable {
  title: string;
  headers: string[];
  /** Relative column widths. */
  widths: number[];
  /** Right-align these columns (numbers). */
  numeric: number[];
  rows: string[][];
}

/** The notice as text, page-independent: what the PDF prints, testable without a PDF reader. */
export interface NoticeLayout {
  title: string;
  lines: string[];
  tables: NoticeTable[];
  footer: string[];
}

const beijing = (d: Date | null) => (d ? beijingTime(d) : '—');
const zhMonth = (month: string) => `${month.slice(0, 4)}年${Number(month.slice(5, 7))}月`;
const NUMERALS = ['一', '二', '三', '四', '五', '六', '七', '八'];
/** A sale's figures in one cell: its points, then each line (person, else department). */
const figures = (f: SaleFigures) => `${f.points}（${f.lines.map((l) => `${l.staffName ?? l.departmentName} ${l.points}`).join('、') || '无'}）`;

/** The current version of the notice: the last one, else version 1 at publication. */
export function currentVersion(n: Pick<NoticeInput, 'versions' | 'publishedAt'>): { number: number; date: string } {
  const last = n.versions?.at(-1);
  if (last) return { number: last.version, date: beijingDay(new Date(last.createdAt)) };
  return { number: 1, date: n.publishedAt ? beijingDay(n.publishedAt) : '—' };
}

/**
 * The notice's content (SPEC §9.2, Art. 21 "月初在本级行公示统计结果一周"): branch, month,
 * totals, every department and person with their points, the projects, the mortgage rule.
 */
export function noticeLayout(n: NoticeInput): NoticeLayout {
  const s = n.statement;
  const tables: NoticeTable[] = [
    {
      title: '一、部门积分',
      headers: ['部门代码', '部门', '积分', '作废积分', '笔数'],
      widths: [1.2, 2.4, 1.4, 1.4, 0.8],
      numeric: [2, 3, 4],
      rows: s.departments.map((d) => [d.code, d.name, d.points, d.voided.points, String(d.sales)]),
    },
    {
      title: '二、个人积分',
      headers: ['工号', '姓名', '部门', '角色', '积分', '笔数'],
      widths: [1.3, 1.1, 1.8, 2, 1.2, 0.7],
      numeric: [4, 5],
      rows: s.people.map((p) => [p.staffNo, p.name, p.departmentName, p.roles.join('、'), p.points, String(p.sales)]),
    },
    {
      title: '三、项目积分',
      headers: ['项目', '积分', '作废积分', '笔数'],
      widths: [2.5, 1.5, 1.5, 1],
      numeric: [1, 2, 3],
      rows: s.projects.map((p) => [p.projectId === null ? '未归属项目' : (p.projectName ?? `项目 ${p.projectId}`), p.points, p.voided.points, String(p.sales)]),
    },
  ];
  if (s.developments.some((d) => d.mortgageSales > 0)) {
    tables.push({
      title: '四、楼盘按揭达标情况（第二十条）',
      headers: ['楼盘', '本行占比', '标准', '结论', '积分', '作废积分'],
      widths: [2.4, 1.1, 1, 0.9, 1.2, 1.2],
      numeric: [1, 2, 4, 5],
      rows: s.developments
        .filter((d) => d.mortgageSales > 0)
        .map((d) => [
          d.name,
          d.ratioBp === null ? '—' : `${formatHundredths(BigInt(d.ratioBp))}%`,
          d.thresholdBp === null ? '—' : `${formatHundredths(BigInt(d.thresholdBp))}%`,
          d.verdict === 'pass' ? '达标' : '未达标',
          d.points.points,
          d.voided.points,
        ]),
    });
  }
  if (s.adjustments.length) {
    // SPEC §9.5: corrections of locked months land in the open month, visible as such.
    tables.push({
      title: `${tables.length === 3 ? '四' : '五'}、已锁定月份的调整（记入本月）`,
      headers: ['原月份', '交易流水号', '部门', '人员', '积分'],
      widths: [1, 2.2, 1.8, 1.2, 1.2],
      numeric: [4],
      rows: s.adjustments.map((a) => [a.adjustsMonth, a.sourceId, a.departmentName, a.staffName ?? '（部门）', a.points]),
    });
  }
  const changed = (n.versions ?? []).filter((v) => v.version > 1);
  if (changed.length) {
    // Issue 12 rule 2: what each upheld objection changed on the published notice.
    tables.push({
      title: `${NUMERALS[tables.length]}、变更记录`,
      headers: ['版本', '交易流水号', '变更前', '变更后', '理由'],
      widths: [1.3, 1.4, 2.2, 2.2, 2],
      numeric: [],
      rows: changed.flatMap((v) =>
        v.changes.map((c) => [
          `第 ${v.version} 版（${beijingDay(new Date(v.createdAt))}）${v.objectionId === null ? '' : `异议 #${v.objectionId}`}`,
          c.sourceId,
          figures(c.before),
          figures(c.after),
          c.reason,
        ]),
      ),
    });
  }
  const version = currentVersion(n);
  return {
    title: `${s.node.name}${zhMonth(s.month)}公私联动交叉营销积分统计结果公示`,
    lines: [
      `机构：${s.node.name}（${s.node.code}）    统计月份：${s.month}    第 ${version.number} 版（${version.date}）`,
      `公示时间：${beijing(n.publishedAt)} 至 ${beijing(n.windowClosesAt)}（北京时间）`,
      `积分合计：${s.totals.total.points}    其中个人：${s.totals.people.points}    部门留存：${s.totals.departmentLevel.points}    作废：${s.totals.voided.points}    销售笔数：${s.totals.sales}`,
    ],
    tables,
    footer: [
      '根据《商业银行公私联动交叉营销管理办法》第二十一条，现将本月交叉营销积分统计结果予以公示。',
      '如对公示内容有异议，请于公示期内通过交叉营销管理平台提出，由交叉营销管理委员会办公室负责答复。',
      `${n.bankName}${s.node.name}公私联动交叉营销管理委员会办公室`,
      ...(n.auditHead ? [`审计日志锚点（${n.auditHead.locked ? '本月锁定时' : '本公示生成时'}）：第 ${n.auditHead.seq} 条`, `SHA-256 ${n.auditHead.hash}`] : []),
    ],
  };
}

/** The first CJK font found: the configured one, then Debian's usual places. */
export function cjkFont(path: string): string {
  const candidates = [path, '/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc', '/usr/share/fonts/opentype/noto/NotoSerifCJK-Regular.ttc'];
  const found = candidates.find((p) => existsSync(p));
  if (!found) throw new AppError('NOTICE.PDF_FONT_MISSING', { font: path });
  return found;
}

/** Prints the layout on A4 with the CJK font embedded (subset), tables paged with their header. */
export function renderNoticePdf(layout: NoticeLayout, opts: { fontPath: string; fontFace: string; compress?: boolean }): Promise<Buffer> {
  const fontPath = cjkFont(opts.fontPath);
  const doc = new PDFDocument({ size: 'A4', margin: 48, compress: opts.compress ?? true, info: { Title: layout.title, Creator: 'Linkage' } });
  const chunks: Buffer[] = [];
  const done = new Promise<Buffer>((resolve, reject) => {
    doc.on('data', (c: Buffer) => chunks.push(c));
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.on('error', reject);
  });
  doc.registerFont('cjk', fontPath, fontPath.endsWith('.ttc') ? opts.fontFace : undefined);
  doc.font('cjk');
  const left = doc.page.margins.left;
  const width = doc.page.width - left - doc.page.margins.right;
  const bottom = () => doc.page.height - doc.page.margins.bottom;

  doc.fontSize(15).text(layout.title, { align: 'center' });
  doc.moveDown(0.8);
  doc.fontSize(9.5);
  for (const l of layout.lines) doc.text(l);

  for (const t of layout.tables) {
    doc.moveDown(0.8);
    if (doc.y + 60 > bottom()) doc.addPage();
    doc.fontSize(11).text(t.title, left, doc.y);
    doc.moveDown(0.3);
    const total = t.widths.reduce((a, w) => a + w, 0);
    const cols = t.widths.map((w) => (w / total) * width);
    const drawRow = (cells: string[], header: boolean) => {
      doc.fontSize(header ? 9 : 8.5);
      const heights = cells.map((c, i) => doc.heightOfString(c || ' ', { width: cols[i] - 6 }));
      const h = maxOf(heights) + 6;
      if (doc.y + h > bottom()) {
        doc.addPage();
        if (!header) drawRow(t.headers, true);
      }
      const y = doc.y;
      let x = left;
      if (header) doc.rect(left, y, width, h).fill('#f0f0f0').fillColor('black');
      cells.forEach((c, i) => {
        doc.text(c, x + 3, y + 3, { width: cols[i] - 6, align: t.numeric.includes(i) ? 'right' : 'left' });
        x += cols[i];
      });
      doc
        .moveTo(left, y + h)
        .lineTo(left + width, y + h)
        .lineWidth(0.4)
        .strokeColor('#999999')
        .stroke();
      doc.x = left;
      doc.y = y + h;
    };
    drawRow(t.headers, true);
    if (t.rows.length === 0) drawRow(['（无）', ...t.headers.slice(1).map(() => '')], false);
    for (const r of t.rows) drawRow(r, false);
  }

  doc.moveDown(1.2);
  if (doc.y + 60 > bottom()) doc.addPage();
  doc.fontSize(9.5);
  for (const f of layout.footer) doc.text(f, left, doc.y, { width });
  doc.end();
  return done;
}
