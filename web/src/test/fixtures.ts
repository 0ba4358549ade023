/**
 * What the API answers in the console tests, typed by the contract (api/contract.ts) and parsed
 * by the server's own response schemas in api/contract.test.ts: a fixture that no longer matches
 * the wire format fails there, not silently in a page test.
 */
import type { AssessmentResult, WhatIf } from '../api/assessment';
import type { Quota, QuotaPlan } from '../api/quotas';
import type { LedgerEntry, SaleSplit } from '../api/statements';
import type { ProductLine } from '../api/products';
import type { Me } from '../api/types';
import type { Workbench } from '../api/workbench';
import type { Lead } from '../api/leads';
import type { LeadRate } from '../api/contract';

export const pts = (points: string) => ({ points, pointsHundredths: Math.round(Number(points) * 100) });

/** A 100-point sale: host 20 %, one participant 80 % (10 points of it voided), its two people. */
export const split: SaleSplit = {
  id: 7,
  sourceId: 'TX-0007',
  saleDate: '2026-10-12',
  nodeId: 11,
  nodeCode: '4411',
  product: { id: 3, code: 'P-CARD', name: '信用卡', unit: '张', mortgage: false },
  quantity: '1',
  projectId: null,
  developmentId: null,
  total: pts('100.00'),
  voided: pts('10.00'),
  ruleVersion: 'split-2026-01-01',
  departments: [
    { departmentId: 1, code: 'CARD', name: '信用卡部', host: true, ratioBp: null, weight: null, ...pts('20.00'), voided: pts('0.00') },
    { departmentId: 2, code: 'CORP', name: '公司业务部', host: false, ratioBp: 8000, weight: null, ...pts('80.00'), voided: pts('10.00') },
  ],
  people: [
    { staffId: 21, staffNo: 'S021', name: '张三', departmentId: 2, departmentCode: 'CORP', role: '主办', contributionBp: 6000, weight: null, ...pts('48.00'), voided: pts('6.00') },
    { staffId: 22, staffNo: 'S022', name: '李四', departmentId: 2, departmentCode: 'CORP', role: '协办', contributionBp: null, weight: null, ...pts('32.00'), voided: pts('0.00') },
  ],
};

export const entries: LedgerEntry[] = [
  { id: 11, kind: 'allocation', period: '2026-10-01', departmentId: 2, staffId: null, ruleVersion: 'split-2026-01-01', reversesId: null, createdAt: '2026-10-12T08:00:00.000Z', ...pts('80.00') },
  { id: 12, kind: 'reversal', period: '2026-10-01', departmentId: 2, staffId: 21, ruleVersion: 'split-2026-01-01', reversesId: 11, createdAt: '2026-10-13T08:00:00.000Z', ...pts('-48.00') },
];

const yuan = (amount: string) => ({ amount, amountFen: Math.round(Number(amount) * 100) });
const text = (zh: string) => ({ zh, en: zh });

const gateLine = (passed: boolean) => ({
  branchCode: '4411',
  departmentId: 2,
  departmentCode: 'CORP',
  departmentName: '公司业务部',
  productId: 3,
  productCode: 'P-CARD',
  productName: '信用卡',
  unit: '张',
  quota: '100',
  quota1e4: 1_000_000,
  completion: '60',
  completion1e4: 600_000,
  completionBp: 6000,
  passed,
  points: pts('60.00'),
  reason: text(passed ? '完成 60%，达到门槛 50%' : '完成 60%，未达门槛 70%'),
});

const result = (poolYuan: string, gateBp: number, passed: boolean, reward: string): AssessmentResult => ({
  pool: yuan(poolYuan),
  gateBp,
  totals: { points: pts('160.00'), counted: pts(passed ? '160.00' : '100.00'), gated: pts(passed ? '0.00' : '60.00'), reward: yuan(reward), special: yuan('0.00') },
  notes: [],
  gate: [gateLine(passed)],
  departments: [],
  people: [],
  outlets: [],
});

