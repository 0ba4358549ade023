import { eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Access, DEFAULT_ROLES } from '../../../shared/access.js';
import { rows } from '../../db/client.js';
import { staff, staffRoles } from '../../db/schema/index.js';
import { DEMO_NODES } from '../../seed/demo-ids.js';
import ExcelJS from 'exceljs';
import { DEFAULT_AWARD_RULES } from '../assessment/assessment.rules.js';
import { waitForImport } from '../imports/imports.routes.js';
import { uploadForm } from '../imports/testing.js';
import { type Client, createTestApp, type TestApp } from '../../test/harness.js';

/**
 * The authorisation matrix: every route × every role, generated from the live route table.
 * EXPECTED is the reviewed rule of each route; a route added without an entry here fails,
 * and so does a rule that drifts from what was reviewed.
 */
const EXPECTED: Record<string, Access> = {
  'GET /api/health': 'public',
  'GET /api/openapi.json': 'public',
  'POST /api/auth/login': 'public',
  'PUT /api/auth/language': 'public',
  'GET /api/setup': 'public',
  'POST /api/setup': 'public',
  'POST /api/auth/logout': 'authenticated',
  'GET /api/auth/me': 'authenticated',
  'POST /api/auth/password': 'authenticated',
  'GET /api/org/nodes': 'org.read',
  'GET /api/org/nodes/:id': 'org.read',
  'POST /api/org/nodes': 'org.write',
  'PATCH /api/org/nodes/:id': 'org.write',
  'DELETE /api/org/nodes/:id': 'org.write',
  'GET /api/org/departments': 'org.read',
  'POST /api/org/departments': 'org.write',
  'PATCH /api/org/departments/:id': 'org.write',
  'DELETE /api/org/departments/:id': 'org.write',
  'GET /api/org/nodes/:id/committee': 'org.read',
  'PUT /api/org/nodes/:id/committee': 'committee.write',
  'GET /api/org/export.xlsx': 'org.read',
  'GET /api/staff': 'staff.read',
  'GET /api/staff/export.xlsx': 'staff.read',
  'GET /api/staff/:id': 'staff.read',
  'POST /api/staff': 'staff.write',
  'PATCH /api/staff/:id': 'staff.write',
  'PUT /api/staff/:id/roles': 'role.assign',
  'POST /api/staff/:id/reset-password': 'staff.reset_password',
  'POST /api/staff/:id/unlock': 'staff.reset_password',
  'GET /api/audit': 'audit.read',
  'GET /api/audit/verify': 'audit.read',
  'GET /api/audit/ledger': 'audit.read',
  // the CLI's local admin channel (issue 10): the start's token, from this machine only
  'POST /api/admin/files': 'local-admin',
  'POST /api/admin/ops/:name': 'local-admin',
  'GET /api/admin/backup': 'local-admin',
  'GET /api/settings': 'settings.read',
  'PUT /api/settings/:key': 'settings.write',
  'GET /api/roles': 'authenticated',
  'PUT /api/roles/:code': 'settings.write',
  // targets
  'GET /api/targets/criteria': 'customer.read',
  'GET /api/targets/criteria/:code': 'customer.read',
  'POST /api/targets/criteria': 'target.configure',
  'PUT /api/targets/criteria/:code': 'target.configure',
  'POST /api/targets/criteria/:code/deactivate': 'target.configure',
  'GET /api/targets/evaluation': 'customer.read',
  'POST /api/targets/nominations': 'target.nominate',
  'GET /api/targets/nominations': 'customer.read',
  'GET /api/targets/nominations/:id': 'customer.read',
  'POST /api/targets/nominations/:id/approve': 'target.review',
  'POST /api/targets/nominations/:id/reject': 'target.review',
  'POST /api/targets/nominations/:id/withdraw': 'target.nominate',
  'GET /api/targets/lists': 'customer.read',
  'GET /api/targets/lists/:nodeId/:departmentId/versions': 'customer.read',
  'POST /api/targets/lists/:nodeId/:departmentId/versions': 'target.review',
  'GET /api/targets/lists/:nodeId/:departmentId/versions/:versionNo': 'customer.read',
  'GET /api/targets/lists/:nodeId/:departmentId/diff': 'customer.read',
  'GET /api/targets/reminders': 'customer.read',
  // customers
  'GET /api/customers/types': 'customer.read',
  'GET /api/customers/industries': 'customer.read',
  'GET /api/customers/facts': 'customer.read',
  'GET /api/customers/companies': 'customer.read',
  'GET /api/customers/companies/export.xlsx': 'customer.read',
  'GET /api/customers/companies/:id': 'customer.read',
  'POST /api/customers/companies': 'customer.write',
  'PATCH /api/customers/companies/:id': 'customer.write',
  'GET /api/customers/individuals': 'customer.read',
  'GET /api/customers/individuals/export.xlsx': 'customer.read',
  'GET /api/customers/individuals/:id': 'customer.read',
  'POST /api/customers/individuals': 'customer.write',
  'PATCH /api/customers/individuals/:id': 'customer.write',
  'POST /api/customers/individuals/:id/reveal': 'customer.reveal',
  'POST /api/customers/links': 'customer.write',
  'PATCH /api/customers/links/:id': 'customer.write',
  'DELETE /api/customers/links/:id': 'customer.write',
  'POST /api/customers/group-links': 'customer.write',
  'PATCH /api/customers/group-links/:id': 'customer.write',
  'DELETE /api/customers/group-links/:id': 'customer.write',
  'GET /api/customers/graph': 'customer.read',
  ...IMPORT_ROUTES(),
  // scoring
  'GET /api/scoring/split-rules': 'settings.read',
  'POST /api/scoring/split-rules': 'scoring.configure',
  'GET /api/scoring/sales/:id/split': 'authenticated',
  'GET /api/statements/:nodeId/:month': 'statement.read',
  'GET /api/statements/:nodeId/:month/export.xlsx': 'statement.read',
  'GET /api/statements/:nodeId/:month/departments/:departmentId': 'statement.read',
  'GET /api/statements/:nodeId/:month/people/:staffId': 'statement.read',
  'GET /api/statements/:nodeId/:month/branches': 'statement.read',
  'GET /api/statements/:nodeId/months': 'statement.read',
  'POST /api/statements/:nodeId/:month/recompute': 'scoring.configure',
  // products & sales
  'GET /api/products/lines': 'product.read',
  'PUT /api/products/lines/:code': 'product.write',
  'GET /api/products': 'product.read',
  'GET /api/products/export.xlsx': 'product.read',
  'GET /api/products/:id': 'product.read',
  'POST /api/products': 'product.write',
  'PATCH /api/products/:id': 'product.write',
  'GET /api/products/:id/scores': 'product.read',
  'GET /api/products/:id/scores/in-force': 'product.read',
  'POST /api/products/:id/scores': 'product.write',
  'GET /api/developments': 'sale.read',
  'GET /api/developments/:id': 'sale.read',
  'POST /api/developments': 'development.write',
  'PATCH /api/developments/:id': 'development.write',
  'DELETE /api/developments/:id': 'development.write',
  'GET /api/developments/:id/figures': 'sale.read',
  'POST /api/developments/:id/figures': 'development.write',
  'GET /api/sales': 'authenticated',
  'GET /api/sales/export.xlsx': 'sale.read',
  'GET /api/sales/:id': 'authenticated',
  'POST /api/sales': 'sale.write',
  'POST /api/sales/batch': 'sale.write',
  'POST /api/sales/preview': 'sale.write',
  'POST /api/sales/:id/correction-preview': 'objection.answer',
  'GET /api/sales/pickers/departments': 'authenticated',
  'GET /api/sales/pickers/staff': 'authenticated',
  'GET /api/sales/pickers/clients': 'sale.write',
  // the month's life (SPEC §9): periods, notice, objections, spot checks, notifications
  'GET /api/periods': 'statement.read',
  'GET /api/periods/notices': 'authenticated',
  'GET /api/periods/:nodeId/:month': 'authenticated',
  'POST /api/periods/:nodeId/:month/publish': 'period.publish',
  'POST /api/periods/:nodeId/:month/submit': 'period.publish',
  'POST /api/periods/:nodeId/:month/audit': 'period.audit',
  'POST /api/periods/:nodeId/:month/approve': 'period.approve',
  'GET /api/periods/:nodeId/:month/notice': 'authenticated',
  'GET /api/periods/:nodeId/:month/notice.pdf': 'authenticated',
  'GET /api/periods/:nodeId/:month/notice/departments/:departmentId': 'authenticated',
  'GET /api/periods/:nodeId/:month/notice/people/:staffId': 'authenticated',
  'POST /api/objections': 'objection.raise',
  'GET /api/objections': 'authenticated',
  'GET /api/objections/:id': 'authenticated',
  'POST /api/objections/:id/answer': 'objection.answer',
  // 商机 (issue 13): reading is scoped in the service (own leads, or lead.read over the branch)
  'GET /api/leads': 'authenticated',
  'POST /api/leads': 'lead.work',
  'GET /api/leads/handling-rate': 'lead.read',
  'POST /api/leads/pool/:id/assign': 'lead.manage',
  'PUT /api/leads/capacity/:id': 'lead.manage',
  'GET /api/leads/:id': 'authenticated',
  'POST /api/leads/:id/stage': 'lead.work',
  'GET /api/leads/:id/assignees': 'lead.manage',
  'POST /api/leads/:id/assign': 'lead.manage',
  'POST /api/leads/:id/claim': 'lead.work',
  'POST /api/leads/:id/win': 'lead.work',
  'GET /api/projects': 'project.read',
  'POST /api/projects': 'project.manage',
  'GET /api/projects/candidates': 'project.manage',
  'GET /api/projects/goals': 'project.read',
  'POST /api/projects/goals': 'project.manage',
  'GET /api/projects/plan-templates': 'project.read',
  'GET /api/projects/handovers': 'authenticated',
  'POST /api/projects/handovers': 'project.work',
  'POST /api/projects/handovers/:id/feedback': 'authenticated',
  'GET /api/projects/:id': 'project.read',
  'GET /api/projects/:id/board': 'project.read',
  'PUT /api/projects/:id/team': 'project.manage',
  'POST /api/projects/:id/close': 'project.manage',
  'GET /api/projects/:id/people': 'project.read',
  'GET /api/projects/:id/activities': 'project.read',
  'POST /api/projects/:id/activities': 'project.work',
  'GET /api/projects/:id/plans': 'project.read',
  'POST /api/projects/:id/plans': 'project.work',
  'GET /api/projects/:id/receivers': 'project.read',
  'GET /api/projects/activities/:id': 'project.read',
  'PATCH /api/projects/activities/:id': 'project.work',
  'POST /api/projects/activities/:id/invitees': 'project.work',
  'PUT /api/projects/activities/:id/invitees/:inviteeId/rsvp': 'project.work',
  'POST /api/projects/activities/:id/invitees/:inviteeId/checkin': 'project.work',
  'POST /api/projects/checkin/:code': 'project.work',
  'GET /api/projects/activities/:id/invitees/:inviteeId/qr.svg': 'project.work',
  'GET /api/projects/activities/:id/qr-sheet.pdf': 'project.work',
  'GET /api/surveys/activities/:id': 'project.read',
  'POST /api/surveys/activities/:id/tokens': 'project.work',
  'GET /api/surveys/activities/:id/generic.svg': 'project.work',
  'GET /api/surveys/activities/:id/qr-sheet.pdf': 'project.work',
  'GET /api/public/survey/:token': 'public',
  'POST /api/public/survey/:token': 'public',
  'GET /api/projects/activities/:id/attendees.xlsx': 'project.read',
  // VIP identification (SPEC §5)
  // the reporting calendar (issue 16)
  'GET /api/reports/catalogue': 'report.read',
  'GET /api/reports/definitions/:code/issues': 'report.read',
  'GET /api/reports/issues/:id': 'report.read',
  'POST /api/reports/issues/:id/rerun': 'report.manage',
  'GET /api/vip/tiers': 'vip.read',
  'POST /api/vip/tiers': 'vip.configure',
  'GET /api/vip/grades': 'vip.read',
  'PUT /api/vip/grades/:id': 'vip.manage',
  'GET /api/vip/screening': 'vip.read',
  'POST /api/vip/screening': 'vip.manage',
  'GET /api/vip/registrations': 'vip.read',
  'POST /api/vip/registrations': 'vip.manage',
  'POST /api/vip/registrations/:id/sign': 'vip.manage',
  'GET /api/vip/registrations/:id/am-candidates': 'vip.manage',
  'POST /api/vip/registrations/:id/am': 'vip.manage',
  'POST /api/vip/registrations/:id/end': 'vip.manage',
  'GET /api/vip/near': 'vip.read',
  'GET /api/vip/near/export.xlsx': 'vip.read',
  'GET /api/spot-checks': 'statement.read',
  'GET /api/spot-checks/:nodeId/:month': 'statement.read',
  'POST /api/spot-checks/:nodeId/:month': 'period.audit',
  'GET /api/spot-checks/:nodeId/:month/verify': 'statement.read',
  'POST /api/spot-checks/:nodeId/:month/items/:saleId': 'period.audit',
  'POST /api/spot-checks/:nodeId/:month/items/:saleId/evidence': 'period.audit',
  'GET /api/spot-checks/:nodeId/:month/items/:saleId/evidence/:evidenceId': 'statement.read',
  'GET /api/workbench': 'authenticated',
  'GET /api/notifications': 'authenticated',
  'GET /api/notifications/unread-count': 'authenticated',
  'POST /api/notifications/:id/read': 'authenticated',
  'POST /api/notifications/read-all': 'authenticated',
  // quotas, dashboards and the year-end assessment (SPEC §10)
  'GET /api/quotas': 'dashboard.read',
  'GET /api/quotas/export.xlsx': 'dashboard.read',
  'POST /api/quotas': 'quota.write',
  'PATCH /api/quotas/:id': 'quota.write',
  'DELETE /api/quotas/:id': 'quota.write',
  'GET /api/quotas/line-targets': 'dashboard.read',
  'PUT /api/quotas/line-targets': 'quota.write',
  'GET /api/quotas/proposal': 'quota.write',
  'POST /api/quotas/proposal': 'quota.write',
  'GET /api/quotas/plans/:nodeId/:year': 'dashboard.read',
  'POST /api/quotas/plans/:nodeId/:year/approve': 'quota.approve',
  'GET /api/quotas/plans/:nodeId/:year/versions/:versionNo': 'dashboard.read',
  'GET /api/dashboards/completion': 'dashboard.read',
  'GET /api/dashboards/completion/export.xlsx': 'dashboard.read',
  'GET /api/dashboards/rankings': 'dashboard.read',
  'GET /api/dashboards/rankings/export.xlsx': 'dashboard.read',
  'GET /api/dashboards/trend': 'dashboard.read',
  'GET /api/dashboards/trend/export.xlsx': 'dashboard.read',
  'GET /api/dashboards/drill': 'dashboard.read',
  'GET /api/dashboards/drill/export.xlsx': 'dashboard.read',
  'POST /api/assessment/runs': 'assessment.run',
  'GET /api/assessment/runs': 'assessment.read',
  'GET /api/assessment/runs/:id': 'assessment.read',
  'POST /api/assessment/runs/:id/approve': 'assessment.approve',
  'POST /api/assessment/runs/:id/lock': 'assessment.run',
  'POST /api/assessment/runs/:id/reopen': 'assessment.approve',
  'GET /api/assessment/year': 'assessment.read',
  'GET /api/assessment/runs/:id/payout.xlsx': 'assessment.read',
  'POST /api/assessment/what-if': 'assessment.read',
  'GET /api/assessment/rules': 'assessment.read',
  'PUT /api/assessment/rules': 'assessment.approve',
};

