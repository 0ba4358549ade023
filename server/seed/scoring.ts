import { sql } from 'drizzle-orm';
import type { AuthContext } from '../modules/access/context.js';
import { BANK_WIDE, appendAudit, SYSTEM_ACTOR } from '../modules/audit/audit.service.js';
import { resolveSales } from '../modules/sales/sales.resolve.js';
import type { SaleInput } from '../modules/sales/sales.rules.js';
import { insertResolved } from '../modules/sales/sales.service.js';
import { type Db, type DbOrTx, rows } from '../db/client.js';
import { developmentFigures, developments, productLines, products, productScores } from '../db/schema/index.js';
import { DEMO_COMPANIES } from './customers.js';
import { demoDepartmentId } from './demo-bank.js';
import { DEMO_NODES } from './demo-ids.js';
import { createRng, pick, pickWeighted, randInt, type Rng } from './names.js';

/**
 * Demo products, unit scores, developments and cross-sales (SPEC §6–§8). Runs after the demo bank
 * and the demo customers; the sales go through the sales module's checks and are scored in the
 * same transaction, exactly as an import would. Deterministic (seeded PRNG, fixed dates).
 */

export const DEMO_PRODUCT_LINES = [
  { code: 'WMP', nameZh: '理财', nameEn: 'Wealth management' },
  { code: 'FUND', nameZh: '基金', nameEn: 'Funds' },
  { code: 'INS', nameZh: '保险', nameEn: 'Insurance' },
  { code: 'CARD', nameZh: '银行卡', nameEn: 'Cards' },
  { code: 'EBANK', nameZh: '电子银行', nameEn: 'E-banking' },
  { code: 'PAYROLL', nameZh: '代发工资', nameEn: 'Payroll' },
  { code: 'LOAN', nameZh: '个人贷款', nameEn: 'Personal loans' },
  { code: 'FX', nameZh: '个人外汇', nameEn: 'Personal FX' },
  { code: 'GOLD', nameZh: '贵金属', nameEn: 'Precious metals' },
  { code: 'DEPOSIT', nameZh: '存款', nameEn: 'Deposits' },
] as const;

interface DemoProduct {
  code: string;
  name: string;
  line: string;
  host: string;
  unit: string;
  mortgage?: boolean;
  /** [effective from, score in hundredths] */
  scores: [string, number][];
  /** Relative frequency among the demo sales. */
  weight: number;
}

/** ~15 products of SPEC §6. 保险 changed mid-year, 信用卡 on 2026-11-01 (inside the demo months). */
export const DEMO_PRODUCTS: readonly DemoProduct[] = [
  { code: 'WMP', name: '个人理财产品', line: 'WMP', host: 'PF', unit: '万元', scores: [['2026-01-01', 200]], weight: 8 },
  { code: 'PBWMP', name: '私人银行理财', line: 'WMP', host: 'PB', unit: '万元', scores: [['2026-01-01', 250]], weight: 2 },
  { code: 'FUND', name: '基金', line: 'FUND', host: 'PF', unit: '万元', scores: [['2026-01-01', 300]], weight: 5 },
  {
    code: 'INS',
    name: '代理保险',
    line: 'INS',
    host: 'PF',
    unit: '万元',
    scores: [
      ['2026-01-01', 500],
      ['2026-07-01', 600],
    ],
    weight: 4,
  },
  { code: 'PENSION', name: '个人养老金账户', line: 'INS', host: 'PF', unit: '户', scores: [['2026-01-01', 500]], weight: 3 },
  { code: 'DEBIT', name: '借记卡', line: 'CARD', host: 'PF', unit: '张', scores: [['2026-01-01', 100]], weight: 10 },
  {
    code: 'CREDIT',
    name: '信用卡',
    line: 'CARD',
    host: 'CC',
    unit: '张',
    scores: [
      ['2026-01-01', 800],
      ['2026-11-01', 1000],
    ],
    weight: 9,
  },
  { code: 'ETC', name: 'ETC记账卡', line: 'CARD', host: 'EB', unit: '张', scores: [['2026-01-01', 100]], weight: 3 },
  { code: 'MBANK', name: '手机银行', line: 'EBANK', host: 'EB', unit: '户', scores: [['2026-01-01', 150]], weight: 10 },
  { code: 'PAYROLL', name: '代发工资', line: 'PAYROLL', host: 'PF', unit: '户', scores: [['2026-01-01', 200]], weight: 6 },
  { code: 'MORTGAGE', name: '个人住房贷款', line: 'LOAN', host: 'PF', unit: '户', mortgage: true, scores: [['2026-01-01', 2000]], weight: 5 },
  { code: 'CONSUMER', name: '个人消费贷款', line: 'LOAN', host: 'PF', unit: '万元', scores: [['2026-01-01', 100]], weight: 3 },
  { code: 'FX', name: '个人外汇', line: 'FX', host: 'PF', unit: '万元', scores: [['2026-01-01', 50]], weight: 2 },
  { code: 'GOLD', name: '贵金属', line: 'GOLD', host: 'PF', unit: '万元', scores: [['2026-01-01', 300]], weight: 2 },
  { code: 'DEPOSIT', name: '定期存款', line: 'DEPOSIT', host: 'PF', unit: '万元', scores: [['2026-01-01', 20]], weight: 4 },
];

