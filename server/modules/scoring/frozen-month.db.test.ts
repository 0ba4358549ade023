import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rows } from '../../db/client.js';
import { runPublicationJob } from '../../jobs/publication.job.js';
import { demoDepartmentId } from '../../seed/demo-bank.js';
import { DEMO_NODES } from '../../seed/demo-ids.js';
import { type Client, createTestApp, type TestApp } from '../../test/harness.js';
import { type TestClock, useTestClock } from '../../calendar/index.js';

/**
 * Issue 12 rule 2: a published month is frozen. A sale dated 2026-11-15 recorded while November
 * is under public notice does not change November: its points go into the branch's open month
 * (December) as an adjustment naming November, and the statement lists it as such.
 */
const FS = DEMO_NODES.foshan;
let t: TestApp;
let fsAdmin: Client;
let restore: () => void;
let clock: TestClock;
const q = <T>(query: ReturnType<typeof sql>) => rows<T>(t.database.db, query);
const staffOf = async (code: string) =>
  (await q<{ staffNo: string }>(sql`SELECT staff_no AS "staffNo" FROM staff WHERE department_id = ${demoDepartmentId(FS, code)} AND active ORDER BY id`)).map((r) => r.staffNo);

beforeAll(async () => {
  t = await createTestApp();
  ({ clock, restore } = useTestClock('2026-12-02T02:00:00Z'));
  // Tuesday 2026-12-01 was November's publication day: the scheduler publishes it (and October).
  const out = await runPublicationJob(t.database.db, clock.now());
  expect(out.done.filter((d) => d.nodeId === FS).map((d) => d.period)).toEqual(['2026-10-01', '2026-11-01']);
  fsAdmin = await t.login('fs_admin');
});
afterAll(async () => {
  restore?.();
  await t?.close();
});

describe('a published month is frozen', () => {
  it('a new sale dated in the published month goes to the open month as an adjustment; the notice’s figures do not move', async () => {
    const nov = (await fsAdmin.get(`/api/statements/${FS}/2026-11`)).json();
    expect(nov.state).toBe('published');
    const notice = (await fsAdmin.get(`/api/periods/${FS}/2026-11/notice`)).json();
    const [person] = await q<{ id_number: string }>(sql`SELECT i.id_number FROM individuals i JOIN org_nodes n ON n.id = i.node_id WHERE n.path LIKE ${`/1/2/${FS}/%`} ORDER BY i.id LIMIT 1`);
    const [pf, corp] = [(await staffOf('PF'))[0], (await staffOf('CORP'))[0]];
    const res = await fsAdmin.post('/api/sales', {
      sourceId: 'FROZEN-2026-11-15',
      productCode: 'DEBIT',
      idNumber: person.id_number,
      saleDate: '2026-11-15',
      quantity: 1,
      departments: [{ code: 'CORP' }],
      people: [
        { staffNo: pf, departmentCode: 'PF' },
        { staffNo: corp, departmentCode: 'CORP', role: '介绍人' },
      ],
    });
    expect(res.statusCode, res.body).toBe(201);
    const saleId = res.json().saleId as number;

    // November as published: same totals, same number of sales.
    const novAfter = (await fsAdmin.get(`/api/statements/${FS}/2026-11`)).json();
    expect(novAfter.totals).toEqual(nov.totals);
    expect(novAfter.departments).toEqual(nov.departments);
    expect((await fsAdmin.get(`/api/periods/${FS}/2026-11/notice`)).json().statement.totals).toEqual(notice.statement.totals);

    // The sale's lines are in December, each naming November.
    const lines = await q<{ period: string; adjusts: string | null; pts: number }>(
      sql`SELECT period::text AS period, adjusts_period::text AS adjusts, points_hundredths AS pts FROM ledger_entries WHERE sale_id = ${saleId} ORDER BY id`,
    );
    expect(lines.length).toBeGreaterThan(0);
    expect(new Set(lines.map((l) => `${l.period}/${l.adjusts}`))).toEqual(new Set(['2026-12-01/2026-11-01']));
    const dec = (await fsAdmin.get(`/api/statements/${FS}/2026-12`)).json();
    expect(dec.state).toBe('draft');
    const into = dec.adjustments.filter((a: { saleId: number }) => a.saleId === saleId);
    expect(into.length).toBeGreaterThan(0);
    expect(into.every((a: { adjustsMonth: string; writtenMonth: string }) => a.adjustsMonth === '2026-11' && a.writtenMonth === '2026-12')).toBe(true);
    // DEBIT is worth 1.00 a card: host PF 20 %, participant CORP 80 % (the default split), all of it in December.
    expect(into.reduce((n: number, a: { pointsHundredths: number }) => n + a.pointsHundredths, 0)).toBe(100);
    // Adjustment lines carry codes beside ids and names (issue 18 part 5).
    expect(new Set(into.map((a: { departmentCode: string }) => a.departmentCode))).toEqual(new Set(['PF', 'CORP']));
    for (const a of into) expect(a).toMatchObject({ branchCode: dec.node.code, staffNo: a.staffId === null ? null : expect.stringMatching(/\S/) });
  });
});
