import { sql } from 'drizzle-orm';
import { type DbOrTx, rows } from '../../db/client.js';
import { demoDepartmentId } from '../../seed/demo-bank.js';
import { DEMO_NODES } from '../../seed/demo-ids.js';
import { scoreSales } from '../scoring/ledger.service.js';
import { makeDevelopment, makeProduct, makeSale, staffOf } from '../scoring/testing.js';
import { makeStaff } from '../targets/testing.js';

/**
 * A year of 佛山分行 computed by hand, for the quotas, dashboards and assessment tests (not a test
 * file itself). Year 2025 holds none of the demo seed's sales, so every figure below is exact.
 *
 * Products (line T_LINE): CARD 1.00 point per 张; MORT (mortgage, host RE) 20.00 points per 户.
 * Sales of 佛山分行 in 2025:
 *   s1 2025-03-05 CARD ×10, host PF, participant CORP; people 公司 corp0 (CORP), outlet AM (PF)
 *        → 10.00: PF 2.00 (outlet AM), CORP 8.00 (corp0)
 *   s2 2025-06-10 CARD ×5, host CC, participants CORP, INST; people corp0 (CORP)
 *        → 5.00: CC 1.00, CORP 2.00 (corp0), INST 2.00 (department line)
 *   s3 2025-06-11 CARD ×7, host PF, participant INST — struck (found false): counts nothing
 *   s4 2025-09-01 MORT ×1, host RE, participant PF, development below its threshold — voided
 *   s5 2025-09-02 MORT ×1, host RE, participant PF, development passing
 *        → 20.00: RE 4.00, PF 16.00 (department lines)
 *   plus CARD ×100 in 2024 (another year) and CARD ×100 in 河源分行 (another branch).
 * Departments: CORP 10.00, PF 18.00, RE 4.00, CC 1.00, INST 2.00 — branch 35.00.
 * Completion: CORP×CARD 15, PF×CARD 10, CC×CARD 5, INST×CARD 5, RE×MORT 1, PF×MORT 1.
 */
export async function seedQuotaYear(db: DbOrTx) {
  const FS = DEMO_NODES.foshan;
  const card = await makeProduct(db, { score: 100, unit: '张', name: '测试信用卡' });
  const mort = await makeProduct(db, { score: 2000, unit: '户', name: '测试住房贷款', mortgage: true, host: 'RE' });
  const [outlet] = await rows<{ id: number; code: string; name: string }>(db, sql`SELECT id, code, name FROM org_nodes WHERE level = 'outlet' AND path LIKE ${`/1/2/${FS}/%`} ORDER BY id LIMIT 1`);
  const outletAm = await makeStaff(db, { staffNo: `qt_am_${outlet.id}`, name: '网点客户经理', nodeId: outlet.id, role: 'personal_am', scopeNodeId: outlet.id });
  const corp0 = (await staffOf(db, FS, 'CORP'))[0];
  const ok = await makeDevelopment(db, { nodeId: FS, lenderMode: 'sole', figures: [{ asOf: '2025-01-31', total: 100, bank: 90 }] });
  const below = await makeDevelopment(db, { nodeId: FS, lenderMode: 'sole', figures: [{ asOf: '2025-01-31', total: 100, bank: 50 }] });
  const s1 = await makeSale(db, {
    productId: card.id,
    nodeId: FS,
    saleDate: '2025-03-05',
    quantity1e4: 100_000,
    host: 'PF',
    participants: [{ dept: 'CORP' }],
    people: [
      { staffId: corp0, dept: 'CORP' },
      { staffId: outletAm.id, dept: 'PF' },
    ],
  });
  const s2 = await makeSale(db, {
    productId: card.id,
    nodeId: FS,
    saleDate: '2025-06-10',
    quantity1e4: 50_000,
    host: 'CC',
    participants: [{ dept: 'CORP' }, { dept: 'INST' }],
    people: [{ staffId: corp0, dept: 'CORP' }],
  });
  const s3 = await makeSale(db, { productId: card.id, nodeId: FS, saleDate: '2025-06-11', quantity1e4: 70_000, host: 'PF', participants: [{ dept: 'INST' }] });
  const s4 = await makeSale(db, { productId: mort.id, nodeId: FS, saleDate: '2025-09-01', quantity1e4: 10_000, host: 'RE', participants: [{ dept: 'PF' }], developmentId: below.id });
  const s5 = await makeSale(db, { productId: mort.id, nodeId: FS, saleDate: '2025-09-02', quantity1e4: 10_000, host: 'RE', participants: [{ dept: 'PF' }], developmentId: ok.id });
  const other = [
    await makeSale(db, { productId: card.id, nodeId: FS, saleDate: '2024-12-31', quantity1e4: 1_000_000, host: 'PF', participants: [{ dept: 'CORP' }] }),
    await makeSale(db, { productId: card.id, nodeId: DEMO_NODES.heyuan, saleDate: '2025-03-05', quantity1e4: 1_000_000, host: 'PF', participants: [{ dept: 'CORP' }] }),
  ];
  await scoreSales(
    db,
    [s1, s2, s3, s4, s5, ...other].map((s) => s.id),
  );
  // s3 is found false: struck, its lines reversed.
  await db.execute(sql`UPDATE sales SET struck_at = now(), struck_reason = '测试：认定虚假' WHERE id = ${s3.id}`);
  await scoreSales(db, [s3.id]);
  const dept = (code: string) => demoDepartmentId(FS, code);
  return { FS, card, mort, outlet, outletAm, corp0, sales: { s1, s2, s3, s4, s5 }, dept };
}
