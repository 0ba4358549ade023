import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { useTestClock } from '../../calendar/index.js';
import { rows } from '../../db/client.js';
import { DEMO_NODES } from '../../seed/demo-ids.js';
import { type Client, createTestApp, type TestApp } from '../../test/harness.js';

/**
 * 首页 workbench and participants' read access (issue 12). The clock stands at 01:30 on
 * 1 December in Beijing — still 30 November in UTC — so "this month" must be December.
 */
let t: TestApp;
let restoreClock: () => void;
let fsAdmin: Client;
let am: Client; // 44110014 陈雨君, personal account manager: sale.read, no statement.read
let staffUser: Client; // fs_staff: no sale.read
let hyAdmin: Client;
const FS = DEMO_NODES.foshan;
const q = <T>(query: ReturnType<typeof sql>) => rows<T>(t.database.db, query);
let amId = 0;
let amDept = 0;
let staffId = 0;
let saleId = 0;
let staffSaleId = 0;

beforeAll(async () => {
  restoreClock = useTestClock('2026-11-30T17:30:00Z').restore;
  t = await createTestApp();
  [fsAdmin, am, staffUser, hyAdmin] = await Promise.all([t.login('fs_admin'), t.login('44110014'), t.login('fs_staff'), t.login('hy_admin')]);
  [{ id: amId, dept: amDept }] = await q<{ id: number; dept: number }>(sql`SELECT id, department_id AS dept FROM staff WHERE staff_no = '44110014'`);
  [{ id: staffId }] = await q<{ id: number }>(sql`SELECT id FROM staff WHERE staff_no = 'fs_staff'`);
  const [{ idNumber }] = await q<{ idNumber: string }>(
    sql`SELECT i.id_number AS "idNumber" FROM individuals i JOIN org_nodes n ON n.id = i.node_id WHERE n.path LIKE ${`/1/2/${FS}/%`} ORDER BY i.id LIMIT 1`,
  );
  const [{ pf }] = await q<{ pf: string }>(
    sql`SELECT s.staff_no AS pf FROM staff s JOIN departments d ON d.id = s.department_id WHERE d.node_id = ${FS} AND d.code = 'PF' AND s.active ORDER BY s.id LIMIT 1`,
  );
  const [{ code: amDeptCode }] = await q<{ code: string }>(sql`SELECT code FROM departments WHERE id = ${amDept}`);
  const [{ code: staffDeptCode }] = await q<{ code: string }>(sql`SELECT d.code FROM staff s JOIN departments d ON d.id = s.department_id WHERE s.id = ${staffId}`);
  const record = async (sourceId: string, people: object[], departments: object[]) => {
    const res = await fsAdmin.post('/api/sales', { sourceId, productCode: 'DEBIT', idNumber, saleDate: '2026-12-01', quantity: 3, departments, people });
    expect(res.statusCode, res.body).toBe(201);
    return res.json().saleId as number;
  };
  saleId = await record(
    'WB-1',
    [
      { staffNo: pf, departmentCode: 'PF' },
      { staffNo: '44110014', departmentCode: amDeptCode },
    ],
    [{ code: amDeptCode }],
  );
  staffSaleId = await record(
    'WB-2',
    [
      { staffNo: pf, departmentCode: 'PF' },
      { staffNo: 'fs_staff', departmentCode: staffDeptCode },
    ],
    staffDeptCode === 'PF' ? [{ code: 'CORP' }] : [{ code: staffDeptCode }],
  );
});
afterAll(async () => {
  await t?.close();
  restoreClock?.();
});

