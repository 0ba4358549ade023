import { sql } from 'drizzle-orm';
import { BANK_WIDE, appendAudit, SYSTEM_ACTOR } from '../modules/audit/audit.service.js';
import { hashPassword } from '../modules/auth/auth.service.js';
import type { Db, DbOrTx } from '../db/client.js';
import { committeeMembers, departments, type OrgLevel, orgNodes, settings, staff, staffRoles } from '../db/schema/index.js';
import { insertDefaultRoles } from '../modules/access/default-roles.js';
import { DEMO_BANK_ACTION, lockInstallation } from '../modules/setup/installation.js';
import { STANDARD_DEPARTMENTS } from '../modules/org/standard-departments.js';
import { DEMO_ACCOUNTS, DEMO_NODES, DEMO_PASSWORD } from './demo-ids.js';
import { createNameGenerator, createPhoneGenerator, createRng, type Rng } from './names.js';

/**
 * The demo bank (示范商业银行广东省分行): a deterministic org tree, departments, a few hundred
 * staff with roles, the cross-marketing committees, default settings. Fixed ids everywhere, so
 * tests and docs may name them (see demo-ids.ts).
 *
 * Ids: 总行 1, 广东省分行 2, tier-2 branches 11.., sub-branches 101.., outlets 1001..;
 * departments nodeId*100 + n (佛山分行公司业务部 = 1101); staff 1.. in generation order.
 */

// ------------------------------------------------------------------------------------------------
// The org table. Districts and places are real; outlet names are plausible, not real branches.

interface SubBranchDef {
  /** 支行 name without the suffix, e.g. 禅城 → 禅城支行. */
  name: string;
  /** Administrative area for addresses, e.g. 禅城区. */
  area: string;
  /** Outlet names (营业室 / 分理处), 1–3. */
  outlets: string[];
}

interface BranchDef {
  /** City without 市, e.g. 佛山 → 佛山分行, 广东省佛山市. */
  city: string;
  /** Where the branch building is: area and street. */
  area: string;
  street: string;
  subs: SubBranchDef[];
}