/** The demo developments in 佛山 (SPEC §8): one exactly at 85 %, one below, one partial lender. */
export const DEMO_DEVELOPMENTS = [
  {
    code: 'FS-LP-001',
    name: '碧海·云顶花园',
    lenderMode: 'sole',
    loanShareBp: null,
    figures: [
      ['2026-09-30', 200, 168],
      ['2026-10-31', 240, 204],
    ],
  },
  {
    code: 'FS-LP-002',
    name: '碧海·滨江名苑',
    lenderMode: 'sole',
    loanShareBp: null,
    figures: [
      ['2026-09-30', 120, 100],
      ['2026-10-31', 150, 120],
    ],
  },
  { code: 'FS-LP-003', name: '南海·金融城壹号', lenderMode: 'partial', loanShareBp: 6000, figures: [['2026-10-31', 300, 195]] },
] as const;

/** How many demo sales, and the day the seed counts as "today" (so it never depends on the clock). */
export const DEMO_SALES = { count: 320, from: '2026-10-01', to: '2026-11-25', asOf: '2026-11-30' } as const;

const SEED = 20_261_031;

/** The seed acts as the system, allowed to record sales anywhere. */
const SYSTEM_AUTH: AuthContext = {
  staffId: 0,
  staffNo: 'system',
  name: 'system',
  nodeId: DEMO_NODES.head,
  sessionId: 'seed',
  csrfToken: 'seed',
  mustChangePassword: false,
  grants: [{ role: 'admin', permissions: new Set(['sale.write', 'sale.read', 'customer.read']), scopeNodeId: DEMO_NODES.head, scopePath: `/${DEMO_NODES.head}/`, scopeLevel: 'head' }],
};

export interface BranchPool {
  nodeId: number;
  code: string;
  /** [company uscc, person id number] pairs: people inside the branch's corporate clients. */
  insiders: [string, string][];
  /** Individuals of the branch with no company link used. */
  people: string[];
  staffByDept: Map<string, string[]>;
}

export async function branchPool(db: DbOrTx, nodeId: number): Promise<BranchPool> {
  const [node] = await rows<{ code: string; path: string }>(db, sql`SELECT code, path FROM org_nodes WHERE id = ${nodeId}`);
  const insiders = await rows<{ uscc: string; idNumber: string }>(
    db,
    sql`SELECT c.uscc, i.id_number AS "idNumber" FROM company_people cp JOIN corporate_clients c ON c.id = cp.company_id
        JOIN individuals i ON i.id = cp.person_id JOIN org_nodes n ON n.id = c.node_id
        WHERE n.path LIKE ${`${node.path}%`} AND cp.until IS NULL AND cp.role <> 'shareholder' ORDER BY cp.id LIMIT 400`,
  );
  const people = await rows<{ idNumber: string }>(
    db,
    sql`SELECT i.id_number AS "idNumber" FROM individuals i JOIN org_nodes n ON n.id = i.node_id WHERE n.path LIKE ${`${node.path}%`} ORDER BY i.id LIMIT 200`,
  );
  const staff = await rows<{ staffNo: string; code: string }>(
    db,
    sql`SELECT s.staff_no AS "staffNo", d.code FROM staff s JOIN departments d ON d.id = s.department_id
        WHERE d.node_id = ${nodeId} AND s.active ORDER BY s.id`,
  );
  const staffByDept = new Map<string, string[]>();
  for (const s of staff) staffByDept.set(s.code, [...(staffByDept.get(s.code) ?? []), s.staffNo]);
  return { nodeId, code: node.code, insiders: insiders.map((r) => [r.uscc, r.idNumber]), people: people.map((p) => p.idNumber), staffByDept };
}

