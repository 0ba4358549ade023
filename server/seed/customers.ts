import { sql } from 'drizzle-orm';
import { idCheckChar, usccCheckChar } from '../modules/customers/ids.rules.js';
import { BANK_WIDE, appendAudit, SYSTEM_ACTOR } from '../modules/audit/audit.service.js';
import { type Database, type Db, type DbOrTx, rows } from '../db/client.js';
import { clientTypes, industries } from '../db/schema/index.js';
import { BRAND_A, BRAND_B, CITY_DISTRICTS, CLIENT_TYPES, INDUSTRIES, OTHER_REGIONS, PRODUCTS, TITLES, TRADES, VIP_TIERS } from './customers-data.js';
import { DEMO_NODES } from './demo-ids.js';
import { createNameGenerator, createPhoneGenerator, createRng, pick, pickWeighted, randInt, type Rng } from './names.js';

/**
 * Demo customers (SPEC §2): Guangdong companies with valid 统一社会信用代码, people with valid
 * 居民身份证号码 from the branch's city, company↔person links, group links and holdings. One seeded
 * generator for every scale, so the first ids are the same in tests, the demo and benchmarks.
 */

/** Fixed ids of the first companies, for tests and docs. */
export const DEMO_COMPANIES = {
  /** 佛山市顺德区美迪电器集团股份有限公司: listed, quality, large credit line, group parent. */
  meidi: 1,
  /** 佛山市美迪厨房电器有限公司: a subsidiary of meidi. */
  meidiKitchen: 2,
  /** 佛山市禅城区中心医院: 三甲 hospital (机构业务部). */
  fsHospital: 3,
  /** 佛山市南海区城市建设投资集团有限公司: city-level financing platform. */
  fsPlatform: 4,
  /** 佛山市顺德区碧海房地产开发有限公司: developer the bank finances as lead lender. */
  fsDeveloper: 5,
  /** 河源市源城区万绿生态农业有限公司: agricultural leader in 河源 (a sibling branch). */
  heyuanFarm: 6,
} as const;

interface FixedCompany {
  name: string;
  city: string;
  district: string;
  typeCode: string;
  industryCode: string;
  people: number;
  legalRep: string;
  row: Partial<CompanyRow>;
}

const FIXED: FixedCompany[] = [
  {
    name: '佛山市顺德区美迪电器集团股份有限公司',
    city: '佛山',
    district: '顺德区',
    typeCode: 'enterprise',
    industryCode: 'C',
    people: 30,
    legalRep: '董事长',
    row: {
      credit_line_fen: 500_000_000_00,
      loan_balance_fen: 120_000_000_00,
      annual_sales_fen: 3_800_000_000_00,
      provincial_tax_rank: 15,
      listed: true,
      facts: { listedQuality: true, foreignTradeRankProvince: 12 },
    },
  },
  {
    name: '佛山市美迪厨房电器有限公司',
    city: '佛山',
    district: '顺德区',
    typeCode: 'enterprise',
    industryCode: 'C',
    people: 12,
    legalRep: '执行董事',
    row: { credit_line_fen: 100_000_000_00, loan_balance_fen: 0, annual_sales_fen: 95_000_000_00, provincial_tax_rank: 420, listed: false, facts: {} },
  },
  {
    name: '佛山市禅城区中心医院',
    city: '佛山',
    district: '禅城区',
    typeCode: 'hospital',
    industryCode: 'Q',
    people: 20,
    legalRep: '院长',
    row: { credit_line_fen: null, loan_balance_fen: null, annual_sales_fen: null, provincial_tax_rank: null, listed: false, facts: { hospitalGrade: '3A', adminLevel: 'county' } },
  },
  {
    name: '佛山市南海区城市建设投资集团有限公司',
    city: '佛山',
    district: '南海区',
    typeCode: 'platform',
    industryCode: 'L',
    people: 10,
    legalRep: '董事长',
    row: {
      credit_line_fen: 300_000_000_00,
      loan_balance_fen: 180_000_000_00,
      annual_sales_fen: 20_000_000_00,
      provincial_tax_rank: null,
      listed: false,
      facts: { governmentPlatform: true, adminLevel: 'county' },
    },
  },
  {
    name: '佛山市顺德区碧海房地产开发有限公司',
    city: '佛山',
    district: '顺德区',
    typeCode: 'developer',
    industryCode: 'K',
    people: 10,
    legalRep: '董事长',
    row: {
      credit_line_fen: 150_000_000_00,
      loan_balance_fen: 90_000_000_00,
      annual_sales_fen: 600_000_000_00,
      provincial_tax_rank: 180,
      listed: false,
      facts: { bankFinancesDevelopment: 'lead', developerNationalRank: 86 },
    },
  },
  {
    name: '河源市源城区万绿生态农业有限公司',
    city: '河源',
    district: '源城区',
    typeCode: 'enterprise',
    industryCode: 'A',
    people: 10,
    legalRep: '总经理',
    row: {
      credit_line_fen: 20_000_000_00,
      loan_balance_fen: 8_000_000_00,
      annual_sales_fen: 150_000_000_00,
      provincial_tax_rank: null,
      listed: false,
      facts: { agriculturalLeader: true, countyQualityFirm: true },
    },
  },
];

