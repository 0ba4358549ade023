import { z } from 'zod';

/**
 * The facts catalogue (SPEC §2, §3 Art. 9): the keys of `corporate_clients.facts`, each with its
 * zod type and zh/en label. The Article 9 criteria (targets/criteria.rules.ts) read these together
 * with the client's columns through `clientFacts(row)`. Pure: no database, no HTTP.
 */

/** 行政级别 of a government body or financing platform, lowest first. */
export const ADMIN_LEVELS = ['county', 'city', 'province', 'national'] as const;
export type AdminLevel = (typeof ADMIN_LEVELS)[number];

/** 高校层次: 211/“双一流”, 重点院校, 示范性高职院校. */
export const UNIVERSITY_TIERS = ['211', 'key', 'model_vocational'] as const;
export type UniversityTier = (typeof UNIVERSITY_TIERS)[number];

/** 医院等级, highest first (三甲 = 3A). */
export const HOSPITAL_GRADES = ['3A', '3B', '3C', '2A', '2B', '2C', '1A', '1B', '1C'] as const;
export type HospitalGrade = (typeof HOSPITAL_GRADES)[number];

/** 景区等级 (A 级旅游景区). */
export const SCENIC_RATINGS = ['1A', '2A', '3A', '4A', '5A'] as const;
export type ScenicRating = (typeof SCENIC_RATINGS)[number];

/** 本行对开发项目的融资角色: 牵头行 / 参贷行. */
export const DEVELOPMENT_FINANCE_ROLES = ['lead', 'participant'] as const;
export type DevelopmentFinanceRole = (typeof DEVELOPMENT_FINANCE_ROLES)[number];

const rank = z.number().int().min(1).max(1_000_000);
const stars = z.number().int().min(1).max(5);

/** Every fact key with its type; all optional (a missing fact is "unknown", read as not met). */
export const FactsSchema = z.strictObject({
  /** 优质上市公司 */
  listedQuality: z.boolean().optional(),
  /** 非开发商建设的大型零售/批发市场 */
  largeMarketNotByDeveloper: z.boolean().optional(),
  /** 政府融资平台 */
  governmentPlatform: z.boolean().optional(),
  /** 行政级别 (government bodies, army, public bodies, platforms) */
  adminLevel: z.enum(ADMIN_LEVELS).optional(),
  /** 世界500强独资或控股的外资企业 */
  global500Controlled: z.boolean().optional(),
  /** 全省外贸进出口排名 */
  foreignTradeRankProvince: rank.optional(),
  /** 县域优质企业 */
  countyQualityFirm: z.boolean().optional(),
  /** 农业产业化龙头企业 */
  agriculturalLeader: z.boolean().optional(),
  /** 已与本行签约合作的金融机构 */
  financialInstitutionSigned: z.boolean().optional(),
  /** 省级机构 (金融机构省级分支/总部) */
  provincialOffice: z.boolean().optional(),
  /** 高校层次 */
  universityTier: z.enum(UNIVERSITY_TIERS).optional(),
  /** 学校星级 (1–5) */
  schoolStars: stars.optional(),
  /** 医院等级 */
  hospitalGrade: z.enum(HOSPITAL_GRADES).optional(),
  /** 景区等级 */
  scenicRating: z.enum(SCENIC_RATINGS).optional(),
  /** 酒店星级 (1–5) */
  hotelStars: stars.optional(),
  /** 本行融资开发项目的角色: 牵头 / 参与; null = 未融资 */
  bankFinancesDevelopment: z.enum(DEVELOPMENT_FINANCE_ROLES).nullable().optional(),
  /** 全国房地产开发商排名 */
  developerNationalRank: rank.optional(),
  /** 上市优质开发商的经营性物业 */
  listedQualityDeveloperProperty: z.boolean().optional(),
});
export type Facts = z.infer<typeof FactsSchema>;
export type FactKey = keyof Facts;

export type FactKind = 'boolean' | 'integer' | 'enum';

