import { asc, count, eq, sql } from 'drizzle-orm';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { departments, ledgerEntries, orgNodes, saleDepartments, salePeople, sales, splitRules, staff } from '../../db/schema/index.js';
import { DEMO_DEPARTMENTS, demoDepartmentId } from '../../seed/demo-bank.js';
import { DEMO_NODES } from '../../seed/demo-ids.js';
import { createTestApp, type TestApp } from '../../test/harness.js';
import { recomputePeriod, scoreSales } from './ledger.service.js';
import { salePoints, splitSale } from './scoring.rules.js';
import { addFigures, addScore, makeDevelopment, makeProduct, makeSale, staffOf } from './testing.js';

const FS = DEMO_NODES.foshan;
let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
});
afterAll(() => t.close());

const db = () => t.database.db;
const entriesOf = (saleId: number) => db().select().from(ledgerEntries).where(eq(ledgerEntries.saleId, saleId)).orderBy(asc(ledgerEntries.id));
const ledgerCount = async () => (await db().select({ n: count() }).from(ledgerEntries))[0].n;
/** Net points per (department, staff) of a sale, non-void only. */
async function net(saleId: number) {
  const m = new Map<string, number>();
  for (const e of await entriesOf(saleId)) {
    if (e.kind === 'void') continue;
    const k = `${e.departmentId}/${e.staffId ?? '-'}`;
    m.set(k, (m.get(k) ?? 0) + e.pointsHundredths);
  }
  return Object.fromEntries([...m].filter(([, v]) => v !== 0).sort());
}