/** Fixed ids of the first people (the fixed companies get fixed head-counts). */
export const DEMO_PEOPLE = {
  /** 法定代表人 of meidi (also a 股东 of meidiKitchen). */
  meidiChair: 1,
  /** An 高管 of meidi who is also 法定代表人 of nobody: the first executive. */
  meidiExecutive: 2,
  /** 法定代表人 of meidiKitchen. */
  meidiKitchenHead: 31,
  /** 法定代表人 of heyuanFarm (河源). */
  heyuanFarmHead: 83,
} as const;

export interface DemoScale {
  companies: number;
  people: number;
}
export const DEMO_SCALE: DemoScale = { companies: 2000, people: 50000 };
export const TEST_SCALE: DemoScale = { companies: 200, people: 3000 };
export const PROVINCE_SCALE: DemoScale = { companies: 100_000, people: 1_000_000 };

// ---- rows (snake_case: they go straight into COPY / json_populate_recordset) ----------------------

export interface CompanyRow {
  id: number;
  uscc: string;
  name: string;
  type_code: string;
  industry_code: string | null;
  node_id: number;
  department_id: number | null;
  account_manager_id: number | null;
  legal_representative: string | null;
  address: string | null;
  credit_line_fen: number | null;
  loan_balance_fen: number | null;
  annual_sales_fen: number | null;
  provincial_tax_rank: number | null;
  listed: boolean;
  facts: Record<string, unknown>;
}
export interface PersonRow {
  id: number;
  id_number: string;
  id_suffix: string;
  name: string;
  gender: 'M' | 'F';
  birth_date: string;
  phone: string | null;
  phone_suffix: string | null;
  node_id: number;
  dedicated_am_id: number | null;
  aum_fen: number;
  vip_tier: string | null;
}
export interface LinkRow {
  id: number;
  company_id: number;
  person_id: number;
  role: string;
  title: string | null;
  since: string | null;
  until: string | null;
}
export interface GroupRow {
  id: number;
  parent_id: number;
  child_id: number;
  kind: 'group';
  since: string | null;
}
export interface HoldingRow {
  id: number;
  person_id: number;
  product_code: string;
  product_name: string;
  amount_fen: number | null;
  quantity: number | null;
  since: string | null;
}

export interface CustomerBatch {
  companies: CompanyRow[];
  people: PersonRow[];
  links: LinkRow[];
  groups: GroupRow[];
  holdings: HoldingRow[];
}

/** The bank as the generator needs it: branches with their nodes, departments and AMs. */
export interface BankShape {
  branches: {
    id: number;
    city: string;
    /** Sub-branches and outlets below the branch. */
    subs: number[];
    outlets: number[];
    departments: Record<string, number>;
    corporateAms: { id: number; nodeId: number }[];
    personalAms: { id: number; nodeId: number }[];
  }[];
}

/** Reads the org tree, departments and account managers the generator spreads customers over. */
export async function loadBankShape(db: DbOrTx): Promise<BankShape> {
  const nodes = await rows<{ id: number; name: string; level: string; path: string }>(db, sql`SELECT id, name, level, path FROM org_nodes WHERE active ORDER BY id`);
  const depts = await rows<{ id: number; nodeId: number; code: string }>(db, sql`SELECT id, node_id AS "nodeId", code FROM departments ORDER BY id`);
  const ams = await rows<{ id: number; nodeId: number; path: string; role: string }>(
    db,
    sql`SELECT DISTINCT s.id, s.node_id AS "nodeId", n.path, r.role_code AS role FROM staff s JOIN staff_roles r ON r.staff_id = s.id
        JOIN org_nodes n ON n.id = s.node_id WHERE s.active AND r.role_code IN ('corporate_am', 'personal_am') ORDER BY s.id`,
  );
  const branches = nodes
    .filter((n) => n.level === 'branch')
    .map((b) => {
      const city = b.name.replace(/分行$/, '');
      const below = nodes.filter((n) => n.path.startsWith(b.path) && n.id !== b.id);
      return {
        id: b.id,
        city: CITY_DISTRICTS[city] ? city : '佛山',
        subs: below.filter((n) => n.level === 'subbranch').map((n) => n.id),
        outlets: below.filter((n) => n.level === 'outlet').map((n) => n.id),
        departments: Object.fromEntries(depts.filter((d) => d.nodeId === b.id).map((d) => [d.code, d.id])),
        corporateAms: ams.filter((a) => a.role === 'corporate_am' && a.path.startsWith(b.path)).map((a) => ({ id: a.id, nodeId: a.nodeId })),
        personalAms: ams.filter((a) => a.role === 'personal_am' && a.path.startsWith(b.path)).map((a) => ({ id: a.id, nodeId: a.nodeId })),
      };
    });
  if (branches.length === 0) throw new Error('演示客户需要先装入演示银行 / seed the demo bank first');
  return { branches };
}