const BRANCHES: BranchDef[] = [
  {
    city: '佛山',
    area: '禅城区',
    street: '季华五路',
    subs: [
      { name: '禅城', area: '禅城区', outlets: ['祖庙路营业室', '季华路分理处', '汾江中路分理处'] },
      { name: '南海', area: '南海区', outlets: ['桂城营业室', '大沥分理处'] },
      { name: '顺德', area: '顺德区', outlets: ['大良营业室', '容桂分理处', '北滘分理处'] },
      { name: '三水', area: '三水区', outlets: ['西南营业室'] },
    ],
  },
  {
    city: '河源',
    area: '源城区',
    street: '越王大道',
    subs: [
      { name: '源城', area: '源城区', outlets: ['越王大道营业室', '建设大道分理处'] },
      { name: '东源', area: '东源县', outlets: ['仙塘营业室'] },
      { name: '龙川', area: '龙川县', outlets: ['老隆营业室', '佗城分理处'] },
    ],
  },
  {
    city: '汕头',
    area: '龙湖区',
    street: '金砂路',
    subs: [
      { name: '金平', area: '金平区', outlets: ['长平路营业室', '金砂路分理处'] },
      { name: '龙湖', area: '龙湖区', outlets: ['珠池路营业室', '黄山路分理处'] },
      { name: '澄海', area: '澄海区', outlets: ['澄华营业室'] },
      { name: '潮阳', area: '潮阳区', outlets: ['棉城营业室', '和平分理处'] },
    ],
  },
  {
    city: '汕尾',
    area: '城区',
    street: '汕尾大道',
    subs: [
      { name: '城区', area: '城区', outlets: ['汕尾大道营业室', '香洲分理处'] },
      { name: '海丰', area: '海丰县', outlets: ['海城营业室', '梅陇分理处'] },
      { name: '陆丰', area: '陆丰市', outlets: ['东海营业室'] },
    ],
  },
  {
    city: '肇庆',
    area: '端州区',
    street: '天宁北路',
    subs: [
      { name: '端州', area: '端州区', outlets: ['天宁北路营业室', '星湖大道分理处'] },
      { name: '高要', area: '高要区', outlets: ['南岸营业室'] },
      { name: '四会', area: '四会市', outlets: ['东城营业室', '贞山分理处'] },
    ],
  },
  {
    city: '江门',
    area: '蓬江区',
    street: '建设路',
    subs: [
      { name: '蓬江', area: '蓬江区', outlets: ['建设路营业室', '白沙大道分理处'] },
      { name: '新会', area: '新会区', outlets: ['会城营业室', '今古洲分理处'] },
      { name: '台山', area: '台山市', outlets: ['台城营业室'] },
      { name: '开平', area: '开平市', outlets: ['长沙营业室', '三埠分理处'] },
    ],
  },
  {
    city: '阳江',
    area: '江城区',
    street: '东风二路',
    subs: [
      { name: '江城', area: '江城区', outlets: ['东风路营业室', '新江北路分理处'] },
      { name: '阳春', area: '阳春市', outlets: ['春城营业室'] },
    ],
  },
  {
    city: '揭阳',
    area: '榕城区',
    street: '临江北路',
    subs: [
      { name: '榕城', area: '榕城区', outlets: ['临江北路营业室', '进贤门分理处'] },
      { name: '普宁', area: '普宁市', outlets: ['流沙营业室', '占陇分理处'] },
      { name: '揭东', area: '揭东区', outlets: ['曲溪营业室'] },
    ],
  },
  {
    city: '云浮',
    area: '云城区',
    street: '兴云西路',
    subs: [
      { name: '云城', area: '云城区', outlets: ['兴云西路营业室'] },
      { name: '罗定', area: '罗定市', outlets: ['罗城营业室', '素龙分理处'] },
      { name: '新兴', area: '新兴县', outlets: ['新城营业室'] },
    ],
  },
  {
    city: '中山',
    area: '东区',
    street: '中山三路',
    subs: [
      { name: '石岐', area: '石岐街道', outlets: ['孙文中路营业室', '悦来南路分理处'] },
      { name: '东区', area: '东区街道', outlets: ['中山三路营业室', '兴文路分理处'] },
      { name: '小榄', area: '小榄镇', outlets: ['升平路营业室'] },
      { name: '火炬开发区', area: '火炬开发区', outlets: ['中山港营业室', '濠头分理处'] },
    ],
  },
  {
    city: '湛江',
    area: '赤坎区',
    street: '海滨大道北',
    subs: [
      { name: '赤坎', area: '赤坎区', outlets: ['海滨大道营业室', '南桥分理处'] },
      { name: '霞山', area: '霞山区', outlets: ['人民大道营业室', '椹川分理处'] },
      { name: '廉江', area: '廉江市', outlets: ['罗州营业室'] },
    ],
  },
  {
    city: '茂名',
    area: '茂南区',
    street: '油城五路',
    subs: [
      { name: '茂南', area: '茂南区', outlets: ['油城路营业室', '光华北路分理处'] },
      { name: '电白', area: '电白区', outlets: ['水东营业室'] },
      { name: '高州', area: '高州市', outlets: ['潘州营业室', '石鼓分理处'] },
      { name: '化州', area: '化州市', outlets: ['河西营业室'] },
    ],
  },
  {
    city: '惠州',
    area: '惠城区',
    street: '麦地路',
    subs: [
      { name: '惠城', area: '惠城区', outlets: ['麦地路营业室', '江北分理处', '河南岸分理处'] },
      { name: '惠阳', area: '惠阳区', outlets: ['淡水营业室', '秋长分理处'] },
      { name: '博罗', area: '博罗县', outlets: ['罗阳营业室'] },
      { name: '惠东', area: '惠东县', outlets: ['平山营业室'] },
    ],
  },
  {
    city: '梅州',
    area: '梅江区',
    street: '彬芳大道',
    subs: [
      { name: '梅江', area: '梅江区', outlets: ['江南营业室', '彬芳大道分理处'] },
      { name: '梅县', area: '梅县区', outlets: ['新城营业室'] },
      { name: '兴宁', area: '兴宁市', outlets: ['兴城营业室', '宁新分理处'] },
    ],
  },
];

/** The tier-2 branch names in id order (11, 12, …), for tests and docs. */
export const DEMO_BRANCH_NAMES = BRANCHES.map((b) => `${b.city}分行`);

/** SPEC §1 departments, created in the province and in every tier-2 branch (the standard list). */
export const DEMO_DEPARTMENTS = STANDARD_DEPARTMENTS;