describe('ledger (SPEC §7, §9.5)', () => {
  it('scores a sale 20/80 with people, writes nothing on a second run', async () => {
    const p = await makeProduct(db(), { score: 1250 });
    const [corp1] = await staffOf(db(), FS, 'CORP');
    const s = await makeSale(db(), {
      productId: p.id,
      nodeId: FS,
      saleDate: '2026-05-05',
      quantity1e4: 30_000, // 3 件 × 12.50 = 37.50
      host: 'PF',
      participants: [{ dept: 'CORP' }, { dept: 'INST' }],
      people: [{ staffId: corp1, dept: 'CORP', role: '介绍人' }],
    });
    const r1 = await scoreSales(db(), [s.id]);
    expect(r1.entries).toBe(3);
    // host 20 % of 37.50 = 7.50; participants 15.00 each; CORP's part goes to its one person.
    expect(await net(s.id)).toEqual({ [`${demoDepartmentId(FS, 'CORP')}/${corp1}`]: 1500, [`${demoDepartmentId(FS, 'INST')}/-`]: 1500, [`${demoDepartmentId(FS, 'PF')}/-`]: 750 });
    const before = await ledgerCount();
    expect((await scoreSales(db(), [s.id])).entries).toBe(0);
    expect(await recomputePeriod(db(), { nodeId: FS, period: '2026-05-01' })).toMatchObject({ entries: 0 });
    expect(await ledgerCount()).toBe(before);
    const [e] = await entriesOf(s.id);
    expect(e.period).toBe('2026-05-01');
    expect(e.ruleVersion).toMatch(/^score:\d+\|split:(default|\d{4}-\d{2}-\d{2})\|mortgage:n\/a$/);
  });

  it('effective dating: a score change mid-month scores each sale with its own version', async () => {
    const p = await makeProduct(db(), { score: 1000, from: '2026-01-01' });
    const v2 = await addScore(db(), p.id, 2000, '2026-10-16');
    const base = { productId: p.id, nodeId: FS, quantity1e4: 10_000, host: 'PF', participants: [{ dept: 'CORP' }] };
    const a = await makeSale(db(), { ...base, saleDate: '2026-10-15' });
    const b = await makeSale(db(), { ...base, saleDate: '2026-10-16' });
    await scoreSales(db(), [a.id, b.id]);
    const sum = async (id: number) => Object.values(await net(id)).reduce((x, y) => x + y, 0);
    expect(await sum(a.id)).toBe(1000);
    expect(await sum(b.id)).toBe(2000);
    expect((await entriesOf(b.id))[0].ruleVersion).toContain(`score:${v2.id}|`);
  });

  it('a back-dated score version → reversal of the old net + new entries; sums right; no update', async () => {
    const p = await makeProduct(db(), { score: 1000, from: '2026-01-01' });
    const s = await makeSale(db(), { productId: p.id, nodeId: FS, saleDate: '2026-09-10', quantity1e4: 10_000, host: 'PF', participants: [{ dept: 'CORP' }, { dept: 'EB' }, { dept: 'CC' }] });
    await scoreSales(db(), [s.id]);
    const first = await entriesOf(s.id);
    expect(first.map((e) => e.pointsHundredths).reduce((x, y) => x + y)).toBe(1000);
    await addScore(db(), p.id, 1001, '2026-09-01');
    const r = await recomputePeriod(db(), { nodeId: FS, period: '2026-09-01' });
    expect(r.sales).toBe(1);
    expect(r.reversed).toBe(first.length);
    const after = await entriesOf(s.id);
    // the first entries are untouched, each reversed once, and the net is the new 10.01 points.
    expect(after.slice(0, first.length)).toEqual(first);
    const reversals = after.filter((e) => e.kind === 'reversal');
    expect(reversals.map((e) => e.reversesId).sort()).toEqual(first.map((e) => e.id).sort());
    expect(after.map((e) => e.pointsHundredths).reduce((x, y) => x + y)).toBe(1001);
    // 10.01: host 2.00 (200.2 → 200), three thirds of 8.008 → 2.67/2.67/2.67 (remainders .36 vs host .2)
    expect(Object.values(await net(s.id)).sort()).toEqual([200, 267, 267, 267].sort());
    expect((await recomputePeriod(db(), { nodeId: FS, period: '2026-09-01' })).entries).toBe(0);
  });

  it('mortgage: exactly 85 % scores; below voids every mortgage sale visibly; new figures bring the points back', async () => {
    const p = await makeProduct(db(), { score: 500, mortgage: true, host: 'RE' });
    const at = await makeDevelopment(db(), { nodeId: FS, lenderMode: 'sole', figures: [{ asOf: '2026-08-31', total: 200, bank: 170 }] });
    const below = await makeDevelopment(db(), { nodeId: FS, lenderMode: 'sole', figures: [{ asOf: '2026-08-20', total: 200, bank: 169 }] });
    const base = { productId: p.id, nodeId: FS, saleDate: '2026-08-12', quantity1e4: 10_000, host: 'RE', participants: [{ dept: 'PF' }] };
    const ok = await makeSale(db(), { ...base, developmentId: at.id });
    const v1 = await makeSale(db(), { ...base, developmentId: below.id });
    const v2 = await makeSale(db(), { ...base, developmentId: below.id, quantity1e4: 20_000 });
    await scoreSales(db(), [ok.id, v1.id, v2.id]);
    expect(Object.values(await net(ok.id)).reduce((x, y) => x + y)).toBe(500);
    for (const v of [v1, v2]) {
      const es = await entriesOf(v.id);
      expect(es.every((e) => e.kind === 'void')).toBe(true);
      expect(es.reduce((x, e) => x + e.pointsHundredths, 0)).toBe(v.quantity1e4 / 20);
      expect(es[0].ruleVersion).toContain('mortgage:void:169/200');
      expect(await net(v.id)).toEqual({});
    }
    // Figures dated after the month's end do not count for August …
    await addFigures(db(), below.id, { asOf: '2026-09-01', total: 200, bank: 180 });
    expect((await recomputePeriod(db(), { nodeId: FS, period: '2026-08-01' })).entries).toBe(0);
    // … figures within it do: the voids are cancelled and the points allocated.
    await addFigures(db(), below.id, { asOf: '2026-08-31', total: 200, bank: 175 });
    const r = await recomputePeriod(db(), { nodeId: FS, period: '2026-08-01' });
    expect(r.sales).toBe(2);
    const es = await entriesOf(v1.id);
    expect(es.filter((e) => e.kind === 'void').reduce((x, e) => x + e.pointsHundredths, 0)).toBe(0);
    expect(Object.values(await net(v1.id)).reduce((x, y) => x + y)).toBe(500);
  });

  it('a development with no figures voids (not met), documented in ADR 0008', async () => {
    const p = await makeProduct(db(), { score: 500, mortgage: true, host: 'RE' });
    const d = await makeDevelopment(db(), { nodeId: FS, lenderMode: 'partial', loanShareBp: 6000 });
    const s = await makeSale(db(), { productId: p.id, nodeId: FS, saleDate: '2026-07-03', quantity1e4: 10_000, host: 'RE', participants: [{ dept: 'PF' }], developmentId: d.id });
    await scoreSales(db(), [s.id]);
    const es = await entriesOf(s.id);
    expect(es.map((e) => e.kind)).toEqual(['void', 'void']);
    expect(es[0].ruleVersion).toContain('mortgage:void:no_figures');
    await addFigures(db(), d.id, { asOf: '2026-07-31', total: 150, bank: 90 }); // exactly 60 %
    await recomputePeriod(db(), { nodeId: FS, period: '2026-07-01' });
    expect(Object.values(await net(s.id)).reduce((x, y) => x + y)).toBe(500);
  });

  it('a new split rule applies from its date', async () => {
    await db().insert(splitRules).values({ effectiveFrom: '2026-06-01', hostBp: 3000, participantsBp: 7000 }).onConflictDoNothing();
    const p = await makeProduct(db(), { score: 10000 });
    const s = await makeSale(db(), { productId: p.id, nodeId: FS, saleDate: '2026-06-02', quantity1e4: 10_000, host: 'PF', participants: [{ dept: 'CORP' }] });
    await scoreSales(db(), [s.id]);
    expect(await net(s.id)).toEqual({ [`${demoDepartmentId(FS, 'CORP')}/-`]: 7000, [`${demoDepartmentId(FS, 'PF')}/-`]: 3000 });
    // other tests' months are before June: later sales keep using this rule, so remove nothing.
  });

  it('the database refuses UPDATE and DELETE on the ledger', async () => {
    const why = (e: unknown) => String((e as { cause?: Error }).cause?.message ?? (e as Error).message);
    expect(
      await db()
        .execute(sql`UPDATE ledger_entries SET points_hundredths = 0`)
        .then(() => 'ok', why),
    ).toMatch(/append-only/);
    expect(
      await db()
        .execute(sql`DELETE FROM ledger_entries`)
        .then(() => 'ok', why),
    ).toMatch(/append-only/);
    expect(await ledgerCount()).toBeGreaterThan(0);
  });

  it('the SQL scoring equals the pure rules on random sales', async () => {
    const p = await makeProduct(db(), { score: 1, from: '2000-01-01' });
    const depts = ['CORP', 'INST', 'RE', 'EB', 'CC', 'PB'];
    const people = new Map<string, number[]>();
    for (const d of ['PF', ...depts]) people.set(d, await staffOf(db(), FS, d));
    const staffNo = new Map((await db().select({ id: staff.id, staffNo: staff.staffNo }).from(staff)).map((x) => [x.id, x.staffNo]));
    const arb = fc.record({
      q: fc.integer({ min: 1, max: 5_000_000 }),
      n: fc.integer({ min: 1, max: 5 }),
      ratios: fc.boolean(),
      r: fc.array(fc.integer({ min: 0, max: 9000 }), { minLength: 5, maxLength: 5 }),
      who: fc.array(fc.tuple(fc.integer({ min: 0, max: 5 }), fc.integer({ min: 0, max: 3 }), fc.option(fc.integer({ min: 0, max: 10000 }))), { maxLength: 6 }),
    });
    const samples = fc.sample(arb, { numRuns: 40, seed: 20261122 });
    const made: { id: number; input: Parameters<typeof splitSale>[0] }[] = [];
    for (const x of samples) {
      const chosen = depts.slice(0, x.n);
      const onSale = ['PF', ...chosen];
      const ppl = new Map<string, { staffId: number; dept: string; contributionBp: number | null }>();
      for (const [di, si, c] of x.who) {
        const dept = onSale[di % onSale.length];
        const list = people.get(dept)!;
        if (list.length === 0) continue;
        const staffId = list[si % list.length];
        ppl.set(`${dept}/${staffId}`, { staffId, dept, contributionBp: c });
      }
      const s = await makeSale(db(), {
        productId: p.id,
        nodeId: FS,
        saleDate: '2025-03-15',
        quantity1e4: x.q,
        host: 'PF',
        participants: chosen.map((d, i) => ({ dept: d, ratioBp: x.ratios ? x.r[i] : null })),
        people: [...ppl.values()],
      });
      made.push({
        id: s.id,
        input: {
          points: salePoints(x.q, 1),
          hostDepartmentId: demoDepartmentId(FS, 'PF'),
          hostDepartmentCode: 'PF',
          hostBp: 2000,
          participantsBp: 8000,
          participants: chosen.map((d, i) => ({ departmentId: demoDepartmentId(FS, d), code: d, ratioBp: x.ratios ? x.r[i] : null })),
          people: [...ppl.values()].map((v) => ({ staffId: v.staffId, staffNo: staffNo.get(v.staffId)!, departmentId: demoDepartmentId(FS, v.dept), contributionBp: v.contributionBp })),
        },
      });
    }
    await scoreSales(
      db(),
      made.map((m) => m.id),
    );
    for (const m of made) {
      const expected = Object.fromEntries(
        splitSale(m.input)
          .lines.filter((l) => l.points !== 0n)
          .map((l) => [`${l.departmentId}/${l.staffId ?? '-'}`, Number(l.points)] as const)
          .sort(),
      );
      expect(
        await net(m.id),
        JSON.stringify(m.input, (_k, v) => (typeof v === 'bigint' ? String(v) : v)),
      ).toEqual(expected);
    }
  });

  it('ties go to the department code and the staff number, whatever order they were created in (SPEC §7, issue 12)', async () => {
    // A test branch whose departments were created RE, INST, CORP, PF (ids in that order, the
    // reverse of their codes' order) and whose CORP people were created F8-3, F8-2, F8-1.
    const [fs] = await db().select().from(orgNodes).where(eq(orgNodes.id, FS));
    const [parent] = await db().select().from(orgNodes).where(eq(orgNodes.id, fs.parentId!));
    const nodeId = 9901;
    await db()
      .insert(orgNodes)
      .values({ id: nodeId, code: 'T9901', name: '测试分行（倒序建部门）', level: 'branch', parentId: parent.id, path: `${parent.path}${nodeId}/` });
    const created = ['RE', 'INST', 'CORP', 'PF'];
    const dept = new Map(created.map((code, i) => [code, 990_001 + i]));
    const kindOf = (code: string) => DEMO_DEPARTMENTS.find((d) => d.code === code)!.kind;
    for (const code of created)
      await db()
        .insert(departments)
        .values({ id: dept.get(code)!, nodeId, code, name: `测试${code}`, kind: kindOf(code) });
    const staffNos = ['F8-3', 'F8-2', 'F8-1'];
    const person = new Map(staffNos.map((no, i) => [no, 990_001 + i]));
    for (const no of staffNos)
      await db()
        .insert(staff)
        .values({ id: person.get(no)!, staffNo: no, name: `测试${no}`, nodeId, departmentId: dept.get('CORP')! });
    expect(dept.get('RE')! < dept.get('CORP')! && person.get('F8-3')! < person.get('F8-1')!).toBe(true);

    const p = await makeProduct(db(), { score: 100 }); // 1 point per unit
    const insertSale = async (quantity1e4: number, participants: string[], people: string[]) => {
      const [s] = await db()
        .insert(sales)
        .values({ sourceId: `T-S8-${quantity1e4}-${participants.join('')}`, productId: p.id, saleDate: '2026-04-08', quantity1e4, hostDepartmentId: dept.get('PF')!, nodeId })
        .returning();
      await db()
        .insert(saleDepartments)
        .values(participants.map((code) => ({ saleId: s.id, departmentId: dept.get(code)!, ratioBp: null })));
      if (people.length) {
        await db()
          .insert(salePeople)
          .values(people.map((no) => ({ saleId: s.id, staffId: person.get(no)!, departmentId: dept.get('CORP')!, role: '营销人员', contributionBp: null })));
      }
      return s;
    };
    // S8-like: 2.00 points, host PF, participants RE / CORP / INST equal.
    const s8 = await insertSale(20_000, ['RE', 'CORP', 'INST'], []);
    // 1.00 point, CORP's 0.80 to three people equally: 0.2666… each, the two spare hundredths to F8-1, F8-2.
    const trio = await insertSale(10_000, ['CORP'], ['F8-3', 'F8-2', 'F8-1']);
    await scoreSales(db(), [s8.id, trio.id]);
    const d = (code: string) => dept.get(code)!;
    expect(await net(s8.id)).toEqual({ [`${d('CORP')}/-`]: 54, [`${d('INST')}/-`]: 53, [`${d('RE')}/-`]: 53, [`${d('PF')}/-`]: 40 });
    expect(await net(trio.id)).toEqual({
      [`${d('CORP')}/${person.get('F8-1')}`]: 27,
      [`${d('CORP')}/${person.get('F8-2')}`]: 27,
      [`${d('CORP')}/${person.get('F8-3')}`]: 26,
      [`${d('PF')}/-`]: 20,
    });
    // … and the pure rules say the same.
    const pure = splitSale({
      points: 200n,
      hostDepartmentId: d('PF'),
      hostDepartmentCode: 'PF',
      hostBp: 2000,
      participantsBp: 8000,
      participants: ['RE', 'CORP', 'INST'].map((code) => ({ departmentId: d(code), code, ratioBp: null })),
      people: [],
    });
    expect(Object.fromEntries(pure.lines.map((l) => [`${l.departmentId}/-`, Number(l.points)]))).toEqual(await net(s8.id));
  });
});