// ---- identity numbers -----------------------------------------------------------------------------

const USCC_CHARS = '0123456789ABCDEFGHJKLMNPQRTUWXY';
const ORG_WEIGHTS = [3, 7, 9, 10, 5, 8, 4, 2];
const ORG_CHARS = '0123456789ABCDEFGHJKLMNPQRTUWXY';

/** A 9-character 组织机构代码 (GB 11714) with its check character, as USCC positions 9–17. */
function orgCode(rng: Rng): string {
  let body = '';
  let sum = 0;
  for (let i = 0; i < 8; i++) {
    const v = i < 2 && rng() < 0.5 ? 10 + Math.floor(rng() * 21) : Math.floor(rng() * 10);
    body += ORG_CHARS[v];
    sum += v * ORG_WEIGHTS[i];
  }
  const c = 11 - (sum % 11);
  return body + (c === 10 ? 'X' : c === 11 ? '0' : String(c));
}

/** Registration authority + type: 91 company, 12 public institution, 11 government body. */
const USCC_PREFIX: Record<string, string> = { institution: '12', government: '11', school: '12', hospital: '12' };

function makeUscc(rng: Rng, typeCode: string, region: string, used: Set<string>): string {
  for (;;) {
    const body = (USCC_PREFIX[typeCode] ?? '91') + region + orgCode(rng);
    // orgCode may yield 'X' as its check, which is not in the USCC charset: retry.
    if (![...body].every((c) => USCC_CHARS.includes(c))) continue;
    const code = body + usccCheckChar(body)!;
    if (!used.has(code)) {
      used.add(code);
      return code;
    }
  }
}

/** The 17th digit is odd for men, even for women (GB 11643). */
function makeId(rng: Rng, region: string, birth: string, gender: 'M' | 'F', used: Set<string>): string {
  for (;;) {
    const seq = randInt(rng, 0, 499) * 2 + (gender === 'M' ? 1 : 0);
    const body = `${region}${birth.replace(/-/g, '')}${String(seq).padStart(3, '0')}`;
    const id = body + idCheckChar(body)!;
    if (!used.has(id)) {
      used.add(id);
      return id;
    }
  }
}

// ---- the generator ----------------------------------------------------------------------------------

const pad2 = (n: number) => String(n).padStart(2, '0');
const dateOf = (rng: Rng, fromYear: number, toYear: number) => `${randInt(rng, fromYear, toYear)}-${pad2(randInt(rng, 1, 12))}-${pad2(randInt(rng, 1, 28))}`;
/** An amount spread over orders of magnitude: 10^lo … 10^hi 元, returned in 分 (whole 元). */
const amountFen = (rng: Rng, lo: number, hi: number) => Math.round(10 ** (lo + rng() * (hi - lo))) * 100;

const TYPE_WEIGHTS: readonly (readonly [string, number])[] = [
  ['enterprise', 70],
  ['institution', 4],
  ['government', 3],
  ['financial', 3],
  ['school', 4],
  ['hospital', 3],
  ['scenic', 2],
  ['hotel', 3],
  ['developer', 5],
  ['platform', 3],
];
const DEPT_OF_TYPE: Record<string, string> = {
  institution: 'INST',
  government: 'INST',
  financial: 'INST',
  school: 'INST',
  hospital: 'INST',
  scenic: 'INST',
  hotel: 'CORP',
  developer: 'RE',
  platform: 'CORP',
  enterprise: 'CORP',
};
const INDUSTRY_OF_TYPE: Record<string, string> = {
  institution: 'S',
  government: 'S',
  financial: 'J',
  school: 'P',
  hospital: 'Q',
  scenic: 'N',
  hotel: 'H',
  developer: 'K',
  platform: 'L',
};
const PUBLIC_TYPES = new Set(['institution', 'government', 'school', 'hospital']);

