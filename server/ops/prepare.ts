import type { Config } from '../config.js';
import { type Database, migrateDatabase } from '../db/client.js';
import { ensureMonths } from '../db/partitions.js';
import { seedCustomerReference, seedDemoCustomers } from '../seed/customers.js';
import { isEmpty, seedDemoBank } from '../seed/demo-bank.js';
import { seedTargetCriteria } from '../seed/targets.js';
import { seedDemoScoring } from '../seed/scoring.js';
import { seedDemoQuotas } from '../seed/quotas.js';
import { seedDemoLife } from '../seed/demo-life.js';
import { seedDemoReportFeeds } from '../seed/demo-reports.js';
import { seedDemoReportSubscriptions } from '../seed/demo-report-subscriptions.js';
import { seedDemoSupplyChain } from '../seed/demo-supplychain.js';
import { seedDemoReportViews } from '../seed/demo-rv.js';
import { seedDemoWarnings } from '../seed/demo-warnings.js';
import { seedSplitRules } from '../modules/scoring/split-rules.service.js';
import { seedReportCatalogue } from '../modules/reports/definitions.service.js';

/** The demo bank's reports are produced from the start of its autumn's second month (its sales and quotas). */
export const DEMO_REPORTS_FROM = '2026-11-01';

/** Migrates, and loads the demo bank into an empty database when configured to. Returns true if it seeded. */
export async function prepareDatabase(database: Database, config: Pick<Config, 'SEED_DEMO'>): Promise<boolean> {
  await migrateDatabase(database);
  // The default 20/80 split rule (SPEC §7) every install needs (idempotent).
  await seedSplitRules(database.db);
  if (config.SEED_DEMO && (await isEmpty(database.db))) {
    await seedDemoBank(database.db);
    await seedDemoCustomers(database.db);
    await seedTargetCriteria(database.db);
    // Products, developments and demo cross-sales (after the customers they reference).
    await seedDemoScoring(database.db);
    // 2026 quotas (approved), line targets and award rules: the dashboards and the assessment (SPEC §10).
    await seedDemoQuotas(database.db);
    // The autumn lived through the services: locked October, November's notice in version 2,
    // objections, target-list versions, nominations, sales in every branch (issue 12).
    await seedDemoLife(database.db);
    // Seed 004's 41 reports, produced by the scheduler from November on.
    await seedReportCatalogue(database.db, { validFrom: DEMO_REPORTS_FROM });
    // November's four-bank deposit figures (the feed of the 旬 report), as if imported.
    await seedDemoReportFeeds(database.db);
    // Subscriptions to some of them, delivered by the first job round (decision 0040).
    await seedDemoReportSubscriptions(database.db);
    // 佛山分行's supply-chain programme (SPEC §12): clients, cross-check, admissions, draws, the NPL ratio.
    await seedDemoSupplyChain(database.db);
    // November's figures of the other 20 feeds (issue 16 part B).
    await seedDemoReportViews(database.db);
    // Post-loan early warning: nine days of feed for a dozen Foshan loan clients, evaluated and partly handled (SPEC §12).
    await seedDemoWarnings(database.db);
    // The demo's past months into their month partitions (migration 0048): loaded at once, they
    // waited in DEFAULT; the job would move them on its first round, this makes it before serving.
    await ensureMonths(database.db, null, null);
    return true;
  }
  // Reference lists (client types, industries) are data every install needs.
  await seedCustomerReference(database.db);
  // The Article 9 criteria are default configuration every install needs (idempotent).
  await seedTargetCriteria(database.db);
  // Seed 004's 41 reports (通报体系), produced from today on (idempotent: absent codes only).
  await seedReportCatalogue(database.db);
  return false;
}
