import { sql } from 'drizzle-orm';
import jpeg from 'jpeg-js';
import { type Db, rows } from '../db/client.js';
import type { AuthContext } from '../modules/access/context.js';
import { actorOf } from '../modules/interbank/interbank.access.js';
import { createPool } from '../modules/interbank/pools.service.js';
import { createLanding, saveProspect, updateLanding } from '../modules/interbank/prospects.service.js';
import { applyInstitution, moveJurisdiction } from '../modules/interbank/registry.service.js';
import { insertSigning } from '../modules/interbank/signings.service.js';
import { addPhoto, recordVisit } from '../modules/interbank/visits.service.js';

/** When the demo's inter-bank steps happen (Beijing time). */
export const DEMO_INTERBANK = {
  registry: '2026-10-08T09:00:00+08:00',
  pool: '2026-10-09T09:00:00+08:00',
  pipeline: '2026-12-04T18:00:00+08:00',
} as const;

type Kind = 'rural_commercial' | 'rural_credit_coop' | 'village_bank' | 'city_bank' | 'joint_stock_branch' | 'rural_cooperative';

/** Per tier-2 branch (in id order): its institutions, and how many of them signed the framework agreement. */
const PLAN: { list: [Kind, string][]; framework: number; product?: number }[] = [
  {
    list: [
      ['rural_commercial', '农村商业银行'],
      ['village_bank', '南海村镇银行'],
      ['village_bank', '高明村镇银行'],
      ['city_bank', '城市商业银行佛山分行'],
    ],
    framework: 3,
    product: 1,
  }, // 佛山 75 %
  {
    list: [
      ['rural_commercial', '农村商业银行'],
      ['village_bank', '紫金村镇银行'],
      ['rural_credit_coop', '龙川农村信用合作联社'],
    ],
    framework: 2,
  }, // 河源 67 %
  {
    list: [
      ['rural_commercial', '农村商业银行'],
      ['village_bank', '潮阳村镇银行'],
      ['joint_stock_branch', '兴业银行汕头分行'],
    ],
    framework: 1,
    product: 1,
  }, // 汕头 33 % (+ a product-only)
  {
    list: [
      ['rural_commercial', '农村商业银行'],
      ['rural_credit_coop', '海丰农村信用合作联社'],
    ],
    framework: 0,
  }, // 汕尾 0 %
  {
    list: [
      ['rural_commercial', '农村商业银行'],
      ['village_bank', '四会村镇银行'],
      ['village_bank', '高要村镇银行'],
    ],
    framework: 2,
  }, // 肇庆 67 %
  {
    list: [
      ['rural_commercial', '农村商业银行'],
      ['village_bank', '台山村镇银行'],
      ['rural_cooperative', '开平农村合作银行'],
    ],
    framework: 1,
  }, // 江门 33 %
  {
    list: [
      ['rural_commercial', '农村商业银行'],
      ['village_bank', '阳春村镇银行'],
    ],
    framework: 2,
  }, // 阳江 100 %
  {
    list: [
      ['rural_commercial', '农村商业银行'],
      ['village_bank', '普宁村镇银行'],
      ['rural_credit_coop', '惠来农村信用合作联社'],
    ],
    framework: 1,
  }, // 揭阳 33 %
  {
    list: [
      ['rural_commercial', '农村商业银行'],
      ['village_bank', '罗定村镇银行'],
    ],
    framework: 1,
  }, // 云浮 50 %
  {
    list: [
      ['rural_commercial', '农村商业银行'],
      ['village_bank', '小榄村镇银行'],
      ['city_bank', '城市商业银行中山分行'],
    ],
    framework: 2,
  }, // 中山 67 %
  {
    list: [
      ['rural_commercial', '农村商业银行'],
      ['village_bank', '廉江村镇银行'],
      ['rural_credit_coop', '徐闻农村信用合作联社'],
    ],
    framework: 1,
  }, // 湛江 33 %
  {
    list: [
      ['rural_commercial', '农村商业银行'],
      ['village_bank', '高州村镇银行'],
    ],
    framework: 2,
  }, // 茂名 100 %
  {
    list: [
      ['rural_commercial', '农村商业银行'],
      ['village_bank', '博罗村镇银行'],
      ['village_bank', '惠东村镇银行'],
    ],
    framework: 1,
  }, // 惠州 33 %
  {
    list: [
      ['rural_commercial', '农村商业银行'],
      ['village_bank', '兴宁村镇银行'],
    ],
    framework: 1,
  }, // 梅州 50 %
];