/** Name and facts of a generated company of a type. */
function companyProfile(rng: Rng, typeCode: string, city: string, district: string, seq: number) {
  const brand = pick(rng, BRAND_A) + pick(rng, BRAND_B);
  const where = `${city}市${district}`;
  const facts: Record<string, unknown> = {};
  const level = () =>
    pickWeighted(rng, [
      ['county', 5],
      ['city', 4],
      ['province', 1],
    ] as const);
  switch (typeCode) {
    case 'institution':
      if (rng() < 0.8) facts.adminLevel = level();
      return {
        name: `${where}${pick(rng, ['自然资源局', '住房和城乡建设局', '市场监督管理局', '社会保险基金管理中心', '住房公积金管理中心', '机关事务管理局', '农业农村局', '人力资源和社会保障局'])}`,
        industry: 'S',
        facts,
      };
    case 'government':
      facts.adminLevel = level();
      return { name: `${where}${pick(rng, ['人民政府办公室', '财政局', '公安局', '人民法院', '人民检察院', '人民武装部', '交通运输局', '水务局'])}`, industry: 'S', facts };
    case 'financial':
      facts.financialInstitutionSigned = rng() < 0.6;
      if (rng() < 0.3) facts.provincialOffice = true;
      return {
        name: pick(rng, [
          `${brand}证券股份有限公司${city}分公司`,
          `${brand}人寿保险股份有限公司${city}中心支公司`,
          `${brand}财产保险股份有限公司${city}分公司`,
          `${city}${brand}小额贷款有限公司`,
          `${brand}基金管理有限公司${city}分公司`,
        ]),
        industry: 'J',
        facts,
      };
    case 'school': {
      const kind = rng();
      if (kind < 0.1) {
        facts.universityTier = pick(rng, ['211', 'key', 'model_vocational'] as const);
        return {
          name: `${city}${pick(rng, ['职业技术学院', '学院', '理工职业学院', '科技学院'])}`.replace(/^(.*)$/, (s) => (seq > 1 ? `${city}${brand}${s.slice(city.length)}` : s)),
          industry: 'P',
          facts,
        };
      }
      facts.schoolStars = randInt(rng, 2, 5);
      return { name: `${where}第${['一', '二', '三', '四', '五', '六', '七', '八', '九', '十'][seq % 10]}${pick(rng, ['中学', '小学', '实验学校', '外国语学校'])}`, industry: 'P', facts };
    }
    case 'hospital':
      facts.hospitalGrade = pickWeighted(rng, [
        ['3A', 3],
        ['3B', 2],
        ['2A', 4],
        ['2B', 2],
        ['1A', 1],
      ] as const);
      return { name: `${where}${pick(rng, ['人民医院', '中医院', '妇幼保健院', '第二人民医院', '骨伤科医院', '口腔医院'])}`, industry: 'Q', facts };
    case 'scenic':
      facts.scenicRating = pickWeighted(rng, [
        ['3A', 3],
        ['4A', 4],
        ['5A', 1],
      ] as const);
      return { name: `${where}${brand}山旅游开发有限公司`, industry: 'N', facts };
    case 'hotel':
      facts.hotelStars = randInt(rng, 2, 5);
      return { name: `${city}${brand}${pick(rng, ['大酒店有限公司', '酒店管理有限公司', '国际酒店有限公司'])}`, industry: 'H', facts };
    case 'developer':
      if (rng() < 0.4) facts.bankFinancesDevelopment = pick(rng, ['lead', 'participant'] as const);
      if (rng() < 0.25) facts.developerNationalRank = randInt(rng, 1, 400);
      if (rng() < 0.1) facts.listedQualityDeveloperProperty = true;
      return { name: `${where}${brand}房地产开发有限公司`, industry: 'K', facts };
    case 'platform':
      facts.governmentPlatform = true;
      facts.adminLevel = level();
      return { name: `${where}${pick(rng, ['城市建设投资集团有限公司', '交通投资集团有限公司', '城市更新发展有限公司', '水务投资有限公司'])}`, industry: 'L', facts };
    default: {
      const [trade, industry] = pickWeighted(
        rng,
        TRADES.map((t) => [[t[0], t[1]] as const, t[2]] as const),
      );
      if (rng() < 0.04) facts.global500Controlled = true;
      if (rng() < 0.05) facts.foreignTradeRankProvince = randInt(rng, 1, 100);
      if (rng() < 0.06) facts.countyQualityFirm = true;
      if (industry === 'A' && rng() < 0.4) facts.agriculturalLeader = true;
      if (industry === 'F' && rng() < 0.1) facts.largeMarketNotByDeveloper = true;
      return { name: `${where}${brand}${trade}${rng() < 0.15 ? '股份' : ''}有限公司`, industry, facts };
    }
  }
}