describe('GET /api/workbench', () => {
  it('gives my points of the Beijing month and year by product, and my sales of the month with my points on each', async () => {
    const res = await am.get('/api/workbench');
    expect(res.statusCode, res.body).toBe(200);
    const w = res.json();
    expect(w.month).toBe('2026-12');
    expect(w.year).toBe(2026);
    expect(w.me).toMatchObject({ staffId: amId, staffNo: '44110014', departmentId: amDept, branchId: FS });
    const [{ mine }] = await q<{ mine: string }>(sql`SELECT sum(points_hundredths)::text AS mine FROM ledger_entries WHERE sale_id = ${saleId} AND staff_id = ${amId} AND kind <> 'void'`);
    expect(Number(mine)).toBeGreaterThan(0);
    const sale = w.sales.find((s: { id: number }) => s.id === saleId);
    expect(sale).toMatchObject({ sourceId: 'WB-1', saleDate: '2026-12-01', mine: { pointsHundredths: Number(mine) } });
    expect(w.salesTotal).toBe(1);
    expect(w.points.month.pointsHundredths).toBe(Number(mine));
    const debit = w.points.products.find((p: { productCode: string }) => p.productCode === 'DEBIT');
    expect(debit.month.pointsHundredths).toBe(Number(mine));
    const [{ year }] = await q<{ year: string }>(
      sql`SELECT coalesce(sum(points_hundredths), 0)::text AS year FROM ledger_entries WHERE staff_id = ${amId} AND kind <> 'void' AND period >= '2026-01-01' AND period < '2027-01-01'`,
    );
    expect(w.points.year.pointsHundredths).toBe(Number(year));
    expect(w.points.year.points).toBe((Number(year) / 100).toFixed(2));
  });

  it('ranks me in my department and branch by this month’s points, ties to the smaller staff number', async () => {
    const w = (await am.get('/api/workbench')).json();
    const oracle = async (who: ReturnType<typeof sql>) => {
      const list = await q<{ id: number; staff_no: string; pts: string }>(
        sql`SELECT s.id, s.staff_no, coalesce((SELECT sum(e.points_hundredths) FROM ledger_entries e WHERE e.staff_id = s.id AND e.kind <> 'void' AND e.period = '2026-12-01'), 0)::text AS pts
            FROM staff s JOIN org_nodes n ON n.id = s.node_id WHERE s.active AND ${who}`,
      );
      const me = list.find((x) => x.id === amId)!;
      const ahead = list.filter((x) => BigInt(x.pts) > BigInt(me.pts) || (x.pts === me.pts && x.staff_no < me.staff_no)).length;
      return { rank: ahead + 1, of: list.length };
    };
    expect(w.rank.department).toMatchObject(await oracle(sql`s.department_id = ${amDept}`));
    expect(w.rank.branch).toMatchObject({ ...(await oracle(sql`n.path LIKE ${`/1/2/${FS}/%`}`)), name: '佛山分行' });
    expect(w.rank.department.rank).toBe(1); // the only points of December in the department
  });

  it('shows my department’s quotas with the same completion as the dashboards’ board', async () => {
    await fsAdmin.post('/api/quotas', { nodeId: FS, year: 2026, productId: (await q<{ id: number }>(sql`SELECT id FROM products WHERE code = 'DEBIT'`))[0].id, departmentId: amDept, quantity: 4 });
    const w = (await am.get('/api/workbench')).json();
    const board = (await fsAdmin.get(`/api/dashboards/completion?nodeId=${FS}&year=2026`)).json();
    const expected = board.rows.filter(
      (r: { quotaId: number | null; departmentId: number; staffId: number | null; outletNodeId: number | null }) =>
        r.quotaId !== null && r.departmentId === amDept && r.staffId === null && r.outletNodeId === null,
    );
    expect(expected.length).toBeGreaterThan(0);
    expect(w.quotas).toEqual(expected);
    const debit = w.quotas.find((r: { productCode: string }) => r.productCode === 'DEBIT');
    expect(debit.reached50).toBe(debit.completion1e4 * 2 >= debit.quota1e4);
  });

  it('lists the objections I raised that are still open, not answered ones or other people’s', async () => {
    await t.database.db.execute(sql`INSERT INTO objections (node_id, period, target_kind, sale_id, reason, raised_by, raised_at, status)
      VALUES (${FS}, '2026-11-01', 'sale', ${saleId}, '我的异议', ${amId}, now(), 'open'),
             (${FS}, '2026-11-01', 'sale', ${saleId}, '已答复', ${amId}, now(), 'dismissed'),
             (${FS}, '2026-11-01', 'sale', ${saleId}, '别人的', ${staffId}, now(), 'open')`);
    const w = (await am.get('/api/workbench')).json();
    expect(w.objections.map((o: { reason: string }) => o.reason)).toEqual(['我的异议']);
    expect(w.objections[0]).toMatchObject({ month: '2026-11', saleId, nodeName: '佛山分行' });
  });

  it('gives each role its to-dos counted in its scope, and none of the work a person may not do', async () => {
    const kinds = async (c: Client) => Object.fromEntries(((await c.get('/api/workbench')).json().todos as { kind: string; count: number; link: string }[]).map((x) => [x.kind, x]));
    const admin = await kinds(fsAdmin);
    const [{ open }] = await q<{ open: number }>(sql`SELECT count(*)::int AS open FROM objections o JOIN org_nodes n ON n.id = o.node_id WHERE o.status = 'open' AND n.path LIKE ${`/1/2/${FS}/%`}`);
    expect(admin.objections).toEqual({ kind: 'objections', count: open, link: '/objections?status=open' });
    const [{ drafts }] = await q<{ drafts: number }>(
      sql`SELECT count(*)::int AS drafts FROM periods p JOIN org_nodes n ON n.id = p.node_id WHERE p.state = 'draft' AND p.period < '2026-12-01' AND n.path LIKE ${`/1/2/${FS}/%`}`,
    );
    expect(admin.publish.count).toBe(drafts);
    expect(Object.keys(admin).sort()).toEqual(expect.arrayContaining(['approve', 'audit', 'nominations', 'objections', 'publish', 'samples', 'submit']));
    const compliance = await kinds(await t.login('fs_compliance'));
    expect(Object.keys(compliance)).toEqual(expect.arrayContaining(['audit', 'samples']));
    expect(compliance.objections).toBeUndefined();
    expect(compliance.publish).toBeUndefined();
    expect(await kinds(am)).toEqual({});
    // another branch's open objections are not fs_admin's work, nor Foshan's hy_admin's
    const hy = await kinds(hyAdmin);
    const [{ hyOpen }] = await q<{ hyOpen: number }>(
      sql`SELECT count(*)::int AS "hyOpen" FROM objections o JOIN org_nodes n ON n.id = o.node_id WHERE o.status = 'open' AND n.path LIKE ${`/1/2/${DEMO_NODES.heyuan}/%`}`,
    );
    expect(hy.objections.count).toBe(hyOpen);
  });

  it('lists my recent failed imports', async () => {
    await t.database.db.execute(sql`INSERT INTO imports (id, kind, file_name, mode, status, created_by, created_at) VALUES ('wb-failed', 'sales', 'x.xlsx', 'all', 'failed', ${amId}, now())`);
    const w = (await am.get('/api/workbench')).json();
    expect(w.todos).toEqual([{ kind: 'imports', count: 1, link: '/imports' }]);
  });

  it('needs a session', async () => {
    expect((await t.anonymous.get('/api/workbench')).statusCode).toBe(401);
  });
});

