import { writeXlsx } from '../../xlsx/xlsx.js';
import type { nearList } from './vip.screening.js';

type Row = Awaited<ReturnType<typeof nearList>>['rows'][number];

const yuan = (fen: number) => fen / 100;

/** 临界区间客户 workbook: the ranked list as shown, amounts in 元. */
export async function nearWorkbook(list: readonly Row[], bandPercent: number, asOf: string): Promise<Buffer> {
  async function* flat() {
    for (const r of list)
      yield {
        rank: r.rank,
        name: r.name,
        node: r.nodeName,
        aum: yuan(r.aumFen),
        current: r.currentTierName ?? '—',
        near: r.nearTierName,
        threshold: yuan(r.thresholdFen),
        gap: yuan(r.gapFen),
        // Basis points as a percentage with two decimals, in integers (no binary floats).
        closeness: `${Math.trunc(r.closenessBp / 100)}.${String(r.closenessBp % 100).padStart(2, '0')}%`,
        am: r.amName,
      };
  }
  return writeXlsx(
    `临界客户${asOf}(${bandPercent}%)`,
    [
      { header: '排名', key: 'rank', width: 6 },
      { header: '客户姓名', key: 'name', width: 10 },
      { header: '所属机构', key: 'node', width: 18 },
      { header: '金融资产(元)', key: 'aum', width: 16 },
      { header: '当前等级', key: 'current', width: 10 },
      { header: '临近等级', key: 'near', width: 10 },
      { header: '等级门槛(元)', key: 'threshold', width: 16 },
      { header: '差额(元)', key: 'gap', width: 14 },
      { header: '达成度', key: 'closeness', width: 10 },
      { header: '专属客户经理', key: 'am', width: 12 },
    ],
    flat(),
  );
}
