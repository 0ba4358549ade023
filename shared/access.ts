/**
 * Permissions and the default roles of SPEC §1. Roles live in the database (a bank may edit
 * them); these are the defaults the seed writes and the catalogue the API accepts.
 */
export const PERMISSIONS = [
  'org.read',
  'org.write',
  'staff.read',
  'staff.write',
  'staff.reset_password',
  'role.assign',
  'committee.write',
  'audit.read',
  'settings.read',
  'settings.write',
  // Customers and the target list (SPEC §2, §3)
  'customer.read',
  'customer.write',
  /** See a full ID or phone number, with a stated reason (audited). */
  'customer.reveal',
  'target.nominate',
  'target.review',
  'target.configure',
  // Products, developments and cross-sales (SPEC §6–§8)
  'product.read',
  /** The catalogue and unit scores are bank-wide: held at province level or above. */
  'product.write',
  'development.write',
  'sale.read',
  'sale.write',
  // Scoring and statements (SPEC §7–§9)
  /** Read a branch's monthly statement, its drill-downs and a sale's split (scoped by branch). */
  'statement.read',
  /** Change the bank-wide split rule (20/80) and re-score a period. */
  'scoring.configure',
] as const;
export type Permission = (typeof PERMISSIONS)[number];

/** What a route demands: nothing, a signed-in person, or one permission. */
export type Access = 'public' | 'authenticated' | Permission;

export interface RoleDefinition {
  code: string;
  zh: string;
  en: string;
  permissions: Permission[];
}

export const DEFAULT_ROLES: RoleDefinition[] = [
  { code: 'admin', zh: '系统管理员', en: 'Administrator', permissions: [...PERMISSIONS] },
  {
    code: 'committee_chair',
    zh: '交叉营销管理委员会主任/副主任',
    en: 'Committee chair / vice-chair',
    permissions: ['org.read', 'staff.read', 'committee.write', 'audit.read', 'settings.read', 'customer.read', 'target.review', 'target.configure', 'product.read', 'sale.read', 'statement.read', 'scoring.configure'],
  },
  {
    code: 'committee_member',
    zh: '交叉营销管理委员会委员',
    en: 'Committee member',
    permissions: ['org.read', 'staff.read', 'settings.read', 'customer.read', 'target.review', 'product.read', 'product.write', 'development.write', 'sale.read', 'statement.read'],
  },
  {
    code: 'corporate_am',
    zh: '对公客户经理',
    en: 'Corporate account manager',
    permissions: ['org.read', 'customer.read', 'customer.write', 'customer.reveal', 'target.nominate', 'product.read', 'development.write', 'sale.read', 'sale.write'],
  },
  {
    code: 'personal_am',
    zh: '个人客户经理/产品经理',
    en: 'Personal account / product manager',
    permissions: ['org.read', 'customer.read', 'customer.write', 'customer.reveal', 'product.read', 'sale.read', 'sale.write'],
  },
  { code: 'outlet_manager', zh: '网点负责人', en: 'Outlet manager', permissions: ['org.read', 'staff.read', 'customer.read', 'product.read', 'sale.read'] },
  {
    code: 'hr',
    zh: '人力资源',
    en: 'Human resources',
    permissions: ['org.read', 'staff.read', 'staff.write', 'staff.reset_password', 'settings.read', 'product.read', 'statement.read'],
  },
  { code: 'finance', zh: '财务会计', en: 'Finance', permissions: ['org.read', 'staff.read', 'settings.read', 'product.read', 'sale.read', 'statement.read'] },
  { code: 'compliance', zh: '内控合规审计', en: 'Compliance auditor', permissions: ['org.read', 'staff.read', 'audit.read', 'settings.read', 'customer.read', 'customer.reveal', 'product.read', 'sale.read', 'statement.read'] },
  { code: 'staff', zh: '普通员工', en: 'Staff', permissions: ['org.read', 'product.read'] },
];

export const ORG_LEVEL_LABELS = {
  head: { zh: '总行', en: 'Head office' },
  province: { zh: '省分行', en: 'Provincial branch' },
  branch: { zh: '二级分行', en: 'Tier-2 branch' },
  subbranch: { zh: '支行', en: 'Sub-branch' },
  outlet: { zh: '网点', en: 'Outlet' },
} as const;