/** Base: pool 80,000 and gate 50 %; what-if: pool 100,000 and gate 70 %, which gates 公司业务部. */
export const answer: WhatIf = {
  nodeId: 11,
  year: 2026,
  base: { source: 'computed', runId: null, result: result('80000.00', 5000, true, '80000.00') },
  whatIf: result('100000.00', 7000, false, '62500.00'),
  departments: [
    {
      branchCode: '4411',
      departmentId: 2,
      code: 'CORP',
      name: '公司业务部',
      baseCounted: pts('160.00'),
      whatIfCounted: pts('100.00'),
      baseReward: yuan('80000.00'),
      whatIfReward: yuan('62500.00'),
      delta: yuan('-17500.00'),
    },
  ],
  written: false,
  trial: true,
  label: { zh: '试算', en: 'Trial' },
  yearOpen: { zh: '2026 年尚有月份未锁定：佛山分行 2026-11（公示中）', en: '2026 still has open months: 佛山分行 2026-11 (published)' },
};

export const plan: QuotaPlan = { nodeId: 11, year: 2026, state: 'draft', approvedVersion: 0, lastEditedBy: null, lastEditedAt: null, approvedBy: null, approvedAt: null, quotas: 1, versions: [] };
export const quota: Quota = {
  id: 1,
  nodeId: 11,
  nodeCode: '4411',
  year: 2026,
  departmentId: 2,
  departmentCode: 'CORP',
  departmentName: '公司业务部',
  productId: 3,
  productCode: 'P-CARD',
  productName: '信用卡',
  lineCode: 'CARD',
  unit: '张',
  staffId: null,
  staffNo: null,
  staffName: null,
  outletNodeId: null,
  outletCode: null,
  outletName: null,
  quantity: '100',
  quantity1e4: 1_000_000,
  source: 'manual',
  note: null,
  updatedBy: null,
  updatedAt: '2026-01-05T08:00:00.000Z',
};

export const me = (permissions: string[]): Me => ({
  staffId: 5,
  staffNo: 'S005',
  name: '王五',
  nodeId: 11,
  nodeName: '佛山分行',
  mustChangePassword: false,
  csrfToken: 'csrf-1',
  permissions,
  bankWide: [],
  grants: [],
});

export const quotaOf = (over: Partial<Quota>): Quota => ({
  id: 1,
  nodeId: 11,
  nodeCode: '4411',
  year: 2026,
  departmentId: 2,
  departmentCode: 'CORP',
  departmentName: '公司业务部',
  productId: 3,
  productCode: 'P-CARD',
  productName: '信用卡',
  lineCode: 'CARD',
  unit: '张',
  staffId: null,
  staffNo: null,
  staffName: null,
  outletNodeId: null,
  outletCode: null,
  outletName: null,
  quantity: '1234.5',
  quantity1e4: 12_345_000,
  source: 'proposal',
  note: null,
  updatedBy: { id: 5, name: '王五' },
  updatedAt: '2026-01-05T08:00:00.000Z',
  ...over,
});

export const quotaItems = [
  quotaOf({}),
  quotaOf({
    id: 2,
    productId: 4,
    productCode: 'P-FUND',
    productName: '基金',
    lineCode: 'WEALTH',
    unit: '万元',
    quantity: '2500000',
    quantity1e4: 25_000_000_000,
    source: 'manual',
    staffId: 21,
    staffNo: 'S021',
    staffName: '张三',
  }),
];
export const lines: { items: ProductLine[] } = {
  items: [
    { code: 'CARD', nameZh: '银行卡', nameEn: 'Cards', retail: true, sort: 1 },
    { code: 'WEALTH', nameZh: '财富', nameEn: 'Wealth', retail: true, sort: 2 },
  ],
};

