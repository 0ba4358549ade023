import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rows } from '../../db/client.js';
import { demoDepartmentId } from '../../seed/demo-bank.js';
import { DEMO_NODES } from '../../seed/demo-ids.js';
import { type Client, createTestApp, type TestApp } from '../../test/harness.js';
import { useTestClock } from '../../calendar/index.js';
import { noticeLayout } from './notice.pdf.js';

/**
 * Issue 12 rule 2 (second half): an objection upheld with a correction during the window makes a
 * new numbered version of the notice, with its change list; the people on the changed lines and
 * the committee office are told; the PDF prints the version. A dismissed objection changes nothing.
 */
const FS = DEMO_NODES.foshan;
const MONTH = '2026-08';
// Tuesday 2026-09-01 10:00 Beijing.
const T0 = new Date('2026-09-01T02:00:00Z');
const DAY = 24 * 3600_000;

let t: TestApp;
let restoreClock: () => void;
let setClock: (d: Date) => void;
const q = <T>(query: ReturnType<typeof sql>) => rows<T>(t.database.db, query);
const c: Record<'fsAdmin' | 'office' | 'staff' | 'member', Client> = {} as never;
const fx = { pf: [] as string[], corp: [] as string[], inst: [] as string[], saleIds: [] as number[] };

const staffNos = async (code: string) =>
  (await q<{ staffNo: string }>(sql`SELECT staff_no AS "staffNo" FROM staff WHERE department_id = ${demoDepartmentId(FS, code)} AND active ORDER BY id`)).map((r) => r.staffNo);
const committee = async (position: string) =>
  (
    await q<{ staffNo: string }>(sql`SELECT s.staff_no AS "staffNo" FROM committee_members cm JOIN staff s ON s.id = cm.staff_id WHERE cm.node_id = ${FS} AND cm.position = ${position} ORDER BY s.id`)
  ).map((r) => r.staffNo);
/** The sale's net on August's notice, in hundredths (what the ledger says). */
const netOf = async (saleId: number) =>
  Number(
    (
      await q<{ n: number }>(
        sql`SELECT coalesce(sum(points_hundredths) FILTER (WHERE kind <> 'void'), 0)::int AS n FROM ledger_entries WHERE sale_id = ${saleId} AND period = '2026-08-01'::date AND adjusts_period IS NULL`,
      )
    )[0].n,
  );
const notice = async () => {
  const res = await c.staff.get(`/api/periods/${FS}/${MONTH}/notice`);
  expect(res.statusCode, res.body).toBe(200);
  return res.json();
};
const versionNotes = async () =>
  q<{ staff_id: number; title_zh: string; link: string }>(sql`SELECT staff_id, title_zh, link FROM notifications WHERE kind = 'notice.version' AND node_id = ${FS} ORDER BY staff_id`);

beforeAll(async () => {
  t = await createTestApp();
  const tc = useTestClock(T0);
  restoreClock = tc.restore;
  setClock = (d) => tc.clock.set(d);
  c.fsAdmin = await t.login('fs_admin');
  c.office = await t.login((await committee('office'))[0]);
  c.member = await t.login((await committee('member'))[0]);
  c.staff = await t.login('fs_staff');
  const [person] = await q<{ idNumber: string }>(
    sql`SELECT i.id_number AS "idNumber" FROM individuals i JOIN org_nodes n ON n.id = i.node_id WHERE n.path LIKE ${`/1/2/${FS}/%`} ORDER BY i.id LIMIT 1`,
  );
  fx.pf = await staffNos('PF');
  fx.corp = await staffNos('CORP');
  fx.inst = await staffNos('INST');
  for (let i = 0; i < 3; i++) {
    const res = await c.fsAdmin.post('/api/sales', {
      sourceId: `VER-${i}`,
      productCode: 'WMP',
      idNumber: person.idNumber,
      saleDate: `2026-08-${String(3 + i).padStart(2, '0')}`,
      quantity: 7,
      hostDepartmentCode: 'PF',
      departments: [{ code: 'CORP' }],
      people: [
        { staffNo: fx.pf[0], departmentCode: 'PF' },
        { staffNo: fx.corp[0], departmentCode: 'CORP', role: '介绍人' },
      ],
    });
    expect(res.statusCode, res.body).toBe(201);
    fx.saleIds.push(res.json().saleId);
  }
});
afterAll(async () => {
  restoreClock?.();
  await t?.close();
});

