import type { Cadence, DueRule } from './cadence.rules.js';

/**
 * The reporting calendar's catalogue (SPEC §13; seed 004 section 三 “2023年个人金融业务考核通报体系”,
 * 41 briefings; issue 16): every report the bank's personal-finance line issues, with its Chinese
 * name as the seed writes it, its category and cadence, when an issue is due, and where its data
 * come from — the system's own data (`own`, through a named view) or a feed the system does not
 * own (`feed`: core banking deposits, fund sales, device uptime, survey scores …, imported per
 * report). This is the first start's catalogue; definitions are then versioned in the database.
 */
export const REPORT_CATEGORIES = {
  marketing: { zh: '营销及综合类', en: 'Marketing and overall' },
  customers: { zh: '客户经营与管理', en: 'Customer management' },
  products: { zh: '产品', en: 'Products' },
  basics: { zh: '基础管理', en: 'Basic management' },
  channels: { zh: '渠道建设', en: 'Channels' },
} as const;
export type ReportCategory = keyof typeof REPORT_CATEGORIES;

/** Data the system owns, each to be served by a named, tested SQL view. */
export const OWN_SOURCES = ['sales', 'points', 'completion', 'leads', 'projects', 'vip', 'assessment', 'coverage', 'whitelist', 'warnings'] as const;
export type OwnSource = (typeof OWN_SOURCES)[number];

export type ReportSource = { kind: 'own'; source: OwnSource } | { kind: 'feed'; feed: string };

export interface ReportDefinition {
  code: string;
  nameZh: string;
  nameEn: string;
  category: ReportCategory;
  cadence: Cadence;
  /** Due after the period ends; absent for ad hoc reports. */
  due?: DueRule;
  ownerDept: string;
  source: ReportSource;
}

/** The default due rules: daily by 10:00 on the next working day; weekly by Monday 17:00; 旬 and monthly by the 3rd working day; quarterly by the 10th. */
export const DEFAULT_DUE: Record<Exclude<Cadence, 'ad_hoc'>, DueRule> = {
  daily: { afterWorkingDays: 1, time: '10:00' },
  weekly: { afterWorkingDays: 1, time: '17:00' },
  ten_day: { afterWorkingDays: 3, time: '17:00' },
  monthly: { afterWorkingDays: 3, time: '17:00' },
  quarterly: { afterWorkingDays: 10, time: '17:00' },
  twice_quarterly: { afterWorkingDays: 5, time: '17:00' },
};

const PF = '个人金融部';
const own = (source: OwnSource): ReportSource => ({ kind: 'own', source });
const feed = (name: string): ReportSource => ({ kind: 'feed', feed: name });

function def(code: string, nameZh: string, nameEn: string, category: ReportCategory, cadence: Cadence, source: ReportSource): ReportDefinition {
  return { code, nameZh, nameEn, category, cadence, ...(cadence === 'ad_hoc' ? {} : { due: DEFAULT_DUE[cadence] }), ownerDept: PF, source };
}