describe('a person may always read the sales they took part in, and their splits', () => {
  it('a participant reads the sale and its split without sale.read or statement.read', async () => {
    const sale = await staffUser.get(`/api/sales/${staffSaleId}`);
    expect(sale.statusCode, sale.body).toBe(200);
    expect(sale.json().sourceId).toBe('WB-2');
    const split = await staffUser.get(`/api/scoring/sales/${staffSaleId}/split`);
    expect(split.statusCode, split.body).toBe(200);
    expect(split.json().people.some((p: { staffId: number }) => p.staffId === staffId)).toBe(true);
    // 44110014 has sale.read but not statement.read: his own sale's split is his to read
    expect((await am.get(`/api/scoring/sales/${saleId}/split`)).statusCode).toBe(200);
  });

  it('a non-participant without the permission gets 403 and nothing of the sale', async () => {
    for (const url of [`/api/sales/${saleId}`, `/api/scoring/sales/${saleId}/split`]) {
      const res = await staffUser.get(url);
      expect(res.statusCode, url).toBe(403);
      expect(res.json().error.code).toBe('AUTH.OUT_OF_SCOPE');
      expect(res.body).not.toContain('WB-1');
    }
    expect((await am.get(`/api/scoring/sales/${staffSaleId}/split`)).statusCode).toBe(403);
    const other = await hyAdmin.get(`/api/sales/${saleId}`);
    expect(other.statusCode).toBe(403);
    expect(other.body).not.toContain('WB-1');
  });

  it('mine=true lists my own sales to anyone; the whole list still needs sale.read', async () => {
    const mine = await staffUser.get('/api/sales?mine=true');
    expect(mine.statusCode, mine.body).toBe(200);
    const [{ n }] = await q<{ n: number }>(sql`SELECT count(DISTINCT sale_id)::int AS n FROM sale_people WHERE staff_id = ${staffId}`);
    expect(mine.json().total).toBe(n);
    expect(mine.json().items.map((s: { id: number }) => s.id)).toContain(staffSaleId);
    expect(mine.json().items.map((s: { id: number }) => s.id)).not.toContain(saleId);
    const all = await staffUser.get('/api/sales');
    expect(all.statusCode).toBe(403);
    expect(all.json().error.code).toBe('AUTH.FORBIDDEN');
    const amMine = (await am.get('/api/sales?mine=true&pageSize=200')).json();
    expect(amMine.items.every((s: { people: { staffId: number }[] }) => s.people.some((p) => p.staffId === amId))).toBe(true);
  });
});
