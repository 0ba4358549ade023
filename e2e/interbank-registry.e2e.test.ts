import { sql } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { rows } from '../server/db/client.js';
import { loadGrants } from '../server/modules/auth/auth.service.js';
import { seedDemoInterbank } from '../server/seed/demo-interbank.js';
import { apiSignIn, pick } from './antd.js';
import { newContext, shot, signIn } from './browser.js';
import { useConsole } from './fixture.js';

// SPEC §11 (issue 14, registry half): the province imports two institutions into 佛山's registry
// through the import API; the demo registry (39 institutions, signings, the Q4 pool) is loaded
// beside them; 佛山's administrator finds them in 机构名录 with their history, records a framework
// signing in 签约登记 and sees it listed. Screenshots at 1366 × 768.
describe('同业合作平台：机构名录与签约登记', () => {
  const f = useConsole();

  it('import a registry, see it, record a signing and see it on the page', async () => {
    const { page } = f;
    const setup = await newContext(f.browser, f.server.baseUrl);
    const csrf = await apiSignIn(setup.request, 'admin');
    const [leader] = await rows<{ staffNo: string }>(
      f.server.database.db,
      sql`SELECT s.staff_no AS "staffNo" FROM staff s JOIN org_nodes n ON n.id = s.node_id WHERE s.active AND n.path LIKE '/1/2/11/%' ORDER BY s.id LIMIT 1`,
    );
    const csv =
      '机构编码,机构名称,机构类型,上级联社编码,所属二级分行机构号,联动负责人工号,状态\n' +
      `E2E-RCB,同业测试农村商业银行,农村商业银行,,44100,${leader.staffNo},正常\n` +
      'E2E-VB,同业测试村镇银行,村镇银行,,44100,,正常\n';
    const res = await setup.request.post('/api/imports/interbank-registry', {
      headers: { 'x-csrf-token': csrf },
      multipart: { file: { name: 'registry.csv', mimeType: 'text/csv', buffer: Buffer.from(csv) } },
    });
    expect(res.status(), await res.text()).toBe(202);
    const { id } = (await res.json()) as { id: string };
    let job: { status: string; inserted: number } = { status: 'queued', inserted: 0 };
    for (let i = 0; i < 120 && job.status !== 'done' && job.status !== 'failed'; i++) {
      await new Promise((r) => setTimeout(r, 250));
      job = (await (await setup.request.get(`/api/imports/jobs/${id}`)).json()) as typeof job;
    }
    expect(job).toMatchObject({ status: 'done', inserted: 2 });
    await setup.close();
    // The demo registry beside it, through the same services (the province administrator).
    const db = f.server.database.db;
    const [admin] = await rows<{ id: number; name: string; nodeId: number }>(db, sql`SELECT id, name, node_id AS "nodeId" FROM staff WHERE staff_no = 'admin'`);
    const root = { staffId: admin.id, staffNo: 'admin', name: admin.name, nodeId: admin.nodeId, sessionId: 'e2e', csrfToken: 'e2e', mustChangePassword: false, grants: await loadGrants(db, admin.id) };
    expect(await seedDemoInterbank(db, root, (at) => new Date(at))).toMatchObject({ institutions: 39 });

    // ---- 机构名录 as 佛山's administrator: only 佛山's institutions, the imported ones among them.
    await page.setViewportSize({ width: 1366, height: 768 });
    await signIn(page, 'fs_admin');
    await page.goto('/interbank/registry');
    const table = page.getByTestId('fi-registry-table');
    await table.getByText('同业测试农村商业银行').waitFor();
    expect(await table.getByText('河源农村商业银行').count()).toBe(0);
    await shot(page, 'interbank-registry');
    await table.getByText('同业测试农村商业银行').click();
    const drawer = page.getByTestId('fi-detail');
    await drawer.getByText('管辖历史').waitFor();
    await expect.poll(() => drawer.getByText(leader.staffNo).count()).toBeGreaterThan(0);
    await shot(page, 'interbank-registry-detail');
    await page.keyboard.press('Escape');

    // ---- 签约登记: a framework agreement for the imported bank, recorded in the console.
    await page.goto('/interbank/signings');
    await page.getByTestId('fi-signings-table').locator('.ant-table-row').first().waitFor();
    await page.getByTestId('fi-sign-new').click();
    await pick(page, page.getByTestId('fi-sign-institution'), '同业测试农村', '同业测试农村商业银行');
    await page.getByTestId('fi-sign-ok').click();
    const row = page.getByTestId('fi-signings-table').locator('.ant-table-row', { hasText: '同业测试农村商业银行' });
    await row.waitFor();
    expect(await row.textContent()).toContain('框架协议');
    expect(await row.textContent()).toContain('有效');
    await shot(page, 'interbank-signings');
    const [{ n }] = await rows<{ n: number }>(db, sql`SELECT count(*)::int AS n FROM fi_signings s JOIN fi_institutions i ON i.id = s.institution_id WHERE i.code = 'E2E-RCB' AND s.status = 'active'`);
    expect(n).toBe(1);

    // ---- 激励资源池: the quarter's grants in order.
    await page.goto('/interbank/pools');
    await page.getByTestId('fi-grants-table').locator('.ant-table-row').first().waitFor();
    await shot(page, 'interbank-pools');
    expect(f.pageErrors).toEqual([]);
  });
});