/**
 * Generates the demo customers and hands them to `flush` in batches (parents before children:
 * a batch's companies and people come before its links and holdings). Deterministic.
 */
export async function generateCustomers(
  shape: BankShape,
  scale: DemoScale,
  flush: (b: CustomerBatch) => Promise<void>,
  batchRows = 20_000,
): Promise<CustomerBatch & { counts: Record<string, number> }> {
  const rng = createRng(20_261_122);
  const phones = createPhoneGenerator(77_001);
  let names = createNameGenerator(88_001);
  const usedUscc = new Set<string>();
  const usedNames = new Set<string>();
  const usedIds = new Set<string>();
  const counts = { companies: 0, people: 0, links: 0, groups: 0, holdings: 0 };
  let batch: CustomerBatch = { companies: [], people: [], links: [], groups: [], holdings: [] };
  const pending = () => batch.companies.length + batch.people.length + batch.links.length + batch.holdings.length;
  const emit = async () => {
    if (pending() === 0 && batch.groups.length === 0) return;
    const b = batch;
    batch = { companies: [], people: [], links: [], groups: [], holdings: [] };
    await flush(b);
  };
  const byCity = new Map(shape.branches.map((b) => [b.city, b]));
  // 佛山 carries more of the demo: the demo accounts sit there.
  const branchWeights = shape.branches.map((b) => [b, b.id === DEMO_NODES.foshan ? 4 : 1] as const);
  let personSeq = 0;
  let linkSeq = 0;
  let holdingSeq = 0;
  let groupSeq = 0;
  const companiesOfBranch = new Map<number, number[]>();

  const newPerson = (branch: BankShape['branches'][number], region: string, opts: { role?: string; seniority: number; nodeId?: number }): PersonRow => {
    personSeq++;
    // Names are unique within a block of 5,000 people (namesakes exist across blocks, as in life).
    if (personSeq % 5000 === 0) names = createNameGenerator(88_001 + personSeq);
    const n = names.next();
    const birth = dateOf(rng, opts.seniority > 1 ? 1962 : 1968, opts.seniority > 1 ? 1985 : 2003);
    const born = rng() < 0.75 ? region : pick(rng, OTHER_REGIONS);
    const gender = n.gender;
    const idNumber = makeId(rng, born, birth, gender, usedIds);
    const phone = rng() < 0.92 ? phones.next() : null;
    const aumYuan = Math.round(10 ** (2 + rng() * (opts.seniority > 1 ? 5.3 : opts.seniority === 1 ? 4.6 : 4.1)));
    const tier = VIP_TIERS.find(([, min]) => aumYuan >= min)?.[0] ?? null;
    const outlet = opts.nodeId ?? (branch.outlets.length ? pick(rng, branch.outlets) : branch.id);
    const am = tier || rng() < 0.3 ? (branch.personalAms.length ? pick(rng, branch.personalAms).id : null) : null;
    return {
      id: personSeq,
      id_number: idNumber,
      id_suffix: idNumber.slice(-4),
      name: n.name,
      gender,
      birth_date: birth,
      phone,
      phone_suffix: phone ? phone.slice(-4) : null,
      node_id: outlet,
      dedicated_am_id: am,
      aum_fen: aumYuan * 100,
      vip_tier: tier,
    };
  };

  const addHoldings = (p: PersonRow, employed: boolean) => {
    const chosen = new Set<string>();
    if (employed && rng() < 0.7) chosen.add('PAYROLL');
    chosen.add('DEBIT');
    const n = randInt(rng, 0, p.vip_tier ? 5 : 2);
    for (let i = 0; i < n; i++)
      chosen.add(
        pickWeighted(
          rng,
          PRODUCTS.map((x) => [x[0], x[3]] as const),
        ),
      );
    for (const code of chosen) {
      const [, productName, kind] = PRODUCTS.find((x) => x[0] === code)!;
      holdingSeq++;
      batch.holdings.push({
        id: holdingSeq,
        person_id: p.id,
        product_code: code,
        product_name: productName,
        amount_fen: kind === 'amount' ? (code === 'PAYROLL' ? amountFen(rng, 3.5, 4.6) : code === 'MORTGAGE' ? amountFen(rng, 5.3, 6.5) : Math.min(p.aum_fen, amountFen(rng, 3.7, 6.3))) : null,
        quantity: kind === 'count' ? 1 : null,
        since: dateOf(rng, 2010, 2026),
      });
    }
    counts.holdings += chosen.size;
  };

  const link = (companyId: number, personId: number, role: string, title: string | null, since: string | null, until: string | null = null) => {
    linkSeq++;
    batch.links.push({ id: linkSeq, company_id: companyId, person_id: personId, role, title, since, until });
    counts.links++;
  };

  const avg = Math.max(3, Math.floor((scale.people * 0.85) / Math.max(1, scale.companies)));
  let budget = scale.people;

  for (let i = 0; i < scale.companies; i++) {
    const id = i + 1;
    const fixed = FIXED[i];
    const branch = fixed ? (byCity.get(fixed.city) ?? shape.branches[0]) : pickWeighted(rng, branchWeights);
    const districts = CITY_DISTRICTS[branch.city];
    const [district, region] = fixed ? (districts.find((d) => d[0] === fixed.district) ?? districts[0]) : pick(rng, districts);
    const typeCode = fixed?.typeCode ?? pickWeighted(rng, TYPE_WEIGHTS);
    const profile = fixed ? { name: fixed.name, industry: fixed.industryCode, facts: fixed.row.facts ?? {} } : companyProfile(rng, typeCode, branch.city, district, id);
    let name = profile.name;
    if (usedNames.has(name)) name = name.replace(/(有限公司|股份有限公司)?$/, (s) => `（${id}）${s}`);
    usedNames.add(name);
    const nodeId = fixed ? branch.id : rng() < 0.35 || branch.subs.length === 0 ? branch.id : pick(rng, branch.subs);
    const ams = branch.corporateAms.filter((a) => a.nodeId === nodeId);
    const am = (ams.length ? ams : branch.corporateAms)[fixed ? 0 : Math.floor(rng() * (ams.length || branch.corporateAms.length))];
    const isPublic = PUBLIC_TYPES.has(typeCode);
    const credit = fixed ? (fixed.row.credit_line_fen ?? null) : !isPublic && rng() < 0.45 ? amountFen(rng, 6.5, 9.6) : null;
    const people = fixed ? fixed.people : Math.max(3, Math.round(avg * (0.2 + rng() * 1.6)));
    const row: CompanyRow = {
      id,
      uscc: makeUscc(rng, typeCode, region, usedUscc),
      name,
      type_code: typeCode,
      industry_code: profile.industry ?? INDUSTRY_OF_TYPE[typeCode] ?? null,
      node_id: nodeId,
      department_id: branch.departments[DEPT_OF_TYPE[typeCode] ?? 'CORP'] ?? null,
      account_manager_id: am?.id ?? null,
      legal_representative: null,
      address: `广东省${branch.city}市${district}${pick(rng, ['人民路', '建设大道', '工业大道', '东华路', '文华路', '新城大道', '环城路'])}${randInt(rng, 1, 399)}号`,
      credit_line_fen: credit,
      loan_balance_fen: fixed ? (fixed.row.loan_balance_fen ?? null) : credit && rng() < 0.7 ? Math.floor((credit * randInt(rng, 5, 95)) / 100 / 100) * 100 : null,
      annual_sales_fen: fixed ? (fixed.row.annual_sales_fen ?? null) : isPublic ? null : amountFen(rng, 6.5, 10.2),
      provincial_tax_rank: fixed ? (fixed.row.provincial_tax_rank ?? null) : !isPublic && rng() < 0.12 ? randInt(rng, 1, 1500) : null,
      listed: fixed ? (fixed.row.listed ?? false) : typeCode === 'enterprise' && rng() < 0.04,
      facts: profile.facts,
    };
    if (!fixed && row.listed && rng() < 0.6) row.facts = { ...row.facts, listedQuality: true };
    batch.companies.push(row);
    counts.companies++;
    const list = companiesOfBranch.get(branch.id) ?? [];
    list.push(id);
    companiesOfBranch.set(branch.id, list);

    // Group links: a few companies are subsidiaries of an earlier one in the same branch.
    const parent = id === DEMO_COMPANIES.meidiKitchen ? DEMO_COMPANIES.meidi : !fixed && typeCode === 'enterprise' && list.length > 3 && rng() < 0.06 ? pick(rng, list.slice(0, -1)) : null;
    // The fixed companies keep the group the tests know.
    const groupParent = parent !== null && (id === DEMO_COMPANIES.meidiKitchen || parent > FIXED.length) ? parent : null;
    if (groupParent) {
      groupSeq++;
      batch.groups.push({ id: groupSeq, parent_id: groupParent, child_id: id, kind: 'group', since: dateOf(rng, 2005, 2024) });
      counts.groups++;
    }

    // People: one 法定代表人, a few 高管, some 中层, the rest 员工.
    const headCount = fixed ? people : Math.min(people, Math.max(0, budget - (scale.companies - i - 1)));
    const nExec = Math.min(headCount - 1, randInt(rng, 2, 4));
    const nMiddle = Math.min(headCount - 1 - nExec, Math.max(1, Math.round(headCount * 0.15)));
    const publicTitles = isPublic;
    for (let k = 0; k < headCount; k++) {
      const role = k === 0 ? 'legal_rep' : k <= nExec ? 'executive' : k <= nExec + nMiddle ? 'middle' : 'staff';
      const seniority = role === 'legal_rep' ? 3 : role === 'executive' ? 2 : role === 'middle' ? 1 : 0;
      const p = newPerson(branch, region, { seniority });
      batch.people.push(p);
      counts.people++;
      budget--;
      const title =
        role === 'legal_rep'
          ? (fixed?.legalRep ?? TITLES.legal_rep[typeCode as keyof typeof TITLES.legal_rep] ?? '法定代表人')
          : role === 'executive'
            ? pick(rng, publicTitles ? TITLES.executivePublic : TITLES.executive)
            : role === 'middle'
              ? pick(rng, TITLES.middle)
              : pick(rng, TITLES.staff);
      const since = dateOf(rng, 2005, 2025);
      link(id, p.id, role, title, since);
      if (role === 'legal_rep') row.legal_representative = p.name;
      // Owners: the head of a private company usually holds shares too.
      if ((role === 'legal_rep' && typeCode === 'enterprise' && rng() < 0.7) || (role === 'executive' && !isPublic && rng() < 0.15)) link(id, p.id, 'shareholder', '股东', since);
      // A former job: some people left another company of the branch.
      if (role !== 'legal_rep' && list.length > 2 && rng() < 0.03) {
        const other = pick(rng, list.slice(0, -1));
        link(other, p.id, 'staff', pick(rng, TITLES.staff), dateOf(rng, 2005, 2012), dateOf(rng, 2013, 2018));
      }
      addHoldings(p, true);
    }
    if (id === DEMO_COMPANIES.meidiKitchen) link(DEMO_COMPANIES.meidiKitchen, DEMO_PEOPLE.meidiChair, 'shareholder', '股东', '2015-03-01');
    if (pending() >= batchRows) await emit();
  }
  // Retail clients linked to no company.
  while (budget > 0) {
    const branch = pickWeighted(rng, branchWeights);
    const [, region] = pick(rng, CITY_DISTRICTS[branch.city]);
    const p = newPerson(branch, region, { seniority: rng() < 0.1 ? 2 : 0 });
    batch.people.push(p);
    counts.people++;
    budget--;
    addHoldings(p, false);
    if (pending() >= batchRows) await emit();
  }
  await emit();
  return { companies: [], people: [], links: [], groups: [], holdings: [], counts };
}