/** Deterministic department id: node id × 100 + position (佛山分行个人金融部 = 1104). */
export function demoDepartmentId(nodeId: number, code: string): number {
  const i = DEMO_DEPARTMENTS.findIndex((d) => d.code === code);
  if (i < 0) throw new Error(`unknown department code ${code}`);
  return nodeId * 100 + i + 1;
}

export const DEMO_SETTINGS: Record<string, unknown> = {
  'bank.name': '示范商业银行',
  'publication.windowDays': 7,
  'publication.openDay': 1,
  'import.maxRows': 200000,
};

// ------------------------------------------------------------------------------------------------
// Building the rows (pure, deterministic).

type NodeRow = typeof orgNodes.$inferInsert;
type DeptRow = typeof departments.$inferInsert;
type StaffRow = typeof staff.$inferInsert;
type StaffRoleRow = typeof staffRoles.$inferInsert;
type CommitteeRow = typeof committeeMembers.$inferInsert;

interface DemoBankRows {
  nodes: NodeRow[];
  departments: DeptRow[];
  staff: StaffRow[];
  staffRoles: StaffRoleRow[];
  committee: CommitteeRow[];
}

const STREETS = ['人民路', '中山路', '建设路', '解放路', '新华路', '文明路', '同济路', '府前路', '东门路', '环城路'];
const SEED = 20_261_122;