describe('the notice’s versions (issue 12 rule 2)', () => {
  it('publication writes version 1', async () => {
    const res = await c.office.post(`/api/periods/${FS}/${MONTH}/publish`);
    expect(res.statusCode, res.body).toBe(200);
    const n = await notice();
    expect(n).toMatchObject({ version: 1, versionDate: '2026-09-01' });
    expect(n.versions).toEqual([expect.objectContaining({ version: 1, createdAt: T0.toISOString(), objectionId: null, changes: [] })]);
    expect(n.versions[0].createdBy.name).not.toBe('');
    expect(noticeLayout({ ...n, publishedAt: T0, windowClosesAt: null, auditHead: null }).lines[0]).toContain('第 1 版（2026-09-01）');
  });

  it('a dismissed objection, and one upheld without a correction, make no version', async () => {
    setClock(new Date(T0.getTime() + DAY / 2));
    for (const decision of ['dismissed', 'upheld'] as const) {
      const o = await c.staff.post('/api/objections', { nodeId: FS, month: MONTH, target: { kind: 'sale', saleId: fx.saleIds[1] }, reason: '请核实' });
      expect(o.statusCode, o.body).toBe(201);
      const a = await c.office.post(`/api/objections/${o.json().id}/answer`, { decision, answer: '已核实，积分按规则计算无误' });
      expect(a.statusCode, a.body).toBe(200);
    }
    expect((await notice()).versions.map((v: { version: number }) => v.version)).toEqual([1]);
    expect(await versionNotes()).toEqual([]);
  });

  it('an objection upheld with a correction makes version 2 with the change list, exact to the cent; everyone on the changed lines is told', async () => {
    setClock(new Date(T0.getTime() + DAY));
    const saleId = fx.saleIds[0];
    const before = await netOf(saleId);
    const o = await c.staff.post('/api/objections', { nodeId: FS, month: MONTH, target: { kind: 'sale', saleId }, reason: '机构业务部也参与了营销，数量应为 9' });
    expect(o.statusCode, o.body).toBe(201);
    const id = o.json().id;
    const answer = '经核实机构业务部参与营销，数量更正为 9';
    const res = await c.office.post(`/api/objections/${id}/answer`, {
      decision: 'upheld',
      answer,
      correction: {
        quantity: 9,
        departments: [{ code: 'CORP' }, { code: 'INST' }],
        people: [
          { staffNo: fx.pf[0], departmentCode: 'PF' },
          { staffNo: fx.corp[0], departmentCode: 'CORP', role: '介绍人' },
          { staffNo: fx.inst[0], departmentCode: 'INST', role: '营销人员' },
        ],
      },
    });
    expect(res.statusCode, res.body).toBe(200);
    const after = await netOf(saleId);
    expect(after).not.toBe(before);

    const n = await notice();
    expect(n).toMatchObject({ version: 2, versionDate: '2026-09-02' });
    expect(n.versions).toHaveLength(2);
    const v2 = n.versions[1];
    expect(v2).toMatchObject({ version: 2, objectionId: id, reason: answer, createdAt: new Date(T0.getTime() + DAY).toISOString() });
    expect(v2.changes).toHaveLength(1);
    const ch = v2.changes[0];
    const cents = (h: number) => `${Math.trunc(h / 100)}.${String(Math.abs(h % 100)).padStart(2, '0')}`;
    expect(ch).toMatchObject({ saleId, sourceId: 'VER-0', reason: answer });
    expect(ch.before).toMatchObject({ pointsHundredths: before, points: cents(before) });
    expect(ch.after).toMatchObject({ pointsHundredths: after, points: cents(after) });
    // The lines add up to the sale's points, before and after; the INST person appears only after.
    type Line = { staffId: number | null; staffNo: string | null; departmentName: string; pointsHundredths: number; points: string };
    const sum = (ls: Line[]) => ls.reduce((a, l) => a + l.pointsHundredths, 0);
    expect(sum(ch.before.lines)).toBe(before);
    expect(sum(ch.after.lines)).toBe(after);
    expect(ch.before.lines.some((l: Line) => l.staffNo === fx.inst[0])).toBe(false);
    expect(ch.after.lines.some((l: Line) => l.staffNo === fx.inst[0])).toBe(true);
    for (const l of [...ch.before.lines, ...ch.after.lines] as Line[]) expect(l.points).toBe(cents(l.pointsHundredths));
    // The ledger's lines of the sale, as the notice now shows them.
    const ledger = await q<{ staff_id: number | null; n: number }>(
      sql`SELECT staff_id, sum(points_hundredths)::int AS n FROM ledger_entries WHERE sale_id = ${saleId} AND kind <> 'void' AND staff_id IS NOT NULL GROUP BY staff_id HAVING sum(points_hundredths) <> 0 ORDER BY staff_id`,
    );
    expect(
      ch.after.lines
        .filter((l: Line) => l.staffId !== null)
        .map((l: Line) => ({ staff_id: l.staffId, n: l.pointsHundredths }))
        .sort((a: { staff_id: number }, b: { staff_id: number }) => a.staff_id - b.staff_id),
    ).toEqual(ledger.map((r) => ({ staff_id: Number(r.staff_id), n: Number(r.n) })));

    // Told: everyone on a changed line (before or after) and the committee office, once each.
    const onLines = new Set<number>([...ch.before.lines, ...ch.after.lines].map((l: Line) => l.staffId).filter((x: number | null): x is number => x !== null));
    const office = (await q<{ id: number }>(sql`SELECT cm.staff_id AS id FROM committee_members cm WHERE cm.node_id = ${FS} AND cm.position = 'office'`)).map((r) => Number(r.id));
    const told = await versionNotes();
    expect(told.map((r) => Number(r.staff_id))).toEqual([...new Set([...onLines, ...office])].sort((a, b) => a - b));
    expect(told[0].title_zh).toBe(`佛山分行2026年8月积分公示已更新为第 2 版：异议 #${id} 成立，更正 1 笔`);
    expect(told[0].link).toBe(`/periods/${FS}/${MONTH}/notice`);

    // The PDF prints the version and its change list.
    const pdf = await c.staff.get(`/api/periods/${FS}/${MONTH}/notice.pdf`);
    expect(pdf.statusCode).toBe(200);
    expect(pdf.rawPayload.subarray(0, 5).toString()).toBe('%PDF-');
    const layout = noticeLayout({ ...n, publishedAt: T0, windowClosesAt: null, auditHead: null });
    expect(layout.lines[0]).toContain('第 2 版（2026-09-02）');
    const log = layout.tables.find((tb) => tb.title.endsWith('变更记录'))!;
    expect(log.rows).toEqual([
      [`第 2 版（2026-09-02）异议 #${id}`, 'VER-0', expect.stringMatching(new RegExp(`^${cents(before)}（`)), expect.stringMatching(new RegExp(`^${cents(after)}（`)), answer],
    ]);
  });
});
