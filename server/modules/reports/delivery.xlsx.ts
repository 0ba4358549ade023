import { writeXlsx } from '../../xlsx/xlsx.js';
import { type AnyData, type AnyLine, formatMeasure, isData, type MeasureUnit } from './subscriptions.rules.js';

/**
 * A delivered issue as an .xlsx attachment (issue 16, decision 0040): the lines the subscriber
 * may see — the same filtered data the console shows — one row each, Chinese headers. Integer
 * figures are written as the console prints them (rates as percentages, 分 as yuan with two
 * decimals, quantities with four), as text, never through a float.
 */
interface Column {
  header: string;
  key: string;
  width?: number;
  value: (l: AnyLine) => unknown;
}

const fmt = (unit: MeasureUnit, v: unknown) => (typeof v === 'number' ? formatMeasure(v, unit) : '');
const node: Column[] = [
  { header: '机构号', key: 'nodeCode', width: 10, value: (l) => l.nodeCode ?? '' },
  { header: '机构', key: 'nodeName', width: 18, value: (l) => l.nodeName },
];

function columnsOf(data: AnyData): Column[] {
  if (data.view === 'sales')
    return [
      ...node,
      { header: '产品代码', key: 'productCode', value: (l) => l.productCode },
      { header: '产品', key: 'productName', width: 20, value: (l) => l.productName },
      { header: '单位', key: 'unit', width: 8, value: (l) => l.unit },
      { header: '笔数', key: 'sales', width: 8, value: (l) => l.sales },
      { header: '数量', key: 'quantity', value: (l) => fmt('qty1e4', l.quantity1e4) },
      { header: '积分', key: 'points', value: (l) => fmt('points', l.pointsHundredths) },
    ];
  if (data.view === 'completion')
    return [
      ...node,
      { header: '产品', key: 'productName', width: 20, value: (l) => l.productName },
      { header: '单位', key: 'unit', width: 8, value: (l) => l.unit },
      { header: '目标量', key: 'quota', value: (l) => fmt('qty1e4', l.quota1e4) },
      { header: '完成量', key: 'done', value: (l) => fmt('qty1e4', l.done1e4) },
      { header: '完成率', key: 'rate', value: (l) => fmt('bp', l.completionBp) },
    ];
  return [
    ...node,
    ...(data.measures ?? []).map((m) => ({
      header: m.unit === 'fen' ? `${m.zh}（元）` : m.zh,
      key: `m_${m.key}`,
      width: 18,
      value: (l: AnyLine) => fmt(m.unit as MeasureUnit, l.values?.[m.key]),
    })),
  ];
}

/** The workbook of a delivered issue (its filtered data); an issue without lines gives a header-only sheet. */
export async function issueWorkbook(title: string, data: unknown): Promise<Buffer> {
  const d: AnyData = isData(data) ? data : { view: 'none', lines: [] };
  const cols = columnsOf(d);
  return writeXlsx(
    title,
    cols.map((c) => ({ header: c.header, key: c.key, width: c.width })),
    d.lines.map((l) => Object.fromEntries(cols.map((c) => [c.key, c.value(l)]))),
  );
}
