import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rows } from '../../db/client.js';
import { useTestClock } from '../../calendar/index.js';
import { waitForImport } from '../imports/imports.routes.js';
import { uploadForm } from '../imports/testing.js';
import { type Client, createTestApp, type TestApp } from '../../test/harness.js';
import { evaluate, type IndicatorRule } from './warnings.rules.js';

/**
 * The `warning-feed` and `warning-guarantees` imports (Chinese templates, every bad row and cell
 * named, all or nothing, the same file again changes nothing), and the set-based SQL against the
 * pure rules on a random feed.
 */
let t: TestApp;
let admin: Client;
let restore: () => void = () => undefined;
const q = <T>(query: ReturnType<typeof sql>) => rows<T>(t.database.db, query);
let cos: { id: number; uscc: string; name: string }[] = [];

beforeAll(async () => {
  t = await createTestApp();
  admin = await t.login('admin');
  cos = await q(sql`SELECT id, uscc, name FROM corporate_clients ORDER BY id LIMIT 40`);
  restore = useTestClock('2026-12-05T02:00:00Z').restore;
});
afterAll(async () => {
  restore();
  await t?.close();
});

async function upload(who: Client, kind: string, csv: string) {
  const res = await who.request({ method: 'POST', url: `/api/imports/${kind}`, payload: uploadForm(Buffer.from(csv), `${kind}.csv`) });
  expect(res.statusCode, res.body).toBe(202);
  await waitForImport(t.database.db, res.json().id);
  return { job: (await who.get(`/api/imports/jobs/${res.json().id}`)).json(), errors: (await who.get(`/api/imports/jobs/${res.json().id}/errors`)).json() };
}