/** 首页 of an account manager: points this month and year, one sale of the month, ranks, one quota at 62.5 %, one open objection, a failed import. */
export const workbench: Workbench = {
  month: '2026-12',
  year: 2026,
  me: { staffId: 35, staffNo: '44110014', name: '陈雨君', nodeName: '佛山分行', departmentId: 1106, departmentName: '信用卡中心', branchId: 11, branchName: '佛山分行' },
  points: {
    month: pts('4.50'),
    year: pts('20.10'),
    products: [
      { productId: 7, productCode: 'CREDIT', productName: '信用卡', month: pts('4.50'), year: pts('15.60') },
      { productId: 3, productCode: 'DEBIT', productName: '借记卡', month: pts('0.00'), year: pts('4.50') },
    ],
  },
  sales: [{ id: 901, sourceId: 'DEMO-FS202612-0001', saleDate: '2026-12-02', productName: '信用卡', clientName: '王婉君', mine: pts('4.50'), role: '营销人员' }],
  salesTotal: 1,
  rank: { department: { rank: 1, of: 2, name: '信用卡中心' }, branch: { rank: 14, of: 52, name: '佛山分行' } },
  quotas: [
    {
      quotaId: 58,
      departmentId: 1106,
      departmentCode: 'CC',
      departmentName: '信用卡中心',
      productId: 7,
      productCode: 'CREDIT',
      productName: '信用卡',
      lineCode: 'CARD',
      unit: '张',
      staffId: null,
      staffNo: null,
      staffName: null,
      outletNodeId: null,
      outletName: null,
      quota: '16',
      quota1e4: 160000,
      completion: '10',
      completion1e4: 100000,
      sales: 9,
      completionBp: 6250,
      reached50: true,
      reached100: false,
    },
  ],
  objections: [{ id: 77, month: '2026-11', targetKind: 'sale', saleId: 880, reason: '漏记了我的营销人员身份', raisedAt: '2026-12-03T02:00:00.000Z', nodeName: '佛山分行' }],
  todos: [{ kind: 'imports', count: 1, link: '/imports' }],
};

/** 首页 of an administrator: no points, no department quota, to-dos of the month's life. */
export const adminWorkbench: Workbench = {
  ...workbench,
  me: { ...workbench.me, staffId: 19, staffNo: 'admin', name: '温浩强', departmentId: null, departmentName: null },
  points: { month: pts('0.00'), year: pts('0.00'), products: [] },
  sales: [],
  salesTotal: 0,
  rank: { department: null, branch: { rank: 561, of: 567, name: '广东省分行' } },
  quotas: null,
  objections: [],
  todos: [
    { kind: 'objections', count: 3, link: '/objections?status=open' },
    { kind: 'publish', count: 0, link: '/periods' },
    { kind: 'nominations', count: 2, link: '/targets/review' },
  ],
};

/** A lead held by an account manager, 2 days 5 hours before its first reminder (商机, issue 13). */
export const lead: Lead = {
  id: 41,
  nodeId: 11,
  nodeCode: '44100',
  nodeName: '佛山分行',
  departmentId: 1106,
  departmentCode: 'CC',
  departmentName: '信用卡中心',
  ownerStaffId: 35,
  ownerStaffNo: '44110014',
  ownerName: '陈雨君',
  productId: 6,
  productCode: 'CREDIT',
  productName: '信用卡',
  personId: 27,
  companyId: null,
  contactName: '王女士',
  source: 'referral',
  stage: 'new',
  lostReason: null,
  note: '同事转介绍',
  escalationLevel: 0,
  flaggedAt: null,
  saleId: null,
  projectId: null,
  projectName: null,
  activityId: null,
  createdAt: '2026-12-01T02:00:00.000Z',
  touchedAt: '2026-12-01T02:00:00.000Z',
  closedAt: null,
  nextEscalationAt: '2026-12-04T02:00:00.000Z',
};

/** The same kind of lead, returned to the pool by the ladder. */
export const pooledLead: Lead = {
  ...lead,
  id: 42,
  contactName: '李先生',
  ownerStaffId: null,
  ownerStaffNo: null,
  ownerName: null,
  escalationLevel: 3,
  flaggedAt: '2026-12-08T02:00:00.000Z',
  nextEscalationAt: null,
};

export const leadRate: LeadRate = {
  all: { total: 4, handled: 2, won: 1, rateBp: 5000, rate: '50.00' },
  departments: [{ total: 4, handled: 2, won: 1, rateBp: 5000, rate: '50.00', departmentId: 1106, departmentCode: 'CC', departmentName: '信用卡中心', nodeCode: '44100', nodeName: '佛山分行' }],
  people: [{ total: 3, handled: 2, won: 1, rateBp: 6667, rate: '66.67', staffId: 35, staffNo: '44110014', name: '陈雨君', departmentCode: 'CC' }],
};
