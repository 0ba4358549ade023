import { sql } from 'drizzle-orm';
import type { AuthContext } from '../modules/access/context.js';
import { appendAudit, BANK_WIDE, SYSTEM_ACTOR } from '../modules/audit/audit.service.js';
import { loadGrants } from '../modules/auth/auth.service.js';
import { guardLocked } from '../db/period-lock.js';
import { type Db, rows } from '../db/client.js';
import { runCloseWindowsJob, runPublicationJob } from '../jobs/publication.job.js';
import { answerObjection, raiseObjection } from '../modules/objections/objections.service.js';
import { AnswerBody } from '../modules/objections/objections.schemas.js';
import { transitionPeriod, type PeriodRow } from '../modules/periods/periods.service.js';
import { TRANSITIONS, type PeriodAction } from '../modules/periods/periods.rules.js';
import { actorOf } from '../modules/customers/customers.policy.js';
import type { SaleInput } from '../modules/sales/sales.rules.js';
import { recordBatch, recordSale } from '../modules/sales/sales.service.js';
import { drawSpotCheck, markSample, spotCheckView } from '../modules/spotchecks/spotchecks.service.js';
import { scopedStatementNode } from '../modules/statements/statements.policy.js';
import { cutVersion } from '../modules/targets/lists.service.js';
import { decide, nominate } from '../modules/targets/nominations.service.js';
import { TestClock, useClock } from '../calendar/index.js';
import { seedDemoLeads } from './demo-leads.js';
import { seedDemoProjects } from './demo-projects.js';
import { seedDemoVip } from './demo-vip.js';
import { seedDemoInterbank } from './demo-interbank.js';
import { seedDemoWhitelists } from './demo-whitelists.js';
import { seedDemoInclusive } from './demo-inclusive.js';
import { demoDepartmentId } from './demo-bank.js';
import { DEMO_NODES } from './demo-ids.js';
import { createRng, pick, randInt, type Rng } from './names.js';
import { type BranchPool, branchPool, DEMO_PRODUCTS } from './scoring.js';

/**
 * The demo month's life (issue 12, "Demo data"): after the demo bank, its customers and its
 * October–November sales, this stage lives through the autumn of 2026 THROUGH THE SERVICES the API
 * uses — with the demo people who hold the grants, and the one clock set to each day — so every
 * page has something true to show on first start:
 *
 * - sales in every tier-2 branch (the sales seed fills 佛山 and 河源; the others get theirs here);
 * - October published by the scheduler on 2 November, then spot-checked, audited and locked in
 *   佛山, 河源 and 汕头; a sale dated in October recorded afterwards lands in November as an adjustment;
 * - November published on 1 December with three objections in 佛山: one upheld with a correction
 *   (notice version 2 and its change list), one dismissed, one still open (raised by 44110014);
 * - 佛山公司业务部's target list in versions 1 and 2, and nominations awaiting review;
 * - 44110014 陈雨君 with sales in November and in December (points and a rank on his workbench).
 *
 * Deterministic; runs once (skips when its audit entry exists). The clock is restored afterwards.
 */

/** The days of the demo's life, Beijing time (UTC+8 written out, so the instants are exact). */
export const DEMO_LIFE = {
  nominate1: '2026-10-12T10:00:00+08:00',
  decide1: '2026-10-14T15:00:00+08:00',
  cut1: '2026-10-15T10:00:00+08:00',
  octoberSales: '2026-10-31T17:00:00+08:00',
  /** The first working day of November: the scheduler publishes October. */
  publishOctober: '2026-11-02T09:00:00+08:00',
  submitOctober: '2026-11-09T10:00:00+08:00',
  auditOctober: '2026-11-10T16:00:00+08:00',
  approveOctober: '2026-11-11T10:00:00+08:00',
  nominate2: '2026-11-16T10:00:00+08:00',
  decide2: '2026-11-18T15:00:00+08:00',
  cut2: '2026-11-19T10:00:00+08:00',
  /** A sale dated in the locked October, recorded late: an adjustment in November. */
  lateSale: '2026-11-20T11:00:00+08:00',
  novemberSales: '2026-11-30T17:00:00+08:00',
  publishNovember: '2026-12-01T09:00:00+08:00',
  objections: '2026-12-02T10:00:00+08:00',
  answers: '2026-12-03T15:00:00+08:00',
  nominate3: '2026-12-03T16:00:00+08:00',
  decemberSales: '2026-12-04T17:00:00+08:00',
} as const;

