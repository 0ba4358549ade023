import { eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rows } from '../../db/client.js';
import { corporateClients, targetListVersions } from '../../db/schema/index.js';
import { demoDepartmentId } from '../../seed/demo-bank.js';
import { DEMO_NODES } from '../../seed/demo-ids.js';
import { type Client, createTestApp, type TestApp } from '../../test/harness.js';
import { addMonths, beijingDay as beijingDate } from '../../calendar/index.js';
import { makeCompany, makeStaff } from './testing.js';

const FS = DEMO_NODES.foshan;
const HY = DEMO_NODES.heyuan;
const FS_CORP = demoDepartmentId(FS, 'CORP');
const FS_INST = demoDepartmentId(FS, 'INST');
const HY_CORP = demoDepartmentId(HY, 'CORP');
const YI = 10_000_000_000; // 1 亿元 in 分

let t: TestApp;
let am: Client; // 佛山分行公司业务部 对公客户经理
let chair: Client; // fs_president: committee chair of 佛山分行
let member: Client; // a committee member of 佛山分行
let hyAdmin: Client;
let fsAdmin: Client;
const co: Record<string, number> = {};
const listUrl = `/api/targets/lists/${FS}/${FS_CORP}`;

beforeAll(async () => {
  t = await createTestApp();
  const db = t.database.db;
  const amRow = await makeStaff(db, { staffNo: 'tgt_fs_am', name: '梁志强', nodeId: FS, departmentId: FS_CORP, role: 'corporate_am' });
  await makeStaff(db, { staffNo: 'tgt_fs_member', name: '何静', nodeId: FS, departmentId: demoDepartmentId(FS, 'PF'), role: 'committee_member' });
  const base = { nodeId: FS, departmentId: FS_CORP, accountManagerId: amRow.id };
  co.big = (await makeCompany(db, { ...base, name: '佛山市顺德区华南重工股份有限公司', creditLineFen: 2 * YI })).id;
  co.edge = (await makeCompany(db, { ...base, name: '佛山市禅城区陶瓷贸易有限公司', creditLineFen: YI, provincialTaxRank: 150 })).id;
  co.small = (await makeCompany(db, { ...base, name: '佛山市南海区小微五金厂' })).id;
  co.loan = (await makeCompany(db, { ...base, name: '佛山市高明区食品有限公司', loanBalanceFen: 500_000_000 })).id;
  co.inst = (await makeCompany(db, { nodeId: FS, departmentId: FS_INST, name: '佛山市第一人民医院', creditLineFen: 2 * YI })).id;
  co.heyuan = (await makeCompany(db, { nodeId: HY, departmentId: HY_CORP, name: '河源市源城区电子有限公司', creditLineFen: 3 * YI })).id;
  am = await t.login('tgt_fs_am');
  chair = await t.login('fs_president');
  member = await t.login('tgt_fs_member');
  hyAdmin = await t.login('hy_admin');
  fsAdmin = await t.login('fs_admin');
});
afterAll(() => t?.close());

const nominate = (c: Client, companyId: number, extra: Record<string, unknown> = {}) => c.post('/api/targets/nominations', { companyId, departmentId: FS_CORP, ...extra });
const code = (res: { json(): { error?: { code: string } } }) => res.json().error?.code;

