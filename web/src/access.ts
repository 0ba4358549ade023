import type { Me } from './api/types';

/**
 * What the signed-in person may see and do, from their permissions (ant-design-pro's access.ts).
 * The server enforces the same rules; this only hides what would be refused.
 */
export function accessOf(me: Me | null | undefined) {
  const has = (p: string) => !!me?.permissions.includes(p);
  /** Held at province level or above: bank-wide configuration (the server refuses branch holders). */
  const bankWide = (p: string) => !!me?.bankWide?.includes(p);
  return {
    canReadOrg: has('org.read'),
    canWriteOrg: has('org.write'),
    canReadStaff: has('staff.read'),
    canWriteStaff: has('staff.write'),
    canResetPassword: has('staff.reset_password'),
    canAssignRoles: has('role.assign'),
    canWriteCommittee: has('committee.write'),
    canReadAudit: has('audit.read'),
    canReadSettings: has('settings.read'),
    /** Settings and roles apply to the whole bank: a branch administrator reads them only. */
    canWriteSettings: bankWide('settings.write'),
    /** Imports write org, staff or client data, batch nominations, leads or project teams, activities and attendees (the import page lists the kinds one may use). */
    canImport:
      has('org.write') ||
      has('staff.write') ||
      has('customer.write') ||
      has('target.nominate') ||
      has('sale.write') ||
      has('quota.write') ||
      has('lead.manage') ||
      has('project.manage') ||
      has('project.work') ||
      has('interbank.manage') ||
      has('whitelist.manage'),
    // Customers and the target list (SPEC §2, §3)
    canReadCustomers: has('customer.read'),
    canWriteCustomers: has('customer.write'),
    /** See a full ID or phone number, with a stated reason (audited). */
    canRevealCustomers: has('customer.reveal'),
    canNominate: has('target.nominate'),
    canReview: has('target.review'),
    /** The Article 9 criteria are bank-wide configuration. */
    canConfigureTargets: bankWide('target.configure'),
    // Products, developments, cross-sales and statements (SPEC §6–§9)
    canReadProducts: has('product.read'),
    /** The catalogue is bank-wide: product.write must be held at province level or above. */
    canWriteProducts: bankWide('product.write'),
    canWriteDevelopments: has('development.write'),
    canReadSales: has('sale.read'),
    // 商机 (SPEC §4, issue 13)
    canReadLeads: has('lead.read') || has('lead.work'),
    canWorkLeads: has('lead.work'),
    canManageLeads: has('lead.manage'),
    // 营销项目 (SPEC §4, issue 13)
    canReadProjects: has('project.read') || has('project.work'),
    canWorkProjects: has('project.work'),
    canManageProjects: has('project.manage'),
    canReadLeadRate: has('lead.read'),
    // 贵宾客户识别 (SPEC §5): tiers are bank-wide (vip.configure at the root)
    canReadVip: has('vip.read'),
    canManageVip: has('vip.manage'),
    canConfigureVip: bankWide('vip.configure'),
    // 同业合作平台 (SPEC §11): a branch keeps its own jurisdiction; pools, caliber, plans, snapshots and the briefing text are province-level
    canReadInterbank: has('interbank.read'),
    canManageInterbank: has('interbank.manage'),
    canConfigureInterbank: bankWide('interbank.configure'),
    // 供应链金融 (SPEC §12): a branch keeps its programmes; reopening a suspended one needs a second person
    canReadSupplyChain: has('supplychain.read'),
    canManageSupplyChain: has('supplychain.manage'),
    canApproveSupplyChain: has('supplychain.approve'),
    // 普惠金融网点业绩 (SPEC §12): groups in scope; the measure and the quarterly run are province-level
    canReadPerformance: has('performance.read'),
    canManagePerformance: has('performance.manage'),
    canConfigurePerformance: has('performance.configure'),
    canRunPerformance: bankWide('performance.configure'),
    // 经营快贷白名单 (SPEC §12): outlets see their own, branches their subtree
    canReadWhitelists: has('whitelist.read'),
    canWorkWhitelists: has('whitelist.work'),
    canManageWhitelists: has('whitelist.manage'),
    // 报表与通报 (SPEC §13): re-running an issue is bank-wide (report.manage at province level or the root)
    canReadReports: has('report.read'),
    canManageReports: bankWide('report.manage'),
    // 贷后监测预警 (SPEC §12): AMs handle what they receive; indicators and feeds are bank-wide
    canReadWarnings: has('warning.read'),
    canHandleWarnings: has('warning.handle'),
    canConfigureWarnings: bankWide('warning.configure'),
    canImportSales: has('sale.write'),
    canReadStatements: has('statement.read'),
    canConfigureScoring: has('scoring.configure'),
    /** The split rule (SPEC §7) is bank-wide: scoring.configure held at province level or above. */
    canAddSplitRule: bankWide('scoring.configure'),
    // The month's life (SPEC §9): publication, objections, spot check, approval
    /** Publish a branch's month (公示) and submit it to the committee: the committee office. */
    canPublishPeriod: has('period.publish'),
    /** Draw the spot check, mark sampled sales, complete the audit: internal control & compliance. */
    canAuditPeriod: has('period.audit'),
    /** Approve and so lock the month: committee chair / vice-chairs. */
    canApprovePeriod: has('period.approve'),
    /** The month-by-month table of branches (its API reads with statement.read). */
    canReadPeriods: has('statement.read'),
    /** Raise an objection on a published line: every member of staff. */
    canRaiseObjection: has('objection.raise'),
    /** Answer objections (and correct a sale when upheld): the committee office. */
    canAnswerObjection: has('objection.answer'),
    // Quotas, dashboards and the year-end assessment (SPEC §10, Art. 16–18, 22, 23)
    /** Read a branch's quotas and the boards: everyone (dashboard.read). */
    canReadQuotas: has('dashboard.read'),
    /** Draft quotas and line targets, use the 10 % helper, import quotas: the committee office. */
    canWriteQuotas: has('quota.write'),
    /** Approve a branch's quota plan (not its last editor): committee chair. */
    canApproveQuotas: has('quota.approve'),
    canReadDashboards: has('dashboard.read'),
    /** Run the year-end assessment and lock it once paid: HR. */
    canRunAssessment: has('assessment.run'),
    /** Read runs, download the payout workbook, what-if: HR, finance, the committee. */
    canReadAssessment: has('assessment.read'),
    /** Approve a run (not the person who ran it): committee chair. */
    canApproveAssessment: has('assessment.approve'),
  };
}

export type Access = ReturnType<typeof accessOf>;
export type AccessKey = keyof Access;
