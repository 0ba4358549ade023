import { sql } from 'drizzle-orm';
import { TestClock, useClock } from '../calendar/index.js';
import { type Db, rows } from '../db/client.js';
import type { AuthContext } from '../modules/access/context.js';
import { loadGrants } from '../modules/auth/auth.service.js';
import { makeIdNumber } from '../modules/customers/ids.rules.js';
import { admitClient } from '../modules/supplychain/clients.service.js';
import { applyFeed, createDraw } from '../modules/supplychain/draws.service.js';
import { runSupplyChainNplJob } from '../modules/supplychain/npl.job.js';
import { scOrdersSpec } from '../modules/supplychain/orders.import.js';
import { createProgramme } from '../modules/supplychain/programmes.service.js';
import { scRecommendationsSpec } from '../modules/supplychain/recommendations.import.js';
import { actorOf } from '../modules/supplychain/supplychain.access.js';
import { DEMO_NODES } from './demo-ids.js';

const Y = 100;
const CODE = 'TQ-2026';

/** The enterprise's list: [code, name, kind, household, score, recommended 元, monthly orders 元, enterprise's figure for 2026-03 if it differs]. */
const CLIENTS: [string, string, 'farmer' | 'small_business', string, number, number, number, number?][] = [
  ['YZH-001', '张大山养殖场', 'farmer', 'H-001', 88, 800_000, 175_000],
  ['YZH-002', '李家湾生猪养殖合作社', 'small_business', 'H-002', 92, 3_000_000, 1_000_000],
  ['YZH-003', '王二饲养户', 'farmer', 'H-003', 75, 500_000, 100_000, 120_000],
  ['YZH-004', '陈记家禽养殖场', 'farmer', 'H-004', 81, 1_000_000, 400_000],
  ['YZH-005', '刘村肉鸡养殖户', 'farmer', 'H-005', 79, 300_000, 90_000],
  ['YZH-006', '周氏生态农场', 'small_business', 'H-006', 84, 600_000, 150_000],
  ['YZH-007', '黄坑水禽养殖户', 'farmer', 'H-007', 68, 200_000, 40_000],
];

/**
 * 供应链金融 demo (SPEC §12, seed 002): 佛山分行's programme with 四川特驱农牧集团 (the seed's 特驱 case),
 * its recommended farmers with the two order histories (王二饲养户 differs in 2026-03 beyond the 5 %
 * tolerance and stays not admitted), five admitted through the one path with their limits and rules,
 * draws with their margin, one loan 95 days overdue with the enterprise's compensation, and the
 * NPL ratio computed by the daily job for the last days of November (2.21 %: over the 2 % warning
 * line, not suspended). Runs once: skipped when the programme exists.
 */
