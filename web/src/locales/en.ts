import type { MessageKey } from './zh-CN.js';
import common from './en/common.js';
import org from './en/org.js';
import admin from './en/admin.js';
import points from './en/points.js';
import customers from './en/customers.js';
import month from './en/month.js';
import quotas from './en/quotas.js';
import workbench from './en/workbench.js';
import salesForm from './en/salesForm.js';
import leads from './en/leads.js';
import projects from './en/projects.js';
import surveys from './en/surveys.js';
import reports from './en/reports.js';
import reportSubs from './en/reportSubs.js';
import reportDrill from './en/reportDrill.js';
import vip from './en/vip.js';
import interbank from './en/interbank.js';
import interbankCoverage from './en/interbankCoverage.js';
import supplychain from './en/supplychain.js';
import performance from './en/performance.js';
import whitelists from './en/whitelists.js';
import warnings from './en/warnings.js';

/**
 * English UI texts: the same keys as zh-CN.ts (checked by e2e/locales.e2e.test.ts). One file per
 * area, as zh-CN.ts; each part is typed by its Chinese twin, so the key sets match area by area.
 */
const en: Record<MessageKey, string> = {
  ...common,
  ...org,
  ...admin,
  ...points,
  ...customers,
  ...month,
  ...quotas,
  ...workbench,
  ...salesForm,
  ...leads,
  ...projects,
  ...surveys,
  ...vip,
  ...interbank,
  ...interbankCoverage,
  ...supplychain,
  ...performance,
  ...whitelists,
  ...warnings,
  ...reports,
  ...reportSubs,
  ...reportDrill,
};

export default en;