const pad = (n: number, w: number) => String(n).padStart(w, '0');

function dayBetween(rng: Rng, from: string, to: string): string {
  const a = Date.parse(`${from}T00:00:00Z`);
  const days = Math.round((Date.parse(`${to}T00:00:00Z`) - a) / 86_400_000);
  return new Date(a + randInt(rng, 0, days) * 86_400_000).toISOString().slice(0, 10);
}

/** Builds the demo sales (pure given the pools): participants from the corporate side, people from each department. */
export function buildDemoSales(pools: BranchPool[], devCodes: string[]): SaleInput[] {
  const rng = createRng(SEED);
  const out: SaleInput[] = [];
  const seqOf = new Map<string, number>();
  for (let i = 0; i < DEMO_SALES.count; i++) {
    const pool = pools.length > 1 && rng() < 0.35 ? pools[1] : pools[0];
    const isFoshan = pool.nodeId === DEMO_NODES.foshan;
    let product = pickWeighted(
      rng,
      DEMO_PRODUCTS.map((p) => [p, p.weight] as const),
    );
    if (product.mortgage && (!isFoshan || devCodes.length === 0)) product = DEMO_PRODUCTS.find((p) => p.code === 'DEBIT')!;
    const saleDate = dayBetween(rng, DEMO_SALES.from, DEMO_SALES.to);
    // The corporate side opens the client (SPEC §7): 1–2 of CORP / INST / RE participate.
    const sides = product.mortgage ? ['RE', 'CORP'] : ['CORP', 'INST', 'RE'];
    const n = product.mortgage ? 1 + Math.floor(rng() * 2) : rng() < 0.7 ? 1 : 2;
    const chosen: string[] = [];
    while (chosen.length < n) {
      const d = pick(rng, sides);
      if (!chosen.includes(d) && d !== product.host) chosen.push(d);
    }
    const ratios =
      chosen.length === 2 && rng() < 0.5
        ? pick(rng, [
            [60, 40],
            [70, 30],
            [50, 50],
          ] as const)
        : null;
    const departments = chosen.map((code, k) => ({ code, ratioBp: ratios ? ratios[k] * 100 : null }));
    const people: SaleInput['people'] = [];
    const hostStaff = pool.staffByDept.get(product.host) ?? [];
    if (hostStaff.length) people.push({ staffNo: pick(rng, hostStaff), departmentCode: product.host, role: '营销人员', contributionBp: null });
    for (const d of chosen) {
      const list = pool.staffByDept.get(d) ?? [];
      if (list.length >= 2 && rng() < 0.3) {
        const [a, b] = [list[0], list[1]];
        people.push({ staffNo: a, departmentCode: d, role: '介绍人', contributionBp: 6000 }, { staffNo: b, departmentCode: d, role: '营销人员', contributionBp: 4000 });
      } else if (list.length) people.push({ staffNo: pick(rng, list), departmentCode: d, role: '介绍人', contributionBp: null });
    }
    const insider = pool.insiders.length && rng() < 0.8 ? pick(rng, pool.insiders) : null;
    const idNumber = insider ? insider[1] : pick(rng, pool.people);
    const big = product.unit === '万元';
    const quantity = big ? pick(rng, [1, 2, 5, 10, 12.5, 20, 30, 50, 100]) : product.mortgage ? 1 : rng() < 0.85 ? 1 : 2;
    const month = saleDate.slice(0, 7).replace('-', '');
    const key = `${isFoshan ? 'FS' : 'HY'}${month}`;
    const seq = (seqOf.get(key) ?? 0) + 1;
    seqOf.set(key, seq);
    out.push({
      sourceId: `DEMO-${key}-${pad(seq, 4)}`,
      productCode: product.code,
      idNumber,
      uscc: insider ? insider[0] : null,
      projectId: null,
      developmentCode: product.mortgage ? pick(rng, devCodes) : null,
      saleDate,
      quantity1e4: Math.round(quantity * 10_000),
      branchCode: pool.code,
      hostDepartmentCode: null,
      departments,
      people,
    });
  }
  return out;
}

