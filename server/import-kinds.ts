/**
 * Every importable list, registered with the import framework at the application's edge (the
 * server's buildApp and the CLI call registerAllImportKinds). A new list is defined in its domain
 * as `<domain>.import.ts` and added here; nothing else changes.
 */
import type { AnyImportSpec } from './modules/imports/import-spec.js';
import { registerImportKinds } from './modules/imports/registry.js';
import { companyPeopleSpec } from './modules/customers/company-people.import.js';
import { corporateClientsSpec } from './modules/customers/corporate-clients.import.js';
import { holdingsSpec } from './modules/customers/holdings.import.js';
import { individualsSpec } from './modules/customers/individuals.import.js';
import { developmentFiguresSpec } from './modules/developments/development-figures.import.js';
import { orgNodesSpec } from './modules/org/org-nodes.import.js';
import { productScoresSpec } from './modules/products/product-scores.import.js';
import { productsSpec } from './modules/products/products.import.js';
import { quotasSpec } from './modules/quotas/quotas.import.js';
import { salesSpec } from './modules/sales/sales.import.js';
import { staffSpec } from './modules/staff/staff.import.js';
import { nominationsSpec } from './modules/targets/nominations.import.js';
import { leadsSpec } from './modules/leads/leads.import.js';
import { projectTeamsSpec } from './modules/projects/project-teams.import.js';
import { projectActivitiesSpec } from './modules/projects/project-activities.import.js';
import { activityAttendeesSpec } from './modules/projects/activity-attendees.import.js';
import { vipTiersSpec } from './modules/vip/vip-tiers.import.js';
import { interbankRegistrySpec } from './modules/interbank/registry.import.js';
import { interbankSigningsSpec } from './modules/interbank/signings.import.js';
import { interbankVisitsSpec } from './modules/interbank/visits.import.js';
import { interbankPlansSpec } from './modules/interbank/plans.import.js';
import { fourBankDepositsSpec } from './modules/reports/four-bank-deposits.import.js';
import { scLoansSpec } from './modules/supplychain/loans.import.js';
import { scOrdersSpec } from './modules/supplychain/orders.import.js';
import { scRecommendationsSpec } from './modules/supplychain/recommendations.import.js';
import { whitelistsSpec } from './modules/whitelists/whitelists.import.js';
import { typedFeedSpecs } from './modules/reports/views-feeds.import.js';
import { warningFeedSpec, warningGuaranteesSpec } from './modules/warnings/warnings.import.js';

/** In the order the import page lists them. */
export const IMPORT_KINDS: readonly AnyImportSpec[] = [
  orgNodesSpec,
  staffSpec,
  nominationsSpec,
  corporateClientsSpec,
  individualsSpec,
  companyPeopleSpec,
  holdingsSpec,
  // products & sales
  productsSpec,
  productScoresSpec,
  developmentFiguresSpec,
  salesSpec,
  // quotas (SPEC §10)
  quotasSpec,
  // 商机 (SPEC §4)
  leadsSpec,
  // 营销项目 (SPEC §4): teams, then their activities, then who was invited and came
  projectTeamsSpec,
  projectActivitiesSpec,
  activityAttendeesSpec,
  // 贵宾客户等级标准 (SPEC §5)
  vipTiersSpec,
  // 同业合作平台 (SPEC §11): the registry, then its signings and visits
  interbankRegistrySpec,
  interbankSigningsSpec,
  interbankVisitsSpec,
  // 同业合作平台覆盖计划 (SPEC §11)
  interbankPlansSpec,
  // 通报体系的外部数据 (SPEC §13)
  fourBankDepositsSpec,
  // 供应链金融 (SPEC §12): the enterprise's list, the two order histories, then the loan feed
  scRecommendationsSpec,
  scOrdersSpec,
  scLoansSpec,
  // 经营快贷白名单 (SPEC §12)
  whitelistsSpec,
  ...typedFeedSpecs(),
  // 贷后监测预警 (SPEC §12): the daily feed and the guarantees it travels along
  warningFeedSpec,
  warningGuaranteesSpec,
];

export function registerAllImportKinds(): void {
  registerImportKinds(IMPORT_KINDS);
}
