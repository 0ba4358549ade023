/**
 * Reference data and word lists for the demo customers (SPEC §2): client types, GB/T 4754-2017
 * industry sections, Guangdong districts with their administrative division codes, products.
 */

export const CLIENT_TYPES = [
  { code: 'enterprise', nameZh: '企业', nameEn: 'Company' },
  { code: 'institution', nameZh: '机关事业单位', nameEn: 'Public institution' },
  { code: 'government', nameZh: '政府/军队/公共机构', nameEn: 'Government, army or public body' },
  { code: 'financial', nameZh: '金融机构', nameEn: 'Financial institution' },
  { code: 'school', nameZh: '学校', nameEn: 'School' },
  { code: 'hospital', nameZh: '医院', nameEn: 'Hospital' },
  { code: 'scenic', nameZh: '景区', nameEn: 'Scenic area' },
  { code: 'hotel', nameZh: '酒店', nameEn: 'Hotel' },
  { code: 'developer', nameZh: '房地产开发商', nameEn: 'Real-estate developer' },
  { code: 'platform', nameZh: '政府融资平台', nameEn: 'Government financing platform' },
] as const;

/** GB/T 4754-2017 门类 A–T. */
export const INDUSTRIES = [
  { code: 'A', nameZh: '农、林、牧、渔业', nameEn: 'Agriculture, forestry, animal husbandry and fishery' },
  { code: 'B', nameZh: '采矿业', nameEn: 'Mining' },
  { code: 'C', nameZh: '制造业', nameEn: 'Manufacturing' },
  { code: 'D', nameZh: '电力、热力、燃气及水生产和供应业', nameEn: 'Electricity, heat, gas and water' },
  { code: 'E', nameZh: '建筑业', nameEn: 'Construction' },
  { code: 'F', nameZh: '批发和零售业', nameEn: 'Wholesale and retail' },
  { code: 'G', nameZh: '交通运输、仓储和邮政业', nameEn: 'Transport, storage and post' },
  { code: 'H', nameZh: '住宿和餐饮业', nameEn: 'Accommodation and catering' },
  { code: 'I', nameZh: '信息传输、软件和信息技术服务业', nameEn: 'Information technology' },
  { code: 'J', nameZh: '金融业', nameEn: 'Finance' },
  { code: 'K', nameZh: '房地产业', nameEn: 'Real estate' },
  { code: 'L', nameZh: '租赁和商务服务业', nameEn: 'Leasing and business services' },
  { code: 'M', nameZh: '科学研究和技术服务业', nameEn: 'Scientific research and technical services' },
  { code: 'N', nameZh: '水利、环境和公共设施管理业', nameEn: 'Water, environment and public facilities' },
  { code: 'O', nameZh: '居民服务、修理和其他服务业', nameEn: 'Residential and other services' },
  { code: 'P', nameZh: '教育', nameEn: 'Education' },
  { code: 'Q', nameZh: '卫生和社会工作', nameEn: 'Health and social work' },
  { code: 'R', nameZh: '文化、体育和娱乐业', nameEn: 'Culture, sports and entertainment' },
  { code: 'S', nameZh: '公共管理、社会保障和社会组织', nameEn: 'Public administration and social organisations' },
  { code: 'T', nameZh: '国际组织', nameEn: 'International organisations' },
] as const;

/** The demo branches' cities (as in demo-bank.ts) with real districts and division codes. */
export const CITY_DISTRICTS: Record<string, readonly (readonly [string, string])[]> = {
  佛山: [
    ['禅城区', '440604'],
    ['南海区', '440605'],
    ['顺德区', '440606'],
    ['三水区', '440607'],
    ['高明区', '440608'],
  ],
  河源: [
    ['源城区', '441602'],
    ['紫金县', '441621'],
    ['龙川县', '441622'],
    ['东源县', '441625'],
  ],
  汕头: [
    ['龙湖区', '440507'],
    ['金平区', '440511'],
    ['潮阳区', '440513'],
    ['澄海区', '440515'],
  ],
  汕尾: [
    ['城区', '441502'],
    ['海丰县', '441521'],
    ['陆丰市', '441581'],
  ],
  肇庆: [
    ['端州区', '441202'],
    ['鼎湖区', '441203'],
    ['四会市', '441284'],
  ],
  江门: [
    ['蓬江区', '440703'],
    ['江海区', '440704'],
    ['新会区', '440705'],
    ['台山市', '440781'],
  ],
  阳江: [
    ['江城区', '441702'],
    ['阳东区', '441704'],
    ['阳春市', '441781'],
  ],
  揭阳: [
    ['榕城区', '445202'],
    ['揭东区', '445203'],
    ['普宁市', '445281'],
  ],
  云浮: [
    ['云城区', '445302'],
    ['云安区', '445303'],
    ['罗定市', '445381'],
  ],
  中山: [['', '442000']],
  湛江: [
    ['赤坎区', '440802'],
    ['霞山区', '440803'],
    ['廉江市', '440881'],
  ],
  茂名: [
    ['茂南区', '440902'],
    ['电白区', '440904'],
    ['高州市', '440981'],
    ['化州市', '440982'],
  ],
  惠州: [
    ['惠城区', '441302'],
    ['惠阳区', '441303'],
    ['博罗县', '441322'],
    ['惠东县', '441323'],
  ],
  梅州: [
    ['梅江区', '441402'],
    ['梅县区', '441403'],
    ['兴宁市', '441481'],
  ],
};