describe('nomination → review → versions → diff (SPEC §3)', () => {
  const ids: Record<string, number> = {};

  it('nominates with the evaluation stored: met and unmet criteria, with the facts', async () => {
    const res = await nominate(am, co.big);
    expect(res.statusCode, res.body).toBe(201);
    const n = res.json();
    expect(n).toMatchObject({ status: 'nominated', action: 'add', companyId: co.big, departmentName: '公司业务部', nominatedByName: '梁志强' });
    expect(n.met).toEqual(['CORP.CREDIT_LINE']);
    ids.big = n.id;

    const page = (await am.get(`/api/targets/nominations/${n.id}`)).json();
    const credit = page.evaluation.results.find((r: { code: string }) => r.code === 'CORP.CREDIT_LINE');
    expect(credit).toMatchObject({ met: true, facts: [{ key: 'creditLineFen', value: 2 * YI }] });
    expect(credit.explanation.zh).toContain('200,000,000.00 元');
    const unmet = page.evaluation.results.filter((r: { met: boolean }) => !r.met).map((r: { code: string }) => r.code);
    expect(unmet).toContain('CORP.TAX_TOP200');
    expect(page.evaluation.results).toHaveLength(11);
  });

  it('exactly 100 M is not "over 100 M"; rank 150 is top-200', async () => {
    const n = (await nominate(am, co.edge)).json();
    expect(n.met).toEqual(['CORP.TAX_TOP200']);
    expect(n.evaluation.results.find((r: { code: string }) => r.code === 'CORP.CREDIT_LINE').met).toBe(false);
    ids.edge = n.id;
  });

  it('"other" needs a written reason', async () => {
    const bare = await nominate(am, co.small);
    expect(bare.statusCode).toBe(400);
    expect(code(bare)).toBe('TARGET.REASON_REQUIRED');
    const withReason = await nominate(am, co.small, { reason: '镇级产业集群龙头，员工800人，代发潜力大' });
    expect(withReason.statusCode).toBe(201);
    expect(withReason.json().met).toEqual(['CORP.OTHER']);
    ids.small = withReason.json().id;
  });

  it('refuses named cases: pending twice, removal of a client not on the list, another department’s client', async () => {
    expect(code(await nominate(am, co.big))).toBe('TARGET.ALREADY_NOMINATED');
    expect(code(await nominate(am, co.loan, { action: 'remove', reason: '不再合作' }))).toBe('TARGET.NOT_ON_LIST');
    expect(code(await nominate(am, co.inst))).toBe('TARGET.NOT_MANAGED');
    expect(code(await am.post('/api/targets/nominations', { companyId: co.big, departmentId: demoDepartmentId(FS, 'PF') }))).toBe('TARGET.DEPT_NOT_ELIGIBLE');
    expect(code(await am.post('/api/targets/nominations', { companyId: co.heyuan, departmentId: HY_CORP }))).toBe('AUTH.OUT_OF_SCOPE');
  });

  it('the committee approves or rejects with a reason; deciding twice is refused', async () => {
    expect((await am.post(`/api/targets/nominations/${ids.big}/approve`, {})).statusCode).toBe(403);
    const ok = await chair.post(`/api/targets/nominations/${ids.big}/approve`, { reason: '符合第九条（2）' });
    expect(ok.statusCode, ok.body).toBe(200);
    expect(ok.json()).toMatchObject({ status: 'approved', decisionReason: '符合第九条（2）', decidedByName: expect.any(String) });
    expect((await member.post(`/api/targets/nominations/${ids.edge}/approve`, {})).json().status).toBe('approved');
    expect(code(await chair.post(`/api/targets/nominations/${ids.small}/reject`, {}))).toBe('TARGET.REASON_REQUIRED');
    expect((await chair.post(`/api/targets/nominations/${ids.small}/reject`, { reason: '规模偏小，暂不纳入' })).json().status).toBe('rejected');
    const again = await chair.post(`/api/targets/nominations/${ids.big}/approve`, {});
    expect(again.statusCode).toBe(409);
    expect(code(again)).toBe('TARGET.ALREADY_DECIDED');
    expect(code(await member.post(`/api/targets/nominations/${ids.small}/approve`, {}))).toBe('TARGET.ALREADY_DECIDED');
  });

  it('cuts version 1 from the approved nominations, with the review date', async () => {
    expect(code(await am.post(`${listUrl}/versions`, {}))).toBe('AUTH.FORBIDDEN');
    const res = await chair.post(`${listUrl}/versions`, { note: '2026年第一批' });
    expect(res.statusCode, res.body).toBe(201);
    const today = beijingDate(new Date());
    expect(res.json()).toMatchObject({ versionNo: 1, entryCount: 2, addedCount: 2, removedCount: 0, reviewDueOn: addMonths(today, 6), note: '2026年第一批' });
    const v1 = (await am.get(`${listUrl}/versions/1`)).json();
    expect(v1.items.map((e: { companyId: number }) => e.companyId).sort()).toEqual([co.big, co.edge].sort());
    const big = v1.items.find((e: { companyId: number }) => e.companyId === co.big);
    expect(big).toMatchObject({ name: '佛山市顺德区华南重工股份有限公司', criteria: ['CORP.CREDIT_LINE'] });
    expect(big.uscc).toMatch(/^[0-9A-Z]{18}$/);
    expect(big.criteriaNames[0].nameZh).toBe('银行授信额度超过亿元的大型企业');
    expect((await am.get(`/api/targets/nominations/${ids.big}`)).json().versionNo).toBe(1);
    expect((await am.get(`/api/targets/nominations/${ids.small}`)).json().versionNo).toBeNull();
    // Already on the list: not again.
    expect(code(await nominate(am, co.big))).toBe('TARGET.ALREADY_ON_LIST');
  });

  it('more nominations and a removal → version 2; the diff shows added, removed and changed', async () => {
    const add = (await nominate(am, co.loan)).json();
    expect(add.met).toEqual(['CORP.HAS_LOAN']);
    const noReason = await nominate(am, co.edge, { action: 'remove' });
    expect(code(noReason)).toBe('TARGET.REASON_REQUIRED');
    const remove = await nominate(am, co.edge, { action: 'remove', reason: '授信到期不再续作' });
    expect(remove.statusCode, remove.body).toBe(201);
    await member.post(`/api/targets/nominations/${add.id}/approve`, {});
    await member.post(`/api/targets/nominations/${remove.json().id}/approve`, { reason: '同意移出' });
    // The facts of a client on the list change: it now also has a loan.
    await t.database.db.update(corporateClients).set({ loanBalanceFen: 1_000_000 }).where(eq(corporateClients.id, co.big));

    const v2 = await member.post(`${listUrl}/versions`, {});
    expect(v2.statusCode, v2.body).toBe(201);
    expect(v2.json()).toMatchObject({ versionNo: 2, entryCount: 2, addedCount: 1, removedCount: 1 });

    const diff = (await am.get(`${listUrl}/diff?from=1&to=2`)).json();
    expect(diff.added.map((e: { companyId: number }) => e.companyId)).toEqual([co.loan]);
    expect(diff.removed.map((e: { companyId: number }) => e.companyId)).toEqual([co.edge]);
    expect(diff.changed).toEqual([expect.objectContaining({ companyId: co.big, before: ['CORP.CREDIT_LINE'], criteriaAdded: ['CORP.HAS_LOAN'], criteriaRemoved: [] })]);
    const back = (await am.get(`${listUrl}/diff?from=2&to=1`)).json();
    expect(back.added.map((e: { companyId: number }) => e.companyId)).toEqual([co.edge]);
    const fromEmpty = (await am.get(`${listUrl}/diff?from=0&to=2`)).json();
    expect(fromEmpty.added).toHaveLength(2);
    expect(code(await am.get(`${listUrl}/diff?from=1&to=9`))).toBe('TARGET.VERSION_NOT_FOUND');

    const versions = (await am.get(`${listUrl}/versions`)).json();
    expect(versions.items.map((v: { versionNo: number }) => v.versionNo)).toEqual([2, 1]);
    const audit = (await fsAdmin.get('/api/audit?action=target.list.version')).json().items;
    expect(audit[0].after).toMatchObject({ versionNo: 2, added: [co.loan], removed: [co.edge], changed: [co.big] });
  });

  it('a list with no approved nomination has nothing to cut; lists and reminders show the branch’s lists', async () => {
    expect(code(await chair.post(`/api/targets/lists/${FS}/${FS_INST}/versions`, {}))).toBe('TARGET.NOTHING_TO_CUT');
    expect(code(await chair.post(`/api/targets/lists/${HY}/${FS_CORP}/versions`, {}))).toBe('DEPT.NOT_FOUND');
    const lists = (await am.get(`/api/targets/lists?nodeId=${FS}`)).json().items;
    expect(lists.map((l: { departmentName: string }) => l.departmentName)).toEqual(['公司业务部', '机构业务部', '房地产信贷部']);
    expect(lists[0]).toMatchObject({ versionNo: 2, entryCount: 2, due: false });

    // Due in 10 days → a reminder for 佛山, none for 河源.
    const soon = beijingDate(new Date(Date.now() + 10 * 86_400_000));
    await t.database.db.update(targetListVersions).set({ reviewDueOn: soon }).where(eq(targetListVersions.departmentId, FS_CORP));
    const rem = (await chair.get('/api/targets/reminders')).json();
    expect(rem.items).toEqual([expect.objectContaining({ nodeId: FS, departmentId: FS_CORP, daysLeft: 10, overdue: false })]);
    expect((await hyAdmin.get('/api/targets/reminders')).json().items).toEqual([]);
  });
});

