import { createWriteStream, rmSync, statSync } from 'node:fs';
import { finished } from 'node:stream/promises';
import { DETAIL_COLUMNS } from '../server/modules/reports/export.service.js';
import { streamWorkbook } from '../server/modules/reports/export.xlsx.js';

// Child of bench/reports.ts: the report export's streamed workbook with a `rows`-row 明细 sheet
// (the ledger detail's columns, rows made on the fly as the database batches would hand them),
// written to a file; its own peak RSS on stdout as JSON.
const [file, n] = [process.argv[2], Number(process.argv[3])];
async function* detail() {
  for (let i = 1; i <= n; i++)
    yield {
      lineId: String(i),
      saleId: String(Math.ceil(i / 3)),
      sourceId: `B-${Math.ceil(i / 3)}`,
      saleDate: '2026-11-20',
      branch: '佛山分行',
      placedAt: i % 3 === 0 ? '佛山分行' : '禅城支行营业室',
      product: '个人信用卡',
      quantity1e4: 10_000 * (1 + (i % 7)),
      department: i % 3 === 0 ? '公司业务部' : '个人金融部',
      staffNo: i % 3 === 0 ? null : `4411${String(i % 10_000).padStart(4, '0')}`,
      staffName: i % 3 === 0 ? null : '陈晓敏',
      kind: '分配',
      pointsHundredths: 100 + (i % 900),
    };
}
const t0 = performance.now();
const out = createWriteStream(file);
const rows = [{ nodeCode: '44100', nodeName: '佛山分行', sales: n / 3, pointsHundredths: 123_456 }];
const counts = await streamWorkbook(out, [
  {
    name: '通报',
    caption: ['个人金融业务产品销售日通报表（bench）'],
    columns: [
      { key: 'nodeCode', header: '机构号', unit: 'text' },
      { key: 'nodeName', header: '机构', unit: 'text' },
      { key: 'sales', header: '笔数', unit: 'count' },
      { key: 'pointsHundredths', header: '积分', unit: 'hundredths' },
    ],
    rows,
  },
  { name: '明细', columns: DETAIL_COLUMNS, rows: detail() },
]);
await finished(out);
const seconds = (performance.now() - t0) / 1000;
const size = statSync(file).size;
rmSync(file, { force: true });
console.log(
  JSON.stringify({
    rows: counts[1],
    seconds: Math.round(seconds * 10) / 10,
    rowsPerSec: Math.round(counts[1] / seconds),
    fileMiB: Math.round((size / 2 ** 20) * 10) / 10,
    maxRssMiB: Math.round(process.resourceUsage().maxRSS / 1024),
  }),
);