function IMPORT_ROUTES(): Record<string, Access> {
  return {
    'GET /api/imports/kinds': 'authenticated',
    'GET /api/imports/templates/:kind': 'authenticated',
    'POST /api/imports/:kind': 'authenticated',
    'GET /api/imports': 'authenticated',
    'GET /api/imports/jobs/:id': 'authenticated',
    'GET /api/imports/jobs/:id/errors': 'authenticated',
    'GET /api/imports/jobs/:id/errors.xlsx': 'authenticated',
  };
}

const PARAMS: Record<string, string> = { id: '999999', kind: 'staff', key: 'no.such.key', code: 'no_such_role' };
const concrete = (url: string) => url.replace(/:(\w+)/g, (_m, k: string) => PARAMS[k] ?? 'x');

let t: TestApp;
const clients = new Map<string, Client>();

beforeAll(async () => {
  t = await createTestApp();
  const db = t.database.db;
  const [template] = await db.select().from(staff).where(eq(staff.staffNo, 'admin'));
  // One person per role, holding only that role over the whole province.
  for (const role of DEFAULT_ROLES) {
    const [p] = await db
      .insert(staff)
      .values({ staffNo: `matrix_${role.code}`, name: `矩阵-${role.zh}`, nodeId: DEMO_NODES.province, passwordHash: template.passwordHash, mustChangePassword: false })
      .returning();
    await db.insert(staffRoles).values({ staffId: p.id, roleCode: role.code, scopeNodeId: DEMO_NODES.province });
    clients.set(role.code, await t.login(p.staffNo));
  }
});
afterAll(() => t.close());

