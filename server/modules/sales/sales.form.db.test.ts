import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rows } from '../../db/client.js';
import { demoDepartmentId } from '../../seed/demo-bank.js';
import { DEMO_NODES } from '../../seed/demo-ids.js';
import { type Client, createTestApp, type TestApp } from '../../test/harness.js';

/** The one-sale form (issue 12): previews that equal what saving gives and write nothing, scoped pickers. */
const FS = DEMO_NODES.foshan;
let t: TestApp;
let fsAdmin: Client;
let hyAdmin: Client;
let am: Client;
let plain: Client;
const fx = { personId: 0, idNumber: '', pf: [] as string[], corp: [] as string[], inst: [] as string[], hyPf: '', amNo: '' };
const q = <T>(query: ReturnType<typeof sql>) => rows<T>(t.database.db, query);
const staffNos = async (nodeId: number, code: string) =>
  (await q<{ n: string }>(sql`SELECT staff_no AS n FROM staff WHERE department_id = ${demoDepartmentId(nodeId, code)} AND active ORDER BY id`)).map((r) => r.n);

/** Everything a preview could write. */
async function counts() {
  const [r] = await q<Record<string, number>>(
    sql`SELECT (SELECT count(*) FROM sales)::int AS sales, (SELECT count(*) FROM ledger_entries)::int AS ledger, (SELECT count(*) FROM sale_people)::int AS people,
               (SELECT count(*) FROM sale_departments)::int AS depts, (SELECT count(*) FROM audit_log)::int AS audit`,
  );
  return r;
}

let seq = 0;
function sale(over: Record<string, unknown> = {}) {
  seq++;
  return {
    sourceId: `FORM-${Date.now().toString(36)}-${seq}`,
    productCode: 'DEBIT',
    personId: fx.personId,
    saleDate: '2026-10-12',
    quantity: '3',
    departments: [
      { code: 'CORP', ratio: '60' },
      { code: 'INST', ratio: '40' },
    ],
    people: [
      { staffNo: fx.pf[0], departmentCode: 'PF' },
      { staffNo: fx.corp[0], departmentCode: 'CORP', contribution: '70' },
      { staffNo: fx.corp[1], departmentCode: 'CORP', contribution: '30' },
    ],
    ...over,
  };
}

beforeAll(async () => {
  t = await createTestApp();
  fsAdmin = await t.login('fs_admin');
  hyAdmin = await t.login('hy_admin');
  plain = await t.login('fs_staff');
  const [p] = await q<{ id: number; n: string }>(sql`SELECT i.id, i.id_number AS n FROM individuals i JOIN org_nodes o ON o.id = i.node_id WHERE o.path LIKE ${`/1/2/${FS}/%`} ORDER BY i.id LIMIT 1`);
  fx.personId = p.id;
  fx.idNumber = p.n;
  fx.pf = await staffNos(FS, 'PF');
  fx.corp = await staffNos(FS, 'CORP');
  fx.inst = await staffNos(FS, 'INST');
  fx.hyPf = (await staffNos(DEMO_NODES.heyuan, 'PF'))[0];
  // A personal account manager of 佛山 (like 44110014): records sales with the role's sale.write.
  fx.amNo = (
    await q<{ n: string }>(
      sql`SELECT s.staff_no AS n FROM staff s JOIN staff_roles r ON r.staff_id = s.id JOIN org_nodes n ON n.id = r.scope_node_id
          WHERE r.role_code = 'personal_am' AND s.active AND n.path LIKE ${`/1/2/${FS}/%`} ORDER BY s.id LIMIT 1`,
    )
  )[0].n;
  am = await t.login(fx.amNo);
});
afterAll(() => t?.close());