// ---- writing ---------------------------------------------------------------------------------------

const COLUMNS = {
  corporate_clients: [
    'id',
    'uscc',
    'name',
    'type_code',
    'industry_code',
    'node_id',
    'department_id',
    'account_manager_id',
    'legal_representative',
    'address',
    'credit_line_fen',
    'loan_balance_fen',
    'annual_sales_fen',
    'provincial_tax_rank',
    'listed',
    'facts',
  ],
  individuals: ['id', 'id_number', 'id_suffix', 'name', 'gender', 'birth_date', 'phone', 'phone_suffix', 'node_id', 'dedicated_am_id', 'aum_fen', 'vip_tier'],
  company_people: ['id', 'company_id', 'person_id', 'role', 'title', 'since', 'until'],
  company_links: ['id', 'parent_id', 'child_id', 'kind', 'since'],
  holdings: ['id', 'person_id', 'product_code', 'product_name', 'amount_fen', 'quantity', 'since'],
} as const;
type Table = keyof typeof COLUMNS;

/** Inserts rows with one statement per 5,000 (a JSON array expanded by PostgreSQL): both drivers. */
async function insertJson(db: DbOrTx, table: Table, list: object[]) {
  const cols = COLUMNS[table].join(', ');
  for (let i = 0; i < list.length; i += 5000) {
    const json = JSON.stringify(list.slice(i, i + 5000));
    await db.execute(sql.raw(`INSERT INTO ${table} (${cols}) SELECT ${cols} FROM json_populate_recordset(NULL::${table}, $json$${json.replace(/\$json\$/g, '')}$json$)`));
  }
}