/** The branches whose October is locked. */
export const DEMO_LOCKED_OCTOBER = ['佛山分行', '河源分行', '汕头分行'] as const;
/** The account manager whose workbench the demo fills (佛山分行信用卡部). */
export const DEMO_AM = '44110014';
/** The late October sale that lands in November as an adjustment. */
export const DEMO_LATE_SALE = 'DEMO-FS-LATE-0001';
const AUDIT_ACTION = 'seed.demo_life';
const SEED = 20_261_202;

/** A demo person as the services see a signed-in caller: their own grants, nothing more. */
async function actAs(db: Db, staffNo: string): Promise<AuthContext> {
  const [s] = await rows<{ id: number; name: string; nodeId: number }>(db, sql`SELECT id, name, node_id AS "nodeId" FROM staff WHERE staff_no = ${staffNo} AND active`);
  if (!s) throw new Error(`演示人员不存在 / demo person ${staffNo} not found`);
  return { staffId: s.id, staffNo, name: s.name, nodeId: s.nodeId, sessionId: 'demo-life', csrfToken: 'demo-life', mustChangePassword: false, grants: await loadGrants(db, s.id) };
}

/** The first active holder of a role over a branch (e.g. its compliance auditor). */
async function holder(db: Db, role: string, nodeId: number): Promise<string> {
  const [r] = await rows<{ staffNo: string }>(
    db,
    sql`SELECT s.staff_no AS "staffNo" FROM staff_roles sr JOIN staff s ON s.id = sr.staff_id
        WHERE sr.role_code = ${role} AND sr.scope_node_id = ${nodeId} AND s.active ORDER BY s.id LIMIT 1`,
  );
  if (!r) throw new Error(`分行 ${nodeId} 没有 ${role} / no ${role} in branch ${nodeId}`);
  return r.staffNo;
}

/** A member of a branch's committee by position (chair, vice_chair, member, office). */
async function committee(db: Db, nodeId: number, position: string): Promise<string> {
  const [r] = await rows<{ staffNo: string }>(
    db,
    sql`SELECT s.staff_no AS "staffNo" FROM committee_members cm JOIN staff s ON s.id = cm.staff_id
        WHERE cm.node_id = ${nodeId} AND cm.position = ${position} AND s.active ORDER BY s.id LIMIT 1`,
  );
  if (!r) throw new Error(`分行 ${nodeId} 委员会缺少 ${position} / no committee ${position} in branch ${nodeId}`);
  return r.staffNo;
}

const PRODUCTS = DEMO_PRODUCTS.filter((p) => !p.mortgage);
const pad = (n: number, w: number) => String(n).padStart(w, '0');

/** `count` cross-sales of one branch dated within [from, to] (pure given the pool). */
export function branchSales(rng: Rng, pool: BranchPool, prefix: string, from: string, to: string, count: number): SaleInput[] {
  const out: SaleInput[] = [];
  const first = Number(from.slice(8, 10));
  const last = Number(to.slice(8, 10));
  for (let i = 0; i < count; i++) {
    let product = pick(rng, PRODUCTS);
    if (!(pool.staffByDept.get(product.host) ?? []).length) product = PRODUCTS.find((p) => p.host === 'PF')!;
    const sides = ['CORP', 'INST', 'RE'].filter((d) => d !== product.host && (pool.staffByDept.get(d) ?? []).length > 0);
    const side = pick(rng, sides);
    const insider = pool.insiders.length && rng() < 0.8 ? pick(rng, pool.insiders) : null;
    const big = product.unit === '万元';
    out.push({
      sourceId: `${prefix}-${pad(i + 1, 4)}`,
      productCode: product.code,
      idNumber: insider ? insider[1] : pick(rng, pool.people),
      uscc: insider ? insider[0] : null,
      projectId: null,
      developmentCode: null,
      saleDate: `${from.slice(0, 8)}${pad(randInt(rng, first, last), 2)}`,
      quantity1e4: (big ? pick(rng, [1, 2, 5, 10, 20, 50]) : rng() < 0.85 ? 1 : 2) * 10_000,
      branchCode: pool.code,
      hostDepartmentCode: null,
      departments: [{ code: side, ratioBp: null }],
      people: [
        { staffNo: pick(rng, pool.staffByDept.get(product.host)!), departmentCode: product.host, role: '营销人员', contributionBp: null },
        { staffNo: pick(rng, pool.staffByDept.get(side)!), departmentCode: side, role: '介绍人', contributionBp: null },
      ],
    });
  }
  return out;
}