describe('POST /api/sales/preview', () => {
  it('returns the split saving then gives, to the hundredth, and writes nothing', async () => {
    const body = sale();
    const before = await counts();
    const res = await fsAdmin.post('/api/sales/preview', body);
    expect(res.statusCode, res.body).toBe(200);
    expect(await counts()).toEqual(before);
    const preview = res.json();
    expect(preview.status).toBe('created');
    expect(preview.saleId).toBeNull();
    expect(preview.split.total.pointsHundredths).toBeGreaterThan(0);
    expect(preview.split.departments.map((d: { code: string }) => d.code).sort()).toEqual(['CORP', 'INST', 'PF']);

    const saved = await fsAdmin.post('/api/sales', body);
    expect(saved.statusCode, saved.body).toBe(201);
    const split = await fsAdmin.get(`/api/scoring/sales/${saved.json().saleId}/split`);
    expect(split.statusCode, split.body).toBe(200);
    const pick = (s: { departments: { code: string; pointsHundredths: number }[]; people: { staffNo: string; departmentId: number; pointsHundredths: number }[] }) => ({
      departments: s.departments.map((d) => [d.code, d.pointsHundredths]).sort(),
      people: s.people.map((p) => [p.staffNo, p.departmentId, p.pointsHundredths]).sort(),
    });
    expect(pick(preview.split)).toEqual(pick(split.json()));
    expect(preview.split.total).toEqual(split.json().total);
    expect(preview.split.people.reduce((a: number, p: { pointsHundredths: number }) => a + p.pointsHundredths, 0)).toBe(
      preview.split.departments.filter((d: { code: string }) => d.code !== 'INST').reduce((a: number, d: { pointsHundredths: number }) => a + d.pointsHundredths, 0),
    );

    // The same sale again previews as the duplicate it would be, with the recorded split.
    const again = await fsAdmin.post('/api/sales/preview', body);
    expect(again.json()).toMatchObject({ status: 'duplicate', saleId: saved.json().saleId });
  });

  it('refuses what saving refuses, with field details the form places (ratios, client)', async () => {
    const before = await counts();
    const res = await fsAdmin.post(
      '/api/sales/preview',
      sale({
        departments: [
          { code: 'CORP', ratio: '60' },
          { code: 'INST', ratio: '30' },
        ],
      }),
    );
    expect(res.statusCode).toBe(400);
    expect(res.json().error.code).toBe('SALE.RATIOS_NOT_100');
    expect(res.json().error.details).toEqual([expect.objectContaining({ path: 'body.departments', code: 'SALE.RATIOS_NOT_100', message: expect.stringContaining('90%') })]);
    const saved = await fsAdmin.post(
      '/api/sales',
      sale({
        departments: [
          { code: 'CORP', ratio: '60' },
          { code: 'INST', ratio: '30' },
        ],
      }),
    );
    expect(saved.json().error.details[0]).toMatchObject({ path: 'body.departments', code: 'SALE.RATIOS_NOT_100' });
    const future = await fsAdmin.post('/api/sales/preview', sale({ saleDate: '2099-01-01' }));
    expect(future.json().error.details[0]).toMatchObject({ path: 'body.saleDate', code: 'SALE.FUTURE_DATE' });
    const english = await fsAdmin.request({ method: 'POST', url: '/api/sales/preview', payload: sale({ saleDate: '2099-01-01' }), headers: { 'accept-language': 'en' } });
    expect(english.json().error.details[0].message).toMatch(/after today/);
    expect(await counts()).toEqual(before);
  });

  it('is refused outside the caller’s scope: another branch’s sale, another branch’s client', async () => {
    const before = await counts();
    const res = await hyAdmin.post('/api/sales/preview', sale());
    expect(res.statusCode).toBe(403);
    expect(res.json().error.code).toBe('AUTH.OUT_OF_SCOPE');
    const noWrite = await plain.post('/api/sales/preview', sale());
    expect(noWrite.statusCode).toBe(403);
    expect(await counts()).toEqual(before);
  });

  it('lets a personal account manager record a sale they take part in, and see its split first', async () => {
    const body = sale({ people: [{ staffNo: fx.amNo }, { staffNo: fx.corp[0], departmentCode: 'CORP' }] });
    const amDept = (await q<{ code: string }>(sql`SELECT d.code FROM staff s JOIN departments d ON d.id = s.department_id WHERE s.staff_no = ${fx.amNo}`))[0]?.code;
    // Credited to their own department when it is on the sale, else to the host.
    const people = [
      { staffNo: fx.amNo, departmentCode: amDept === 'CORP' || amDept === 'INST' ? amDept : 'PF' },
      { staffNo: fx.corp[0], departmentCode: 'CORP' },
    ];
    const preview = await am.post('/api/sales/preview', { ...body, people });
    expect(preview.statusCode, preview.body).toBe(200);
    expect(preview.json().split.people.map((p: { staffNo: string }) => p.staffNo)).toContain(fx.amNo);
    const saved = await am.post('/api/sales', { ...body, people });
    expect(saved.statusCode, saved.body).toBe(201);
  });
});

