import common from './zh-CN/common.js';
import org from './zh-CN/org.js';
import admin from './zh-CN/admin.js';
import points from './zh-CN/points.js';
import customers from './zh-CN/customers.js';
import month from './zh-CN/month.js';
import quotas from './zh-CN/quotas.js';
import workbench from './zh-CN/workbench.js';
import salesForm from './zh-CN/salesForm.js';
import leads from './zh-CN/leads.js';
import projects from './zh-CN/projects.js';
import surveys from './zh-CN/surveys.js';
import reports from './zh-CN/reports.js';
import reportSubs from './zh-CN/reportSubs.js';
import reportDrill from './zh-CN/reportDrill.js';
import vip from './zh-CN/vip.js';
import interbank from './zh-CN/interbank.js';
import interbankCoverage from './zh-CN/interbankCoverage.js';
import supplychain from './zh-CN/supplychain.js';
import performance from './zh-CN/performance.js';
import whitelists from './zh-CN/whitelists.js';
import warnings from './zh-CN/warnings.js';

/**
 * 中文（默认）界面文字。键与 en.ts 一一对应（e2e/locales.e2e.test.ts 校验）。
 * Kept one file per area of the console (zh-CN/*.ts) so that no file runs to a thousand lines and
 * an area's texts are read together; each key belongs to one area only, and each English part is
 * typed by its Chinese twin (en/*.ts).
 */
const zhCN = {
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

export type MessageKey = keyof typeof zhCN;
export default zhCN as Record<MessageKey, string>;