export async function seedDemoSupplyChain(db: Db): Promise<{ clients: number; admitted: number } | null> {
  const [had] = await rows<{ id: number }>(db, sql`SELECT id FROM sc_programmes WHERE code = ${CODE}`);
  if (had) return null;
  const [s] = await rows<{ id: number; name: string; nodeId: number }>(db, sql`SELECT id, name, node_id AS "nodeId" FROM staff WHERE staff_no = 'fs_admin' AND active`);
  if (!s) return null;
  const clock = new TestClock('2026-05-25T02:00:00Z');
  const restore = useClock(clock);
  try {
    const auth: AuthContext = {
      staffId: s.id,
      staffNo: 'fs_admin',
      name: s.name,
      nodeId: s.nodeId,
      sessionId: 'demo',
      csrfToken: 'demo',
      mustChangePassword: false,
      grants: await loadGrants(db, s.id),
    };
    const ctx: Parameters<typeof scOrdersSpec.write>[2] = { auth, actor: actorOf(auth) };
    const p = await createProgramme(db, auth, {
      code: CODE,
      name: '特驱农牧贷',
      enterpriseName: '四川特驱农牧集团有限公司',
      enterpriseUscc: null,
      nodeId: DEMO_NODES.foshan,
      ownerStaffId: s.id,
      agreementNo: 'HZXY-2026-TQ01',
      guaranteeNo: 'DBHT-2026-TQ01',
      signedOn: '2026-05-10',
      totalCapFen: 40_000_000_000,
      householdCapFen: 200_000_000,
      orderRatioBp: 3000,
      marginBp: 500,
      warnBp: 200,
      suspendBp: 300,
      toleranceBp: 500,
      maxTermMonths: 12,
      nplOverdueDays: 90,
    });
    // The lists, through the import specs' own write (as if imported from the templates).
    // 佛山分行's first outlet is where the farmers settle: the whitelist routes the admitted ones there.
    const [outlet] = await rows<{ code: string }>(
      db,
      sql`SELECT n.code FROM org_nodes n JOIN org_nodes b ON b.id = ${DEMO_NODES.foshan} WHERE n.level = 'outlet' AND n.active AND n.path LIKE b.path || '%' ORDER BY n.id LIMIT 1`,
    );
    await db.transaction(async (tx) => {
      const recs = CLIENTS.map(([clientCode, clientName, clientKind, householdNo, score, rec], i) => ({
        rowNumber: i + 2,
        value: {
          programmeCode: CODE,
          clientCode,
          clientName,
          clientKind,
          householdNo,
          idNo: makeIdNumber('440604', `19${70 + i}-0${1 + (i % 9)}-1${i}`, 101 + i),
          settlementCode: outlet?.code ?? null,
          score,
          recommendedFen: rec * Y,
          letterNo: `TJH-${clientCode}`,
          appliedOn: '2026-05-20',
          programmeId: p.id,
        },
      }));
      await scRecommendationsSpec.write(tx, recs, ctx);
      const orders = [];
      for (let m = 0; m < 12; m++) {
        const month = `${m < 8 ? 2025 : 2026}-${String(((m + 4) % 12) + 1).padStart(2, '0')}-01`;
        for (const [clientCode, , , , , , monthly, differs] of CLIENTS)
          for (const source of ['enterprise', 'provider'] as const) {
            const amount = source === 'enterprise' && differs && month === '2026-03-01' ? differs : monthly;
            orders.push({ rowNumber: orders.length + 2, value: { programmeCode: CODE, clientCode, month, source, amountFen: amount * Y, programmeId: p.id, nodeId: DEMO_NODES.foshan } });
          }
      }
      await scOrdersSpec.write(tx, orders, ctx);
    });
    const clients = await rows<{ id: number; code: string }>(db, sql`SELECT id, client_code AS code FROM sc_clients WHERE programme_id = ${p.id} ORDER BY id`);
    const id = (code: string) => clients.find((c) => c.code === code)!.id;
    let admitted = 0;
    for (const code of ['YZH-001', 'YZH-002', 'YZH-004', 'YZH-005', 'YZH-006']) {
      clock.set('2026-06-01T02:00:00Z');
      await admitClient(db, auth, id(code), '交叉验证一致，准入');
      admitted++;
    }
    clock.set('2026-06-15T02:00:00Z');
    const draws: [string, string, number][] = [
      ['YZH-001', 'JJ-2026-0601', 500_000],
      ['YZH-002', 'JJ-2026-0602', 1_500_000],
      ['YZH-004', 'JJ-2026-0603', 800_000],
      ['YZH-005', 'JJ-2026-0604', 70_000],
      ['YZH-006', 'JJ-2026-0605', 400_000],
    ];
    for (const [code, loanNo, yuan] of draws) await createDraw(db, auth, id(code), { loanNo, amountFen: yuan * Y, drawnOn: '2026-06-15', maturityOn: '2027-06-14' });
    // The loan feed of 30 November: 刘村 is 95 days overdue (non-performing); 特驱 compensated its interest; 周氏 repaid 100,000.
    clock.set('2026-11-30T10:00:00Z');
    const loans = await rows<{ id: number; loanNo: string; amountFen: number; marginFen: number }>(
      db,
      sql`SELECT id, loan_no AS "loanNo", amount_fen::float8 AS "amountFen", margin_fen::float8 AS "marginFen" FROM sc_draws WHERE programme_id = ${p.id}`,
    );
    await db.transaction(async (tx) => {
      for (const l of loans) {
        const late = l.loanNo === 'JJ-2026-0604';
        const repaid = l.loanNo === 'JJ-2026-0605' ? 100_000 * Y : 0;
        await applyFeed(
          tx,
          ctx.actor,
          DEMO_NODES.foshan,
          { ...l, programmeId: p.id },
          {
            balanceFen: l.amountFen - repaid,
            repaidFen: repaid,
            overdueFen: late ? 2_350 * Y : 0,
            overdueDays: late ? 95 : 0,
            compensatedFen: late ? 1_175 * Y : 0,
            asOf: '2026-11-30',
          },
        );
      }
    });
    // NPL 70,000 ÷ (3,270,000 − 100,000) = 2.21 %: the daily job on the last days of November warns.
    for (const day of ['2026-11-29T17:00:00Z', '2026-11-30T17:00:00Z']) await runSupplyChainNplJob(db, new Date(day));
    return { clients: clients.length, admitted };
  } finally {
    restore();
  }
}
