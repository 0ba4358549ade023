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
  // The month's life (SPEC §9): publication, objections, audit, approval
  /** Publish a branch's month (公示) and submit it to the committee: the committee office. */
  'period.publish',
  /** Draw the spot check, mark sampled sales, close the audit: internal control & compliance. */
  'period.audit',
  /** Approve (and so lock) the month: committee chair / vice-chairs. */
  'period.approve',
  /** Raise an objection (异议) on a published statement line: every member of staff. */
  'objection.raise',
  /** Answer objections, correcting a sale when one is upheld: the committee office. */
  'objection.answer',
  // Quotas, dashboards and the year-end assessment (SPEC §10, Art. 16–18, 22, 23)
  /** Draft next year's quotas (营销任务) and the retail line targets: the committee office. */
  'quota.write',
  /** Approve a branch's quota plan (four-eyes: not its last editor): committee chair. */
  'quota.approve',
  /** Run the year-end assessment and record the payout: HR (Art. 22). */
  'assessment.run',
  /** Approve an assessment run (four-eyes: not the person who ran it): committee chair (Art. 23). */
  'assessment.approve',
  /** Read assessment runs, their payout workbook and the award rules; what-if (writes nothing). */
  'assessment.read',
  /** Completion, rankings and trends of the branches in scope (销售PK): everyone. */
  'dashboard.read',
  // Front-line marketing (SPEC §4, issue 13)
  /** Read the leads (商机) of the branches in scope and their handling rate. */
  'lead.read',
  /** Hold leads: take them from the pool, move them through stages, win them into a sale. */
  'lead.work',
  /** Assign and reassign a branch's leads and set account managers' capacities. */
  'lead.manage',
  /** Read a branch's marketing projects (营销项目), their boards, activities and phase goals. */
  'project.read',
  /** Work a project as its team: plan activities, invite, check in, write plans, hand over clients. */
  'project.work',
  /** Set phase goals and form or change project teams: the committee office. */
  'project.manage',
  // VIP identification (SPEC §5, Art. 15)
  /** Read VIP tiers, screening results, registrations and the 临界 list of the branches in scope. */
  'vip.read',
  /** Screen people reached by projects, register VIPs, sign them, assign AMs, set AM grades. */
  'vip.manage',
  /** Configure the admission tiers (bank-wide: held at the root). */
  'vip.configure',
  // The inter-bank cooperation platform drive (SPEC §11, issue 14)
  /** Read the registry, signings, coverage, briefings and pools of the branches in scope. */
  'interbank.read',
  /** Keep a branch's own jurisdiction: institutions, signings, pipeline, visits, landings, weekly submissions. */
  'interbank.manage',
  /** Caliber, steps, plans and their adjustment, pools, snapshots, briefing text (held at province level or the root). */
  'interbank.configure',
  // The reporting calendar (SPEC §13, issue 16)
  /** Read the report catalogue and the issues of the branches in scope (each branch sees its own subtree's lines). */
  'report.read',
  /** Re-run an issue (a new version with a reason) and import the external feeds: the committee office. */
  'report.manage',
  // The supply-chain credit programme (SPEC §12, seed 002)
  /** Read the supply-chain programmes of the branches in scope: clients, cross-check, limits, draws, NPL. */
  'supplychain.read',
  /** Keep a branch's programmes: set up, import lists and feeds, admit, draw, request a reassessment. */
  'supplychain.manage',
  /** Approve or reject a suspended programme's reassessment (never the requester's own). */
  'supplychain.approve',
  // Inclusive-finance whitelists (SPEC §12, seed 002)
  /** Read the whitelist batches, distribution and progress of the outlets in scope. */
  'whitelist.read',
  /** Work "my whitelist clients": record contacts and move their status. */
  'whitelist.work',
  /** Import batches, distribute to outlets and staff, re-balance, match departments, export campaign lists, print letters. */
  'whitelist.manage',
  // Inclusive-finance branch performance (SPEC §12, seed 002)
  /** Read outlet and person performance, the sub-branch groups, quarterly results and 蹲点 visits in scope. */
  'performance.read',
  /** Plan and record 蹲点 visits and keep their follow-up actions (outlets in scope). */
  'performance.manage',
  /** Set sub-branch groups in scope; the measure and the quarterly run need it at province level. */
  'performance.configure',
  // Post-loan early warning (SPEC §12, seed 002)
  /** Read the warnings of the clients in scope (and those one receives) and their handling status. */
  'warning.read',
  /** Handle a warning one receives or whose client is in scope: acknowledge, visit, close, escalate. */
  'warning.handle',
  /** Receive escalated warnings of the sub-branch or branch one leads. */
  'warning.lead',
  /** Indicators, escalation steps, data feeds and guarantees, evaluation runs (held at province level or the root). */
  'warning.configure',
] as const;
export type Permission = (typeof PERMISSIONS)[number];

/**
 * What a route demands: nothing, a signed-in person, or one permission — or, for the operator
 * endpoints the CLI uses while the server holds the database, `local-admin`: the token the server
 * wrote beside its data directory, from this machine (server/modules/admin/admin.token.ts).
 */