export interface FactDefinition {
  key: FactKey;
  kind: FactKind;
  zh: string;
  en: string;
  /** For enums: the allowed values, with their labels. */
  options?: ReadonlyArray<{ value: string; zh: string; en: string }>;
}

/** The catalogue in display order; the console renders forms and the criteria page from it. */
export const FACTS_CATALOGUE: readonly FactDefinition[] = [
  { key: 'listedQuality', kind: 'boolean', zh: '优质上市公司', en: 'Quality listed company' },
  { key: 'largeMarketNotByDeveloper', kind: 'boolean', zh: '大型零售/批发市场（非开发商建设）', en: 'Large retail/wholesale market not built by a developer' },
  { key: 'governmentPlatform', kind: 'boolean', zh: '政府融资平台', en: 'Government financing platform' },
  {
    key: 'adminLevel',
    kind: 'enum',
    zh: '行政级别',
    en: 'Administrative level',
    options: [
      { value: 'county', zh: '县级', en: 'County' },
      { value: 'city', zh: '市级', en: 'City' },
      { value: 'province', zh: '省级', en: 'Province' },
      { value: 'national', zh: '国家级', en: 'National' },
    ],
  },
  { key: 'global500Controlled', kind: 'boolean', zh: '世界500强独资或控股外资企业', en: 'Owned or controlled by a Global-500 firm' },
  { key: 'foreignTradeRankProvince', kind: 'integer', zh: '全省外贸进出口排名', en: 'Provincial foreign-trade ranking' },
  { key: 'countyQualityFirm', kind: 'boolean', zh: '县域优质企业', en: 'County-level quality firm' },
  { key: 'agriculturalLeader', kind: 'boolean', zh: '农业产业化龙头企业', en: 'Agricultural leading enterprise' },
  { key: 'financialInstitutionSigned', kind: 'boolean', zh: '已签约合作金融机构', en: 'Signed financial institution' },
  { key: 'provincialOffice', kind: 'boolean', zh: '省级机构', en: 'Provincial-level office' },
  {
    key: 'universityTier',
    kind: 'enum',
    zh: '高校层次',
    en: 'University tier',
    options: [
      { value: '211', zh: '211/双一流高校', en: '211 / Double First-Class university' },
      { value: 'key', zh: '重点院校', en: 'Key university' },
      { value: 'model_vocational', zh: '示范性高职院校', en: 'Model vocational college' },
    ],
  },
  { key: 'schoolStars', kind: 'integer', zh: '学校星级', en: 'School star rating' },
  {
    key: 'hospitalGrade',
    kind: 'enum',
    zh: '医院等级',
    en: 'Hospital grade',
    options: HOSPITAL_GRADES.map((g) => ({ value: g, zh: hospitalGradeZh(g), en: `Grade ${g}` })),
  },
  {
    key: 'scenicRating',
    kind: 'enum',
    zh: '景区等级',
    en: 'Scenic-area rating',
    options: SCENIC_RATINGS.map((r) => ({ value: r, zh: `${r}级景区`, en: `${r} scenic area` })),
  },
  { key: 'hotelStars', kind: 'integer', zh: '酒店星级', en: 'Hotel star rating' },
  {
    key: 'bankFinancesDevelopment',
    kind: 'enum',
    zh: '本行融资开发项目',
    en: 'Development financed by the bank',
    options: [
      { value: 'lead', zh: '牵头行', en: 'Lead lender' },
      { value: 'participant', zh: '参贷行', en: 'Participant' },
    ],
  },
  { key: 'developerNationalRank', kind: 'integer', zh: '全国房地产开发商排名', en: 'National developer ranking' },
  { key: 'listedQualityDeveloperProperty', kind: 'boolean', zh: '上市优质开发商经营性物业', en: 'Operating property of a listed quality developer' },
];

function hospitalGradeZh(g: HospitalGrade): string {
  const level = { '3': '三级', '2': '二级', '1': '一级' }[g[0] as '1' | '2' | '3'];
  const grade = { A: '甲等', B: '乙等', C: '丙等' }[g[1] as 'A' | 'B' | 'C'];
  return `${level}${grade}`;
}