/**
 * Loads the demo catalogue, developments and a few hundred cross-sales of 2026-10 and 2026-11 for
 * 佛山分行 and 河源分行. Skips (returns null) when products already exist. Needs the demo bank and
 * the demo customers.
 */
export async function seedDemoScoring(db: Db): Promise<{ products: number; developments: number; sales: number } | null> {
  const [{ n }] = await rows<{ n: number }>(db, sql`SELECT count(*)::int AS n FROM products`);
  if (n > 0) return null;
  return db.transaction(async (tx) => {
    await tx
      .insert(productLines)
      .values(DEMO_PRODUCT_LINES.map((l, i) => ({ ...l, retail: true, sort: (i + 1) * 10 })))
      .onConflictDoNothing();
    for (const p of DEMO_PRODUCTS) {
      const [row] = await tx
        .insert(products)
        .values({ code: p.code, name: p.name, lineCode: p.line, hostDepartmentCode: p.host, unit: p.unit, mortgage: p.mortgage ?? false })
        .returning({ id: products.id });
      await tx.insert(productScores).values(p.scores.map(([effectiveFrom, scoreHundredths]) => ({ productId: row.id, effectiveFrom, scoreHundredths, note: '演示数据' })));
    }

    // Developers: 碧海 (a fixed demo company) and, when the scale has them, other 佛山 developers.
    const devs = await rows<{ id: number }>(
      tx,
      sql`SELECT c.id FROM corporate_clients c JOIN org_nodes n ON n.id = c.node_id
          WHERE c.type_code = 'developer' AND n.path LIKE ${`/1/2/${DEMO_NODES.foshan}/%`} AND c.id <> ${DEMO_COMPANIES.fsDeveloper} ORDER BY c.id LIMIT 2`,
    );
    const developerIds = [DEMO_COMPANIES.fsDeveloper, ...devs.map((d) => d.id)];
    const [hasDeveloper] = await rows<{ id: number }>(tx, sql`SELECT id FROM corporate_clients WHERE id = ${DEMO_COMPANIES.fsDeveloper}`);
    const devCodes: string[] = [];
    if (hasDeveloper) {
      for (const [i, d] of DEMO_DEVELOPMENTS.entries()) {
        const [row] = await tx
          .insert(developments)
          .values({ code: d.code, name: d.name, developerId: developerIds[i % developerIds.length], nodeId: DEMO_NODES.foshan, lenderMode: d.lenderMode, loanShareBp: d.loanShareBp })
          .returning({ id: developments.id });
        await tx.insert(developmentFigures).values(d.figures.map(([asOf, totalHouseholds, bankHouseholds]) => ({ developmentId: row.id, asOf, totalHouseholds, bankHouseholds })));
        devCodes.push(d.code);
      }
    }

    const pools = [await branchPool(tx, DEMO_NODES.foshan), await branchPool(tx, DEMO_NODES.heyuan)].filter((p) => p.people.length > 0);
    let recorded = 0;
    if (pools.length) {
      const inputs = buildDemoSales(pools, devCodes);
      const { resolved, issues } = await resolveSales(tx, SYSTEM_AUTH, inputs, { today: DEMO_SALES.asOf });
      if (issues.size) {
        const [i, errs] = [...issues][0];
        throw new Error(`演示销售数据有误 / demo sale ${inputs[i].sourceId}: ${errs.map((e) => `${e.code} ${e.zh}`).join('; ')}`);
      }
      const results = await insertResolved(
        tx,
        SYSTEM_ACTOR,
        resolved.filter((r) => r !== undefined),
        { auditAction: 'seed.demo_sales' },
      );
      recorded = results.filter((r) => r.status === 'created').length;
    }
    const counts = { products: DEMO_PRODUCTS.length, developments: devCodes.length, sales: recorded };
    await appendAudit(tx, SYSTEM_ACTOR, { action: 'seed.demo_scoring', entity: 'system', nodeId: BANK_WIDE, entityId: 'demo', after: counts });
    return counts;
  });
}

/** For tests and docs: the 佛山 PF department id the demo sales default to. */
export const DEMO_FS_PF = demoDepartmentId(DEMO_NODES.foshan, 'PF');