describe('scope: a sibling branch sees nothing (SPEC §1)', () => {
  it('河源 cannot read or decide 佛山’s list; 佛山 cannot read 河源’s', async () => {
    for (const url of [`${listUrl}/versions`, `${listUrl}/versions/1`, `${listUrl}/diff?from=1&to=2`]) {
      const res = await hyAdmin.get(url);
      expect(res.statusCode, url).toBe(403);
      expect(code(res)).toBe('AUTH.OUT_OF_SCOPE');
      expect(res.body).not.toContain('佛山');
    }
    const [{ id }] = await rows<{ id: number }>(t.database.db, sql`SELECT id FROM target_nominations WHERE department_id = ${FS_CORP} LIMIT 1`);
    expect(code(await hyAdmin.get(`/api/targets/nominations/${id}`))).toBe('AUTH.OUT_OF_SCOPE');
    expect((await hyAdmin.get('/api/targets/nominations')).json().total).toBe(0);
    expect((await hyAdmin.get('/api/targets/lists')).json().items.every((l: { nodeId: number }) => l.nodeId === HY)).toBe(true);

    const hy = (await hyAdmin.post('/api/targets/nominations', { companyId: co.heyuan, departmentId: HY_CORP })).json();
    expect(hy.status).toBe('nominated');
    expect(code(await chair.post(`/api/targets/nominations/${hy.id}/approve`, {}))).toBe('AUTH.OUT_OF_SCOPE');
    expect(code(await fsAdmin.get(`/api/targets/lists/${HY}/${HY_CORP}/versions`))).toBe('AUTH.OUT_OF_SCOPE');
    expect(code(await am.get(`/api/targets/nominations/${hy.id}`))).toBe('AUTH.OUT_OF_SCOPE');
    expect((await am.get('/api/targets/nominations?pageSize=200')).json().items.every((n: { nodeId: number }) => n.nodeId === FS)).toBe(true);
    // The nominator cannot decide their own nomination, even as an administrator.
    expect(code(await hyAdmin.post(`/api/targets/nominations/${hy.id}/approve`, {}))).toBe('TARGET.SELF_REVIEW');
  });

  it('staff without customer.read or target.* cannot see lists at all', async () => {
    const plain = await t.login('fs_staff');
    expect(code(await plain.get('/api/targets/lists'))).toBe('AUTH.FORBIDDEN');
  });
});
