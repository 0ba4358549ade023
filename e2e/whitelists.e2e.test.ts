import { describe, expect, it } from 'vitest';
import { fakeIdNo, fakeUscc } from '../server/modules/whitelists/whitelists.fixtures.js';
import { apiSignIn } from './antd.js';
import { newContext, shot, signIn } from './browser.js';
import { useConsole } from './fixture.js';
import { apiAs } from './projects-setup.js';

interface Node {
  id: number;
  code: string;
  name: string;
  level: string;
  parentId: number | null;
}
interface Plan {
  nodeId: number;
  entries: number;
  people: { staffId: number; staffNo: string; name: string; count: number; amountFen: number }[];
}

// SPEC §12: a sub-branch imports a whitelist (CSV through the import framework), previews the
// distribution to its outlets' staff, applies it in the console, and a staff member works "my
// whitelist clients" on a phone — records a contact, the status moves to 有意向.
describe('经营快贷白名单：导入 → 预览并分配到人 → 员工在手机上记录联系', () => {
  const f = useConsole();

  it('import, preview & apply, a staff member records a contact on the phone page', async () => {
    const base = f.server.baseUrl;
    const admin = await apiAs(f.browser, base, 'fs_admin');
    const { nodes } = await admin.get<{ nodes: Node[] }>('/api/whitelists/options');
    const sub = nodes.find((n) => n.level === 'subbranch' && nodes.filter((o) => o.parentId === n.id && o.level === 'outlet').length >= 2)!;
    const outlets = nodes.filter((o) => o.parentId === sub.id && o.level === 'outlet').slice(0, 2);

    // ---- 1. Import 12 clients: 10 to two outlets by settlement code, 2 without one (stay at the sub-branch).
    const head = '批次编号,承办支行机构号,客户名称,统一社会信用代码/身份证号,联系电话,预授信额度(元),产品,到期日,结算网点机构号';
    const names = ['禅城区顺达五金商行', '佛山市南海区鸿福陶瓷经营部', '张伟', '李娜', '佛山市祥和餐饮店', '王芳', '佛山市恒兴建材', '刘洋', '陈静', '佛山市家家乐超市', '杨磊', '黄敏'];
    const lines = names.map((name, i) =>
      [
        'E2E-WL-01',
        sub.code,
        name,
        name.length > 3 ? fakeUscc(700_000 + i) : fakeIdNo(700 + i),
        `1391234${String(i).padStart(4, '0')}`,
        (i + 1) * 50_000,
        '经营快贷',
        '2099-06-30',
        i < 10 ? outlets[i % 2].code : '',
      ].join(','),
    );
    const upload = await newContext(f.browser, base);
    const res = await upload.request.post('/api/imports/whitelists', {
      headers: { 'x-csrf-token': await apiSignIn(upload.request, 'fs_admin') },
      multipart: { file: { name: '白名单.csv', mimeType: 'text/csv', buffer: Buffer.from([head, ...lines].join('\n')) } },
    });
    expect(res.status(), await res.text()).toBe(202);
    const { id: jobId } = (await res.json()) as { id: string };
    await upload.close();
    let job = { status: 'queued', inserted: 0 };
    for (let i = 0; i < 120 && job.status !== 'done' && job.status !== 'failed'; i++) {
      await new Promise((r) => setTimeout(r, 250));
      job = await admin.get<typeof job>(`/api/imports/jobs/${jobId}`);
    }
    expect(job).toMatchObject({ status: 'done', inserted: 12 });
    const { items: batches } = await admin.get<{ items: { id: number; code: string; entries: number; unassigned: number }[] }>('/api/whitelists/batches');
    const batch = batches.find((b) => b.code === 'E2E-WL-01')!;
    expect(batch).toMatchObject({ entries: 12, unassigned: 12 });
    const expected = await admin.post<{ outlets: Plan[] }>(`/api/whitelists/batches/${batch.id}/distribution/preview`, {});
    expect(expected.outlets.reduce((n, o) => n + o.entries, 0)).toBe(12);

    // ---- 2. The console at 1366×768: preview shows counts per person, apply assigns them.
    const page = f.page;
    await page.setViewportSize({ width: 1366, height: 768 });
    await signIn(page, 'fs_admin');
    await page.goto('/inclusive/whitelists');
    await page.getByRole('cell', { name: 'E2E-WL-01' }).click();
    await page.locator('tr', { hasText: 'E2E-WL-01' }).locator('input[type=radio]').check();
    await page.getByTestId('wl-preview').click();
    const somebody = expected.outlets[0].people.find((p) => p.count > 0)!;
    await page.locator('.ant-table-row', { hasText: somebody.name }).first().waitFor();
    await shot(page, 'whitelists-01-preview-1366');
    await page.getByTestId('wl-apply').click();
    await page.getByText('已分配 12 户').waitFor();
    const after = await admin.get<{ items: { staffId: number | null }[]; total: number }>('/api/whitelists/entries', { batchId: batch.id, pageSize: 50 });
    expect(after.total).toBe(12);
    expect(after.items.every((e) => e.staffId !== null)).toBe(true);
    // the applied assignment is the one previewed
    for (const o of expected.outlets)
      for (const p of o.people) {
        const held = await admin.get<{ total: number }>('/api/whitelists/entries', { batchId: batch.id, staffId: p.staffId });
        expect(held.total).toBe(p.count);
      }
    expect(f.pageErrors).toEqual([]);

    // ---- 3. The staff member on a phone (390×844): my clients, record a contact → 有意向.
    const phone = await newContext(f.browser, base);
    const mobile = await phone.newPage();
    await mobile.setViewportSize({ width: 390, height: 844 });
    await signIn(mobile, somebody.staffNo);
    await mobile.goto('/inclusive/my-clients');
    const cards = mobile.getByTestId('wl-client');
    await cards.first().waitFor();
    expect(await cards.count()).toBe(somebody.count);
    await shot(mobile, 'whitelists-02-my-clients-phone-390');
    const first = cards.first();
    const client = (await first.locator('strong').innerText()).trim();
    await first.getByRole('button', { name: '记录联系' }).click();
    const modal = mobile.locator('.ant-modal');
    await modal.locator('.ant-form-item', { hasText: '联系结果' }).locator('.ant-select-selector').click();
    await mobile.locator('.ant-select-dropdown:not(.ant-select-dropdown-hidden) .ant-select-item-option', { hasText: '有意向' }).click();
    await modal.locator('textarea').fill('客户担心诈骗，已请其拨打95588核实，约周五到网点面谈');
    await modal.getByRole('button', { name: /确\s*定|OK/ }).click();
    await mobile.getByText('已记录').waitFor();
    await mobile.locator('[data-testid=wl-client]', { hasText: client }).locator('.ant-tag', { hasText: '有意向' }).waitFor();
    await shot(mobile, 'whitelists-03-contact-recorded-phone-390');
    const me = await apiAs(f.browser, base, somebody.staffNo);
    const mine = await me.get<{ counts: Record<string, number> }>('/api/whitelists/mine');
    expect(mine.counts.interested).toBe(1);
    await phone.close();
    await me.close();
    await admin.close();
  });
});