describe('the warning imports', () => {
  it('offers Chinese templates', async () => {
    for (const kind of ['warning-feed', 'warning-guarantees']) {
      const res = await admin.get(`/api/imports/templates/${kind}`);
      expect(res.statusCode).toBe(200);
      expect(res.rawPayload.subarray(0, 2).toString()).toBe('PK');
    }
  });

  it('feed: names every bad cell and writes nothing; then imports, amounts in 元 become 分, and again changes nothing', async () => {
    const HEAD = '数据日期,统一社会信用代码,客户名称,数据项,数值';
    const bad = [
      HEAD,
      `2026-12-01,${cos[0].uscc},,逾期天数,3`,
      `2026-12-01,91440000000000000X,,逾期天数,3`,
      `2026-12-01,${cos[1].uscc},,不存在的项,1`,
      `2026-12-01,${cos[2].uscc},,被执行,2`,
      `2026-12-09,${cos[3].uscc},,欠息金额,12.5`,
    ].join('\n');
    const r1 = await upload(admin, 'warning-feed', bad);
    expect(r1.job).toMatchObject({ status: 'failed', inserted: 0, errorRows: 4 });
    const at = (row: number, column: string) => r1.errors.items.find((e: { row: number; column: string }) => e.row === row && e.column === column);
    expect(at(3, '统一社会信用代码').code).toBe('IMPORT.REFERENCE');
    expect(at(4, '数据项')).toBeTruthy();
    expect(at(5, '数值')).toBeTruthy();
    expect(at(6, '数据日期').code).toBe('WARNING.FUTURE_DAY');
    expect((await q<{ n: number }>(sql`SELECT count(*)::int AS n FROM ew_feed`))[0].n).toBe(0);
    const good = [HEAD, `2026-12-01,${cos[0].uscc},,逾期天数,3`, `2026-12-01,${cos[1].uscc},,欠息金额,"1,234.56"`, `2026-12-01,${cos[2].uscc},,enforcement,1`].join('\n');
    expect((await upload(admin, 'warning-feed', good)).job).toMatchObject({ status: 'done', inserted: 3 });
    expect((await upload(admin, 'warning-feed', good)).job).toMatchObject({ status: 'done', inserted: 0, updated: 0, unchanged: 3 });
    const [arrears] = await q<{ v: number }>(sql`SELECT value::int AS v FROM ew_feed WHERE client_id = ${cos[1].id} AND source = 'interest_arrears_fen'`);
    expect(arrears.v).toBe(123456);
    const denied = await upload(await t.login('fs_admin'), 'warning-feed', [HEAD, `2026-12-01,${cos[0].uscc},,逾期天数,4`].join('\n'));
    expect(denied.errors.items[0].code).toBe('AUTH.BANK_WIDE_REQUIRED');
  });

  it('guarantees: by borrower and guarantor, idempotent', async () => {
    const [p] = await q<{ idNumber: string }>(sql`SELECT id_number AS "idNumber" FROM individuals ORDER BY id LIMIT 1`);
    const HEAD = '借款客户统一社会信用代码,担保人类型,担保人证件号码,担保合同号,起始日期,到期日期';
    const csv = [HEAD, `${cos[0].uscc},企业,${cos[1].uscc},DB-1,2026-01-01,2027-12-31`, `${cos[0].uscc},个人,${p.idNumber},DB-2,,`].join('\n');
    expect((await upload(admin, 'warning-guarantees', [HEAD, `${cos[0].uscc},企业,${cos[0].uscc},,,`].join('\n'))).job).toMatchObject({ status: 'failed' });
    expect((await upload(admin, 'warning-guarantees', csv)).job).toMatchObject({ status: 'done', inserted: 2 });
    expect((await upload(admin, 'warning-guarantees', csv)).job).toMatchObject({ status: 'done', unchanged: 2 });
    expect((await q<{ n: number }>(sql`SELECT count(*)::int AS n FROM ew_guarantees WHERE client_id = ${cos[0].id}`))[0].n).toBe(2);
  });

  it('the SQL evaluation hits exactly what the pure rules say, on a random feed', async () => {
    await q(sql`DELETE FROM ew_feed`);
    let seed = 7;
    const rnd = (n: number) => {
      seed = (seed * 1103515245 + 12345) % 2147483648;
      return seed % n;
    };
    const items: { day: string; uscc: string; source: string; value: number }[] = [];
    for (const c of cos) {
      items.push({ day: '2026-12-04', uscc: c.uscc, source: 'overdue_days', value: rnd(3) === 0 ? rnd(60) : 0 });
      items.push({ day: '2026-12-04', uscc: c.uscc, source: 'litigation_new', value: rnd(4) === 0 ? 1 : 0 });
      if (rnd(5)) items.push({ day: '2026-11-04', uscc: c.uscc, source: 'inflow_fen', value: rnd(3) * 50_000_00 });
      items.push({ day: '2026-12-04', uscc: c.uscc, source: 'inflow_fen', value: rnd(200_000_00) });
      if (rnd(2)) items.push({ day: '2026-11-04', uscc: c.uscc, source: 'loan_balance_fen', value: 100_000_00 });
      items.push({ day: '2026-12-04', uscc: c.uscc, source: 'loan_balance_fen', value: [150_000_00, 149_999_99, 200_000_00, 90_000_00][rnd(4)] });
    }
    for (const day of ['2026-11-04', '2026-12-04'])
      expect((await admin.post('/api/warnings/feed', { day, items: items.filter((i) => i.day === day).map(({ day: _d, ...i }) => i) })).statusCode).toBe(200);
    const run = (await admin.post('/api/warnings/runs', { day: '2026-12-04' })).json();
    const inds = await q<IndicatorRule & { id: number; source: string; code: string }>(
      sql`SELECT id, code, source, kind, op, threshold::float8 AS threshold, window_days AS "windowDays" FROM ew_indicators WHERE version = 1`,
    );
    const expected: string[] = [];
    const idOf = new Map(cos.map((c) => [c.uscc, c.id]));
    for (const i of inds)
      for (const f of items.filter((x) => x.day === '2026-12-04' && x.source === i.source)) {
        const base = i.kind === 'change' ? (items.find((x) => x.day === '2026-11-04' && x.source === i.source && x.uscc === f.uscc)?.value ?? null) : null;
        if (evaluate(i, f.value, base)) expected.push(`${i.code}:${idOf.get(f.uscc)}`);
      }
    const got = await q<{ k: string }>(sql`SELECT i.code || ':' || h.client_id AS k FROM ew_hits h JOIN ew_indicators i ON i.id = h.indicator_id WHERE h.day = '2026-12-04'`);
    expect(got.map((g) => g.k).sort()).toEqual(expected.sort());
    expect(expected.length).toBeGreaterThan(10);
    expect(run.hits).toBe(expected.length);
  });
});