/** Builds every row of the demo bank; `passwordHash` is shared by all staff. */
export function buildDemoBank(passwordHash: string): DemoBankRows {
  const rng = createRng(SEED);
  const names = createNameGenerator(SEED + 1);
  const phones = createPhoneGenerator(SEED + 2);
  const nodes: NodeRow[] = [];
  const depts: DeptRow[] = [];
  const people: StaffRow[] = [];
  const grants: StaffRoleRow[] = [];
  const committee: CommitteeRow[] = [];
  const emails = new Map<string, number>();

  const addNode = (n: { id: number; code: string; name: string; level: OrgLevel; parent: NodeRow | null; address: string; sort: number }) => {
    const row: NodeRow = {
      id: n.id,
      code: n.code,
      name: n.name,
      level: n.level,
      parentId: n.parent?.id ?? null,
      path: `${n.parent ? n.parent.path : '/'}${n.id}/`,
      address: n.address,
      sort: n.sort,
    };
    nodes.push(row);
    return row;
  };
  const num = (max: number) => 1 + Math.floor(rng() * max);

  // --- org tree --------------------------------------------------------------------------------
  const head = addNode({ id: DEMO_NODES.head, code: '00001', name: '总行', level: 'head', parent: null, address: '北京市西城区金融大街18号', sort: 0 });
  const province = addNode({
    id: DEMO_NODES.province,
    code: '44000',
    name: '广东省分行',
    level: 'province',
    parent: head,
    address: '广东省广州市天河区珠江新城华夏路28号',
    sort: 0,
  });

  interface BranchNodes {
    branch: NodeRow;
    subs: { node: NodeRow; outlets: NodeRow[] }[];
  }
  const branchNodes: BranchNodes[] = [];
  let subId = 101;
  let outletId = 1001;
  BRANCHES.forEach((b, bi) => {
    const k = bi + 1;
    const code = `44${k}00`; // 44100, 44200, … 441400
    const prefix = code.slice(0, -2);
    const cityAddr = `广东省${b.city}市`;
    const branch = addNode({
      id: DEMO_NODES.foshan + bi,
      code,
      name: `${b.city}分行`,
      level: 'branch',
      parent: province,
      address: `${cityAddr}${b.area}${b.street}${num(200)}号`,
      sort: k,
    });
    const entry: BranchNodes = { branch, subs: [] };
    b.subs.forEach((s, si) => {
      const subCode = `${prefix}${String(si + 1).padStart(2, '0')}`;
      const sub = addNode({
        id: subId++,
        code: subCode,
        name: `${s.name}支行`,
        level: 'subbranch',
        parent: branch,
        address: `${cityAddr}${s.area}${pickStreet(rng)}${num(300)}号`,
        sort: si + 1,
      });
      const outlets = s.outlets.map((o, oi) => {
        const place = o.replace(/(营业室|分理处)$/, '');
        const street = /(路|大道)$/.test(place) ? place : `${place}${pickStreet(rng)}`;
        return addNode({
          id: outletId++,
          code: `${subCode}${String(oi + 1).padStart(2, '0')}`,
          name: o,
          level: 'outlet',
          parent: sub,
          address: `${cityAddr}${s.area}${street}${num(400)}号`,
          sort: oi + 1,
        });
      });
      entry.subs.push({ node: sub, outlets });
    });
    branchNodes.push(entry);
  });

  // --- departments -----------------------------------------------------------------------------
  for (const node of [province, ...branchNodes.map((b) => b.branch)]) {
    for (const d of DEMO_DEPARTMENTS) {
      depts.push({
        id: demoDepartmentId(node.id!, d.code),
        nodeId: node.id!,
        code: d.code,
        name: d.name,
        kind: d.kind,
        committeeOffice: d.committeeOffice ?? false,
      });
    }
  }

  // --- staff -----------------------------------------------------------------------------------
  const counters = new Map<number, number>();
  const demoByStaffNo = new Map<string, (typeof DEMO_ACCOUNTS)[keyof typeof DEMO_ACCOUNTS]>(Object.values(DEMO_ACCOUNTS).map((a) => [a.staffNo, a]));
  /**
   * Adds a person. `unit` is the tier-2 branch (or province) whose 工号 range they use: 44 + two
   * digits of its id + a four-digit sequence, e.g. 44110023.
   */
  const person = (p: { unit: number; nodeId: number; dept?: string; title: string; role: string; staffNo?: string }): number => {
    const id = people.length + 1;
    const n = names.next();
    let staffNo = p.staffNo;
    if (!staffNo) {
      const seq = (counters.get(p.unit) ?? 0) + 1;
      counters.set(p.unit, seq);
      staffNo = `44${String(p.unit).padStart(2, '0')}${String(seq).padStart(4, '0')}`;
    }
    const dup = emails.get(n.pinyin) ?? 0;
    emails.set(n.pinyin, dup + 1);
    people.push({
      id,
      staffNo,
      name: n.name,
      nodeId: p.nodeId,
      departmentId: p.dept ? demoDepartmentId(p.unit, p.dept) : null,
      title: p.title,
      phone: phones.next(),
      email: `${n.pinyin}${dup ? dup + 1 : ''}@gd.demobank.com.cn`,
      passwordHash,
      mustChangePassword: false,
    });
    const demo = demoByStaffNo.get(staffNo);
    // A demo account holds exactly its documented role (scope checked against where it sits).
    if (demo) {
      if (demo.scope !== p.nodeId) throw new Error(`demo account ${staffNo} placed at node ${p.nodeId}, expected ${demo.scope}`);
      grants.push({ staffId: id, roleCode: demo.role, scopeNodeId: demo.scope });
    } else {
      grants.push({ staffId: id, roleCode: p.role, scopeNodeId: p.nodeId });
    }
    return id;
  };
  const grant = (staffId: number, roleCode: string, scopeNodeId: number) => {
    if (!grants.some((g) => g.staffId === staffId && g.roleCode === roleCode && g.scopeNodeId === scopeNodeId)) {
      grants.push({ staffId, roleCode, scopeNodeId });
    }
  };

  // Province: leaders, department heads, the provincial administrator in 科技部.
  const P = province.id!;
  person({ unit: P, nodeId: P, title: '行长', role: 'staff' });
  person({ unit: P, nodeId: P, title: '副行长（分管公司业务）', role: 'staff' });
  person({ unit: P, nodeId: P, title: '副行长（分管个人业务）', role: 'staff' });
  for (const d of DEMO_DEPARTMENTS) {
    person({ unit: P, nodeId: P, dept: d.code, title: '部门总经理', role: deptRole(d.code) });
    if (d.code === 'TECH') person({ unit: P, nodeId: P, dept: 'TECH', title: '系统管理员', role: 'admin', staffNo: DEMO_ACCOUNTS.admin.staffNo });
    else if (['CORP', 'PF', 'HR', 'ICC'].includes(d.code)) {
      const title = deptStaffTitle(d.code, rng);
      person({ unit: P, nodeId: P, dept: d.code, title, role: roleForTitle(title, deptRole(d.code)) });
    }
  }

  for (const { branch, subs } of branchNodes) {
    const B = branch.id!;
    const isFoshan = B === DEMO_NODES.foshan;
    const isHeyuan = B === DEMO_NODES.heyuan;
    const president = person({
      unit: B,
      nodeId: B,
      title: '行长',
      role: 'staff',
      staffNo: isFoshan ? DEMO_ACCOUNTS.fsPresident.staffNo : undefined,
    });
    const vpCorp = person({ unit: B, nodeId: B, title: '副行长（分管公司业务）', role: 'staff' });
    const vpRetail = person({ unit: B, nodeId: B, title: '副行长（分管个人业务）', role: 'staff' });
    committee.push({ nodeId: B, staffId: president, position: 'chair' });
    committee.push({ nodeId: B, staffId: vpCorp, position: 'vice_chair' });
    committee.push({ nodeId: B, staffId: vpRetail, position: 'vice_chair' });
    grant(president, 'committee_chair', B);
    grant(vpCorp, 'committee_chair', B);
    grant(vpRetail, 'committee_chair', B);

    for (const d of DEMO_DEPARTMENTS) {
      const headId = person({ unit: B, nodeId: B, dept: d.code, title: '部门总经理', role: deptRole(d.code) });
      if (['CORP', 'INST', 'RE', 'PF', 'EB', 'CC'].includes(d.code)) {
        committee.push({ nodeId: B, staffId: headId, position: 'member' });
        grant(headId, 'committee_member', B);
      }
      if (d.code === 'PF') {
        const office = person({ unit: B, nodeId: B, dept: 'PF', title: '交叉营销管理委员会办公室专员', role: 'staff' });
        committee.push({ nodeId: B, staffId: office, position: 'office' });
        grant(office, 'committee_member', B);
      }
      const extra = DEPT_STAFF[d.code];
      const count = extra[0] + Math.floor(rng() * (extra[1] - extra[0] + 1));
      for (let i = 0; i < count; i++) {
        const title = deptStaffTitle(d.code, rng);
        person({ unit: B, nodeId: B, dept: d.code, title, role: roleForTitle(title, deptRole(d.code)) });
      }
      // Demo accounts sit in the departments their job belongs to.
      if (isFoshan && d.code === 'HR') person({ unit: B, nodeId: B, dept: 'HR', title: '人力资源岗', role: 'hr', staffNo: DEMO_ACCOUNTS.fsHr.staffNo });
      if (isFoshan && d.code === 'ICC') person({ unit: B, nodeId: B, dept: 'ICC', title: '合规审计岗', role: 'compliance', staffNo: DEMO_ACCOUNTS.fsCompliance.staffNo });
      if (isFoshan && d.code === 'EB') person({ unit: B, nodeId: B, dept: 'EB', title: '综合管理岗', role: 'staff', staffNo: DEMO_ACCOUNTS.fsStaff.staffNo });
      if (isFoshan && d.code === 'TECH') person({ unit: B, nodeId: B, dept: 'TECH', title: '系统管理员', role: 'admin', staffNo: DEMO_ACCOUNTS.fsAdmin.staffNo });
      if (isHeyuan && d.code === 'TECH') person({ unit: B, nodeId: B, dept: 'TECH', title: '系统管理员', role: 'admin', staffNo: DEMO_ACCOUNTS.hyAdmin.staffNo });
    }

    for (const { node: sub, outlets } of subs) {
      person({ unit: B, nodeId: sub.id!, title: '支行行长', role: 'outlet_manager' });
      if (rng() < 0.7) person({ unit: B, nodeId: sub.id!, title: '对公客户经理', role: 'corporate_am' });
      for (const outlet of outlets) {
        person({ unit: B, nodeId: outlet.id!, title: '网点负责人', role: 'outlet_manager' });
        person({ unit: B, nodeId: outlet.id!, title: rng() < 0.5 ? '理财经理' : '个人客户经理', role: 'personal_am' });
        if (rng() < 0.1) person({ unit: B, nodeId: outlet.id!, title: '综合柜员', role: 'staff' });
      }
    }
  }

  return { nodes, departments: depts, staff: people, staffRoles: grants, committee };
}