/** A small photo for the demo's visits (a gradient JPEG; real uploads go through the same service). */
function demoPhoto(seed: number): Buffer {
  const w = 320;
  const h = 240;
  const data = Buffer.alloc(w * h * 4);
  for (let y = 0; y < h; y++) for (let x = 0; x < w; x++) data.set([(x + seed * 40) % 256, (y * 255) / h, 160, 255], (y * w + x) * 4);
  return Buffer.from(jpeg.encode({ width: w, height: h, data }, 80).data);
}

/**
 * 同业合作平台 demo (SPEC §11, issue 14): the 省农信联社 and 40 institutions across the 14 tier-2
 * branches with their 联动负责人; one 村镇银行 moved from 江门 to 阳江 in July; framework and product
 * signings in October–December (佛山, 阳江, 茂名 above 60 % coverage; 汕头, 汕尾, 江门 … below) recorded
 * through the one path, so the quarter's pool (50 万元, 5 a signing) is granted first come first
 * served; a correction; a pipeline, visits with photos and fintech landings.
 */
export async function seedDemoInterbank(db: Db, root: AuthContext, at: (instant: string) => Date): Promise<{ institutions: number; signings: number }> {
  const actor = actorOf(root);
  const branches = await rows<{ id: number; code: string; name: string; path: string }>(db, sql`SELECT id, code, name, path FROM org_nodes WHERE level = 'branch' ORDER BY id`);
  const leaders = await rows<{ id: number; nodePath: string }>(
    db,
    sql`SELECT DISTINCT ON (b.id) s.id, b.path AS "nodePath" FROM org_nodes b JOIN org_nodes n ON n.path LIKE b.path || '%' JOIN staff s ON s.node_id = n.id
         WHERE b.level = 'branch' AND s.active AND s.staff_no ~ '^[0-9]+$' ORDER BY b.id, s.id`,
  );
  const leaderOf = (path: string) => leaders.find((l) => l.nodePath === path)?.id ?? null;
  let now = at(DEMO_INTERBANK.registry);
  const codes: { id: number; branch: number; k: number }[] = [];
  await db.transaction(async (tx) => {
    const base = { status: 'active', uscc: null, note: null, from: '2026-01-01', reason: null };
    const { id: assoc } = await applyInstitution(
      tx,
      actor,
      { ...base, code: 'GDRCU', name: '广东省农村信用社联合社', kind: 'association', parentId: null, nodeId: branches[0].id, leaderStaffId: leaderOf(branches[0].path) },
      now,
    );
    for (const [bi, plan] of PLAN.entries()) {
      const b = branches[bi];
      if (!b) break;
      const city = b.name.replace(/分行$/, '');
      for (const [k, [kind, suffix]] of plan.list.entries()) {
        const name = suffix === '农村商业银行' ? `${city}农村商业银行` : suffix;
        const member = kind !== 'city_bank' && kind !== 'joint_stock_branch';
        const { id } = await applyInstitution(
          tx,
          actor,
          { ...base, code: `FI${b.code}${String(k + 1).padStart(2, '0')}`, name, kind, parentId: member ? assoc : null, nodeId: b.id, leaderStaffId: leaderOf(b.path) },
          now,
        );
        codes.push({ id, branch: bi, k });
      }
    }
    // 台山村镇银行 handed from 江门 to 阳江 in July (the history shows both).
    const moved = codes.find((c) => c.branch === 5 && c.k === 1);
    if (moved && branches[6]) await moveJurisdiction(tx, actor, moved.id, branches[6].id, leaderOf(branches[6].path), '2026-07-01', '按地域调整管辖，划转阳江分行', now);
  });

  now = at(DEMO_INTERBANK.pool);
  await createPool(db, root, { quarter: '2026Q4', resource: 'intermediate_income', name: '四季度中间业务收入激励', unit: '万元', totalAmount: 50, grantAmount: 5, signingKinds: ['framework'] });

  // Signings in date order, each recorded on its day: the pool's order is the order they came in.
  const signings: { id: number; day: string; kind: 'framework' | 'product'; product: string | null }[] = [];
  let n = 0;
  for (const [bi, plan] of PLAN.entries()) {
    const mine = codes.filter((c) => c.branch === bi);
    for (let f = 0; f < plan.framework && f < mine.length; f++) signings.push({ id: mine[f].id, day: dayOf(n++), kind: 'framework', product: null });
    if (plan.product) signings.push({ id: mine[plan.framework]?.id ?? mine[0].id, day: dayOf(n++), kind: 'product', product: '同业招标APP' });
  }
  signings.sort((a, b) => a.day.localeCompare(b.day));
  const recorded: number[] = [];
  for (const s of signings) {
    at(`${s.day}T17:00:00+08:00`);
    const r = await db.transaction((tx) =>
      insertSigning(tx, actor, s.id, { kind: s.kind, productName: s.product, sidedness: s.kind === 'product' ? 'unilateral' : 'bilateral', signedOn: s.day, note: null }),
    );
    recorded.push(r.id);
  }

  now = at(DEMO_INTERBANK.pipeline);
  const today = '2026-12-04';
  const unsigned = codes.filter((c) => !signings.some((s) => s.id === c.id));
  const stages = ['contacted', 'negotiating', 'approving', 'ready', 'negotiating', 'contacted'] as const;
  for (const [i, c] of unsigned.slice(0, 6).entries())
    await saveProspect(
      db,
      root,
      c.id,
      {
        stage: stages[i],
        nextStep: ['预约高管拜访', '提交合作方案', '对方行内审批', '确定签约日期', '补充产品资料', '电话回访'][i],
        nextStepOn: `2026-12-${String(8 + i * 2).padStart(2, '0')}`,
        note: null,
      },
      today,
      now,
    );
  const visited = [codes[0], codes[3], codes[4], unsigned[0], unsigned[1]].filter(Boolean);
  for (const [i, c] of visited.entries()) {
    const v = await recordVisit(
      db,
      root,
      {
        institutionId: c.id,
        visitedOn: `2026-11-${String(10 + i * 4).padStart(2, '0')}`,
        peopleMet: ['董事长、分管副行长', '行长、金融市场部总经理', '副行长', '理事长', '科技部负责人'][i],
        ourPeople: '同业合作联动负责人、金融市场部',
        summary: ['介绍同业合作平台功能，对方同意签署框架协议', '商谈同业招标APP上线安排', '回访框架协议落实情况', '首次拜访，对方对零售智能风控数据测试感兴趣', '介绍平台接入流程，待对方行内审批'][i],
      },
      today,
      now,
    );
    if (i < 2) await addPhoto(db, root, v.id, { fileName: `拜访照片${i + 1}.jpg`, bytes: demoPhoto(i) }, now);
  }
  const signedIds = [...new Set(signings.map((s) => s.id))];
  const l1 = await createLanding(db, root, { institutionId: signedIds[0], product: '零售智能风控数据测试', stage: 'testing', stageOn: '2026-11-20', note: null }, today, now);
  await updateLanding(db, root, l1.id, { product: '零售智能风控数据测试', stage: 'landed', stageOn: '2026-12-02', note: '已上线' }, today, now);
  await createLanding(db, root, { institutionId: signedIds[1], product: '同业招标APP', stage: 'testing', stageOn: '2026-11-28', note: null }, today, now);
  await createLanding(db, root, { institutionId: signedIds[2], product: '零售智能风控数据测试', stage: 'intent', stageOn: '2026-12-03', note: null }, today, now);
  return { institutions: codes.length + 1, signings: recorded.length };
}

/** The n-th signing's day: spread over 12 October – 4 December. */
function dayOf(n: number): string {
  const days = [
    '2026-10-12',
    '2026-10-16',
    '2026-10-21',
    '2026-10-27',
    '2026-11-03',
    '2026-11-06',
    '2026-11-11',
    '2026-11-13',
    '2026-11-18',
    '2026-11-20',
    '2026-11-24',
    '2026-11-26',
    '2026-11-30',
    '2026-12-01',
    '2026-12-02',
    '2026-12-03',
    '2026-12-04',
  ];
  return days[n % days.length];
}