describe('authorisation matrix (role × endpoint)', () => {
  it('every route in the table has a reviewed rule, and every reviewed rule has a route', () => {
    const live = Object.fromEntries(t.app.routeTable.map((r) => [`${r.method} ${r.url}`, r.access]));
    expect(live).toEqual(EXPECTED);
  });

  it('anonymous callers get 401 on everything but public routes', async () => {
    for (const r of t.app.routeTable) {
      const res = await t.anonymous.request({ method: r.method as 'GET', url: concrete(r.url), payload: r.method === 'GET' || r.method === 'DELETE' ? undefined : {} });
      if (r.access === 'public') expect(res.statusCode, `${r.method} ${r.url}`).not.toBe(401);
      else expect(res.statusCode, `${r.method} ${r.url}`).toBe(401);
    }
  });

  for (const role of DEFAULT_ROLES) {
    it(`role ${role.code}: allowed where it holds the permission, 403 elsewhere`, async () => {
      const c = clients.get(role.code)!;
      // Sign-out ends the session, so it goes last.
      const routes = [...t.app.routeTable].sort((a, b) => Number(a.url.endsWith('/logout')) - Number(b.url.endsWith('/logout')));
      for (const r of routes) {
        const res = await c.request({ method: r.method as 'GET', url: concrete(r.url), payload: r.method === 'GET' || r.method === 'DELETE' ? undefined : {} });
        const label = `${role.code} ${r.method} ${r.url} → ${res.statusCode} ${res.body.slice(0, 120)}`;
        const allowed = r.access === 'public' || r.access === 'authenticated' || (role.permissions as string[]).includes(r.access);
        if (allowed) {
          expect(res.statusCode, label).not.toBe(401);
          expect(res.statusCode >= 500, label).toBe(false);
          // Routes open to anyone signed in may still refuse a kind of work inside (e.g. an import
          // kind needing staff.write); permission routes must never answer AUTH.FORBIDDEN here.
          if (res.statusCode === 403 && r.access !== 'authenticated') expect(res.json().error.code, label).not.toBe('AUTH.FORBIDDEN');
        } else {
          expect(res.statusCode, label).toBe(403);
          expect(res.json().error.code, label).toBe('AUTH.FORBIDDEN');
        }
      }
    });
  }
});