/** Validate a facts object on write; unknown keys and wrong types are rejected. */
export function parseFacts(input: unknown): { ok: true; facts: Facts } | { ok: false; message: string } {
  const r = FactsSchema.safeParse(input ?? {});
  if (r.success) return { ok: true, facts: r.data };
  return { ok: false, message: r.error.issues.map((i) => `${i.path.join('.') || 'facts'}: ${i.message}`).join('; ') };
}

/**
 * One flat object of everything the Article 9 criteria read: the client's columns plus every
 * catalogued fact (null when unknown). Amounts stay integer 分.
 */
export interface ClientFacts {
  id: number;
  uscc: string;
  name: string;
  /** client_types.code: enterprise, institution, government, financial, school, hospital, scenic, hotel, developer, platform */
  typeCode: string;
  industryCode: string | null;
  nodeId: number;
  departmentId: number | null;
  /** 授信额度 (分) */
  creditLineFen: number | null;
  /** 贷款余额 (分) */
  loanBalanceFen: number | null;
  /** 年销售额 (分) */
  annualSalesFen: number | null;
  /** 全省纳税排名 (1 = largest) */
  provincialTaxRank: number | null;
  listed: boolean;
  listedQuality: boolean | null;
  largeMarketNotByDeveloper: boolean | null;
  governmentPlatform: boolean | null;
  adminLevel: AdminLevel | null;
  global500Controlled: boolean | null;
  foreignTradeRankProvince: number | null;
  countyQualityFirm: boolean | null;
  agriculturalLeader: boolean | null;
  financialInstitutionSigned: boolean | null;
  provincialOffice: boolean | null;
  universityTier: UniversityTier | null;
  schoolStars: number | null;
  hospitalGrade: HospitalGrade | null;
  scenicRating: ScenicRating | null;
  hotelStars: number | null;
  bankFinancesDevelopment: DevelopmentFinanceRole | null;
  developerNationalRank: number | null;
  listedQualityDeveloperProperty: boolean | null;
}

/** The shape of a corporate_clients row that `clientFacts` needs. */
export interface ClientFactsRow {
  id: number;
  uscc: string;
  name: string;
  typeCode: string;
  industryCode: string | null;
  nodeId: number;
  departmentId: number | null;
  creditLineFen: number | null;
  loanBalanceFen: number | null;
  annualSalesFen: number | null;
  provincialTaxRank: number | null;
  listed: boolean;
  facts: Record<string, unknown> | null;
}

/**
 * Flatten a client row into `ClientFacts`. Stored facts that no longer validate (a catalogue
 * change) are dropped key by key rather than failing the whole client.
 */
export function clientFacts(row: ClientFactsRow): ClientFacts {
  const raw = row.facts ?? {};
  const shape = FactsSchema.shape;
  const f: Record<string, unknown> = {};
  for (const key of Object.keys(shape) as FactKey[]) {
    const r = shape[key].safeParse(raw[key]);
    f[key] = r.success && r.data !== undefined ? r.data : null;
  }
  const facts = f as { [K in FactKey]-?: Exclude<Facts[K], undefined> | null };
  return {
    id: row.id,
    uscc: row.uscc,
    name: row.name,
    typeCode: row.typeCode,
    industryCode: row.industryCode,
    nodeId: row.nodeId,
    departmentId: row.departmentId,
    creditLineFen: row.creditLineFen,
    loanBalanceFen: row.loanBalanceFen,
    annualSalesFen: row.annualSalesFen,
    provincialTaxRank: row.provincialTaxRank,
    listed: row.listed,
    ...facts,
  };
}

/** Client type codes the seed writes (client_types is data; a bank may add more). */
export const CLIENT_TYPE_CODES = ['enterprise', 'institution', 'government', 'financial', 'school', 'hospital', 'scenic', 'hotel', 'developer', 'platform'] as const;