/** A credit-card sale of 44110014 陈雨君 (信用卡部 hosts), introduced by 公司业务部. */
function amSale(pool: BranchPool, rng: Rng, sourceId: string, saleDate: string): SaleInput {
  const insider = pick(rng, pool.insiders);
  return {
    sourceId,
    productCode: 'CREDIT',
    idNumber: insider[1],
    uscc: insider[0],
    projectId: null,
    developmentCode: null,
    saleDate,
    quantity1e4: 10_000,
    branchCode: pool.code,
    hostDepartmentCode: null,
    departments: [{ code: 'CORP', ratioBp: null }],
    people: [
      { staffNo: DEMO_AM, departmentCode: 'CC', role: '营销人员', contributionBp: null },
      { staffNo: pick(rng, pool.staffByDept.get('CORP')!), departmentCode: 'CORP', role: '介绍人', contributionBp: null },
    ],
  };
}

export interface DemoLifeSummary {
  salesAdded: number;
  lockedOctober: number[];
  objections: { upheld: number; dismissed: number; open: number };
  listVersions: number;
  pendingNominations: number;
  leads: number;
  projects: number;
  vips: number;
  institutions: number;
  interbankSignings: number;
}

/** Lives the demo autumn (see above). Returns null when it ran before or the demo bank is absent. */
export async function seedDemoLife(db: Db): Promise<DemoLifeSummary | null> {
  const [done] = await rows<{ n: number }>(db, sql`SELECT count(*)::int AS n FROM audit_log WHERE action = ${AUDIT_ACTION}`);
  if (Number(done.n) > 0) return null;
  const [fs] = await rows<{ n: number }>(db, sql`SELECT count(*)::int AS n FROM sales WHERE node_id = ${DEMO_NODES.foshan}`);
  if (Number(fs.n) === 0) return null;

  const clock = new TestClock(DEMO_LIFE.nominate1);
  const restore = useClock(clock);
  try {
    return await live(db, clock);
  } finally {
    restore();
  }
}

