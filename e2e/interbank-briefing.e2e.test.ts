import { readFileSync } from 'node:fs';
import { sql } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { rows } from '../server/db/client.js';
import { fiLandings, fiProspects } from '../server/db/schema/index.js';
import { addInstitution, addSigning, correctSigning } from '../server/modules/interbank/coverage.fixtures.js';
import { runInterbankSnapshotJob } from '../server/modules/interbank/snapshots.job.js';
import { lastEndedWeek } from '../server/modules/interbank/coverage.rules.js';
import { shot, signIn } from './browser.js';
import { useConsole } from './fixture.js';

const beijingToday = () => new Date(Date.now() + 8 * 3_600_000).toISOString().slice(0, 10);
const addDays = (day: string, n: number) => new Date(Date.parse(`${day}T00:00:00Z`) + n * 86_400_000).toISOString().slice(0, 10);

// SPEC §11 (seed 000): the province's weekly briefing writes itself. Institutions and signings are
// written into the registry's tables; last-but-one week is snapshotted by the job, the last week by
// the province office from the console; the branch under 60 % is flagged, the briefing reads the
// change, the correction and the interested clients, the requirements are edited and the PDF
// downloads. 1366×768.
describe('同业合作平台周通报', () => {
  const f = useConsole();

  it('coverage as of a day with the flag; the briefing taken, read, edited and downloaded', async () => {
    const db = f.server.database.db;
    const week = lastEndedWeek(beijingToday());
    const prev = addDays(week, -7);
    const branches = await rows<{ id: number; name: string }>(db, sql`SELECT id, name FROM org_nodes WHERE level = 'branch' AND active ORDER BY id LIMIT 6`);
    expect(branches.length).toBeGreaterThanOrEqual(2);
    // Branch i has 5 + i institutions; signed: 5, 2, 4, 3, 6, 1 … of them (some the week before).
    const signedOf = [5, 2, 4, 3, 6, 1];
    const firstIds: number[] = [];
    for (const [i, b] of branches.entries()) {
      for (let k = 0; k < 5 + i; k++) {
        const id = await addInstitution(db, { nodeId: b.id, name: `${b.name.replace('分行', '')}农商银行${k + 1}` });
        if (k === 0) firstIds.push(id);
        if (k < signedOf[i]) await addSigning(db, { institutionId: id, nodeId: b.id, kind: k % 3 === 2 ? 'product' : 'framework', signedOn: k === 0 ? addDays(prev, -3) : addDays(week, -2) });
        if (k === signedOf[i]) {
          const at = new Date(`${addDays(week, -20)}T00:00:00Z`);
          await db.insert(fiProspects).values({ institutionId: id, nodeId: b.id, stage: 'negotiating', nextStep: '行领导拜访', updatedAt: at, createdAt: at });
        }
      }
    }
    // The 省联社 (held by the province, signed) and three member banks in branch 2's jurisdiction, one signed.
    const assoc = await addInstitution(db, { nodeId: 2, name: '广东省农村信用社联合社', kind: 'association' });
    await addSigning(db, { institutionId: assoc, nodeId: 2, signedOn: addDays(prev, -10) });
    for (let k = 0; k < 3; k++) {
      const m = await addInstitution(db, { nodeId: branches[2].id, name: `${branches[2].name.replace('分行', '')}农信社${k + 1}`, kind: 'rural_credit_coop', parentId: assoc });
      if (k === 0) await addSigning(db, { institutionId: m, nodeId: branches[2].id, signedOn: addDays(week, -1) });
    }
    const at = new Date(`${addDays(week, -20)}T00:00:00Z`);
    await db.insert(fiLandings).values({
      institutionId: firstIds[0],
      nodeId: branches[0].id,
      product: '零售智能风控数据测试',
      stage: 'testing',
      stageOn: addDays(week, -3),
      note: '测试报告下周报总行',
      updatedAt: at,
      createdAt: at,
    });
    // The week before, by the job (Monday 10:00 Beijing after it).
    expect((await runInterbankSnapshotJob(db, new Date(`${addDays(prev, 1)}T02:00:00Z`))).done).toHaveLength(1);
    // A correction after that snapshot: branch 0's first signing was recorded on the wrong day.
    const [first] = await rows<{ id: number }>(db, sql`SELECT id FROM fi_signings WHERE institution_id = ${firstIds[0]}`);
    await correctSigning(db, first.id, { signedOn: addDays(prev, -4) }, '签约日期登记有误，以协议落款为准', new Date(`${addDays(prev, 3)}T03:00:00Z`));

    const { page } = f;
    await page.setViewportSize({ width: 1366, height: 768 });
    await signIn(page, 'admin');

    // ---- 覆盖率 as of the week's Sunday: branch 1 (2 of 6 = 33.33 %) flagged, branch 0 (5 of 5) not.
    await page.goto(`/interbank/coverage?asOf=${week}`);
    const table = page.getByTestId('ibc-coverage-table');
    await table.getByText(branches[1].name).waitFor();
    const row1 = await table.locator('tr', { hasText: branches[1].name }).innerText();
    expect(row1).toContain('33.33%');
    expect(row1).toContain('低于60.00%，每周督导');
    expect(await table.locator('tr', { hasText: branches[0].name }).innerText()).toContain('100.00%');
    await shot(page, 'interbank-coverage-1366');

    // ---- 周通报: the last week has no snapshot yet; the province office takes it.
    await page.goto(`/interbank/briefing?week=${week}`);
    await page.getByTestId('ibc-take').click();
    const briefing = page.getByTestId('ibc-briefing');
    await briefing.waitFor();
    const para0 = await page.getByTestId('ibc-para-0').innerText();
    expect(para0).toMatch(/已签约\d+户（其中单方签约0户），较上周增加\d+户/);
    expect(await page.getByTestId('ibc-para-1').innerText()).toContain(branches[1].name);
    // 省联社 and 1 of its 3 members signed: 2 of 4 = 50 %, 2 unsigned.
    expect(await page.getByTestId('ibc-para-2').innerText()).toContain('签约2户，签约覆盖率50%，未签约客户2户');
    await expect(page.getByTestId('ibc-corrections').innerText()).resolves.toContain('签约日期登记有误');
    await shot(page, 'interbank-briefing-1366');

    await page.getByTestId('ibc-edit-requirements').click();
    await page.getByTestId('ibc-requirements-input').fill('对覆盖率低于60%的二级分行实行每周督导，每周五17:00前报送目标客户名单、拜访记录及营销进度。');
    await page.getByTestId('ibc-save-requirements').click();
    await page.getByTestId('ibc-requirements').filter({ hasText: '每周五17:00前报送' }).waitFor();

    const [pdf] = await Promise.all([page.waitForEvent('download'), page.getByTestId('ibc-pdf').click()]);
    expect(pdf.suggestedFilename()).toBe(`同业合作平台周通报-${week}.pdf`);
    const bytes = readFileSync((await pdf.path())!);
    expect(bytes.subarray(0, 5).toString()).toBe('%PDF-');

    // ---- 排名 with the two weeks' trend, 口径与计划's calculator: 150 ÷ 100 × 10 = 15.
    await page.goto('/interbank/rankings');
    await page.getByTestId('ibc-rank-coverage').getByText(branches[0].name).waitFor();
    await page.getByTestId('ibc-trend-coverage').locator('canvas').waitFor();
    await shot(page, 'interbank-rankings-1366');
    await page.goto('/interbank/plans');
    await expect(page.getByTestId('ibc-calc-result').innerText()).resolves.toBe('150 ÷ 100 × 10 = 15');
    await shot(page, 'interbank-plans-1366');

    // ---- 督导报送: the flagged branch owes three submissions for the next week.
    await page.goto('/interbank/supervision');
    await page.getByTestId('ibc-supervision').getByText(branches[1].name).first().waitFor();
    await shot(page, 'interbank-supervision-1366');

    // ---- English: the same coverage page, switched.
    await page.getByTestId('lang-switch').click();
    await page.goto(`/interbank/coverage?asOf=${week}`);
    await page.getByText('Inter-bank platform coverage').waitFor();
    expect(await page.getByTestId('ibc-coverage-table').locator('tr', { hasText: branches[1].name }).innerText()).toContain('Under 60.00%: weekly supervision');
    await shot(page, 'interbank-coverage-en-1366');
    await expect(page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth)).resolves.toBe(true);
    expect(f.pageErrors).toEqual([]);
  });
});