describe('POST /api/sales/:id/correction-preview', () => {
  it('gives before and after points per line and writes nothing; out of scope is refused', async () => {
    const saved = await fsAdmin.post('/api/sales', sale({ saleDate: '2026-09-10' }));
    expect(saved.statusCode, saved.body).toBe(201);
    const id = saved.json().saleId as number;
    const [{ total }] = await q<{ total: number }>(sql`SELECT sum(points_hundredths)::int AS total FROM ledger_entries WHERE sale_id = ${id}`);
    const before = await counts();
    const body = {
      departments: [
        { code: 'CORP', ratio: '50' },
        { code: 'INST', ratio: '50' },
      ],
      people: [
        { staffNo: fx.pf[0], departmentCode: 'PF' },
        { staffNo: fx.inst[0], departmentCode: 'INST' },
      ],
    };
    const res = await fsAdmin.post(`/api/sales/${id}/correction-preview`, body);
    expect(res.statusCode, res.body).toBe(200);
    expect(await counts()).toEqual(before);
    const r = res.json();
    expect(r.before.totalHundredths).toBe(Number(total));
    expect(r.after.totalHundredths).toBe(Number(total));
    const line = (staffNo: string) => r.lines.find((l: { staffNo: string | null }) => l.staffNo === staffNo);
    expect(line(fx.corp[1])).toMatchObject({ kind: 'person', afterHundredths: 0 });
    expect(line(fx.corp[1]).beforeHundredths).toBeGreaterThan(0);
    expect(line(fx.inst[0])).toMatchObject({ kind: 'person', beforeHundredths: 0 });
    expect(line(fx.inst[0]).afterHundredths).toBeGreaterThan(0);

    // Applying it gives exactly the "after" of the preview.
    const { correctSale } = await import('./sales.correct.js');
    await t.database.db.transaction((tx) =>
      correctSale(
        tx,
        { id: null, name: 'test' },
        id,
        {
          departments: [
            { code: 'CORP', ratioBp: 5000 },
            { code: 'INST', ratioBp: 5000 },
          ],
          people: [
            { staffNo: fx.pf[0], departmentCode: 'PF', role: '营销人员', contributionBp: null },
            { staffNo: fx.inst[0], departmentCode: 'INST', role: '营销人员', contributionBp: null },
          ],
        },
        { today: '2026-12-05', upheldObjection: true },
      ),
    );
    const nets = await q<{ staff_id: number; n: number }>(sql`SELECT staff_id, sum(points_hundredths)::int AS n FROM ledger_entries WHERE sale_id = ${id} AND staff_id IS NOT NULL GROUP BY 1`);
    for (const l of r.lines.filter((x: { kind: string }) => x.kind === 'person')) expect(Number(nets.find((n) => n.staff_id === l.staffId)?.n ?? 0)).toBe(l.afterHundredths);

    const bad = await fsAdmin.post(`/api/sales/${id}/correction-preview`, {
      departments: [
        { code: 'CORP', ratio: '70' },
        { code: 'INST', ratio: '50' },
      ],
    });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error.details[0]).toMatchObject({ path: 'body.departments', code: 'SALE.RATIOS_NOT_100' });
    const other = await hyAdmin.post(`/api/sales/${id}/correction-preview`, body);
    expect(other.statusCode).toBe(403);
  });
});

describe('pickers', () => {
  it('staff and departments are those of the branches the caller records for, without staff.read', async () => {
    const staff = await am.get(`/api/sales/pickers/staff?q=${fx.corp[0]}`);
    expect(staff.statusCode, staff.body).toBe(200);
    expect(staff.json().items[0]).toMatchObject({ staffNo: fx.corp[0], departmentCode: 'CORP' });
    expect((await am.get(`/api/sales/pickers/staff?q=${fx.hyPf}`)).json().items).toEqual([]);
    expect((await am.get('/api/staff')).statusCode).toBe(403);
    const depts = (await am.get('/api/sales/pickers/departments')).json().items as { code: string; nodeId: number }[];
    expect(depts.map((d) => d.code)).toEqual(expect.arrayContaining(['PF', 'CORP', 'INST']));
    expect(new Set(depts.map((d) => d.nodeId))).toEqual(new Set([FS]));
    expect((await plain.get('/api/sales/pickers/departments')).statusCode).toBe(403);
  });

  it('clients by name, USCC or ID suffix, the ID number masked; another branch’s clients are not offered', async () => {
    const [p] = await q<{ name: string }>(sql`SELECT name FROM individuals WHERE id = ${fx.personId}`);
    const bySuffix = (await am.get(`/api/sales/pickers/clients?q=${fx.idNumber.slice(-4)}`)).json().items as { id: number; code: string; kind: string }[];
    const hit = bySuffix.find((c) => c.kind === 'individual' && c.id === fx.personId)!;
    expect(hit.code).not.toBe(fx.idNumber);
    expect(hit.code).toMatch(/^\d{4}\*+[\dX]{4}$/);
    expect((await am.get(`/api/sales/pickers/clients?q=${encodeURIComponent(p.name)}`)).json().items.some((c: { id: number }) => c.id === fx.personId)).toBe(true);
    const [firm] = await q<{ uscc: string }>(sql`SELECT c.uscc FROM corporate_clients c JOIN org_nodes o ON o.id = c.node_id WHERE o.path LIKE ${`/1/2/${FS}/%`} ORDER BY c.id LIMIT 1`);
    expect((await am.get(`/api/sales/pickers/clients?q=${firm.uscc}`)).json().items[0]).toMatchObject({ kind: 'company', code: firm.uscc });
    const [hyFirm] = await q<{ uscc: string }>(
      sql`SELECT c.uscc FROM corporate_clients c JOIN org_nodes o ON o.id = c.node_id WHERE o.path LIKE ${`/1/2/${DEMO_NODES.heyuan}/%`} ORDER BY c.id LIMIT 1`,
    );
    expect((await am.get(`/api/sales/pickers/clients?q=${hyFirm.uscc}`)).json().items).toEqual([]);
  });
});