async function live(db: Db, clock: TestClock): Promise<DemoLifeSummary> {
  const rng = createRng(SEED);
  const at = (instant: string) => {
    clock.set(instant);
    return clock.now();
  };
  const FS = DEMO_NODES.foshan;
  const branches = await rows<{ id: number; name: string }>(db, sql`SELECT id, name FROM org_nodes WHERE level = 'branch' AND active ORDER BY id`);
  const fsPool = await branchPool(db, FS);
  const admin = await actAs(db, 'admin');
  const president = await actAs(db, 'fs_president');

  // ---- 佛山公司业务部's target list: nominations, the committee's decisions, version 1 --------------
  at(DEMO_LIFE.nominate1);
  const corpDept = demoDepartmentId(FS, 'CORP');
  const clients = await rows<{ id: number }>(
    db,
    sql`SELECT c.id FROM corporate_clients c JOIN org_nodes n ON n.id = c.node_id
        WHERE c.department_id = ${corpDept} AND n.path LIKE ${`/1/2/${FS}/%`} ORDER BY c.id LIMIT 10`,
  );
  const nominator = await actAs(db, 'fs_admin');
  const nominateOne = async (companyId: number, action: 'add' | 'remove', reason: string) => (await nominate(db, nominator, { companyId, departmentId: corpDept, action, reason })).id;
  const first: number[] = [];
  for (const c of clients.slice(0, 4)) first.push(await nominateOne(c.id, 'add', '重点对公客户，存款及代发业务合作稳定'));
  at(DEMO_LIFE.decide1);
  for (const id of first.slice(0, 3)) await decide(db, president, id, 'approved', null);
  await decide(db, president, first[3], 'rejected', '客户经营情况有待观察，下期再议');
  at(DEMO_LIFE.cut1);
  await cutVersion(db, president, FS, corpDept, '2026年第一版目标客户名单');

  // ---- October sales of the branches the sales seed leaves empty --------------------------------
  at(DEMO_LIFE.octoberSales);
  const withSales = new Set((await rows<{ id: number }>(db, sql`SELECT DISTINCT node_id AS id FROM sales`)).map((r) => r.id));
  const empty = branches.filter((b) => !withSales.has(b.id));
  const pools = new Map<number, BranchPool>();
  for (const b of empty) pools.set(b.id, await branchPool(db, b.id));
  let salesAdded = 0;
  const batch = async (inputs: SaleInput[]) => {
    if (inputs.length === 0) return;
    salesAdded += (await recordBatch(db, admin, inputs, 'zh-CN')).created;
  };
  // One batch for all of them (one scoring pass), as a province-wide import would be.
  await batch(empty.flatMap((b) => branchSales(rng, pools.get(b.id)!, `DEMO-${pools.get(b.id)!.code}-202610`, '2026-10-01', '2026-10-30', 8)));

  // ---- October: published by the scheduler, then checked and locked in three branches ------------
  await runPublicationJob(db, at(DEMO_LIFE.publishOctober));
  const locked = branches.filter((b) => (DEMO_LOCKED_OCTOBER as readonly string[]).includes(b.name)).map((b) => b.id);
  const step = async (who: AuthContext, nodeId: number, action: PeriodAction): Promise<PeriodRow> => {
    const node = await scopedStatementNode(db, who, TRANSITIONS[action].permission, nodeId);
    return guardLocked(() => transitionPeriod(db, actorOf(who), node, '2026-10', action, clock.now()));
  };
  await runCloseWindowsJob(db, at(DEMO_LIFE.submitOctober));
  for (const id of locked) await step(await actAs(db, await committee(db, id, 'office')), id, 'submit');
  at(DEMO_LIFE.auditOctober);
  for (const id of locked) {
    // 佛山's check is fs_compliance's (the demo account sees its own work); elsewhere the branch's auditor.
    const compliance = await actAs(db, id === FS ? 'fs_compliance' : await holder(db, 'compliance', id));
    const node = await scopedStatementNode(db, compliance, 'period.audit', id);
    await drawSpotCheck(db, compliance, node, '2026-10', { count: 3, seed: `DEMO-${node.code}-2026-10` }, clock.now());
    for (const s of (await spotCheckView(db, node, '2026-10')).items)
      await markSample(db, compliance, node, '2026-10', s.saleId, { result: 'verified', note: '电话回访客户确认办理，凭证齐全' }, clock.now());
    await step(compliance, id, 'audit');
  }
  at(DEMO_LIFE.approveOctober);
  for (const id of locked) await step(await actAs(db, await committee(db, id, 'chair')), id, 'approve');

  // ---- The list's version 2: two more clients in, one out ----------------------------------------
  at(DEMO_LIFE.nominate2);
  const second = [
    await nominateOne(clients[4].id, 'add', '新引进的重点客户，已开立基本户'),
    await nominateOne(clients[5].id, 'add', '代发工资合作客户，员工交叉销售潜力大'),
    await nominateOne(clients[0].id, 'remove', '客户已将主要结算业务迁往他行'),
  ];
  at(DEMO_LIFE.decide2);
  for (const id of second) await decide(db, president, id, 'approved', null);
  at(DEMO_LIFE.cut2);
  await cutVersion(db, president, FS, corpDept, '11月调整：新增2户，移出1户');

  // ---- A sale of the locked October recorded late: November's adjustment --------------------------
  at(DEMO_LIFE.lateSale);
  const am = await actAs(db, DEMO_AM);
  const late = await recordSale(db, am, amSale(fsPool, rng, DEMO_LATE_SALE, '2026-10-28'));
  salesAdded += late.status === 'created' ? 1 : 0;

  // ---- November: the other branches' sales and 陈雨君's own, before the month is published ---------
  at(DEMO_LIFE.novemberSales);
  await batch(empty.flatMap((b) => branchSales(rng, pools.get(b.id)!, `DEMO-${pools.get(b.id)!.code}-202611`, '2026-11-02', '2026-11-27', 8)));
  const amNovember: number[] = [];
  for (const [k, day] of ['2026-11-05', '2026-11-12', '2026-11-19', '2026-11-26'].entries()) {
    const r = await recordSale(db, am, amSale(fsPool, rng, `DEMO-FS-AM-202611-${pad(k + 1, 4)}`, day));
    if (r.status === 'created') salesAdded += 1;
    amNovember.push(r.saleId);
  }
  await runPublicationJob(db, at(DEMO_LIFE.publishNovember));

  // ---- Objections on 佛山's November notice ------------------------------------------------------
  at(DEMO_LIFE.objections);
  const staffer = await actAs(db, 'fs_staff');
  const [toCorrect] = await rows<{ id: number; q: number }>(
    db,
    sql`SELECT s.id, s.quantity_1e4::int AS q FROM sales s JOIN products p ON p.id = s.product_id
        WHERE s.node_id = ${FS} AND s.sale_date >= '2026-11-01' AND s.sale_date < '2026-12-01' AND p.code = 'DEBIT' AND s.struck_at IS NULL
          AND s.source_id NOT LIKE 'DEMO-FS-AM-%' ORDER BY s.id LIMIT 1`,
  );
  const upheld = await raiseObjection(
    db,
    staffer,
    { nodeId: FS, month: '2026-11', target: { kind: 'sale', saleId: toCorrect.id }, reason: '客户当日办理了两张借记卡（本人及家属各一张），公示只计了一张' },
    clock.now(),
  );
  const dismissed = await raiseObjection(
    db,
    staffer,
    { nodeId: FS, month: '2026-11', target: { kind: 'department', departmentId: demoDepartmentId(FS, 'EB') }, reason: '电子银行部本月积分偏低，是否漏计了手机银行签约' },
    clock.now(),
  );
  await raiseObjection(db, am, { nodeId: FS, month: '2026-11', target: { kind: 'sale', saleId: amNovember[1] }, reason: '该笔信用卡由个人金融部理财经理共同营销，应增加参与人员' }, clock.now());
  at(DEMO_LIFE.answers);
  const office = await actAs(db, await committee(db, FS, 'office'));
  await answerObjection(
    db,
    office,
    upheld.id,
    AnswerBody.parse({ decision: 'upheld', answer: '经核实客户办理借记卡两张，更正数量为 2', correction: { quantity: (toCorrect.q / 10_000) * 2 } }),
    clock.now(),
  );
  await answerObjection(db, office, dismissed.id, AnswerBody.parse({ decision: 'dismissed', answer: '经核对，手机银行签约均已按规则计分，本月电子银行部积分无误' }), clock.now());

  // ---- Nominations awaiting the committee ---------------------------------------------------------
  at(DEMO_LIFE.nominate3);
  const pending = [
    await nominateOne(clients[6].id, 'add', '拟开展供应链金融合作的重点客户'),
    await nominateOne(clients[7].id, 'add', '年纳税额较大的本地制造企业'),
    await nominateOne(clients[8].id, 'add', '新开户的上市公司子公司'),
  ];

  // ---- December so far: 陈雨君's workbench has this month's points --------------------------------
  at(DEMO_LIFE.decemberSales);
  for (const [k, day] of ['2026-12-01', '2026-12-02', '2026-12-04'].entries()) {
    const r = await recordSale(db, am, amSale(fsPool, rng, `DEMO-FS-AM-202612-${pad(k + 1, 4)}`, day));
    if (r.status === 'created') salesAdded += 1;
  }

  // ---- 商机: referrals routed by the rule, one won into a sale, one lost, the ladder's reminders ------
  const leads = await seedDemoLeads(db, am, at);
  salesAdded += leads.won;

  // ---- 营销项目: a team on a target unit, a salon with QR check-in, a won sale from it, the hand-over --
  const projects = await seedDemoProjects(db, { manager: await actAs(db, 'fs_admin'), am }, at);
  salesAdded += projects.projects;

  // ---- 贵宾客户识别: tiers, AM grades, the project's people screened, two registered, one with an AM --
  const vip = await seedDemoVip(db, { root: await actAs(db, 'admin'), manager: await actAs(db, 'fs_admin'), am }, at);

  // ---- 同业合作平台: the registry, signings across the branches, the quarter's pool, pipeline, visits, landings --
  const interbank = await seedDemoInterbank(db, await actAs(db, 'admin'), at);

  // ---- 经营快贷白名单: two sub-branches' batches distributed to outlets and staff, contacts, department matches --
  await seedDemoWhitelists(db, await actAs(db, 'fs_admin'), at);
  // ---- 普惠金融: 佛山's whitelist conversion, sub-branch groups, 2026-Q3's result, December's 蹲点 --
  await seedDemoInclusive(db, await actAs(db, 'fs_admin'), at);

  const summary: DemoLifeSummary = {
    salesAdded,
    leads: leads.leads,
    projects: projects.projects,
    vips: vip.registered,
    institutions: interbank.institutions,
    interbankSignings: interbank.signings,
    lockedOctober: locked,
    objections: { upheld: 1, dismissed: 1, open: 1 },
    listVersions: 2,
    pendingNominations: pending.length,
  };
  await appendAudit(db, SYSTEM_ACTOR, { action: AUDIT_ACTION, entity: 'system', nodeId: BANK_WIDE, entityId: 'demo', after: summary });
  return summary;
}