/** Other Guangdong and nearby regions people come from (birthplace codes of ID numbers). */
export const OTHER_REGIONS = ['440103', '440106', '440304', '440305', '440402', '441900', '445102', '450103', '430102', '360102', '350102', '510104'];

export const BRAND_A = [
  '华',
  '粤',
  '恒',
  '金',
  '宏',
  '新',
  '联',
  '富',
  '嘉',
  '永',
  '佳',
  '海',
  '盛',
  '兴',
  '锦',
  '泰',
  '安',
  '康',
  '瑞',
  '德',
  '信',
  '鸿',
  '通',
  '达',
  '明',
  '鑫',
  '荣',
  '益',
  '丰',
  '昌',
  '俊',
  '广',
  '南',
  '远',
  '骏',
];
export const BRAND_B = ['盛', '达', '通', '辉', '科', '创', '华', '禾', '利', '宝', '天', '源', '泰', '隆', '发', '成', '业', '恒', '邦', '宇', '顺', '威', '迅', '力', '美'];

/** Enterprise trades: [word in the name, industry section]. */
export const TRADES: readonly (readonly [string, string, number])[] = [
  ['电器', 'C', 8],
  ['家具', 'C', 6],
  ['陶瓷', 'C', 5],
  ['五金制品', 'C', 5],
  ['机械设备', 'C', 5],
  ['纺织', 'C', 3],
  ['塑料制品', 'C', 3],
  ['电子科技', 'C', 5],
  ['食品', 'C', 4],
  ['服装', 'C', 3],
  ['铝型材', 'C', 3],
  ['化工', 'C', 2],
  ['照明电器', 'C', 3],
  ['商贸', 'F', 6],
  ['贸易', 'F', 5],
  ['百货', 'F', 2],
  ['物流', 'G', 4],
  ['运输', 'G', 2],
  ['信息技术', 'I', 4],
  ['软件', 'I', 2],
  ['建筑工程', 'E', 4],
  ['建设工程', 'E', 2],
  ['农业发展', 'A', 3],
  ['水产养殖', 'A', 2],
  ['生态农业', 'A', 2],
  ['科技发展', 'M', 3],
  ['投资', 'L', 2],
  ['企业管理咨询', 'L', 1],
  ['燃气', 'D', 1],
  ['水务', 'D', 1],
  ['石材', 'B', 1],
  ['餐饮管理', 'H', 2],
  ['文化传播', 'R', 1],
];

export const TITLES = {
  legal_rep: {
    enterprise: '董事长',
    institution: '主任',
    government: '局长',
    financial: '行长',
    school: '校长',
    hospital: '院长',
    scenic: '总经理',
    hotel: '总经理',
    developer: '董事长',
    platform: '董事长',
  },
  executive: ['总经理', '副总经理', '财务总监', '董事会秘书', '总工程师', '副总裁', '运营总监'],
  executivePublic: ['副局长', '副院长', '副校长', '副主任', '党委书记', '纪委书记'],
  middle: ['部门经理', '车间主任', '销售经理', '人力资源经理', '财务经理', '采购经理', '科长', '项目经理', '办公室主任'],
  staff: ['职员', '工程师', '技术员', '会计', '出纳', '业务员', '操作工', '行政专员', '销售代表', '质检员', '医生', '护士', '教师'],
} as const;

/** Products people hold (SPEC §6 product lines): code, name, whether an amount applies. */
export const PRODUCTS: readonly (readonly [string, string, 'amount' | 'count', number])[] = [
  ['DEBIT', '借记卡', 'count', 10],
  ['MBANK', '手机银行', 'count', 8],
  ['PAYROLL', '代发工资', 'amount', 6],
  ['CREDIT', '信用卡', 'count', 5],
  ['WMP', '理财', 'amount', 4],
  ['FUND', '基金', 'amount', 3],
  ['INS', '保险', 'amount', 2],
  ['DEPOSIT', '定期存款', 'amount', 3],
  ['MORTGAGE', '个人住房贷款', 'amount', 2],
  ['FX', '个人外汇', 'amount', 1],
  ['GOLD', '贵金属', 'amount', 1],
  ['PENSION', '个人养老金', 'amount', 1],
];

/** VIP tiers by AUM in 元 (the admission standards proper are configuration, SPEC §5). */
export const VIP_TIERS: readonly (readonly [string, number])[] = [
  ['私人银行', 6_000_000],
  ['钻石', 1_000_000],
  ['白金', 500_000],
  ['金卡', 50_000],
];
