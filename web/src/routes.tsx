import {
  ApartmentOutlined,
  AuditOutlined,
  CalendarOutlined,
  CloudUploadOutlined,
  BankOutlined,
  DashboardOutlined,
  FileTextOutlined,
  FundOutlined,
  GlobalOutlined,
  OrderedListOutlined,
  RocketOutlined,
  SafetyCertificateOutlined,
  SettingOutlined,
  ShopOutlined,
  TeamOutlined,
  TrophyOutlined,
} from '@ant-design/icons';
import type { ReactNode } from 'react';
import type { AccessKey } from './access';
import type { MessageKey } from './locales';

export interface MenuRoute {
  path: string;
  name: MessageKey;
  icon: ReactNode;
  /** Shown only with this access flag. */
  access?: AccessKey;
  /** A menu group: shown when any child is. */
  children?: MenuRoute[];
}

/** The left menu, in the order a bank's admin works. */
export const MENU: MenuRoute[] = [
  { path: '/overview', name: 'menu.overview', icon: <DashboardOutlined /> },
  { path: '/org', name: 'menu.org', icon: <ApartmentOutlined />, access: 'canReadOrg' },
  { path: '/staff', name: 'menu.staff', icon: <TeamOutlined />, access: 'canReadStaff' },
  {
    path: '/customers',
    name: 'menu.customers',
    icon: <BankOutlined />,
    children: [
      { path: '/customers/companies', name: 'menu.companies', icon: null, access: 'canReadCustomers' },
      { path: '/customers/people', name: 'menu.people', icon: null, access: 'canReadCustomers' },
    ],
  },
  {
    path: '/targets',
    name: 'menu.targets',
    icon: <OrderedListOutlined />,
    children: [
      { path: '/targets/nominate', name: 'menu.targetNominate', icon: null, access: 'canNominate' },
      { path: '/targets/review', name: 'menu.targetReview', icon: null, access: 'canReview' },
      { path: '/targets/versions', name: 'menu.targetVersions', icon: null, access: 'canReadCustomers' },
      { path: '/targets/criteria', name: 'menu.targetCriteria', icon: null, access: 'canReadCustomers' },
    ],
  },
  {
    path: '/marketing',
    name: 'menu.marketing',
    icon: <RocketOutlined />,
    children: [
      { path: '/projects', name: 'menu.projects', icon: null, access: 'canReadProjects' },
      { path: '/leads', name: 'menu.leads', icon: null, access: 'canReadLeads' },
      { path: '/handovers', name: 'menu.handovers', icon: null, access: 'canReadProjects' },
      { path: '/vip', name: 'menu.vip', icon: null, access: 'canReadVip' },
    ],
  },
  {
    path: '/interbank',
    name: 'menu.interbank',
    icon: <GlobalOutlined />,
    children: [
      { path: '/interbank/registry', name: 'menu.fiRegistry', icon: null, access: 'canReadInterbank' },
      { path: '/interbank/signings', name: 'menu.fiSignings', icon: null, access: 'canReadInterbank' },
      { path: '/interbank/prospects', name: 'menu.fiProspects', icon: null, access: 'canReadInterbank' },
      { path: '/interbank/visits', name: 'menu.fiVisits', icon: null, access: 'canReadInterbank' },
      { path: '/interbank/landings', name: 'menu.fiLandings', icon: null, access: 'canReadInterbank' },
      { path: '/interbank/pools', name: 'menu.fiPools', icon: null, access: 'canReadInterbank' },
      { path: '/interbank/coverage', name: 'menu.ibCoverage', icon: null, access: 'canReadInterbank' },
      { path: '/interbank/briefing', name: 'menu.ibBriefing', icon: null, access: 'canReadInterbank' },
      { path: '/interbank/rankings', name: 'menu.ibRankings', icon: null, access: 'canReadInterbank' },
      { path: '/interbank/supervision', name: 'menu.ibSupervision', icon: null, access: 'canReadInterbank' },
      { path: '/interbank/plans', name: 'menu.ibPlans', icon: null, access: 'canReadInterbank' },
    ],
  },
  {
    // 普惠金融 (SPEC §12): whitelists, supply-chain credit, post-loan warning, branch performance.
    path: '/inclusive',
    name: 'menu.inclusive',
    icon: <ShopOutlined />,
    children: [
      { path: '/inclusive/whitelists', name: 'menu.wlBatches', icon: null, access: 'canReadWhitelists' },
      { path: '/inclusive/my-clients', name: 'menu.wlMine', icon: null, access: 'canWorkWhitelists' },
      { path: '/warnings', name: 'menu.warnings', icon: null, access: 'canReadWarnings' },
      { path: '/warnings/status', name: 'menu.warningStatus', icon: null, access: 'canReadWarnings' },
      { path: '/supplychain', name: 'menu.supplychain', icon: null, access: 'canReadSupplyChain' },
      { path: '/inclusive/performance', name: 'menu.perfOutlets', icon: null, access: 'canReadPerformance' },
      { path: '/inclusive/groups', name: 'menu.perfGroups', icon: null, access: 'canReadPerformance' },
      { path: '/inclusive/visits', name: 'menu.perfVisits', icon: null, access: 'canReadPerformance' },
    ],
  },
  {
    path: '/scoring',
    name: 'menu.scoring',
    icon: <TrophyOutlined />,
    children: [
      { path: '/products', name: 'menu.products', icon: null, access: 'canReadProducts' },
      { path: '/developments', name: 'menu.developments', icon: null, access: 'canReadSales' },
      { path: '/sales', name: 'menu.sales', icon: null },
      { path: '/statements', name: 'menu.statements', icon: null, access: 'canReadStatements' },
    ],
  },
  { path: '/reports', name: 'menu.reports', icon: <FileTextOutlined />, access: 'canReadReports' },
  {
    path: '/month',
    name: 'menu.month',
    icon: <CalendarOutlined />,
    children: [
      { path: '/periods', name: 'menu.periods', icon: null, access: 'canReadPeriods' },
      { path: '/notices', name: 'menu.notices', icon: null },
      { path: '/objections', name: 'menu.objections', icon: null },
      { path: '/notifications', name: 'menu.notifications', icon: null },
    ],
  },
  {
    path: '/performance',
    name: 'assessment.menuGroup',
    icon: <FundOutlined />,
    children: [
      { path: '/quotas', name: 'quota.menu', icon: null, access: 'canReadQuotas' },
      { path: '/dashboards', name: 'dashboard.menu', icon: null, access: 'canReadDashboards' },
      { path: '/assessment', name: 'assessment.menu', icon: null, access: 'canReadAssessment' },
    ],
  },
  { path: '/imports', name: 'menu.imports', icon: <CloudUploadOutlined />, access: 'canImport' },
  { path: '/audit', name: 'menu.audit', icon: <AuditOutlined />, access: 'canReadAudit' },
  { path: '/settings', name: 'menu.settings', icon: <SettingOutlined />, access: 'canReadSettings' },
  { path: '/roles', name: 'menu.roles', icon: <SafetyCertificateOutlined />, access: 'canReadSettings' },
];
