import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { demoDepartmentId } from '../../seed/demo-bank.js';
import { DEMO_NODES } from '../../seed/demo-ids.js';
import { type Client, createTestApp, type TestApp } from '../../test/harness.js';
import { beijingDay as beijingDate } from '../../calendar/index.js';
import { makeCompany, makeStaff } from './testing.js';

let t: TestApp;
let admin: Client; // province administrator: may configure the bank-wide criteria
let am: Client;
const YI = 10_000_000_000;
const day = (offsetDays: number) => beijingDate(new Date(Date.now() + offsetDays * 86_400_000));
const code = (res: { json(): { error?: { code: string } } }) => res.json().error?.code;

beforeAll(async () => {
  t = await createTestApp();
  admin = await t.login('admin');
  await makeStaff(t.database.db, { staffNo: 'tgt_am2', name: '陈伟', nodeId: DEMO_NODES.foshan, departmentId: demoDepartmentId(DEMO_NODES.foshan, 'CORP'), role: 'corporate_am' });
  am = await t.login('tgt_am2');
});
afterAll(() => t?.close());

type Item = { code: string; inForce: boolean; current: { rule: { value?: number }; nameZh: string; effectiveFrom: string } | null; history: unknown[] };
const find = (items: Item[], c: string) => items.find((i) => i.code === c)!;