function pickStreet(rng: Rng): string {
  return STREETS[Math.floor(rng() * STREETS.length)];
}

/** Extra staff (besides the head) per branch department: [min, max]. */
const DEPT_STAFF: Record<string, [number, number]> = {
  CORP: [1, 2],
  INST: [1, 1],
  RE: [0, 1],
  PF: [1, 1],
  EB: [0, 0],
  CC: [0, 1],
  PB: [0, 1],
  HR: [1, 1],
  FIN: [0, 0],
  ICC: [0, 1],
  TECH: [0, 0],
};

function deptRole(code: string): string {
  switch (code) {
    case 'HR':
      return 'hr';
    case 'FIN':
      return 'finance';
    case 'ICC':
      return 'compliance';
    default:
      return 'staff';
  }
}

/** A department member's title; the role follows from it for the marketing departments. */
function deptStaffTitle(code: string, rng: Rng): string {
  switch (code) {
    case 'CORP':
    case 'INST':
    case 'RE':
      return rng() < 0.25 ? '高级对公客户经理' : '对公客户经理';
    case 'PF':
      return rng() < 0.5 ? '产品经理' : '理财经理';
    case 'EB':
    case 'CC':
      return '产品经理';
    case 'PB':
      return '私人银行客户经理';
    case 'HR':
      return '人力资源岗';
    case 'FIN':
      return '财务会计岗';
    case 'ICC':
      return '合规审计岗';
    default:
      return '系统运维岗';
  }
}

