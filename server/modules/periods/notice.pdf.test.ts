import { inflateSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../config.js';
import type { Statement } from '../statements/statement.service.js';
import { noticeLayout, renderNoticePdf } from './notice.pdf.js';

const p = (h: number) => ({ points: (h / 100).toFixed(2), pointsHundredths: h });

const statement: Statement = {
  node: { id: 11, code: '44100', name: '佛山分行' },
  month: '2026-08',
  period: '2026-08-01',
  state: 'published',
  totals: { total: p(107341), voided: p(5000), departmentLevel: p(5000), people: p(102341), sales: 4 },
  departments: [
    { branchCode: '44100', departmentId: 1101, code: 'CORP', name: '公司业务部', ...p(60000), voided: p(0), sales: 2 },
    { branchCode: '44100', departmentId: 1104, code: 'PF', name: '个人金融部', ...p(47341), voided: p(5000), sales: 3 },
  ],
  people: [
    {
      branchCode: '44100',
      staffId: 7,
      staffNo: '44110007',
      name: '黎嘉慧',
      departmentId: 1101,
      departmentCode: 'CORP',
      departmentName: '公司业务部',
      roles: ['介绍人'],
      ...p(60000),
      voided: p(0),
      sales: 2,
    },
    {
      branchCode: '44100',
      staffId: 9,
      staffNo: '44110009',
      name: '欧阳志远',
      departmentId: 1104,
      departmentCode: 'PF',
      departmentName: '个人金融部',
      roles: ['产品经理', '营销人员'],
      ...p(42341),
      voided: p(0),
      sales: 2,
    },
  ],
  projects: [
    { branchCode: '44100', projectId: 7, projectName: '美迪电器公私联动营销项目', ...p(100010), voided: p(0), sales: 1 },
    { branchCode: '44100', projectId: null, projectName: null, ...p(7331), voided: p(5000), sales: 3 },
  ],
  products: [],
  adjustments: [
    {
      saleId: 5,
      sourceId: 'T-0705',
      adjustsMonth: '2026-07',
      writtenMonth: '2026-08',
      branchCode: '44100',
      departmentId: 1104,
      departmentCode: 'PF',
      departmentName: '个人金融部',
      staffId: null,
      staffNo: null,
      staffName: null,
      ...p(-1250),
      voided: p(0),
    },
  ],
  laterAdjustments: [],
  developments: [
    {
      branchCode: '44100',
      developmentId: 3,
      code: 'D3',
      name: '未达标楼盘',
      lenderMode: 'partial',
      thresholdBp: 6000,
      ratioBp: 5900,
      totalHouseholds: 100,
      bankHouseholds: 59,
      asOf: '2026-08-15',
      verdict: 'void',
      reason: 'below',
      mortgageSales: 1,
      points: p(0),
      voided: p(5000),
    },
  ],
};

const line = (departmentName: string, staffName: string | null, h: number) => ({ departmentId: 1101, departmentName, staffId: staffName ? 7 : null, staffNo: null, staffName, ...p(h) });
const VERSIONS = [
  { version: 1, createdAt: '2026-09-01T02:00:00.000Z', createdBy: null, objectionId: null, reason: '公示', changes: [] },
  {
    version: 2,
    createdAt: '2026-09-02T01:00:00.000Z',
    createdBy: { id: 3, name: '办公室' },
    objectionId: 12,
    reason: '数量更正为 3',
    changes: [
      {
        saleId: 5,
        sourceId: 'T-0801',
        before: { ...p(1000), lines: [line('公司业务部', null, 400), line('公司业务部', '黎嘉慧', 600)] },
        after: { ...p(1501), lines: [line('公司业务部', null, 600), line('公司业务部', '黎嘉慧', 901)] },
        reason: '数量更正为 3',
      },
    ],
  },
];
const HEAD = { seq: 1234, hash: 'ab'.repeat(32), locked: true };
const input = { bankName: '示范商业银行', statement, publishedAt: new Date('2026-09-01T02:00:00Z'), windowClosesAt: new Date('2026-09-07T15:59:59Z'), auditHead: HEAD };

/** The Unicode code points a PDF's embedded fonts can print (from their ToUnicode maps). */
function printableCodePoints(pdf: Buffer): Set<number> {
  const text = pdf.toString('latin1');
  const out = new Set<number>();
  const streams = text.matchAll(/stream\r?\n([\s\S]*?)\r?\nendstream/g);
  for (const m of streams) {
    let body = Buffer.from(m[1], 'latin1');
    try {
      body = inflateSync(body);
    } catch {
      // not compressed
    }
    const s = body.toString('latin1');
    if (!s.includes('beginbfrange') && !s.includes('beginbfchar')) continue;
    for (const hex of s.matchAll(/<([0-9a-fA-F]{4,})>/g)) {
      for (let i = 0; i + 4 <= hex[1].length; i += 4) out.add(parseInt(hex[1].slice(i, i + 4), 16));
    }
  }
  return out;
}

describe('公示 notice (SPEC §9.2)', () => {
  it('lays out branch, month, every department and person with points, the projects and the mortgage table', () => {
    const l = noticeLayout(input);
    expect(l.title).toBe('佛山分行2026年8月公私联动交叉营销积分统计结果公示');
    expect(l.lines.join('\n')).toContain('机构：佛山分行（44100）    统计月份：2026-08');
    expect(l.lines.join('\n')).toContain('2026-09-01 10:00 至 2026-09-07 23:59');
    expect(l.lines.join('\n')).toContain('积分合计：1073.41');
    const [depts, people, projects, devs] = l.tables;
    expect(depts.rows).toEqual([
      ['CORP', '公司业务部', '600.00', '0.00', '2'],
      ['PF', '个人金融部', '473.41', '50.00', '3'],
    ]);
    expect(people.rows[1]).toEqual(['44110009', '欧阳志远', '个人金融部', '产品经理、营销人员', '423.41', '2']);
    expect(projects.rows).toEqual([
      ['美迪电器公私联动营销项目', '1000.10', '0.00', '1'],
      ['未归属项目', '73.31', '50.00', '3'],
    ]);
    expect(devs.rows[0]).toEqual(['未达标楼盘', '59.00%', '60.00%', '未达标', '0.00', '50.00']);
    expect(l.tables[4]).toMatchObject({ title: '五、已锁定月份的调整（记入本月）', rows: [['2026-07', 'T-0705', '个人金融部', '（部门）', '-12.50']] });
    expect(l.footer.join('')).toContain('第二十一条');
  });

  it('prints the audit anchor: the lock anchor of a locked month, else the head when rendered (decision 0016)', () => {
    expect(noticeLayout(input).footer.slice(-2)).toEqual(['审计日志锚点（本月锁定时）：第 1234 条', `SHA-256 ${'ab'.repeat(32)}`]);
    expect(noticeLayout({ ...input, auditHead: { ...HEAD, locked: false } }).footer.at(-2)).toBe('审计日志锚点（本公示生成时）：第 1234 条');
  });

  it('prints its version and date; from version 2 on, the change list (issue 12 rule 2)', () => {
    expect(noticeLayout(input).lines[0]).toBe('机构：佛山分行（44100）    统计月份：2026-08    第 1 版（2026-09-01）');
    expect(noticeLayout(input).tables.some((tb) => tb.title.endsWith('变更记录'))).toBe(false);
    const l = noticeLayout({ ...input, versions: VERSIONS });
    expect(l.lines[0]).toContain('第 2 版（2026-09-02）');
    expect(l.tables.at(-1)).toMatchObject({
      title: '六、变更记录',
      headers: ['版本', '交易流水号', '变更前', '变更后', '理由'],
      rows: [['第 2 版（2026-09-02）异议 #12', 'T-0801', '10.00（公司业务部 4.00、黎嘉慧 6.00）', '15.01（公司业务部 6.00、黎嘉慧 9.01）', '数量更正为 3']],
    });
  });

  it('prints a PDF with the Chinese font embedded: every character of the notice is printable', async () => {
    const cfg = loadConfig({});
    const layout = noticeLayout({ ...input, versions: VERSIONS });
    const pdf = await renderNoticePdf(layout, { fontPath: cfg.PDF_CJK_FONT, fontFace: cfg.PDF_CJK_FONT_FACE, compress: false });
    expect(pdf.subarray(0, 5).toString()).toBe('%PDF-');
    expect(pdf.toString('latin1')).toMatch(/NotoSansCJK/);
    const printable = printableCodePoints(pdf);
    const text = [layout.title, ...layout.lines, ...layout.tables.flatMap((t) => [t.title, ...t.headers, ...t.rows.flat()]), ...layout.footer].join('');
    const missing = [...new Set([...text].filter((c) => c.trim()))].filter((c) => !printable.has(c.codePointAt(0)!));
    expect(missing).toEqual([]);
    expect(printable.has('龘'.codePointAt(0)!)).toBe(false); // only what the notice uses is embedded
    // Compressed (the default) is still a PDF, and smaller.
    const small = await renderNoticePdf(layout, { fontPath: cfg.PDF_CJK_FONT, fontFace: cfg.PDF_CJK_FONT_FACE });
    expect(small.subarray(0, 5).toString()).toBe('%PDF-');
    expect(small.length).toBeLessThan(pdf.length);
  });
});
