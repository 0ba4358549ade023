import { eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_ROLES } from '../../../shared/access.js';
import { EXPECTED } from './matrix.routes.js';
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
 * and so does a rule that drifts from what was reviewed (the table: matrix.routes.ts).
 */

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
  { route: 'POST /api/interbank/calibers', url: () => '/api/interbank/calibers', body: () => ({ frameworkBp: 6000, productBp: 4000, validFrom: tomorrow }), code: 'AUTH.BANK_WIDE_REQUIRED' },
  { route: 'POST /api/interbank/steps', url: () => '/api/interbank/steps', body: () => ({ steps: [{ signings: 1, bp: 5000 }], validFrom: tomorrow }), code: 'AUTH.BANK_WIDE_REQUIRED' },
  {
    route: 'POST /api/interbank/plans',
    url: () => '/api/interbank/plans',
    body: () => ({ year: 2027, nodeId: DEMO_NODES.foshan, planCount: 99, reason: '佛山自定' }),
    code: 'AUTH.BANK_WIDE_REQUIRED',
  },
  {
    route: 'POST /api/interbank/plan-adjustments',
    url: () => '/api/interbank/plan-adjustments',
    body: () => ({ year: 2026, asOf: '2026-11-01', benchmarkName: '上海分行', benchmarkCount: 150 }),
    code: 'AUTH.BANK_WIDE_REQUIRED',
  },
  { route: 'POST /api/interbank/briefings', url: () => '/api/interbank/briefings', body: () => ({ weekEnd: '2026-11-01' }), code: 'AUTH.BANK_WIDE_REQUIRED' },
  // The province's award rules are every branch's default (Art. 18): bank-wide.
  { route: 'PUT /api/assessment/rules', url: () => '/api/assessment/rules', body: () => ({ nodeId: DEMO_NODES.province, effectiveYear: 2027, rules: DEFAULT_AWARD_RULES }), code: 'AUTH.OUT_OF_SCOPE' },
  // The inter-bank incentive pools reward every branch's signings (decision 0033).
  {
    route: 'POST /api/interbank/pools',
    url: () => '/api/interbank/pools',
    body: () => ({ quarter: '2026Q4', resource: 'other', name: '佛山自设池', unit: '万元', totalAmount: 100, grantAmount: 10 }),
    code: 'AUTH.BANK_WIDE_REQUIRED',
  },
  { route: 'PATCH /api/interbank/pools/:id', url: () => '/api/interbank/pools/1', body: () => ({ totalAmount: 1 }), code: 'AUTH.BANK_WIDE_REQUIRED' },
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
               (SELECT json_agg(p ORDER BY id)::text FROM fi_pools p) AS fi_pools,
               (SELECT count(*)::text FROM fi_calibers) || '/' || (SELECT count(*)::text FROM fi_step_rules) || '/' || (SELECT count(*)::text FROM fi_plans) || '/' || (SELECT count(*)::text FROM fi_plan_adjustments) || '/' || (SELECT count(*)::text FROM fi_weekly_snapshots) AS interbank,
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
    ['interbank-plans', ['年度', '机构号', '覆盖计划（户）', '调整原因'], ['2027', 'FS', '99', '佛山自定']],
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
