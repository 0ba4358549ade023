import { beijingTime } from '../../calendar/index.js';
import type { NoticeLayout } from '../periods/notice.pdf.js';
import { cellText, type IssueTable, summable, totalRow } from './export.columns.js';

/**
 * An issue as a print layout (issue 16 part B): title, period, version and production time, the
 * reader's scope, then the figures as one table with a total row — rendered by the same PDF
 * renderer as the 公示 notice and the inter-bank briefing (Noto CJK, A4). Pure.
 */
export interface IssuePrint {
  bankName: string;
  nameZh: string;
  periodLabel: string;
  periodFrom: string;
  periodTo: string;
  version: number;
  producedAt: string | null;
  reason: string | null;
  scopeName: string;
  table: IssueTable | null;
  waitingOn: string | null;
}

export function issueLayout(p: IssuePrint, printedAt: Date): NoticeLayout {
  const t = p.table;
  const lines = [
    `报告期：${p.periodLabel}（${p.periodFrom} 至 ${p.periodTo}）  第 ${p.version} 版`,
    `生成时间：${p.producedAt ? beijingTime(new Date(p.producedAt)) : '—'}  范围：${p.scopeName}`,
    ...(p.reason ? [`重新生成原因：${p.reason}`] : []),
    ...(p.waitingOn ? [`本期尚待外部数据：${p.waitingOn}`] : []),
  ];
  if (!t) return { title: `${p.bankName}${p.nameZh}`, lines, tables: [], footer: [`打印时间：${beijingTime(printedAt)}`] };
  const total = totalRow(t);
  const rows = t.rows.map((r) => t.columns.map((c) => cellText(c.unit, r[c.key])));
  if (t.rows.length > 1) rows.push(t.columns.map((c, i) => (i === 0 ? '合计' : summable(c) ? cellText(c.unit, total[c.key]) : '')));
  return {
    title: `${p.bankName}${p.nameZh}`,
    lines,
    tables: [
      {
        title: `${p.periodLabel}（共 ${t.rows.length} 行）`,
        headers: t.columns.map((c) => c.zh),
        widths: t.columns.map((c) => (c.key === 'nodeName' || c.key.endsWith('Name') ? 2 : c.unit === 'text' ? 1.2 : 1.3)),
        numeric: t.columns.flatMap((c, i) => (c.unit === 'text' ? [] : [i])),
        rows,
      },
    ],
    footer: [`打印时间：${beijingTime(printedAt)}`, '本表为通报生成时冻结的数据；按阅读人所辖机构范围输出。'],
  };
}