export type Access = 'public' | 'authenticated' | 'local-admin' | Permission;

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
    permissions: [
      'org.read',
      'staff.read',
      'committee.write',
      'audit.read',
      'settings.read',
      'customer.read',
      'target.review',
      'target.configure',
      'product.read',
      'sale.read',
      'statement.read',
      'scoring.configure',
      'period.approve',
      'objection.raise',
      'quota.approve',
      'assessment.approve',
      'assessment.read',
      'dashboard.read',
      'report.read',
      'lead.read',
      'project.read',
      'vip.read',
      'vip.configure',
      'interbank.read',
      'supplychain.read',
      'supplychain.approve',
      'performance.read',
      'warning.read',
      'warning.lead',
    ],
  },
  {
    code: 'committee_member',
    zh: '交叉营销管理委员会委员',
    en: 'Committee member',
    permissions: [
      'org.read',
      'staff.read',
      'settings.read',
      'customer.read',
      'target.review',
      'product.read',
      'product.write',
      'development.write',
      'sale.read',
      'statement.read',
      'period.publish',
      'objection.answer',
      'objection.raise',
      'quota.write',
      'assessment.read',
      'dashboard.read',
      'report.read',
      'lead.read',
      'lead.manage',
      'project.read',
      'project.manage',
      'vip.read',
      'interbank.read',
      'supplychain.read',
      'interbank.configure',
      'report.manage',
      'whitelist.read',
      'whitelist.work',
      'whitelist.manage',
      'performance.read',
      'performance.manage',
      'warning.read',
      'warning.configure',
    ],
  },
  {
    code: 'interbank_officer',
    zh: '同业合作联动负责人',
    en: 'Inter-bank linkage officer',
    permissions: ['org.read', 'staff.read', 'customer.read', 'interbank.read', 'interbank.manage'],
  },
  {
    code: 'corporate_am',
    zh: '对公客户经理',
    en: 'Corporate account manager',
    permissions: [
      'org.read',
      'customer.read',
      'customer.write',
      'customer.reveal',
      'target.nominate',
      'product.read',
      'development.write',
      'sale.read',
      'sale.write',
      'objection.raise',
      'dashboard.read',
      'report.read',
      'lead.read',
      'lead.work',
      'project.read',
      'project.work',
      'supplychain.read',
      'supplychain.manage',
      'whitelist.read',
      'whitelist.work',
      'warning.read',
      'warning.handle',
    ],
  },
  {
    code: 'personal_am',
    zh: '个人客户经理/产品经理',
    en: 'Personal account / product manager',
    permissions: [
      'org.read',
      'customer.read',
      'customer.write',
      'customer.reveal',
      'product.read',
      'sale.read',
      'sale.write',
      'objection.raise',
      'dashboard.read',
      'report.read',
      'lead.read',
      'lead.work',
      'project.read',
      'project.work',
      'vip.read',
      'vip.manage',
      'whitelist.read',
      'whitelist.work',
      'warning.read',
      'warning.handle',
    ],
  },
  {
    code: 'outlet_manager',
    zh: '网点负责人',
    en: 'Outlet manager',
    permissions: [
      'org.read',
      'staff.read',
      'customer.read',
      'product.read',
      'sale.read',
      'objection.raise',
      'dashboard.read',
      'report.read',
      'lead.read',
      'lead.manage',
      'project.read',
      'project.work',
      'vip.read',
      'whitelist.read',
      'whitelist.work',
      'whitelist.manage',
      'performance.read',
      'warning.read',
      'warning.lead',
    ],
  },
  {
    code: 'hr',
    zh: '人力资源',
    en: 'Human resources',
    permissions: [
      'org.read',
      'staff.read',
      'staff.write',
      'staff.reset_password',
      'settings.read',
      'product.read',
      'statement.read',
      'objection.raise',
      'assessment.run',
      'assessment.read',
      'dashboard.read',
      'report.read',
    ],
  },
  {
    code: 'finance',
    zh: '财务会计',
    en: 'Finance',
    permissions: ['org.read', 'staff.read', 'settings.read', 'product.read', 'sale.read', 'statement.read', 'objection.raise', 'assessment.read', 'dashboard.read', 'report.read'],
  },
  {
    code: 'compliance',
    zh: '内控合规审计',
    en: 'Compliance auditor',
    permissions: [
      'org.read',
      'staff.read',
      'audit.read',
      'settings.read',
      'customer.read',
      'customer.reveal',
      'product.read',
      'sale.read',
      'statement.read',
      'period.audit',
      'objection.raise',
      'assessment.read',
      'dashboard.read',
      'report.read',
    ],
  },
  { code: 'staff', zh: '普通员工', en: 'Staff', permissions: ['org.read', 'product.read', 'objection.raise', 'dashboard.read', 'report.read', 'whitelist.work'] },
];

export const ORG_LEVEL_LABELS = {
  head: { zh: '总行', en: 'Head office' },
  province: { zh: '省分行', en: 'Provincial branch' },
  branch: { zh: '二级分行', en: 'Tier-2 branch' },
  subbranch: { zh: '支行', en: 'Sub-branch' },
  outlet: { zh: '网点', en: 'Outlet' },
} as const;