/** One CSV field for COPY: quoted when needed; null is an empty unquoted field. */
function csvField(v: unknown): string {
  if (v === null || v === undefined) return '';
  const s = typeof v === 'object' ? JSON.stringify(v) : String(v);
  return /[",\n\r]/.test(s) || s === '' ? `"${s.replace(/"/g, '""')}"` : s;
}
function toCsv(table: Table, list: object[]): string {
  const cols = COLUMNS[table];
  let out = '';
  for (const r of list) out += `${cols.map((c) => csvField((r as Record<string, unknown>)[c])).join(',')}\n`;
  return out;
}

/** COPY … FROM STDIN on PostgreSQL (pg-copy-streams), COPY … FROM '/dev/blob' on PGlite. */
export async function copyRows(database: Database, table: Table, list: object[]): Promise<void> {
  if (list.length === 0) return;
  const statement = `COPY ${table} (${COLUMNS[table].join(', ')}) FROM STDIN WITH (FORMAT csv)`;
  const csv = toCsv(table, list);
  if (database.kind === 'pg' && database.pool) {
    const { from } = await import('pg-copy-streams');
    const { pipeline } = await import('node:stream/promises');
    const { Readable } = await import('node:stream');
    const client = await database.pool.connect();
    try {
      await pipeline(Readable.from([csv]), client.query(from(statement)));
    } finally {
      client.release();
    }
    return;
  }
  if (database.pglite) {
    await database.pglite.query(statement.replace('FROM STDIN', "FROM '/dev/blob'"), [], { blob: new Blob([csv]) });
    return;
  }
  await insertJson(database.db, table, list);
}

async function writeBatch(write: (table: Table, list: object[]) => Promise<void>, b: CustomerBatch) {
  await write('corporate_clients', b.companies);
  await write('individuals', b.people);
  await write('company_people', b.links);
  await write('company_links', b.groups);
  await write('holdings', b.holdings);
}

const IDENTITY_TABLES: Table[] = ['corporate_clients', 'individuals', 'company_people', 'company_links', 'holdings'];

/** Client types and GB/T 4754 industry sections (idempotent). */
export async function seedCustomerReference(db: DbOrTx): Promise<void> {
  await db
    .insert(clientTypes)
    .values(CLIENT_TYPES.map((t, i) => ({ ...t, sort: (i + 1) * 10 })))
    .onConflictDoNothing();
  await db
    .insert(industries)
    .values(INDUSTRIES.map((t, i) => ({ ...t, sort: i + 1 })))
    .onConflictDoNothing();
}

async function assertNoCustomers(db: DbOrTx) {
  const [r] = await rows<{ n: number }>(db, sql`SELECT count(*)::int AS n FROM (SELECT 1 FROM corporate_clients LIMIT 1) x`);
  if (r.n > 0) throw new Error('演示客户只能装入没有客户的库 / demo customers can only be seeded when corporate_clients is empty');
}

/**
 * Loads the demo customers after the demo bank. With `database` the rows go by COPY (province
 * scale); otherwise by multi-row inserts in one transaction. Returns the row counts.
 */
export async function seedDemoCustomers(db: Db, scale: DemoScale = DEMO_SCALE, opts: { database?: Database; onBatch?: (counts: Record<string, number>) => void } = {}) {
  await seedCustomerReference(db);
  await assertNoCustomers(db);
  const shape = await loadBankShape(db);
  const done = { companies: 0, people: 0, links: 0, groups: 0, holdings: 0 };
  const track = (b: CustomerBatch) => {
    done.companies += b.companies.length;
    done.people += b.people.length;
    done.links += b.links.length;
    done.groups += b.groups.length;
    done.holdings += b.holdings.length;
    opts.onBatch?.(done);
  };
  const finish = async (tx: DbOrTx, counts: Record<string, number>) => {
    for (const t of IDENTITY_TABLES) await tx.execute(sql.raw(`SELECT setval(pg_get_serial_sequence('${t}', 'id'), GREATEST((SELECT max(id) FROM ${t}), 1))`));
    await appendAudit(tx, SYSTEM_ACTOR, { action: 'seed.demo_customers', entity: 'system', nodeId: BANK_WIDE, entityId: 'demo', after: counts });
  };
  if (opts.database) {
    const database = opts.database;
    const { counts } = await generateCustomers(
      shape,
      scale,
      async (b) => {
        await writeBatch((t, l) => copyRows(database, t, l), b);
        track(b);
      },
      100_000,
    );
    await db.execute(sql`ANALYZE org_nodes, staff, corporate_clients, individuals, company_people, company_links, holdings`);
    await db.transaction((tx) => finish(tx, counts));
    return counts;
  }
  return db.transaction(async (tx) => {
    const { counts } = await generateCustomers(shape, scale, async (b) => {
      await writeBatch((t, l) => insertJson(tx, t, l), b);
      track(b);
    });
    await finish(tx, counts);
    return counts;
  });
}