/**
 * Bank-wide objects (issue 10, finding 1): configuration that has no org node, or sits on the root
 * or the province and so applies to every branch below. A branch administrator holds every
 * permission — but over 佛山分行 only — so each write must be refused (403) and change nothing.
 */
const tomorrow = new Date(Date.now() + 2 * 86_400_000).toISOString().slice(0, 10);
const BANK_WIDE_WRITES: { route: string; url: () => string; body: () => unknown; code: string }[] = [
  {
    route: 'PUT /api/roles/:code',
    url: () => '/api/roles/staff',
    body: () => ({ permissions: ['org.read', 'product.read', 'objection.raise', 'dashboard.read', 'customer.reveal'] }),
    code: 'AUTH.BANK_WIDE_REQUIRED',
  },
  { route: 'PUT /api/settings/:key', url: () => '/api/settings/bank.name', body: () => ({ value: '佛山改名银行' }), code: 'AUTH.BANK_WIDE_REQUIRED' },
  {
    route: 'POST /api/vip/tiers',
    url: () => '/api/vip/tiers',
    body: () => ({ code: 'FSVIP', nameZh: '佛山贵宾', nameEn: 'Foshan VIP', rank: 1, aumThresholdFen: 100, requiredGrade: 1, validFrom: tomorrow }),
    code: 'AUTH.BANK_WIDE_REQUIRED',
  },
  {
    route: 'POST /api/targets/criteria',
    url: () => '/api/targets/criteria',
    body: () => ({ code: 'CORP.FS_ONLY', departmentKind: 'corporate', nameZh: '佛山自定标准', nameEn: 'Foshan only', rule: { kind: 'truthy', fact: 'listed' }, effectiveFrom: tomorrow }),
    code: 'TARGET.CONFIGURE_SCOPE',
  },
  { route: 'PUT /api/targets/criteria/:code', url: () => '/api/targets/criteria/CORP.HAS_LOAN', body: () => ({ nameZh: '改名', effectiveFrom: tomorrow }), code: 'TARGET.CONFIGURE_SCOPE' },
  { route: 'POST /api/targets/criteria/:code/deactivate', url: () => '/api/targets/criteria/CORP.HAS_LOAN/deactivate', body: () => ({ effectiveFrom: tomorrow }), code: 'TARGET.CONFIGURE_SCOPE' },
  { route: 'PUT /api/products/lines/:code', url: () => '/api/products/lines/WMP', body: () => ({ nameZh: '佛山理财', nameEn: 'Foshan WMP' }), code: 'PRODUCT.WRITE_SCOPE' },
  { route: 'POST /api/products', url: () => '/api/products', body: () => ({ code: 'FS_PRD', name: '佛山产品', lineCode: 'WMP', hostDepartmentCode: 'PF', unit: '件' }), code: 'PRODUCT.WRITE_SCOPE' },
  { route: 'PATCH /api/products/:id', url: () => `/api/products/${bankWide.productId}`, body: () => ({ name: '佛山改名' }), code: 'PRODUCT.WRITE_SCOPE' },
  { route: 'POST /api/products/:id/scores', url: () => `/api/products/${bankWide.productId}/scores`, body: () => ({ score: '99.00', effectiveFrom: '2026-01-01' }), code: 'PRODUCT.WRITE_SCOPE' },
  { route: 'POST /api/scoring/split-rules', url: () => '/api/scoring/split-rules', body: () => ({ effectiveFrom: tomorrow, hostBp: 5000, participantsBp: 5000 }), code: 'SCORING.CONFIGURE_SCOPE' },
  // The province's award rules are every branch's default (Art. 18): bank-wide.
  { route: 'PUT /api/assessment/rules', url: () => '/api/assessment/rules', body: () => ({ nodeId: DEMO_NODES.province, effectiveYear: 2027, rules: DEFAULT_AWARD_RULES }), code: 'AUTH.OUT_OF_SCOPE' },
];
const bankWide = { productId: 0 };