export const REPORT_CATALOGUE: readonly ReportDefinition[] = [
  // 营销及综合类 (7)
  def('MKT-PEAK-SYS-W', '个人金融营销服务系统旺季营销使用状况周报', 'Marketing system use in the peak season (weekly)', 'marketing', 'weekly', own('leads')),
  def('MKT-SYS-USE-M', '个人金融营销服务系统使用状况的通报', 'Marketing system use', 'marketing', 'monthly', own('leads')),
  def('MKT-RUN-ANALYSIS-M', '个人金融业务运行状况分析', 'Personal finance business analysis', 'marketing', 'monthly', own('sales')),
  def('MKT-BRANCH-ASSESS-Q', '二级分行个人金融条线经营与管理综合考核通报', 'Tier-2 branch comprehensive assessment', 'marketing', 'quarterly', own('assessment')),
  def('MKT-OUTLET-GRADE-Q', '营业网点个人金融业务综合竞争能力等级管理考核通报', 'Outlet competitiveness grading', 'marketing', 'quarterly', own('points')),
  def('MKT-OUTLET-PRODUCT-M', '营业网点个人金融产品经营能力(重点网点)考核通报', 'Key outlets’ product capability', 'marketing', 'monthly', own('sales')),
  def('MKT-BENCHMARK-Q', '二级分行个人金融业务标杆管理考核通报', 'Tier-2 branch benchmark management', 'marketing', 'quarterly', own('completion')),
  // 客户经营与管理 (8)
  def('CUS-AM-DAILY-D', '个人客户经理营销作业系统每日数据通报', 'Account managers’ marketing system, daily', 'customers', 'daily', own('leads')),
  def('CUS-VIP-WINDOW-D', '100家标准化理财中心VIP窗口柜员监控状况通报', 'VIP window tellers at 100 wealth centres', 'customers', 'daily', feed('vip-window-monitor')),
  def('CUS-PEAK-PROGRESS-D', '旺季营销活动目标完成进度状况通报', 'Peak-season campaign progress', 'customers', 'daily', own('completion')),
  def('CUS-WEEKLY-DYNAMICS-W', '客户经营状况每周动态', 'Customer management, weekly', 'customers', 'weekly', own('projects')),
  def('CUS-VIP-RUN-M', '个人VIP客户业务运行状况通报', 'VIP client operation', 'customers', 'monthly', own('vip')),
  def('CUS-WEALTH-CENTRE-M', '100家标准化理财中心非现场验收数据通报', 'Wealth centres’ off-site acceptance data', 'customers', 'monthly', feed('wealth-centre-acceptance')),
  def('CUS-CLIENT-MGMT-Q', '个人客户经营管理考核通报', 'Personal client management assessment', 'customers', 'quarterly', own('vip')),
  def('CUS-ACRM-Q', 'ACRM系统全量客户数据分析通报', 'ACRM full client data analysis', 'customers', 'quarterly', feed('acrm-clients')),
  // 产品 (15)
  def('PRD-WMP-D', '开放型理财产品销售每日通报', 'Open-ended wealth products, daily sales', 'products', 'daily', own('sales')),
  def('PRD-FUND-D', '主代销基金销售每日通报表', 'Fund sales, daily', 'products', 'daily', feed('fund-sales')),
  def('PRD-SALES-D', '个人金融业务产品销售日通报表', 'Product sales, daily', 'products', 'daily', own('sales')),
  def('PRD-PEAK-D', '旺季营销每日通报', 'Peak-season marketing, daily', 'products', 'daily', own('completion')),
  def('PRD-DEBIT-MIGRATION-W', '个人活期存折向借记卡迁移转换和借记卡动户率提高周通报', 'Passbook-to-debit-card migration and card activity', 'products', 'weekly', feed('debit-card-activity')),
  def('PRD-FX-W', '个人外汇业务周报', 'Personal FX business, weekly', 'products', 'weekly', feed('personal-fx')),
  def('PRD-DEPOSIT-NEW-T', '个人储蓄存款新增系统内统计表', 'New personal deposits within the system', 'products', 'ten_day', feed('personal-deposits')),
  def('PRD-FOUR-BANKS-T', '地区同业四行个人存款通报表', 'Regional four-bank personal deposit comparison', 'products', 'ten_day', feed('four-bank-deposits')),
  def('PRD-PORTAL-M', '全区零售网点销售门户系统推广应用状况通报', 'Retail outlet sales portal adoption', 'products', 'monthly', feed('sales-portal-usage')),
  def('PRD-PERF-5P1-Q', '个人金融业务产品经营业绩考核(5+1)', 'Product performance assessment (5+1)', 'products', 'quarterly', own('points')),
  def('PRD-MARKET-COMP-Q', '个人金融业务市场竞争能力评价分析', 'Market competitiveness analysis', 'products', 'quarterly', feed('market-share')),
  def('PRD-BREAKEVEN-Q', '个人金融业务盈亏平衡分析', 'Break-even analysis', 'products', 'quarterly', feed('profitability')),
  def('PRD-CONTRIBUTION-Q', '个人金融业务产品贡献度分析', 'Product contribution analysis', 'products', 'quarterly', own('sales')),
  def('PRD-KEY-PRODUCTS-A', '重点理财产品、国债、基金销售跟踪通报', 'Key wealth products, bonds and funds tracking', 'products', 'ad_hoc', own('sales')),
  def('PRD-CAMPAIGN-A', '阶段性营销活动通报', 'Campaign briefing', 'products', 'ad_hoc', own('projects')),
  // 基础管理 (7)
  def('BAS-SERVICE-TRANSFORM-M', '全区服务暨网点转型效能考核通报', 'Service and outlet transformation', 'basics', 'monthly', feed('outlet-transformation')),
  def('BAS-STAR-OUTLETS-M', '星级服务网点创建状况通报', 'Star-rated outlets', 'basics', 'monthly', feed('star-outlets')),
  def('BAS-RECEPTION-DAY-M', '“客户接待日”通报', 'Client reception day', 'basics', 'monthly', feed('reception-day')),
  def('BAS-MEASURES-M', '基础管理系列措施实施状况通报', 'Basic management measures', 'basics', 'monthly', feed('basic-measures')),
  def('BAS-ASSESS-M', '基础管理考核状况通报(月/季)', 'Basic management assessment (monthly/quarterly)', 'basics', 'monthly', feed('basic-assessment')),
  def('BAS-SERVICE-SURVEY-H', '全区服务质量调查通报', 'Service quality survey', 'basics', 'twice_quarterly', feed('service-survey')),
  def('BAS-TELLER-LEAD-Q', '柜员主管考核结果评价', 'Teller supervisors’ assessment', 'basics', 'quarterly', feed('teller-supervisors')),
  // 渠道建设 (4)
  def('CHN-DEVICE-UPTIME-D', '自助设备开机率和账务性交易量日通报', 'Self-service device uptime and transactions, daily', 'channels', 'daily', feed('device-uptime')),
  def('CHN-OUTLET-BUILD-W', '网点建设工作周报', 'Outlet construction, weekly', 'channels', 'weekly', feed('outlet-construction')),
  def('CHN-SELF-SERVICE-M', '自助业务经营管理考核评价月通报', 'Self-service business assessment, monthly', 'channels', 'monthly', feed('self-service')),
  def('CHN-SELF-SERVICE-Q', '自助业务经营管理考核评价季通报', 'Self-service business assessment, quarterly', 'channels', 'quarterly', feed('self-service')),
];