describe('criteria as effective-dated configuration (SPEC §3)', () => {
  it('lists every Article 9 criterion of each department in force today, none before 2026-01-01', async () => {
    const res = (await am.get('/api/targets/criteria?departmentKind=corporate')).json();
    expect(res.on).toBe(day(0));
    expect(res.items).toHaveLength(11);
    expect(res.items.every((i: Item) => i.inForce)).toBe(true);
    expect(find(res.items, 'CORP.CREDIT_LINE').current!.rule).toEqual({ kind: 'gt', fact: 'creditLineFen', value: YI });
    const all = (await am.get('/api/targets/criteria')).json().items.map((i: Item) => i.code);
    expect(all.filter((c: string) => c.startsWith('INST.'))).toContain('INST.OTHER');
    expect(all.filter((c: string) => c.startsWith('RE.'))).toEqual(['RE.FINANCED_DEVELOPMENT', 'RE.TOP200_DEVELOPER', 'RE.GOV_PLATFORM', 'RE.LISTED_DEVELOPER_PROPERTY', 'RE.OTHER']);
    const before = (await am.get('/api/targets/criteria?departmentKind=corporate&on=2025-12-31')).json();
    expect(before.items.every((i: Item) => !i.inForce && i.current === null)).toBe(true);
    expect(code(await am.get('/api/targets/criteria?on=2026-02-30'))).toBe('REQUEST.INVALID');
  });

  it('a threshold change is a new row from a date not before today, audited with before and after', async () => {
    const rule = { kind: 'gt', fact: 'creditLineFen', value: 2 * YI };
    expect(code(await admin.put('/api/targets/criteria/CORP.CREDIT_LINE', { rule, effectiveFrom: day(-1) }))).toBe('TARGET.CRITERION_PAST_DATE');
    expect(code(await admin.put('/api/targets/criteria/CORP.CREDIT_LINE', { rule: { ...rule, value: 1.5 }, effectiveFrom: day(0) }))).toBe('REQUEST.INVALID');
    expect(code(await admin.put('/api/targets/criteria/CORP.CREDIT_LINE', { rule: { kind: 'gt', fact: 'nope', value: 1 }, effectiveFrom: day(0) }))).toBe('REQUEST.INVALID');
    expect(code(await admin.put('/api/targets/criteria/CORP.NO_SUCH', { rule, effectiveFrom: day(0) }))).toBe('TARGET.CRITERION_NOT_FOUND');

    const res = await admin.put('/api/targets/criteria/CORP.CREDIT_LINE', { rule, nameZh: '银行授信额度超过2亿元的大型企业', effectiveFrom: day(0) });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toMatchObject({ code: 'CORP.CREDIT_LINE', effectiveFrom: day(0), rule, active: true });
    expect(code(await admin.put('/api/targets/criteria/CORP.CREDIT_LINE', { sort: 21, effectiveFrom: day(0) }))).toBe('TARGET.CRITERION_DATE_TAKEN');

    const now = find((await am.get('/api/targets/criteria?departmentKind=corporate')).json().items, 'CORP.CREDIT_LINE');
    expect(now.current!.rule.value).toBe(2 * YI);
    expect(now.history).toHaveLength(2);
    const earlier = find((await am.get('/api/targets/criteria?departmentKind=corporate&on=2026-06-01')).json().items, 'CORP.CREDIT_LINE');
    expect(earlier.current!.rule.value).toBe(YI);

    const audit = (await admin.get('/api/audit?action=target.criterion.change')).json().items[0];
    expect(audit).toMatchObject({ entityId: 'CORP.CREDIT_LINE', before: { rule: { value: YI }, effectiveFrom: '2026-01-01' }, after: { rule: { value: 2 * YI }, effectiveFrom: day(0) } });

    // A nomination evaluated today uses the new threshold: 150 M no longer meets it.
    const c = await makeCompany(t.database.db, { nodeId: DEMO_NODES.foshan, departmentId: demoDepartmentId(DEMO_NODES.foshan, 'CORP'), creditLineFen: 1.5 * YI, provincialTaxRank: 10 });
    const preview = (await am.get(`/api/targets/evaluation?companyId=${c.id}&departmentId=${demoDepartmentId(DEMO_NODES.foshan, 'CORP')}`)).json();
    expect(preview.met).toEqual(['CORP.TAX_TOP200']);
    expect(preview.results.find((r: { code: string }) => r.code === 'CORP.CREDIT_LINE').explanation.zh).toContain('要求大于 200,000,000.00 元');
  });

  it('a change from a future date is not in force today', async () => {
    const res = await admin.put('/api/targets/criteria/CORP.TAX_TOP200', { rule: { kind: 'lte', fact: 'provincialTaxRank', value: 100 }, effectiveFrom: day(30) });
    expect(res.statusCode).toBe(200);
    const today = find((await am.get('/api/targets/criteria?departmentKind=corporate')).json().items, 'CORP.TAX_TOP200');
    expect(today.current!.rule.value).toBe(200);
    const later = find((await am.get(`/api/targets/criteria?departmentKind=corporate&on=${day(30)}`)).json().items, 'CORP.TAX_TOP200');
    expect(later.current!.rule.value).toBe(100);
  });

  it('deactivates from a date; the criterion stops being evaluated', async () => {
    const res = await admin.post('/api/targets/criteria/CORP.GLOBAL500/deactivate', { effectiveFrom: day(0) });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json().active).toBe(false);
    const item = (await am.get('/api/targets/criteria/CORP.GLOBAL500')).json();
    expect(item).toMatchObject({ inForce: false });
    expect(item.history).toHaveLength(2);
    expect((await admin.get('/api/audit?action=target.criterion.deactivate')).json().items[0]).toMatchObject({ entityId: 'CORP.GLOBAL500', before: { active: true }, after: { active: false } });
    const c = await makeCompany(t.database.db, { nodeId: DEMO_NODES.foshan, departmentId: demoDepartmentId(DEMO_NODES.foshan, 'CORP'), facts: { global500Controlled: true } });
    const preview = (await am.get(`/api/targets/evaluation?companyId=${c.id}&departmentId=${demoDepartmentId(DEMO_NODES.foshan, 'CORP')}`)).json();
    expect(preview.results.map((r: { code: string }) => r.code)).not.toContain('CORP.GLOBAL500');
  });

  it('adds a criterion; only province-level configurers may change the bank-wide criteria', async () => {
    const body = {
      code: 'CORP.HIGH_TECH',
      departmentKind: 'corporate',
      nameZh: '国家级高新技术企业',
      nameEn: 'National high-tech enterprise',
      rule: { kind: 'truthy', fact: 'listed' },
      sort: 95,
      effectiveFrom: day(0),
    };
    const res = await admin.post('/api/targets/criteria', body);
    expect(res.statusCode, res.body).toBe(201);
    expect(code(await admin.post('/api/targets/criteria', body))).toBe('TARGET.CRITERION_CODE_TAKEN');
    const chair = await t.login('fs_president'); // committee chair of a tier-2 branch
    expect(code(await chair.put('/api/targets/criteria/CORP.HAS_LOAN', { nameZh: '改名', effectiveFrom: day(1) }))).toBe('TARGET.CONFIGURE_SCOPE');
    expect(code(await am.put('/api/targets/criteria/CORP.HAS_LOAN', { nameZh: '改名', effectiveFrom: day(1) }))).toBe('AUTH.FORBIDDEN');
    expect(code(await admin.put('/api/targets/criteria/CORP.HAS_LOAN', { effectiveFrom: day(1) }))).toBe('REQUEST.INVALID');
  });
});
