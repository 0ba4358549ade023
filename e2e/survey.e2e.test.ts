import { sql } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { rows } from '../server/db/client.js';
import { apiSignIn } from './antd.js';
import { newContext, shot, signIn } from './browser.js';
import { useConsole } from './fixture.js';

const FS = 11;

// Issue 13: the team issues the 金融需求调查表 codes of a salon; a guest answers on a 390×844 phone
// without signing in; the same link again, an expired link and a made-up one are refused with a
// clear message; the event page shows who answered.
describe('金融需求调查表', () => {
  const f = useConsole({ scoring: true });

  it('a guest answers on a phone without login; reused, expired and bad links are refused', async () => {
    const db = f.server.database.db;
    // ---- A project on a 佛山 unit of the target list, a salon, three invitees, the codes issued.
    const [{ company }] = await rows<{ company: number }>(
      db,
      sql`SELECT cp.company_id AS company FROM company_people cp JOIN corporate_clients c ON c.id = cp.company_id JOIN org_nodes n ON n.id = c.node_id
           WHERE n.path LIKE ${`/1/2/${FS}/%`} GROUP BY cp.company_id HAVING count(DISTINCT cp.person_id) >= 3 ORDER BY cp.company_id LIMIT 1`,
    );
    const people = (await rows<{ id: number }>(db, sql`SELECT DISTINCT person_id AS id FROM company_people WHERE company_id = ${company} ORDER BY 1 LIMIT 3`)).map((r) => r.id);
    const [{ dept, by }] = await rows<{ dept: number; by: number }>(
      db,
      sql`SELECT d.id AS dept, (SELECT id FROM staff WHERE staff_no = 'fs_admin') AS by FROM departments d WHERE d.node_id = ${FS} ORDER BY d.id LIMIT 1`,
    );
    const [{ id: v }] = await rows<{ id: number }>(db, sql`INSERT INTO target_list_versions (node_id, department_id, version_no, created_by) VALUES (${FS}, ${dept}, 1, ${by}) RETURNING id`);
    await rows(db, sql`INSERT INTO target_list_entries (version_id, company_id, criteria) VALUES (${v}, ${company}, '[]'::jsonb) RETURNING version_id`);
    const [corp] = await rows<{ id: number }>(
      db,
      sql`SELECT s.id FROM staff s JOIN staff_roles sr ON sr.staff_id = s.id JOIN org_nodes n ON n.id = s.node_id
           WHERE sr.role_code = 'corporate_am' AND s.active AND n.path LIKE ${`/1/2/${FS}/%`} ORDER BY s.id LIMIT 1`,
    );
    const [outlet] = await rows<{ outlet: number; id: number }>(
      db,
      sql`SELECT n.id AS outlet, s.id FROM org_nodes n JOIN staff s ON s.node_id = n.id JOIN staff_roles sr ON sr.staff_id = s.id
           WHERE n.level = 'outlet' AND n.path LIKE ${`/1/2/${FS}/%`} AND sr.role_code = 'personal_am' AND s.active ORDER BY n.id, s.id LIMIT 1`,
    );
    const [{ amId }] = await rows<{ amId: number }>(db, sql`SELECT id AS "amId" FROM staff WHERE staff_no = '44110014'`);
    const setup = await newContext(f.browser, f.server.baseUrl);
    const csrf = await apiSignIn(setup.request, 'fs_admin');
    const members = [
      { staffId: corp.id, role: 'corporate_am' },
      { staffId: amId, role: 'personal_am' },
      { staffId: outlet.id, role: 'outlet_am' },
    ];
    const p = await setup.request.post('/api/projects', { headers: { 'x-csrf-token': csrf }, data: { companyId: company, coOutletNodeId: outlet.outlet, members } });
    expect(p.status(), await p.text()).toBe(201);
    const projectId = ((await p.json()) as { id: number }).id;
    const a = await setup.request.post(`/api/projects/${projectId}/activities`, {
      headers: { 'x-csrf-token': csrf },
      data: { kind: 'salon', title: '年末理财沙龙', startsAt: '2026-12-20T06:30:00Z', place: '企业三楼会议室' },
    });
    const activityId = ((await a.json()) as { id: number }).id;
    expect((await setup.request.post(`/api/projects/activities/${activityId}/invitees`, { headers: { 'x-csrf-token': csrf }, data: { personIds: people } })).status()).toBe(200);
    await setup.close();

    // ---- 陈雨君 issues the codes on the event page.
    const { page } = f;
    await page.setViewportSize({ width: 1366, height: 768 });
    await signIn(page, '44110014');
    await page.goto(`/projects/activities/${activityId}`);
    await page.getByTestId('survey-panel').waitFor();
    await page.getByTestId('survey-issue').click();
    await expect.poll(() => page.getByTestId('survey-link').count()).toBe(3);
    const links = await page.getByTestId('survey-link').evaluateAll((els) => els.map((e) => e.getAttribute('href')!));

    // ---- A guest's phone: no cookies, 390×844.
    const phone = await newContext(f.browser, f.server.baseUrl);
    const mobile = await phone.newPage();
    await mobile.setViewportSize({ width: 390, height: 844 });
    await mobile.goto(links[0]);
    await mobile.getByTestId('survey-hello').waitFor();
    await mobile.getByTestId('survey-q-interests').getByText('理财产品').click();
    await mobile.getByTestId('survey-q-loanIntent').getByText('购房贷款').click();
    await mobile.getByTestId('survey-q-loanHorizon').getByText('3个月内').click();
    await mobile.getByTestId('survey-q-investBand').getByText('50万–100万元').click();
    await mobile.getByTestId('survey-q-contactTime').getByText('周末').click();
    await shot(mobile, 'survey-phone-390');
    const width = await mobile.evaluate(() => document.documentElement.scrollWidth);
    expect(width).toBeLessThanOrEqual(390);
    await mobile.getByTestId('survey-submit').click();
    await mobile.getByTestId('survey-done').waitFor();
    await shot(mobile, 'survey-phone-done-390');

    // The same link again: refused, and says why.
    await mobile.goto(links[0]);
    await expect.poll(() => mobile.getByTestId('survey-error').textContent()).toContain('已提交');
    await shot(mobile, 'survey-phone-used-390');
    // An expired link (its expiry moved into the past): refused as expired.
    await rows(db, sql`UPDATE survey_tokens SET expires_at = now() - interval '1 day' WHERE activity_id = ${activityId} AND person_id = ${people[1]} RETURNING id`);
    await mobile.goto(links[1]);
    await expect.poll(() => mobile.getByTestId('survey-error').textContent()).toContain('已过期');
    await shot(mobile, 'survey-phone-expired-390');
    // A made-up link.
    await mobile.goto('/s/1.zzzzzz.AAAAAAAAAAAAAAAAAAAAAA');
    await expect.poll(() => mobile.getByTestId('survey-error').textContent()).toContain('无效');
    await phone.close();

    // ---- The event page: one answered, a mortgage lead made for the personal-finance department.
    await page.reload();
    await expect.poll(() => page.getByTestId('survey-counts').textContent()).toContain('已填写 1');
    await page.getByTestId('survey-responses').scrollIntoViewIfNeeded();
    await expect.poll(() => page.getByTestId('survey-answers').first().textContent()).toContain('购房贷款');
    await shot(page, 'survey-panel-1366');
    const [lead] = await rows<{ product: string }>(db, sql`SELECT p.code AS product FROM leads l JOIN products p ON p.id = l.product_id WHERE l.source = 'survey' ORDER BY l.id LIMIT 1`);
    expect(lead?.product).toBe('MORTGAGE');
    expect(f.pageErrors).toEqual([]);
  });
});