/** Role of a department member by title: account managers sell, the rest follow the department. */
function roleForTitle(title: string, fallback: string): string {
  if (title.includes('对公客户经理')) return 'corporate_am';
  if (title === '产品经理' || title === '理财经理' || title.includes('个人客户经理') || title === '私人银行客户经理') return 'personal_am';
  return fallback;
}

// ------------------------------------------------------------------------------------------------

/** True when the database holds no org nodes (a fresh install). */
export async function isEmpty(db: DbOrTx): Promise<boolean> {
  const r = await db.select({ id: orgNodes.id }).from(orgNodes).limit(1);
  return r.length === 0;
}

async function insertChunked<T>(rowsToInsert: T[], insert: (chunk: T[]) => Promise<unknown>, size = 1000): Promise<void> {
  for (let i = 0; i < rowsToInsert.length; i += size) await insert(rowsToInsert.slice(i, i + size));
}

/** Tables whose identity ids the seed writes explicitly (or fills); their sequences move past max(id). */
const IDENTITY_TABLES = ['org_nodes', 'departments', 'staff', 'staff_roles', 'committee_members'] as const;

/**
 * Loads the demo bank into an empty, migrated database in one transaction. Refuses when any org
 * node exists, so it can never mix with real data.
 */
export async function seedDemoBank(db: Db): Promise<void> {
  if (!(await isEmpty(db))) throw new Error('演示数据只能装入空库 / the demo bank can only be seeded into an empty database (org_nodes is not empty)');
  // argon2 is deliberately slow: one hash, shared by every demo account.
  const passwordHash = await hashPassword(DEMO_PASSWORD);
  const data = buildDemoBank(passwordHash);

  await db.transaction(async (tx) => {
    // The first run's lock: a setup racing this seed either finishes first (and this refuses) or waits.
    await lockInstallation(tx);
    if (!(await isEmpty(tx))) throw new Error('演示数据只能装入空库 / the demo bank can only be seeded into an empty database (org_nodes is not empty)');
    await insertDefaultRoles(tx);
    // Parents before children: nodes are built top-down.
    await insertChunked(data.nodes, (c) => tx.insert(orgNodes).values(c));
    await insertChunked(data.departments, (c) => tx.insert(departments).values(c));
    await insertChunked(data.staff, (c) => tx.insert(staff).values(c));
    await insertChunked(
      data.staffRoles.map((r, i) => ({ ...r, id: i + 1 })),
      (c) => tx.insert(staffRoles).values(c),
    );
    await insertChunked(
      data.committee.map((r, i) => ({ ...r, id: i + 1 })),
      (c) => tx.insert(committeeMembers).values(c),
    );
    await tx.insert(settings).values(Object.entries(DEMO_SETTINGS).map(([key, value]) => ({ key, value })));
    for (const table of IDENTITY_TABLES) {
      await tx.execute(sql.raw(`SELECT setval(pg_get_serial_sequence('${table}', 'id'), (SELECT max(id) FROM ${table}))`));
    }
    await appendAudit(tx, SYSTEM_ACTOR, {
      action: DEMO_BANK_ACTION,
      entity: 'system',
      nodeId: BANK_WIDE,
      entityId: 'demo',
      after: { nodes: data.nodes.length, departments: data.departments.length, staff: data.staff.length },
    });
  });
}