/** Everything a bank-wide write could change, plus the audit trail, as one comparable value. */
async function bankWideState() {
  const [r] = await rows<Record<string, string>>(
    t.database.db,
    sql`SELECT (SELECT json_agg(r ORDER BY code)::text FROM roles r) AS roles, (SELECT json_agg(s ORDER BY key)::text FROM settings s) AS settings,
               (SELECT count(*)::text FROM target_criteria) AS criteria, (SELECT json_agg(l ORDER BY code)::text FROM product_lines l) AS lines,
               (SELECT json_agg(p ORDER BY id)::text FROM products p) AS products, (SELECT count(*)::text FROM product_scores) AS scores,
               (SELECT count(*)::text FROM split_rules) AS splits, (SELECT count(*)::text FROM award_rule_sets) AS awards, (SELECT count(*)::text FROM vip_tiers) AS vip_tiers,
               (SELECT count(*)::text FROM audit_log) AS audit`,
  );
  return r;
}

describe('bank-wide writes need the permission at province level or above (issue 10, finding 1)', () => {
  it('/api/auth/me tells the console which permissions are held bank-wide (to hide the edit buttons)', async () => {
    const me = async (staffNo: string) => (await (await t.login(staffNo)).get('/api/auth/me')).json();
    const province = await me('admin');
    expect(province.bankWide).toEqual(expect.arrayContaining(['settings.write', 'product.write', 'target.configure']));
    expect(province.grants[0]).toMatchObject({ scopeNodeId: DEMO_NODES.province, scopeLevel: 'province' });
    const branch = await me('fs_admin');
    expect(branch.permissions).toContain('settings.write');
    expect(branch.bankWide).toEqual([]);
    expect(branch.grants[0]).toMatchObject({ scopeNodeId: DEMO_NODES.foshan, scopeLevel: 'branch' });
  });

  it('the table covers every write route on bank-wide configuration', () => {
    for (const w of BANK_WIDE_WRITES) expect(EXPECTED[w.route], w.route).toBeDefined();
  });

  it.each([
    ['products', ['产品代码', '产品名称', '产品线', '主办部门代码', '计量单位', '是否按揭'], ['FS_IMP', '佛山导入', '理财', 'PF', '件', '否']],
    ['product-scores', ['产品代码', '单位分值', '生效日期'], ['DEBIT', '99', '2026-01-01']],
    ['vip-tiers', ['等级代码', '等级名称', '英文名称', '等级序号', '金融资产门槛（元）', '客户经理最低等级', '生效日期'], ['FSVIP', '佛山贵宾', 'Foshan VIP', '1', '1', '1', '2099-01-01']],
  ])('a 佛山分行 administrator’s %s import refuses every row (the catalogue is bank-wide)', async (kind, header, row) => {
    const fsAdmin = await t.login('fs_admin');
    const before = await bankWideState();
    const wb = new ExcelJS.Workbook();
    const ws = wb.addWorksheet('x');
    ws.addRow(header);
    ws.addRow(row);
    const res = await fsAdmin.request({ method: 'POST', url: `/api/imports/${kind}`, payload: uploadForm(Buffer.from(await wb.xlsx.writeBuffer()), `${kind}.xlsx`) });
    expect(res.statusCode, res.body).toBe(202);
    await waitForImport(t.database.db, res.json().id);
    expect((await fsAdmin.get(`/api/imports/jobs/${res.json().id}`)).json()).toMatchObject({ status: 'failed', errorRows: 1, inserted: 0 });
    expect(await bankWideState()).toEqual(before);
  });

  // One session for the whole table: a sign-in per case would run into the sign-in rate limit.
  let fsAdminSession: Client | undefined;
  it.each(BANK_WIDE_WRITES.map((w) => [w.route, w] as const))('a 佛山分行 administrator is refused: %s', async (_route, w) => {
    if (!bankWide.productId) bankWide.productId = (await rows<{ id: number }>(t.database.db, sql`SELECT min(id)::int AS id FROM products`))[0].id;
    const fsAdmin = (fsAdminSession ??= await t.login('fs_admin'));
    const before = await bankWideState();
    const [method] = w.route.split(' ');
    const res = await fsAdmin.request({ method: method as 'PUT', url: w.url(), payload: w.body() as object });
    expect(res.statusCode, res.body).toBe(403);
    expect(res.json().error.code).toBe(w.code);
    expect(await bankWideState()).toEqual(before);
  });
});
